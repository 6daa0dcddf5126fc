package service

import (
	"context"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/vn"
)

// DefaultStaleDays: a case in the dossier, chapter-voted, committee-voted
// or decided stage whose last recorded step is older than this is stalled.
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

// FunnelLine is one unit's open cases by stage (rolled up its subtree).
//
//   - Sources: open cases at the source stage, plus people at the source
//     stage without an open case; InClass and Certified are parts of the
//     cases (enrolled in an awareness class started on or before
//     the date / certificate recorded), NotSent those never sent to a
//     class for more than six months (the classes report's alert).
//   - Dossier … Probation: open cases at that stage (probation includes
//     the recognition and strike-off votes awaiting their decision).
//   - Overdue: open cases with a pending deadline before the date;
//     Stalled: overdue, or in dossier … decided with no recorded step for
//     StaleDays days.
type FunnelLine struct {
	Org      *domain.Org
	Counts   map[string]int
	NotSent  int
	Overdue  int
	Stalled  int
	PastVote int // chapter_voted + committee_voted: past the chapter vote, not yet decided
	Children []*FunnelLine
}

// Funnel is the pipeline of a unit and its direct children as of a date.
type Funnel struct {
	AsOf      time.Time
	StaleDays int
	Unit      *FunnelLine
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
	Projection  *int     // AtPace + PastVote
	Reaches     *bool    // the projection meets the quota (else the plan)
}

// Funnel computes the pipeline of the unit's subtree as of asof, with
// one line per direct child; staleDays ≤ 0 uses DefaultStaleDays.
func (s *Service) Funnel(ctx context.Context, code string, asof time.Time, staleDays int) (*Funnel, error) {
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	if staleDays <= 0 {
		staleDays = DefaultStaleDays
	}
	orgs, err := s.Store.Subtree(ctx, o.Path, asof)
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 || orgs[0].ID != o.ID {
		return nil, domain.FieldError("asof", "Ngày %s tổ chức %s chưa thành lập hoặc đã giải thể", vn.Date(asof), o.Name)
	}
	lines := make(map[int64]*FunnelLine, len(orgs))
	for _, x := range orgs {
		l := &FunnelLine{Org: x, Counts: map[string]int{}}
		lines[x.ID] = l
	}
	// the line a case of an organization counts in: its own, or the
	// nearest ancestor in the tree (a closed unit's cases stay with it).
	rows, err := s.Store.FunnelCounts(ctx, o.Path, asof, asof.AddDate(0, 0, -staleDays))
	if err != nil {
		return nil, err
	}
	root := lines[o.ID]
	for _, r := range rows {
		l := lines[r.OrgID]
		if l == nil {
			l = root
		}
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
		if r.Stage == domain.CaseChapterVoted || r.Stage == domain.CaseCommitteeVoted {
			l.PastVote += r.N
		}
	}
	loose, err := s.Store.SourcesWithoutCase(ctx, o.Path)
	if err != nil {
		return nil, err
	}
	for id, n := range loose {
		l := lines[id]
		if l == nil {
			l = root
		}
		l.Counts["sources"] += n
	}
	notSent, err := s.Store.SourcesNotSentByOrg(ctx, o.Path, domain.AddMonths(asof, -DefaultNotSentMonths).AddDate(0, 0, -1), asof)
	if err != nil {
		return nil, err
	}
	for _, c := range notSent {
		l := lines[c.OrgID]
		if l == nil {
			l = root
		}
		l.NotSent += c.Count
	}
	// roll up: children after parents in orgs, so walk backwards.
	for i := len(orgs) - 1; i > 0; i-- {
		x := orgs[i]
		l, p := lines[x.ID], lines[x.ParentID]
		if p == nil {
			continue
		}
		for k, n := range l.Counts {
			p.Counts[k] += n
		}
		p.NotSent += l.NotSent
		p.Overdue += l.Overdue
		p.Stalled += l.Stalled
		p.PastVote += l.PastVote
	}
	for _, x := range orgs[1:] {
		if x.ParentID == o.ID {
			root.Children = append(root.Children, lines[x.ID])
		}
	}
	slices.SortStableFunc(root.Children, func(a, b *FunnelLine) int { return vn.Compare(a.Org.Name, b.Org.Name) })
	return &Funnel{AsOf: asof, StaleDays: staleDays, Unit: root}, nil
}

// ForecastOf projects progress to the target's deadline: the current pace
// (Progress's) carried to the deadline plus the cases past the chapter
// vote that are not yet decided (DOMAIN §4).
func ForecastOf(p *progress.Result, pastVote int) *Forecast {
	f := &Forecast{Admitted: p.Admitted, Quota: p.Quota, Plan: p.Plan, Deadline: p.Deadline,
		PaceCurrent: p.PaceCurrent, PaceNeeded: p.PaceNeeded, PastVote: pastVote}
	if p.Projection != nil {
		// Progress is computed without a pipeline: its projection is the pace alone.
		at := *p.Projection - p.Pipeline
		f.AtPace = &at
		proj := at + pastVote
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
