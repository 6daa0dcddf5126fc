package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// The tree as it stood on a date (DOMAIN §2): a unit that moves under a
// new parent keeps its code, its id and its history; org_links holds each
// unit's parent and path over time, orgs.parent_id and orgs.path the
// current ones. Reorganisations are applied in date order: a unit cannot
// be moved to a date before its latest move.

// firstLinkDate starts every unit's first link: before its first move a
// unit stood where it was founded, whatever its founding date says.
var firstLinkDate = domain.Day(1, 1, 1)

// linkOn is the condition "the link l is the one in force on $d".
const linkOn = `l.valid_from <= $d AND (l.valid_to IS NULL OR l.valid_to > $d)`

// orgOn is the condition "the unit o exists on $d".
const orgOn = `o.valid_from <= $d AND (o.valid_to IS NULL OR o.valid_to > $d)`

// linkedOrgCols are orgCols with the parent and the path of the link l.
// The name is the one the unit had on $d (org_names).
const linkedOrgCols = `o.id, o.code, ` + nameOn + `, o.kind, o.sector, l.parent_id, l.path, o.valid_from, o.valid_to, o.successor_id, o.youth_union, o.version`

// nameOn is the name of the unit o on $d: a former name whose use ended
// after $d (the earliest such), else its current one.
const nameOn = `COALESCE((SELECT n.name FROM org_names n WHERE n.org_id = o.id AND n.valid_to > $d ORDER BY n.valid_to LIMIT 1), o.name)`

// NameOn is the name the unit had on d (its current one for zero d).
func (s *Store) NameOn(ctx context.Context, orgID int64, d time.Time) (_ string, err error) {
	defer wrap(&err, "store.NameOn(%d)", orgID)
	var name string
	if d.IsZero() {
		err = s.q.QueryRowContext(ctx, `SELECT name FROM orgs WHERE id = $1`, orgID).Scan(&name)
	} else {
		err = s.q.QueryRowContext(ctx, on(`SELECT `+nameOn+` FROM orgs o WHERE o.id = $1`, 1), orgID, dateArg(d)).Scan(&name)
	}
	return name, mapErr(err)
}

// on numbers the $d placeholders of a query whose other placeholders are
// $1…$n.
func on(query string, n int) string { return strings.ReplaceAll(query, "$d", "$"+strconv.Itoa(n+1)) }

// unitsOn is a table of the units' ids, paths and parents in the tree of
// day on (the current tree when on is zero), to join as "o" in place of
// orgs (o.id, o.path, o.parent_id); its date is the placeholder $n (onArg), which a zero
// date leaves unused.
func unitsOn(on time.Time, n int) string {
	if on.IsZero() {
		return `(SELECT l.org_id AS id, l.path, l.parent_id FROM org_links l WHERE l.valid_to IS NULL AND $` + strconv.Itoa(n) + ` = $` + strconv.Itoa(n) + `)`
	}
	return unitsOnDay(n)
}

// unitsOnDay is unitsOn for a date that is never zero.
func unitsOnDay(n int) string {
	d := "$" + strconv.Itoa(n)
	return `(SELECT l.org_id AS id, l.path, l.parent_id FROM org_links l WHERE l.valid_from <= ` + d + ` AND (l.valid_to IS NULL OR l.valid_to > ` + d + `))`
}

// linkOnAt is the condition "the link a is the one in force on day on"
// (the current one when on is zero), the day being the placeholder $n
// (onArg).
func linkOnAt(a string, on time.Time, n int) string {
	d := "$" + strconv.Itoa(n)
	if on.IsZero() {
		return `(` + a + `.valid_to IS NULL AND ` + d + ` = ` + d + `)`
	}
	return `(` + a + `.valid_from <= ` + d + ` AND (` + a + `.valid_to IS NULL OR ` + a + `.valid_to > ` + d + `))`
}

// onArg is the argument of unitsOn's placeholder.
func onArg(on time.Time) any {
	if on.IsZero() {
		return ""
	}
	return dateArg(on)
}

// addLink records the unit's first place, from firstLinkDate.
func (s *Store) addLink(ctx context.Context, o *domain.Org) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO org_links (org_id, parent_id, path, valid_from) VALUES ($1, $2, $3, $4)`,
		o.ID, nullInt(o.ParentID), o.Path, dateArg(firstLinkDate))
	return mapErr(err)
}

// OrgLinks returns a unit's places in the tree, oldest first.
func (s *Store) OrgLinks(ctx context.Context, orgID int64) (_ []domain.OrgLink, err error) {
	defer wrap(&err, "store.OrgLinks(%d)", orgID)
	rows, err := s.q.QueryContext(ctx, `SELECT org_id, parent_id, path, valid_from, valid_to FROM org_links
		WHERE org_id = $1 ORDER BY valid_from`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.OrgLink
	for rows.Next() {
		var l domain.OrgLink
		var parent nullID
		var from, to dateCol
		if err := rows.Scan(&l.OrgID, &parent, &l.Path, &from, &to); err != nil {
			return nil, err
		}
		l.ParentID, l.ValidFrom, l.ValidTo = int64(parent), from.T, to.ptr()
		if l.ValidFrom.Equal(firstLinkDate) {
			l.ValidFrom = time.Time{}
		}
		out = append(out, l)
	}
	return out, mapErr(rows.Err())
}

// PlaceOn returns the unit's parent and path on d (its current ones when d
// is zero).
func (s *Store) PlaceOn(ctx context.Context, orgID int64, d time.Time) (parentID int64, path string, err error) {
	defer wrap(&err, "store.PlaceOn(%d)", orgID)
	if d.IsZero() {
		o, err := s.GetOrg(ctx, orgID)
		if err != nil {
			return 0, "", err
		}
		return o.ParentID, o.Path, nil
	}
	var parent nullID
	err = s.q.QueryRowContext(ctx, on(`SELECT l.parent_id, l.path FROM org_links l WHERE l.org_id = $1 AND `+linkOn, 1),
		orgID, dateArg(d)).Scan(&parent, &path)
	if err != nil {
		return 0, "", notFound(err, "Không tìm thấy tổ chức số %d", orgID)
	}
	return int64(parent), path, nil
}

// SubtreeOn returns the unit and its descendants as the tree stood on d:
// the units that existed on d, each with its parent and path of that day,
// parents before children. The unit itself comes first even when it did
// not exist on d (a report on a closed unit shows its history); zero d is
// the current tree of every unit, open or closed (Subtree).
func (s *Store) SubtreeOn(ctx context.Context, orgID int64, d time.Time) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.SubtreeOn(%d)", orgID)
	if d.IsZero() {
		o, err := s.GetOrg(ctx, orgID)
		if err != nil {
			return nil, err
		}
		return s.Subtree(ctx, o.Path, time.Time{})
	}
	root, err := s.GetOrg(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if root.ParentID, root.Path, err = s.PlaceOn(ctx, orgID, d); err != nil {
		return nil, err
	}
	if root.Name, err = s.NameOn(ctx, orgID, d); err != nil {
		return nil, err
	}
	lo, hi := pathRange(root.Path)
	below, err := s.queryOrgs(ctx, on(`SELECT `+linkedOrgCols+` FROM org_links l JOIN orgs o ON o.id = l.org_id
		WHERE l.path > $1 AND l.path < $2 AND `+linkOn+` AND `+orgOn+` ORDER BY l.path`, 2), lo, hi, dateArg(d))
	if err != nil {
		return nil, err
	}
	return append([]*domain.Org{root}, below...), nil
}

// ChildrenOn returns the direct children of the unit on d (the units that
// existed that day, under it that day), by name.
func (s *Store) ChildrenOn(ctx context.Context, parentID int64, d time.Time) (_ []*domain.Org, err error) {
	defer wrap(&err, "store.ChildrenOn(%d)", parentID)
	if d.IsZero() {
		return s.Children(ctx, parentID, time.Time{})
	}
	return s.queryOrgs(ctx, on(`SELECT `+linkedOrgCols+` FROM org_links l JOIN orgs o ON o.id = l.org_id
		WHERE l.parent_id = $1 AND `+linkOn+` AND `+orgOn+` ORDER BY o.name_fold, o.id`, 1), parentID, dateArg(d))
}

// MoveOrg puts the unit, with its whole subtree, under a new parent from
// d: each of them gets a new link from d (the old one ends on d), and the
// current parent and paths follow. It refuses a move under the unit itself
// or one of its descendants, and a move dated before a later place of the
// unit or of a unit of its subtree (reorganisations go in date order).
func (s *Store) MoveOrg(ctx context.Context, orgID, parentID int64, d time.Time) (err error) {
	defer wrap(&err, "store.MoveOrg(%d, %d)", orgID, parentID)
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.GetOrg(ctx, orgID)
		if err != nil {
			return err
		}
		p, err := tx.GetOrg(ctx, parentID)
		if err != nil {
			return err
		}
		if u.Contains(p) {
			return domain.Errorf(domain.EInvalid, "Không thể chuyển %s về trực thuộc %s: %s nằm trong chính %s", u.Name, p.Name, p.Name, u.Name)
		}
		if latest, err := tx.latestLink(ctx, p.Path); err != nil {
			return err
		} else if d.Before(latest) {
			return domain.Errorf(domain.EConflict, "%s đã được sắp xếp lại từ ngày %s: không thể ghi việc chuyển %s dưới nó từ ngày %s (hãy ghi các lần sắp xếp theo thứ tự ngày)",
				p.Name, latest.Format("02/01/2006"), u.Name, d.Format("02/01/2006"))
		}
		subtree, err := tx.Subtree(ctx, u.Path, time.Time{})
		if err != nil {
			return err
		}
		oldParent := strings.TrimSuffix(u.Path, strconv.FormatInt(u.ID, 10)+"/")
		counts, pipe, funnel := countDelta{}, pipeDelta{}, funnelDelta{}
		for _, x := range subtree {
			newPath := p.Path + strings.TrimPrefix(x.Path, oldParent)
			parent := x.ParentID
			if x.ID == u.ID {
				parent = p.ID
			}
			if err := tx.relink(ctx, x, parent, newPath, d, counts, pipe, funnel); err != nil {
				return err
			}
		}
		// the admissions first, then the pipeline: the order of a
		// decision (CreateMembership, then UpdateCase), so that the two
		// never wait on each other's rows in opposite orders (PostgreSQL)
		if err := tx.writeCounts(ctx, counts); err != nil {
			return err
		}
		if err := tx.writePipeCounts(ctx, pipe); err != nil {
			return err
		}
		return tx.writeFunnelCounts(ctx, funnel)
	})
}

// latestLink is the latest start of a link of the units on the path from
// the root to path's unit: a unit may not be placed under them before it.
func (s *Store) latestLink(ctx context.Context, path string) (time.Time, error) {
	ids := pathIDs(path)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var d dateCol
	err := s.q.QueryRowContext(ctx, `SELECT MAX(valid_from) FROM org_links WHERE org_id IN (`+placeholders(1, len(ids))+`)`, args...).Scan(&d)
	return d.T, mapErr(err)
}

// relink ends x's current link on d and starts one under parent at path
// (or replaces the current one when it starts on d), and makes them x's
// current parent and path; the admissions at x move in counts, and its
// cases' time in the pipeline in pipe, from the places it held to those
// it holds now.
func (s *Store) relink(ctx context.Context, x *domain.Org, parent int64, path string, d time.Time, counts countDelta, pipe pipeDelta, funnel funnelDelta) error {
	var from dateCol
	if err := s.q.QueryRowContext(ctx, `SELECT valid_from FROM org_links WHERE org_id = $1 AND valid_to IS NULL`, x.ID).Scan(&from); err != nil {
		return mapErr(err)
	}
	switch {
	case from.T.After(d):
		return domain.Errorf(domain.EConflict, "%s đã được sắp xếp lại từ ngày %s: không thể chuyển nó từ ngày %s (hãy ghi các lần sắp xếp theo thứ tự ngày)",
			x.Name, from.T.Format("02/01/2006"), d.Format("02/01/2006"))
	case from.T.Equal(d):
		links, signs := []countLink{linkOf(x.Path, d, nil), linkOf(path, d, nil)}, []int{-1, 1}
		if err := s.ownAdmissions(ctx, counts, x.ID, links, signs); err != nil {
			return err
		}
		if err := s.ownPipeline(ctx, pipe, x.ID, links, signs); err != nil {
			return err
		}
		if err := s.ownFunnel(ctx, funnel, x.ID, links, signs); err != nil {
			return err
		}
		if _, err := s.q.ExecContext(ctx, `UPDATE org_links SET parent_id = $1, path = $2 WHERE org_id = $3 AND valid_to IS NULL`,
			nullInt(parent), path, x.ID); err != nil {
			return mapErr(err)
		}
	default:
		links := []countLink{linkOf(x.Path, from.T, nil), linkOf(x.Path, from.T, &d), linkOf(path, d, nil)}
		if err := s.ownAdmissions(ctx, counts, x.ID, links, []int{-1, 1, 1}); err != nil {
			return err
		}
		if err := s.ownPipeline(ctx, pipe, x.ID, links, []int{-1, 1, 1}); err != nil {
			return err
		}
		if err := s.ownFunnel(ctx, funnel, x.ID, links, []int{-1, 1, 1}); err != nil {
			return err
		}
		if _, err := s.q.ExecContext(ctx, `UPDATE org_links SET valid_to = $1 WHERE org_id = $2 AND valid_to IS NULL`, dateArg(d), x.ID); err != nil {
			return mapErr(err)
		}
		if _, err := s.q.ExecContext(ctx, `INSERT INTO org_links (org_id, parent_id, path, valid_from) VALUES ($1, $2, $3, $4)`,
			x.ID, nullInt(parent), path, dateArg(d)); err != nil {
			return mapErr(err)
		}
	}
	_, err := s.q.ExecContext(ctx, `UPDATE orgs SET parent_id = $1, path = $2, version = version + 1 WHERE id = $3`, nullInt(parent), path, x.ID)
	return mapErr(err)
}
