package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The users page (issue 13): system admins manage every user; subtree
// admins and organizers the users bound inside their subtree (an
// organizer never an admin). List, create (with a temporary password
// shown once), change name, role and scope, disable, enable, reset the
// password (a new temporary one), revoke tokens.

func (h *Handler) registerUsers(mux *http.ServeMux) {
	mux.Handle("GET /nguoi-dung", h.page(h.userList))
	mux.Handle("GET /nguoi-dung/moi", h.page(h.userNewForm))
	mux.Handle("POST /nguoi-dung/moi", h.page(h.userCreate))
	mux.Handle("GET /nguoi-dung/{username}", h.page(h.userShow))
	mux.Handle("POST /nguoi-dung/{username}/sua", h.page(h.userUpdate))
	mux.Handle("POST /nguoi-dung/{username}/khoa", h.page(h.userActive(false)))
	mux.Handle("POST /nguoi-dung/{username}/mo-khoa", h.page(h.userActive(true)))
	mux.Handle("POST /nguoi-dung/{username}/mat-khau-tam", h.page(h.userReset))
	mux.Handle("POST /nguoi-dung/{username}/ma/{id}/thu-hoi", h.page(h.userRevokeToken))
}

const usersPerPage = 50

type userListView struct {
	Q     string
	Page  *service.UserPage
	First int
}

// userList lists the users the signed-in user manages (GET /nguoi-dung?q=&page=).
func (h *Handler) userList(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	qv := r.URL.Query()
	page, _ := strconv.Atoi(qv.Get("page"))
	v := userListView{Q: vn.Clean(qv.Get("q"))}
	res, err := h.svc.Users(r.Context(), service.UserQuery{Query: v.Q, Page: max(page, 1), PerPage: usersPerPage})
	if err != nil {
		return err
	}
	v.Page, v.First = res, (res.Page-1)*res.PerPage+1
	return h.render(w, r, http.StatusOK, "user_list", "Người dùng", "users", v)
}

// userForm is what the user typed in a user's form.
type userForm struct {
	Username, FullName, Role, Org string
}

type userFormView struct {
	Form   userForm
	Errors errs
	Roles  codeNames
	Orgs   []*domain.Org
}

// roleOrgFields is the data of the role and scope fields (layout's "user-role-org").
type roleOrgFields struct {
	Form   userForm
	Errors errs
	Roles  codeNames
	Orgs   []*domain.Org
}

// Fields is the data of the role and scope fields.
func (v userFormView) Fields() roleOrgFields { return roleOrgFields(v) }

// Fields is the data of the role and scope fields.
func (v userShowView) Fields() roleOrgFields { return roleOrgFields{v.Form, v.Errors, v.Roles, v.Orgs} }

// roleChoices are the roles the signed-in user may give.
func roleChoices(u *domain.User) codeNames {
	var out codeNames
	for _, r := range domain.Roles {
		if r.Code == domain.RoleAdmin && u.Role != domain.RoleAdmin {
			continue
		}
		out = append(out, struct{ Code, Name string }{r.Code, r.Name})
	}
	return out
}

func (h *Handler) renderUserForm(w http.ResponseWriter, r *http.Request, u *domain.User, status int, v userFormView) error {
	v.Roles = roleChoices(u)
	if v.Errors == nil {
		v.Errors = errs{}
	}
	var err error
	if v.Orgs, err = h.svc.SearchOrgs(r.Context(), "", 100); err != nil {
		return err
	}
	return h.render(w, r, status, "user_form", "Thêm người dùng", "users", v)
}

// userNewForm shows the form of a new user (GET /nguoi-dung/moi).
func (h *Handler) userNewForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if !h.svc.MayManageUsers(r.Context()) {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không quản lý tài khoản người dùng", domain.RoleName(u.Role))
	}
	f := userForm{Role: domain.RoleSecretary}
	if home, err := h.svc.HomeOrg(r.Context()); err == nil && u.OrgID != 0 {
		f.Org = home.Code
	}
	return h.renderUserForm(w, r, u, http.StatusOK, userFormView{Form: f})
}

// userCreate creates the user with a temporary password, shown once on
// the user's page (POST /nguoi-dung/moi).
func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	pf := r.PostForm
	f := userForm{Username: strings.TrimSpace(pf.Get("username")), FullName: pf.Get("full_name"), Role: pf.Get("role"), Org: strings.TrimSpace(pf.Get("org"))}
	temp := service.TemporaryPassword()
	nu, err := h.svc.CreateUser(r.Context(), service.NewUser{Username: f.Username, FullName: f.FullName, Role: f.Role, OrgCode: f.Org,
		Password: temp, Temporary: true})
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EInvalid && c != domain.EConflict && c != domain.EForbidden {
			return err
		}
		e := errs{}
		e.add(err, "username", "full_name", "role", "org")
		return h.renderUserForm(w, r, u, statusOf(err), userFormView{Form: f, Errors: e})
	}
	return h.showUser(w, r, http.StatusCreated, nu.Username, userNotice{Temporary: temp, Created: true})
}

// userNotice is what the user's page says after an action.
type userNotice struct {
	Temporary string // a temporary password, shown once
	Created   bool
	Message   string
}

type userShowView struct {
	*service.UserView
	Form   userForm
	Errors errs
	Roles  codeNames
	Orgs   []*domain.Org
	Notice userNotice
	Now    timeNow
}

// timeNow gives the templates the state of a token at the service's clock.
type timeNow struct{ svc *service.Service }

// TokenState is the Vietnamese state of t now.
func (n timeNow) TokenState(t *domain.Token) string {
	return domain.TokenStateName(t.State(n.svc.Now()))
}

// TokenActive reports whether t works now.
func (n timeNow) TokenActive(t *domain.Token) bool { return t.State(n.svc.Now()) == domain.TokenActive }

func (h *Handler) showUser(w http.ResponseWriter, r *http.Request, status int, username string, n userNotice) error {
	return h.renderUser(w, r, status, username, n, nil, nil)
}

func (h *Handler) renderUser(w http.ResponseWriter, r *http.Request, status int, username string, n userNotice, f *userForm, e errs) error {
	ctx := r.Context()
	uv, err := h.svc.User(ctx, username)
	if err != nil {
		return err
	}
	me := service.UserFrom(ctx)
	v := userShowView{UserView: uv, Notice: n, Roles: roleChoices(me), Errors: e, Now: timeNow{h.svc}}
	if v.Errors == nil {
		v.Errors = errs{}
	}
	if f != nil {
		v.Form = *f
	} else {
		v.Form = userForm{Username: uv.Username, FullName: uv.FullName, Role: uv.Role}
		if uv.Org != nil {
			v.Form.Org = uv.Org.Code
		}
	}
	if v.Orgs, err = h.svc.SearchOrgs(ctx, "", 100); err != nil {
		return err
	}
	return h.render(w, r, status, "user_show", "Người dùng "+uv.Username, "users", v)
}

// userShow shows a user with their tokens (GET /nguoi-dung/{username}).
func (h *Handler) userShow(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.showUser(w, r, http.StatusOK, r.PathValue("username"), userNotice{})
}

// userUpdate changes a user's name, role and scope (POST /nguoi-dung/{username}/sua).
func (h *Handler) userUpdate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	pf := r.PostForm
	name := r.PathValue("username")
	f := userForm{Username: name, FullName: pf.Get("full_name"), Role: pf.Get("role"), Org: strings.TrimSpace(pf.Get("org"))}
	_, err := h.svc.UpdateUser(r.Context(), name, service.UserEdit{FullName: f.FullName, Role: f.Role, OrgCode: f.Org})
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EInvalid && !(c == domain.EForbidden && fieldOf(err) == "org") {
			return err
		}
		e := errs{}
		e.add(err, "full_name", "role", "org")
		return h.renderUser(w, r, statusOf(err), name, userNotice{}, &f, e)
	}
	return h.showUser(w, r, http.StatusOK, name, userNotice{Message: "Đã lưu vai trò và phạm vi."})
}

// userActive disables or enables a user (POST …/khoa, …/mo-khoa).
func (h *Handler) userActive(active bool) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, u *domain.User) error {
		name := r.PathValue("username")
		if _, err := h.svc.SetUserActive(r.Context(), name, active); err != nil {
			return err
		}
		msg := "Đã khóa tài khoản: mọi phiên đăng nhập và mã truy cập của tài khoản này dừng ngay."
		if active {
			msg = "Đã mở khóa tài khoản."
		}
		return h.showUser(w, r, http.StatusOK, name, userNotice{Message: msg})
	}
}

// userReset gives the user a temporary password, shown once (POST …/mat-khau-tam).
func (h *Handler) userReset(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	name := r.PathValue("username")
	temp, err := h.svc.ResetPassword(r.Context(), name)
	if err != nil {
		return err
	}
	return h.showUser(w, r, http.StatusOK, name, userNotice{Temporary: temp})
}

// userRevokeToken revokes one of the user's tokens (POST …/ma/{id}/thu-hoi).
func (h *Handler) userRevokeToken(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	name := r.PathValue("username")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy mã truy cập %s", r.PathValue("id"))
	}
	// the token must be the user's: the page names it
	uv, err := h.svc.User(r.Context(), name)
	if err != nil {
		return err
	}
	owned := false
	for _, t := range uv.Tokens {
		owned = owned || t.ID == id
	}
	if !owned {
		return domain.Errorf(domain.ENotFound, "Tài khoản %s không có mã truy cập số %d", uv.Username, id)
	}
	t, err := h.svc.RevokeToken(r.Context(), id)
	if err != nil {
		return err
	}
	return h.showUser(w, r, http.StatusOK, name, userNotice{Message: "Đã thu hồi mã truy cập số " + strconv.FormatInt(t.ID, 10) + " (" + t.Name + ")."})
}
