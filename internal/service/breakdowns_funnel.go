package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
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

// funnelCounted reports whether the funnel's counts kept per unit are to
// be read: not FromScratch, and filled (a bulk load defers them).
func (s *Service) funnelCounted(ctx context.Context) (bool, error) {
	if ctx.Value(scratchKey{}) != nil {
		return false, nil
	}
	return s.store.FunnelCounted(ctx)
}

// pipeline counts the cases of the unit's subtree as of asof into the
// unit's line and one line per direct child in the as-of tree, rolled up.
// The cases' stages and flags, the sources without a case and those not
// sent to a class, and the cases past the chapter vote come from the
// counts kept per unit (store.FunnelTotals, PipelineTotals) for the
// default stale days; another number of days, a context FromScratch, or
// counts not kept (a bulk load defers them) counts them from the cases
// and people of the whole subtree
// (store.FunnelCounts, SourcesWithoutCase, SourcesNotSentByOrg).
func (s *Service) pipeline(ctx context.Context, o *domain.Org, asof time.Time, staleDays int) (*FunnelLine, error) {
	if !o.OpenOn(asof) {
		return nil, notOpen(o, asof)
	}
	if counted, err := s.funnelCounted(ctx); err != nil {
		return nil, err
	} else if staleDays != store.FunnelStaleDays || !counted {
		return s.pipelineFromCases(ctx, o, asof, staleDays)
	}
	// the unit as it stood on the date (its place and name), and its children then
	ro := *o
	var err error
	if ro.ParentID, ro.Path, err = s.store.PlaceOn(ctx, o.ID, asof); err != nil {
		return nil, err
	}
	if ro.Name, err = s.store.NameOn(ctx, o.ID, asof); err != nil {
		return nil, err
	}
	kids, err := s.store.ChildrenOn(ctx, o.ID, asof)
	if err != nil {
		return nil, err
	}
	root := &FunnelLine{Org: &ro, Counts: map[string]int{}}
	lines := map[int64]*FunnelLine{o.ID: root}
	ids := []int64{o.ID}
	for _, k := range kids {
		l := &FunnelLine{Org: k, Counts: map[string]int{}}
		lines[k.ID] = l
		ids = append(ids, k.ID)
		root.Children = append(root.Children, l)
	}
	totals, err := s.store.FunnelTotals(ctx, ids, asof)
	if err != nil {
		return nil, err
	}
	for id, ms := range totals {
		for m, n := range ms {
			lines[id].countMeasure(m, n)
		}
	}
	pastVote, err := s.store.PipelineTotals(ctx, ids, asof, asof)
	if err != nil {
		return nil, err
	}
	for id, n := range pastVote {
		lines[id].PastVote = n
	}
	vn.SortByText(root.Children, func(l *FunnelLine) string { return l.Org.Name }, nil)
	return root, nil
}

// countMeasure adds n cases under one of the counted measures
// (store.FunnelTotals) to the line, as count adds a group of them.
func (l *FunnelLine) countMeasure(m string, n int) {
	switch m {
	case store.FunnelInClass:
		l.Counts["in_class"] += n
	case store.FunnelCertified:
		l.Counts["certified"] += n
	case store.FunnelOverdue:
		l.Overdue += n
	case store.FunnelStalled:
		l.Stalled += n
	case store.FunnelLoose:
		l.Counts["sources"] += n
	case store.FunnelNotSent:
		l.NotSent += n
	case domain.CaseSource:
		l.Counts["sources"] += n
	case domain.CaseRecognitionVote, domain.CaseStrikeOffVote:
		l.Counts[domain.CaseProbation] += n
	default:
		l.Counts[m] += n
	}
}

// pipelineFromCases is pipeline computed from the cases of the whole
// subtree.
func (s *Service) pipelineFromCases(ctx context.Context, o *domain.Org, asof time.Time, staleDays int) (*FunnelLine, error) {
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
	rows, err := s.store.FunnelCounts(ctx, path, store.FunnelDates{AsOf: asof, StaleBefore: asof.AddDate(0, 0, -staleDays)})
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
	loose, _, err := s.store.SourcesWithoutCase(ctx, path, asof)
	if err != nil {
		return err
	}
	for id, n := range loose {
		lineOf(id).Counts["sources"] += n
	}
	notSent, err := s.store.SourcesNotSentByOrg(ctx, path, store.NotSentCutoff(asof), asof) // the path of the date
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
