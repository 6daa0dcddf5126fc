package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// The classes report, its lists, and a person's certificates.

func (a *API) personCertificates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	certs, err := a.svc.PersonCertificates(r.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		Certificates []*certJSON `json:"certificates"`
		Awareness    *certJSON   `json:"awareness_valid_on"`
		On           date        `json:"on"`
	}{Certificates: []*certJSON{}}
	on, err := queryDate(r, "date", a.svc.DefaultAsOf(r.Context()))
	if err != nil {
		return err
	}
	out.On = date{on}
	for _, k := range certs {
		out.Certificates = append(out.Certificates, certOf(k))
		if k.Programme == domain.ProgAwareness && k.ValidOn(on) && out.Awareness == nil {
			out.Awareness = certOf(k)
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// ProgrammeJSON is one programme's line of the classes report; the
// fields after passed are additions to the report's promised shape.
type ProgrammeJSON struct {
	Classes    int `json:"classes"`
	Learners   int `json:"learners"`
	Passed     int `json:"passed"`
	Failed     int `json:"failed"`
	Absent     int `json:"absent"`
	Ineligible int `json:"ineligible"`
	Pending    int `json:"pending"`
}

func programmeJSON(c domain.ProgrammeCount) ProgrammeJSON {
	return ProgrammeJSON{Classes: c.Classes, Learners: c.Learners, Passed: c.Passed, Failed: c.Failed, Absent: c.Absent,
		Ineligible: c.Ineligible, Pending: c.Pending}
}

// ClassReportJSON is the classes report (the CLI prints its first fields).
type ClassReportJSON struct {
	Org            orgRef         `json:"org"`
	Year           int            `json:"year"`
	AsOf           string         `json:"asof"`
	Months         int            `json:"months"`
	Awareness      ProgrammeJSON  `json:"awareness"`
	NewMember      ProgrammeJSON  `json:"new_member"`
	SourcesNotSent int            `json:"sources_not_sent"`
	ByChapter      []chapterCount `json:"sources_not_sent_by_unit"`
	Certified      int            `json:"certified_not_voted"`
	Lapsing        int            `json:"certificates_lapsing"`
	LapseDays      int            `json:"lapse_days"`
	Other          *ProgrammeJSON `json:"other,omitempty"`
}

type chapterCount struct {
	Org   orgRef `json:"org"`
	Count int    `json:"count"`
}

// NewClassReportJSON turns the report into its JSON shape.
func NewClassReportJSON(r *service.ClassReport) *ClassReportJSON {
	out := &ClassReportJSON{Org: orgRef{Code: r.Org.Code, Name: r.Org.Name}, Year: r.Year, AsOf: r.AsOf.Format(domain.DateLayout),
		Months: r.Months, Awareness: programmeJSON(r.Awareness), NewMember: programmeJSON(r.NewMember), SourcesNotSent: r.NotSent,
		ByChapter: []chapterCount{}, Certified: r.Certified, Lapsing: r.Lapsing, LapseDays: r.LapseDays}
	if r.Other.Classes > 0 {
		o := programmeJSON(r.Other)
		out.Other = &o
	}
	for _, c := range r.ByChapter {
		out.ByChapter = append(out.ByChapter, chapterCount{Org: orgRef{Code: c.Code, Name: c.Name}, Count: c.Count})
	}
	return out
}

// classReportQuery reads org, year, asof (reportQuery), months and lapse_days.
func classReportQuery(r *http.Request) (service.ClassReportQuery, error) {
	var q service.ClassReportQuery
	var err error
	if q.ReportQuery, err = reportQuery(r); err != nil {
		return q, err
	}
	if q.Months, err = queryInt(r, "months", 0); err != nil {
		return q, err
	}
	q.LapseDays, err = queryInt(r, "lapse_days", 0)
	return q, err
}

func (a *API) classReport(w http.ResponseWriter, r *http.Request) error {
	q, err := classReportQuery(r)
	if err != nil {
		return err
	}
	rep, err := a.svc.ClassReport(r.Context(), q)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, NewClassReportJSON(rep))
	return nil
}

func (a *API) sourcesNotSent(w http.ResponseWriter, r *http.Request) error {
	q, err := classReportQuery(r)
	if err != nil {
		return err
	}
	page, err := queryInt(r, "page", 1)
	if err != nil {
		return err
	}
	res, err := a.svc.SourcesNotSent(r.Context(), service.PoolQuery{ReportQuery: q.ReportQuery, Months: q.Months, Page: page})
	if err != nil {
		return err
	}
	rows := make([]domain.PersonRow, len(res.People))
	for i, p := range res.People {
		rows[i] = p.PersonRow
	}
	httpx.WriteJSON(w, http.StatusOK, peoplePage(rows, res.Total, res.Page, res.PerPage))
	return nil
}

func (a *API) awarenessHolders(w http.ResponseWriter, r *http.Request) error {
	q, err := classReportQuery(r)
	if err != nil {
		return err
	}
	page, err := queryInt(r, "page", 1)
	if err != nil {
		return err
	}
	res, err := a.svc.AwarenessHolders(r.Context(), service.PoolQuery{ReportQuery: q.ReportQuery, LapseDays: q.LapseDays, Page: page})
	if err != nil {
		return err
	}
	type row struct {
		personRowJSON
		Certificate *certJSON `json:"certificate"`
	}
	out := struct {
		People []row `json:"people"`
		Total  int   `json:"total"`
		Page   int   `json:"page"`
	}{People: []row{}, Total: res.Total, Page: res.Page}
	for _, p := range res.People {
		out.People = append(out.People, row{personRow(p.PersonRow), certOf(p.Cert)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

type personRowJSON struct {
	ID        int64  `json:"id"`
	FullName  string `json:"full_name"`
	BirthDate date   `json:"birth_date"`
	Stage     string `json:"stage"`
	Org       orgRef `json:"org"`
}

func personRow(p domain.PersonRow) personRowJSON {
	return personRowJSON{ID: p.ID, FullName: p.FullName, BirthDate: date{p.BirthDate}, Stage: p.Stage, Org: orgRef{Code: p.OrgCode, Name: p.OrgName}}
}

func peoplePage(rows []domain.PersonRow, total, page, per int) any {
	out := struct {
		People  []personRowJSON `json:"people"`
		Total   int             `json:"total"`
		Page    int             `json:"page"`
		PerPage int             `json:"per_page"`
	}{People: []personRowJSON{}, Total: total, Page: page, PerPage: per}
	for _, p := range rows {
		out.People = append(out.People, personRow(p))
	}
	return out
}
