package demo

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// The classes after the seed's (reference §7.4): until the reorganisation
// the district's political centre (two more awareness classes and two
// new-member classes in 2024, two and one in the first half of 2025);
// from it the communes' political centres: each commune's awareness
// classes (autumn 2025, spring and late summer 2026), and new-member
// classes each centre holds for two neighbouring communes. The learners
// are the sources who go on to admission (they pass), other sources of
// the pool (their results vary) and the probationary members.

// laterClass is a class of the continuation's schedule.
type laterClass struct {
	code, name string
	programme  string
	start      time.Time // a Monday: the sessions are the working days from it
	sessions   int
	org        int   // the organising unit (org index)
	units      []int // the units it serves
}

// planClasses lays out the continuation's classes.
func (l *sequel) planClasses() {
	var list []laterClass
	for _, c := range []struct {
		code     string
		start    time.Time
		prog     string
		sessions int
	}{
		{"DVM-2024-03", domain.Day(2024, 7, 15), domain.ProgNewMember, 6},
		{"NT-2024-05", domain.Day(2024, 8, 12), domain.ProgAwareness, 4},
		{"NT-2024-06", domain.Day(2024, 10, 14), domain.ProgAwareness, 4},
		{"DVM-2024-04", domain.Day(2024, 11, 11), domain.ProgNewMember, 6},
		{"NT-2025-01", domain.Day(2025, 3, 10), domain.ProgAwareness, 4},
		{"DVM-2025-01", domain.Day(2025, 4, 14), domain.ProgNewMember, 6},
		{"NT-2025-02", domain.Day(2025, 5, 12), domain.ProgAwareness, 4},
	} {
		year, _ := c.start.Year(), 0
		k := c.code[len(c.code)-1] - '0'
		name := fmt.Sprintf("Lớp bồi dưỡng nhận thức về Đảng, khóa %d năm %d", k, year)
		if c.prog == domain.ProgNewMember {
			name = fmt.Sprintf("Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa %d năm %d", k, year)
		}
		list = append(list, laterClass{code: c.code, name: name, programme: c.prog, start: c.start, sessions: c.sessions,
			org: districtOrg, units: []int{districtOrg}})
	}
	// The armed forces' committees of the area stand in Phước An: its
	// centre takes their people too.
	var armedUnits []int
	for c, parent := range l.m.moved {
		if parent < 0 {
			armedUnits = append(armedUnits, c)
		}
	}
	slices.Sort(armedUnits)
	for k, nc := range l.m.newIndex {
		units := []int{nc}
		if k == 0 {
			units = append(units, armedUnits...)
		}
		short := strings.ToUpper(strings.TrimPrefix(l.p.orgs[nc].code, "daklak-"))
		commune := strings.TrimPrefix(l.p.orgs[nc].name, "Đảng bộ ")
		for n, start := range []time.Time{domain.Day(2025, 10, 6), domain.Day(2026, 3, 16), domain.Day(2026, 8, 3)} {
			start = start.AddDate(0, 0, 7*k)
			list = append(list, laterClass{code: fmt.Sprintf("NT-%d-%s-%d", start.Year(), short, n+1),
				name:      fmt.Sprintf("Lớp bồi dưỡng nhận thức về Đảng, %s, năm %d", commune, start.Year()),
				programme: domain.ProgAwareness, start: start, sessions: 4, org: nc, units: units})
		}
	}
	for j := 0; j+1 < len(l.m.newIndex); j += 2 {
		a, b := l.m.newIndex[j], l.m.newIndex[j+1]
		units := []int{a, b}
		if j == 0 {
			units = append(units, armedUnits...)
		}
		short := strings.ToUpper(strings.TrimPrefix(l.p.orgs[a].code, "daklak-"))
		commune := strings.TrimPrefix(l.p.orgs[a].name, "Đảng bộ ")
		for n, start := range []time.Time{domain.Day(2025, 11, 17), domain.Day(2026, 5, 11), domain.Day(2026, 10, 12)} {
			start = start.AddDate(0, 0, 7*(j/2))
			list = append(list, laterClass{code: fmt.Sprintf("DVM-%d-%s-%d", start.Year(), short, n+1),
				name: fmt.Sprintf("Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, %s và %s, năm %d", commune,
					strings.TrimPrefix(l.p.orgs[b].name, "Đảng bộ "), start.Year()),
				programme: domain.ProgNewMember, start: start, sessions: 6, org: a, units: units})
		}
	}
	for _, c := range list {
		var sessions []time.Time
		d := l.workday(c.start)
		for len(sessions) < c.sessions {
			sessions = append(sessions, d)
			d = l.workday(d.AddDate(0, 0, 1))
		}
		last := sessions[len(sessions)-1]
		completed := l.workday(last.AddDate(0, 0, 4))
		cp := &classPlan{code: c.code, name: c.name, programme: c.programme, sessions: sessions, completed: completed,
			certified: l.workday(completed.AddDate(0, 0, 7)), units: c.units, org: c.org, results: c.programme == domain.ProgAwareness,
			mustPass: map[int]bool{}}
		if c.org != districtOrg {
			commune := strings.TrimPrefix(l.p.orgs[c.org].name, "Đảng bộ ")
			cp.organiser = "Trung tâm Chính trị " + commune
			cp.place = "Hội trường Đảng ủy " + commune
			cp.lecturers = "Giảng viên kiêm chức Trung tâm Chính trị " + commune + "; báo cáo viên Đảng ủy xã"
		}
		l.classes = append(l.classes, cp)
	}
	slices.SortStableFunc(l.classes, func(a, b *classPlan) int { return a.sessions[0].Compare(b.sessions[0]) })
}

// serves reports whether the class takes learners of the chapter: the
// district's classes every unit of the district, a commune's classes the
// chapters under the communes it serves.
func (l *sequel) serves(c *classPlan, org int) bool {
	if c.org == districtOrg {
		return true
	}
	return slices.Contains(c.units, l.holderAfter(org))
}

// pickClass is the first class of the programme for the chapter starting
// on or after lo whose certificates are issued on or before hi (nil when
// none).
func (l *sequel) pickClass(programme string, org int, lo, hi time.Time) *classPlan {
	for _, c := range l.classes {
		if c.programme == programme && !c.sessions[0].Before(lo) && !c.certified.After(hi) && l.serves(c, org) {
			return c
		}
	}
	return nil
}

// enrol puts the person in the class; one who goes on to admission passes.
func (l *sequel) enrol(c *classPlan, xi int, pass bool) {
	c.learners = append(c.learners, xi)
	if pass {
		c.mustPass[xi] = true
	}
	if c.programme == domain.ProgAwareness {
		l.inClass[xi] = c
	} else {
		l.dvmOf[xi] = c
	}
}

// fillClasses brings every awareness class to a full room: sources of the
// pool waiting for a class (the seed's, then new ones), whose results vary;
// when they run short, sources the chapters list for the occasion.
func (l *sequel) fillClasses() {
	for _, c := range l.classes {
		if c.programme != domain.ProgAwareness {
			continue
		}
		want := 30 + l.r.IntN(16)
		start := c.sessions[0]
		waits := func(xi int) bool {
			if l.inClass[xi] != nil || !l.p.poolSince[xi].Before(start.AddDate(0, 0, -14)) {
				return false
			}
			if w, ok := l.withdrawn[xi]; ok && w.Before(start.AddDate(0, 0, 30)) {
				return false
			}
			k, ok := l.certified[xi]
			return !ok || !k.AddDate(5, 0, 0).After(start)
		}
		for progress := true; progress && len(c.learners) < want; {
			progress = false
			for _, ch := range l.poolChapters() {
				if len(c.learners) >= want || !l.serves(c, ch) || l.p.lazy[ch] {
					continue
				}
				for _, list := range [][]int{l.pool[ch], l.waiting[ch]} {
					taken := false
					for _, xi := range list {
						if (l.used[xi] && !slices.Contains(l.waiting[ch], xi)) || !waits(xi) {
							continue
						}
						l.enrol(c, xi, false)
						progress, taken = true, true
						break
					}
					if taken {
						break
					}
				}
			}
			for _, ch := range slices.Sorted(maps.Keys(l.waiting)) {
				if len(c.learners) >= want || !l.serves(c, ch) || l.p.lazy[ch] {
					continue
				}
				if _, seed := l.pool[ch]; seed {
					continue // done above
				}
				for _, xi := range l.waiting[ch] {
					if waits(xi) {
						l.enrol(c, xi, false)
						progress = true
						break
					}
				}
			}
		}
		for len(c.learners) < domain.MinLearners+3 {
			chapters := l.classChapters(c)
			ch := chapters[l.r.IntN(len(chapters))]
			since := l.within(later(minSince, start.AddDate(0, 0, -150)), start.AddDate(0, 0, -20))
			xi := l.poolOnly(ch, since)
			l.waiting[ch] = append(l.waiting[ch], xi)
			l.enrol(c, xi, false)
		}
	}
}

// poolChapters are the chapters holding seed sources, in a fixed order.
func (l *sequel) poolChapters() []int {
	out := make([]int, 0, len(l.pool))
	for ch := range l.pool {
		out = append(out, ch)
	}
	slices.Sort(out)
	return out
}

// classChapters are the chapters a class serves that a new source may
// belong to on its first day.
func (l *sequel) classChapters(c *classPlan) []int {
	var out []int
	for i := range l.p.orgs {
		o := &l.p.orgs[i]
		if !o.kind.IsChapter() || o.to != nil || o.size == 0 || l.p.lazy[i] || o.role == roleArmed {
			continue
		}
		if c.org == districtOrg || (l.survives(i) && l.serves(c, i)) {
			out = append(out, i)
		}
	}
	return out
}

// planNewMemberClasses sends every probationary member of the continuation
// to the first new-member class after their ceremony (before the end of
// their probation).
func (l *sequel) planNewMemberClasses(ceremonies map[int]time.Time) {
	people := make([]int, 0, len(ceremonies))
	for xi := range ceremonies {
		people = append(people, xi)
	}
	slices.Sort(people)
	for _, xi := range people {
		cer := ceremonies[xi]
		org := l.p.people[xi].org
		end := addYear(cer)
		for _, c := range l.classes {
			start := c.sessions[0]
			if c.programme == domain.ProgNewMember && !start.Before(cer.AddDate(0, 0, 7)) && start.Before(end.AddDate(0, 0, -45)) &&
				!start.After(Latest) && l.serves(c, l.orgAt(org, start)) {
				l.enrol(c, xi, true)
				break
			}
		}
	}
	// A class too small to open is not held: its learners' certificates
	// are recorded from paper at the recognition (as the seed's are).
	l.classes = slices.DeleteFunc(l.classes, func(c *classPlan) bool {
		if c.programme != domain.ProgNewMember || len(c.learners) >= domain.MinLearners {
			return false
		}
		for _, xi := range c.learners {
			delete(l.dvmOf, xi)
		}
		return true
	})
}

// writeClasses writes the classes the filter keeps.
func (l *sequel) writeClasses(keep func(*classPlan) bool) error {
	r := l.classRand
	for _, c := range l.classes {
		if !keep(c) {
			continue
		}
		if len(c.learners) < domain.MinLearners {
			return fmt.Errorf("demo: class %s has %d learners", c.code, len(c.learners))
		}
		// recorded when it was planned: a month before its first session,
		// after the seed's date (a list of the seed's date does not show it)
		c.recorded = c.sessions[0].AddDate(0, -1, 0).Add(8 * time.Hour)
		if min := AsOf.AddDate(0, 0, 1).Add(8 * time.Hour); c.recorded.Before(min) {
			c.recorded = min
		}
		if err := l.p.writeClass(l.ctx, l.tx, r, c); err != nil {
			return err
		}
	}
	return nil
}
