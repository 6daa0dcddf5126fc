package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"regexp"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Accounts (issue 13, item 2). A system admin manages every user; an admin
// bound to a unit and an organizer manage the users bound inside their
// subtree, and an organizer never an admin, nor makes one. Nobody disables
// themselves or changes their own role. Disabling a user or setting their
// password ends all their sessions at once (the session epoch grows); a
// disabled user's tokens are refused until they are enabled again.

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// NewUser is the input of CreateUser.
type NewUser struct {
	Username string
	FullName string
	Role     string
	OrgCode  string
	Password string
	// Temporary: the password must be changed at the first sign-in (a
	// user created on the users page gets a TemporaryPassword).
	Temporary bool
}

// TemporaryPassword returns a fresh random password to hand to a user who
// must change it at the first sign-in (a reset, a user created on the
// users page): 14 characters in groups of four, never a common one.
func TemporaryPassword() string {
	for {
		t := rand.Text()
		p := strings.ToLower(t[0:4] + "-" + t[4:8] + "-" + t[8:12])
		if CheckPassword(p, "") == nil {
			return p
		}
	}
}

// mayManageUsers is the role check of the users page and its use cases.
func mayManageUsers(me *domain.User) error {
	if me.Role == domain.RoleAdmin || me.Role == domain.RoleOrganizer {
		return nil
	}
	return domain.Errorf(domain.EForbidden, "Vai trò %s không quản lý tài khoản người dùng", domain.RoleName(me.Role))
}

// MayManageUsers reports whether the signed-in user may open the users page.
func (s *Service) MayManageUsers(ctx context.Context) bool {
	me, err := actor(ctx)
	return err == nil && mayManageUsers(me) == nil
}

// userPath is the path of the unit a user is bound to, "" for the whole system.
func userPath(u *domain.User) string { return u.OrgPath }

// managedUser returns the user with the username if me may manage them:
// bound inside me's subtree (any user for a system admin), and not an
// admin when me is an organizer.
func (s *Service) managedUser(ctx context.Context, me *domain.User, username string) (*domain.User, error) {
	if err := mayManageUsers(me); err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimSpace(username))
	u, _, err := s.store.UserByUsername(ctx, name)
	var path string
	if err == nil {
		path = userPath(u)
	}
	if err := reach(me, "username", err, path); err != nil {
		return nil, err
	}
	if me.Role != domain.RoleAdmin && u.Role == domain.RoleAdmin {
		return nil, domain.Errorf(domain.EForbidden, "Cán bộ tổ chức không quản lý tài khoản quản trị")
	}
	return u, nil
}

// userOrg resolves the scope of a user being created or edited: the unit
// with the code, inside me's subtree; none for an admin of the whole
// system (a subtree admin's admins are bound to their own unit).
func (s *Service) userOrg(ctx context.Context, me *domain.User, role, code string) (*domain.Org, error) {
	if !domain.ValidRole(role) {
		return nil, domain.FieldError("role", "Vai trò %q không hợp lệ (admin, organizer, secretary, trainer, viewer)", role)
	}
	if me.Role != domain.RoleAdmin && role == domain.RoleAdmin {
		return nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được tài khoản quản trị")
	}
	code = strings.TrimSpace(code)
	switch {
	case code != "":
		return s.orgIn(ctx, me, code, "org")
	case role != domain.RoleAdmin:
		return nil, domain.FieldError("org", "Vai trò %s phải gắn với một tổ chức (--org MÃ)", domain.RoleName(role))
	case me.OrgPath != "":
		return s.store.GetOrg(ctx, me.OrgID)
	}
	return nil, nil
}

// CreateUser adds a user. An admin may add any user in their scope; an
// organizer users bound inside their own subtree, never an admin.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*domain.User, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayManageUsers(me); err != nil {
		return nil, err
	}
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if !usernameRe.MatchString(in.Username) {
		return nil, domain.FieldError("username", "Tên đăng nhập %q không hợp lệ: 3–40 ký tự chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới", vn.Echo(in.Username))
	}
	org, err := s.userOrg(ctx, me, in.Role, in.OrgCode)
	if err != nil {
		return nil, err
	}
	if err := CheckPassword(in.Password, in.Username); err != nil {
		return nil, err
	}
	u := &domain.User{Username: in.Username, FullName: strings.TrimSpace(in.FullName), Role: in.Role, Active: true, MustChangePassword: in.Temporary}
	if org != nil {
		u.OrgID, u.OrgPath = org.ID, org.Path
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(s *Service) error {
		if err := s.store.CreateUser(ctx, u, hash, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "create", "user", u.ID, map[string]any{"username": u.Username, "role": u.Role, "org": orgCode(org), "temporary": in.Temporary})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func orgCode(o *domain.Org) string {
	if o == nil {
		return ""
	}
	return o.Code
}

// UserQuery selects a page of users.
type UserQuery struct {
	Query   string
	Page    int
	PerPage int
}

// UserPage is one page of users.
type UserPage struct {
	Users   []domain.UserRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *UserPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// Users lists the users the signed-in user manages: every user for a
// system admin, the users bound inside the subtree for the others.
func (s *Service) Users(ctx context.Context, q UserQuery) (*UserPage, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayManageUsers(me); err != nil {
		return nil, err
	}
	if q.PerPage <= 0 || q.PerPage > 500 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	rows, total, err := s.store.ListUsers(ctx, store.UserFilter{Path: scopePath(me), Query: q.Query, Limit: q.PerPage, Offset: (q.Page - 1) * q.PerPage}, s.Now())
	if err != nil {
		return nil, err
	}
	return &UserPage{Users: rows, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// AllUsers lists every user the signed-in user manages (the command line).
func (s *Service) AllUsers(ctx context.Context) ([]domain.UserRow, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayManageUsers(me); err != nil {
		return nil, err
	}
	rows, _, err := s.store.ListUsers(ctx, store.UserFilter{Path: scopePath(me)}, s.Now())
	return rows, err
}

// UserView is one user with their tokens, for the user's page.
type UserView struct {
	*domain.User
	Org       *domain.Org
	Tokens    []*domain.Token
	Self      bool // the signed-in user
	MayAdmin  bool // the signed-in user may make them an admin
	CanManage bool
}

// User returns a user the signed-in user manages.
func (s *Service) User(ctx context.Context, username string) (*UserView, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.managedUser(ctx, me, username)
	if err != nil {
		return nil, err
	}
	v := &UserView{User: u, Self: u.ID == me.ID, MayAdmin: me.Role == domain.RoleAdmin, CanManage: u.ID != me.ID}
	if u.OrgID != 0 {
		if v.Org, err = s.store.GetOrg(ctx, u.OrgID); err != nil {
			return nil, err
		}
	}
	if v.Tokens, err = s.store.ListTokens(ctx, u.ID, "/"); err != nil {
		return nil, err
	}
	return v, nil
}

// UserEdit is a change of a user's name, role and scope.
type UserEdit struct {
	FullName string
	Role     string
	OrgCode  string
}

// UpdateUser changes a user's name, role and scope.
func (s *Service) UpdateUser(ctx context.Context, username string, in UserEdit) (*domain.User, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.managedUser(ctx, me, username)
	if err != nil {
		return nil, err
	}
	if u.ID == me.ID && (in.Role != u.Role || strings.TrimSpace(in.OrgCode) != s.orgCodeOf(ctx, u)) {
		return nil, domain.Errorf(domain.EForbidden, "Không tự đổi vai trò hay phạm vi của chính mình: hãy nhờ người quản trị khác")
	}
	org, err := s.userOrg(ctx, me, in.Role, in.OrgCode)
	if err != nil {
		return nil, err
	}
	before := map[string]any{"role": u.Role, "org": s.orgCodeOf(ctx, u)}
	u.Role, u.FullName, u.OrgID, u.OrgPath = in.Role, strings.TrimSpace(in.FullName), 0, ""
	if org != nil {
		u.OrgID, u.OrgPath = org.ID, org.Path
	}
	err = s.tx(ctx, func(s *Service) error {
		if err := s.store.SetUserRole(ctx, u.ID, u.Role, u.OrgID, u.FullName); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "update", "user", u.ID, map[string]any{"username": u.Username, "before": before,
			"role": u.Role, "org": orgCode(org)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Service) orgCodeOf(ctx context.Context, u *domain.User) string {
	if u.OrgID == 0 {
		return ""
	}
	o, err := s.store.GetOrg(ctx, u.OrgID)
	if err != nil {
		return ""
	}
	return o.Code
}

// SetUserActive disables (active false) or enables a user. Disabling ends
// every session of theirs at once and their tokens stop working until
// they are enabled again.
func (s *Service) SetUserActive(ctx context.Context, username string, active bool) (*domain.User, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.managedUser(ctx, me, username)
	if err != nil {
		return nil, err
	}
	if u.ID == me.ID && !active {
		return nil, domain.Errorf(domain.EForbidden, "Không tự khóa tài khoản của chính mình")
	}
	action := "disable"
	if active {
		action = "enable"
	}
	err = s.tx(ctx, func(s *Service) error {
		if err := s.store.SetUserActive(ctx, u.ID, active); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, action, "user", u.ID, map[string]any{"username": u.Username})
	})
	if err != nil {
		return nil, err
	}
	u.Active = active
	return u, nil
}

// ResetPassword gives a user a fresh temporary password, returned to show
// once: they must change it at their next sign-in, and every session of
// theirs ends.
func (s *Service) ResetPassword(ctx context.Context, username string) (string, error) {
	me, err := actor(ctx)
	if err != nil {
		return "", err
	}
	u, err := s.managedUser(ctx, me, username)
	if err != nil {
		return "", err
	}
	if u.ID == me.ID {
		return "", domain.Errorf(domain.EForbidden, "Hãy đổi mật khẩu của chính mình ở trang “Đổi mật khẩu”")
	}
	temp := TemporaryPassword()
	hash, err := HashPassword(temp)
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(s *Service) error {
		if err := s.store.SetPassword(ctx, u.ID, hash, true); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "reset_password", "user", u.ID, map[string]any{"username": u.Username, "temporary": true})
	})
	return temp, err
}

// SetPassword sets a user's password (admins of the whole system only:
// ketnap user passwd). It is not temporary; every session of theirs ends.
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if me.Role != domain.RoleAdmin || me.OrgPath != "" {
		return domain.Errorf(domain.EForbidden, "Chỉ quản trị toàn hệ thống mới đặt được mật khẩu")
	}
	u, err := s.managedUser(ctx, me, username)
	if err != nil {
		return err
	}
	if err := CheckPassword(password, u.Username); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(s *Service) error {
		if err := s.store.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "set_password", "user", u.ID, map[string]any{"username": u.Username})
	})
}

// Tokens expire (issue 13): 90 days by default, a year at most.
const (
	TokenDays    = 90
	maxTokenDays = 365
)

// TokenInput is the input of CreateToken.
type TokenInput struct {
	Username string
	Name     string
	Days     int  // 0: TokenDays
	Metrics  bool // a token for GET /metrics only (admins of the whole system make them)
}

// CreateToken makes a bearer token for scripts acting as the user and
// returns it with its record; only its hash is stored. A user makes their
// own; an admin makes them for the users they manage.
func (s *Service) CreateToken(ctx context.Context, in TokenInput) (string, *domain.Token, error) {
	me, err := actor(ctx)
	if err != nil {
		return "", nil, err
	}
	name := strings.ToLower(strings.TrimSpace(in.Username))
	var u *domain.User
	if name == me.Username && me.ID != 0 {
		u = me
	} else {
		if me.Role != domain.RoleAdmin {
			return "", nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được mã truy cập cho người khác")
		}
		if u, err = s.managedUser(ctx, me, name); err != nil {
			return "", nil, err
		}
	}
	if in.Metrics && (me.Role != domain.RoleAdmin || me.OrgPath != "") {
		return "", nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị toàn hệ thống mới tạo được mã đọc số liệu giám sát")
	}
	days := in.Days
	if days == 0 {
		days = TokenDays
	}
	if days < 1 || days > maxTokenDays {
		return "", nil, domain.FieldError("days", "Thời hạn của mã truy cập phải từ 1 đến %d ngày", maxTokenDays)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	token := "ktn_" + base64.RawURLEncoding.EncodeToString(raw)
	label := strings.TrimSpace(in.Name)
	if label == "" {
		label = "script"
		if in.Metrics {
			label = "metrics"
		}
	}
	now := s.Now()
	expires := now.Add(time.Duration(days) * 24 * time.Hour)
	var id int64
	err = s.tx(ctx, func(s *Service) error {
		var err error
		if id, err = s.store.CreateToken(ctx, u.ID, label, tokenHash(token), now, &expires, in.Metrics); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "create", "token", id, map[string]any{"username": u.Username, "name": label,
			"expires": expires.UTC().Format(time.RFC3339), "metrics": in.Metrics})
	})
	if err != nil {
		return "", nil, err
	}
	t, err := s.store.GetToken(ctx, id)
	return token, t, err
}

// Tokens lists tokens, newest first, never their secret: a user's own; an
// admin's, those of the users they manage (username "" for all of them).
func (s *Service) Tokens(ctx context.Context, username string) ([]*domain.Token, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimSpace(username))
	if me.Role != domain.RoleAdmin || (me.ID != 0 && name == me.Username) {
		if name != "" && name != me.Username {
			return nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới xem được mã truy cập của người khác")
		}
		return s.store.ListTokens(ctx, me.ID, "/")
	}
	var uid int64
	if name != "" {
		u, err := s.managedUser(ctx, me, name)
		if err != nil {
			return nil, err
		}
		uid = u.ID
	}
	return s.store.ListTokens(ctx, uid, scopePath(me))
}

// RevokeToken revokes a token: one's own, or as an admin one of a user
// they manage. Revoking it again changes nothing.
func (s *Service) RevokeToken(ctx context.Context, id int64) (*domain.Token, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.store.GetToken(ctx, id)
	switch {
	case err == nil && t.UserID == me.ID:
	case me.Role == domain.RoleAdmin:
		var path string
		if err == nil {
			path = t.OrgPath
		}
		if err := reach(me, "id", err, path); err != nil {
			return nil, err
		}
	case err != nil && domain.ErrorCode(err) != domain.ENotFound:
		return nil, err
	default:
		return nil, outOfScope("id")
	}
	if t.RevokedAt != nil {
		return t, nil
	}
	err = s.tx(ctx, func(s *Service) error {
		if err := s.store.RevokeToken(ctx, t.ID, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "revoke", "token", t.ID, map[string]any{"username": t.Username, "name": t.Name})
	})
	if err != nil {
		return nil, err
	}
	return s.store.GetToken(ctx, id)
}
