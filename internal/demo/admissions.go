package demo

import (
	"fmt"
	"slices"
	"time"

	"ketnap/internal/domain"
)

// Members and admissions: the members admitted before 2023 who make up
// each chapter, the 2023 and 2024 admission decisions, the pool of sources
// and candidates, and the citizen IDs and decision numbers of all.

// oldAge draws the age on AsOf of a member admitted before 2023.
func (p *plan) oldAge(r role) (lo, hi int) {
	switch r {
	case roleThon, roleBuon, roleTDP:
		return 24, 74
	case roleArmed:
		return 23, 52
	case roleSchool:
		return 25, 58
	}
	return 25, 59
}

// buildMembers creates the members admitted before 2023.
func (p *plan) buildMembers() {
	for i := range p.orgs {
		o := &p.orgs[i]
		for range o.size {
			p.oldMember(i, i)
		}
	}
	if p.merged >= 0 {
		for range merged.size {
			p.oldMember(p.orgs[p.merged].successor, p.merged)
		}
	}
}

// oldMember adds an official member of org admitted at chapter admitted.
func (p *plan) oldMember(org, admittedAt int) {
	lo, hi := p.oldAge(p.orgs[org].role)
	age := lo + p.rng.IntN(hi-lo+1)
	if r := p.orgs[org].role; r == roleThon || r == roleBuon || r == roleTDP {
		age = lo + (p.rng.IntN(hi-lo+1)+max(p.rng.IntN(hi-lo+1), p.rng.IntN(hi-lo+1)))/2
	}
	birth := p.bornAged(AsOf, age, age)
	x := p.newPerson(org, birth, domain.StageOfficial)
	// Admitted between 20 and 40, not before the district's committees
	// existed in their present form (1990) nor after 2022.
	first, last := later(birth.AddDate(20, 0, 0), domain.Day(1990, 2, 1)), birth.AddDate(40, 0, 0)
	if p.merged >= 0 && admittedAt == p.merged {
		last = earlier(last, domain.Day(2021, 12, 31))
	}
	last = earlier(last, domain.Day(2022, 12, 20))
	if last.Before(first) {
		last = first.AddDate(3, 0, 0)
	}
	date := weekday(p.dayIn(first, last))
	if date.Before(p.orgs[admittedAt].from) {
		// Admitted before their unit existed: at the tổ dân phố where
		// they lived then, in the district town.
		admittedAt = p.units[p.residenceIn(p.communeOf["Phước An"])].chapter
	}
	ceremony := date.AddDate(0, 0, 7+p.rng.IntN(19))
	recognition := addYear(ceremony)
	x.m = &membershipPlan{date: date, admitted: admittedAt, ceremony: &ceremony, recognition: &recognition,
		status: domain.StageOfficial}
	x.youthUnion = x.youthUnion && p.rng.Float64() < 0.7
	p.people = append(p.people, *x)
}

// chapters returns the chapters open on AsOf that hold members, and their sizes.
func (p *plan) chapters() (idx []int, weight []int) {
	for i := range p.orgs {
		o := &p.orgs[i]
		if o.kind.IsChapter() && o.size > 0 && o.to == nil {
			idx, weight = append(idx, i), append(weight, o.size)
		}
	}
	return idx, weight
}

// pickWeighted draws an index of weights.
func (p *plan) pickWeighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := p.rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// newMember adds a person admitted on date at chapter admittedAt, who now
// belongs to org, aged lo..hi on the decision date.
func (p *plan) newMember(org, admittedAt int, date time.Time, lo, hi int, ceremonyBy time.Time) *personPlan {
	x := p.newPerson(org, p.bornAged(date, lo, hi), domain.StageProbationary)
	if x.education == "none" || x.education == "literate" || x.education == "primary" {
		x.education = "lower_secondary"
	}
	if x.occupation == "other" {
		x.occupation = "farmer"
	}
	m := &membershipPlan{date: date, admitted: admittedAt, status: domain.StageProbationary}
	if !date.After(ceremonyBy) {
		c := afterTet(date.AddDate(0, 0, 6+p.rng.IntN(13)))
		m.ceremony = &c
		if !addYear(c).AddDate(0, 0, 25).After(AsOf) {
			r := addYear(c)
			m.recognition, m.status, x.stage = &r, domain.StageOfficial, domain.StageOfficial
		}
	}
	x.m = m
	p.people = append(p.people, *x)
	return &p.people[len(p.people)-1]
}

// buildAdmissions2023 adds about 180 admissions dated in 2023, the
// standing committee's Tuesday batches, one of them at the unit that
// merged in July.
func (p *plan) buildAdmissions2023() {
	var batches []time.Time
	for d := domain.Day(2023, 1, 3); d.Year() == 2023; d = d.AddDate(0, 0, 7) {
		if d.Equal(domain.Day(2023, 1, 17)) || d.Equal(domain.Day(2023, 1, 24)) || d.Equal(domain.Day(2023, 5, 2)) {
			continue // Tết and 30/4–1/5
		}
		batches = append(batches, d)
	}
	idx, weight := p.chapters()
	for range 178 {
		c := idx[p.pickWeighted(weight)]
		p.newMember(c, c, batches[p.rng.IntN(len(batches))], 19, 40, AsOf)
	}
	if p.merged >= 0 {
		succ := p.orgs[p.merged].successor
		p.newMember(succ, p.merged, domain.Day(2023, 3, 14), 24, 32, AsOf)
		p.newMember(succ, succ, domain.Day(2023, 10, 10), 24, 32, AsOf)
	}
}

// slots2024 are the standing committee's decision dates of 2024 up to
// AsOf and how many admissions each carried: 57 in all, the last batch
// signed on the morning of the conference.
var slots2024 = []struct {
	m, d, n int
}{
	{1, 2, 2}, {1, 9, 3}, {1, 16, 4}, {1, 23, 3}, {1, 30, 5}, {2, 2, 4}, {2, 20, 2}, {2, 27, 4},
	{3, 5, 3}, {3, 12, 5}, {3, 19, 3}, {3, 26, 4}, {4, 2, 3}, {4, 9, 2}, {4, 16, 3}, {4, 23, 4}, {5, 4, 3},
}

// studentDay is when Lê Hồng Phong's students were admitted: 26 March,
// the Youth Union's day.
var studentDay = domain.Day(2024, 3, 26)

// buildAdmissions2024 places the 57 admissions of 2024 on the decision
// dates: Lê Hồng Phong's four students on 26 March, the rest shuffled.
// Ceremonies are held for decisions older than three weeks.
func (p *plan) buildAdmissions2024() error {
	var dates []time.Time
	for _, s := range slots2024 {
		for range s.n {
			dates = append(dates, domain.Day(2024, time.Month(s.m), s.d))
		}
	}
	if len(dates) != admitted2024 {
		return fmt.Errorf("demo: %d decision slots for %d admissions", len(dates), admitted2024)
	}
	lhp := -1
	var rest []int
	orgs := make([]int, 0, len(p.admit2024))
	for o := range p.admit2024 {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	for _, o := range orgs {
		n := p.admit2024[o]
		if p.orgs[o].code == "krongpac-thpt-lehongphong" {
			lhp, n = o, n-4
		}
		for range n {
			rest = append(rest, o)
		}
	}
	if lhp < 0 {
		return fmt.Errorf("demo: Lê Hồng Phong has no admissions")
	}
	p.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	ceremonyBy := AsOf.AddDate(0, 0, -21)
	used := make([]bool, len(dates))
	students := 0
	for i, d := range dates {
		if d.Equal(studentDay) && students < 4 {
			used[i] = true
			students++
			x := p.newMember(lhp, lhp, d, 18, 18, ceremonyBy)
			x.occupation, x.education, x.youthUnion, x.tradeUnion = "student_high", "lower_secondary", true, false
			x.workplace = "Học sinh lớp 12, " + p.orgs[lhp].workplace
			x.residence = p.residenceIn(p.orgs[lhp].commune)
		}
	}
	k := 0
	for i, d := range dates {
		if used[i] {
			continue
		}
		o := rest[k]
		k++
		p.newMember(o, o, d, 19, 38, ceremonyBy)
	}
	return nil
}

// residenceIn draws a village of the commune that has a chapter.
func (p *plan) residenceIn(commune int) int {
	var cand []int
	for i := range p.units {
		if p.units[i].commune == commune && p.units[i].chapter >= 0 {
			cand = append(cand, i)
		}
	}
	return cand[p.rng.IntN(len(cand))]
}

// buildPool adds the sources (quần chúng ưu tú) and candidates whose
// dossiers are under way, spread over the chapters, aged 18 to 45.
func (p *plan) buildPool() {
	var idx, weight []int
	for i := range p.orgs {
		o := &p.orgs[i]
		if !o.kind.IsChapter() || o.to != nil || o.size == 0 {
			continue
		}
		w := 4
		switch o.role {
		case roleSchool:
			w = 30
		case roleThon, roleBuon, roleTDP:
			w = 5
		case roleAgency:
			w = 2
		}
		idx, weight = append(idx, i), append(weight, w)
	}
	for _, stage := range []struct {
		stage string
		n     int
	}{{domain.StageSource, 400}, {domain.StageCandidate, 60}} {
		for range stage.n {
			o := idx[p.pickWeighted(weight)]
			student := p.orgs[o].role == roleSchool && p.rng.IntN(3) > 0
			var x *personPlan
			if student {
				x = p.newPerson(o, p.bornAged(AsOf, 18, 18), stage.stage)
				x.occupation, x.education, x.tradeUnion = "student_high", "lower_secondary", false
				x.workplace = "Học sinh lớp 12, " + p.orgs[o].workplace
				x.residence = p.residenceIn(p.orgs[o].commune)
			} else {
				age := 18 + min(p.rng.IntN(28), p.rng.IntN(28))
				x = p.newPerson(o, p.bornAged(AsOf, age, age), stage.stage)
				if x.education == "none" || x.education == "literate" {
					x.education = "primary"
				}
			}
			x.youthUnion = ageOf(x.birth, AsOf) <= 30 && p.rng.Float64() < 0.9
			p.people = append(p.people, *x)
		}
	}
}

// finishPeople gives most people a citizen ID and numbers the decisions.
func (p *plan) finishPeople() {
	serial := 0
	for i := range p.people {
		x := &p.people[i]
		if p.rng.Float64() < 0.06 {
			continue // not yet recorded
		}
		// 066 Đắk Lắk, century and sex, two digits of the birth year, then
		// six digits that never repeat (7919 is prime to 10⁶).
		digit := (x.birth.Year()/100 - 19) * 2
		if x.female {
			digit++
		}
		x.cccd = fmt.Sprintf("066%d%02d%06d", digit, x.birth.Year()%100, (serial*7919+104729)%1_000_000)
		serial++
	}
	p.cccdSerial = serial
	var ms []int
	for i := range p.people {
		if p.people[i].m != nil {
			ms = append(ms, i)
		}
	}
	slices.SortStableFunc(ms, func(a, b int) int { return p.people[a].m.date.Compare(p.people[b].m.date) })
	year, no := 0, 0
	var last time.Time
	for _, i := range ms {
		m := p.people[i].m
		switch {
		case m.date.Year() != year:
			year, no = m.date.Year(), 2+p.rng.IntN(8)
		case !m.date.Equal(last):
			no += 2 + p.rng.IntN(11) // the committee's other decisions in between
		default:
			no++
		}
		last = m.date
		m.no = fmt.Sprintf("%d-QĐ/HU", no)
	}
}
