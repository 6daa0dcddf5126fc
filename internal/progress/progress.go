// Package progress computes admission progress against targets over the
// organization tree (DOMAIN §4). It is pure: the service gives it the tree
// as it stood on the as-of date, the admissions counted per organization,
// and the targets; it returns the rolled-up figures.
package progress

import (
	"math"
	"time"
)

// Classes of a unit's progress against its target.
const (
	ClassAbove    = "above"     // admitted more than the target
	ClassOn       = "on"        // admitted exactly the target
	ClassBelow    = "below"     // admitted some, fewer than the target
	ClassNone     = "none"      // a target and nobody admitted
	ClassNoTarget = "no_target" // neither quota nor plan
)

// ClassNames are the Vietnamese names of the classes.
var ClassNames = map[string]string{
	ClassAbove:    "Vượt chỉ tiêu",
	ClassOn:       "Đạt chỉ tiêu",
	ClassBelow:    "Chưa đạt",
	ClassNone:     "Chưa kết nạp được đảng viên nào",
	ClassNoTarget: "Chưa giao chỉ tiêu",
}

// Node is an organization of the tree as it stood on the as-of date.
type Node struct {
	ID       int64
	ParentID int64 // 0 for the root of the computation
	Code     string
	Name     string
	Kind     string
}

// Target is one yearly figure with its deadline.
type Target struct {
	Value    int
	Deadline *time.Time
}

// Targets are a unit's own quota and plan, nil when not set.
type Targets struct {
	Quota *Target
	Plan  *Target
}

// Input is everything a computation needs.
type Input struct {
	Year     int
	AsOf     time.Time
	Nodes    []Node            // parents before children; Nodes[0] is the root
	Counts   map[int64]int     // admissions per node, not rolled up
	Recorded map[int64]int     // optional: of Counts, those recorded rather than reached through a case
	Targets  map[int64]Targets // own targets per node
	Pipeline map[int64]int     // optional: cases past the chapter vote not yet decided, not rolled up
}

// Result is a unit's progress, rolled up over its subtree.
type Result struct {
	Node
	Admitted      int
	Recorded      int  // of Admitted, those recorded (from paper, by the members import) rather than reached through a case
	Quota, Plan   *int // effective targets: own, or the children's sum when not set
	QuotaOwn      bool // the quota is the unit's own figure
	PlanOwn       bool
	QuotaPercent  *float64
	PlanPercent   *float64
	Deadline      *time.Time
	Class         string
	ChildQuotaSum *int // sum of the children's quotas, when any child has one
	ChildPlanSum  *int
	PaceNeeded    *float64 // admissions a month still needed to meet the target by the deadline
	PaceCurrent   float64  // admissions a month so far this year
	Projection    *int     // admitted at the deadline at the current pace, plus the pipeline
	Pipeline      int      // cases past the chapter vote not yet decided
	Children      []*Result
}

// Percent returns admitted/target×100 rounded half away from zero to two
// decimals, computed in integers so that no binary fraction can tip a
// half. ok is false when there is no target or it is zero.
func Percent(admitted int, target *int) (p float64, ok bool) {
	if target == nil || *target <= 0 {
		return 0, false
	}
	t := int64(*target)
	x := int64(admitted) * 10000
	neg := x < 0
	if neg {
		x = -x
	}
	q, r := x/t, x%t
	if 2*r >= t {
		q++
	}
	if neg {
		q = -q
	}
	return float64(q) / 100, true
}

func pct(admitted int, target *int) *float64 {
	if p, ok := Percent(admitted, target); ok {
		return &p
	}
	return nil
}

// Classify returns the class of admitted against a target (nil: no target).
func Classify(admitted int, target *int) string {
	switch {
	case target == nil || *target <= 0:
		return ClassNoTarget
	case admitted == 0:
		return ClassNone
	case admitted > *target:
		return ClassAbove
	case admitted == *target:
		return ClassOn
	}
	return ClassBelow
}

// daysPerMonth is the mean Gregorian month.
const daysPerMonth = 365.2425 / 12

// Compute rolls the counts and targets up the tree and returns the result
// for every node, keyed by id; results[Nodes[0].ID] is the root with its
// children linked.
func Compute(in Input) map[int64]*Result {
	res := make(map[int64]*Result, len(in.Nodes))
	for _, n := range in.Nodes {
		r := &Result{Node: n, Admitted: in.Counts[n.ID], Recorded: in.Recorded[n.ID], Pipeline: in.Pipeline[n.ID]}
		t := in.Targets[n.ID]
		if t.Quota != nil {
			v := t.Quota.Value
			r.Quota, r.QuotaOwn, r.Deadline = &v, true, t.Quota.Deadline
		}
		if t.Plan != nil {
			v := t.Plan.Value
			r.Plan, r.PlanOwn = &v, true
			if r.Deadline == nil {
				r.Deadline = t.Plan.Deadline
			}
		}
		res[n.ID] = r
	}
	// Link children in input order (parents come first).
	for _, n := range in.Nodes[1:] {
		if p := res[n.ParentID]; p != nil {
			p.Children = append(p.Children, res[n.ID])
		}
	}
	// Roll up bottom-up: walking the input backwards visits children first.
	for i := len(in.Nodes) - 1; i >= 0; i-- {
		r := res[in.Nodes[i].ID]
		for _, c := range r.Children {
			r.Admitted += c.Admitted
			r.Recorded += c.Recorded
			r.Pipeline += c.Pipeline
			r.ChildQuotaSum = addPtr(r.ChildQuotaSum, c.Quota)
			r.ChildPlanSum = addPtr(r.ChildPlanSum, c.Plan)
			if r.Deadline == nil && !r.QuotaOwn && !r.PlanOwn {
				r.Deadline = c.Deadline
			}
		}
		if r.Quota == nil && r.ChildQuotaSum != nil {
			v := *r.ChildQuotaSum
			r.Quota = &v
		}
		if r.Plan == nil && r.ChildPlanSum != nil {
			v := *r.ChildPlanSum
			r.Plan = &v
		}
		finish(r, in)
	}
	return res
}

func addPtr(sum *int, v *int) *int {
	if v == nil {
		return sum
	}
	s := *v
	if sum != nil {
		s += *sum
	}
	return &s
}

// finish fills the percents, class, pace and projection of r.
func finish(r *Result, in Input) {
	r.QuotaPercent = pct(r.Admitted, r.Quota)
	r.PlanPercent = pct(r.Admitted, r.Plan)
	target := r.Quota
	if target == nil || *target <= 0 {
		target = r.Plan
	}
	r.Class = Classify(r.Admitted, target)

	start := time.Date(in.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := in.AsOf
	if last := time.Date(in.Year, 12, 31, 0, 0, 0, 0, time.UTC); end.After(last) {
		end = last // a past year's pace spans that year, not the months after it
	}
	elapsed := end.Sub(start).Hours()/24 + 1 // the as-of day counts
	if elapsed > 0 {
		r.PaceCurrent = round2(float64(r.Admitted) / (elapsed / daysPerMonth))
	}
	if r.Deadline == nil || target == nil || *target <= 0 {
		return
	}
	left := r.Deadline.Sub(in.AsOf).Hours() / 24
	if left <= 0 {
		return
	}
	monthsLeft := left / daysPerMonth
	need := round2(float64(max(*target-r.Admitted, 0)) / monthsLeft)
	r.PaceNeeded = &need
	proj := r.Admitted + r.Pipeline + int(math.Round(r.PaceCurrent*monthsLeft))
	r.Projection = &proj
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// AtPace is the part of the projection the current pace adds by the
// deadline: Projection = Admitted + AtPace + Pipeline (0 without a
// projection).
func (r *Result) AtPace() int {
	if r.Projection == nil {
		return 0
	}
	return *r.Projection - r.Admitted - r.Pipeline
}

// Link describes an organization that is not in the as-of tree.
type Link struct {
	Successor int64 // 0 when none
	Parent    int64 // 0 for a root
	Open      bool  // it exists on the as-of date (outside the tree)
}

// Attribute moves the admissions counted at organizations that are not in
// the as-of tree (closed, or outside the subtree) to the node that carries
// their history: the first successor in the tree, or else the nearest
// ancestor in the tree. When the successor chain reaches an organization
// that exists on the as-of date outside the tree, the history has moved
// there and does not count here (moved). inTree says whether an id is a
// node; link describes any other organization (ok false when unknown).
// Counts that find no home are reported in lost.
func Attribute(counts map[int64]int, inTree func(int64) bool, link func(int64) (Link, bool)) (out map[int64]int, lost, moved int) {
	out = make(map[int64]int, len(counts))
	for id, n := range counts {
		home, away := resolve(id, inTree, link)
		switch {
		case away:
			moved += n
		case home == 0:
			lost += n
		default:
			out[home] += n
		}
	}
	return out, lost, moved
}

// resolve walks from id up its ancestors; at each step the organization
// itself, when in the tree, is the home; else its successor chain is
// followed into the tree (home) or to an organization that exists outside
// it (away).
func resolve(id int64, inTree func(int64) bool, link func(int64) (Link, bool)) (home int64, away bool) {
	climbed := map[int64]bool{}
	for cur := id; cur != 0 && !climbed[cur]; {
		climbed[cur] = true
		if inTree(cur) {
			return cur, false
		}
		l, ok := link(cur)
		if !ok {
			return 0, false
		}
		if cur == id && l.Open {
			// It exists on the as-of date outside the tree: its history
			// is its own there (a merger after the date does not bring
			// it here before the merger).
			return 0, true
		}
		seen := map[int64]bool{cur: true}
		for next := l.Successor; next != 0 && !seen[next]; {
			seen[next] = true
			if inTree(next) {
				return next, false
			}
			nl, ok := link(next)
			if !ok {
				break
			}
			if nl.Open {
				return 0, true
			}
			next = nl.Successor
		}
		cur = l.Parent
	}
	return 0, false
}

// ComparePercent orders percents for a ranking: higher first, missing last.
func ComparePercent(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	case *a > *b:
		return -1
	case *a < *b:
		return 1
	}
	return 0
}
