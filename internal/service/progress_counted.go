package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/store"
)

// The roll-up from the counts maintained per unit (store.AdmissionTotals):
// the unit and its direct children are read, with the admissions of their
// subtrees on the tree of the report's day from admission_counts, instead
// of the whole subtree. The counts hold the admissions at the units under
// each unit by their places in the tree, which is what the computation
// from scratch (progressFromScratch) counts for every unit open on the day
// with open ancestors. The others are taken from scratch, few as they
// are: the units not open on the day (founded later, or closed) with what
// stood under them, whose admissions go to the unit that carries their
// history (progress.Attribute), and the units merged into the subtree from
// elsewhere. The targets are read for the units shown, and further down
// only under a unit without its own quota or plan (whose figure is its
// children's sum).

// scratchKey marks a context whose progress reports are computed from
// scratch (the tests compare both).
type scratchKey struct{}

// countedView is the part of the as-of tree a counted roll-up works on.
type countedView struct {
	root     *domain.Org
	path     string // the root's path on the day
	depth    int    // how many ids the root's path holds
	kids     map[int64]bool
	regions  []string // paths of the units not open on the day under the root, none inside another
	places   map[int64]store.UnitPlace
	s        *Service
	ctx      context.Context
	day      time.Time
	placeErr error
}

// inRegion says whether a path lies under a unit not open on the day.
func (v *countedView) inRegion(path string) bool {
	for _, r := range v.regions {
		if strings.HasPrefix(path, r) {
			return true
		}
	}
	return false
}

// shownUnder is the child of the root a unit of the root's subtree at
// path counts in (0: the root alone).
func (v *countedView) shownUnder(path string) int64 {
	ids := pathIDsOf(path)
	if len(ids) > v.depth {
		return ids[v.depth]
	}
	return 0
}

func pathIDsOf(path string) []int64 {
	var ids []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// place is a unit's place on the day, read once.
func (v *countedView) place(id int64) (store.UnitPlace, bool) {
	if p, ok := v.places[id]; ok {
		return p, p.ID != 0
	}
	got, err := v.s.store.PlacesOn(v.ctx, []int64{id}, v.day)
	if err != nil && v.placeErr == nil {
		v.placeErr = err
	}
	v.places[id] = got[id]
	return got[id], got[id].ID != 0
}

// inTree is the node set of the computation from scratch: the root, and
// the units open on the day under it.
func (v *countedView) inTree(id int64) bool {
	if id == v.root.ID {
		return true
	}
	p, ok := v.place(id)
	return ok && p.Open && len(p.Path) > len(v.path) && strings.HasPrefix(p.Path, v.path)
}

// linked says whether a node of the tree is reached from the root through
// open units (the others' figures reach no unit shown), and under which
// child it counts (0: the root itself).
func (v *countedView) linked(id int64) (ok bool, child int64) {
	if id == v.root.ID {
		return true, 0
	}
	p, _ := v.place(id)
	if v.inRegion(p.Path) {
		return false, 0
	}
	return true, v.shownUnder(p.Path)
}

// figures are the rolled-up numbers of the units shown.
type figures map[int64]*[3]int // admitted, recorded, pipeline

func (f figures) add(id int64, k, n int) {
	x := f[id]
	if x == nil {
		x = &[3]int{}
		f[id] = x
	}
	x[k] += n
}

// progressCounted is progress from the maintained counts, for the
// resolved query r whose tree is that of day.
func (s *Service) progressCounted(ctx context.Context, r *reportScope, day time.Time, closedOn *time.Time, successors []*domain.Org) (*Progress, error) {
	o, year, asof := r.Org, r.Year, r.AsOf
	_, path, err := s.store.PlaceOn(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	name, err := s.store.NameOn(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	kids, err := s.store.ChildrenOn(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(kids, func(a, b *domain.Org) int { return strings.Compare(a.Path, b.Path) })
	v := &countedView{root: o, path: path, depth: len(pathIDsOf(path)), kids: map[int64]bool{}, places: map[int64]store.UnitPlace{},
		s: s, ctx: ctx, day: day}
	ids := []int64{o.ID}
	for _, k := range kids {
		v.kids[k.ID] = true
		ids = append(ids, k.ID)
	}
	notOpen, err := s.store.NotOpenUnder(ctx, path, day)
	if err != nil {
		return nil, err
	}
	for _, u := range notOpen {
		if !v.inRegion(u.Path) {
			v.regions = append(v.regions, u.Path)
		}
	}

	fig := figures{}
	from, to := domain.Day(year, 1, 1), day
	lost, moved := 0, 0
	if !to.Before(from) {
		totals, err := s.store.AdmissionTotals(ctx, ids, day, from, to)
		if err != nil {
			return nil, err
		}
		for id, t := range totals {
			fig.add(id, 0, t.N)
			fig.add(id, 1, t.Recorded)
		}
		// the admissions under the units not open on the day are taken
		// out of the sums, and given to the unit carrying their history
		raw, rawRec := map[int64]int{}, map[int64]int{}
		for _, rp := range v.regions {
			counts, rec, err := s.store.AdmissionCountsOn(ctx, rp, day, from, to)
			if err != nil {
				return nil, err
			}
			child := v.shownUnder(rp)
			for id, n := range counts {
				raw[id] += n
				fig.add(o.ID, 0, -n)
				if child != 0 {
					fig.add(child, 0, -n)
				}
			}
			for id, n := range rec {
				rawRec[id] += n
				fig.add(o.ID, 1, -n)
				if child != 0 {
					fig.add(child, 1, -n)
				}
			}
		}
		if err := s.predecessorCounts(ctx, path, day, from, to, raw, rawRec); err != nil {
			return nil, err
		}
		homes, l, m, err := s.attributeIn(ctx, raw, v)
		if err != nil {
			return nil, err
		}
		lost, moved = l, m
		if err := v.give(fig, 0, homes); err != nil {
			return nil, err
		}
		homesRec, _, _, err := s.attributeIn(ctx, rawRec, v)
		if err != nil {
			return nil, err
		}
		if err := v.give(fig, 1, homesRec); err != nil {
			return nil, err
		}
		if closedOn == nil {
			// the pipeline as the admissions: the counts of the units
			// shown, less what stood under the units not open on the
			// day, given to the unit carrying its history
			pipe, err := s.store.PipelineTotals(ctx, ids, day, asof)
			if err != nil {
				return nil, err
			}
			for id, n := range pipe {
				fig.add(id, 2, n)
			}
			rawPipe := map[int64]int{}
			for _, rp := range v.regions {
				under, _, err := s.store.PipelineSpansUnder(ctx, rp, day, asof)
				if err != nil {
					return nil, err
				}
				child := v.shownUnder(rp)
				for id, n := range under {
					rawPipe[id] += n
					fig.add(o.ID, 2, -n)
					if child != 0 {
						fig.add(child, 2, -n)
					}
				}
			}
			homesPipe, _, _, err := s.attributeIn(ctx, rawPipe, v)
			if err != nil {
				return nil, err
			}
			if err := v.give(fig, 2, homesPipe); err != nil {
				return nil, err
			}
		}
	}

	nodes := make([]progress.Node, 0, len(ids))
	nodes = append(nodes, progress.Node{ID: o.ID, Code: o.Code, Name: name, Kind: string(o.Kind)})
	for _, k := range kids {
		nodes = append(nodes, progress.Node{ID: k.ID, ParentID: o.ID, Code: k.Code, Name: k.Name, Kind: string(k.Kind)})
	}
	tmap, nodes, err := s.countedTargets(ctx, nodes, year, day)
	if err != nil {
		return nil, err
	}
	// the units shown carry their own figures: the root what is not its
	// children's, the nodes below (read for the targets) nothing
	counts, recorded, pipeline := map[int64]int{}, map[int64]int{}, map[int64]int{}
	for _, id := range ids {
		if x := fig[id]; x != nil {
			counts[id], recorded[id], pipeline[id] = x[0], x[1], x[2]
		}
	}
	for _, k := range kids {
		counts[o.ID] -= counts[k.ID]
		recorded[o.ID] -= recorded[k.ID]
		pipeline[o.ID] -= pipeline[k.ID]
	}
	res := progress.Compute(progress.Input{Year: year, AsOf: asof, Nodes: nodes, Counts: counts, Recorded: recorded,
		Targets: tmap, Pipeline: pipeline})
	top := res[o.ID]
	for _, c := range top.Children {
		c.Children = nil // read for the targets only: their counts are not
	}
	return &Progress{Org: o, Year: year, AsOf: asof, TreeDay: day, Result: top, Lost: lost, Moved: moved,
		ClosedOn: closedOn, Successors: successors}, nil
}

// give adds the attributed counts to the units shown: the root and the
// child each home is under, when the home is reached from the root.
func (v *countedView) give(fig figures, k int, homes map[int64]int) error {
	for id, n := range homes {
		ok, child := v.linked(id)
		if !ok {
			continue
		}
		fig.add(v.root.ID, k, n)
		if child != 0 {
			fig.add(child, k, n)
		}
	}
	return v.placeErr
}

// attributeIn is attribute over the view's tree.
func (s *Service) attributeIn(ctx context.Context, raw map[int64]int, v *countedView) (map[int64]int, int, int, error) {
	if len(raw) == 0 {
		return raw, 0, 0, nil
	}
	var ids []int64
	for id := range raw {
		if _, ok := v.places[id]; !ok {
			ids = append(ids, id)
		}
	}
	got, err := s.store.PlacesOn(ctx, ids, v.day)
	if err != nil {
		return nil, 0, 0, err
	}
	for _, id := range ids {
		v.places[id] = got[id]
	}
	out, lost, moved, err := s.attribute(ctx, raw, v.inTree, v.day)
	if err == nil {
		err = v.placeErr
	}
	return out, lost, moved, err
}

// predecessorCounts adds to raw the admissions under the units merged into
// the subtree at path from elsewhere, as admissionsUnder counts them.
func (s *Service) predecessorCounts(ctx context.Context, path string, on, from, to time.Time, raw, rawRec map[int64]int) error {
	if path == "/" {
		return nil
	}
	preds, err := s.store.PredecessorsOn(ctx, path, on, 8)
	if err != nil {
		return err
	}
	slices.SortFunc(preds, func(a, b *domain.Org) int { return strings.Compare(a.Path, b.Path) })
	last := ""
	for _, p := range preds {
		if last != "" && strings.HasPrefix(p.Path, last) {
			continue
		}
		last = p.Path
		more, moreRec, err := s.store.AdmissionCountsOn(ctx, p.Path, on, from, to)
		if err != nil {
			return err
		}
		for id, n := range more {
			raw[id] += n
		}
		for id, n := range moreRec {
			rawRec[id] += n
		}
	}
	return nil
}

// countedTargets reads the own targets of the year of the nodes, and goes
// down under a node without its own quota or plan (whose figure, and
// deadline, come from its children), level by level; it returns the
// targets and the nodes with those read below, parents first.
func (s *Service) countedTargets(ctx context.Context, nodes []progress.Node, year int, day time.Time) (map[int64]progress.Targets, []progress.Node, error) {
	tmap := map[int64]progress.Targets{}
	if has, err := s.store.YearHasTargets(ctx, year); err != nil || !has {
		return tmap, nodes, err
	}
	level := make([]int64, len(nodes))
	for i, n := range nodes {
		level[i] = n.ID
	}
	for len(level) > 0 {
		ts, err := s.store.TargetsOf(ctx, level, year)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range ts {
			x := tmap[t.OrgID]
			pt := &progress.Target{Value: t.Value, Deadline: t.Deadline}
			if t.Kind == domain.TargetQuota {
				x.Quota = pt
			} else {
				x.Plan = pt
			}
			tmap[t.OrgID] = x
		}
		if len(level) == len(nodes) && level[0] == nodes[0].ID {
			level = level[1:] // the root's children are read already
		}
		var down []int64
		for _, id := range level {
			if t := tmap[id]; t.Quota == nil || t.Plan == nil {
				down = append(down, id)
			}
		}
		if len(down) == 0 {
			break
		}
		below, err := s.store.ChildPlacesOn(ctx, down, day)
		if err != nil {
			return nil, nil, err
		}
		level = level[:0:0]
		for _, u := range below {
			nodes = append(nodes, progress.Node{ID: u.ID, ParentID: u.Parent})
			level = append(level, u.ID)
		}
	}
	return tmap, nodes, nil
}

// CountsRebuilt is what RebuildCounts did.
type CountsRebuilt struct {
	Memberships int // admission decisions counted
	Rows        int // rows of counts written
	Pipeline    int // cases that were past the chapter vote and not decided on some day
	Funnel      int // cases whose stages in the funnel were counted
}

// RebuildCounts recomputes the counts maintained per unit from the
// admission decisions and the tree's history, in one transaction (an
// administrator of the whole system); progress, when not nil, is told the
// decisions read so far and their total.
func (s *Service) RebuildCounts(ctx context.Context, progress func(done, total int)) (*CountsRebuilt, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if me.Role != domain.RoleAdmin || me.OrgPath != "" {
		return nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị toàn hệ thống mới tính lại được số liệu tổng hợp")
	}
	out := &CountsRebuilt{}
	wrapped := func(done, total int) {
		out.Memberships = total
		if progress != nil {
			progress(done, total)
		}
	}
	r, err := s.store.RebuildAdmissionCounts(ctx, wrapped)
	if err != nil {
		return nil, err
	}
	out.Rows, out.Pipeline, out.Funnel = r.Rows, r.Pipeline, r.Funnel
	return out, nil
}
