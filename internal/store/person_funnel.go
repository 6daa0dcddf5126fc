package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"ketnap/internal/domain"
)

// The sources of the funnel counted per unit (migration 00024): a person's
// time as a source without an open case and as a source not sent to a
// class, as SourcesWithoutCase and SourcesNotSentByOrg count them, kept
// in person_funnel and counted in funnel_counts with the cases' measures.

// The people's measures.
const (
	FunnelLoose   = "+loose"    // a source without a case open that day
	FunnelNotSent = "+not_sent" // a source not sent to a class for more than FunnelNotSentMonths
)

// FunnelNotSentMonths is the months in the pool after which a source not
// sent to an awareness class counts as not sent (the classes report's
// default alert).
const FunnelNotSentMonths = 6

// firstDay stands for "always" as the start of a person's span.
const firstDay = 10000101

// personCase is what a person's measures read of one of their cases.
type personCase struct {
	opened, closed, dossier int
	fromSource              bool // stage_before = 'source'
}

// personFacts are what a person's measures depend on.
type personFacts struct {
	org        int64
	stage      string
	created    int // the UTC day of the person's record
	since      int // in the pool since (source_pool), 0: not recorded
	cases      []personCase
	moves      []caseMove // a merger's moves of the person (placements), by day
	classStart int
}

// NotSentCutoff is the last day a source may have entered the pool (or
// been recorded) on to count as not sent to a class on asof.
func NotSentCutoff(asof time.Time) time.Time {
	return domain.AddMonths(asof, -FunnelNotSentMonths).AddDate(0, 0, -1)
}

// notSentDay is the first day on which a source in the pool since day s
// counts as not sent (NotSentCutoff of that day is s or later).
func notSentDay(s int) int {
	d := dayOf(s).AddDate(0, FunnelNotSentMonths, -3)
	for ymd(NotSentCutoff(d)) >= s {
		d = d.AddDate(0, 0, -1)
	}
	for ymd(NotSentCutoff(d)) < s {
		d = d.AddDate(0, 0, 1)
	}
	return ymd(d)
}

// orgOn is the unit the person belonged to on day: the one a merger's
// first move after the day took them from, else their current one.
func (f *personFacts) orgOn(day int) int64 {
	for _, m := range f.moves {
		if m.day > day {
			return m.from
		}
	}
	return f.org
}

// measuresOn adds the person's measures on day.
func (f *personFacts) measuresOn(day int, add func(string, int)) {
	openOn, currentlyOpen, later, notDossier := false, false, false, false
	for _, c := range f.cases {
		openOn = openOn || c.opened <= day && (c.closed == 0 || c.closed > day)
		currentlyOpen = currentlyOpen || c.closed == 0
		later = later || c.opened > day && c.fromSource
		notDossier = notDossier || c.fromSource && (c.opened > day || (c.closed == 0 || c.closed > day) && (c.dossier == 0 || c.dossier > day))
	}
	source := f.stage == domain.StageSource
	if (f.since == 0 || f.since <= day) && !openOn && (source && !currentlyOpen || later) {
		add(FunnelLoose, 1)
	}
	entered := f.since
	if entered == 0 {
		entered = f.created
	}
	if (source || notDossier) && entered != 0 && day >= notSentDay(entered) && (f.classStart == 0 || f.classStart > day) {
		add(FunnelNotSent, 1)
	}
}

// spans computes the person's time under each measure, judged on each day
// one of their facts can change it.
func (f *personFacts) spans() []funnelSpan {
	if f.stage != domain.StageSource && !slices.ContainsFunc(f.cases, func(c personCase) bool { return c.fromSource }) {
		return nil
	}
	slices.SortFunc(f.moves, func(a, b caseMove) int { return cmp.Compare(a.day, b.day) })
	days := []int{firstDay, f.since, f.classStart}
	for _, e := range []int{f.since, f.created} {
		if e != 0 {
			days = append(days, notSentDay(e))
		}
	}
	for _, c := range f.cases {
		days = append(days, c.opened, c.closed, c.dossier)
	}
	for _, m := range f.moves {
		days = append(days, m.day)
	}
	days = slices.DeleteFunc(days, func(d int) bool { return d == 0 || d >= openTreeTo })
	return spansOver(days, f.orgOn, f.measuresOn)
}

// refreshPeopleFunnel recomputes the people's measures and counts what
// changed (nothing while the funnel's counts are deferred).
func (s *Store) refreshPeopleFunnel(ctx context.Context, ids []int64) error {
	if v, err := s.GetMeta(ctx, metaFunnelCounts); err != nil || v != "1" || len(ids) == 0 {
		return err
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	d := funnelDelta{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := s.refreshPeopleBatch(ctx, ids[:n], d, nil); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return s.writeFunnelCounts(ctx, d)
}

// refreshPeopleBatch is refreshFunnelBatch for people (person_funnel).
func (s *Store) refreshPeopleBatch(ctx context.Context, ids []int64, d funnelDelta, links map[int64][]countLink) error {
	facts, err := s.personFactsOf(ctx, ids)
	if err != nil {
		return err
	}
	old := map[int64][]funnelSpan{}
	if links == nil {
		if old, err = s.spansOf(ctx, "person_funnel", "person_id", ids); err != nil {
			return err
		}
	}
	now := map[int64][]funnelSpan{}
	for _, id := range ids {
		if f := facts[id]; f != nil {
			now[id] = f.spans()
		}
	}
	return s.countSpans(ctx, "person_funnel", "person_id", ids, old, now, d, links)
}

// personFactsOf reads the facts of the people's measures.
func (s *Store) personFactsOf(ctx context.Context, ids []int64) (map[int64]*personFacts, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := placeholders(1, len(ids))
	out := map[int64]*personFacts{}
	var id int64
	var ds [3]dateCol
	at := func() *personFacts {
		if f := out[id]; f != nil {
			return f
		}
		return &personFacts{}
	}
	parts := []struct {
		q    string
		scan func(r scanner) error
	}{
		{`SELECT p.id, p.org_id, p.stage, p.created_at, sp.since FROM people p LEFT JOIN source_pool sp ON sp.person_id = p.id
			WHERE p.id IN (` + in + `)`, func(r scanner) error {
			f := &personFacts{}
			var created time.Time
			if err := r.Scan(&id, &f.org, &f.stage, &created, &ds[0]); err != nil {
				return err
			}
			f.created, f.since = ymd(created.UTC()), ymdOf(ds[0])
			out[id] = f
			return nil
		}},
		{`SELECT person_id, opened_on, closed_on, dossier_opened, stage_before FROM cases WHERE person_id IN (` + in + `)`, func(r scanner) error {
			var c personCase
			var before string
			if err := r.Scan(&id, &ds[0], &ds[1], &ds[2], &before); err != nil {
				return err
			}
			c.opened, c.closed, c.dossier, c.fromSource = ymdOf(ds[0]), ymdOf(ds[1]), ymdOf(ds[2]), before == domain.StageSource
			f := at()
			f.cases = append(f.cases, c)
			return nil
		}},
		{`SELECT item_id, valid_to, org_id FROM placements WHERE kind = '` + PlacedPerson + `' AND item_id IN (` + in + `)`, func(r scanner) error {
			var m caseMove
			if err := r.Scan(&id, &ds[0], &m.from); err != nil {
				return err
			}
			m.day = ymdOf(ds[0])
			f := at()
			f.moves = append(f.moves, m)
			return nil
		}},
		{`SELECT l.person_id, MIN(k.start_date) FROM class_learners l JOIN classes k ON k.id = l.class_id AND k.status <> 'cancelled'
			WHERE l.status = 'enrolled' AND l.person_id IN (` + in + `) GROUP BY l.person_id`, func(r scanner) error {
			if err := r.Scan(&id, &ds[0]); err != nil {
				return err
			}
			at().classStart = ymdOf(ds[0])
			return nil
		}},
	}
	for _, p := range parts {
		if err := s.eachRow(ctx, p.q, args, p.scan); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rebuildPeopleFunnel recomputes person_funnel and the people's rows of
// funnel_counts (after rebuildFunnel emptied it) for the people who are
// sources or had a case from the source stage.
func (s *Store) rebuildPeopleFunnel(ctx context.Context, links map[int64][]countLink) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM person_funnel`); err != nil {
		return mapErr(err)
	}
	ids, err := s.ids(ctx, `SELECT id FROM people WHERE stage = 'source' UNION SELECT person_id FROM cases WHERE stage_before = 'source' ORDER BY 1`)
	if err != nil {
		return err
	}
	d := funnelDelta{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := s.refreshPeopleBatch(ctx, ids[:n], d, links); err != nil {
			return err
		}
		ids = ids[n:]
		if len(d) >= countsFlushAt || len(ids) == 0 {
			if err := s.addFunnelCounts(ctx, d, false); err != nil { // rebuildFunnel removes the zeros
				return err
			}
			d = funnelDelta{}
		}
	}
	return nil
}

// SourcesNotSentCounted is SourcesNotSentByOrg for FunnelNotSentMonths,
// read from the people's spans (person_funnel) rather than from every
// person of the subtree: the units under path on asof (that day's tree)
// and their sources not sent to a class that day, most first. ok is false
// while the funnel's counts are not filled (the caller counts from the
// people).
func (s *Store) SourcesNotSentCounted(ctx context.Context, path string, asof time.Time) (_ []domain.ChapterCount, ok bool, err error) {
	defer wrap(&err, "store.SourcesNotSentCounted")
	if v, err := s.GetMeta(ctx, metaFunnelCounts); err != nil || v != "1" {
		return nil, false, err
	}
	lo, hi := pathRange(path)
	day := ymd(asof)
	var out []domain.ChapterCount
	err = s.eachRow(ctx, `SELECT o.id, o.code, `+nameOnAs("o", "$4")+`, COALESCE(`+nameOnAs("po", "$4")+`, ''), u.path, COUNT(*)
		FROM person_funnel f JOIN `+unitsOn(asof, 5)+` u ON u.id = f.org_id JOIN orgs o ON o.id = u.id LEFT JOIN orgs po ON po.id = u.parent_id
		WHERE f.metric = '`+FunnelNotSent+`' AND f.day_from <= $3 AND f.day_to > $3 AND u.path >= $1 AND u.path < $2
		GROUP BY o.id, o.code, o.name, po.id, po.name, u.path ORDER BY COUNT(*) DESC, u.path`,
		[]any{lo, hi, day, dateArg(asof), onArg(asof)}, func(r scanner) error {
			var c domain.ChapterCount
			if err := r.Scan(&c.OrgID, &c.Code, &c.Name, &c.Parent, &c.Path, &c.Count); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err == nil, err
}
