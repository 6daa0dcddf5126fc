package demo

import (
	"math"
	"slices"
	"time"

	"ketnap/internal/domain"
)

// The plan of the continuation: who is admitted when and where, so that
// the units end their years near their quotas (2024 just above the
// district's; the new communes between 85 and 115 %, one lagging), and
// what the pool, the dossiers and the deadlines look like on 30/11/2026.

// period is a stretch of decisions with its deciders.
type period struct {
	n      int
	lo, hi time.Time
}

var (
	period2024   = period{1, domain.Day(2024, 5, 7), domain.Day(2024, 12, 31)}
	period2025H1 = period{2, domain.Day(2025, 1, 2), domain.Day(2025, 6, 30)}
	period2025H2 = period{3, ReorgDay, domain.Day(2025, 12, 31)}
	period2026   = period{4, domain.Day(2026, 1, 2), Latest}
	periodAfter  = period{5, Latest.AddDate(0, 0, 1), domain.Day(2027, 3, 31)} // planned, reached only in part
)

// monthWeight is how busy the standing committees are in a month: little
// around Tết, a push before the deadline of the end of Q3.
var monthWeight = [13]float64{0, 0.8, 0.5, 1.2, 1.0, 1.0, 1.1, 1.0, 1.3, 1.5, 1.0, 1.0, 1.1}

// plan lays out the whole continuation.
func (l *sequel) plan() error {
	l.targets = l.planTargets()
	l.planClasses()
	if err := l.loadCertified(); err != nil {
		return err
	}
	l.buildPool()
	stories := l.seedAdmitted()
	stories = append(stories, l.seedCandidates()...)
	stories = append(stories, l.withdrawals()...)
	for _, per := range []period{period2024, period2025H1, period2025H2, period2026, periodAfter} {
		stories = append(stories, l.admissions(per)...)
	}
	stories = append(stories, l.stalled()...)
	l.fillPool(stories)
	l.fillClasses()
	ceremonies := map[int]time.Time{}
	for _, st := range stories {
		if !st.ceremony.IsZero() && !st.ceremony.After(Latest) && l.ownCeremony(st) {
			ceremonies[st.xi] = st.ceremony
		}
	}
	l.planNewMemberClasses(ceremonies)
	l.number()
	for _, st := range stories {
		switch st.kind {
		case kindSeedAdmitted:
			l.scripts = append(l.scripts, l.seedAdmittedScript(st))
		case kindSeedCandidate:
			l.scripts = append(l.scripts, l.seedCandidateScript(st))
		default:
			l.scripts = append(l.scripts, l.storyScript(st))
		}
	}
	return nil
}

// ownCeremony reports whether the story's ceremony is held by the
// continuation (not by the seed).
func (l *sequel) ownCeremony(st *story) bool {
	x := &l.p.people[st.xi]
	return x.m == nil || x.m.ceremony == nil
}

// loadCertified reads the awareness certificates the seed's classes issued
// to its sources and candidates.
func (l *sequel) loadCertified() error {
	for i := range l.p.people {
		x := &l.p.people[i]
		if x.stage != domain.StageSource && x.stage != domain.StageCandidate {
			continue
		}
		k, err := l.tx.ValidCertificateOn(l.ctx, x.id, domain.ProgAwareness, AsOf)
		if err != nil {
			return err
		}
		if k != nil && (k.ValidUntil == nil || k.ValidUntil.After(domain.Day(2026, 12, 31))) {
			l.certified[i] = k.Issued
		}
	}
	return nil
}

// buildPool lists the seed's sources by chapter, those longest in the pool
// first, leaving out the chapters that never send theirs to a class.
func (l *sequel) buildPool() {
	for i := range l.p.people {
		x := &l.p.people[i]
		if x.stage == domain.StageSource && !l.p.lazy[x.org] {
			l.pool[x.org] = append(l.pool[x.org], i)
		}
	}
	for ch := range l.pool {
		slices.SortStableFunc(l.pool[ch], func(a, b int) int { return l.p.poolSince[a].Compare(l.p.poolSince[b]) })
	}
}

// register records a decision to number.
func (l *sequel) register(decider int, on time.Time, no *string) {
	l.decisions = append(l.decisions, &decisionRef{decider: decider, on: on, no: no})
}

// planRecognition plans the recognition after the probation that started
// with the ceremony (the chapter's vote within 30 working days of its end,
// late with the reason recorded when the seed's date had already passed
// it), the committee's vote where one sits in between on the day, the
// decision 5 to 10 working days later.
func (l *sequel) planRecognition(st *story, org int) {
	st.end = addYear(st.ceremony)
	lo := st.end.AddDate(0, 0, 1)
	if !lo.After(AsOf) {
		lo = AsOf.AddDate(0, 0, 3)
	}
	st.rv = l.within(lo, lo.AddDate(0, 0, 6))
	if st.rv.After(l.addWorkdays(st.end, 30)) {
		st.lateRecog = "Chi bộ họp xét chậm so với thời hạn 30 ngày làm việc sau khi hết 12 tháng dự bị; đảng viên đủ tư cách, được công nhận chính thức từ ngày hết thời hạn dự bị (QĐ24 §4.2.2)"
	}
	last := st.rv
	if (st.rv.Before(ReorgDay) && l.committeeBefore(org)) || (!st.rv.Before(ReorgDay) && l.committeeAfter(org)) {
		rc := l.within(st.rv.AddDate(0, 0, 2), st.rv.AddDate(0, 0, 5))
		if rc.Before(ReorgDay) || l.committeeAfter(org) {
			st.rc, last = rc, rc
		}
	}
	st.rd = l.addWorkdays(last, 5+l.r.IntN(6))
	st.recBy = l.deciderOn(org, st.rd)
	l.register(st.recBy, st.rd, &st.recNo)
}

// seedAdmitted plans the ceremonies still due and the recognitions of the
// seed's admitted members (fresh marks a ceremony the continuation holds).
func (l *sequel) seedAdmitted() []*story {
	var out []*story
	for i := range l.p.people {
		x := &l.p.people[i]
		if !driven(x) || x.m.recognition != nil {
			continue
		}
		st := &story{xi: i, org: x.org, kind: kindSeedAdmitted}
		if x.m.ceremony == nil {
			st.ceremony = l.within(later(x.m.date.AddDate(0, 0, 8), AsOf.AddDate(0, 0, 2)), l.addWorkdays(x.m.date, 26))
		} else {
			st.ceremony = *x.m.ceremony
		}
		l.planRecognition(st, x.org)
		out = append(out, st)
	}
	return out
}

// seedCandidates plans what becomes of the seed's 60 candidates (their
// groups are the seed's, candidate in cases.go): the dossiers stalled
// since 2023 and those never voted on within 12 months are withdrawn;
// the overdue decisions are signed in May with the reason recorded; the
// others go to the chapter's and the committee's votes and the decision.
func (l *sequel) seedCandidates() []*story {
	var out []*story
	k := 0
	for i := range l.p.people {
		x := &l.p.people[i]
		if x.stage != domain.StageCandidate {
			continue
		}
		l.used[i] = true
		st := &story{xi: i, org: x.org, since: l.p.poolSince[i], kind: kindSeedCandidate}
		switch {
		case k < 6:
			st.withdrawn = l.within(domain.Day(2024, 6, 3), domain.Day(2024, 6, 28))
			st.reason = "Lý lịch không được thẩm tra trả lời sau nhiều lần đề nghị; giấy chứng nhận bồi dưỡng nhận thức về Đảng đã hết hạn; chi bộ đưa ra khỏi danh sách, sẽ xem xét lại khi đủ điều kiện"
		case k == 20 || k == 21:
			st.withdrawn = l.within(domain.Day(2024, 5, 13), domain.Day(2024, 6, 14))
			st.reason = "Hồ sơ quá 12 tháng chưa được chi bộ xét (HD06 §5.4a); quần chúng chuyển công tác ra ngoài tỉnh, chi bộ đưa ra khỏi danh sách"
		case k < 14: // the decisions overdue on the day of the conference
			st.t = l.within(domain.Day(2024, 5, 7), domain.Day(2024, 5, 21))
			st.late = "Quyết định chậm so với thời hạn (QĐ24 §4.3.1) do hồ sơ phải bổ sung, thẩm định lại; Ban Thường vụ Huyện ủy đã kiểm điểm, chỉ đạo giải quyết dứt điểm tại hội nghị chuyên đề ngày 04/05/2024"
		case k < 20: // voted on this spring; the committee's vote where it is missing
			st.w, st.wIfMissing = l.within(AsOf.AddDate(0, 0, 3), AsOf.AddDate(0, 0, 12)), true
			st.t = l.within(st.w.AddDate(0, 0, 5), domain.Day(2024, 6, 4))
		default:
			var ready time.Time
			switch {
			case k < 35:
				ready = AsOf.AddDate(0, 0, 5)
			case k < 45:
				ready = l.within(AsOf.AddDate(0, 0, 5), AsOf.AddDate(0, 0, 25)) // the reply comes
			default:
				ready = l.within(AsOf.AddDate(0, 0, 3), AsOf.AddDate(0, 0, 30)) // the opinions are gathered
			}
			st.ready = ready
			st.v = l.within(ready.AddDate(0, 0, 7), ready.AddDate(0, 0, 35))
			if l.committeeBefore(x.org) {
				st.w = l.within(st.v.AddDate(0, 0, 2), st.v.AddDate(0, 0, 8))
			}
			st.t = l.within(later(st.v, st.w).AddDate(0, 0, 7), later(st.v, st.w).AddDate(0, 0, 35))
		}
		if !st.t.IsZero() {
			l.decided(st, period2024)
		}
		st.pending, st.missing = k >= 35 && k < 45, k >= 45
		out = append(out, st)
		k++
	}
	return out
}

// decided plans what follows a decision: its number, the chapter's
// receipt, the ceremony and the recognition.
func (l *sequel) decided(st *story, per period) {
	st.decider = l.deciderOn(st.org, st.t)
	l.register(st.decider, st.t, &st.decNo)
	st.received = l.addWorkdays(st.t, 1+l.r.IntN(2))
	st.ceremony = l.within(st.received.AddDate(0, 0, 5), st.received.AddDate(0, 0, 20))
	if st.ceremony.After(Latest) {
		st.ceremony = time.Time{}
	} else {
		l.planRecognition(st, st.org)
	}
	h := l.holderBefore(st.org)
	if !st.t.Before(ReorgDay) {
		h = l.holderAfter(st.org)
	}
	if l.area[per.n] == nil {
		l.area[per.n] = map[int]int{}
	}
	l.area[per.n][h]++
}

// batches are the decision days of the decider in [lo, hi]: the district's
// standing committee meets on Tuesdays, each new commune's every other
// week (from mid-July 2025), the province's on the second Thursday.
func (l *sequel) batches(decider int, lo, hi time.Time) []time.Time {
	var out []time.Time
	switch {
	case decider == districtOrg:
		for d := lo; !d.After(hi); d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Tuesday {
				out = append(out, d)
			}
		}
	case decider == provinceDecider:
		for m := domain.Day(lo.Year(), lo.Month(), 1); !m.After(hi); m = m.AddDate(0, 1, 0) {
			d := m
			for n := 0; n < 2; d = d.AddDate(0, 0, 1) {
				if d.Weekday() == time.Thursday {
					if n++; n == 2 {
						break
					}
				}
			}
			if !d.Before(lo) && !d.After(hi) {
				out = append(out, d)
			}
		}
	default:
		k := slices.Index(l.m.newIndex, decider)
		for d := domain.Day(2025, 7, 15).AddDate(0, 0, k%5); !d.After(hi); d = d.AddDate(0, 0, 14) {
			if !d.Before(lo) {
				out = append(out, d)
			}
		}
	}
	for i, d := range out {
		out[i] = l.workday(d)
	}
	return slices.Compact(out)
}

// holders are the units whose quotas the period's admissions count
// towards, with how many each admits in the period.
func (l *sequel) holders(per period) (units []int, n map[int]int) {
	n = map[int]int{}
	ratio := func(lo, hi float64) float64 { return lo + (hi-lo)*l.r.Float64() }
	switch per.n {
	case 1:
		total := 0
		units = l.p.children(districtOrg)
		for _, h := range units {
			o := l.p.own[h]
			final := o.admitted
			switch {
			case o.quota == 0:
			case o.admitted >= o.quota: // the article's units above their quota admit one more at most
				final += l.r.IntN(2)
			default:
				final = max(o.admitted, int(math.Round(float64(o.quota)*ratio(0.86, 1.22))))
			}
			n[h] = final - o.admitted - l.area[1][h]
			total += final
		}
		l.nudge(units, n, districtQuota+6-total)
	case 2:
		units = l.p.children(districtOrg)
		for _, h := range units {
			q := l.targets.own(h, 2025)
			n[h] = int(math.Round(float64(q)*ratio(0.78, 1.1))) - l.area[2][h]
		}
	case 3, 4, 5:
		units = slices.Clone(l.m.newIndex)
		for c, parent := range l.m.moved {
			if parent < 0 {
				units = append(units, c)
			}
		}
		slices.Sort(units)
		for _, h := range units {
			armed := l.p.orgs[h].kind != domain.KindCommune
			switch {
			case per.n == 3 && armed:
				n[h] = 1 + l.r.IntN(2)
			case per.n == 3:
				// the year's quota of the area, less what its units admitted
				// under the district in the first half
				done := l.area[3][h]
				for old, k := range l.area[2] {
					if l.holderAfter(old) == h {
						done += k
					}
				}
				q := l.targets.own(h, 2025)
				n[h] = int(math.Round(float64(q)*ratio(0.9, 1.12))) - done
			case per.n == 4:
				r := ratio(0.82, 1.12)
				if l.p.orgs[h].code == "daklak-eauy" {
					r = 0.62 // the commune that lags behind
				}
				q := l.targets.own(h, 2026)
				n[h] = int(math.Round(float64(q) * r))
			default:
				n[h] = int(math.Round(float64(l.targets.own(h, 2026)) * 0.3))
			}
		}
	}
	return units, n
}

// nudge adds (or removes) admissions one by one over the units with a
// quota until they make up diff.
func (l *sequel) nudge(units []int, n map[int]int, diff int) {
	var withQuota []int
	for _, h := range units {
		if l.p.own[h].quota > 2 {
			withQuota = append(withQuota, h)
		}
	}
	for guard := 0; diff != 0 && guard < 1000; guard++ {
		h := withQuota[l.r.IntN(len(withQuota))]
		switch {
		case diff > 0:
			n[h]++
			diff--
		case n[h] > 0:
			n[h]--
			diff++
		}
	}
}
