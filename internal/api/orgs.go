package api

import (
	"net/http"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// OrgJSON is an organization as the API shows it.
type OrgJSON struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	KindName  string  `json:"kind_name"`
	Sector    string  `json:"sector"`
	Parent    *string `json:"parent"`
	ValidFrom date    `json:"valid_from"`
	ValidTo   *date   `json:"valid_to"`
	Successor *string `json:"successor"`
	// YouthUnion: the unit has a Youth Union organisation (its candidates
	// of youth age who are Youth Union members go the Youth Union's route).
	YouthUnion bool  `json:"youth_union"`
	Version    int64 `json:"version"`
}

func (a *API) orgJSON(r *http.Request, o *domain.Org) OrgJSON {
	out := OrgJSON{Code: o.Code, Name: o.Name, Kind: string(o.Kind), KindName: o.Kind.Name(), Sector: string(o.Sector),
		ValidFrom: date{o.ValidFrom}, ValidTo: datePtr(o.ValidTo), YouthUnion: o.YouthUnion, Version: o.Version}
	refs, _ := a.svc.OrgRefs(r.Context(), o.ParentID, o.SuccessorID)
	ref := func(id int64) *string {
		if x := refs[id]; x != nil {
			return &x.Code
		}
		return nil
	}
	out.Parent, out.Successor = ref(o.ParentID), ref(o.SuccessorID)
	return out
}

func (a *API) getOrg(w http.ResponseWriter, r *http.Request) error {
	o, err := a.svc.Org(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.orgJSON(r, o))
	return nil
}

func (a *API) children(w http.ResponseWriter, r *http.Request) error {
	asof, err := queryDate(r, "asof", time.Time{})
	if err != nil {
		return err
	}
	_, kids, err := a.svc.Children(r.Context(), r.PathValue("code"), asof)
	if err != nil {
		return err
	}
	out := make([]OrgJSON, len(kids))
	for i, k := range kids {
		out[i] = a.orgJSON(r, k)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"children": out})
	return nil
}

func (a *API) searchOrgs(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryInt(r, "limit", 20)
	if err != nil {
		return err
	}
	orgs, err := a.svc.SearchOrgs(r.Context(), r.URL.Query().Get("q"), limit)
	if err != nil {
		return err
	}
	out := make([]OrgJSON, len(orgs))
	for i, o := range orgs {
		out[i] = a.orgJSON(r, o)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"orgs": out})
	return nil
}

type orgInput struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Sector    string `json:"sector"`
	Parent    string `json:"parent"`
	ValidFrom date   `json:"valid_from"`
	ValidTo   *date  `json:"valid_to"`
	Successor string `json:"successor"`
	// YouthUnion: absent keeps the recorded answer, or for a new unit takes
	// the default of its kind and sector (domain.DefaultYouthUnion).
	YouthUnion *bool `json:"youth_union"`
	Version    int64 `json:"version"`
}

func (in orgInput) service() service.OrgInput {
	return service.OrgInput{Code: in.Code, Name: in.Name, Kind: domain.OrgKind(in.Kind), Sector: domain.Sector(in.Sector),
		ParentCode: in.Parent, ValidFrom: in.ValidFrom.Time, ValidTo: in.ValidTo.ptr(), Successor: in.Successor, YouthUnion: in.YouthUnion,
		Version: in.Version}
}

func (a *API) createOrg(w http.ResponseWriter, r *http.Request) error {
	var in orgInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := a.svc.CreateOrg(r.Context(), in.service())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, a.orgJSON(r, o))
	return nil
}

func (a *API) updateOrg(w http.ResponseWriter, r *http.Request) error {
	var in orgInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := a.svc.UpdateOrg(r.Context(), r.PathValue("code"), in.service())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.orgJSON(r, o))
	return nil
}
