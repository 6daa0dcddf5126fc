package store

import (
	"context"
	"time"

	"ketnap/internal/domain"
)

// MaxPendingImportsPerUser bounds the files kept for one user: past it, the
// oldest are dropped when a new one is kept (each may weigh 20 MB).
const MaxPendingImportsPerUser = 5

// PutPendingImport keeps p. On the way it purges the files of every user
// kept before expiredBefore and the user's oldest files past
// MaxPendingImportsPerUser, so that the table never grows unattended.
func (s *Store) PutPendingImport(ctx context.Context, p *domain.PendingImport, expiredBefore time.Time) (err error) {
	defer wrap(&err, "store.PutPendingImport")
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.PurgePendingImports(ctx, expiredBefore); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO pending_imports (token, user_id, kind, file_name, sha256, data, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			p.Token, p.UserID, p.Kind, p.FileName, p.SHA256, p.Data, p.CreatedAt.UTC()); err != nil {
			return mapErr(err)
		}
		// The new file stays whatever the clock says; of the others, the
		// newest are kept.
		_, err := tx.q.ExecContext(ctx, `DELETE FROM pending_imports WHERE user_id = $1 AND token <> $2 AND token NOT IN (
			SELECT token FROM pending_imports WHERE user_id = $1 AND token <> $2 ORDER BY created_at DESC, token LIMIT $3)`,
			p.UserID, p.Token, MaxPendingImportsPerUser-1)
		return mapErr(err)
	})
}

// GetPendingImport returns the file kept under token for the user; a token
// that is unknown, purged or another user's is not found (ENotFound).
// Whether it is still recent enough is the caller's decision (CreatedAt).
func (s *Store) GetPendingImport(ctx context.Context, token string, userID int64) (_ *domain.PendingImport, err error) {
	defer wrap(&err, "store.GetPendingImport(%d)", userID)
	p := &domain.PendingImport{}
	var at timeCol
	err = s.q.QueryRowContext(ctx, `SELECT token, user_id, kind, file_name, sha256, data, created_at
		FROM pending_imports WHERE token = $1 AND user_id = $2`, token, userID).
		Scan(&p.Token, &p.UserID, &p.Kind, &p.FileName, &p.SHA256, &p.Data, &at)
	if err != nil {
		return nil, notFound(err, "Không tìm thấy tệp đã kiểm tra")
	}
	p.CreatedAt = at.T
	return p, nil
}

// DeletePendingImport drops the user's file kept under token (after it was
// imported); deleting one that is gone already is not an error.
func (s *Store) DeletePendingImport(ctx context.Context, token string, userID int64) (err error) {
	defer wrap(&err, "store.DeletePendingImport(%d)", userID)
	_, err = s.q.ExecContext(ctx, `DELETE FROM pending_imports WHERE token = $1 AND user_id = $2`, token, userID)
	return mapErr(err)
}

// PurgePendingImports drops the files kept before the time and returns
// how many.
func (s *Store) PurgePendingImports(ctx context.Context, before time.Time) (_ int64, err error) {
	defer wrap(&err, "store.PurgePendingImports")
	res, err := s.q.ExecContext(ctx, `DELETE FROM pending_imports WHERE created_at < $1`, before.UTC())
	if err != nil {
		return 0, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n, mapErr(err)
}
