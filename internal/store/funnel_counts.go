package store

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"ketnap/internal/domain"
)

// The funnel counted per unit (migration 00023): the open cases by their
// stage on a day and the flags the funnel shows, as FunnelCounts computes
// them from the cases, kept as each case's time under each measure
// (case_funnel: [day_from, day_to) at a unit, cut at its transfers and
// mergers) and as the entries (+1) and exits (-1) of those spans summed
// up the tree per day and per month (funnel_counts, keyed like
// pipeline_counts with the measure). Every store write that changes what
// a case's funnel depends on (the case, its votes, verifications,
// transfers and deadlines, its person's class enrolments) recomputes the
// case's spans in its transaction (refreshFunnel) and counts the
// difference; a move of units (MoveOrg) moves the spans at them;
// RebuildAdmissionCounts recomputes them from scratch.

// The measures besides the stages: flags of the days at the source stage,
// and of every open day.
const (
	FunnelInClass   = "+in_class"
	FunnelCertified = "+certified"
	FunnelOverdue   = "+overdue"
	FunnelStalled   = "+stalled"
	// the deadlines pending that day, overdue and due within TodoDays, by kind
	TodoOverdue = "+todo_overdue:"
	TodoDue     = "+todo_due:"
)

// TodoDays is the days ahead the maintained deadline counts look (the
// dashboard's "due within 30 days"; another number is counted from the
// deadlines).
const TodoDays = 30

// FunnelStaleDays is the days without a recorded step the maintained
// "+stalled" measure uses (the funnel's default; another number is
// computed from the cases).
const FunnelStaleDays = 90

// funnelSpan is a case's (or person's) time under one measure at one
// unit, n times (a case's deadlines of a kind).
type funnelSpan struct {
	metric   string
	org      int64
	from, to int
	n        int
}

// funnelKey is one row of funnel_counts.
type funnelKey struct {
	metric string
	countKey
}

// funnelDelta is a change to funnel_counts, gathered before it is written.
type funnelDelta map[funnelKey]int

// add counts the span, times sign, at every unit of the link's path.
func (d funnelDelta) add(l countLink, sp funnelSpan, sign int) {
	for _, ev := range [2]struct{ day, n int }{{sp.from, sign}, {sp.to, -sign}} {
		if ev.day >= openTreeTo {
			continue
		}
		for _, id := range pathIDs(l.path) {
			d[funnelKey{sp.metric, countKey{id, 0, ev.day, l.treeFrom, l.treeTo}}] += ev.n * sp.n
			d[funnelKey{sp.metric, countKey{id, 1, ev.day / 100, l.treeFrom, l.treeTo}}] += ev.n * sp.n
		}
	}
}

// funnelFacts are what a case's funnel depends on (days as YYYYMMDD, 0:
// none).
type funnelFacts struct {
	org                 int64
	stage               string
	opened, closed      int
	cert                int
	certID              bool
	dossier, decision   int
	received, ceremony  int
	recognition, paused int
	votes               []factVote
	verifs              [][2]int // sent, replied
	moves               []caseMove
	deadlines           []factDeadline
	classStart          int // the earliest start of a class the person is enrolled in (not cancelled)
}

// factDeadline is a deadline row: pending on [from, to) (0: open-ended).
type factDeadline struct {
	from, to, due int
	kind          string
}

type factVote struct {
	purpose, level string
	passed         bool
	day            int
}

// stageOn is the case's stage on day as FunnelCounts takes it: the
// current stage when no fact is dated after the day, else the stage its
// dated facts give (funnelStageAsOf).
func (f *funnelFacts) stageOn(day int) string {
	after := func(d int) bool { return d != 0 && d > day }
	changed := f.closed != 0 || after(f.cert) || after(f.dossier) || after(f.decision) || after(f.received) ||
		after(f.ceremony) || after(f.recognition) || after(f.paused)
	for _, v := range f.votes {
		changed = changed || v.day > day
	}
	for _, v := range f.verifs {
		changed = changed || after(v[0]) || after(v[1])
	}
	for _, m := range f.moves {
		changed = changed || m.id != placedMoveID && m.day > day
	}
	if !changed {
		return f.stage
	}
	upTo := func(d int) bool { return d != 0 && d <= day }
	switch {
	case upTo(f.ceremony):
		return domain.CaseProbation
	case upTo(f.decision):
		return domain.CaseDecided
	}
	committee, chapter, anyCommittee := false, false, false
	for _, v := range f.votes {
		if v.purpose == domain.PurposeAdmission && v.level == domain.LevelCommittee {
			anyCommittee = true
		}
	}
	for _, v := range f.votes {
		if v.purpose != domain.PurposeAdmission || !v.passed || v.day > day {
			continue
		}
		switch v.level {
		case domain.LevelCommittee:
			committee = true
		case domain.LevelSubcommittee:
			committee = committee || f.stage != domain.CaseChapterVoted && !anyCommittee
		case domain.LevelChapter:
			chapter = true
		}
	}
	switch {
	case committee:
		return domain.CaseCommitteeVoted
	case chapter:
		return domain.CaseChapterVoted
	case upTo(f.dossier):
		return domain.CaseDossier
	}
	return domain.CaseSource
}

// orgOn is the unit the case counted at on day: the one it left by the
// first transfer or merger after the day, else its current one (caseOrgOn).
func (f *funnelFacts) orgOn(day int) int64 {
	for _, m := range f.moves { // sorted by day, transfers before a merger's move
		if m.day > day {
			return m.from
		}
	}
	return f.org
}

// measuresOn adds the measures the case counts under on day, each with
// how many times (its deadlines of a kind); none when it is not open then.
func (f *funnelFacts) measuresOn(day int, add func(m string, n int)) {
	if f.opened > day || f.closed != 0 && f.closed <= day {
		return
	}
	stage := f.stageOn(day)
	add(stage, 1)
	if stage == domain.CaseSource {
		if f.cert != 0 && f.cert <= day || f.cert == 0 && f.certID {
			add(FunnelCertified, 1)
		}
		if f.classStart != 0 && f.classStart <= day {
			add(FunnelInClass, 1)
		}
	}
	overdue := false
	paused := f.paused != 0 && f.paused <= day
	for _, dl := range f.deadlines {
		if (dl.from != 0 && dl.from > day) || (dl.to != 0 && dl.to <= day) {
			continue // not pending that day
		}
		overdue = overdue || dl.due < day
		// the deadline counts of "Việc cần làm" (TodoCounts): not while paused
		if !paused && dl.due < day {
			add(TodoOverdue+dl.kind, 1)
		}
		if !paused && dl.due <= addDays(day, TodoDays) {
			add(TodoDue+dl.kind, 1)
		}
	}
	if overdue {
		add(FunnelOverdue, 1)
	}
	movable := stage == domain.CaseDossier || stage == domain.CaseChapterVoted || stage == domain.CaseCommitteeVoted || stage == domain.CaseDecided
	if overdue || movable && f.lastStep(day) < addDays(day, -FunnelStaleDays) {
		add(FunnelStalled, 1)
	}
}

// lastStep is the latest of the case's opening, certificate, dossier,
// decision, ceremony and vote days on or before day.
func (f *funnelFacts) lastStep(day int) int {
	last := 0
	for _, d := range []int{f.opened, f.cert, f.dossier, f.decision, f.ceremony} {
		if d != 0 && d <= day {
			last = max(last, d)
		}
	}
	for _, v := range f.votes {
		if v.day <= day {
			last = max(last, v.day)
		}
	}
	return last
}

// dayOf and addDays convert YYYYMMDD days.
func dayOf(d int) time.Time { return domain.Day(d/10000, time.Month(d/100%100), d%100) }
func addDays(d, n int) int  { return ymd(dayOf(d).AddDate(0, 0, n)) }

// spans computes the case's time under each measure: what it counts under
// is the same between two days where one of its facts can change it, so
// it is judged on each such day.
func (f *funnelFacts) spans() []funnelSpan {
	slices.SortFunc(f.moves, func(a, b caseMove) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.id, b.id)) })
	cuts := []int{f.opened, f.closed, f.cert, f.dossier, f.decision, f.received, f.ceremony, f.recognition, f.paused, f.classStart}
	for _, d := range []int{f.opened, f.cert, f.dossier, f.decision, f.ceremony} {
		if d != 0 {
			cuts = append(cuts, addDays(d, FunnelStaleDays+1))
		}
	}
	for _, v := range f.votes {
		cuts = append(cuts, v.day, addDays(v.day, FunnelStaleDays+1))
	}
	for _, v := range f.verifs {
		cuts = append(cuts, v[0], v[1])
	}
	for _, m := range f.moves {
		cuts = append(cuts, m.day)
	}
	for _, dl := range f.deadlines {
		cuts = append(cuts, dl.from, dl.to, addDays(dl.due, 1), addDays(dl.due, -TodoDays))
	}
	days := cuts[:0]
	for _, d := range cuts {
		if d >= f.opened && d < openTreeTo && (f.closed == 0 || d <= f.closed) {
			days = append(days, d)
		}
	}
	return spansOver(days, f.orgOn, f.measuresOn)
}

// spansOver builds the spans of an item judged on each of days (what it
// counts under is the same from one to the next): at each, the unit orgOn
// gives and the measures measuresOn adds, a span going on while its
// measure, unit and number stay.
func spansOver(days []int, orgOn func(int) int64, measuresOn func(day int, add func(string, int))) []funnelSpan {
	slices.Sort(days)
	days = slices.Compact(days)
	var out []funnelSpan
	open := map[string]int{} // measure → index in out of its span still running
	for i, day := range days {
		end := openTreeTo
		if i+1 < len(days) {
			end = days[i+1]
		}
		org := orgOn(day)
		now := map[string]int{}
		measuresOn(day, func(m string, n int) { now[m] += n })
		for m, n := range now {
			if j, ok := open[m]; ok && out[j].org == org && out[j].to == day && out[j].n == n {
				out[j].to = end
				continue
			}
			open[m] = len(out)
			out = append(out, funnelSpan{m, org, day, end, n})
		}
		for m := range open {
			if _, ok := now[m]; !ok {
				delete(open, m)
			}
		}
	}
	slices.SortFunc(out, func(a, b funnelSpan) int { return cmp.Or(cmp.Compare(a.metric, b.metric), cmp.Compare(a.from, b.from)) })
	return out
}

// refreshFunnel recomputes the cases' time under the funnel's measures
// from their facts and counts what changed, and their people's
// (refreshPeopleFunnel). Nothing while the funnel's
// counts are not filled (a bulk load fills them at its end: FillFunnel).
func (s *Store) refreshFunnel(ctx context.Context, ids []int64) error {
	if v, err := s.GetMeta(ctx, metaFunnelCounts); err != nil || v != "1" {
		return err
	}
	d := funnelDelta{}
	var people []int64
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := s.refreshFunnelBatch(ctx, ids[:n], d, nil); err != nil {
			return err
		}
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		p, err := s.ids(ctx, `SELECT DISTINCT person_id FROM cases WHERE id IN (`+placeholders(1, n)+`)`, args...)
		if err != nil {
			return err
		}
		people = append(people, p...)
		ids = ids[n:]
	}
	if err := s.writeFunnelCounts(ctx, d); err != nil {
		return err
	}
	// the cases' people: a case opened or closed changes their measures
	return s.refreshPeopleFunnel(ctx, people)
}

// refreshFunnelBatch counts the difference between the cases' recorded
// spans and their spans now into d, and records the new ones; with
// links (a rebuild: nothing recorded) it counts them at those links.
func (s *Store) refreshFunnelBatch(ctx context.Context, ids []int64, d funnelDelta, links map[int64][]countLink) error {
	facts, err := s.funnelFactsOf(ctx, ids)
	if err != nil {
		return err
	}
	old := map[int64][]funnelSpan{}
	if links == nil {
		if old, err = s.spansOf(ctx, "case_funnel", "case_id", ids); err != nil {
			return err
		}
	}
	now := map[int64][]funnelSpan{}
	for _, id := range ids {
		if f := facts[id]; f != nil {
			now[id] = f.spans()
		}
	}
	return s.countSpans(ctx, "case_funnel", "case_id", ids, old, now, d, links)
}

// countSpans counts into d the difference between the items' recorded
// spans (old) and their spans now, at the places their units held (links,
// read when nil), and records the new spans in table (keyed by col).
func (s *Store) countSpans(ctx context.Context, table, col string, ids []int64, old, now map[int64][]funnelSpan, d funnelDelta, links map[int64][]countLink) error {
	changed := map[int64][2][]funnelSpan{}
	units := map[int64]bool{}
	for _, id := range ids {
		if slices.Equal(now[id], old[id]) {
			continue
		}
		changed[id] = [2][]funnelSpan{old[id], now[id]}
		for _, sp := range append(slices.Clip(old[id]), now[id]...) {
			units[sp.org] = true
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if links == nil {
		orgs := make([]int64, 0, len(units))
		for id := range units {
			orgs = append(orgs, id)
		}
		var err error
		if links, err = s.countLinks(ctx, orgs); err != nil {
			return err
		}
	}
	var gone []any
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
			rows = append(rows, id, sp.metric, sp.from, sp.to, sp.org, sp.n)
		}
	}
	if len(gone) > 0 {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+col+` IN (`+placeholders(1, len(gone))+`)`, gone...); err != nil {
			return mapErr(err)
		}
	}
	cols := []string{col, "metric", "day_from", "day_to", "org_id", "n"}
	return s.insertRows(ctx, table, cols, len(rows)/6, func(i int) []any { return rows[i*6 : i*6+6] })
}

// scanner is a row to scan.
type scanner = interface{ Scan(...any) error }

// eachRow runs the query and scans each of its rows.
func (s *Store) eachRow(ctx context.Context, q string, args []any, scan func(r scanner) error) error {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// funnelFactsOf reads the facts of the cases' funnel.
func (s *Store) funnelFactsOf(ctx context.Context, ids []int64) (map[int64]*funnelFacts, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := placeholders(1, len(ids))
	out := map[int64]*funnelFacts{}
	err := s.eachRow(ctx, `SELECT id, org_id, stage, opened_on, closed_on, certificate_date, certificate_id IS NOT NULL, dossier_opened, decision_date,
		decision_received, ceremony_date, recognition_date, paused_on FROM cases WHERE id IN (`+in+`)`, args, func(r scanner) error {
		var id int64
		var ds [9]dateCol
		f := &funnelFacts{}
		if err := r.Scan(&id, &f.org, &f.stage, &ds[0], &ds[1], &ds[2], &f.certID, &ds[3], &ds[4], &ds[5], &ds[6], &ds[7], &ds[8]); err != nil {
			return err
		}
		for i, p := range []*int{&f.opened, &f.closed, &f.cert, &f.dossier, &f.decision, &f.received, &f.ceremony, &f.recognition, &f.paused} {
			*p = ymdOf(ds[i])
		}
		out[id] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	var id int64
	var ds [3]dateCol
	at := func() *funnelFacts { // the case of the row just read (never nil)
		if f := out[id]; f != nil {
			return f
		}
		return &funnelFacts{}
	}
	parts := []struct {
		q    string
		scan func(r scanner) error
	}{
		{`SELECT case_id, date, purpose, level, passed FROM case_votes WHERE case_id IN (` + in + `)`, func(r scanner) error {
			var v factVote
			if err := r.Scan(&id, &ds[0], &v.purpose, &v.level, &v.passed); err != nil {
				return err
			}
			v.day = ymdOf(ds[0])
			f := at()
			f.votes = append(f.votes, v)
			return nil
		}},
		{`SELECT case_id, sent_on, replied_on FROM case_verifications WHERE case_id IN (` + in + `)`, func(r scanner) error {
			if err := r.Scan(&id, &ds[0], &ds[1]); err != nil {
				return err
			}
			f := at()
			f.verifs = append(f.verifs, [2]int{ymdOf(ds[0]), ymdOf(ds[1])})
			return nil
		}},
		{`SELECT case_id, valid_from, valid_to, due, kind FROM case_deadlines WHERE case_id IN (` + in + `)`, func(r scanner) error {
			var dl factDeadline
			if err := r.Scan(&id, &ds[0], &ds[1], &ds[2], &dl.kind); err != nil {
				return err
			}
			dl.from, dl.to, dl.due = ymdOf(ds[0]), ymdOf(ds[1]), ymdOf(ds[2])
			f := at()
			f.deadlines = append(f.deadlines, dl)
			return nil
		}},
		{caseMovesOf(in), func(r scanner) error {
			var m caseMove
			if err := r.Scan(&id, &m.id, &ds[0], &m.from); err != nil {
				return err
			}
			m.day = ymdOf(ds[0])
			f := at()
			f.moves = append(f.moves, m)
			return nil
		}},
		{`SELECT c.id, MIN(k.start_date) FROM cases c JOIN class_learners l ON l.person_id = c.person_id AND l.status = 'enrolled'
			JOIN classes k ON k.id = l.class_id AND k.status <> 'cancelled' WHERE c.id IN (` + in + `) GROUP BY c.id`, func(r scanner) error {
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

// caseMovesOf selects the transfers of the cases (placeholders in) and
// the moves of them a merger made (id placedMoveID, on the placement's
// last day): case, id, day, the unit left.
func caseMovesOf(in string) string {
	return `SELECT case_id, id, date, from_org_id FROM case_transfers WHERE case_id IN (` + in + `)
		UNION ALL SELECT item_id, ` + strconv.FormatInt(placedMoveID, 10) + `, valid_to, org_id FROM placements
		WHERE kind = '` + PlacedCase + `' AND item_id IN (` + in + `)`
}
