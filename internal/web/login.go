package web

import (
	"net/http"
	"net/url"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

type loginView struct {
	Username string
	Next     string
	Error    string
}

// loginForm shows the sign-in form (GET /dang-nhap); a signed-in user
// goes straight on.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if service.UserFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.show(w, r, http.StatusOK, loginView{Next: next})
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	if err := h.render(w, r, status, "login", "Đăng nhập", "", v); err != nil {
		h.fail(w, r, err)
	}
}

// login checks the credentials (POST /dang-nhap), starts a session and
// goes to the page asked for.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, domain.Errorf(domain.EBadRequest, "Biểu mẫu đăng nhập không hợp lệ"))
		return
	}
	v := loginView{Username: r.PostForm.Get("username"), Next: localPath(r.PostForm.Get("next"))}
	u, err := h.svc.Login(r.Context(), v.Username, r.PostForm.Get("password"))
	if err != nil {
		if domain.ErrorCode(err) != domain.EUnauthorized {
			h.fail(w, r, err)
			return
		}
		v.Error = domain.ErrorMessage(err)
		h.show(w, r, http.StatusUnauthorized, v)
		return
	}
	if err := httpx.SignIn(r.Context(), h.sm, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if u.MustChangePassword { // a temporary password: the sign-in goes on with a new one
		http.Redirect(w, r, "/doi-mat-khau?"+url.Values{"next": {v.Next}}.Encode(), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// toPassword sends a user whose password is temporary to the page that
// asks for a new one, coming back to this page after.
func toPassword(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = "/"
	}
	http.Redirect(w, r, "/doi-mat-khau?"+url.Values{"next": {next}}.Encode(), http.StatusSeeOther)
}

type passwordView struct {
	Forced bool // the password is temporary: the sign-in asks for a new one
	Next   string
	Errors errs
}

// passwordForm asks the signed-in user for a new password (GET
// /doi-mat-khau): after a sign-in with a temporary password, or when they
// choose to change it.
func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request) {
	u := service.UserFrom(r.Context())
	if u == nil {
		toLogin(w, r)
		return
	}
	v := passwordView{Forced: u.MustChangePassword, Next: localPath(r.URL.Query().Get("next")), Errors: errs{}}
	if err := h.render(w, r, http.StatusOK, "password", "Đổi mật khẩu", "", v); err != nil {
		h.fail(w, r, err)
	}
}

// passwordChange sets the new password (POST /doi-mat-khau), renews the
// session (the user's other sessions end) and goes on.
func (h *Handler) passwordChange(w http.ResponseWriter, r *http.Request) {
	u := service.UserFrom(r.Context())
	if u == nil {
		toLogin(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ"))
		return
	}
	pf := r.PostForm
	v := passwordView{Forced: u.MustChangePassword, Next: localPath(pf.Get("next")), Errors: errs{}}
	next := pf.Get("password")
	if next != pf.Get("repeat") {
		v.Errors["repeat"] = "Hai lần nhập mật khẩu mới không giống nhau"
	} else if nu, err := h.svc.ChangePassword(r.Context(), pf.Get("current"), next); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			h.fail(w, r, err)
			return
		}
		v.Errors.add(err, "current", "password")
	} else {
		if err := httpx.SignIn(r.Context(), h.sm, nu); err != nil {
			h.fail(w, r, err)
			return
		}
		http.Redirect(w, r, v.Next, http.StatusSeeOther)
		return
	}
	if err := h.render(w, r, http.StatusUnprocessableEntity, "password", "Đổi mật khẩu", "", v); err != nil {
		h.fail(w, r, err)
	}
}

// logout ends the session (POST /dang-xuat).
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := httpx.SignOut(r.Context(), h.sm); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}
