package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// The admissions counted per unit (migration 00018): admission_counts
// holds, for each unit, the admission decisions of the units under it,
// per day (grain 0) and per month (grain 1), for each period of the tree
// during which they stood under it. A unit's place over time is its
// org_links rows: an admission at unit X is counted once for each link of
// X, at every unit of that link's path, with the link's period. The
// roll-up on the tree of day T reads, for the units it shows, the rows
// whose period holds T: the admissions at the units that stood under them
// on T. Every write of memberships (CreateMembership, UpdateMembership,
// BulkMemberships) and of org_links (MoveOrg) changes the counts in its
// own transaction; RebuildAdmissionCounts recomputes them from scratch.

// openTreeTo is tree_to of a place still held.
const openTreeTo = 99991231

// ymd encodes a day as the integer YYYYMMDD.
func ymd(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// countKey is one row of admission_counts.
type countKey struct {
	org              int64
	grain, period    int
	treeFrom, treeTo int
}

// countDelta is a change to the counts, gathered before it is written.
type countDelta map[countKey][2]int

// link is a unit's place over a period, as admission_counts keys it.
type countLink struct {
	path             string
	treeFrom, treeTo int
}

// add counts n admissions (rec of them recorded) on day at every unit of
// the link's path.
func (d countDelta) add(l countLink, day time.Time, n, rec int) {
	y, m, _ := day.Date()
	for _, id := range pathIDs(l.path) {
		for _, k := range [2]countKey{{id, 0, ymd(day), l.treeFrom, l.treeTo}, {id, 1, y*100 + int(m), l.treeFrom, l.treeTo}} {
			v := d[k]
			d[k] = [2]int{v[0] + n, v[1] + rec}
		}
	}
}

func linkOf(path string, from time.Time, to *time.Time) countLink {
	l := countLink{path: path, treeFrom: ymd(from), treeTo: openTreeTo}
	if to != nil {
		l.treeTo = ymd(*to)
	}
	return l
}

// countLinks returns the places of the units over time, by unit.
func (s *Store) countLinks(ctx context.Context, ids []int64) (map[int64][]countLink, error) {
	out := map[int64][]countLink{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := s.q.QueryContext(ctx, `SELECT org_id, path, valid_from, valid_to FROM org_links WHERE org_id IN (`+placeholders(1, n)+`)`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var id int64
			var path string
			var from, to dateCol
			if err := rows.Scan(&id, &path, &from, &to); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], linkOf(path, from.T, to.ptr()))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// admissionCounted adds n admissions at the unit on day (rec of them
// recorded) to the counts of every place the unit held.
func (s *Store) admissionCounted(ctx context.Context, orgID int64, day time.Time, n, rec int) error {
	links, err := s.countLinks(ctx, []int64{orgID})
	if err != nil {
		return err
	}
	d := countDelta{}
	for _, l := range links[orgID] {
		d.add(l, day, n, rec)
	}
	return s.writeCounts(ctx, d)
}

// writeCounts adds the delta to admission_counts and removes the rows it
// brings to zero.
func (s *Store) writeCounts(ctx context.Context, d countDelta) error {
	keys := make([]countKey, 0, len(d))
	for k, v := range d {
		if v != [2]int{} {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	// in key order: two transactions counting under the same units lock
	// their rows in the same order (PostgreSQL), and cannot deadlock
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.grain, b.grain), cmp.Compare(a.period, b.period),
			cmp.Compare(a.treeFrom, b.treeFrom), cmp.Compare(a.treeTo, b.treeTo))
	})
	cols := []string{"org_id", "grain", "period", "tree_from", "tree_to", "n", "recorded"}
	per := s.bulkRows(len(cols))
	args := make([]any, 0, per*len(cols))
	negative := false
	for start := 0; start < len(keys); start += per {
		end := min(len(keys), start+per)
		args = args[:0]
		for _, k := range keys[start:end] {
			v := d[k]
			negative = negative || v[0] < 0 || v[1] < 0
			args = append(args, k.org, k.grain, k.period, k.treeFrom, k.treeTo, v[0], v[1])
		}
		_, err := s.q.ExecContext(ctx, `INSERT INTO admission_counts (`+strings.Join(cols, ", ")+`) VALUES `+
			s.rowPlaceholders(end-start, len(cols))+`
			ON CONFLICT (org_id, grain, period, tree_from, tree_to) DO UPDATE
			SET n = admission_counts.n + excluded.n, recorded = admission_counts.recorded + excluded.recorded`, args...)
		if err != nil {
			return mapErr(err)
		}
	}
	if !negative {
		return nil
	}
	var lower []countKey // the rows a negative delta may have brought to zero go
	for _, k := range keys {
		if v := d[k]; v[0] < 0 || v[1] < 0 {
			lower = append(lower, k)
		}
	}
	return s.deleteZeroRows(ctx, "admission_counts", "n = 0 AND recorded = 0", lower)
}

// ownAdmissions adds the admissions at the unit itself (not below it),
// times signs[i], to d at every unit of links[i]'s path.
func (s *Store) ownAdmissions(ctx context.Context, d countDelta, orgID int64, links []countLink, signs []int) error {
	rows, err := s.q.QueryContext(ctx, `SELECT decision_date, COUNT(*), SUM(CASE WHEN origin <> 'case' THEN 1 ELSE 0 END)
		FROM memberships WHERE admitted_org_id = $1 GROUP BY decision_date`, orgID)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var day dateCol
		var n, rec int
		if err := rows.Scan(&day, &n, &rec); err != nil {
			return err
		}
		for i, l := range links {
			d.add(l, day.T, signs[i]*n, signs[i]*rec)
		}
	}
	return mapErr(rows.Err())
}

// AdmissionTotal is the admissions of a unit's subtree in a window.
type AdmissionTotal struct {
	N, Recorded int
}

// AdmissionTotals returns, for each unit, the admission decisions dated
// in [from, to] at the units that stood under it (or were it) in the tree
// of day on, read from admission_counts: whole months from the monthly
// rows, the days of the months begun or ended inside the window from the
// daily ones. Units with none are absent.
func (s *Store) AdmissionTotals(ctx context.Context, ids []int64, on, from, to time.Time) (_ map[int64]AdmissionTotal, err error) {
	defer wrap(&err, "store.AdmissionTotals(%d)", len(ids))
	out := map[int64]AdmissionTotal{}
	if len(ids) == 0 || to.Before(from) {
		return out, nil
	}
	type span struct{ grain, lo, hi int }
	var spans []span
	monthOf := func(t time.Time) int { y, m, _ := t.Date(); return y*100 + int(m) }
	first := func(t time.Time) time.Time { y, m, _ := t.Date(); return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	lastOf := func(t time.Time) time.Time { return first(t).AddDate(0, 1, -1) }
	switch {
	case monthOf(from) == monthOf(to):
		if from.Equal(first(from)) && to.Equal(lastOf(to)) {
			spans = append(spans, span{1, monthOf(from), monthOf(to)})
		} else {
			spans = append(spans, span{0, ymd(from), ymd(to)})
		}
	default:
		lo, hi := first(from), first(to)
		if !from.Equal(lo) { // the rest of the first month, by day
			spans = append(spans, span{0, ymd(from), ymd(lastOf(from))})
			lo = lo.AddDate(0, 1, 0)
		}
		if to.Equal(lastOf(to)) { // the last month is whole
			hi = hi.AddDate(0, 1, 0)
		} else {
			spans = append(spans, span{0, ymd(first(to)), ymd(to)})
		}
		if lo.Before(hi) {
			spans = append(spans, span{1, monthOf(lo), monthOf(hi.AddDate(0, 0, -1))})
		}
	}
	day := ymd(on)
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(len(ids), start+500)]
		for _, sp := range spans {
			args := make([]any, 0, len(batch)+4)
			args = append(args, sp.grain, sp.lo, sp.hi, day)
			for _, id := range batch {
				args = append(args, id)
			}
			rows, err := s.q.QueryContext(ctx, `SELECT org_id, SUM(n), SUM(recorded) FROM admission_counts
				WHERE org_id IN (`+placeholders(5, len(batch))+`) AND grain = $1 AND period >= $2 AND period <= $3
				  AND tree_from <= $4 AND tree_to > $4
				GROUP BY org_id`, args...)
			if err != nil {
				return nil, mapErr(err)
			}
			for rows.Next() {
				var id int64
				var n, rec int
				if err := rows.Scan(&id, &n, &rec); err != nil {
					rows.Close()
					return nil, err
				}
				t := out[id]
				out[id] = AdmissionTotal{t.N + n, t.Recorded + rec}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, mapErr(err)
			}
		}
	}
	for id, t := range out {
		if t == (AdmissionTotal{}) {
			delete(out, id)
		}
	}
	return out, nil
}

// countsFlushAt is how many rows of counts a rebuild gathers before it
// writes them (adding is commutative, so it may write in parts).
const countsFlushAt = 200_000

// allCountLinks returns the places of every unit over time, by unit.
func (s *Store) allCountLinks(ctx context.Context) (map[int64][]countLink, error) {
	links := map[int64][]countLink{}
	r, err := s.q.QueryContext(ctx, `SELECT org_id, path, valid_from, valid_to FROM org_links`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer r.Close()
	for r.Next() {
		var id int64
		var path string
		var from, to dateCol
		if err := r.Scan(&id, &path, &from, &to); err != nil {
			return nil, err
		}
		links[id] = append(links[id], linkOf(path, from.T, to.ptr()))
	}
	return links, mapErr(r.Err())
}

// CountsRebuilt is what RebuildAdmissionCounts wrote.
type CountsRebuilt struct {
	Rows     int // rows of admission_counts
	Pipeline int // cases with a time in the pipeline
	Funnel   int // cases whose funnel was computed
}

// RebuildAdmissionCounts recomputes admission_counts from the memberships
// and the units' places, and the pipeline (case_pipeline, pipeline_counts)
// from the cases, in one transaction; progress, when not nil, is told the
// memberships read so far and their total.
func (s *Store) RebuildAdmissionCounts(ctx context.Context, progress func(done, total int)) (out CountsRebuilt, err error) {
	defer wrap(&err, "store.RebuildAdmissionCounts")
	err = s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM admission_counts`); err != nil {
			return mapErr(err)
		}
		links, err := tx.allCountLinks(ctx)
		if err != nil {
			return err
		}
		if out.Pipeline, err = tx.rebuildPipeline(ctx, links); err != nil {
			return err
		}
		if err := tx.SetMeta(ctx, metaPipelineCounts, "1"); err != nil {
			return err
		}
		if out.Funnel, err = tx.rebuildFunnel(ctx, links); err != nil {
			return err
		}
		if err := tx.SetMeta(ctx, metaFunnelCounts, "1"); err != nil {
			return err
		}
		var total int
		if err := tx.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships`).Scan(&total); err != nil {
			return mapErr(err)
		}
		type group struct {
			org    int64
			day    time.Time
			n, rec int
		}
		var groups []group
		r, err := tx.q.QueryContext(ctx, `SELECT admitted_org_id, decision_date, COUNT(*), SUM(CASE WHEN origin <> 'case' THEN 1 ELSE 0 END)
			FROM memberships GROUP BY admitted_org_id, decision_date`)
		if err != nil {
			return mapErr(err)
		}
		for r.Next() {
			var g group
			var day dateCol
			if err := r.Scan(&g.org, &day, &g.n, &g.rec); err != nil {
				r.Close()
				return err
			}
			g.day = day.T
			groups = append(groups, g)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return mapErr(err)
		}
		d, done := countDelta{}, 0
		for _, g := range groups {
			for _, l := range links[g.org] {
				d.add(l, g.day, g.n, g.rec)
			}
			done += g.n
			if len(d) >= countsFlushAt {
				if err := tx.writeCounts(ctx, d); err != nil {
					return err
				}
				d = countDelta{}
				if progress != nil {
					progress(done, total)
				}
			}
		}
		if err := tx.writeCounts(ctx, d); err != nil {
			return err
		}
		if progress != nil {
			progress(total, total)
		}
		return tx.SetMeta(ctx, metaAdmissionCounts, "1")
	})
	if err != nil {
		return out, err
	}
	err = s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM admission_counts`).Scan(&out.Rows)
	return out, mapErr(err)
}

// metaAdmissionCounts names the meta row that says admission_counts has
// been filled for the memberships already there.
const metaAdmissionCounts = "admission_counts"

// fillAdmissionCounts fills admission_counts once per database (the
// writes after go through the store's maintenance).
func (s *Store) fillAdmissionCounts(ctx context.Context) (err error) {
	defer wrap(&err, "store.fillAdmissionCounts")
	if v, err := s.GetMeta(ctx, metaAdmissionCounts); err != nil || v == "1" {
		return err
	}
	_, err = s.RebuildAdmissionCounts(ctx, nil)
	return err
}

// metaPipelineCounts names the meta row that says case_pipeline and
// pipeline_counts have been filled for the cases already there.
const metaPipelineCounts = "pipeline_counts"

// fillPipelineCounts fills the pipeline's counts once per database (a
// database whose admission counts were filled before migration 00021).
func (s *Store) fillPipelineCounts(ctx context.Context) (err error) {
	defer wrap(&err, "store.fillPipelineCounts")
	if v, err := s.GetMeta(ctx, metaPipelineCounts); err != nil || v == "1" {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		links, err := tx.allCountLinks(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.rebuildPipeline(ctx, links); err != nil {
			return err
		}
		return tx.SetMeta(ctx, metaPipelineCounts, "1")
	})
}

// AdmissionCountRow is one row of admission_counts, to compare the
// maintained counts with a rebuild.
type AdmissionCountRow struct {
	OrgID            int64
	Grain, Period    int
	TreeFrom, TreeTo int
	N, Recorded      int
}

func (r AdmissionCountRow) String() string {
	return fmt.Sprintf("org %d grain %d period %d tree [%d, %d): %d (%d recorded)", r.OrgID, r.Grain, r.Period, r.TreeFrom, r.TreeTo, r.N, r.Recorded)
}

// AdmissionCountRows returns every row of admission_counts that is not
// zero, in key order.
func (s *Store) AdmissionCountRows(ctx context.Context) (_ []AdmissionCountRow, err error) {
	defer wrap(&err, "store.AdmissionCountRows")
	rows, err := s.q.QueryContext(ctx, `SELECT org_id, grain, period, tree_from, tree_to, n, recorded FROM admission_counts
		WHERE n <> 0 OR recorded <> 0 ORDER BY org_id, grain, period, tree_from, tree_to`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []AdmissionCountRow
	for rows.Next() {
		var r AdmissionCountRow
		if err := rows.Scan(&r.OrgID, &r.Grain, &r.Period, &r.TreeFrom, &r.TreeTo, &r.N, &r.Recorded); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// UnitPlace is a unit's place in the tree of a day and whether it was
// open that day.
type UnitPlace struct {
	ID     int64
	Parent int64
	Path   string
	Open   bool
}

// NotOpenUnder returns the units that stood strictly under path in the
// tree of day on but were not open that day (founded later, or closed),
// by path. They are few: found by the founding and closing dates.
func (s *Store) NotOpenUnder(ctx context.Context, path string, on time.Time) (_ []UnitPlace, err error) {
	defer wrap(&err, "store.NotOpenUnder")
	lo, hi := pathRange(path)
	// from the founding and closing dates (CROSS JOIN keeps SQLite's
	// planner from starting at every link under path)
	rows, err := s.q.QueryContext(ctx, on2(`SELECT o.id, l.parent_id, l.path FROM orgs o CROSS JOIN org_links l
		WHERE o.valid_from > $d AND l.org_id = o.id AND `+linkOn+` AND l.path > $1 AND l.path < $2
		UNION ALL SELECT o.id, l.parent_id, l.path FROM orgs o CROSS JOIN org_links l
		WHERE o.valid_to <= $d AND l.org_id = o.id AND `+linkOn+` AND l.path > $1 AND l.path < $2`), lo, hi, dateArg(on))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []UnitPlace
	for rows.Next() {
		var u UnitPlace
		var parent nullID
		if err := rows.Scan(&u.ID, &parent, &u.Path); err != nil {
			return nil, err
		}
		u.Parent = int64(parent)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	slices.SortFunc(out, func(a, b UnitPlace) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

func on2(q string) string { return on(q, 2) }

// PlacesOn returns the units' places in the tree of day on and whether
// each was open that day; a unit with no place that day is absent.
func (s *Store) PlacesOn(ctx context.Context, ids []int64, day time.Time) (_ map[int64]UnitPlace, err error) {
	defer wrap(&err, "store.PlacesOn(%d)", len(ids))
	out := map[int64]UnitPlace{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, 0, n+1)
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		args = append(args, dateArg(day))
		rows, err := s.q.QueryContext(ctx, on(`SELECT o.id, l.parent_id, l.path, CASE WHEN `+orgOn+` THEN 1 ELSE 0 END
			FROM orgs o JOIN org_links l ON l.org_id = o.id AND `+linkOn+` WHERE o.id IN (`+placeholders(1, n)+`)`, n), args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var u UnitPlace
			var parent nullID
			var open int
			if err := rows.Scan(&u.ID, &parent, &u.Path, &open); err != nil {
				rows.Close()
				return nil, err
			}
			u.Parent, u.Open = int64(parent), open == 1
			out[u.ID] = u
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// ChildPlacesOn returns the units open on day on whose parent that day
// is one of parents, by path.
func (s *Store) ChildPlacesOn(ctx context.Context, parents []int64, day time.Time) (_ []UnitPlace, err error) {
	defer wrap(&err, "store.ChildPlacesOn(%d)", len(parents))
	var out []UnitPlace
	for len(parents) > 0 {
		n := min(len(parents), 500)
		args := make([]any, 0, n+1)
		for _, id := range parents[:n] {
			args = append(args, id)
		}
		args = append(args, dateArg(day))
		rows, err := s.q.QueryContext(ctx, on(`SELECT o.id, l.parent_id, l.path FROM org_links l JOIN orgs o ON o.id = l.org_id
			WHERE l.parent_id IN (`+placeholders(1, n)+`) AND `+linkOn+` AND `+orgOn, n), args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			u := UnitPlace{Open: true}
			var parent nullID
			if err := rows.Scan(&u.ID, &parent, &u.Path); err != nil {
				rows.Close()
				return nil, err
			}
			u.Parent = int64(parent)
			out = append(out, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
		parents = parents[n:]
	}
	slices.SortFunc(out, func(a, b UnitPlace) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// TargetsOf returns the targets of a year of the units.
func (s *Store) TargetsOf(ctx context.Context, ids []int64, year int) (_ []*domain.Target, err error) {
	defer wrap(&err, "store.TargetsOf(%d)", year)
	var out []*domain.Target
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, 0, n+1)
		args = append(args, year)
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		rows, err := s.q.QueryContext(ctx, `SELECT org_id, kind, value, deadline FROM targets
			WHERE year = $1 AND org_id IN (`+placeholders(2, n)+`)`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			t := &domain.Target{Year: year}
			var deadline dateCol
			if err := rows.Scan(&t.OrgID, &t.Kind, &t.Value, &deadline); err != nil {
				rows.Close()
				return nil, err
			}
			t.Deadline = deadline.ptr()
			out = append(out, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// YearHasTargets says whether any unit has a target for the year.
func (s *Store) YearHasTargets(ctx context.Context, year int) (_ bool, err error) {
	defer wrap(&err, "store.YearHasTargets(%d)", year)
	var n int
	err = s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM targets WHERE year = $1 LIMIT 1) x`, year).Scan(&n)
	return n > 0, mapErr(err)
}
