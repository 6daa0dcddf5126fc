package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// admitForm is the small admission-decision form on a person's page.
type admitForm struct {
	DecisionNo, DecisionDate, DecidedBy, AdmittedOrg, CeremonyDate, RecognitionDate string

	status int // the status of the page showing the refused form
}

var admitFields = []string{"decision_no", "decision_date", "decided_by", "admitted_org", "ceremony_date", "recognition_date"}

type membershipRow struct {
	*domain.Membership
	DecidedBy *domain.Org
	Admitted  *domain.Org
}

// certRow is a training certificate on the person's page.
type certRow struct {
	*domain.Certificate
	ProgrammeName string
	Valid         bool // valid on the page's date
}

type personView struct {
	P           *service.PersonView
	Revealed    bool
	Age         int
	Residence   string
	Crumbs      []*domain.Org
	Memberships []membershipRow
	Certs       []certRow
	Cases       []personCaseRow // admission cases (case_open.go)
	CanOpenCase bool
	CanWrite    bool
	CanAdmit    bool // the user may record an admission decision from paper for this person now
	Admit       admitForm
	AdmitErrors errs
}

// personID reads the {id} of the path.
func personID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENotFound, "Không tìm thấy hồ sơ %q", r.PathValue("id"))
	}
	return id, nil
}

// personShow shows a person with the CCCD masked (GET /nguoi/{id}).
func (h *Handler) personShow(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := personID(r)
	if err != nil {
		return err
	}
	return h.renderPerson(w, r, u, id, false, nil, nil)
}

// personReveal shows the person with the full CCCD; the service records
// the reveal (POST /nguoi/{id}/hien-cccd).
func (h *Handler) personReveal(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := personID(r)
	if err != nil {
		return err
	}
	return h.renderPerson(w, r, u, id, true, nil, nil)
}

// renderPerson renders the person page, with a refused admission form
// (and its errors) when admit is not nil.
func (h *Handler) renderPerson(w http.ResponseWriter, r *http.Request, u *domain.User, id int64, reveal bool, admit *admitForm, admitErrs errs) error {
	ctx := r.Context()
	p, err := h.svc.Person(ctx, id, reveal)
	if err != nil {
		return err
	}
	v := personView{P: p, Revealed: reveal && p.CCCD != "", Age: ageOn(p.BirthDate, h.svc.DefaultAsOf(ctx)),
		CanWrite: u.CanWrite("people"), AdmitErrors: admitErrs}
	if v.AdmitErrors == nil {
		v.AdmitErrors = errs{}
	}
	if v.Crumbs, err = h.svc.Ancestors(ctx, p.Org); err != nil {
		return err
	}
	ids := []int64{}
	for _, m := range p.Memberships {
		ids = append(ids, m.DecidedByID, m.AdmittedOrgID)
	}
	orgs, err := h.svc.OrgRefs(ctx, ids...)
	if err != nil {
		return err
	}
	for _, m := range p.Memberships {
		v.Memberships = append(v.Memberships, membershipRow{Membership: m, DecidedBy: orgs[m.DecidedByID], Admitted: orgs[m.AdmittedOrgID]})
	}
	certs, err := h.svc.PersonCertificates(ctx, p.ID)
	if err != nil {
		return err
	}
	on := h.svc.DefaultAsOf(ctx)
	for _, c := range certs {
		v.Certs = append(v.Certs, certRow{Certificate: c, ProgrammeName: domain.ProgrammeName(c.Programme), Valid: c.ValidOn(on)})
	}
	if v.Cases, v.CanOpenCase, err = h.personCases(r, u, p.Person); err != nil {
		return err
	}
	if p.ResidenceID != 0 {
		units, err := h.svc.ResidentialUnits(ctx)
		if err != nil {
			return err
		}
		for _, ru := range units {
			if ru.ID == p.ResidenceID {
				v.Residence = residenceName(ru)
			}
		}
	}
	v.CanAdmit = h.svc.MayRecordFromPaper(ctx, p.Person)
	status := http.StatusOK
	if admit != nil {
		v.Admit = *admit
		status = admit.status
	} else {
		v.Admit = admitForm{AdmittedOrg: p.Org.Code}
		// the deciding body recorded for the unit today, as a suggestion
		if a, err := h.svc.AuthorityOn(ctx, p.Org.Code, h.svc.DefaultAsOf(ctx)); err == nil && a != nil {
			v.Admit.DecidedBy = a.Decider.Code
		}
	}
	return h.render(w, r, status, "person_show", p.FullName, "people", v)
}

// residenceName is "Thôn 3" or "Buôn Ea Yông A": the kind, unless the
// name already starts with it.
func residenceName(ru domain.ResidentialUnit) string {
	kind := domain.ResidentialKinds[ru.Kind]
	if kind == "" || strings.HasPrefix(vn.Fold(ru.Name), vn.Fold(kind)) {
		return ru.Name
	}
	return kind + " " + ru.Name
}
