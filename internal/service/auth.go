package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"ketnap/internal/domain"
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

// Sign-in throttling (issue 13). Every attempt for a username is counted
// before its password is checked, and the count and the lock are one
// statement (store.LoginAttempt), so that parallel attempts cannot outrun
// it: past loginMaxFailures attempts within loginWindow the username is
// locked until the window has passed since the attempt that reached the
// limit. From the fourth attempt on, each must wait a growing delay after
// the one before (1, 2, 4 … 60 s), or it is refused unchecked. A right
// password clears the count. The count is kept in the database
// (login_throttle), so it holds across every server sharing it.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
	loginFreeTries   = 3
	loginMaxDelay    = time.Minute
)

// loginDelay is the wait required after failures attempts.
func loginDelay(failures int) time.Duration {
	if failures < loginFreeTries {
		return 0
	}
	d := time.Second << min(failures-loginFreeTries, 10)
	return min(d, loginMaxDelay)
}

// Login checks a username and password and returns the user. Usernames
// are stored lower-cased (CreateUser), so they are matched that way. A
// user whose password is temporary (MustChangePassword) signs in to
// choose a new one, and can do nothing else until then (actor).
func (s *Service) Login(ctx context.Context, username, password string) (*domain.User, error) {
	name := strings.ToLower(strings.TrimSpace(username))
	now := s.Now()
	a, err := s.store.LoginAttempt(ctx, name, now, loginWindow, loginMaxFailures)
	if err != nil {
		return nil, err
	}
	if a.N > loginMaxFailures {
		left := a.Prev.Add(loginWindow).Sub(now)
		mins := int((left + time.Minute - 1) / time.Minute)
		return nil, domain.Errorf(domain.EUnauthorized, "Đăng nhập sai quá %d lần. Vui lòng thử lại sau %d phút.", loginMaxFailures, max(mins, 1))
	}
	if wait := loginDelay(a.N - 1); wait > 0 && !a.Prev.IsZero() && now.Before(a.Prev.Add(wait)) {
		secs := int((a.Prev.Add(wait).Sub(now) + time.Second - 1) / time.Second)
		return nil, domain.Errorf(domain.EUnauthorized, "Đăng nhập sai nhiều lần liên tiếp. Vui lòng chờ %d giây rồi thử lại.", max(secs, 1))
	}
	u, err := s.login(ctx, name, password)
	if err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			if perr := s.store.PurgeLoginAttempts(ctx, now.Add(-loginWindow)); perr != nil {
				s.Log.Warn("purging old sign-in attempts", "err", perr)
			}
		}
		return nil, err
	}
	if err := s.store.ClearLoginAttempts(ctx, name, now.Add(-loginWindow)); err != nil {
		return nil, err
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

var errSessionEnded = domain.Errorf(domain.EUnauthorized, "Phiên đăng nhập đã kết thúc (tài khoản bị khóa hoặc mật khẩu đã đổi). Vui lòng đăng nhập lại.")

// UserByID returns an active user.
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

// ChangePassword sets a new password for the signed-in user, who gives
// the current one: the way out of a temporary password. The user's other
// sessions end (the caller renews its own with the returned user).
func (s *Service) ChangePassword(ctx context.Context, current, next string) (*domain.User, error) {
	me := UserFrom(ctx)
	if me == nil || !me.Active || me.ID == 0 {
		return nil, domain.Errorf(domain.EUnauthorized, "Bạn cần đăng nhập")
	}
	_, hash, err := s.store.UserByUsername(ctx, me.Username)
	if err != nil {
		return nil, err
	}
	if !VerifyPassword(current, hash) {
		return nil, domain.FieldError("current", "Mật khẩu hiện tại không đúng")
	}
	if current == next {
		return nil, domain.FieldError("password", "Mật khẩu mới phải khác mật khẩu hiện tại")
	}
	if err := CheckPassword(next, me.Username); err != nil {
		return nil, err
	}
	nh, err := HashPassword(next)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(s *Service) error {
		if err := s.store.SetPassword(ctx, me.ID, nh, false); err != nil {
			return err
		}
		return s.audit(ctx, s.store, me, "change_password", "user", me.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.store.GetUser(ctx, me.ID)
}

// tokenHash is the SHA-256 of a bearer token: only it is stored.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokenTouchEvery is how stale a token's recorded last use may get before
// a use writes it again: one write an hour, not one per request.
const tokenTouchEvery = time.Hour

type tokenKey struct{}

// UserByToken returns the user owning a bearer token that is neither
// revoked nor expired, and a context that knows the token: a token made
// for the metrics (CreateToken with Metrics) reads /metrics and nothing
// else (actor refuses it). Its last use is recorded to the hour.
func (s *Service) UserByToken(ctx context.Context, token string) (context.Context, *domain.User, error) {
	if !strings.HasPrefix(token, "ktn_") {
		return ctx, nil, domain.Errorf(domain.EUnauthorized, "Mã truy cập không hợp lệ")
	}
	t, u, err := s.store.TokenByHash(ctx, tokenHash(token))
	if err != nil {
		return ctx, nil, err
	}
	now := s.Now()
	switch t.State(now) {
	case domain.TokenRevoked:
		return ctx, nil, domain.Errorf(domain.EUnauthorized, "Mã truy cập đã bị thu hồi")
	case domain.TokenExpired:
		return ctx, nil, domain.Errorf(domain.EUnauthorized, "Mã truy cập đã hết hạn ngày %s", t.ExpiresAt.In(domain.Vietnam).Format("02/01/2006"))
	}
	if !u.Active {
		return ctx, nil, domain.Errorf(domain.EUnauthorized, "Tài khoản đã bị khóa")
	}
	if t.LastUsed == nil || now.Sub(*t.LastUsed) >= tokenTouchEvery {
		if err := s.store.TouchToken(ctx, t.ID, now, now.Add(-tokenTouchEvery)); err != nil {
			s.Log.Warn("recording a token's use", "token", t.ID, "err", err)
		}
	}
	return context.WithValue(ctx, tokenKey{}, t), u, nil
}

// MetricsAllowed reports whether the request's bearer token carries the
// metrics permission.
func MetricsAllowed(ctx context.Context) bool {
	t, _ := ctx.Value(tokenKey{}).(*domain.Token)
	return t != nil && t.Metrics
}
