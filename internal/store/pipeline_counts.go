package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The pipeline counted per unit (migration 00021): the cases past the
// chapter vote and not yet decided on a day, as pipelineCounts computes
// them from the cases, kept as each case's time in the pipeline
// (case_pipeline: [day_from, day_to) at a unit, cut at its transfers) and
// as the entries (+1) and exits (-1) of those spans summed up the tree per
// day and per month (pipeline_counts, keyed like admission_counts by the
// period of the tree). Every write of a case, of its votes or transfers
// (and of the cases moved with their unit) recomputes the case's spans
// in its transaction (refreshPipeline) and counts the difference; a move
// of units (MoveOrg) moves the spans at them from the places they held to
// those they hold; RebuildAdmissionCounts recomputes both from scratch.

// pipeSpan is a case's time in the pipeline at one unit: the days d with
// from <= d < to (YYYYMMDD).
type pipeSpan struct {
	org      int64
	from, to int
}

// pipeDelta is a change to pipeline_counts, gathered before it is written.
type pipeDelta map[countKey]int

// add counts the span, times sign, at every unit of the link's path: its
// entry and, when it has left, its exit, by day and by month.
func (d pipeDelta) add(l countLink, sp pipeSpan, sign int) {
	for _, ev := range [2]struct{ day, n int }{{sp.from, sign}, {sp.to, -sign}} {
		if ev.day >= openTreeTo {
			continue
		}
		for _, id := range pathIDs(l.path) {
			d[countKey{id, 0, ev.day, l.treeFrom, l.treeTo}] += ev.n
			d[countKey{id, 1, ev.day / 100, l.treeFrom, l.treeTo}] += ev.n
		}
	}
}

// caseFacts are what a case's time in the pipeline depends on.
type caseFacts struct {
	org             int64
	opened          int
	closed, decided int  // 0: not
	early           bool // at the source or dossier stage
	passedChapter   int  // the first passed chapter admission vote, 0: none
	failed          int  // the first failed admission vote, 0: none
	transfers       []caseMove
}

// placedMoveID is the id given to a merger's move of a case: it sorts
// after every transfer of its day.
const placedMoveID = int64(1) << 62

type caseMove struct {
	id   int64
	day  int
	from int64
}

// pipeline computes the case's spans, day for day as pipelineCounts
// judges it: on day D the case counts when it was opened, had a passed
// chapter admission vote and no failed admission vote by D, and was
// neither closed nor decided by D, at the unit it was transferred from by
// the first transfer after D (its own unit when none). The query reads
// the open undecided cases only past the source and dossier stages, and
// the others through a transfer after D: a case still at those stages
// counts only before its last transfer.
func (f *caseFacts) pipeline() []pipeSpan {
	if f.passedChapter == 0 {
		return nil
	}
	from, to := max(f.opened, f.passedChapter), openTreeTo
	for _, d := range []int{f.closed, f.decided, f.failed} {
		if d != 0 {
			to = min(to, d)
		}
	}
	slices.SortFunc(f.transfers, func(a, b caseMove) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.id, b.id)) })
	if f.closed == 0 && f.decided == 0 && f.early {
		last := 0
		if n := len(f.transfers); n > 0 {
			last = f.transfers[n-1].day
		}
		to = min(to, last)
	}
	if from >= to {
		return nil
	}
	var out []pipeSpan
	piece := func(lo, hi int, org int64) {
		lo, hi = max(lo, from), min(hi, to)
		if lo >= hi {
			return
		}
		if n := len(out); n > 0 && out[n-1].org == org && out[n-1].to == lo {
			out[n-1].to = hi
			return
		}
		out = append(out, pipeSpan{org, lo, hi})
	}
	lo := 0
	for i, t := range f.transfers {
		if i > 0 && f.transfers[i-1].day == t.day {
			continue // the first transfer of a day names the unit before it
		}
		piece(lo, t.day, t.from)
		lo = t.day
	}
	piece(lo, openTreeTo, f.org)
	return out
}

// refreshPipeline recomputes the time in the pipeline of the cases from
// their facts, and counts what changed, and their funnel (refreshFunnel);
// every store method that writes a case, its votes or its transfers calls
// it in its transaction.
func (s *Store) refreshPipeline(ctx context.Context, ids []int64) error {
	seen := map[int64]bool{}
	uniq := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	slices.Sort(uniq)
	ids = slices.Clone(uniq)
	d := pipeDelta{}
	for len(uniq) > 0 {
		n := min(len(uniq), 500)
		if err := s.refreshPipelineBatch(ctx, uniq[:n], d); err != nil {
			return err
		}
		uniq = uniq[n:]
	}
	if err := s.writePipeCounts(ctx, d); err != nil {
		return err
	}
	return s.refreshFunnel(ctx, ids)
}

func (s *Store) refreshPipelineBatch(ctx context.Context, ids []int64, d pipeDelta) error {
	facts, err := s.caseFactsOf(ctx, ids)
	if err != nil {
		return err
	}
	old, err := s.pipeSpansOf(ctx, ids)
	if err != nil {
		return err
	}
	changed := map[int64][2][]pipeSpan{}
	units := map[int64]bool{}
	for _, id := range ids {
		var now []pipeSpan
		if f := facts[id]; f != nil {
			now = f.pipeline()
		}
		if slices.Equal(now, old[id]) {
			continue
		}
		changed[id] = [2][]pipeSpan{old[id], now}
		for _, sp := range append(slices.Clip(old[id]), now...) {
			units[sp.org] = true
		}
	}
	if len(changed) == 0 {
		return nil
	}
	orgs := make([]int64, 0, len(units))
	for id := range units {
		orgs = append(orgs, id)
	}
	links, err := s.countLinks(ctx, orgs)
	if err != nil {
		return err
	}
	var gone []int64
	var rows []any
	for _, id := range ids {
		c, ok := changed[id]
		if !ok {
			continue
		}
		if len(c[0]) > 0 {
			gone = append(gone, id)
		}
		for _, sp := range c[0] {
			for _, l := range links[sp.org] {
				d.add(l, sp, -1)
			}
		}
		for _, sp := range c[1] {
			for _, l := range links[sp.org] {
				d.add(l, sp, 1)
			}
			rows = append(rows, id, sp.from, sp.to, sp.org)
		}
	}
	if len(gone) > 0 {
		args := make([]any, len(gone))
		for i, id := range gone {
			args[i] = id
		}
		if _, err := s.q.ExecContext(ctx, `DELETE FROM case_pipeline WHERE case_id IN (`+placeholders(1, len(gone))+`)`, args...); err != nil {
			return mapErr(err)
		}
	}
	return s.insertPipeSpans(ctx, rows)
}

// insertPipeSpans writes rows of case_pipeline (case, from, to, unit).
func (s *Store) insertPipeSpans(ctx context.Context, rows []any) error {
	cols := []string{"case_id", "day_from", "day_to", "org_id"}
	return s.insertRows(ctx, "case_pipeline", cols, len(rows)/4, func(i int) []any { return rows[i*4 : i*4+4] })
}

// caseFactsOf reads the facts of the cases' time in the pipeline.
func (s *Store) caseFactsOf(ctx context.Context, ids []int64) (map[int64]*caseFacts, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := placeholders(1, len(ids))
	out := map[int64]*caseFacts{}
	rows, err := s.q.QueryContext(ctx, `SELECT id, org_id, opened_on, closed_on, decision_date, stage FROM cases WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	for rows.Next() {
		var id int64
		var opened, closed, decided dateCol
		var stage string
		f := &caseFacts{}
		if err := rows.Scan(&id, &f.org, &opened, &closed, &decided, &stage); err != nil {
			rows.Close()
			return nil, err
		}
		f.opened, f.closed, f.decided = ymdOf(opened), ymdOf(closed), ymdOf(decided)
		f.early = stage == "source" || stage == "dossier"
		out[id] = f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	rows, err = s.q.QueryContext(ctx, `SELECT case_id, level, passed, date FROM case_votes WHERE purpose = 'admission' AND case_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	first := func(cur *int, d int) {
		if *cur == 0 || d < *cur {
			*cur = d
		}
	}
	for rows.Next() {
		var id int64
		var level string
		var passed bool
		var day dateCol
		if err := rows.Scan(&id, &level, &passed, &day); err != nil {
			rows.Close()
			return nil, err
		}
		f := out[id]
		switch {
		case f == nil:
		case !passed:
			first(&f.failed, ymd(day.T))
		case level == "chapter":
			first(&f.passedChapter, ymd(day.T))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	// A merger's move (placements) cuts the case's time like a transfer,
	// after the transfers of its day (caseOrgOn).
	rows, err = s.q.QueryContext(ctx, caseMovesOf(in), args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m caseMove
		var day dateCol
		if err := rows.Scan(&id, &m.id, &day, &m.from); err != nil {
			return nil, err
		}
		m.day = ymd(day.T)
		if f := out[id]; f != nil {
			f.transfers = append(f.transfers, m)
		}
	}
	return out, mapErr(rows.Err())
}

func ymdOf(d dateCol) int {
	if !d.Valid {
		return 0
	}
	return ymd(d.T)
}

// pipeSpansOf reads the spans recorded for the cases, in order.
func (s *Store) pipeSpansOf(ctx context.Context, ids []int64) (map[int64][]pipeSpan, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.q.QueryContext(ctx, `SELECT case_id, day_from, day_to, org_id FROM case_pipeline WHERE case_id IN (`+
		placeholders(1, len(ids))+`) ORDER BY case_id, day_from`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64][]pipeSpan{}
	for rows.Next() {
		var id int64
		var sp pipeSpan
		if err := rows.Scan(&id, &sp.from, &sp.to, &sp.org); err != nil {
			return nil, err
		}
		out[id] = append(out[id], sp)
	}
	return out, mapErr(rows.Err())
}

// ownPipeline adds the spans at the unit itself (not below it), times
// signs[i], to d at every unit of links[i]'s path.
func (s *Store) ownPipeline(ctx context.Context, d pipeDelta, orgID int64, links []countLink, signs []int) error {
	rows, err := s.q.QueryContext(ctx, `SELECT day_from, day_to FROM case_pipeline WHERE org_id = $1`, orgID)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		sp := pipeSpan{org: orgID}
		if err := rows.Scan(&sp.from, &sp.to); err != nil {
			return err
		}
		for i, l := range links {
			d.add(l, sp, signs[i])
		}
	}
	return mapErr(rows.Err())
}

// writePipeCounts adds the delta to pipeline_counts and removes the rows
// it brings to zero, in key order (as writeCounts).
func (s *Store) writePipeCounts(ctx context.Context, d pipeDelta) error {
	return s.addPipeCounts(ctx, d, true)
}

// addPipeCounts is writePipeCounts; a rebuild leaves the rows at zero
// (prune false) and removes them all at its end.
func (s *Store) addPipeCounts(ctx context.Context, d pipeDelta, prune bool) error {
	keys := make([]countKey, 0, len(d))
	for k, v := range d {
		if v != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.grain, b.grain), cmp.Compare(a.period, b.period),
			cmp.Compare(a.treeFrom, b.treeFrom), cmp.Compare(a.treeTo, b.treeTo))
	})
	cols := []string{"org_id", "grain", "period", "tree_from", "tree_to", "n"}
	per := s.bulkRows(len(cols))
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(keys); start += per {
		end := min(len(keys), start+per)
		args = args[:0]
		for _, k := range keys[start:end] {
			args = append(args, k.org, k.grain, k.period, k.treeFrom, k.treeTo, d[k])
		}
		_, err := s.q.ExecContext(ctx, `INSERT INTO pipeline_counts (`+strings.Join(cols, ", ")+`) VALUES `+
			s.rowPlaceholders(end-start, len(cols))+`
			ON CONFLICT (org_id, grain, period, tree_from, tree_to) DO UPDATE SET n = pipeline_counts.n + excluded.n`, args...)
		if err != nil {
			return mapErr(err)
		}
	}
	// the rows brought to zero go
	if !prune {
		return nil
	}
	return s.deleteZeroRows(ctx, "pipeline_counts", "n = 0", keys)
}

// deleteZeroRows removes the rows of a counts table at keys that are
// empty (zero, a condition on its counts), 100 keys to a statement.
func (s *Store) deleteZeroRows(ctx context.Context, table, zero string, keys []countKey) error {
	args := make([]any, 0, 500)
	for start := 0; start < len(keys); start += 100 {
		end := min(len(keys), start+100)
		var b strings.Builder
		args = args[:0]
		for i, k := range keys[start:end] {
			if i > 0 {
				b.WriteString(" OR ")
			}
			n := len(args)
			fmt.Fprintf(&b, "(org_id = $%d AND grain = $%d AND period = $%d AND tree_from = $%d AND tree_to = $%d)", n+1, n+2, n+3, n+4, n+5)
			args = append(args, k.org, k.grain, k.period, k.treeFrom, k.treeTo)
		}
		if _, err := s.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+zero+` AND (`+b.String()+`)`, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// PipelineTotals returns, for each unit, the cases past the chapter vote
// and not decided on day asof at the units that stood under it (or were
// it) in the tree of day on, read from pipeline_counts: the entries and
// exits of the months before asof's and of its days up to asof. Units
// with none are absent.
func (s *Store) PipelineTotals(ctx context.Context, ids []int64, on, asof time.Time) (_ map[int64]int, err error) {
	defer wrap(&err, "store.PipelineTotals(%d)", len(ids))
	out := map[int64]int{}
	y, m, _ := asof.Date()
	month := y*100 + int(m)
	day := ymd(on)
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(len(ids), start+500)]
		for _, sp := range [2]struct{ grain, lo, hi int }{{1, 0, month - 1}, {0, month * 100, ymd(asof)}} {
			args := make([]any, 0, len(batch)+4)
			args = append(args, sp.grain, sp.lo, sp.hi, day)
			for _, id := range batch {
				args = append(args, id)
			}
			rows, err := s.q.QueryContext(ctx, `SELECT org_id, SUM(n) FROM pipeline_counts
				WHERE org_id IN (`+placeholders(5, len(batch))+`) AND grain = $1 AND period >= $2 AND period <= $3
				  AND tree_from <= $4 AND tree_to > $4
				GROUP BY org_id`, args...)
			if err != nil {
				return nil, mapErr(err)
			}
			for rows.Next() {
				var id int64
				var n int
				if err := rows.Scan(&id, &n); err != nil {
					rows.Close()
					return nil, err
				}
				out[id] += n
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, mapErr(err)
			}
		}
	}
	for id, n := range out {
		if n == 0 {
			delete(out, id)
		}
	}
	return out, nil
}

// PipelineSpansUnder returns, per unit under path in the tree of day,
// the cases in the pipeline on day asof (from case_pipeline), with each
// unit's path that day: what pipelineCounts computes from the cases.

func (s *Store) PipelineSpansUnder(ctx context.Context, path string, day, asof time.Time) (_ map[int64]int, paths map[int64]string, err error) {
	defer wrap(&err, "store.PipelineSpansUnder")
	lo, hi := pathRange(path)
	a := ymd(asof)
	rows, err := s.q.QueryContext(ctx, on(`SELECT l.org_id, l.path, COUNT(*) FROM org_links l
		JOIN case_pipeline p ON p.org_id = l.org_id AND p.day_from <= $3 AND p.day_to > $3
		WHERE l.path >= $1 AND l.path < $2 AND `+linkOn+`
		GROUP BY l.org_id, l.path`, 3), lo, hi, a, dateArg(day))
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	out, paths := map[int64]int{}, map[int64]string{}
	for rows.Next() {
		var id int64
		var p string
		var n int
		if err := rows.Scan(&id, &p, &n); err != nil {
			return nil, nil, err
		}
		out[id] += n
		paths[id] = p
	}
	return out, paths, mapErr(rows.Err())
}

// rebuildPipeline recomputes case_pipeline and pipeline_counts from the
// cases, their votes and transfers and the units' places, inside the
// caller's transaction, and returns the cases in the pipeline on some day.
func (s *Store) rebuildPipeline(ctx context.Context, links map[int64][]countLink) (cases int, err error) {
	for _, q := range []string{`DELETE FROM case_pipeline`, `DELETE FROM pipeline_counts`} {
		if _, err := s.q.ExecContext(ctx, q); err != nil {
			return 0, mapErr(err)
		}
	}
	// only the cases with a passed chapter admission vote have spans
	ids, err := s.ids(ctx, `SELECT DISTINCT case_id FROM case_votes WHERE purpose = 'admission' AND level = 'chapter' AND passed ORDER BY case_id`)
	if err != nil {
		return 0, err
	}
	d := pipeDelta{}
	var rows []any
	for len(ids) > 0 {
		n := min(len(ids), 500)
		facts, err := s.caseFactsOf(ctx, ids[:n])
		if err != nil {
			return 0, err
		}
		for _, id := range ids[:n] {
			f := facts[id]
			if f == nil {
				continue
			}
			spans := f.pipeline()
			if len(spans) > 0 {
				cases++
			}
			for _, sp := range spans {
				for _, l := range links[sp.org] {
					d.add(l, sp, 1)
				}
				rows = append(rows, id, sp.from, sp.to, sp.org)
			}
		}
		ids = ids[n:]
		if len(d) >= countsFlushAt || len(ids) == 0 {
			if err := s.addPipeCounts(ctx, d, false); err != nil {
				return 0, err
			}
			if err := s.insertPipeSpans(ctx, rows); err != nil {
				return 0, err
			}
			d, rows = pipeDelta{}, rows[:0]
		}
	}
	// the rows whose entries and exits cancel out, at once
	if _, err := s.q.ExecContext(ctx, `DELETE FROM pipeline_counts WHERE n = 0`); err != nil {
		return 0, mapErr(err)
	}
	return cases, nil
}

// PipelineCountRow is one row of pipeline_counts, or of case_pipeline
// (Grain -1: OrgID the unit, Period the case, TreeFrom and TreeTo the
// span), to compare the maintained counts with a rebuild.
type PipelineCountRow struct {
	OrgID            int64
	Grain, Period    int
	TreeFrom, TreeTo int
	N                int
}

func (r PipelineCountRow) String() string {
	if r.Grain < 0 {
		return fmt.Sprintf("case %d at org %d in the pipeline [%d, %d)", r.Period, r.OrgID, r.TreeFrom, r.TreeTo)
	}
	return fmt.Sprintf("org %d grain %d period %d tree [%d, %d): %+d", r.OrgID, r.Grain, r.Period, r.TreeFrom, r.TreeTo, r.N)
}

// PipelineCountRows returns the spans of case_pipeline, then every row of
// pipeline_counts that is not zero, in key order.
func (s *Store) PipelineCountRows(ctx context.Context) (_ []PipelineCountRow, err error) {
	defer wrap(&err, "store.PipelineCountRows")
	var out []PipelineCountRow
	for _, q := range []string{
		`SELECT org_id, -1, case_id, day_from, day_to, 0 FROM case_pipeline ORDER BY case_id, day_from`,
		`SELECT org_id, grain, period, tree_from, tree_to, n FROM pipeline_counts WHERE n <> 0 ORDER BY org_id, grain, period, tree_from, tree_to`,
	} {
		rows, err := s.q.QueryContext(ctx, q)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var r PipelineCountRow
			if err := rows.Scan(&r.OrgID, &r.Grain, &r.Period, &r.TreeFrom, &r.TreeTo, &r.N); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
	}
	return out, nil
}
