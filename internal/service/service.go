// Package service holds ketnap's use cases. Every method checks the
// signed-in user's role and subtree, runs its writes in one transaction
// with an audit record, and returns domain errors with Vietnamese messages.
// Handlers (internal/web, internal/api) and the CLI call only this layer.
package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// Service is the application. Now is injected so that deadline tests are exact.
type Service struct {
	store *store.Store
	Now   func() time.Time
	Log   *slog.Logger
	// users remembers the signed-in users at the data version they were
	// read at (SessionUser).
	users *userCache

	// ladders, when set, remembers the admission ladders read during one
	// bulk transaction (the import replays thousands of steps, and the
	// authorities cannot change inside it); nil everywhere else.
	ladders map[ladderKey]ladder
	// pagesDay, when set, remembers the demo's date during one bulk
	// replay (stepDay); nil everywhere else.
	pagesDay *pagesDay
}

type ladderKey struct {
	org int64
	on  time.Time
}

// in returns a copy of the service bound to the transaction tx, so that a
// use case can call another inside its own transaction.
func (s *Service) in(tx *store.Store) *Service {
	c := *s
	c.store = tx
	return &c
}

// New returns a service over st with the real clock.
func New(st *store.Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, Now: time.Now, Log: log, users: &userCache{m: map[int64]cachedUser{}}}
}

type ctxKey struct{}

// WithUser returns a context carrying the signed-in user.
func WithUser(ctx context.Context, u *domain.User) context.Context {
	return context.WithValue(ctx, ctxKey{}, u)
}

// UserFrom returns the signed-in user of ctx, or nil.
func UserFrom(ctx context.Context) *domain.User {
	u, _ := ctx.Value(ctxKey{}).(*domain.User)
	return u
}

// System is the actor of administrative CLI commands run on the server
// itself (ketnap user add, ketnap demo): an admin of the whole system.
var System = &domain.User{ID: 0, Username: "system", Role: domain.RoleAdmin, Active: true}

// actor returns the user of ctx or a 401 error. A user whose password is
// temporary may do nothing but change it (ChangePassword), and a token
// made for the metrics reads nothing but /metrics: both are refused here,
// once for every use case.
func actor(ctx context.Context) (*domain.User, error) {
	u := UserFrom(ctx)
	if u == nil || !u.Active {
		return nil, domain.Errorf(domain.EUnauthorized, "Bạn cần đăng nhập")
	}
	if u.MustChangePassword {
		return nil, errMustChange
	}
	if t, _ := ctx.Value(tokenKey{}).(*domain.Token); t != nil && t.Metrics {
		return nil, domain.Errorf(domain.EForbidden, "Mã truy cập này chỉ dùng để đọc số liệu giám sát (/metrics)")
	}
	return u, nil
}

// errMustChange refuses everything but a new password to a user whose
// password is temporary.
var errMustChange = domain.Errorf(domain.EForbidden, "Mật khẩu của bạn là mật khẩu tạm thời: hãy đổi mật khẩu trước khi tiếp tục")

// tx runs fn with the service bound to one transaction.
func (s *Service) tx(ctx context.Context, fn func(s *Service) error) error {
	return s.store.Tx(ctx, func(tx *store.Store) error { return fn(s.in(tx)) })
}

// scopePath is the path of the user's subtree ("/" for everything).
func scopePath(u *domain.User) string {
	if u.OrgPath == "" {
		return "/"
	}
	return u.OrgPath
}

// cannotWrite is the error for a role that may only read.
func cannotWrite(u *domain.User) error {
	return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép thay đổi dữ liệu này", domain.RoleName(u.Role))
}

// audit writes an audit record for the action inside the transaction tx
// (store.AuditBatch chains it).
func (s *Service) audit(ctx context.Context, tx *store.Store, u *domain.User, action, entity string, id int64, detail any) error {
	r, err := auditRecord(s.Now(), u, action, entity, id, detail)
	if err != nil {
		return err
	}
	return tx.AuditBatch(ctx, []store.AuditRecord{r})
}

// auditRecord is the record of an action, its detail as JSON.
func auditRecord(at time.Time, u *domain.User, action, entity string, id int64, detail any) (store.AuditRecord, error) {
	r := store.AuditRecord{At: at, UserID: u.ID, Action: action, Entity: entity, EntityID: id}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return r, err
		}
		r.Detail = string(b)
	}
	return r, nil
}

// Meta keys.
const (
	metaDemoAsOf  = "demo_asof"   // the date the demo district stands on
	metaDemoUntil = "demo_latest" // the last day the demo's history reaches
)

// DefaultAsOf is the date pages open on: the demo's date when the demo is
// loaded (DOMAIN §9), today in Vietnam otherwise.
func (s *Service) DefaultAsOf(ctx context.Context) time.Time {
	if v, err := s.store.GetMeta(ctx, metaDemoAsOf); err == nil && v != "" {
		if t, err := time.Parse(domain.DateLayout, v); err == nil {
			return t
		}
	}
	return domain.Today(s.Now)
}

// DemoAsOf returns the demo's date and true when the demo is loaded.
func (s *Service) DemoAsOf(ctx context.Context) (time.Time, bool) {
	v, err := s.store.GetMeta(ctx, metaDemoAsOf)
	if err != nil || v == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(domain.DateLayout, v)
	return t, err == nil
}

// MarkDemo records that the demo district stands on asof.
func (s *Service) MarkDemo(ctx context.Context, asof time.Time) error {
	return s.store.SetMeta(ctx, metaDemoAsOf, asof.Format(domain.DateLayout))
}

// MarkDemoLatest records the last day the demo's history reaches (its
// pages open on the demo's date, with a link to that day).
func (s *Service) MarkDemoLatest(ctx context.Context, latest time.Time) error {
	return s.store.SetMeta(ctx, metaDemoUntil, latest.Format(domain.DateLayout))
}

// DemoLatest returns the last day the demo's history reaches and true,
// when the demo is loaded and records one.
func (s *Service) DemoLatest(ctx context.Context) (time.Time, bool) {
	if _, ok := s.DemoAsOf(ctx); !ok {
		return time.Time{}, false
	}
	v, err := s.store.GetMeta(ctx, metaDemoUntil)
	if err != nil || v == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(domain.DateLayout, v)
	return t, err == nil
}

// SessionStore is where the session manager keeps the signed-in sessions
// (the sessions table); scs.Store's methods.
type SessionStore interface {
	Find(token string) ([]byte, bool, error)
	Commit(token string, b []byte, expiry time.Time) error
	Delete(token string) error
}

// SignInSessions returns the store of the signed-in sessions, for the session
// manager of the pages and the API.
func (s *Service) SignInSessions() SessionStore { return s.store.SignInSessions() }

// Ping reports whether the database answers, for /healthz.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// Close closes the database.
func (s *Service) Close() error { return s.store.Close() }
