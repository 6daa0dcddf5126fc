package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// After the conference (DOMAIN §9, last bullet): the demo goes on past
// 4 May 2024 to 30 November 2026. Everything as of 4 May 2024 stays as the
// seed made it: the continuation only adds facts dated after that day,
// drawn from its own generators (the seed's draws come first and in the
// same order), on people, cases and classes created after the seed's.
//
//   - the rest of 2024: the candidates of 4 May go on (the overdue
//     decisions are signed late, with the reason recorded; the stalled
//     dossiers are withdrawn), the admitted hold their ceremonies, the
//     sources of the 2024 classes open their dossiers, new sources enter
//     the pool, two more awareness and two new-member classes; the district
//     ends 2024 just above its quota;
//   - 2025 until 30 June under the district: its quota for the half-year,
//     the recognitions of the members admitted in 2024, the cases going on;
//   - on 1 July 2025 the reorganisation (reorg.go), applied through the
//     service; cases voted on in June are decided in July and August by the
//     new communes' standing committees, probationary members admitted in
//     the second half of 2024 are recognised by them;
//   - 2025 and 2026 under the six new communes: their quotas and plans,
//     the classes of the communes' political centres, cases at every stage
//     and decisions up to 30 November 2026, at the pace of a few percent of
//     the members a year (reference §7.1); on that day some decisions are
//     overdue, ceremonies due, verification replies awaited and dossiers
//     about to lapse.
//
// The continuation is planned in memory (dates, people, classes), then
// written in three phases: the acts dated before 1 July 2025, the
// reorganisation, the acts dated from it (the ladder of a step is read
// from the tree as it stands when the step is recorded).

// Latest is the last day of the demo's history: no fact is dated after it.
var Latest = domain.Day(2026, 11, 30)

// The continuation's generators, seeded apart from the seed's.
const (
	laterSeed1, laterSeed2   = 20261130, 20250701 // people, dates and choices
	laterCase1, laterCase2   = 20261130, 4531     // the votes and numbers drawn while acts run
	laterClass1, laterClass2 = 20261130, 350115   // attendance and results of the classes
)

// minSince is the first day a source created by the continuation may have
// entered the pool: the day after the seed's date.
var minSince = AsOf.AddDate(0, 0, 2)

// act is one dated step of a script.
type act struct {
	on time.Time
	do func() error
}

// script is the acts of one person's story, run in order. c is the case
// as the last act left it.
type script struct {
	who  string
	acts []act
	next int
	c    *service.CaseView
}

// add appends an act; acts are added in date order.
func (s *script) add(on time.Time, do func() error) {
	if n := len(s.acts); n > 0 && on.Before(s.acts[n-1].on) {
		panic(fmt.Sprintf("demo: %s: act of %s after one of %s", s.who, on.Format(domain.DateLayout), s.acts[n-1].on.Format(domain.DateLayout)))
	}
	s.acts = append(s.acts, act{on, do})
}

// sequel is the continuation being planned and written.
type sequel struct {
	p   *plan
	d   *driver
	ctx context.Context
	tx  *store.Store
	cal *calendar.Calendar
	m   *reorgMap
	r   *rand.Rand

	targets   *laterTargets
	classRand *rand.Rand // the classes' draws
	scripts   []*script
	waiting   map[int][]int       // chapter → new sources who stay in the pool
	used      map[int]bool        // people with a story of the continuation
	certified map[int]time.Time   // people holding an awareness certificate of the seed's classes: its issue date
	classes   []*classPlan        // the continuation's classes
	inClass   map[int]*classPlan  // awareness class planned for a person
	dvmOf     map[int]*classPlan  // new-member class planned for a probationary member
	decisions []*decisionRef      // every decision of the continuation, numbered once planned
	area      map[int]map[int]int // period → holder (org index) → admissions planned
	withdrawn map[int]time.Time   // people whose case is withdrawn, and when
	newPeople []int               // people created by the continuation
	pool      map[int][]int       // chapter (org index) → seed sources not yet used, oldest first
}

// decisionRef is one decision to number: by whom, when, and where its
// number goes.
type decisionRef struct {
	decider int // org index; -1: the province
	on      time.Time
	no      *string
}

// writeLater plans and writes the continuation inside the demo's
// transaction, after the seed (d is the seed's driver, whose clock,
// service and members it goes on with).
func (p *plan) writeLater(ctx context.Context, tx *store.Store, d *driver, say func(string, ...any)) (*service.ReorgResult, error) {
	cal, err := d.svc.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	// The seed's generators are done with: what follows draws from its own.
	p.rng = rand.New(rand.NewPCG(laterSeed1, laterSeed2))
	d.r = rand.New(rand.NewPCG(laterCase1, laterCase2))
	l := &sequel{p: p, d: d, ctx: ctx, tx: tx, cal: cal, r: p.rng, used: map[int]bool{}, certified: map[int]time.Time{},
		inClass: map[int]*classPlan{}, dvmOf: map[int]*classPlan{}, area: map[int]map[int]int{}, withdrawn: map[int]time.Time{},
		pool: map[int][]int{}, waiting: map[int][]int{}, classRand: rand.New(rand.NewPCG(laterClass1, laterClass2))}
	if l.m, err = p.buildReorg(); err != nil {
		return nil, err
	}
	if err := l.plan(); err != nil {
		return nil, err
	}
	say("Đang ghi tiếp diễn biến sau ngày %s: %s người mới vào nguồn, %s lớp bồi dưỡng, %s hồ sơ…",
		vn.Date(AsOf), vn.Int(len(l.newPeople)), vn.Int(len(l.classes)), vn.Int(len(l.scripts)))
	if err := l.writePeople(); err != nil {
		return nil, err
	}
	if err := l.writeTargetsBefore(); err != nil {
		return nil, err
	}
	if err := l.writeClasses(func(c *classPlan) bool { return c.sessions[0].Before(ReorgDay) }); err != nil {
		return nil, err
	}
	if err := l.run(ReorgDay); err != nil {
		return nil, err
	}
	say("Đang áp dụng phương án sắp xếp tổ chức ngày %s (minh họa): giải thể Đảng bộ huyện Krông Pắc, hợp nhất 16 xã, thị trấn thành %d xã…",
		vn.Date(ReorgDay), len(newCommunes))
	res, err := p.applyReorg(ctx, tx, d, l.m)
	if err != nil {
		return nil, err
	}
	// The cases moved: their versions changed.
	for _, s := range l.scripts {
		s.c = nil
	}
	// The ladders the replaying service remembers were read on the old tree.
	base := service.New(tx, nil)
	d.svc = *base.Replaying()
	d.svc.Now = func() time.Time { return d.now }
	if err := l.writeTargetsAfter(); err != nil {
		return nil, err
	}
	if err := l.writeClasses(func(c *classPlan) bool { return !c.sessions[0].Before(ReorgDay) }); err != nil {
		return nil, err
	}
	if err := l.run(time.Time{}); err != nil {
		return nil, err
	}
	// As of the last day: the certificates the classes issued, the
	// deadlines passed.
	d.at(Latest)
	ids := make([]int64, 0, len(p.people))
	for i := range p.people {
		if x := &p.people[i]; x.id != 0 && (driven(x) || x.stage == domain.StageSource || x.stage == domain.StageCandidate || l.used[i]) {
			ids = append(ids, x.id)
		}
	}
	return res, d.svc.RefreshCases(ctx, ids...)
}

// run executes, script by script, the acts not yet run that are dated
// before `before` (every one when it is zero) and not after Latest.
func (l *sequel) run(before time.Time) error {
	for _, s := range l.scripts {
		for s.next < len(s.acts) {
			a := s.acts[s.next]
			if a.on.After(Latest) || (!before.IsZero() && !a.on.Before(before)) {
				break
			}
			if err := a.do(); err != nil {
				var ds []string
				for _, x := range s.acts {
					ds = append(ds, x.on.Format(domain.DateLayout))
				}
				return fmt.Errorf("demo: %s, %s (act %d of %v): %w", s.who, a.on.Format(domain.DateLayout), s.next, ds, err)
			}
			s.next++
		}
	}
	return nil
}

// workday is d when it is a working day, else the next one.
func (l *sequel) workday(d time.Time) time.Time {
	for range 30 {
		if ok, err := l.cal.IsWorkday(d); err != nil || ok {
			return d
		}
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// workdayBefore is d when it is a working day, else the one before.
func (l *sequel) workdayBefore(d time.Time) time.Time {
	for range 30 {
		if ok, err := l.cal.IsWorkday(d); err != nil || ok {
			return d
		}
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// within draws a working day in [lo, hi]; when the range holds none (the
// holidays of Tết), the first working day after lo.
func (l *sequel) within(lo, hi time.Time) time.Time {
	n := int(hi.Sub(lo).Hours()/24) + 1
	if n <= 1 {
		return l.workday(lo)
	}
	d := l.workday(lo.AddDate(0, 0, l.r.IntN(n)))
	if d.After(hi) {
		if b := l.workdayBefore(hi); !b.Before(lo) {
			return b
		}
		return l.workday(lo)
	}
	return d
}

// addWorkdays is the n-th working day after d.
func (l *sequel) addWorkdays(d time.Time, n int) time.Time {
	t, err := l.cal.AddWorkdays(d, n)
	if err != nil {
		return d.AddDate(0, 0, n*7/5)
	}
	return t
}

// caseOf is the open admission case of a person of the seed, as a view
// the next act can go on from.
func (l *sequel) caseOf(x *personPlan) (*service.CaseView, error) {
	cases, err := l.tx.CasesOfPerson(l.ctx, x.id)
	if err != nil {
		return nil, err
	}
	for i := len(cases) - 1; i >= 0; i-- {
		if !cases[i].Closed() {
			return &service.CaseView{Case: cases[i]}, nil
		}
	}
	return nil, fmt.Errorf("no open case")
}
