package api

import (
	"net/http"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

type orgRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ProgressJSON is the progress report of CONTRACT "Progress";
// admitted_recorded and the fields after deadline are additions.
// admitted_recorded counts, among admitted, the admissions recorded (from
// paper, or by the members import) rather than reached through a case's
// decision step. projection is the admitted plus the current monthly pace
// carried to the deadline plus the cases past the chapter vote not yet
// decided on the as-of date (the funnel's forecast is the same figure).
type ProgressJSON struct {
	Org              orgRef   `json:"org"`
	Year             int      `json:"year,omitempty"`
	AsOf             string   `json:"asof,omitempty"`
	Admitted         int      `json:"admitted"`
	AdmittedRecorded int      `json:"admitted_recorded"`
	Quota            *int     `json:"quota"`
	Plan             *int     `json:"plan"`
	QuotaPercent     *float64 `json:"quota_percent"`
	PlanPercent      *float64 `json:"plan_percent"`
	Deadline         *date    `json:"deadline"`
	Class            string   `json:"class"`
	QuotaOwn         bool     `json:"quota_own"`
	PlanOwn          bool     `json:"plan_own"`
	PaceNeeded       *float64 `json:"pace_needed_per_month"`
	PaceCurrent      float64  `json:"pace_current_per_month"`
	Projection       *int     `json:"projection"`
	// At the top only: moved counts the year's admissions of units whose
	// history went to a successor outside this subtree (not counted here);
	// closed_on and successors are set for a unit closed before the as-of
	// date, whose figures run to its last day.
	Moved      *int            `json:"moved,omitempty"`
	ClosedOn   *date           `json:"closed_on,omitempty"`
	Successors []orgRef        `json:"successors,omitempty"`
	Children   []*ProgressJSON `json:"children,omitempty"`
}

// positive returns nil for a missing or zero target: CONTRACT "Progress"
// gives null where no target is set or it is zero.
func positive(p *int) *int {
	if p == nil || *p <= 0 {
		return nil
	}
	return p
}

func progressNode(r *progress.Result) *ProgressJSON {
	return &ProgressJSON{
		Org:      orgRef{Code: r.Code, Name: r.Name},
		Admitted: r.Admitted, AdmittedRecorded: r.Recorded, Quota: positive(r.Quota), Plan: positive(r.Plan),
		QuotaPercent: r.QuotaPercent, PlanPercent: r.PlanPercent,
		Deadline: datePtr(r.Deadline), Class: r.Class, QuotaOwn: r.QuotaOwn, PlanOwn: r.PlanOwn,
		PaceNeeded: r.PaceNeeded, PaceCurrent: r.PaceCurrent, Projection: r.Projection,
	}
}

// NewProgressJSON turns a progress report into its JSON shape: the unit
// with its direct children (each without children), in name order.
func NewProgressJSON(p *service.Progress) *ProgressJSON {
	out := progressNode(p.Result)
	out.Year, out.AsOf = p.Year, p.AsOf.Format(domain.DateLayout)
	out.Moved = &p.Moved
	if p.ClosedOn != nil {
		out.ClosedOn = datePtr(p.ClosedOn)
		for _, x := range p.Successors {
			out.Successors = append(out.Successors, orgRef{Code: x.Code, Name: x.Name})
		}
	}
	out.Children = make([]*ProgressJSON, 0, len(p.Children))
	for _, c := range p.Children {
		out.Children = append(out.Children, progressNode(c))
	}
	vn.SortByText(out.Children, func(c *ProgressJSON) string { return c.Org.Name }, nil)
	return out
}

// reportQuery reads a report's org, year and asof parameters, each left
// at its zero value when absent: the service resolves the defaults (the
// user's home unit, the date the pages open on, its year), as it does for
// the CLI and the pages.
func reportQuery(r *http.Request) (service.ReportQuery, error) {
	q := service.ReportQuery{OrgCode: r.URL.Query().Get("org")}
	var err error
	if q.AsOf, err = queryDate(r, "asof", time.Time{}); err != nil {
		return q, err
	}
	q.Year, err = queryInt(r, "year", 0)
	return q, err
}

func (a *API) progress(w http.ResponseWriter, r *http.Request) error {
	return a.cached(w, r, func(w http.ResponseWriter) error {
		q, err := reportQuery(r)
		if err != nil {
			return err
		}
		p, err := a.svc.Progress(r.Context(), q)
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusOK, NewProgressJSON(p))
		return nil
	}, "org", "year", "asof")
}
