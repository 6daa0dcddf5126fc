package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// personAdmit records, from paper, the admission decision of a person
// admitted before ketnap from the form on their page (POST
// /nguoi/{id}/ket-nap): organizers and admins whose scope holds the
// deciding body, for a person who is not a member and has no open case.
func (h *Handler) personAdmit(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := personID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	f := admitForm{
		DecisionNo: pf.Get("decision_no"), DecisionDate: pf.Get("decision_date"),
		DecidedBy: strings.TrimSpace(pf.Get("decided_by")), AdmittedOrg: strings.TrimSpace(pf.Get("admitted_org")),
		CeremonyDate: pf.Get("ceremony_date"), RecognitionDate: pf.Get("recognition_date"),
	}
	f.status = http.StatusUnprocessableEntity
	e := errs{}
	in := service.MembershipInput{DecisionNo: f.DecisionNo, DecidedByCode: f.DecidedBy, AdmittedOrgCode: f.AdmittedOrg}
	in.DecisionDate = derefDate(e.date("decision_date", "Ngày quyết định", f.DecisionDate))
	in.CeremonyDate = e.date("ceremony_date", "Ngày lễ kết nạp", f.CeremonyDate)
	in.RecognitionDate = e.date("recognition_date", "Ngày công nhận chính thức", f.RecognitionDate)
	if len(e) == 0 {
		_, err = h.svc.RecordMembership(r.Context(), id, in)
		if err == nil {
			h.flash(r, "Đã ghi quyết định kết nạp số "+vn.Echo(in.DecisionNo)+".")
			http.Redirect(w, r, "/nguoi/"+strconv.FormatInt(id, 10)+"#memberships", http.StatusSeeOther)
			return nil
		}
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.ENotFound && code != domain.EConflict {
			return err
		}
		if code == domain.EConflict {
			f.status = http.StatusConflict // a member already, or an open case
		}
		e.add(err, admitFields...)
	}
	return h.renderPerson(w, r, u, id, false, &f, e)
}
