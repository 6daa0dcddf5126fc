package web

import (
	"net/http"

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
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout ends the session (POST /dang-xuat).
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := httpx.SignOut(r.Context(), h.sm); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}
