package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// TargetJSON is one target.
type TargetJSON struct {
	Value     int            `json:"value"`
	Deadline  *date          `json:"deadline"`
	Breakdown map[string]int `json:"breakdown,omitempty"`
}

func targetJSON(t *domain.Target) *TargetJSON {
	if t == nil {
		return nil
	}
	return &TargetJSON{Value: t.Value, Deadline: datePtr(t.Deadline), Breakdown: t.Breakdown}
}

type targetRowJSON struct {
	Org   orgRef      `json:"org"`
	Quota *TargetJSON `json:"quota"`
	Plan  *TargetJSON `json:"plan"`
}

func (a *API) getTargets(w http.ResponseWriter, r *http.Request) error {
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	sh, err := a.svc.Targets(r.Context(), q)
	if err != nil {
		return err
	}
	row := func(t service.TargetRow) targetRowJSON {
		return targetRowJSON{Org: orgRef{Code: t.Org.Code, Name: t.Org.Name}, Quota: targetJSON(t.Quota), Plan: targetJSON(t.Plan)}
	}
	kids := make([]targetRowJSON, len(sh.Children))
	for i, c := range sh.Children {
		kids[i] = row(c)
	}
	u := row(sh.Unit)
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"year": sh.Year, "org": u.Org, "quota": u.Quota, "plan": u.Plan,
		"children": kids, "children_quota_sum": sh.QuotaSum, "children_plan_sum": sh.PlanSum,
		"quota_gap": sh.QuotaGap, "plan_gap": sh.PlanGap})
	return nil
}

type setTargetInput struct {
	Org       string         `json:"org"`
	Year      int            `json:"year"`
	Kind      string         `json:"kind"`
	Value     *int           `json:"value"`
	Deadline  *date          `json:"deadline"`
	Breakdown map[string]int `json:"breakdown"`
}

func (a *API) setTarget(w http.ResponseWriter, r *http.Request) error {
	var in setTargetInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	err := a.svc.SetTarget(r.Context(), service.TargetInput{OrgCode: in.Org, Year: in.Year, Kind: in.Kind, Value: in.Value,
		Deadline: in.Deadline.ptr(), Breakdown: in.Breakdown})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"ok": true})
	return nil
}
