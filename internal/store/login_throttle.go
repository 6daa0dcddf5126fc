package store

import (
	"context"
	"time"
)

// LoginAttempt is what one sign-in attempt learns from the throttle.
type LoginAttempt struct {
	// N is the attempt's number within the window: every attempt counts
	// before its password is checked, and a right password clears the
	// count (ClearLoginAttempts).
	N int
	// Prev is the time of the attempt before it within the window (zero
	// for the first).
	Prev time.Time
}

// LoginAttempt records an attempt to sign in as username at now and
// returns its number, in one statement: so that parallel attempts each get
// their own number and the lock cannot be outrun (issue 13). The count
// starts again once window has passed since the last counted attempt;
// once it reaches limit, further attempts are numbered but do not move
// the last attempt's time, so the lock lifts a window after the attempt
// that reached it.
func (s *Store) LoginAttempt(ctx context.Context, username string, now time.Time, window time.Duration, limit int) (_ LoginAttempt, err error) {
	defer wrap(&err, "store.LoginAttempt")
	ms, since := now.UnixMilli(), now.Add(-window).UnixMilli()
	var a LoginAttempt
	var prev *int64
	err = s.q.QueryRowContext(ctx, `INSERT INTO login_throttle (username, attempts, prev_ms, last_ms) VALUES ($1, 1, NULL, $2)
		ON CONFLICT (username) DO UPDATE SET
		  attempts = CASE WHEN login_throttle.last_ms <= $3 THEN 1 ELSE login_throttle.attempts + 1 END,
		  prev_ms  = CASE WHEN login_throttle.last_ms <= $3 THEN NULL ELSE login_throttle.last_ms END,
		  last_ms  = CASE WHEN login_throttle.last_ms > $3 AND login_throttle.attempts >= $4 THEN login_throttle.last_ms ELSE $2 END
		RETURNING attempts, prev_ms`, username, ms, since, limit).Scan(&a.N, &prev)
	if err != nil {
		return a, mapErr(err)
	}
	if prev != nil {
		a.Prev = time.UnixMilli(*prev)
	}
	return a, nil
}

// ClearLoginAttempts forgets the attempts of the username (after a right
// password), and those of every username quiet since before.
func (s *Store) ClearLoginAttempts(ctx context.Context, username string, before time.Time) (err error) {
	defer wrap(&err, "store.ClearLoginAttempts")
	_, err = s.q.ExecContext(ctx, `DELETE FROM login_throttle WHERE username = $1 OR last_ms < $2`, username, before.UnixMilli())
	return mapErr(err)
}

// PurgeLoginAttempts forgets the usernames quiet since before.
func (s *Store) PurgeLoginAttempts(ctx context.Context, before time.Time) (err error) {
	defer wrap(&err, "store.PurgeLoginAttempts")
	_, err = s.q.ExecContext(ctx, `DELETE FROM login_throttle WHERE last_ms < $1`, before.UnixMilli())
	return mapErr(err)
}
