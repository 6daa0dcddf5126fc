package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/rules"
)

// The continuation's admissions one by one: who is admitted, from which
// pool, the path of each story, the stalled dossiers, the pool's new
// sources, the withdrawals and the numbering of the decisions (the
// periods and their quotas are in later_plan.go).

// admissions plans the period's admissions, unit by unit: decision days,
// the person (a source of the seed's pool ready by then, else a new
// source), the way there.
func (l *sequel) admissions(per period) []*story {
	units, n := l.holders(per)
	var out []*story
	for _, h := range units {
		if n[h] <= 0 {
			continue
		}
		decider := districtOrg
		if per.n >= 3 {
			decider = l.deciderOn(l.firstChapter(h), per.lo)
		}
		lo := per.lo
		if per.n == 1 {
			lo = domain.Day(2024, 7, 9) // a source of 4 May needs two months at least
		}
		days := l.batches(decider, lo, per.hi)
		if len(days) == 0 {
			continue
		}
		weights := make([]int, len(days))
		for i, d := range days {
			weights[i] = int(monthWeight[d.Month()] * 10)
		}
		for range n[h] {
			k := l.p.pickWeighted(weights)
			if st := l.admit(h, days[k:], per); st != nil {
				out = append(out, st)
			}
		}
	}
	return out
}

// firstChapter is a chapter of the unit after the reorganisation.
func (l *sequel) firstChapter(h int) int {
	if kids := l.chaptersAfter(h); len(kids) > 0 {
		return kids[0]
	}
	return h
}

// admit plans one admission of the unit h decided on the first of days
// (or, when no one can be ready by then, on one of the next ones): nil
// when no one can.
func (l *sequel) admit(h int, days []time.Time, per period) *story {
	for try := 0; try < 6 && try < 2*len(days); try++ {
		t := days[min(try/2*2, len(days)-1)]
		st := l.candidateFor(h, t, try%2)
		if st == nil {
			continue
		}
		if l.planPath(st) {
			l.used[st.xi] = true
			l.decided(st, per)
			return st
		}
		if st.fresh {
			l.dropNew(st.xi) // a new source who cannot make it: not kept
		}
	}
	return nil
}

// chapterPool are the chapters of unit h on day t, with the chapters of
// the seed's pool whose sources are now in them.
func (l *sequel) unitChapters(h int, t time.Time) []int {
	if t.Before(ReorgDay) {
		return l.chaptersBefore(h)
	}
	return l.chaptersAfter(h)
}

// candidateFor picks who is admitted: the source of the seed's pool
// longest waiting (or, half the time, another one) ready by t; else, or
// when try > 0, a new source of a chapter of the unit.
func (l *sequel) candidateFor(h int, t time.Time, try int) *story {
	chapters := l.unitChapters(h, t)
	if len(chapters) == 0 {
		return nil
	}
	if try < 2 {
		var ready []int
		for _, ch := range l.poolChapters() {
			if !slices.Contains(chapters, l.orgAt(ch, t)) {
				continue
			}
			for _, xi := range l.pool[ch] {
				if !l.used[xi] && l.seedReady(xi, t) {
					ready = append(ready, xi)
				}
			}
		}
		if len(ready) > 0 {
			xi := ready[0]
			if l.r.IntN(2) == 0 {
				xi = ready[l.r.IntN(len(ready))]
			}
			x := &l.p.people[xi]
			return &story{xi: xi, org: x.org, since: l.p.poolSince[xi], t: t}
		}
	}
	weights := make([]int, len(chapters))
	for i, ch := range chapters {
		o := &l.p.orgs[ch]
		if l.p.lazy[ch] {
			continue
		}
		weights[i] = o.size + 4
		if o.role == roleSchool {
			weights[i] *= 3
		}
	}
	k := pickSome(l, weights)
	if k < 0 {
		return nil
	}
	ch := chapters[k]
	since := t.AddDate(0, 0, -(270 + l.r.IntN(180)))
	if since.Before(minSince) {
		since = minSince.AddDate(0, 0, l.r.IntN(20))
	}
	if t.Sub(since) < 200*24*time.Hour {
		return nil
	}
	since = l.workday(since)
	xi := l.newSource(ch, since)
	return &story{xi: xi, org: ch, since: since, t: t, fresh: true}
}

// seedReady reports whether a source of the seed's pool can be admitted on
// t: in the pool for 8 months, and holding a certificate or with a class
// before the dossier.
func (l *sequel) seedReady(xi int, t time.Time) bool {
	since := l.p.poolSince[xi]
	if t.Sub(since) < 240*24*time.Hour || l.inClass[xi] != nil {
		return false
	}
	if _, ok := l.certified[xi]; ok {
		return t.After(AsOf.AddDate(0, 0, 55))
	}
	return t.After(AsOf.AddDate(0, 0, 80))
}

// dropNew forgets a new source planned in vain (the last one created).
func (l *sequel) dropNew(xi int) {
	if n := len(l.newPeople); n > 0 && l.newPeople[n-1] == xi && xi == len(l.p.people)-1 {
		l.newPeople = l.newPeople[:n-1]
		l.p.people = l.p.people[:xi]
		delete(l.p.poolSince, xi)
	}
}

// planPath works back from the decision t: the chapter's vote 12 to 40
// days before it (the committee's in between where one votes), the dossier
// 40 to 85 days before the vote, the certificate (the seed's, a class's,
// or recorded from paper) before the dossier. It reports false when the
// person cannot be ready by t.
func (l *sequel) planPath(st *story) bool {
	x := &l.p.people[st.xi]
	t := st.t
	st.v = l.within(t.AddDate(0, 0, -40), t.AddDate(0, 0, -12))
	if earliest := st.since.AddDate(0, 0, 75); st.v.Before(earliest) {
		st.v = l.workday(earliest)
	}
	if !st.v.Before(t.AddDate(0, 0, -4)) || calendar.AddMonths(x.birth, 18*12).After(st.v) {
		return false
	}
	needW := (t.Before(ReorgDay) && l.committeeBefore(st.org)) || (!t.Before(ReorgDay) && l.committeeAfter(st.org))
	optW := !t.Before(ReorgDay) && st.v.Before(ReorgDay) && l.committeeBefore(st.org)
	if needW || optW {
		w := l.within(st.v.AddDate(0, 0, 2), st.v.AddDate(0, 0, 9))
		switch {
		case !w.Before(t):
			if needW {
				w = l.workdayBefore(t.AddDate(0, 0, -1))
				if !w.After(st.v) {
					return false
				}
			} else {
				w = time.Time{}
			}
		case !needW && !w.Before(ReorgDay):
			w = time.Time{} // the old commune's committee did not meet before it closed
		}
		st.w = w
	}
	lo := st.since.AddDate(0, 0, 21)
	if !st.fresh {
		lo = later(lo, AsOf.AddDate(0, 0, 3))
	}
	st.dd = l.within(st.v.AddDate(0, 0, -85), st.v.AddDate(0, 0, -40))
	if st.dd.Before(lo) {
		st.dd = l.workday(lo)
	}
	if st.dd.After(st.v.AddDate(0, 0, -35)) {
		return false
	}
	if issued, ok := l.certified[st.xi]; !ok || !issued.Before(st.dd) {
		from := later(st.since.AddDate(0, 0, 14), minSince)
		c := l.pickClass(domain.ProgAwareness, st.org, from, st.dd.AddDate(0, 0, -2))
		if c == nil {
			return false // every admitted holds a class's certificate
		}
		l.enrol(c, st.xi, true)
	}
	if st.fresh {
		st.youth = x.youthUnion && rules.AgeMonths(x.birth, st.v) < 31*12
	}
	return true
}

// stalled plans, in each new commune, the cases that show on 30/11/2026
// what goes wrong: a decision overdue (chapter voted in August or
// September, 45 working days passed), a verification reply overdue, a
// dossier about to lapse (opened in December 2025, the opinions never
// gathered), a dossier refused at the board's re-check, a candidate who
// withdrew.
func (l *sequel) stalled() []*story {
	var out []*story
	for _, nc := range l.m.newIndex {
		chapters := l.chaptersAfter(nc)
		pick := func(since time.Time) (*story, bool) {
			weights := make([]int, len(chapters))
			for i, ch := range chapters {
				if !l.p.lazy[ch] && l.p.orgs[ch].role != roleArmed {
					weights[i] = l.p.orgs[ch].size + 4
				}
			}
			k := pickSome(l, weights)
			if k < 0 {
				return nil, false
			}
			ch := chapters[k]
			xi := l.newSource(ch, l.workday(since))
			l.used[xi] = true
			return &story{xi: xi, org: ch, since: l.p.poolSince[xi], fresh: true}, true
		}
		path := func(st *story, dd time.Time) {
			st.dd = l.workday(dd)
			x := &l.p.people[st.xi]
			if c := l.pickClass(domain.ProgAwareness, st.org, st.since.AddDate(0, 0, 14), st.dd.AddDate(0, 0, -2)); c != nil {
				l.enrol(c, st.xi, true)
			} else {
				st.cd = l.within(st.since.AddDate(0, 0, 7), st.dd.AddDate(0, 0, -1))
			}
			st.youth = x.youthUnion && rules.AgeMonths(x.birth, st.dd.AddDate(0, 0, 60)) < 31*12
		}
		// a decision overdue
		if st, ok := pick(l.within(domain.Day(2025, 7, 1), domain.Day(2025, 10, 31))); ok {
			st.v = l.within(domain.Day(2026, 8, 3), domain.Day(2026, 9, 18))
			path(st, st.v.AddDate(0, 0, -(45+l.r.IntN(30))))
			out = append(out, st)
		}
		// a verification reply overdue
		if st, ok := pick(l.within(domain.Day(2025, 9, 1), domain.Day(2025, 12, 31))); ok {
			st.pending = true
			path(st, l.within(domain.Day(2026, 8, 17), domain.Day(2026, 9, 30)))
			out = append(out, st)
		}
		// a dossier about to lapse
		if st, ok := pick(l.within(domain.Day(2025, 7, 1), domain.Day(2025, 8, 29))); ok {
			st.missing = true
			path(st, l.within(domain.Day(2025, 12, 8), domain.Day(2025, 12, 26)))
			out = append(out, st)
		}
		// refused at the re-check
		if st, ok := pick(l.within(domain.Day(2025, 7, 1), domain.Day(2025, 9, 30))); ok {
			st.v = l.within(domain.Day(2026, 4, 6), domain.Day(2026, 6, 30))
			path(st, st.v.AddDate(0, 0, -(45+l.r.IntN(30))))
			st.refused = l.within(st.v.AddDate(0, 0, 14), st.v.AddDate(0, 0, 30))
			st.reason = "Qua thẩm định lại, Ban Xây dựng Đảng Đảng ủy xã thấy lý lịch khai chưa đầy đủ quá trình công tác; đề nghị chi bộ tiếp tục bồi dưỡng, xem xét lại sau"
			out = append(out, st)
		}
	}
	return out
}

// fillPool adds sources who stay in the pool, so that on 30/11/2026 the
// chapters hold about 400 sources in all, as in 2024 (with those of the
// chapters that never send theirs and those the classes add).
func (l *sequel) fillPool(stories []*story) {
	open := 0
	for _, ch := range l.poolChapters() {
		for _, xi := range l.pool[ch] {
			if !l.used[xi] {
				open++
			}
		}
	}
	for _, st := range stories {
		if st.kind == kindNew && st.withdrawn.IsZero() && (st.dd.IsZero() || st.dd.After(Latest)) && !st.since.After(Latest) {
			open++
		}
	}
	var chapters []int
	var weights []int
	for _, h := range l.m.newIndex {
		for _, ch := range l.chaptersAfter(h) {
			if l.p.lazy[ch] {
				continue
			}
			w := 4
			switch l.p.orgs[ch].role {
			case roleSchool:
				w = 30
			case roleThon, roleBuon, roleTDP:
				w = 5
			case roleAgency, roleEnterprise:
				w = 2
			}
			chapters, weights = append(chapters, ch), append(weights, w)
		}
	}
	for n := open; n < 310; n++ {
		ch := chapters[l.p.pickWeighted(weights)]
		since := l.within(domain.Day(2024, 9, 2), domain.Day(2026, 11, 20))
		if l.r.IntN(2) == 0 {
			since = l.within(domain.Day(2026, 1, 5), domain.Day(2026, 11, 25))
		}
		xi := l.poolOnly(l.chapterOn(ch, since), since)
		l.waiting[ch] = append(l.waiting[ch], xi)
	}
}

// chapterOn is the chapter a source of ch after the reorganisation
// belonged to on the day: itself (the chapters that go on are the old
// ones).
func (l *sequel) chapterOn(ch int, _ time.Time) int { return ch }

// pickSome draws an index of weights, -1 when they are all zero.
func pickSome(l *sequel, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	if total == 0 {
		return -1
	}
	return l.p.pickWeighted(weights)
}

// withdrawals take some of the seed's sources off the lists in 2024–2026
// (they moved away, went to study, no longer strove): about one in six.
func (l *sequel) withdrawals() []*story {
	reasons := []string{
		"Quần chúng chuyển nơi cư trú ra ngoài tỉnh; chi bộ đưa ra khỏi danh sách cảm tình Đảng",
		"Quần chúng đi học đại học xa; chi bộ đưa ra khỏi danh sách, giới thiệu về nơi học tập",
		"Qua rà soát hằng tháng, quần chúng chưa tích cực phấn đấu; chi bộ đưa ra khỏi danh sách",
		"Quần chúng đi làm việc ở nước ngoài theo hợp đồng; chi bộ đưa ra khỏi danh sách",
	}
	var out []*story
	for _, ch := range l.poolChapters() {
		for _, xi := range l.pool[ch] {
			if l.used[xi] || l.r.IntN(6) > 0 {
				continue
			}
			l.used[xi] = true
			on := l.within(later(l.p.poolSince[xi].AddDate(0, 0, 90), domain.Day(2024, 9, 2)), domain.Day(2026, 10, 30))
			l.withdrawn[xi] = on
			out = append(out, &story{xi: xi, org: ch, since: l.p.poolSince[xi], withdrawn: on, reason: reasons[l.r.IntN(len(reasons))]})
		}
	}
	return out
}

// number gives every decision its number, in the order of the days, in
// the register of its decider and year: the district's 2024 register goes
// on from the seed's numbers.
func (l *sequel) number() {
	slices.SortStableFunc(l.decisions, func(a, b *decisionRef) int {
		return cmp.Or(a.on.Compare(b.on), cmp.Compare(a.decider, b.decider))
	})
	type reg struct {
		no   int
		last time.Time
	}
	regs := map[[2]int]*reg{}
	seed2024 := 0
	for i := range l.p.people {
		if m := l.p.people[i].m; m != nil && m.date.Year() == 2024 {
			if n, err := strconv.Atoi(strings.TrimSuffix(m.no, "-QĐ/HU")); err == nil {
				seed2024 = max(seed2024, n)
			}
		}
	}
	for _, d := range l.decisions {
		k := [2]int{d.decider, d.on.Year()}
		g := regs[k]
		switch {
		case g == nil:
			g = &reg{no: 2 + l.r.IntN(8), last: d.on}
			if k == [2]int{districtOrg, 2024} {
				g.no = seed2024 + 3 + l.r.IntN(5)
			}
			regs[k] = g
		case !d.on.Equal(g.last):
			g.no += 2 + l.r.IntN(11)
			g.last = d.on
		default:
			g.no++
		}
		*d.no = fmt.Sprintf("%d-%s", g.no, deciderSuffix(d.decider))
	}
}
