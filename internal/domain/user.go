package domain

import (
	"slices"
	"time"
)

// Roles (CONTRACT "Commands": ketnap user add).
const (
	RoleAdmin     = "admin"
	RoleOrganizer = "organizer"
	RoleSecretary = "secretary"
	RoleTrainer   = "trainer"
	RoleViewer    = "viewer"
)

// Roles with their Vietnamese names.
var Roles = []struct {
	Code string
	Name string
}{
	{RoleAdmin, "Quản trị hệ thống"},
	{RoleOrganizer, "Cán bộ tổ chức"},
	{RoleSecretary, "Bí thư chi bộ"},
	{RoleTrainer, "Cán bộ trung tâm chính trị"},
	{RoleViewer, "Lãnh đạo (chỉ xem)"},
}

// RoleName returns the Vietnamese name of a role.
func RoleName(code string) string {
	for _, r := range Roles {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}

// ValidRole reports whether code is a role.
func ValidRole(code string) bool {
	return slices.ContainsFunc(Roles, func(r struct{ Code, Name string }) bool { return r.Code == code })
}

// User is someone who signs in. Every user but an admin is bound to an
// organization and its subtree; an admin without an organization sees all.
type User struct {
	ID       int64
	Username string
	FullName string
	Role     string
	OrgID    int64  // 0 only for an admin of the whole system
	OrgPath  string // the bound organization's path, "" for the whole system
	Active   bool
	// MustChangePassword: the password is a temporary one (a reset); the
	// user may do nothing but choose a new one.
	MustChangePassword bool
	// SessionEpoch grows when the user is disabled or a password is set:
	// a session started under an earlier epoch has ended.
	SessionEpoch int64
}

// CanWrite reports whether the role may change records of the given area:
// "org" (tree, targets), "people" (people and membership facts),
// "classes" (training), "users".
func (u *User) CanWrite(area string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleOrganizer:
		return area == "org" || area == "people" || area == "classes"
	case RoleSecretary:
		return area == "people"
	case RoleTrainer:
		return area == "classes"
	}
	return false
}

// Sees reports whether the user's subtree contains the organization path.
func (u *User) Sees(path string) bool {
	return u.OrgPath == "" || (len(path) >= len(u.OrgPath) && path[:len(u.OrgPath)] == u.OrgPath)
}

// UserRow is a user as the users list shows them: with the code and name
// of the unit they are bound to and how many of their tokens still work.
type UserRow struct {
	*User
	OrgCode string
	OrgName string
	Tokens  int // tokens neither revoked nor expired
}

// Token is a bearer token as it is listed: never its secret.
type Token struct {
	ID        int64
	UserID    int64
	Username  string
	Name      string
	CreatedAt time.Time
	ExpiresAt *time.Time // nil: never (none is made so since issue 13)
	RevokedAt *time.Time
	LastUsed  *time.Time // to the hour
	Metrics   bool       // for GET /metrics only
	OrgPath   string     // the owner's scope
}

// Token states.
const (
	TokenActive  = "active"
	TokenExpired = "expired"
	TokenRevoked = "revoked"
)

// State returns the token's state at now.
func (t *Token) State(now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return TokenRevoked
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return TokenExpired
	}
	return TokenActive
}

// TokenStateName is the Vietnamese name of a token state.
func TokenStateName(state string) string {
	switch state {
	case TokenExpired:
		return "Hết hạn"
	case TokenRevoked:
		return "Đã thu hồi"
	}
	return "Đang dùng"
}
