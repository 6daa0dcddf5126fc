package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// OutboxKeyTTL is how long the page a kept form was sent on to is
// remembered under its key.
const OutboxKeyTTL = 30 * 24 * time.Hour

// OutboxKey returns the page the form with key, sent by the user, was sent
// on to when it was saved; "" when it was never saved.
func (s *Store) OutboxKey(ctx context.Context, userID int64, key string) (_ string, err error) {
	defer wrap(&err, "store.OutboxKey(%d)", userID)
	var loc string
	err = s.q.QueryRowContext(ctx, `SELECT location FROM outbox_keys WHERE user_id = $1 AND key = $2`, userID, key).Scan(&loc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return loc, mapErr(err)
}

// KeepOutboxKey remembers that the form with key was saved and sent on to
// location (the first one stays when two race), and forgets the keys
// older than OutboxKeyTTL.
func (s *Store) KeepOutboxKey(ctx context.Context, userID int64, key, location string, now time.Time) (err error) {
	defer wrap(&err, "store.KeepOutboxKey(%d)", userID)
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM outbox_keys WHERE created_at < $1`, now.Add(-OutboxKeyTTL).UTC()); err != nil {
			return mapErr(err)
		}
		_, err := tx.q.ExecContext(ctx, `INSERT INTO outbox_keys (user_id, key, location, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, key) DO NOTHING`, userID, key, location, now.UTC())
		return mapErr(err)
	})
}
