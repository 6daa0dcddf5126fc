package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

type residentialJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	KindName string `json:"kind_name"`
	Commune  string `json:"commune"`
	Chapter  string `json:"chapter,omitempty"`
}

func (a *API) residentialUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := a.svc.ResidentialUnitsOf(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	codes := map[int64]string{}
	code := func(id int64) string {
		if id == 0 {
			return ""
		}
		if c, ok := codes[id]; ok {
			return c
		}
		if refs, err := a.svc.OrgRefs(r.Context(), id); err == nil && refs[id] != nil {
			codes[id] = refs[id].Code
		}
		return codes[id]
	}
	out := make([]residentialJSON, len(units))
	for i, u := range units {
		out[i] = residentialJSON{Code: u.Code, Name: u.Name, Kind: u.Kind, KindName: domain.ResidentialKinds[u.Kind],
			Commune: code(u.CommuneID), Chapter: code(u.ChapterID)}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"residential_units": out})
	return nil
}

type schoolJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Level    string `json:"level"`
	Students int    `json:"students"`
}

func (a *API) schools(w http.ResponseWriter, r *http.Request) error {
	// default: the school year running on the date the pages open on, as
	// the breakdowns count the high schools' enrolment.
	year, err := queryInt(r, "school_year", service.SchoolYearOf(a.svc.DefaultAsOf(r.Context())))
	if err != nil {
		return err
	}
	rows, err := a.svc.Schools(r.Context(), r.PathValue("code"), year)
	if err != nil {
		return err
	}
	out := make([]schoolJSON, len(rows))
	for i, s := range rows {
		out[i] = schoolJSON{Code: s.Code, Name: s.Name, Level: s.Level, Students: s.Students}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"school_year": year, "schools": out})
	return nil
}

type authorityJSON struct {
	Org             string `json:"org"`
	ValidFrom       date   `json:"valid_from"`
	Decider         orgRef `json:"decider"`
	Authorised      bool   `json:"authorised_grassroots"`
	SubCommittee    bool   `json:"subcommittee_step"`
	GrassrootsLevel bool   `json:"grassroots_step"`
}

func authorityOut(v *service.AuthorityView) authorityJSON {
	return authorityJSON{Org: v.Org.Code, ValidFrom: date{v.ValidFrom}, Decider: orgRef{Code: v.Decider.Code, Name: v.Decider.Name},
		Authorised: v.Authorised, SubCommittee: v.SubCommittee, GrassrootsLevel: v.GrassrootsLevel}
}

// authority answers who decides admissions under the unit on a date
// (default today), and the unit's own records.
func (a *API) authority(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	on, err := queryDate(r, "date", a.svc.DefaultAsOf(ctx))
	if err != nil {
		return err
	}
	cur, err := a.svc.AuthorityOn(ctx, r.PathValue("code"), on)
	if err != nil {
		return err
	}
	own, err := a.svc.Authorities(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	out := map[string]any{"date": date{on}, "in_force": nil, "records": []authorityJSON{}}
	if cur != nil {
		out["in_force"] = authorityOut(cur)
	}
	recs := make([]authorityJSON, len(own))
	for i, v := range own {
		recs[i] = authorityOut(v)
	}
	out["records"] = recs
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

type authorityInput struct {
	ValidFrom       date   `json:"valid_from"`
	Decider         string `json:"decider"`
	Authorised      bool   `json:"authorised_grassroots"`
	SubCommittee    bool   `json:"subcommittee_step"`
	GrassrootsLevel bool   `json:"grassroots_step"`
	// Reason: why an admin of the whole system records an authority
	// applying from a past date (required then, kept in the audit record).
	Reason string `json:"reason"`
}

func (a *API) setAuthority(w http.ResponseWriter, r *http.Request) error {
	var in authorityInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	err := a.svc.SetAuthority(r.Context(), r.PathValue("code"), domain.Authority{ValidFrom: in.ValidFrom.Time,
		Authorised: in.Authorised, SubCommittee: in.SubCommittee, GrassrootsLevel: in.GrassrootsLevel}, in.Decider, in.Reason)
	if err != nil {
		return err
	}
	return a.authority(w, r)
}
