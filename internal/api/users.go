package api

import (
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// Accounts, tokens and the audit log (issue 13): the twins of the users
// page, `ketnap token …` and the audit page.

func (a *API) registerUsers(auth func(string, handlerFunc)) {
	auth("POST /api/v1/auth/password", a.changePassword)
	auth("GET /api/v1/users", a.listUsers)
	auth("POST /api/v1/users", a.createUser)
	auth("GET /api/v1/users/{username}", a.getUser)
	auth("PUT /api/v1/users/{username}", a.updateUser)
	auth("POST /api/v1/users/{username}/disable", a.userActive(false))
	auth("POST /api/v1/users/{username}/enable", a.userActive(true))
	auth("POST /api/v1/users/{username}/reset-password", a.resetPassword)
	auth("GET /api/v1/tokens", a.listTokens)
	auth("POST /api/v1/tokens", a.createToken)
	auth("POST /api/v1/tokens/{id}/revoke", a.revokeToken)
	auth("GET /api/v1/audit", a.listAudit)
	auth("POST /api/v1/audit/verify", a.verifyAudit)
}

// accountJSON is a user as the users list shows them.
type accountJSON struct {
	Username           string  `json:"username"`
	FullName           string  `json:"full_name"`
	Role               string  `json:"role"`
	Org                *orgRef `json:"org"`
	Active             bool    `json:"active"`
	MustChangePassword bool    `json:"must_change_password"`
	Tokens             *int    `json:"tokens,omitempty"`
}

func accountOf(u *domain.User, org *domain.Org) accountJSON {
	out := accountJSON{Username: u.Username, FullName: u.FullName, Role: u.Role, Active: u.Active, MustChangePassword: u.MustChangePassword}
	if org != nil {
		out.Org = &orgRef{Code: org.Code, Name: org.Name}
	}
	return out
}

// tokenJSON is a token as listed: never its secret.
type tokenJSON struct {
	ID        int64      `json:"id"`
	Username  string     `json:"username"`
	Name      string     `json:"name"`
	Metrics   bool       `json:"metrics"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	LastUsed  *time.Time `json:"last_used_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	State     string     `json:"state"`
}

func (a *API) tokenJSON(t *domain.Token) tokenJSON {
	return tokenJSON{ID: t.ID, Username: t.Username, Name: t.Name, Metrics: t.Metrics, CreatedAt: t.CreatedAt,
		ExpiresAt: t.ExpiresAt, LastUsed: t.LastUsed, RevokedAt: t.RevokedAt, State: t.State(a.svc.Now())}
}

// changePassword sets the signed-in user's password (POST
// /api/v1/auth/password {"current","password"}): the way out of a
// temporary password; the session is renewed, the user's others end.
func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current  string `json:"current"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.svc.ChangePassword(r.Context(), in.Current, in.Password)
	if err != nil {
		return err
	}
	if r.Header.Get("Authorization") == "" { // a session: renewed under the new epoch
		if err := httpx.SignIn(r.Context(), a.sm, u); err != nil {
			return err
		}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"user": a.userJSON(r, u)})
	return nil
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	per, _ := strconv.Atoi(q.Get("per_page"))
	res, err := a.svc.Users(r.Context(), service.UserQuery{Query: q.Get("q"), Page: page, PerPage: per})
	if err != nil {
		return err
	}
	out := make([]accountJSON, 0, len(res.Users))
	for _, u := range res.Users {
		j := accountJSON{Username: u.Username, FullName: u.FullName, Role: u.Role, Active: u.Active, MustChangePassword: u.MustChangePassword}
		if u.OrgCode != "" {
			j.Org = &orgRef{Code: u.OrgCode, Name: u.OrgName}
		}
		n := u.Tokens
		j.Tokens = &n
		out = append(out, j)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"users": out, "total": res.Total, "page": res.Page, "per_page": res.PerPage})
	return nil
}

type userInput struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Role     string `json:"role"`
	Org      string `json:"org"`
}

// createUser creates a user with a temporary password, answered once
// (POST /api/v1/users).
func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	temp := service.TemporaryPassword()
	u, err := a.svc.CreateUser(r.Context(), service.NewUser{Username: in.Username, FullName: in.FullName, Role: in.Role, OrgCode: in.Org,
		Password: temp, Temporary: true})
	if err != nil {
		return err
	}
	v, err := a.svc.User(r.Context(), u.Username)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"user": accountOf(v.User, v.Org), "temporary_password": temp})
	return nil
}

func (a *API) userView(w http.ResponseWriter, r *http.Request, status int, username string, extra map[string]any) error {
	v, err := a.svc.User(r.Context(), username)
	if err != nil {
		return err
	}
	tokens := make([]tokenJSON, 0, len(v.Tokens))
	for _, t := range v.Tokens {
		tokens = append(tokens, a.tokenJSON(t))
	}
	out := map[string]any{"user": accountOf(v.User, v.Org), "tokens": tokens}
	for k, x := range extra {
		out[k] = x
	}
	httpx.WriteJSON(w, status, out)
	return nil
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	return a.userView(w, r, http.StatusOK, r.PathValue("username"), nil)
}

// updateUser changes a user's name, role and scope (PUT /api/v1/users/{username}).
func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	name := r.PathValue("username")
	if _, err := a.svc.UpdateUser(r.Context(), name, service.UserEdit{FullName: in.FullName, Role: in.Role, OrgCode: in.Org}); err != nil {
		return err
	}
	return a.userView(w, r, http.StatusOK, name, nil)
}

func (a *API) userActive(active bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		name := r.PathValue("username")
		if _, err := a.svc.SetUserActive(r.Context(), name, active); err != nil {
			return err
		}
		return a.userView(w, r, http.StatusOK, name, nil)
	}
}

// resetPassword gives the user a temporary password, answered once.
func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("username")
	temp, err := a.svc.ResetPassword(r.Context(), name)
	if err != nil {
		return err
	}
	return a.userView(w, r, http.StatusOK, name, map[string]any{"temporary_password": temp})
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := a.svc.Tokens(r.Context(), r.URL.Query().Get("username"))
	if err != nil {
		return err
	}
	out := make([]tokenJSON, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, a.tokenJSON(t))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

// createToken makes a token, answered once (POST /api/v1/tokens
// {"username","name","days","metrics"}).
func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Name     string `json:"name"`
		Days     int    `json:"days"`
		Metrics  bool   `json:"metrics"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Username == "" {
		in.Username = service.UserFrom(r.Context()).Username
	}
	secret, t, err := a.svc.CreateToken(r.Context(), service.TokenInput{Username: in.Username, Name: in.Name, Days: in.Days, Metrics: in.Metrics})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"token": secret, "record": a.tokenJSON(t)})
	return nil
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy mã truy cập %s", r.PathValue("id"))
	}
	t, err := a.svc.RevokeToken(r.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.tokenJSON(t))
	return nil
}

// auditJSON is one record of the audit log.
type auditJSON struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Username string    `json:"username"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID int64     `json:"entity_id"`
	Detail   string    `json:"detail"`
	Hash     string    `json:"hash"`
}

// listAudit is a page of the audit log (GET /api/v1/audit?user=&entity=&from=&to=&page=&per_page=).
func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	aq := service.AuditQuery{Username: q.Get("user"), Entity: q.Get("entity")}
	var err error
	if aq.From, err = optDate("from", q.Get("from")); err != nil {
		return err
	}
	if aq.To, err = optDate("to", q.Get("to")); err != nil {
		return err
	}
	aq.Page, _ = strconv.Atoi(q.Get("page"))
	aq.PerPage, _ = strconv.Atoi(q.Get("per_page"))
	res, err := a.svc.Audit(r.Context(), aq)
	if err != nil {
		return err
	}
	out := make([]auditJSON, 0, len(res.Entries))
	for _, e := range res.Entries {
		out = append(out, auditJSON{ID: e.ID, At: e.At, Username: e.Username, Action: e.Action, Entity: e.Entity,
			EntityID: e.EntityID, Detail: e.Detail, Hash: e.Hash})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"records": out, "total": res.Total, "page": res.Page, "per_page": res.PerPage})
	return nil
}

func optDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return domain.ParseISODate(field, s)
}

// verifyAudit checks the audit log's hash chain (admins of the whole system).
func (a *API) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	v, err := a.svc.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"ok": v.OK, "checked": v.Checked, "break_id": v.BreakID, "reason": v.Reason, "message": v.Message})
	return nil
}
