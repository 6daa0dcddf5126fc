package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
)

const userCols = `u.id, u.username, u.full_name, u.role, u.org_id, COALESCE(o.path, ''), u.active, u.must_change_password, u.session_epoch`

func scanUser(row interface{ Scan(...any) error }) (*domain.User, error) {
	var u domain.User
	var org nullID
	if err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &org, &u.OrgPath, &u.Active, &u.MustChangePassword, &u.SessionEpoch); err != nil {
		return nil, err
	}
	u.OrgID = int64(org)
	return &u, nil
}

// CreateUser inserts a user with an already hashed password.
func (s *Store) CreateUser(ctx context.Context, u *domain.User, hash string, now time.Time) (err error) {
	defer wrap(&err, "store.CreateUser")
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO users (username, full_name, password_hash, role, org_id, active, must_change_password, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.Username, u.FullName, hash, u.Role, nullInt(u.OrgID), u.Active, u.MustChangePassword, now.UTC()).Scan(&u.ID)
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

// SetPassword replaces a user's password hash; mustChange marks it
// temporary. Every session of the user ends (the epoch grows).
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) (err error) {
	defer wrap(&err, "store.SetPassword(%d)", userID)
	_, err = s.q.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, session_epoch = session_epoch + 1 WHERE id = $3`,
		hash, mustChange, userID)
	return mapErr(err)
}

// SetUserActive enables or disables a user. Disabling ends every session
// of the user (the epoch grows); their tokens are refused while disabled.
func (s *Store) SetUserActive(ctx context.Context, userID int64, active bool) (err error) {
	defer wrap(&err, "store.SetUserActive(%d)", userID)
	_, err = s.q.ExecContext(ctx, `UPDATE users SET active = $1, session_epoch = session_epoch + CASE WHEN $1 THEN 0 ELSE 1 END WHERE id = $2`,
		active, userID)
	return mapErr(err)
}

// SetUserRole changes a user's role, scope (orgID 0: the whole system) and name.
func (s *Store) SetUserRole(ctx context.Context, userID int64, role string, orgID int64, fullName string) (err error) {
	defer wrap(&err, "store.SetUserRole(%d)", userID)
	_, err = s.q.ExecContext(ctx, `UPDATE users SET role = $1, org_id = $2, full_name = $3 WHERE id = $4`, role, nullInt(orgID), fullName, userID)
	return mapErr(err)
}

// UserFilter selects users for a list.
type UserFilter struct {
	Path   string // "/" for every user; else the users bound under the path
	Query  string // part of the username or the name (folded by the caller: lower case)
	Limit  int    // 0: all
	Offset int
}

// ListUsers lists the users the filter selects, by username, and how many
// it selects in all.
func (s *Store) ListUsers(ctx context.Context, f UserFilter, now time.Time) (_ []domain.UserRow, total int, err error) {
	defer wrap(&err, "store.ListUsers")
	var conds []string
	var args []any
	if f.Path != "" && f.Path != "/" {
		lo, hi := pathRange(f.Path)
		args = append(args, lo, hi)
		conds = append(conds, "o.path >= $1 AND o.path < $2")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+strings.ToLower(q)+"%")
		conds = append(conds, fmt.Sprintf("(u.username LIKE $%d OR LOWER(u.full_name) LIKE $%d)", len(args), len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	from := ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id`
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	args = append(args, now.UTC())
	q := `SELECT ` + userCols + `, COALESCE(o.code, ''), COALESCE(o.name, ''),
		(SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $` +
		fmt.Sprint(len(args)) + `))` + from + where + ` ORDER BY u.username`
	if f.Limit > 0 {
		args = append(args, f.Limit, f.Offset)
		q += fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	}
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []domain.UserRow
	for rows.Next() {
		var r domain.UserRow
		var code, name string
		u, err := scanUser(scanTails{rows, []any{&code, &name, &r.Tokens}})
		if err != nil {
			return nil, 0, err
		}
		r.User, r.OrgCode, r.OrgName = u, code, name
		out = append(out, r)
	}
	return out, total, mapErr(rows.Err())
}

// CreateToken stores the hash of a bearer token for a user.
func (s *Store) CreateToken(ctx context.Context, userID int64, name, hash string, now time.Time, expires *time.Time, metrics bool) (id int64, err error) {
	defer wrap(&err, "store.CreateToken(%d)", userID)
	var exp any
	if expires != nil {
		exp = expires.UTC()
	}
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, metrics) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		userID, name, hash, now.UTC(), exp, metrics).Scan(&id)
	return id, mapErr(err)
}

const tokenCols = `t.id, t.user_id, u.username, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at, t.metrics, COALESCE(o.path, '')`

const tokenFrom = ` FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN orgs o ON o.id = u.org_id`

func scanToken(row interface{ Scan(...any) error }) (*domain.Token, error) {
	var t domain.Token
	var created, exp, rev, used timeCol
	if err := row.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &created, &exp, &rev, &used, &t.Metrics, &t.OrgPath); err != nil {
		return nil, err
	}
	t.CreatedAt = created.T
	ptr := func(c timeCol) *time.Time {
		if c.T.IsZero() {
			return nil
		}
		v := c.T
		return &v
	}
	t.ExpiresAt, t.RevokedAt, t.LastUsed = ptr(exp), ptr(rev), ptr(used)
	return &t, nil
}

// TokenByHash returns the token with the hash and the user owning it.
func (s *Store) TokenByHash(ctx context.Context, hash string) (_ *domain.Token, _ *domain.User, err error) {
	defer wrap(&err, "store.TokenByHash")
	var u domain.User
	var org nullID
	row := s.q.QueryRowContext(ctx, `SELECT `+tokenCols+`, `+userCols+tokenFrom+` WHERE t.token_hash = $1`, hash)
	t, err := scanToken(scanTails{row, []any{&u.ID, &u.Username, &u.FullName, &u.Role, &org, &u.OrgPath, &u.Active, &u.MustChangePassword, &u.SessionEpoch}})
	u.OrgID = int64(org)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, domain.Errorf(domain.EUnauthorized, "Mã truy cập không hợp lệ hoặc đã bị thu hồi")
	}
	if err != nil {
		return nil, nil, mapErr(err)
	}
	return t, &u, nil
}

// TouchToken records a use of the token at now when the last one recorded
// is older than since (one write an hour at most, not one per request).
func (s *Store) TouchToken(ctx context.Context, id int64, now, since time.Time) (err error) {
	defer wrap(&err, "store.TouchToken(%d)", id)
	_, err = s.q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`,
		now.UTC(), id, since.UTC())
	return mapErr(err)
}

// GetToken returns the token with the id.
func (s *Store) GetToken(ctx context.Context, id int64) (_ *domain.Token, err error) {
	defer wrap(&err, "store.GetToken(%d)", id)
	t, err := scanToken(s.q.QueryRowContext(ctx, `SELECT `+tokenCols+tokenFrom+` WHERE t.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Không tìm thấy mã truy cập số %d", id)
	}
	return t, nil
}

// ListTokens lists the tokens of the user (all users when userID is 0)
// bound under path ("/" for all), newest first.
func (s *Store) ListTokens(ctx context.Context, userID int64, path string) (_ []*domain.Token, err error) {
	defer wrap(&err, "store.ListTokens(%d)", userID)
	var conds []string
	var args []any
	if userID != 0 {
		args = append(args, userID)
		conds = append(conds, "t.user_id = $1")
	}
	if path != "" && path != "/" {
		lo, hi := pathRange(path)
		args = append(args, lo, hi)
		conds = append(conds, fmt.Sprintf("o.path >= $%d AND o.path < $%d", len(args)-1, len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+tokenCols+tokenFrom+where+` ORDER BY t.id DESC`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// RevokeToken revokes the token at now (a revoked token stays revoked).
func (s *Store) RevokeToken(ctx context.Context, id int64, now time.Time) (err error) {
	defer wrap(&err, "store.RevokeToken(%d)", id)
	_, err = s.q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, now.UTC(), id)
	return mapErr(err)
}
