package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// spansOf reads the spans recorded in table (case_funnel, person_funnel)
// for the items (keyed by col), in the order spans gives them.
func (s *Store) spansOf(ctx context.Context, table, col string, ids []int64) (map[int64][]funnelSpan, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	out := map[int64][]funnelSpan{}
	err := s.eachRow(ctx, `SELECT `+col+`, metric, day_from, day_to, org_id, n FROM `+table+` WHERE `+col+` IN (`+
		placeholders(1, len(ids))+`)`, args, func(r scanner) error {
		var id int64
		var sp funnelSpan
		if err := r.Scan(&id, &sp.metric, &sp.from, &sp.to, &sp.org, &sp.n); err != nil {
			return err
		}
		out[id] = append(out[id], sp)
		return nil
	})
	// a collation may order the measures otherwise than Go
	for _, list := range out {
		slices.SortFunc(list, func(a, b funnelSpan) int { return cmp.Or(cmp.Compare(a.metric, b.metric), cmp.Compare(a.from, b.from)) })
	}
	return out, err
}

// ownFunnel adds the spans of cases and people at the unit itself (not
// below it), times signs[i], to d at every unit of links[i]'s path.
func (s *Store) ownFunnel(ctx context.Context, d funnelDelta, orgID int64, links []countLink, signs []int) error {
	return s.eachRow(ctx, `SELECT metric, day_from, day_to, n FROM case_funnel WHERE org_id = $1
		UNION ALL SELECT metric, day_from, day_to, n FROM person_funnel WHERE org_id = $1`, []any{orgID}, func(r scanner) error {
		sp := funnelSpan{org: orgID}
		if err := r.Scan(&sp.metric, &sp.from, &sp.to, &sp.n); err != nil {
			return err
		}
		for i, l := range links {
			d.add(l, sp, signs[i])
		}
		return nil
	})
}

// writeFunnelCounts adds the delta to funnel_counts and removes the rows
// it brings to zero, in key order (as writeCounts).
func (s *Store) writeFunnelCounts(ctx context.Context, d funnelDelta) error {
	return s.addFunnelCounts(ctx, d, true)
}

// addFunnelCounts is writeFunnelCounts; a rebuild leaves the rows at
// zero (prune false) and removes them all at its end.
func (s *Store) addFunnelCounts(ctx context.Context, d funnelDelta, prune bool) error {
	keys := make([]funnelKey, 0, len(d))
	for k, v := range d {
		if v != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b funnelKey) int {
		return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.grain, b.grain), cmp.Compare(a.period, b.period),
			cmp.Compare(a.metric, b.metric), cmp.Compare(a.treeFrom, b.treeFrom), cmp.Compare(a.treeTo, b.treeTo))
	})
	cols := []string{"org_id", "metric", "grain", "period", "tree_from", "tree_to", "n"}
	per := s.bulkRows(len(cols))
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(keys); start += per {
		end := min(len(keys), start+per)
		args = args[:0]
		for _, k := range keys[start:end] {
			args = append(args, k.org, k.metric, k.grain, k.period, k.treeFrom, k.treeTo, d[k])
		}
		_, err := s.q.ExecContext(ctx, `INSERT INTO funnel_counts (`+strings.Join(cols, ", ")+`) VALUES `+
			s.rowPlaceholders(end-start, len(cols))+`
			ON CONFLICT (org_id, grain, period, metric, tree_from, tree_to) DO UPDATE SET n = funnel_counts.n + excluded.n`, args...)
		if err != nil {
			return mapErr(err)
		}
	}
	// the rows brought to zero go, 100 keys to a statement
	for start := 0; prune && start < len(keys); start += 100 {
		end := min(len(keys), start+100)
		var b strings.Builder
		args = args[:0]
		for i, k := range keys[start:end] {
			if i > 0 {
				b.WriteString(" OR ")
			}
			n := len(args)
			fmt.Fprintf(&b, "(org_id = $%d AND grain = $%d AND period = $%d AND metric = $%d AND tree_from = $%d AND tree_to = $%d)",
				n+1, n+2, n+3, n+4, n+5, n+6)
			args = append(args, k.org, k.grain, k.period, k.metric, k.treeFrom, k.treeTo)
		}
		if _, err := s.q.ExecContext(ctx, `DELETE FROM funnel_counts WHERE n = 0 AND (`+b.String()+`)`, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// FunnelTotals returns, for each unit, the open cases under each measure
// on day asof at the units that stood under it (or were it) in the tree
// of that day, read from funnel_counts (as PipelineTotals). Units and
// measures with none are absent.
func (s *Store) FunnelTotals(ctx context.Context, ids []int64, asof time.Time) (_ map[int64]map[string]int, err error) {
	defer wrap(&err, "store.FunnelTotals(%d)", len(ids))
	out := map[int64]map[string]int{}
	y, m, _ := asof.Date()
	month := y*100 + int(m)
	day := ymd(asof)
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(len(ids), start+500)]
		for _, sp := range [2]struct{ grain, lo, hi int }{{1, 0, month - 1}, {0, month * 100, day}} {
			args := make([]any, 0, len(batch)+4)
			args = append(args, sp.grain, sp.lo, sp.hi, day)
			for _, id := range batch {
				args = append(args, id)
			}
			rows, err := s.q.QueryContext(ctx, `SELECT org_id, metric, SUM(n) FROM funnel_counts
				WHERE org_id IN (`+placeholders(5, len(batch))+`) AND grain = $1 AND period >= $2 AND period <= $3
				  AND tree_from <= $4 AND tree_to > $4
				GROUP BY org_id, metric`, args...)
			if err != nil {
				return nil, mapErr(err)
			}
			for rows.Next() {
				var id int64
				var metric string
				var n int
				if err := rows.Scan(&id, &metric, &n); err != nil {
					rows.Close()
					return nil, err
				}
				if out[id] == nil {
					out[id] = map[string]int{}
				}
				out[id][metric] += n
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, mapErr(err)
			}
		}
	}
	for id, ms := range out {
		for k, n := range ms {
			if n == 0 {
				delete(ms, k)
			}
		}
		if len(ms) == 0 {
			delete(out, id)
		}
	}
	return out, nil
}

// rebuildFunnel recomputes case_funnel and funnel_counts from the cases
// and their facts, and residence_members from the people, inside the
// caller's transaction, and returns the cases
// with a time under some measure.
func (s *Store) rebuildFunnel(ctx context.Context, links map[int64][]countLink) (cases int, err error) {
	for _, q := range []string{`DELETE FROM case_funnel`, `DELETE FROM funnel_counts`} {
		if _, err := s.q.ExecContext(ctx, q); err != nil {
			return 0, mapErr(err)
		}
	}
	if err := s.rebuildPeopleFunnel(ctx, links); err != nil {
		return 0, err
	}
	if err := s.rebuildResidenceMembers(ctx); err != nil {
		return 0, err
	}
	ids, err := s.ids(ctx, `SELECT id FROM cases ORDER BY id`)
	if err != nil {
		return 0, err
	}
	d := funnelDelta{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := s.refreshFunnelBatch(ctx, ids[:n], d, links); err != nil {
			return 0, err
		}
		cases += n
		ids = ids[n:]
		if len(d) >= countsFlushAt || len(ids) == 0 {
			if err := s.addFunnelCounts(ctx, d, false); err != nil {
				return 0, err
			}
			d = funnelDelta{}
		}
	}
	// the rows whose entries and exits cancel out, at once
	if _, err := s.q.ExecContext(ctx, `DELETE FROM funnel_counts WHERE n = 0`); err != nil {
		return 0, mapErr(err)
	}
	return cases, nil
}

// metaFunnelCounts names the meta row that says case_funnel and
// funnel_counts have been filled for the cases already there.
const metaFunnelCounts = "funnel_counts"

// fillFunnelCounts fills the funnel's counts once per database (one made
// before migration 00023, or a bulk load's: DeferFunnel).
func (s *Store) fillFunnelCounts(ctx context.Context) (err error) {
	defer wrap(&err, "store.fillFunnelCounts")
	if v, err := s.GetMeta(ctx, metaFunnelCounts); err != nil || v == "1" {
		return err
	}
	return s.FillFunnel(ctx)
}

// FunnelCounted reports whether the funnel's counts are kept and filled
// (not while a bulk load defers them: DeferFunnel).
func (s *Store) FunnelCounted(ctx context.Context) (bool, error) {
	v, err := s.GetMeta(ctx, metaFunnelCounts)
	return v == "1", err
}

// DeferFunnel stops the funnel's counts being kept (a bulk load, which
// writes cases, their deadlines and classes in many steps): FillFunnel
// computes them once at its end, or the next Open does.
func (s *Store) DeferFunnel(ctx context.Context) error {
	return s.SetMeta(ctx, metaFunnelCounts, "0")
}

// FillFunnel computes the funnel's counts from the cases, and keeps them
// from then on.
func (s *Store) FillFunnel(ctx context.Context) (err error) {
	defer wrap(&err, "store.FillFunnel")
	return s.Tx(ctx, func(tx *Store) error {
		links, err := tx.allCountLinks(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.rebuildFunnel(ctx, links); err != nil {
			return err
		}
		return tx.SetMeta(ctx, metaFunnelCounts, "1")
	})
}

// FunnelCountRows returns the spans of case_funnel, then every row of
// funnel_counts that is not zero, in key order, as text: to compare the
// maintained counts with a rebuild.
func (s *Store) FunnelCountRows(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "store.FunnelCountRows")
	var out []string
	for _, q := range []string{
		`SELECT 'case ' || CAST(case_id AS TEXT) || ' ' || metric || ' [' || CAST(day_from AS TEXT) || ', ' || CAST(day_to AS TEXT) || ') at org ' || CAST(org_id AS TEXT) || ' x' || CAST(n AS TEXT)
			FROM case_funnel ORDER BY case_id, metric, day_from`,
		`SELECT 'person ' || CAST(person_id AS TEXT) || ' ' || metric || ' [' || CAST(day_from AS TEXT) || ', ' || CAST(day_to AS TEXT) || ') at org ' || CAST(org_id AS TEXT)
			FROM person_funnel ORDER BY person_id, metric, day_from`,
		`SELECT 'org ' || CAST(org_id AS TEXT) || ' ' || metric || ' grain ' || CAST(grain AS TEXT) || ' period ' || CAST(period AS TEXT) ||
			' tree [' || CAST(tree_from AS TEXT) || ', ' || CAST(tree_to AS TEXT) || '): ' || CAST(n AS TEXT)
			FROM funnel_counts WHERE n <> 0 ORDER BY org_id, grain, period, metric, tree_from, tree_to`,
	} {
		list, err := s.strings(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// refreshPersonFunnel refreshes the funnel of the people the query
// selects and of their cases (a class enrolment or a class changed).
func (s *Store) refreshPersonFunnel(ctx context.Context, query string, args ...any) error {
	people, err := s.ids(ctx, query, args...)
	if err != nil || len(people) == 0 {
		return err
	}
	var cases []int64
	for start := 0; start < len(people); start += 500 {
		batch := people[start:min(len(people), start+500)]
		in := make([]any, len(batch))
		for i, id := range batch {
			in[i] = id
		}
		ids, err := s.ids(ctx, `SELECT id FROM cases WHERE person_id IN (`+placeholders(1, len(batch))+`)`, in...)
		if err != nil {
			return err
		}
		cases = append(cases, ids...)
	}
	if len(cases) > 0 {
		return s.refreshFunnel(ctx, cases) // and their people
	}
	return s.refreshPeopleFunnel(ctx, people)
}

// RootsOn returns the units at the top of the tree on day (no parent that
// day).
func (s *Store) RootsOn(ctx context.Context, day time.Time) (_ []int64, err error) {
	defer wrap(&err, "store.RootsOn")
	return s.ids(ctx, on(`SELECT l.org_id FROM org_links l WHERE l.parent_id IS NULL AND `+linkOn+` ORDER BY l.org_id`, 0), dateArg(day))
}
