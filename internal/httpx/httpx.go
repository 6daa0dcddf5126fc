// Package httpx is what the pages (internal/web) and the JSON API
// (internal/api) share: sessions, the signed-in user, error statuses.
package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// NewSessions returns the session manager over the service's sessions:
// server-side sessions, an HttpOnly SameSite=Lax cookie.
func NewSessions(svc *service.Service, secureCookie bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = svc.SignInSessions()
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "ketnap_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secureCookie
	sm.HashTokenInStore = true
	sm.ErrorFunc = SessionError
	sm.Codec = sessionCodec{}
	return sm
}

const (
	sessionUserKey  = "uid"
	sessionEpochKey = "epoch"
)

// SignIn starts a fresh session for the user (a new token, against
// fixation), under the user's current session epoch: disabling the user or
// setting their password ends it.
func SignIn(ctx context.Context, sm *scs.SessionManager, u *domain.User) error {
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Put(ctx, sessionUserKey, u.ID)
	sm.Put(ctx, sessionEpochKey, u.SessionEpoch)
	return nil
}

// SignOut ends the session.
func SignOut(ctx context.Context, sm *scs.SessionManager) error {
	return sm.Destroy(ctx)
}

// Authenticate puts the signed-in user (from a bearer token or the session)
// into the request context. It rejects nothing itself: the API answers 401
// and the pages redirect to the sign-in page when there is no user. It
// must run inside sm.LoadAndSave.
func Authenticate(svc *service.Service, sm *scs.SessionManager) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if h := r.Header.Get("Authorization"); h != "" {
				token, ok := strings.CutPrefix(h, "Bearer ")
				if !ok {
					WriteJSONError(w, domain.Errorf(domain.EUnauthorized, "Tiêu đề Authorization phải có dạng \"Bearer MÃ\""))
					return
				}
				tctx, u, err := svc.UserByToken(ctx, strings.TrimSpace(token))
				if err != nil {
					if domain.ErrorCode(err) != domain.EUnauthorized {
						LogError(r, err)
						err = domain.Errorf(domain.EUnauthorized, "Mã truy cập không hợp lệ hoặc đã bị thu hồi")
					}
					WriteJSONError(w, err)
					return
				}
				next.ServeHTTP(w, r.WithContext(service.WithUser(tctx, u)))
				return
			}
			// The user is read on every request: a disabled user, or a
			// session started before their password was set, is signed
			// out at once.
			if id := sm.GetInt64(ctx, sessionUserKey); id != 0 {
				if uctx, err := svc.SessionUser(ctx, id, sm.GetInt64(ctx, sessionEpochKey)); err == nil {
					ctx = uctx
				} else {
					_ = sm.Destroy(ctx)
				}
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// Status maps an application error code to its HTTP status.
func Status(code string) int {
	switch code {
	case domain.EInvalid:
		return http.StatusUnprocessableEntity
	case domain.EBadRequest:
		return http.StatusBadRequest
	case domain.ENotFound:
		return http.StatusNotFound
	case domain.EConflict:
		return http.StatusConflict
	case domain.EUnauthorized:
		return http.StatusUnauthorized
	case domain.EForbidden:
		return http.StatusForbidden
	case domain.ETooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// LogError logs errors that are not application errors (those are the
// user's, and shown to them).
func LogError(r *http.Request, err error) {
	if domain.ErrorCode(err) == domain.EInternal {
		slog.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}
