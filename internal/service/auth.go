package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// argon2id parameters (OWASP: m=19 MiB, t=2, p=1; go-stack §1).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns a PHC string: $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword checks password against a PHC string from HashPassword.
func VerifyPassword(password, phc string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is compared against when the user does not exist, so that a
// wrong username takes as long as a wrong password.
var dummyHash, _ = HashPassword("ketnap-dummy-password")

var errBadLogin = domain.Errorf(domain.EUnauthorized, "Tên đăng nhập hoặc mật khẩu không đúng")

// Login throttling: after loginMaxFailures wrong passwords for a username
// within loginWindow, further attempts are refused until the window
// passes. The failures are kept in the database (login_failures), so the
// count holds across every server process sharing it.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
)

// Login checks a username and password and returns the user. Usernames
// are stored lower-cased (CreateUser), so they are matched that way.
func (s *Service) Login(ctx context.Context, username, password string) (*domain.User, error) {
	name := strings.ToLower(strings.TrimSpace(username))
	now := s.Now()
	n, err := s.store.LoginFailures(ctx, name, now.Add(-loginWindow))
	if err != nil {
		return nil, err
	}
	if n >= loginMaxFailures {
		return nil, domain.Errorf(domain.EUnauthorized, "Đăng nhập sai quá %d lần. Vui lòng thử lại sau %d phút.", loginMaxFailures, int(loginWindow.Minutes()))
	}
	u, err := s.login(ctx, name, password)
	if err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			if ferr := s.store.AddLoginFailure(ctx, name, now, now.Add(-loginWindow)); ferr != nil {
				return nil, ferr
			}
		}
		return nil, err
	}
	if n > 0 {
		if err := s.store.ClearLoginFailures(ctx, name); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func (s *Service) login(ctx context.Context, username, password string) (*domain.User, error) {
	u, hash, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			VerifyPassword(password, dummyHash)
			return nil, errBadLogin
		}
		return nil, err
	}
	if !VerifyPassword(password, hash) || !u.Active {
		return nil, errBadLogin
	}
	return u, nil
}

// UserByID returns an active user for a session.
func (s *Service) UserByID(ctx context.Context, id int64) (*domain.User, error) {
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, domain.Errorf(domain.EUnauthorized, "Tài khoản đã bị khóa")
	}
	return u, nil
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// NewUser is the input of CreateUser.
type NewUser struct {
	Username string
	FullName string
	Role     string
	OrgCode  string
	Password string
}

// CreateUser adds a user. An admin may add any user; an organizer may add
// users bound inside their own subtree, never an admin.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*domain.User, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if me.Role != domain.RoleAdmin && me.Role != domain.RoleOrganizer {
		return nil, cannotWrite(me)
	}
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if !usernameRe.MatchString(in.Username) {
		return nil, domain.FieldError("username", "Tên đăng nhập %q không hợp lệ: 3–40 ký tự chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới", in.Username)
	}
	if !domain.ValidRole(in.Role) {
		return nil, domain.FieldError("role", "Vai trò %q không hợp lệ (admin, organizer, secretary, trainer, viewer)", in.Role)
	}
	if me.Role != domain.RoleAdmin && in.Role == domain.RoleAdmin {
		return nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được tài khoản quản trị")
	}
	if utf8.RuneCountInString(in.Password) < 8 {
		return nil, domain.FieldError("password", "Mật khẩu phải có ít nhất 8 ký tự")
	}
	u := &domain.User{Username: in.Username, FullName: strings.TrimSpace(in.FullName), Role: in.Role, Active: true}
	if in.OrgCode != "" {
		org, err := s.store.GetOrgByCode(ctx, in.OrgCode)
		if err != nil {
			return nil, err
		}
		if !me.Sees(org.Path) {
			return nil, forbidden(org.Name)
		}
		u.OrgID, u.OrgPath = org.ID, org.Path
	} else if in.Role != domain.RoleAdmin {
		return nil, domain.FieldError("org", "Vai trò %s phải gắn với một tổ chức (--org MÃ)", domain.RoleName(in.Role))
	} else if me.OrgPath != "" {
		u.OrgID, u.OrgPath = me.OrgID, me.OrgPath
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateUser(ctx, u, hash, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "create", "user", u.ID, map[string]any{"username": u.Username, "role": u.Role, "org": in.OrgCode})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CreateToken makes a bearer token for scripts acting as the user and
// returns it; only its hash is stored.
func (s *Service) CreateToken(ctx context.Context, username, name string) (string, error) {
	me, err := actor(ctx)
	if err != nil {
		return "", err
	}
	u, _, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	if me.ID != u.ID && me.Role != domain.RoleAdmin {
		return "", domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được mã truy cập cho người khác")
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := "ktn_" + base64.RawURLEncoding.EncodeToString(raw)
	if name == "" {
		name = "script"
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateToken(ctx, u.ID, name, tokenHash(token), s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "create", "token", u.ID, map[string]any{"name": name})
	})
	return token, err
}

// UserByToken returns the user owning a bearer token.
func (s *Service) UserByToken(ctx context.Context, token string) (*domain.User, error) {
	if !strings.HasPrefix(token, "ktn_") {
		return nil, domain.Errorf(domain.EUnauthorized, "Mã truy cập không hợp lệ")
	}
	u, err := s.store.UserByTokenHash(ctx, tokenHash(token), s.Now())
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, domain.Errorf(domain.EUnauthorized, "Tài khoản đã bị khóa")
	}
	return u, nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ResetPassword sets a new password for a user (admins only).
func (s *Service) ResetPassword(ctx context.Context, username, password string) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if me.Role != domain.RoleAdmin || me.OrgPath != "" {
		return domain.Errorf(domain.EForbidden, "Chỉ quản trị toàn hệ thống mới đặt lại được mật khẩu")
	}
	if utf8.RuneCountInString(password) < 8 {
		return domain.FieldError("password", "Mật khẩu phải có ít nhất 8 ký tự")
	}
	u, _, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "reset_password", "user", u.ID, nil)
	})
}
