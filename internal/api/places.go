package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
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
		if o, err := a.svc.Store.GetOrg(r.Context(), id); err == nil {
			codes[id] = o.Code
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
	year, err := queryInt(r, "school_year", a.svc.DefaultAsOf(r.Context()).Year()-1)
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
