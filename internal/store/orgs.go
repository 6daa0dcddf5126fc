package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

const orgCols = `id, code, name, kind, sector, parent_id, path, valid_from, valid_to, successor_id, youth_union, version`

func scanOrg(row interface{ Scan(...any) error }) (*domain.Org, error) {
	var o domain.Org
	var parent, succ nullID
	var from, to dateCol
	if err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.Sector, &parent, &o.Path, &from, &to, &succ, &o.YouthUnion, &o.Version); err != nil {
		return nil, err
	}
	o.ParentID, o.SuccessorID = int64(parent), int64(succ)
	o.ValidFrom, o.ValidTo = from.T, to.ptr()
	return &o, nil
}

func (s *Store) queryOrgs(ctx context.Context, query string, args ...any) ([]*domain.Org, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

// CreateOrg inserts o under its parent and fills ID, Path and Version.
func (s *Store) CreateOrg(ctx context.Context, o *domain.Org) (err error) {
	defer wrap(&err, "store.CreateOrg(%q)", o.Code)
	parentPath := "/"
	if o.ParentID != 0 {
		p, err := s.GetOrg(ctx, o.ParentID)
		if err != nil {
			return err
		}
		parentPath = p.Path
	}
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q.QueryRowContext(ctx,
			`INSERT INTO orgs (code, name, name_fold, kind, sector, parent_id, path, valid_from, valid_to, successor_id, youth_union)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			o.Code, o.Name, vn.Fold(o.Name), o.Kind, o.Sector, nullInt(o.ParentID), "tmp:"+o.Code,
			dateArg(o.ValidFrom), dateArgPtr(o.ValidTo), nullInt(o.SuccessorID), o.YouthUnion).Scan(&o.ID)
		if err != nil {
			err = mapErr(err)
			if errors.Is(err, &ErrDuplicate{}) {
				return domain.FieldError("code", "Mã tổ chức %q đã được dùng", o.Code)
			}
			return err
		}
		o.Path = parentPath + strconv.FormatInt(o.ID, 10) + "/"
		o.Version = 1
		if _, err = tx.q.ExecContext(ctx, `UPDATE orgs SET path = $1 WHERE id = $2`, o.Path, o.ID); err != nil {
			return mapErr(err)
		}
		return tx.addLink(ctx, o)
	})
}

// UpdateOrg saves the editable fields of o if its version is still the
// stored one; otherwise someone else changed it first (409).
func (s *Store) UpdateOrg(ctx context.Context, o *domain.Org) (err error) {
	defer wrap(&err, "store.UpdateOrg(%d)", o.ID)
	res, err := s.q.ExecContext(ctx,
		`UPDATE orgs SET name = $1, name_fold = $2, kind = $3, sector = $4, valid_from = $5, valid_to = $6,
		        successor_id = $7, youth_union = $8, version = version + 1
		 WHERE id = $9 AND version = $10`,
		o.Name, vn.Fold(o.Name), o.Kind, o.Sector, dateArg(o.ValidFrom), dateArgPtr(o.ValidTo), nullInt(o.SuccessorID), o.YouthUnion, o.ID, o.Version)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.EConflict, "Tổ chức %q vừa được người khác sửa. Hãy tải lại trang và nhập lại thay đổi.", o.Code)
	}
	o.Version++
	return nil
}

// GetOrg returns the organization with the id.
func (s *Store) GetOrg(ctx context.Context, id int64) (_ *domain.Org, err error) {
	defer wrap(&err, "store.GetOrg(%d)", id)
	o, err := scanOrg(s.q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Không tìm thấy tổ chức số %d", id)
	}
	return o, nil
}

// GetOrgByCode returns the organization with the code.
func (s *Store) GetOrgByCode(ctx context.Context, code string) (_ *domain.Org, err error) {
	defer wrap(&err, "store.GetOrgByCode(%q)", code)
	o, err := scanOrg(s.q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "Không tìm thấy tổ chức %s", code)
	}
	return o, nil
}

// Roots returns the organizations without a parent, oldest first.
func (s *Store) Roots(ctx context.Context) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.Roots")
	return s.queryOrgs(ctx, `SELECT `+orgCols+` FROM orgs WHERE parent_id IS NULL ORDER BY valid_from, id`)
}

// pathRange returns the bounds of the subtree of path: every descendant's
// path starts with path, and paths sort byte-wise, so the subtree is the
// half-open range [path, path with its final '/' replaced by '0').
func pathRange(path string) (lo, hi string) {
	return path, path[:len(path)-1] + "0"
}

// Subtree returns the organization at path and all its descendants that
// are open on asof (all of them when asof is zero), parents before children.
func (s *Store) Subtree(ctx context.Context, path string, asof time.Time) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.Subtree")
	lo, hi := pathRange(path)
	if asof.IsZero() {
		return s.queryOrgs(ctx, `SELECT `+orgCols+` FROM orgs WHERE path >= $1 AND path < $2 ORDER BY path`, lo, hi)
	}
	d := dateArg(asof)
	return s.queryOrgs(ctx, `SELECT `+orgCols+` FROM orgs
		WHERE path >= $1 AND path < $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
		ORDER BY path`, lo, hi, d)
}

// Children returns the direct children of the organization, open on asof
// (all when asof is zero), by name.
func (s *Store) Children(ctx context.Context, parentID int64, asof time.Time) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.Children(%d)", parentID)
	if asof.IsZero() {
		return s.queryOrgs(ctx, `SELECT `+orgCols+` FROM orgs WHERE parent_id = $1 ORDER BY name_fold, id`, parentID)
	}
	return s.queryOrgs(ctx, `SELECT `+orgCols+` FROM orgs
		WHERE parent_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
		ORDER BY name_fold, id`, parentID, dateArg(asof))
}

// OrgsByIDs returns the organizations with the ids, in no particular order.
func (s *Store) OrgsByIDs(ctx context.Context, ids []int64) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.OrgsByIDs")
	var out []*domain.Org
	for len(ids) > 0 {
		n := min(len(ids), 500)
		q := `SELECT ` + orgCols + ` FROM orgs WHERE id IN (` + placeholders(1, n) + `)`
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		part, err := s.queryOrgs(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		ids = ids[n:]
	}
	return out, nil
}

// SearchOrgs finds organizations under path whose folded name or code
// contains the folded query, at most limit of them.
func (s *Store) SearchOrgs(ctx context.Context, path, query string, limit int) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.SearchOrgs(%d)", limit)
	lo, hi := pathRange(path)
	like := "%" + escapeLike(vn.Fold(query)) + "%"
	return s.queryOrgs(ctx, `SELECT `+orgCols+` FROM orgs
		WHERE path >= $1 AND path < $2 AND (name_fold LIKE $3 ESCAPE '\' OR code LIKE $3 ESCAPE '\')
		ORDER BY length(path), name_fold LIMIT $4`, lo, hi, like, limit)
}

// SetAuthority records who decides admissions under an organization from a date.
func (s *Store) SetAuthority(ctx context.Context, a *domain.Authority) (err error) {
	defer wrap(&err, "store.SetAuthority")
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO org_authority (org_id, valid_from, decider_id, authorised, subcommittee, grassroots_level)
		 VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (org_id, valid_from) DO UPDATE SET decider_id = excluded.decider_id,
		   authorised = excluded.authorised, subcommittee = excluded.subcommittee, grassroots_level = excluded.grassroots_level`,
		a.OrgID, dateArg(a.ValidFrom), a.DeciderID, a.Authorised, a.SubCommittee, a.GrassrootsLevel)
	return mapErr(err)
}

// AuthorityOn returns the admission authority in force for the organization
// on date d: its own latest record on or before d, or else the nearest
// ancestor's in the tree of that day (a unit moved later under another
// parent still follows its former one before the move; a unit that did
// not exist on d is read on its current path). nil when none is recorded
// anywhere above.
func (s *Store) AuthorityOn(ctx context.Context, org *domain.Org, d time.Time) (_ *domain.Authority, err error) {
	defer wrap(&err, "store.AuthorityOn")
	path := org.Path
	if !d.IsZero() {
		var at string
		err := s.q.QueryRowContext(ctx, on(`SELECT l.path FROM org_links l WHERE l.org_id = $1 AND `+linkOn, 1),
			org.ID, dateArg(d)).Scan(&at)
		switch {
		case err == nil:
			path = at
		case !errors.Is(err, sql.ErrNoRows):
			return nil, mapErr(err)
		}
	}
	ids := pathIDs(path)
	for i := len(ids) - 1; i >= 0; i-- {
		var a domain.Authority
		var from dateCol
		err := s.q.QueryRowContext(ctx,
			`SELECT org_id, valid_from, decider_id, authorised, subcommittee, grassroots_level FROM org_authority
			 WHERE org_id = $1 AND valid_from <= $2 ORDER BY valid_from DESC LIMIT 1`, ids[i], dateArg(d)).
			Scan(&a.OrgID, &from, &a.DeciderID, &a.Authorised, &a.SubCommittee, &a.GrassrootsLevel)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, mapErr(err)
		}
		a.ValidFrom = from.T
		return &a, nil
	}
	return nil, nil
}

// Authorities lists the authority records of an organization, newest first.
func (s *Store) Authorities(ctx context.Context, orgID int64) (_ []domain.Authority, err error) {
	defer wrap(&err, "store.Authorities(%d)", orgID)
	rows, err := s.q.QueryContext(ctx,
		`SELECT org_id, valid_from, decider_id, authorised, subcommittee, grassroots_level FROM org_authority
		 WHERE org_id = $1 ORDER BY valid_from DESC`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.Authority
	for rows.Next() {
		var a domain.Authority
		var from dateCol
		if err := rows.Scan(&a.OrgID, &from, &a.DeciderID, &a.Authorised, &a.SubCommittee, &a.GrassrootsLevel); err != nil {
			return nil, err
		}
		a.ValidFrom = from.T
		out = append(out, a)
	}
	return out, rows.Err()
}

// pathIDs splits "/1/5/23/" into [1 5 23].
func pathIDs(path string) []int64 {
	var ids []int64
	var n int64
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			ids = append(ids, n)
			n = 0
			continue
		}
		n = n*10 + int64(path[i]-'0')
	}
	return ids
}

// PathIDs is pathIDs for other packages.
func PathIDs(path string) []int64 { return pathIDs(path) }

func placeholders(from, n int) string {
	b := make([]byte, 0, n*4)
	for i := range n {
		if i > 0 {
			b = append(b, ',', ' ')
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(from+i), 10)
	}
	return string(b)
}

func escapeLike(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '_' || s[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Predecessors returns the organizations outside the subtree at path whose
// chain of successors leads into it (units merged into it from elsewhere),
// following chains up to depth links.
func (s *Store) Predecessors(ctx context.Context, path string, depth int) (_ []*domain.Org, err error) {
	return s.PredecessorsOn(ctx, path, time.Time{}, depth)
}

// closedBy is the condition "the unit o had closed by the day of
// placeholder $n" (no condition on the current tree, zero on): a unit
// still open that day keeps its own history then, even when a later
// merger gives it a successor.
func closedBy(on time.Time, n int) string {
	if on.IsZero() {
		return ""
	}
	return ` AND o.valid_to IS NOT NULL AND o.valid_to <= $` + itoa(n)
}

// PredecessorsOn is Predecessors in the tree of day on (unitsOn: the
// current tree when on is zero); the units come with their paths of that
// day.
func (s *Store) PredecessorsOn(ctx context.Context, path string, on time.Time, depth int) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.PredecessorsOn(%d)", depth)
	lo, hi := pathRange(path)
	cols := strings.Replace(prefixed("o.", orgCols), "o.path", "op.path", 1)
	// from the units with a successor, few as they are (CROSS JOIN keeps
	// SQLite's planner from starting at every link of the day)
	found, err := s.queryOrgs(ctx, `SELECT `+cols+` FROM orgs o CROSS JOIN org_links op CROSS JOIN org_links sp
		WHERE o.successor_id IS NOT NULL AND op.org_id = o.id AND `+linkOnAt("op", on, 3)+`
		  AND sp.org_id = o.successor_id AND `+linkOnAt("sp", on, 3)+`
		  AND sp.path >= $1 AND sp.path < $2 AND NOT (op.path >= $1 AND op.path < $2)`+closedBy(on, 3), lo, hi, onArg(on))
	if err != nil {
		return nil, err
	}
	frontier := slices.Clone(found)
	seen := map[int64]bool{}
	for _, o := range found {
		seen[o.ID] = true
	}
	for i := 1; i < depth && len(frontier) > 0; i++ {
		ids := make([]any, len(frontier))
		for j, o := range frontier {
			ids[j] = o.ID
		}
		next, err := s.queryOrgs(ctx, `SELECT `+cols+` FROM orgs o JOIN `+unitsOn(on, len(ids)+1)+` op ON op.id = o.id
			WHERE o.successor_id IN (`+placeholders(1, len(ids))+`)`+closedBy(on, len(ids)+1), append(ids, onArg(on))...)
		if err != nil {
			return nil, err
		}
		var grown []*domain.Org
		for _, o := range next {
			if !seen[o.ID] && (o.Path < lo || o.Path >= hi) {
				seen[o.ID] = true
				grown = append(grown, o)
			}
		}
		found = append(found, grown...)
		frontier = grown
	}
	return found, nil
}

// prefixed qualifies each column of a comma-separated list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
