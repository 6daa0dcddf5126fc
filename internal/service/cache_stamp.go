package service

import (
	"context"
	"strconv"
	"sync"

	"ketnap/internal/domain"
)

// CacheStamp returns what a cached answer of the reports is valid for: the
// data version (one read of one row; every committed write advances it in
// its own transaction, on whichever server it is made) and today's date,
// from which the reports take their default date. Read it before
// computing the answer: the data the answer reads is then at least as new
// as the stamp. A request signed in by SessionUser reuses the version read
// there, before anything else of the request.
func (s *Service) CacheStamp(ctx context.Context) (string, error) {
	if _, err := actor(ctx); err != nil {
		return "", err
	}
	v, ok := ctx.Value(versionKey{}).(int64)
	if !ok {
		var err error
		if v, err = s.store.DataVersion(ctx); err != nil {
			return "", err
		}
	}
	return strconv.FormatInt(v, 10) + "@" + domain.Today(s.Now).Format(domain.DateLayout), nil
}

// userCache holds users read for sessions, each with the data version it
// was read at: any write to users advances the version, so a user
// disabled or rebound on any server is read afresh on the next request.
type userCache struct {
	mu sync.Mutex
	m  map[int64]cachedUser
}

type cachedUser struct {
	version int64
	u       *domain.User
}

// maxCachedUsers bounds the user cache; past it, it starts afresh.
const maxCachedUsers = 10_000

type versionKey struct{}

// SessionUser returns ctx with the signed-in user of a session (the user
// with the id, refused when missing or disabled, or when the session
// started under another epoch: disabling a user or setting their password
// ends every session of theirs at once) and the data version read
// for it, which CacheStamp then reuses: one read of the version for the
// request and, while it stands, no read of the user.
func (s *Service) SessionUser(ctx context.Context, id, epoch int64) (context.Context, error) {
	v, err := s.store.DataVersion(ctx)
	if err != nil {
		return ctx, err
	}
	var u *domain.User
	if s.users != nil {
		s.users.mu.Lock()
		if c, ok := s.users.m[id]; ok && c.version == v {
			u = c.u
		}
		s.users.mu.Unlock()
	}
	if u == nil {
		if u, err = s.UserByID(ctx, id); err != nil {
			return ctx, err
		}
		if s.users != nil {
			s.users.mu.Lock()
			if len(s.users.m) >= maxCachedUsers {
				clear(s.users.m)
			}
			s.users.m[id] = cachedUser{version: v, u: u}
			s.users.mu.Unlock()
		}
	}
	if u.SessionEpoch != epoch {
		return ctx, errSessionEnded // a session from before the user's password was set
	}
	cp := *u // the caller's copy: nothing it does reaches the cache
	return context.WithValue(WithUser(ctx, &cp), versionKey{}, v), nil
}
