package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"ketnap/internal/domain"
)

const userCols = `u.id, u.username, u.full_name, u.role, u.org_id, COALESCE(o.path, ''), u.active`

func scanUser(row interface{ Scan(...any) error }) (*domain.User, error) {
	var u domain.User
	var org nullID
	if err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &org, &u.OrgPath, &u.Active); err != nil {
		return nil, err
	}
	u.OrgID = int64(org)
	return &u, nil
}

// CreateUser inserts a user with an already hashed password.
func (s *Store) CreateUser(ctx context.Context, u *domain.User, hash string, now time.Time) (err error) {
	defer wrap(&err, "store.CreateUser")
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO users (username, full_name, password_hash, role, org_id, active, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Username, u.FullName, hash, u.Role, nullInt(u.OrgID), u.Active, now.UTC()).Scan(&u.ID)
	err = mapErr(err)
	if errors.Is(err, &ErrDuplicate{}) {
		return &domain.Error{Code: domain.EConflict, Field: "username", Message: "Tên đăng nhập " + u.Username + " đã có người dùng"}
	}
	return err
}

// UserByUsername returns a user and their password hash.
func (s *Store) UserByUsername(ctx context.Context, username string) (_ *domain.User, _ string, err error) {
	defer wrap(&err, "store.UserByUsername")
	var hash string
	row := s.q.QueryRowContext(ctx, `SELECT `+userCols+`, u.password_hash FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = $1`, username)
	u, err := scanUser(scanTail{row, &hash})
	if err != nil {
		return nil, "", notFound(err, "Không tìm thấy người dùng %s", username)
	}
	return u, hash, nil
}

// GetUser returns the user with the id.
func (s *Store) GetUser(ctx context.Context, id int64) (_ *domain.User, err error) {
	defer wrap(&err, "store.GetUser(%d)", id)
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Không tìm thấy người dùng số %d", id)
	}
	return u, nil
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) (err error) {
	defer wrap(&err, "store.SetPassword(%d)", userID)
	_, err = s.q.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	return mapErr(err)
}

// ListUsers lists the users bound to organizations under path (all when path is "/").
func (s *Store) ListUsers(ctx context.Context, path string) (_ []*domain.User, err error) {
	defer wrap(&err, "store.ListUsers")
	lo, hi := pathRange(path)
	q := `SELECT ` + userCols + ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE o.path >= $1 AND o.path < $2 ORDER BY u.username`
	if path == "/" {
		q = `SELECT ` + userCols + ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE $1 <> $2 ORDER BY u.username`
	}
	rows, err := s.q.QueryContext(ctx, q, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, mapErr(rows.Err())
}

// CreateToken stores the hash of a bearer token for a user.
func (s *Store) CreateToken(ctx context.Context, userID int64, name, hash string, now time.Time) (err error) {
	defer wrap(&err, "store.CreateToken(%d)", userID)
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)`, userID, name, hash, now.UTC())
	return mapErr(err)
}

// UserByTokenHash returns the active user owning the token hash.
func (s *Store) UserByTokenHash(ctx context.Context, hash string, now time.Time) (_ *domain.User, err error) {
	defer wrap(&err, "store.UserByTokenHash")
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		LEFT JOIN orgs o ON o.id = u.org_id WHERE t.token_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.EUnauthorized, "Mã truy cập không hợp lệ hoặc đã bị thu hồi")
	}
	if err != nil {
		return nil, mapErr(err)
	}
	_, _ = s.q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2`, now.UTC(), hash)
	return u, nil
}

// Audit appends an audit record.
func (s *Store) Audit(ctx context.Context, at time.Time, userID int64, action, entity string, entityID int64, detail string) (err error) {
	defer wrap(&err, "store.Audit(%d, %q, %q, %d)", userID, action, entity, entityID)
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
		at.UTC(), nullInt(userID), action, entity, nullInt(entityID), detail)
	return mapErr(err)
}

// AuditEntry is one audit record.
type AuditEntry struct {
	At       time.Time
	UserID   int64
	Action   string
	Entity   string
	EntityID int64
	Detail   string
}

// AuditFor lists the audit records of an entity, newest first.
func (s *Store) AuditFor(ctx context.Context, entity string, id int64, limit int) (_ []AuditEntry, err error) {
	defer wrap(&err, "store.AuditFor(%q, %d, %d)", entity, id, limit)
	rows, err := s.q.QueryContext(ctx, `SELECT at, user_id, action, entity, entity_id, detail FROM audit_log
		WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3`, entity, id, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var uid, eid nullID
		var at timeCol
		if err := rows.Scan(&at, &uid, &e.Action, &e.Entity, &eid, &e.Detail); err != nil {
			return nil, err
		}
		e.At, e.UserID, e.EntityID = at.T, int64(uid), int64(eid)
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}
