package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/store"
)

// Progress is the progress of a unit and its subtree for a year as of a date.
type Progress struct {
	Org  *domain.Org
	Year int
	AsOf time.Time
	// TreeDay is the day whose tree the year is counted on: the as-of
	// date, 31 December of the year when the as-of date is later, or the
	// unit's last day when it closed before (CONTRACT "Progress").
	TreeDay time.Time
	*progress.Result
	Lost  int // admissions of closed units that found no home in the tree
	Moved int // admissions of units whose history went to a successor outside this subtree
	// ClosedOn is the day the unit stopped existing, when it did before
	// the as-of date; its figures run to its last day. Successors are the
	// units that carry its history, nearest first.
	ClosedOn   *time.Time
	Successors []*domain.Org
}

// treeDay is the day whose tree a report on the year counts on: the as-of
// date, or 31 December of the year when the as-of date is later, so that a
// finished year's figures never change when the tree is reorganised later
// (CONTRACT "Progress").
func treeDay(year int, asof time.Time) time.Time {
	if end := domain.Day(year, 12, 31); asof.After(end) {
		return end
	}
	return asof
}

// admissionsUnder counts the window's admissions per organization under
// path in the tree of day on, and under the units merged into the subtree
// from elsewhere (their history follows them to their successor);
// recorded counts those of them recorded rather than reached through a
// case.
func (s *Service) admissionsUnder(ctx context.Context, path string, on, from, to time.Time) (counts, recorded map[int64]int, err error) {
	counts, recorded, err = s.store.AdmissionCountsOn(ctx, path, on, from, to)
	if err != nil || path == "/" {
		return counts, recorded, err
	}
	preds, err := s.store.PredecessorsOn(ctx, path, on, 8)
	if err != nil {
		return nil, nil, err
	}
	// Count each predecessor's subtree once: skip those inside another.
	slices.SortFunc(preds, func(a, b *domain.Org) int { return strings.Compare(a.Path, b.Path) })
	last := ""
	for _, p := range preds {
		if last != "" && strings.HasPrefix(p.Path, last) {
			continue
		}
		last = p.Path
		more, moreRec, err := s.store.AdmissionCountsOn(ctx, p.Path, on, from, to)
		if err != nil {
			return nil, nil, err
		}
		for id, n := range more {
			counts[id] += n
		}
		for id, n := range moreRec {
			recorded[id] += n
		}
	}
	return counts, recorded, nil
}

// Progress computes DOMAIN §4 for the query's unit (ReportQuery's
// defaults): admissions dated in the year up to the as-of date, counted
// where they were admitted and rolled up the tree as it stood on that date
// (on 31 December for a finished year; a unit closed before shows its
// figures to its last day, with its successors), with those recorded
// rather than reached through a case, and the
// projection to the target's deadline: the current pace carried to the
// deadline plus the cases past the chapter vote not yet decided on the
// as-of date. Its cost follows the size of the subtree, the year's
// admissions and the pipeline, not the number of people.
func (s *Service) Progress(ctx context.Context, q ReportQuery) (*Progress, error) {
	r, err := s.resolveReport(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.progress(ctx, r)
}

// reportDay is the day whose tree a report of the resolved query counts
// on (treeDay), and its last day of admissions: a unit closed before that
// day is counted on its last day, with the successors that carry its
// history; a unit not yet founded then is refused.
func (s *Service) reportDay(ctx context.Context, r *reportScope) (day time.Time, closedOn *time.Time, successors []*domain.Org, err error) {
	o := r.Org
	day = treeDay(r.Year, r.AsOf)
	if day.Before(o.ValidFrom) {
		return day, nil, nil, notOpen(o, day)
	}
	if o.ValidTo == nil || day.Before(*o.ValidTo) {
		return day, nil, nil, nil
	}
	last := o.ValidTo.AddDate(0, 0, -1)
	seen := map[int64]bool{o.ID: true}
	for next := o.SuccessorID; next != 0 && !seen[next]; {
		seen[next] = true
		x, err := s.store.GetOrg(ctx, next)
		if err != nil {
			return day, nil, nil, err
		}
		successors = append(successors, x)
		next = x.SuccessorID
	}
	return last, o.ValidTo, successors, nil
}

// progress is Progress of a resolved query, from the counts maintained
// per unit (progressCounted).
func (s *Service) progress(ctx context.Context, r *reportScope) (*Progress, error) {
	day, closedOn, successors, err := s.reportDay(ctx, r)
	if err != nil {
		return nil, err
	}
	if ctx.Value(scratchKey{}) != nil {
		return s.progressFromScratch(ctx, r, day, closedOn, successors)
	}
	return s.progressCounted(ctx, r, day, closedOn, successors)
}

// progressFromScratch is progress computed from the whole subtree of the
// day and the admissions of the year: what the counts must give.
func (s *Service) progressFromScratch(ctx context.Context, r *reportScope, day time.Time, closedOn *time.Time, successors []*domain.Org) (*Progress, error) {
	o, year, asof := r.Org, r.Year, r.AsOf
	orgs, err := s.store.SubtreeOn(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	path := orgs[0].Path
	nodes := make([]progress.Node, len(orgs))
	inTree := make(map[int64]bool, len(orgs))
	for i, x := range orgs {
		nodes[i] = progress.Node{ID: x.ID, ParentID: x.ParentID, Code: x.Code, Name: x.Name, Kind: string(x.Kind)}
		inTree[x.ID] = true
	}
	nodes[0].ParentID = 0

	from := domain.Day(year, 1, 1)
	to := day
	counts, recorded, pipeline := map[int64]int{}, map[int64]int{}, map[int64]int{}
	lost, moved := 0, 0
	if !to.Before(from) {
		raw, rawRec, err := s.admissionsUnder(ctx, path, day, from, to)
		if err != nil {
			return nil, err
		}
		if counts, lost, moved, err = s.attribute(ctx, raw, isIn(inTree), day); err != nil {
			return nil, err
		}
		if recorded, _, _, err = s.attribute(ctx, rawRec, isIn(inTree), day); err != nil {
			return nil, err
		}
		if closedOn == nil {
			rawPipe, err := s.store.PipelineCountsOn(ctx, path, day, asof)
			if err != nil {
				return nil, err
			}
			if pipeline, _, _, err = s.attribute(ctx, rawPipe, isIn(inTree), day); err != nil {
				return nil, err
			}
		}
	}
	targets, err := s.store.TargetsOn(ctx, path, day, year)
	if err != nil {
		return nil, err
	}
	tmap := map[int64]progress.Targets{}
	for _, t := range targets {
		if !inTree[t.OrgID] {
			continue
		}
		x := tmap[t.OrgID]
		pt := &progress.Target{Value: t.Value, Deadline: t.Deadline}
		if t.Kind == domain.TargetQuota {
			x.Quota = pt
		} else {
			x.Plan = pt
		}
		tmap[t.OrgID] = x
	}
	res := progress.Compute(progress.Input{Year: year, AsOf: asof, Nodes: nodes, Counts: counts, Recorded: recorded,
		Targets: tmap, Pipeline: pipeline})
	return &Progress{Org: o, Year: year, AsOf: asof, TreeDay: day, Result: res[o.ID], Lost: lost, Moved: moved,
		ClosedOn: closedOn, Successors: successors}, nil
}

// attribute gives the admissions counted at organizations missing from the
// as-of tree (closed, or merged in from elsewhere) to the node that carries
// their history (progress.Attribute).
func (s *Service) attribute(ctx context.Context, raw map[int64]int, inTree func(int64) bool, asof time.Time) (map[int64]int, int, int, error) {
	var missing []int64
	for id := range raw {
		if !inTree(id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return raw, 0, 0, nil
	}
	known := map[int64]*domain.Org{}
	orgs, err := s.store.OrgsByIDs(ctx, missing)
	if err != nil {
		return nil, 0, 0, err
	}
	for _, o := range orgs {
		known[o.ID] = o
	}
	var loadErr error
	link := func(id int64) (progress.Link, bool) {
		o, ok := known[id]
		if !ok {
			o, loadErr = s.store.GetOrg(ctx, id)
			if loadErr != nil {
				o = nil
			}
			known[id] = o
		}
		if o == nil {
			return progress.Link{}, false
		}
		parent := o.ParentID
		if p, _, err := s.store.PlaceOn(ctx, id, asof); err == nil {
			parent = p
		}
		return progress.Link{Successor: o.SuccessorID, Parent: parent, Open: o.OpenOn(asof)}, true
	}
	out, lost, moved := progress.Attribute(raw, inTree, link)
	if loadErr != nil && domain.ErrorCode(loadErr) != domain.ENotFound {
		return nil, 0, 0, loadErr
	}
	return out, lost, moved, nil
}

// isIn is membership of a set.
func isIn(set map[int64]bool) func(int64) bool { return func(id int64) bool { return set[id] } }

// TargetInput sets one target.
type TargetInput struct {
	OrgCode   string
	Year      int
	Kind      string
	Value     *int // nil removes the target
	Deadline  *time.Time
	Breakdown map[string]int
}

// SetTarget sets (or with a nil value removes) a unit's quota or plan.
// The quota is assigned from above: a user may set it for the units under
// their own, and only an admin or a user bound higher up for their own unit.
func (s *Service) SetTarget(ctx context.Context, in TargetInput) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("org") {
		return cannotWrite(me)
	}
	o, err := s.Org(ctx, in.OrgCode)
	if err != nil {
		return err
	}
	if err := quotaFromAbove(me, o, in.Kind); err != nil {
		return err
	}
	t := &domain.Target{OrgID: o.ID, Year: in.Year, Kind: in.Kind, Deadline: in.Deadline, Breakdown: in.Breakdown}
	if in.Value != nil {
		t.Value = *in.Value
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if in.Value == nil {
			if err := tx.DeleteTarget(ctx, o.ID, in.Year, in.Kind); err != nil {
				return err
			}
		} else if err := tx.SetTarget(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "target", "org", o.ID, map[string]any{"year": in.Year, "kind": in.Kind, "value": in.Value})
	})
}

// TargetRow is a unit's own targets for a year.
type TargetRow struct {
	Org   *domain.Org
	Quota *domain.Target
	Plan  *domain.Target
}

// TargetSheet is a unit and its direct children with their own targets,
// and whether the children's allocations add up to the unit's.
type TargetSheet struct {
	Year     int
	Unit     TargetRow
	Children []TargetRow
	QuotaSum int
	PlanSum  int
	QuotaGap *int // unit's quota minus the children's sum, when both exist and differ
	PlanGap  *int
}

// Targets returns the target sheet of the query's unit for its year
// (ReportQuery's defaults; the as-of date only gives the default year).
func (s *Service) Targets(ctx context.Context, q ReportQuery) (*TargetSheet, error) {
	r, err := s.resolveReport(ctx, q)
	if err != nil {
		return nil, err
	}
	o, year := r.Org, r.Year
	// the year's targets on the year's tree: its last day, or the unit's
	day := domain.Day(year, 12, 31)
	if o.ValidTo != nil && !day.Before(*o.ValidTo) {
		day = o.ValidTo.AddDate(0, 0, -1)
	}
	kids, err := s.store.ChildrenOn(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	_, path, err := s.store.PlaceOn(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	all, err := s.store.TargetsOn(ctx, path, day, year)
	if err != nil {
		return nil, err
	}
	byOrg := map[int64]*TargetRow{}
	sheet := &TargetSheet{Year: year, Unit: TargetRow{Org: o}}
	byOrg[o.ID] = &sheet.Unit
	sheet.Children = make([]TargetRow, len(kids))
	for i, k := range kids {
		sheet.Children[i].Org = k
		byOrg[k.ID] = &sheet.Children[i]
	}
	anyQuota, anyPlan := false, false
	for _, t := range all {
		row := byOrg[t.OrgID]
		if row == nil {
			continue
		}
		if t.Kind == domain.TargetQuota {
			row.Quota = t
		} else {
			row.Plan = t
		}
		if row != &sheet.Unit {
			if t.Kind == domain.TargetQuota {
				sheet.QuotaSum += t.Value
				anyQuota = true
			} else {
				sheet.PlanSum += t.Value
				anyPlan = true
			}
		}
	}
	if sheet.Unit.Quota != nil && anyQuota && sheet.Unit.Quota.Value != sheet.QuotaSum {
		g := sheet.Unit.Quota.Value - sheet.QuotaSum
		sheet.QuotaGap = &g
	}
	if sheet.Unit.Plan != nil && anyPlan && sheet.Unit.Plan.Value != sheet.PlanSum {
		g := sheet.Unit.Plan.Value - sheet.PlanSum
		sheet.PlanGap = &g
	}
	return sheet, nil
}
