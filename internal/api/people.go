package api

import (
	"net/http"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// PersonJSON is a person as the API shows it; the CCCD is masked unless
// the caller asked to reveal it (which is audited).
type PersonJSON struct {
	ID          int64            `json:"id"`
	FullName    string           `json:"full_name"`
	BirthDate   date             `json:"birth_date"`
	Sex         string           `json:"sex"`
	Ethnicity   string           `json:"ethnicity"`
	Religion    string           `json:"religion"`
	CCCD        string           `json:"cccd"`
	Education   string           `json:"education"`
	Occupation  string           `json:"occupation"`
	Workplace   string           `json:"workplace"`
	YouthUnion  bool             `json:"youth_union"`
	TradeUnion  bool             `json:"trade_union"`
	Org         string           `json:"org"`
	Stage       string           `json:"stage"`
	Version     int64            `json:"version"`
	Memberships []MembershipJSON `json:"memberships,omitempty"`
}

// MembershipJSON is one admission and what followed it, with where it
// came from: origin "case" (the decision step of a ketnap case), "paper"
// (recorded from paper) or "import" (the members import); recorded is
// true for the last two.
type MembershipJSON struct {
	DecisionNo      string `json:"decision_no"`
	DecisionDate    date   `json:"decision_date"`
	DecidedBy       string `json:"decided_by,omitempty"`
	AdmittedOrg     string `json:"admitted_org"`
	CeremonyDate    *date  `json:"ceremony_date"`
	RecognitionDate *date  `json:"recognition_date"`
	Status          string `json:"status"`
	Origin          string `json:"origin"`
	Recorded        bool   `json:"recorded"`
}

// membershipJSON is m with the codes of its organizations.
func membershipJSON(m *domain.Membership, refs map[int64]*domain.Org) MembershipJSON {
	code := func(id int64) string {
		if o := refs[id]; o != nil {
			return o.Code
		}
		return ""
	}
	return MembershipJSON{DecisionNo: m.DecisionNo, DecisionDate: date{m.DecisionDate}, DecidedBy: code(m.DecidedByID),
		AdmittedOrg: code(m.AdmittedOrgID), CeremonyDate: datePtr(m.CeremonyDate), RecognitionDate: datePtr(m.RecognitionDate),
		Status: m.Status, Origin: m.Origin, Recorded: m.Recorded()}
}

func personJSON(p *domain.Person, orgCode, cccd string) PersonJSON {
	return PersonJSON{ID: p.ID, FullName: p.FullName, BirthDate: date{p.BirthDate}, Sex: p.Sex, Ethnicity: p.Ethnicity,
		Religion: p.Religion, CCCD: cccd, Education: p.Education, Occupation: p.Occupation, Workplace: p.Workplace,
		YouthUnion: p.YouthUnion, TradeUnion: p.TradeUnion, Org: orgCode, Stage: p.Stage, Version: p.Version}
}

func (a *API) orgCodes(r *http.Request, people []*domain.Person) map[int64]string {
	var ids []int64
	for _, p := range people {
		ids = append(ids, p.OrgID)
	}
	out := map[int64]string{}
	orgs, _ := a.svc.OrgRefs(r.Context(), ids...)
	for id, o := range orgs {
		out[id] = o.Code
	}
	return out
}

func (a *API) listPeople(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, per, err := pageParams(r, 50)
	if err != nil {
		return err
	}
	var stages []string
	if s := q.Get("stage"); s != "" {
		stages = strings.Split(s, ",")
	}
	res, err := a.svc.People(r.Context(), service.PeopleQuery{OrgCode: q.Get("org"), Direct: q.Get("direct") == "true",
		Stages: stages, Query: q.Get("q"), Page: page, PerPage: per, After: q.Get("after")})
	if err != nil {
		return err
	}
	codes := a.orgCodes(r, res.People)
	out := make([]PersonJSON, len(res.People))
	for i, p := range res.People {
		out[i] = personJSON(p, codes[p.OrgID], vn.MaskCCCD(p.CCCD))
	}
	body := map[string]any{"people": out, "total": res.Total, "page": res.Page,
		"per_page": res.PerPage, "pages": res.Pages()}
	if res.More {
		body["total_more"] = true // more than total (the count stops at 10,000)
	}
	if res.Next != "" {
		body["next"] = res.Next // ?after= this for the next page, by key
	}
	httpx.WriteJSON(w, http.StatusOK, body)
	return nil
}

func (a *API) getPerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := a.svc.Person(r.Context(), id, r.URL.Query().Get("reveal") == "cccd")
	if err != nil {
		return err
	}
	out := personJSON(v.Person, v.Org.Code, v.CCCDShown)
	var ids []int64
	for _, m := range v.Memberships {
		ids = append(ids, m.AdmittedOrgID, m.DecidedByID)
	}
	refs, _ := a.svc.OrgRefs(r.Context(), ids...)
	for _, m := range v.Memberships {
		out.Memberships = append(out.Memberships, membershipJSON(m, refs))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

type personInput struct {
	FullName   string `json:"full_name"`
	BirthDate  date   `json:"birth_date"`
	Sex        string `json:"sex"`
	Ethnicity  string `json:"ethnicity"`
	Religion   string `json:"religion"`
	CCCD       string `json:"cccd"`
	Education  string `json:"education"`
	Occupation string `json:"occupation"`
	Workplace  string `json:"workplace"`
	YouthUnion bool   `json:"youth_union"`
	TradeUnion bool   `json:"trade_union"`
	Org        string `json:"org"`
	Stage      string `json:"stage"`
	Version    int64  `json:"version"`
}

func (in personInput) service() service.PersonInput {
	return service.PersonInput{FullName: in.FullName, BirthDate: in.BirthDate.Time, Sex: in.Sex, Ethnicity: in.Ethnicity,
		Religion: in.Religion, CCCD: in.CCCD, Education: in.Education, Occupation: in.Occupation, Workplace: in.Workplace,
		YouthUnion: in.YouthUnion, TradeUnion: in.TradeUnion, OrgCode: in.Org, Stage: in.Stage, Version: in.Version}
}

func (a *API) createPerson(w http.ResponseWriter, r *http.Request) error {
	var in personInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Stage == "" {
		in.Stage = domain.StageSource
	}
	p, err := a.svc.CreatePerson(r.Context(), in.service())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, personJSON(p, in.Org, vn.MaskCCCD(p.CCCD)))
	return nil
}

func (a *API) updatePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in personInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.svc.UpdatePerson(r.Context(), id, in.service())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, personJSON(p, in.Org, vn.MaskCCCD(p.CCCD)))
	return nil
}

type membershipInput struct {
	DecisionNo      string `json:"decision_no"`
	DecisionDate    date   `json:"decision_date"`
	DecidedBy       string `json:"decided_by"`
	AdmittedOrg     string `json:"admitted_org"`
	CeremonyDate    *date  `json:"ceremony_date"`
	RecognitionDate *date  `json:"recognition_date"`
	Status          string `json:"status"`
}

func (a *API) addMembership(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in membershipInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := a.svc.RecordMembership(r.Context(), id, service.MembershipInput{DecisionNo: in.DecisionNo,
		DecisionDate: in.DecisionDate.Time, DecidedByCode: in.DecidedBy, AdmittedOrgCode: in.AdmittedOrg,
		CeremonyDate: in.CeremonyDate.ptr(), RecognitionDate: in.RecognitionDate.ptr(), Status: in.Status})
	if err != nil {
		return err
	}
	refs, _ := a.svc.OrgRefs(r.Context(), m.AdmittedOrgID, m.DecidedByID)
	httpx.WriteJSON(w, http.StatusCreated, membershipJSON(m, refs))
	return nil
}
