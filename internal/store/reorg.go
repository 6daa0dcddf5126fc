package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// What a reorganisation reads and writes besides the tree (org_links.go):
// what a unit holds, the moves of its holdings to another unit, closings,
// renamings, and the plans applied (reorg_plans).

// Holdings is what a unit holds directly: its people (whatever their
// stage), its open admission cases, the residential units that belong to
// it (as their commune) or have it as their chapter, its schools (as their
// chapter or their commune) and the users bound to it.
type Holdings struct {
	People     []int64
	Active     int // of People, those still on the path or members (not struck off, not left)
	OpenCases  []int64
	CasePeople []int64 // the people of OpenCases, in the same order
	Places     []int64
	Schools    []int64
	Users      []int64
}

// HoldingsOf returns what the unit holds directly.
func (s *Store) HoldingsOf(ctx context.Context, orgID int64) (_ *Holdings, err error) {
	defer wrap(&err, "store.HoldingsOf(%d)", orgID)
	h := &Holdings{}
	rows, err := s.q.QueryContext(ctx, `SELECT id, stage FROM people WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var stage string
		if err := rows.Scan(&id, &stage); err != nil {
			return nil, err
		}
		h.People = append(h.People, id)
		if stage != domain.StageStruckOff && stage != domain.StageLeft {
			h.Active++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	rows.Close()
	rows, err = s.q.QueryContext(ctx, `SELECT id, person_id FROM cases WHERE org_id = $1 AND closed_on IS NULL ORDER BY id`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, pid int64
		if err := rows.Scan(&id, &pid); err != nil {
			return nil, err
		}
		h.OpenCases, h.CasePeople = append(h.OpenCases, id), append(h.CasePeople, pid)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if h.Places, err = s.ids(ctx, `SELECT id FROM residential_units WHERE commune_id = $1 OR chapter_id = $1 ORDER BY id`, orgID); err != nil {
		return nil, err
	}
	if h.Schools, err = s.ids(ctx, `SELECT id FROM schools WHERE org_id = $1 OR commune_id = $1 ORDER BY id`, orgID); err != nil {
		return nil, err
	}
	if h.Users, err = s.ids(ctx, `SELECT id FROM users WHERE org_id = $1 ORDER BY id`, orgID); err != nil {
		return nil, err
	}
	return h, nil
}

// ids runs a query of one integer column.
func (s *Store) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}

// HoldingCounts are the sizes of what a set of units holds: the units,
// their people, open cases, residential units (as commune or chapter),
// schools (likewise) and users, each counted once.
type HoldingCounts struct {
	Units, People, OpenCases, Places, Schools, Users int
}

// CountHoldings counts what the units with the ids and the subtrees at the
// paths hold (as the tree stands now).
func (s *Store) CountHoldings(ctx context.Context, ids []int64, paths []string) (_ HoldingCounts, err error) {
	defer wrap(&err, "store.CountHoldings(%d, %d)", len(ids), len(paths))
	var c HoldingCounts
	var conds []string
	var args []any
	for _, id := range ids {
		args = append(args, id)
		conds = append(conds, "id = $"+strconv.Itoa(len(args)))
	}
	for _, p := range paths {
		lo, hi := pathRange(p)
		args = append(args, lo, hi)
		conds = append(conds, "(path >= $"+strconv.Itoa(len(args)-1)+" AND path < $"+strconv.Itoa(len(args))+")")
	}
	if len(conds) == 0 {
		return c, nil
	}
	in := `(SELECT id FROM orgs WHERE ` + strings.Join(conds, " OR ") + `)`
	err = s.q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM orgs WHERE id IN `+in+`),
		(SELECT COUNT(*) FROM people WHERE org_id IN `+in+`),
		(SELECT COUNT(*) FROM cases WHERE closed_on IS NULL AND org_id IN `+in+`),
		(SELECT COUNT(*) FROM residential_units WHERE commune_id IN `+in+` OR chapter_id IN `+in+`),
		(SELECT COUNT(*) FROM schools WHERE org_id IN `+in+` OR commune_id IN `+in+`),
		(SELECT COUNT(*) FROM users WHERE org_id IN `+in+`)`, args...).
		Scan(&c.Units, &c.People, &c.OpenCases, &c.Places, &c.Schools, &c.Users)
	return c, mapErr(err)
}

// MoveHoldings gives everything the unit from holds directly to the unit
// into from day d: its people, its open cases (closed ones stay where they
// were decided: they are history), its residential units and schools (as
// commune and as chapter) and the users bound to it. People, open cases,
// residential units and schools keep their former unit for the days
// before d (placements), so that a report or a list of an earlier day
// finds them where they stood. People and cases get a new version, so
// that a page opened before cannot write the old unit back. No case
// transfer is recorded: the unit moved, not the candidate.
func (s *Store) MoveHoldings(ctx context.Context, from, into int64, d, now time.Time) (err error) {
	defer wrap(&err, "store.MoveHoldings(%d, %d)", from, into)
	return s.Tx(ctx, func(tx *Store) error { return tx.moveHoldings(ctx, from, into, d, now) })
}

// moveHoldings is MoveHoldings; the open cases moved count in the pipeline
// at their new unit from then on (refreshPipeline).
func (s *Store) moveHoldings(ctx context.Context, from, into int64, d, now time.Time) error {
	moved, err := s.ids(ctx, `SELECT id FROM cases WHERE org_id = $1 AND closed_on IS NULL`, from)
	if err != nil {
		return err
	}
	// the people counted among the sources at the unit (person_funnel)
	sources, err := s.ids(ctx, `SELECT DISTINCT person_id FROM person_funnel WHERE org_id = $1`, from)
	if err != nil {
		return err
	}
	at := now.UTC()
	for _, x := range []struct{ kind, table, col, cond string }{
		{PlacedPerson, "people", "org_id", ""},
		{PlacedCase, "cases", "org_id", " AND closed_on IS NULL"},
		{PlacedPlaceCommune, "residential_units", "commune_id", ""},
		{PlacedPlaceChapter, "residential_units", "chapter_id", ""},
		{PlacedSchool, "schools", "org_id", ""},
		{PlacedSchoolCommune, "schools", "commune_id", ""},
	} {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO placements (kind, item_id, org_id, valid_to)
			SELECT $1, id, `+x.col+`, $2 FROM `+x.table+` WHERE `+x.col+` = $3`+x.cond+`
			ON CONFLICT (kind, item_id, valid_to) DO NOTHING`, x.kind, dateArg(d), from); err != nil {
			return mapErr(err)
		}
	}
	if err := s.notePlacementsUntil(ctx, d); err != nil {
		return err
	}
	if err := s.movePersonWords(ctx, from, into); err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE people SET org_id = $1, version = version + 1, updated_at = $3 WHERE org_id = $2`, []any{into, from, at}},
		{`UPDATE cases SET org_id = $1, version = version + 1, updated_at = $3 WHERE org_id = $2 AND closed_on IS NULL`, []any{into, from, at}},
		{`UPDATE residential_units SET commune_id = $1 WHERE commune_id = $2`, []any{into, from}},
		{`UPDATE residential_units SET chapter_id = $1 WHERE chapter_id = $2`, []any{into, from}},
		{`UPDATE schools SET org_id = $1 WHERE org_id = $2`, []any{into, from}},
		{`UPDATE schools SET commune_id = $1 WHERE commune_id = $2`, []any{into, from}},
		{`UPDATE users SET org_id = $1 WHERE org_id = $2`, []any{into, from}},
	} {
		if _, err := s.q.ExecContext(ctx, q.sql, q.args...); err != nil {
			return mapErr(err)
		}
	}
	if err := s.refreshPipeline(ctx, moved); err != nil {
		return err
	}
	return s.refreshPeopleFunnel(ctx, sources)
}

// CloseOrg closes the unit on d (its first day of not existing), with its
// successor (0 for none).
func (s *Store) CloseOrg(ctx context.Context, id int64, d time.Time, successorID int64) (err error) {
	defer wrap(&err, "store.CloseOrg(%d, %d)", id, successorID)
	_, err = s.q.ExecContext(ctx, `UPDATE orgs SET valid_to = $1, successor_id = $2, version = version + 1 WHERE id = $3`,
		dateArg(d), nullInt(successorID), id)
	return mapErr(err)
}

// RenameOrg gives the unit a new name (NFC, trimmed by the caller) from
// d: its name until then is kept (org_names), so that the tree of an
// earlier day shows it. Renamed twice on one day, the unit keeps the name
// it had before that day.
func (s *Store) RenameOrg(ctx context.Context, id int64, name string, d time.Time) (err error) {
	defer wrap(&err, "store.RenameOrg(%d)", id)
	if _, err = s.q.ExecContext(ctx, `INSERT INTO org_names (org_id, name, valid_to) SELECT id, name, $2 FROM orgs WHERE id = $1
		ON CONFLICT (org_id, valid_to) DO NOTHING`, id, dateArg(d)); err != nil {
		return mapErr(err)
	}
	_, err = s.q.ExecContext(ctx, `UPDATE orgs SET name = $1, name_fold = $2, version = version + 1 WHERE id = $3`,
		name, vn.Fold(name), id)
	return mapErr(err)
}

// LatestLinkUnder is the latest start of a place of a unit in the subtree
// at path (zero when none of them ever moved): the subtree may not be
// moved to an earlier date.
func (s *Store) LatestLinkUnder(ctx context.Context, path string) (_ time.Time, err error) {
	defer wrap(&err, "store.LatestLinkUnder")
	lo, hi := pathRange(path)
	var d dateCol
	err = s.q.QueryRowContext(ctx, `SELECT MAX(l.valid_from) FROM org_links l JOIN orgs o ON o.id = l.org_id
		WHERE o.path >= $1 AND o.path < $2`, lo, hi).Scan(&d)
	if err != nil {
		return time.Time{}, mapErr(err)
	}
	if d.T.Equal(firstLinkDate) {
		return time.Time{}, nil
	}
	return d.T, nil
}

// LatestLinkAbove is the latest start of a place of the units on the path
// from the root to path's unit (zero when none of them ever moved):
// nothing may be placed under that unit at an earlier date.
func (s *Store) LatestLinkAbove(ctx context.Context, path string) (_ time.Time, err error) {
	defer wrap(&err, "store.LatestLinkAbove")
	d, err := s.latestLink(ctx, path)
	if err != nil || d.Equal(firstLinkDate) {
		return time.Time{}, err
	}
	return d, nil
}

// TargetsFrom returns the unit's targets of the year and later years.
func (s *Store) TargetsFrom(ctx context.Context, orgID int64, year int) (_ []*domain.Target, err error) {
	defer wrap(&err, "store.TargetsFrom(%d, %d)", orgID, year)
	rows, err := s.q.QueryContext(ctx, `SELECT org_id, year, kind, value, deadline FROM targets
		WHERE org_id = $1 AND year >= $2 ORDER BY year, kind`, orgID, year)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Target
	for rows.Next() {
		var t domain.Target
		var deadline dateCol
		if err := rows.Scan(&t.OrgID, &t.Year, &t.Kind, &t.Value, &deadline); err != nil {
			return nil, err
		}
		t.Deadline = deadline.ptr()
		out = append(out, &t)
	}
	return out, mapErr(rows.Err())
}

// OpenCasePeopleUnder returns the people of the open cases of the subtree
// at path.
func (s *Store) OpenCasePeopleUnder(ctx context.Context, path string) (_ []int64, err error) {
	defer wrap(&err, "store.OpenCasePeopleUnder")
	lo, hi := pathRange(path)
	return s.ids(ctx, `SELECT c.person_id FROM cases c JOIN orgs o ON o.id = c.org_id
		WHERE c.closed_on IS NULL AND o.path >= $1 AND o.path < $2 ORDER BY c.person_id`, lo, hi)
}

// AddReorgPlan records an applied plan and fills its ID. A plan already
// recorded (the same SHA-256) is an *ErrDuplicate.
func (s *Store) AddReorgPlan(ctx context.Context, p *domain.AppliedReorg) (err error) {
	defer wrap(&err, "store.AddReorgPlan")
	err = s.q.QueryRowContext(ctx, `INSERT INTO reorg_plans (sha256, decision, date, plan, summary, applied_at, applied_by, applied_by_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		p.SHA256, p.Decision, dateArg(p.Date), p.Plan, p.Summary, p.AppliedAt.UTC(), nullInt(p.AppliedBy), p.AppliedByName).Scan(&p.ID)
	return mapErr(err)
}

const reorgPlanCols = `id, sha256, decision, date, plan, summary, applied_at, applied_by, applied_by_name`

func scanReorgPlan(row interface{ Scan(...any) error }) (*domain.AppliedReorg, error) {
	var p domain.AppliedReorg
	var d dateCol
	var at timeCol
	var by nullID
	if err := row.Scan(&p.ID, &p.SHA256, &p.Decision, &d, &p.Plan, &p.Summary, &at, &by, &p.AppliedByName); err != nil {
		return nil, err
	}
	p.Date, p.AppliedAt, p.AppliedBy = d.T, at.T, int64(by)
	return &p, nil
}

// ReorgPlanByHash returns the applied plan with the SHA-256, or ENotFound.
func (s *Store) ReorgPlanByHash(ctx context.Context, sha string) (_ *domain.AppliedReorg, err error) {
	defer wrap(&err, "store.ReorgPlanByHash")
	p, err := scanReorgPlan(s.q.QueryRowContext(ctx, `SELECT `+reorgPlanCols+` FROM reorg_plans WHERE sha256 = $1`, sha))
	if err != nil {
		return nil, notFound(err, "Phương án sắp xếp này chưa được áp dụng")
	}
	return p, nil
}

// ReorgPlans returns the applied plans, the latest first, at most limit.
func (s *Store) ReorgPlans(ctx context.Context, limit int) (_ []*domain.AppliedReorg, err error) {
	defer wrap(&err, "store.ReorgPlans(%d)", limit)
	rows, err := s.q.QueryContext(ctx, `SELECT `+reorgPlanCols+` FROM reorg_plans ORDER BY date DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.AppliedReorg
	for rows.Next() {
		p, err := scanReorgPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// AuthoritiesUnder returns, for each unit of the subtree at path that has
// its own admission-authority record in force on d, that record (its
// latest on or before d).
func (s *Store) AuthoritiesUnder(ctx context.Context, path string, d time.Time) (_ []domain.Authority, err error) {
	defer wrap(&err, "store.AuthoritiesUnder")
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx, `SELECT a.org_id, a.valid_from, a.decider_id, a.authorised, a.subcommittee, a.grassroots_level
		FROM org_authority a JOIN orgs o ON o.id = a.org_id
		WHERE o.path >= $1 AND o.path < $2 AND a.valid_from <= $3 ORDER BY a.org_id, a.valid_from DESC`, lo, hi, dateArg(d))
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
		if len(out) == 0 || out[len(out)-1].OrgID != a.OrgID {
			out = append(out, a)
		}
	}
	return out, mapErr(rows.Err())
}
