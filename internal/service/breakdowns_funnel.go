package service

import (
	"context"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/rules"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// DefaultStaleDays is how many days without a recorded step make a case
// in the dossier, chapter-voted, committee-voted or decided stage stalled.
const DefaultStaleDays = 90

// FunnelStages are the columns of the funnel, in order.
var FunnelStages = []struct{ Key, Label, Short string }{
	{"sources", "Quần chúng ưu tú (nguồn)", "Nguồn"},
	{"in_class", "Đã cử đi học lớp nhận thức về Đảng", "Đi học"},
	{"certified", "Đã có giấy chứng nhận", "Có GCN"},
	{"dossier", "Đang làm hồ sơ", "Hồ sơ"},
	{"chapter_voted", "Chi bộ đã biểu quyết đề nghị", "Chi bộ đề nghị"},
	{"committee_voted", "Cấp ủy cơ sở đã đề nghị", "Cấp ủy đề nghị"},
	{"decided", "Có quyết định, chờ lễ kết nạp", "Chờ lễ"},
	{"probation", "Đảng viên dự bị", "Dự bị"},
}

// FunnelLine is one unit's cases open on the date by their stage on the
// date (rolled up its subtree): opened on or before it and not closed on
// or before it, at the stage their dated facts give (store.FunnelCounts).
//
//   - Sources: open cases at the source stage, plus people at the source
//     stage without an open case; InClass and Certified are parts of the
//     cases (enrolled in an awareness class started on or before
//     the date / certificate recorded), NotSent those never sent to a
//     class for more than six months (the classes report's alert).
//   - Dossier … Probation: open cases at that stage (probation includes
//     the recognition and strike-off votes awaiting their decision).
//   - Overdue: cases with a deadline pending on the date that fell before
//     it; Stalled: overdue, or in dossier … decided with no step recorded
//     on or before the date for StaleDays days.
type FunnelLine struct {
	Org      *domain.Org
	Counts   map[string]int
	NotSent  int
	Overdue  int
	Stalled  int
	PastVote int // past the chapter vote, not yet decided (store.PipelineCounts, as progress counts them)
	Children []*FunnelLine
}

// FunnelQuery selects the funnel report: the unit, year and date of a
// report query, and the days without a recorded step after which a case
// in the dossier … decided stages is stalled (0: DefaultStaleDays).
type FunnelQuery struct {
	ReportQuery
	StaleDays int
}

// Funnel is the pipeline of a unit and its direct children as of a date,
// with the forecast of the unit's progress in the year.
type Funnel struct {
	Org       *domain.Org
	Year      int
	AsOf      time.Time
	StaleDays int
	Unit      *FunnelLine
	Forecast  *Forecast
}

// Forecast projects the unit's admissions to its target's deadline.
type Forecast struct {
	Admitted    int
	Quota, Plan *int
	Deadline    *time.Time
	PaceCurrent float64  // admissions a month so far this year
	PaceNeeded  *float64 // a month still needed to meet the target by the deadline
	AtPace      *int     // admitted at the deadline at the current pace
	PastVote    int      // cases past the chapter vote, not yet decided
	Projection  *int     // AtPace + PastVote: progress's projection
	Reaches     *bool    // the projection meets the quota (else the plan)
}

// Funnel computes the pipeline of the query's unit (ReportQuery's
// defaults) as of its date, with one line per direct child, and the
// forecast of the unit's progress in its year: what the funnel report of
// the API, the CLI and the analytics page shows.
func (s *Service) Funnel(ctx context.Context, q FunnelQuery) (*Funnel, error) {
	if q.StaleDays == 0 {
		q.StaleDays = DefaultStaleDays
	}
	if q.StaleDays < 1 || q.StaleDays > 3650 {
		return nil, domain.FieldError("stale_days", "Số ngày phải từ 1 đến 3650")
	}
	r, err := s.resolveReport(ctx, q.ReportQuery)
	if err != nil {
		return nil, err
	}
	if err := r.requireOpen(); err != nil {
		return nil, err
	}
	unit, err := s.pipeline(ctx, r.Org, r.AsOf, q.StaleDays)
	if err != nil {
		return nil, err
	}
	p, err := s.progress(ctx, r)
	if err != nil {
		return nil, err
	}
	return &Funnel{Org: r.Org, Year: r.Year, AsOf: r.AsOf, StaleDays: q.StaleDays, Unit: unit,
		Forecast: forecastOf(p.Result)}, nil
}

// pipeline counts the cases of the unit's subtree as of asof into one
// line per unit of the as-of tree, rolled up, and returns the unit's
// line with its direct children's.
func (s *Service) pipeline(ctx context.Context, o *domain.Org, asof time.Time, staleDays int) (*FunnelLine, error) {
	if !o.OpenOn(asof) {
		return nil, notOpen(o, asof)
	}
	orgs, err := s.store.SubtreeOn(ctx, o.ID, asof)
	if err != nil {
		return nil, err
	}
	path := orgs[0].Path // the unit's path in the tree of the date
	lines := make(map[int64]*FunnelLine, len(orgs))
	for _, x := range orgs {
		lines[x.ID] = &FunnelLine{Org: x, Counts: map[string]int{}}
	}
	root := lines[o.ID]
	// the line the cases of an organization count in: its own, or the
	// unit's when the organization is not in the as-of tree.
	lineOf := func(id int64) *FunnelLine {
		if l := lines[id]; l != nil {
			return l
		}
		return root
	}
	if err := s.countCases(ctx, path, asof, staleDays, lineOf); err != nil {
		return nil, err
	}
	pastVote, err := s.store.PipelineCountsOn(ctx, path, asof, asof)
	if err != nil {
		return nil, err
	}
	for id, n := range pastVote {
		lineOf(id).PastVote += n
	}
	if err := s.countSources(ctx, o, path, asof, lineOf); err != nil {
		return nil, err
	}
	// roll up: children after parents in orgs, so walk backwards.
	for i := len(orgs) - 1; i > 0; i-- {
		if p := lines[orgs[i].ParentID]; p != nil {
			p.addUp(lines[orgs[i].ID])
		}
	}
	for _, x := range orgs[1:] {
		if x.ParentID == o.ID {
			root.Children = append(root.Children, lines[x.ID])
		}
	}
	vn.SortByText(root.Children, func(l *FunnelLine) string { return l.Org.Name }, nil)
	return root, nil
}

// countCases counts the cases open on asof by their stage on that day,
// with the overdue, stalled and past-the-chapter-vote ones.
func (s *Service) countCases(ctx context.Context, path string, asof time.Time, staleDays int, lineOf func(int64) *FunnelLine) error {
	dates, err := s.funnelDates(ctx, asof, staleDays)
	if err != nil {
		return err
	}
	rows, err := s.store.FunnelCounts(ctx, path, dates)
	if err != nil {
		return err
	}
	for _, r := range rows {
		lineOf(r.OrgID).count(r)
	}
	return nil
}

// count adds a group of cases at one stage to the line.
func (l *FunnelLine) count(r store.FunnelRow) {
	key := r.Stage
	switch r.Stage {
	case domain.CaseSource:
		key = "sources"
		if r.InClass {
			l.Counts["in_class"] += r.N
		}
		if r.Certified {
			l.Counts["certified"] += r.N
		}
	case domain.CaseRecognitionVote, domain.CaseStrikeOffVote:
		key = domain.CaseProbation
	}
	l.Counts[key] += r.N
	if r.Overdue {
		l.Overdue += r.N
	}
	movable := r.Stage == domain.CaseDossier || r.Stage == domain.CaseChapterVoted || r.Stage == domain.CaseCommitteeVoted || r.Stage == domain.CaseDecided
	if r.Overdue || movable && r.Stale {
		l.Stalled += r.N
	}
}

// countSources adds the people at the source stage without an open case,
// and the sources not sent to a class (the classes report's alert).
func (s *Service) countSources(ctx context.Context, o *domain.Org, path string, asof time.Time, lineOf func(int64) *FunnelLine) error {
	loose, err := s.store.SourcesWithoutCase(ctx, path, asof)
	if err != nil {
		return err
	}
	for id, n := range loose {
		lineOf(id).Counts["sources"] += n
	}
	notSent, err := s.store.SourcesNotSentByOrg(ctx, o.Path, domain.AddMonths(asof, -DefaultNotSentMonths).AddDate(0, 0, -1), asof)
	if err != nil {
		return err
	}
	for _, c := range notSent {
		lineOf(c.OrgID).NotSent += c.Count
	}
	return nil
}

// addUp adds a child's line to its parent's.
func (l *FunnelLine) addUp(c *FunnelLine) {
	for k, n := range c.Counts {
		l.Counts[k] += n
	}
	l.NotSent += c.NotSent
	l.Overdue += c.Overdue
	l.Stalled += c.Stalled
	l.PastVote += c.PastVote
}

// funnelDates computes the cut-offs of the deadlines FunnelCounts
// derives for the cases changed since asof: for each kind, the first
// anchor date whose deadline (working days, months) does not fall before
// asof, under the rule set in force on the anchor (the case's own rule set
// may be that of its chapter resolution: an approximation around 1/7/2025).
func (s *Service) funnelDates(ctx context.Context, asof time.Time, staleDays int) (store.FunnelDates, error) {
	d := store.FunnelDates{AsOf: asof, StaleBefore: asof.AddDate(0, 0, -staleDays)}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return d, err
	}
	workdays := func(n func(*rules.Set) int) func(time.Time) (time.Time, error) {
		return func(a time.Time) (time.Time, error) {
			set := rules.InForce(a)
			return cal.AddWorkdays(a, n(&set))
		}
	}
	cuts := []struct {
		to  *time.Time
		due func(time.Time) (time.Time, error)
	}{
		{&d.Decision, workdays(func(s *rules.Set) int { return s.DecisionDeadline.Workdays })},
		{&d.Ceremony, workdays(func(s *rules.Set) int { return s.CeremonyDeadline.Workdays })},
		{&d.RecogDecide, workdays(func(s *rules.Set) int { return s.RecognitionDeadline.Workdays })},
		{&d.RecogVote, func(a time.Time) (time.Time, error) {
			set := rules.InForce(a)
			return rules.RecognitionVoteDue(&set, cal, rules.ProbationEnd(&set, a))
		}},
		{&d.Certificate, func(a time.Time) (time.Time, error) {
			set := rules.InForce(a)
			return calendar.AddMonths(a, set.Certificate.Months), nil
		}},
		{&d.Dossier, func(a time.Time) (time.Time, error) {
			set := rules.InForce(a)
			return calendar.AddMonths(a, set.DossierAge.Months), nil
		}},
	}
	for _, c := range cuts {
		if *c.to, err = dueCutoff(asof, c.due); err != nil {
			return d, calendarErr("asof", err)
		}
	}
	return d, nil
}

// dueCutoff is the day after the latest anchor, on or before asof, whose
// deadline due(anchor) falls before asof: anchors before the cut-off
// have an overdue deadline on asof (deadlines grow with their anchor).
func dueCutoff(asof time.Time, due func(time.Time) (time.Time, error)) (time.Time, error) {
	a := asof
	for range 20000 {
		d, err := due(a)
		if err != nil {
			return time.Time{}, err
		}
		if d.Before(asof) {
			break
		}
		a = a.AddDate(0, 0, -1)
	}
	return a.AddDate(0, 0, 1), nil
}

// forecastOf is progress's projection to the target's deadline, shown in
// its parts: the current pace carried to the deadline (from the admitted)
// plus the cases past the chapter vote that are not yet decided
// (DOMAIN §4). Progress computes it; the funnel only shows it.
func forecastOf(p *progress.Result) *Forecast {
	f := &Forecast{Admitted: p.Admitted, Quota: p.Quota, Plan: p.Plan, Deadline: p.Deadline,
		PaceCurrent: p.PaceCurrent, PaceNeeded: p.PaceNeeded, PastVote: p.Pipeline}
	if p.Projection != nil {
		at := *p.Projection - p.Pipeline
		f.AtPace = &at
		proj := *p.Projection
		f.Projection = &proj
		target := p.Quota
		if target == nil {
			target = p.Plan
		}
		if target != nil {
			ok := proj >= *target
			f.Reaches = &ok
		}
	}
	return f
}
