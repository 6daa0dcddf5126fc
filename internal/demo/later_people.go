package demo

import (
	"fmt"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The people of the continuation: sources who enter the pool after the
// seed's date, invented like the seed's (names, birth dates, citizen IDs
// continuing the seed's numbering).

// newSource adds a source of the chapter who entered the pool on since and
// returns their index in p.people. Its case is opened by the caller's
// script.
func (l *sequel) newSource(ch int, since time.Time) int {
	p := l.p
	o := &p.orgs[ch]
	var x *personPlan
	if o.role == roleSchool && l.r.IntN(3) > 0 {
		x = p.newPerson(ch, p.bornAged(since, 18, 18), domain.StageSource)
		x.occupation, x.education, x.tradeUnion = "student_high", "lower_secondary", false
		x.workplace = "Học sinh lớp 12, " + o.workplace
		x.residence = p.residenceIn(o.commune)
	} else {
		age := 19 + min(l.r.IntN(27), l.r.IntN(27))
		x = p.newPerson(ch, p.bornAged(since, age, age), domain.StageSource)
		if x.education == "none" || x.education == "literate" {
			x.education = "primary"
		}
	}
	x.youthUnion = ageOf(x.birth, since) <= 30 && l.r.Float64() < 0.9
	if l.r.Float64() >= 0.06 {
		digit := (x.birth.Year()/100 - 19) * 2
		if x.female {
			digit++
		}
		x.cccd = fmt.Sprintf("066%d%02d%06d", digit, x.birth.Year()%100, (p.cccdSerial*7919+104729)%1_000_000)
		p.cccdSerial++
	}
	p.people = append(p.people, *x)
	xi := len(p.people) - 1
	p.poolSince[xi] = since
	l.newPeople = append(l.newPeople, xi)
	return xi
}

// poolOnly adds a source who stays in the pool (their chapter lists them
// on since; their case opens that day), and returns their index.
func (l *sequel) poolOnly(ch int, since time.Time) int {
	xi := l.newSource(ch, since)
	l.used[xi] = true
	s := &script{who: l.p.people[xi].name}
	l.openAct(s, xi, ch, since, false)
	l.scripts = append(l.scripts, s)
	return xi
}

// openAct opens the case of a new source on since, with a helper for most
// (assigned later, before the dossier, for the others).
func (l *sequel) openAct(s *script, xi, ch int, since time.Time, youth bool) {
	withHelper := l.r.IntN(8) > 0
	s.add(since, func() error {
		d := l.d
		x := &l.p.people[xi]
		org := l.orgAt(ch, since)
		in := service.OpenCaseInput{PersonID: x.id, OpenedOn: since, HardshipArea: x.education == "primary", YouthUnionExists: &youth}
		var helper []int64
		if withHelper {
			if list := d.sponsors(org, since, since); len(list) > 0 {
				in.HelperID, helper = list[0], list[:1]
			}
		}
		d.at(since)
		c, err := d.open(in, org, helper)
		s.c = c
		return err
	})
}

// writePeople creates the continuation's people, each on the day they
// entered the pool.
func (l *sequel) writePeople() error {
	p := l.p
	for _, xi := range l.newPeople {
		x := &p.people[xi]
		since := p.poolSince[xi]
		d := &domain.Person{FullName: x.name, BirthDate: x.birth, Sex: domain.Male, Ethnicity: x.eth, Religion: x.religion,
			CCCD: x.cccd, Education: x.education, Occupation: x.occupation, Workplace: x.workplace,
			YouthUnion: x.youthUnion, TradeUnion: x.tradeUnion, OrgID: p.orgs[x.org].id, Stage: domain.StageSource}
		if x.female {
			d.Sex = domain.Female
		}
		if x.residence >= 0 {
			d.ResidenceID = p.units[x.residence].id
		}
		at := time.Date(since.Year(), since.Month(), since.Day(), 8, 0, 0, 0, domain.Vietnam)
		if err := l.tx.CreatePerson(l.ctx, d, at); err != nil {
			return err
		}
		x.id = d.ID
		if err := l.tx.SetSourceSince(l.ctx, d.ID, since); err != nil {
			return err
		}
	}
	return nil
}
