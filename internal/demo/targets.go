package demo

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"ketnap/internal/domain"
)

// Targets: the district's quota (246, from the provincial Organization
// Board) and plan (275, its own), allocated to its direct children so that
// they add up exactly, and inside every committee to some of its chapters,
// except in one commune whose chapters fall 2 short.

const (
	districtQuota = 246
	districtPlan  = 275
	admitted2024  = 57
)

var deadline2024 = domain.Day(2024, 9, 30)

// ownTarget is a unit's own 2024 figures and how many it admitted by AsOf.
type ownTarget struct{ quota, plan, admitted int }

// targetPlan is one target to write.
type targetPlan struct {
	org      int
	year     int
	kind     string
	value    int
	deadline time.Time
}

// setTargets records a direct child's 2024 quota, plan and admissions.
func (p *plan) setTargets(org, quota, plan, admitted int) {
	p.own[org] = ownTarget{quota, plan, admitted}
}

func (p *plan) addTarget(org, year int, kind string, value int, deadline time.Time) {
	if value > 0 {
		p.targets = append(p.targets, targetPlan{org, year, kind, value, deadline})
	}
}

// children returns the indexes of the direct children of org open on AsOf.
func (p *plan) children(org int) []int {
	var out []int
	for i := range p.orgs {
		if p.orgs[i].parent == org && (p.orgs[i].to == nil || AsOf.Before(*p.orgs[i].to)) {
			out = append(out, i)
		}
	}
	return out
}

// buildTargets writes the targets of every level and decides where the
// 57 admissions of 2024 were made (p.admit2024).
func (p *plan) buildTargets() error {
	p.admit2024 = map[int]int{}
	p.addTarget(0, 2024, domain.TargetQuota, districtQuota, deadline2024)
	p.addTarget(0, 2024, domain.TargetPlan, districtPlan, deadline2024)
	// 2023, for history: the district's own figures only.
	p.addTarget(0, 2023, domain.TargetQuota, 230, domain.Day(2023, 9, 30))
	p.addTarget(0, 2023, domain.TargetPlan, 250, domain.Day(2023, 9, 30))

	var quota, plan, admitted int
	for _, c := range p.children(0) {
		t, ok := p.own[c]
		if !ok {
			continue
		}
		quota, plan, admitted = quota+t.quota, plan+t.plan, admitted+t.admitted
		if t.admitted > 0 && t.quota == 0 {
			return fmt.Errorf("demo: %s admits without a quota", p.orgs[c].code)
		}
		p.addTarget(c, 2024, domain.TargetQuota, t.quota, deadline2024)
		p.addTarget(c, 2024, domain.TargetPlan, t.plan, deadline2024)
		if p.orgs[c].kind.IsChapter() {
			p.admit2024[c] = t.admitted
			continue
		}
		short := 0
		if p.orgs[c].name == "Đảng bộ xã "+shortCommune {
			short = 2
		}
		if err := p.allocate(c, t, short); err != nil {
			return err
		}
	}
	if quota != districtQuota || plan != districtPlan || admitted != admitted2024 {
		return fmt.Errorf("demo: children's quotas %d, plans %d, admissions %d; want %d, %d, %d",
			quota, plan, admitted, districtQuota, districtPlan, admitted2024)
	}
	return nil
}

// allocate splits a committee's quota and plan over its largest chapters
// (short of the committee's figures by short) and places its admissions
// at chapters that still have room in their quota.
func (p *plan) allocate(committee int, t ownTarget, short int) error {
	kids := p.children(committee)
	slices.SortStableFunc(kids, func(a, b int) int { return cmp.Compare(p.orgs[b].size, p.orgs[a].size) })
	n := len(kids)
	quota := make([]int, n)
	k := min(n, t.quota-t.quota/4)
	for i := range k {
		quota[i] = 1
	}
	for i := 0; i < t.quota-k; i++ {
		quota[i%n]++
	}
	plan := slices.Clone(quota)
	for i := 0; i < t.plan-t.quota; i++ {
		plan[(k+i)%n]++
	}
	// The short commune: the two smallest allocations lose one each.
	for s := 0; s < short; s++ {
		for i := n - 1; i >= 0; i-- {
			if quota[i] > 0 && plan[i] > 0 {
				quota[i]--
				plan[i]--
				break
			}
		}
	}
	admitted := make([]int, n)
	for a := 0; a < t.admitted; a++ {
		var room []int
		for i := range n {
			if admitted[i] < quota[i] {
				room = append(room, i)
			}
		}
		if len(room) == 0 {
			return fmt.Errorf("demo: no room for admissions in %s", p.orgs[committee].code)
		}
		admitted[room[p.rng.IntN(len(room))]]++
	}
	for i, c := range kids {
		p.addTarget(c, 2024, domain.TargetQuota, quota[i], deadline2024)
		p.addTarget(c, 2024, domain.TargetPlan, plan[i], deadline2024)
		if admitted[i] > 0 {
			p.admit2024[c] = admitted[i]
		}
	}
	return nil
}
