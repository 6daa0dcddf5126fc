package demo

import (
	"cmp"
	"math"
	"slices"
	"time"

	"ketnap/internal/domain"
)

// Targets after 2024 (reference §7.1: a few percent of the members,
// allocated down the tree):
//   - 2025 until the reorganisation: the district's quota and plan for the
//     half-year to 30 June 2025 (on the eve of the reorganisation the
//     province cut the district's year to the months it would exist: a
//     plan cannot close a unit that still carries a target), allocated to
//     its direct units like 2024's;
//   - 2025 for the new communes: the whole year's quota of their area (the
//     admissions of their chapters before 1 July count towards it), due
//     31/12/2025;
//   - 2026: the new communes' quotas (3.25 % of their members) and plans,
//     due 30/9/2026 as the province's habit is, allocated to their
//     chapters; the armed forces' committees of the area have their own.
//
// The province itself has none: the demo holds only the former district.

var (
	deadline2025H1 = domain.Day(2025, 6, 30)
	deadline2025   = domain.Day(2025, 12, 31)
	deadline2026   = domain.Day(2026, 9, 30)
)

const (
	district2025Quota = 118
	district2025Plan  = 130
)

// laterTargets are the targets the continuation writes: those of the
// district's units before the reorganisation, and those of the new
// communes and the units under them after it.
type laterTargets struct {
	before, after []targetPlan
	quota         map[[2]int]int // (org index, year) → quota, for planning the admissions
}

// own returns the quota of the unit for the year (0 when none).
func (t *laterTargets) own(org, year int) int { return t.quota[[2]int{org, year}] }

func (t *laterTargets) add(after bool, org, year int, kind string, value int, deadline time.Time) {
	if value <= 0 {
		return
	}
	tp := targetPlan{org, year, kind, value, deadline}
	if after {
		t.after = append(t.after, tp)
	} else {
		t.before = append(t.before, tp)
	}
	if kind == domain.TargetQuota {
		t.quota[[2]int{org, year}] = value
	}
}

// share splits total over weights by the largest remainders.
func share(total int, weights []float64) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	if sum == 0 {
		return out
	}
	type rem struct {
		i int
		f float64
	}
	var rems []rem
	given := 0
	for i, w := range weights {
		x := float64(total) * w / sum
		out[i] = int(math.Floor(x))
		given += out[i]
		rems = append(rems, rem{i, x - math.Floor(x)})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.f, a.f) })
	for k := 0; given < total; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}

// planTargets works out every target of the continuation.
func (l *sequel) planTargets() *laterTargets {
	p := l.p
	t := &laterTargets{quota: map[[2]int]int{}}
	t.add(false, districtOrg, 2025, domain.TargetQuota, district2025Quota, deadline2025H1)
	t.add(false, districtOrg, 2025, domain.TargetPlan, district2025Plan, deadline2025H1)
	kids := p.children(districtOrg)
	var qw, pw []float64
	for _, c := range kids {
		o := p.own[c]
		qw, pw = append(qw, float64(o.quota)), append(pw, float64(o.plan))
	}
	qs, ps := share(district2025Quota, qw), share(district2025Plan, pw)
	for k, c := range kids {
		t.add(false, c, 2025, domain.TargetQuota, qs[k], deadline2025H1)
		t.add(false, c, 2025, domain.TargetPlan, max(ps[k], qs[k]), deadline2025H1)
	}
	// The new communes and the armed forces' committees, by their members.
	members := map[int]int{}
	for i := range p.people {
		x := &p.people[i]
		if domain.IsMember(x.stage) {
			members[l.holderAfter(x.org)]++
		}
	}
	for _, nc := range l.m.newIndex {
		q25 := int(math.Round(float64(members[nc]) * 0.034))
		q26 := int(math.Round(float64(members[nc]) * 1.035 * 0.0325))
		t.add(true, nc, 2025, domain.TargetQuota, q25, deadline2025)
		t.add(true, nc, 2025, domain.TargetPlan, q25+2+l.r.IntN(3), deadline2025)
		t.add(true, nc, 2026, domain.TargetQuota, q26, deadline2026)
		plan := q26 + 2 + l.r.IntN(4)
		t.add(true, nc, 2026, domain.TargetPlan, plan, deadline2026)
		l.allocate2026(t, nc, q26, plan)
	}
	for c, parent := range l.m.moved {
		if parent < 0 { // the armed forces' committees
			q := p.own[c].quota
			t.add(true, c, 2026, domain.TargetQuota, q, deadline2026)
			t.add(true, c, 2026, domain.TargetPlan, q+1, deadline2026)
		}
	}
	return t
}

// allocate2026 splits a new commune's 2026 quota and plan over its
// chapters, the larger first, as the communes of 2024 did.
func (l *sequel) allocate2026(t *laterTargets, nc, quota, plan int) {
	kids := l.chaptersAfter(nc)
	slices.SortStableFunc(kids, func(a, b int) int { return cmp.Compare(l.p.orgs[b].size, l.p.orgs[a].size) })
	w := make([]float64, len(kids))
	for i, c := range kids {
		w[i] = float64(l.p.orgs[c].size)
		if l.p.orgs[c].role == roleSchool {
			w[i] *= 3
		}
	}
	qs := share(quota, w)
	ps := share(plan, w)
	for i, c := range kids {
		t.add(true, c, 2026, domain.TargetQuota, qs[i], deadline2026)
		t.add(true, c, 2026, domain.TargetPlan, max(ps[i], qs[i]), deadline2026)
	}
}

// writeTargetsBefore writes the targets of the district's units.
func (l *sequel) writeTargetsBefore() error { return l.writeTargets(l.targets.before) }

// writeTargetsAfter writes the targets of the new communes and their
// units (once the communes exist).
func (l *sequel) writeTargetsAfter() error { return l.writeTargets(l.targets.after) }

func (l *sequel) writeTargets(list []targetPlan) error {
	for _, t := range list {
		deadline := t.deadline
		d := &domain.Target{OrgID: l.p.orgs[t.org].id, Year: t.year, Kind: t.kind, Value: t.value, Deadline: &deadline}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := l.tx.SetTarget(l.ctx, d); err != nil {
			return err
		}
	}
	return nil
}
