package store

import (
	"context"
	"time"
)

// LoginFailures counts the wrong passwords recorded for the username since
// the time.
func (s *Store) LoginFailures(ctx context.Context, username string, since time.Time) (_ int, err error) {
	defer wrap(&err, "store.LoginFailures")
	var n int
	err = s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2`,
		username, since.UTC()).Scan(&n)
	return n, mapErr(err)
}

// AddLoginFailure records a wrong password for the username at the time,
// and drops the failures recorded before purgeBefore (of any username).
func (s *Store) AddLoginFailure(ctx context.Context, username string, at, purgeBefore time.Time) (err error) {
	defer wrap(&err, "store.AddLoginFailure")
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, purgeBefore.UTC()); err != nil {
			return mapErr(err)
		}
		_, err := tx.q.ExecContext(ctx, `INSERT INTO login_failures (username, at) VALUES ($1, $2)`, username, at.UTC())
		return mapErr(err)
	})
}

// ClearLoginFailures forgets the failures of the username (after a
// successful sign-in).
func (s *Store) ClearLoginFailures(ctx context.Context, username string) (err error) {
	defer wrap(&err, "store.ClearLoginFailures")
	_, err = s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, username)
	return mapErr(err)
}
