package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/rules"
)

// rulesCheck is POST /api/v1/rules/check (CONTRACT "Dossier check"): it
// evaluates the case in the body against the admission rules and stores
// nothing. Any signed-in user may call it: the case is in the request, no
// organization's data is read. 200 with the result, whether or not the
// case passes; 422 for unknown fields or bad values, 400 for malformed JSON.
func (a *API) rulesCheck(w http.ResponseWriter, r *http.Request) error {
	var in rules.CheckInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	res, err := rules.Check(in, domain.Today(a.svc.Now))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}
