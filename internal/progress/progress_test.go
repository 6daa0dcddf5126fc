package progress

import (
	"testing"
	"time"
)

func ip(n int) *int { return &n }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DOMAIN §4: "Percent = admitted / target × 100, rounded half away from zero
// to two decimals; no target or a zero target gives no percent".
// CONTRACT "Progress": quota_percent 23.17 for 57/246, plan_percent 20.73 for
// 57/275, 233.33 for 7/3.
func TestPercent(t *testing.T) {
	tests := []struct {
		admitted int
		target   *int
		want     float64
		ok       bool
	}{
		// 5700/246 = 23.1707… → 23.17 (third decimal 0 rounds down).
		{57, ip(246), 23.17, true},
		// 5700/275 = 20.7272… → 20.73.
		{57, ip(275), 20.73, true},
		// 700/3 = 233.333… → 233.33.
		{7, ip(3), 233.33, true},
		// 100/8 = 12.5 exactly: nothing to round.
		{1, ip(8), 12.5, true},
		{1, ip(200), 0.5, true},
		{1, ip(400), 0.25, true},
		// 100/800 = 0.125: an exact half at the third decimal → away from
		// zero → 0.13. In binary 0.125 is exact, but 1.0/800*100 is not,
		// which is why the function must compute in integers.
		{1, ip(800), 0.13, true},
		// 200/3 = 66.666… → 66.67.
		{2, ip(3), 66.67, true},
		// 300/1600 = 0.1875 → 0.19; 100/1600 = 0.0625 → 0.06 (below half).
		{3, ip(1600), 0.19, true},
		{1, ip(1600), 0.06, true},
		// 100/16000 = 0.00625 → 0.01 (the 0.005 half rounds up).
		{1, ip(16000), 0.01, true},
		// 100/30000 = 0.00333… → 0.00, still a percent (target set).
		{1, ip(30000), 0, true},
		{0, ip(5), 0, true},
		{5, ip(5), 100, true},
		// Zero and missing targets: no percent, never a division error.
		{3, ip(0), 0, false},
		{0, ip(0), 0, false},
		{3, nil, 0, false},
	}
	for _, tc := range tests {
		got, ok := Percent(tc.admitted, tc.target)
		tv := "nil"
		if tc.target != nil {
			tv = itoa(*tc.target)
		}
		if ok != tc.ok || got != tc.want {
			t.Errorf("Percent(%d, %s) = %v, %v; want %v, %v", tc.admitted, tv, got, ok, tc.want, tc.ok)
		}
	}
}

// Exhaustive cross-check of the half-away-from-zero rule against an
// independent computation with exact integer arithmetic in hundredths of a
// hundredth: percent×10000 = admitted×1000000/target.
func TestPercentMatchesExactRounding(t *testing.T) {
	for target := 1; target <= 400; target++ {
		for admitted := 0; admitted <= 2*target+3; admitted++ {
			got, ok := Percent(admitted, &target)
			if !ok {
				t.Fatalf("Percent(%d, %d) gave no percent", admitted, target)
			}
			// Independent derivation: the exact percent in thousandths,
			// truncated; the half-away rule rounds up exactly when the
			// thousandths digit is 5 or more (whatever follows it).
			thousandths := admitted * 100 * 1000 / target
			hundredths := thousandths / 10
			if thousandths%10 >= 5 {
				hundredths++
			}
			want := float64(hundredths) / 100
			if got != want {
				t.Fatalf("Percent(%d, %d) = %v; want %v", admitted, target, got, want)
			}
		}
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// DOMAIN §4: "Classification per unit: above target, on target, below,
// none admitted".
func TestClassify(t *testing.T) {
	tests := []struct {
		admitted int
		target   *int
		want     string
	}{
		{7, ip(3), ClassAbove},
		{3, ip(3), ClassOn},
		{2, ip(3), ClassBelow},
		{0, ip(3), ClassNone},
		{0, nil, ClassNoTarget},
		{4, nil, ClassNoTarget},
		{4, ip(0), ClassNoTarget},
	}
	for _, tc := range tests {
		if got := Classify(tc.admitted, tc.target); got != tc.want {
			t.Errorf("Classify(%d, %v) = %q; want %q", tc.admitted, tc.target, got, tc.want)
		}
		if ClassNames[tc.want] == "" {
			t.Errorf("class %q has no Vietnamese name", tc.want)
		}
	}
}

func quota(v int, deadline *time.Time) *Target { return &Target{Value: v, Deadline: deadline} }

// The small tree used by the roll-up tests:
//
//	1 R (no own target, 1 admitted at R itself)
//	├── 2 A  quota 10, plan 12, 4 admitted
//	├── 3 B  quota 5, no plan, 5 admitted
//	└── 4 C  no target, 0 admitted
//	    └── 5 C1 quota 3, 2 admitted
func rollupInput() Input {
	dl := day(2024, 9, 30)
	return Input{
		Year: 2024,
		AsOf: day(2024, 5, 4),
		Nodes: []Node{
			{ID: 1, Code: "r"},
			{ID: 2, ParentID: 1, Code: "a"},
			{ID: 3, ParentID: 1, Code: "b"},
			{ID: 4, ParentID: 1, Code: "c"},
			{ID: 5, ParentID: 4, Code: "c1"},
		},
		Counts: map[int64]int{1: 1, 2: 4, 3: 5, 5: 2},
		Targets: map[int64]Targets{
			2: {Quota: quota(10, &dl), Plan: quota(12, &dl)},
			3: {Quota: quota(5, &dl)},
			5: {Quota: quota(3, &dl)},
		},
	}
}

func intv(p *int) string {
	if p == nil {
		return "nil"
	}
	return itoa(*p)
}

func eqInt(p *int, want int) bool { return p != nil && *p == want }

// DOMAIN §4: counts roll up the ancestors; "a parent's target is its own
// figure when set" — otherwise the roll-up takes the children's sum.
func TestComputeRollUp(t *testing.T) {
	res := Compute(rollupInput())
	r, a, b, c, c1 := res[1], res[2], res[3], res[4], res[5]

	// Admitted: leaves keep their own; C = 0 + C1's 2; R = 1 + 4 + 5 + 2 = 12.
	for _, x := range []struct {
		r    *Result
		want int
	}{{a, 4}, {b, 5}, {c1, 2}, {c, 2}, {r, 12}} {
		if x.r.Admitted != x.want {
			t.Errorf("%s admitted = %d; want %d", x.r.Code, x.r.Admitted, x.want)
		}
	}

	// C has no target of its own: its quota is C1's 3, not its own.
	if !eqInt(c.Quota, 3) || c.QuotaOwn || !eqInt(c.ChildQuotaSum, 3) {
		t.Errorf("C quota = %s own=%v childsum=%s; want 3, false, 3", intv(c.Quota), c.QuotaOwn, intv(c.ChildQuotaSum))
	}
	if c.Plan != nil || c.ChildPlanSum != nil {
		t.Errorf("C plan = %s, child plan sum %s; want nil (no plan anywhere below)", intv(c.Plan), intv(c.ChildPlanSum))
	}
	// C: 2 of 3 = 66.67 %, below.
	if c.QuotaPercent == nil || *c.QuotaPercent != 66.67 || c.Class != ClassBelow {
		t.Errorf("C percent %v class %q; want 66.67, below", c.QuotaPercent, c.Class)
	}

	// R: quotas 10 + 5 + 3 (C's effective) = 18, plans only A's 12.
	if !eqInt(r.Quota, 18) || r.QuotaOwn || !eqInt(r.ChildQuotaSum, 18) {
		t.Errorf("R quota = %s own=%v childsum=%s; want 18, false, 18", intv(r.Quota), r.QuotaOwn, intv(r.ChildQuotaSum))
	}
	if !eqInt(r.Plan, 12) || r.PlanOwn || !eqInt(r.ChildPlanSum, 12) {
		t.Errorf("R plan = %s own=%v childsum=%s; want 12, false, 12", intv(r.Plan), r.PlanOwn, intv(r.ChildPlanSum))
	}
	// 12/18 = 66.666… → 66.67; 12/12 = 100.
	if r.QuotaPercent == nil || *r.QuotaPercent != 66.67 {
		t.Errorf("R quota percent = %v; want 66.67", r.QuotaPercent)
	}
	if r.PlanPercent == nil || *r.PlanPercent != 100 {
		t.Errorf("R plan percent = %v; want 100", r.PlanPercent)
	}
	// The class is judged against the quota first: 12 < 18.
	if r.Class != ClassBelow {
		t.Errorf("R class = %q; want below", r.Class)
	}
	// R inherits the deadline of its children (it has none of its own).
	if r.Deadline == nil || !r.Deadline.Equal(day(2024, 9, 30)) {
		t.Errorf("R deadline = %v; want 2024-09-30", r.Deadline)
	}

	// Own targets stay own.
	if !eqInt(a.Quota, 10) || !a.QuotaOwn || !eqInt(a.Plan, 12) || !a.PlanOwn || a.ChildQuotaSum != nil {
		t.Errorf("A quota %s own %v plan %s own %v childsum %s", intv(a.Quota), a.QuotaOwn, intv(a.Plan), a.PlanOwn, intv(a.ChildQuotaSum))
	}
	// A 4/10 = 40 % below; B 5/5 on; classes.
	if a.Class != ClassBelow || b.Class != ClassOn || c1.Class != ClassBelow {
		t.Errorf("classes A %q B %q C1 %q; want below, on, below", a.Class, b.Class, c1.Class)
	}
	if a.PlanPercent == nil || *a.PlanPercent != 33.33 { // 4/12 = 33.333…
		t.Errorf("A plan percent = %v; want 33.33", a.PlanPercent)
	}
	if b.Plan != nil || b.PlanPercent != nil {
		t.Errorf("B plan %s percent %v; want nil, nil", intv(b.Plan), b.PlanPercent)
	}

	// Children are linked: R has A, B, C in input order; C has C1; leaves none.
	if len(r.Children) != 3 || r.Children[0] != a || r.Children[1] != b || r.Children[2] != c {
		t.Errorf("R children = %v", codes(r.Children))
	}
	if len(c.Children) != 1 || c.Children[0] != c1 || len(a.Children) != 0 {
		t.Errorf("C children = %v, A children = %v", codes(c.Children), codes(a.Children))
	}
}

func codes(rs []*Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

// DOMAIN §4: "A parent's target is its own figure when set" and "the product
// shows where children's allocations do not add up to the parent's".
func TestComputeOwnTargetWinsOverChildren(t *testing.T) {
	in := rollupInput()
	own := day(2024, 10, 31)
	in.Targets[1] = Targets{Quota: quota(20, &own)}
	res := Compute(in)
	r := res[1]
	if !eqInt(r.Quota, 20) || !r.QuotaOwn {
		t.Fatalf("R quota %s own %v; want 20 own", intv(r.Quota), r.QuotaOwn)
	}
	// The children's 18 is still reported, so the gap 20 − 18 can be shown.
	if !eqInt(r.ChildQuotaSum, 18) {
		t.Errorf("R child quota sum = %s; want 18", intv(r.ChildQuotaSum))
	}
	// 12/20 = 60 %.
	if r.QuotaPercent == nil || *r.QuotaPercent != 60 {
		t.Errorf("R quota percent = %v; want 60", r.QuotaPercent)
	}
	// Its own deadline, not the children's.
	if r.Deadline == nil || !r.Deadline.Equal(own) {
		t.Errorf("R deadline = %v; want %v", r.Deadline, own)
	}
	// The plan still comes from the children (R has no own plan).
	if !eqInt(r.Plan, 12) || r.PlanOwn {
		t.Errorf("R plan %s own %v; want 12 from children", intv(r.Plan), r.PlanOwn)
	}
}

// A zero quota is "no target" for percent and class, and the plan then
// serves for the class (DOMAIN §4).
func TestComputeZeroQuotaFallsBackToPlan(t *testing.T) {
	res := Compute(Input{
		Year: 2024, AsOf: day(2024, 5, 4),
		Nodes:   []Node{{ID: 1}},
		Counts:  map[int64]int{1: 2},
		Targets: map[int64]Targets{1: {Quota: quota(0, nil), Plan: quota(2, nil)}},
	})
	r := res[1]
	if r.QuotaPercent != nil {
		t.Errorf("quota percent = %v; want nil for a zero quota", *r.QuotaPercent)
	}
	if r.PlanPercent == nil || *r.PlanPercent != 100 {
		t.Errorf("plan percent = %v; want 100", r.PlanPercent)
	}
	if r.Class != ClassOn {
		t.Errorf("class = %q; want on (judged against the plan)", r.Class)
	}
	if r.PaceNeeded != nil {
		t.Errorf("pace needed = %v with no deadline; want nil", *r.PaceNeeded)
	}
}

// DOMAIN §4 "the pace needed per month to meet the deadline, and a projection
// at the current pace plus the pipeline". The article's figures: 57 admitted of
// a quota of 246 due 30/9/2024, as of 4/5/2024.
func TestComputePaceAndProjection(t *testing.T) {
	dl := day(2024, 9, 30)
	res := Compute(Input{
		Year: 2024, AsOf: day(2024, 5, 4),
		Nodes:    []Node{{ID: 1}},
		Counts:   map[int64]int{1: 57},
		Targets:  map[int64]Targets{1: {Quota: quota(246, &dl)}},
		Pipeline: map[int64]int{1: 10},
	})
	r := res[1]
	// A month is 365.2425/12 = 30.436875 days.
	// Elapsed: 1/1 to 4/5 is 31+29+31+30+3 = 124 days, plus the as-of day =
	// 125 days = 4.10686 months; 57 / 4.10686 = 13.8792 → 13.88 a month.
	if r.PaceCurrent != 13.88 {
		t.Errorf("current pace = %v; want 13.88", r.PaceCurrent)
	}
	// Left: 5/5 … 30/9 = 27+30+31+31+30 = 149 days = 4.89538 months;
	// (246 − 57) / 4.89538 = 189 / 4.89538 = 38.6078 → 38.61 a month.
	if r.PaceNeeded == nil || *r.PaceNeeded != 38.61 {
		t.Errorf("pace needed = %v; want 38.61", r.PaceNeeded)
	}
	// Projection: 57 + 10 (pipeline) + round(13.88 × 4.89538 = 67.95) = 57+10+68 = 135.
	if !eqInt(r.Projection, 135) {
		t.Errorf("projection = %s; want 135", intv(r.Projection))
	}
	if r.Pipeline != 10 {
		t.Errorf("pipeline = %d; want 10", r.Pipeline)
	}
	if r.AtPace() != 68 {
		t.Errorf("at pace = %d; want 68 (135 − 57 − 10)", r.AtPace())
	}
}

// DOMAIN §4: the admissions recorded from paper are counted in admitted
// and, beside it, on their own; both roll up the tree, as the pipeline of
// the projection does.
func TestComputeRecordedAndPipelineRollUp(t *testing.T) {
	dl := day(2024, 9, 30)
	res := Compute(Input{
		Year: 2024, AsOf: day(2024, 5, 4),
		Nodes:    []Node{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 1}, {ID: 4, ParentID: 3}},
		Counts:   map[int64]int{2: 5, 3: 1, 4: 4},
		Recorded: map[int64]int{2: 2, 4: 1},
		Pipeline: map[int64]int{2: 1, 4: 3},
		Targets:  map[int64]Targets{1: {Quota: quota(40, &dl)}},
	})
	for id, want := range map[int64][3]int{1: {10, 3, 4}, 2: {5, 2, 1}, 3: {5, 1, 3}, 4: {4, 1, 3}} {
		r := res[id]
		if r.Admitted != want[0] || r.Recorded != want[1] || r.Pipeline != want[2] {
			t.Errorf("node %d: admitted %d recorded %d pipeline %d; want %v", id, r.Admitted, r.Recorded, r.Pipeline, want)
		}
	}
	if r := res[1]; r.Projection == nil || *r.Projection != r.Admitted+r.AtPace()+4 || r.AtPace() <= 0 {
		t.Errorf("root projection %s, at pace %d", intv(r.Projection), r.AtPace())
	}
	if r := res[2]; r.Projection != nil || r.AtPace() != 0 {
		t.Errorf("no target, no projection: %s, %d", intv(r.Projection), r.AtPace())
	}
}

// Once the target is met, the pace needed is 0, not negative.
func TestComputePaceNeededNeverNegative(t *testing.T) {
	dl := day(2024, 9, 30)
	res := Compute(Input{
		Year: 2024, AsOf: day(2024, 5, 4),
		Nodes:   []Node{{ID: 1}},
		Counts:  map[int64]int{1: 9},
		Targets: map[int64]Targets{1: {Quota: quota(7, &dl)}},
	})
	if r := res[1]; r.PaceNeeded == nil || *r.PaceNeeded != 0 || r.Class != ClassAbove {
		t.Errorf("pace needed %v class %q; want 0, above", r.PaceNeeded, r.Class)
	}
}

// On or after the deadline there is no pace needed and no projection.
func TestComputeDeadlinePassed(t *testing.T) {
	dl := day(2024, 9, 30)
	for _, asof := range []time.Time{day(2024, 9, 30), day(2024, 10, 1), day(2024, 12, 31)} {
		res := Compute(Input{
			Year: 2024, AsOf: asof,
			Nodes:   []Node{{ID: 1}},
			Counts:  map[int64]int{1: 3},
			Targets: map[int64]Targets{1: {Quota: quota(10, &dl)}},
		})
		r := res[1]
		if r.PaceNeeded != nil || r.Projection != nil {
			t.Errorf("as of %s: pace needed %v projection %s; want nil, nil", asof.Format("2006-01-02"), r.PaceNeeded, intv(r.Projection))
		}
		if r.QuotaPercent == nil || *r.QuotaPercent != 30 {
			t.Errorf("as of %s: percent %v; want 30", asof.Format("2006-01-02"), r.QuotaPercent)
		}
	}
}

// The current pace is "admissions a month so far this year": a report on a
// past year run after the year ended spans the whole year, not the months
// of the next year too.
func TestComputePaceOfAPastYear(t *testing.T) {
	for _, asof := range []time.Time{day(2023, 12, 31), day(2024, 6, 1)} {
		res := Compute(Input{
			Year: 2023, AsOf: asof,
			Nodes:  []Node{{ID: 1}},
			Counts: map[int64]int{1: 12},
		})
		// 365 days = 11.99203 months; 12 / 11.99203 = 1.00066 → 1.00.
		if got := res[1].PaceCurrent; got != 1 {
			t.Errorf("year 2023 as of %s: current pace = %v; want 1 (12 admissions over the 12 months of 2023)", asof.Format("2006-01-02"), got)
		}
	}
	// As of a date before the year: nothing elapsed, pace 0.
	res := Compute(Input{Year: 2024, AsOf: day(2023, 12, 31), Nodes: []Node{{ID: 1}}})
	if got := res[1].PaceCurrent; got != 0 {
		t.Errorf("as of before the year: pace %v; want 0", got)
	}
}

// Attribute: DOMAIN §2 "restructuring … closes old nodes and opens new ones
// with successor links; history stays countable under the tree as it was on
// the report date".
func TestAttribute(t *testing.T) {
	// In the as-of tree: 1 (root), 2 and 3 under 1.
	tree := map[int64]bool{1: true, 2: true, 3: true}
	type lk struct{ succ, parent int64 }
	links := map[int64]lk{
		1:  {0, 0},
		2:  {0, 1},
		3:  {0, 1},
		10: {3, 2},  // closed, successor 3 in the tree
		11: {0, 2},  // closed, no successor: goes to its parent 2
		12: {13, 2}, // closed, successor 13 also closed, whose successor is 3
		13: {3, 1},
		14: {15, 16}, // successor 15 closed without a successor; parent 16 closed; 16's parent is 1
		15: {0, 2},
		16: {0, 1},
		20: {21, 2}, // successor cycle 20 → 21 → 20, neither in the tree: parent 2
		21: {20, 3},
		22: {22, 3}, // its own successor
		23: {24, 2}, // successor 24 exists outside the tree: the history moved there
		24: {0, 50},
	}
	open := map[int64]bool{24: true}
	counts := map[int64]int{1: 1, 3: 2, 10: 3, 11: 4, 12: 5, 14: 6, 20: 7, 22: 8, 99: 9, 23: 10}
	done := make(chan struct{})
	var out map[int64]int
	var lost, moved int
	go func() {
		defer close(done)
		out, lost, moved = Attribute(counts, func(id int64) bool { return tree[id] }, func(id int64) (Link, bool) {
			l, ok := links[id]
			return Link{Successor: l.succ, Parent: l.parent, Open: open[id]}, ok
		})
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Attribute did not return: a cycle of links hangs it")
	}
	// 1: own 1 + 14's 6 (14 → 15 dead end → climb from 14: parent 16 not in tree, 16's parent 1).
	// 2: 11's 4 + 20's 7 (cycle, then parent 2).
	// 3: own 2 + 10's 3 + 12's 5 (via 13) + 22's 8 (self-successor, then parent 3).
	// 99 is unknown: lost.
	want := map[int64]int{1: 7, 2: 11, 3: 18}
	if len(out) != len(want) {
		t.Errorf("out = %v; want %v", out, want)
	}
	for id, n := range want {
		if out[id] != n {
			t.Errorf("out[%d] = %d; want %d (all: %v)", id, out[id], n, out)
		}
	}
	if lost != 9 {
		t.Errorf("lost = %d; want 9", lost)
	}
	// 23's 10 moved with its successor 24, which lives outside this tree.
	if moved != 10 {
		t.Errorf("moved = %d; want 10", moved)
	}
	// Nothing counted twice or dropped silently.
	sum := lost + moved
	for _, n := range out {
		sum += n
	}
	if sum != 55 {
		t.Errorf("total after attribution = %d; want 55", sum)
	}
}

// A corrupt parent chain (a cycle that never reaches the tree) must not hang
// the attribution either: the count is lost, not looped on forever.
func TestAttributeParentCycle(t *testing.T) {
	links := map[int64][2]int64{30: {0, 31}, 31: {0, 30}}
	done := make(chan struct{})
	var out map[int64]int
	var lost int
	go func() {
		defer close(done)
		out, lost, _ = Attribute(map[int64]int{30: 2, 1: 1}, func(id int64) bool { return id == 1 }, func(id int64) (Link, bool) {
			l, ok := links[id]
			return Link{Successor: l[0], Parent: l[1]}, ok
		})
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Attribute did not return on a parent cycle")
	}
	if out[1] != 1 || lost != 2 || len(out) != 1 {
		t.Errorf("out %v lost %d; want map[1:1], 2", out, lost)
	}
}
