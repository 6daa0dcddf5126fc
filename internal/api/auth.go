package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// userJSON is a user as the API shows it.
type userJSON struct {
	Username string  `json:"username"`
	FullName string  `json:"full_name"`
	Role     string  `json:"role"`
	Org      *orgRef `json:"org"`
	// MustChangePassword: signed in with a temporary password; nothing
	// but POST /api/v1/auth/password is allowed until it is changed.
	MustChangePassword bool `json:"must_change_password,omitempty"`
}

func (a *API) userJSON(r *http.Request, u *domain.User) userJSON {
	out := userJSON{Username: u.Username, FullName: u.FullName, Role: u.Role, MustChangePassword: u.MustChangePassword}
	if u.OrgID != 0 {
		if refs, err := a.svc.OrgRefs(r.Context(), u.OrgID); err == nil && refs[u.OrgID] != nil {
			o := refs[u.OrgID]
			out.Org = &orgRef{Code: o.Code, Name: o.Name}
		}
	}
	return out
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.svc.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		return err
	}
	if err := httpx.SignIn(r.Context(), a.sm, u); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"user": a.userJSON(r, u)})
	return nil
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if err := httpx.SignOut(r.Context(), a.sm); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"ok": true})
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, a.userJSON(r, service.UserFrom(r.Context())))
	return nil
}
