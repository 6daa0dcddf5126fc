package demo

import (
	"context"
	"fmt"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// People: who each invented person is (name, ethnicity, religion,
// schooling, occupation, residence) given the unit they belong to.

// personPlan is one invented person.
type personPlan struct {
	name                   string
	birth                  time.Time
	female                 bool
	eth, religion, cccd    string
	education, occupation  string
	workplace              string
	residence              int // index in plan.units, -1 when none
	youthUnion, tradeUnion bool
	org                    int
	stage                  string
	m                      *membershipPlan
	id                     int64
}

// membershipPlan is a person's admission decision and what followed.
type membershipPlan struct {
	no          string
	date        time.Time
	admitted    int // org index where the person was admitted
	ceremony    *time.Time
	recognition *time.Time
	status      string
}

// femaleShare is the share of women among a unit's people.
func femaleShare(r role) float64 {
	switch r {
	case roleSchool:
		return 0.62
	case roleAgency:
		return 0.45
	case roleArmed:
		return 0.12
	case roleEnterprise:
		return 0.35
	case roleCommuneAgency:
		return 0.34
	}
	return 0.43
}

// ageOf is the age in whole years on d.
func ageOf(birth, d time.Time) int {
	a := d.Year() - birth.Year()
	if d.Month() < birth.Month() || (d.Month() == birth.Month() && d.Day() < birth.Day()) {
		a--
	}
	return a
}

// newPerson draws a person of org born on birth; the caller sets the stage
// and adjusts what differs (students, the pool).
func (p *plan) newPerson(org int, birth time.Time, stage string) *personPlan {
	o := &p.orgs[org]
	r := p.rng
	x := &personPlan{birth: birth, org: org, stage: stage, residence: -1}
	x.female = r.Float64() < femaleShare(o.role)
	if o.sector == "armed_forces" && o.role == roleCommuneAgency {
		x.female = r.Float64() < 0.12
	}
	switch u := r.Float64(); {
	case u < o.minority.ede:
		x.eth = ethEde
	case u < o.minority.ede+o.minority.jrai:
		x.eth = ethJrai
	case u < o.minority.ede+o.minority.jrai+o.minority.north:
		x.eth = northGroups.pick(r)
	default:
		x.eth = ethKinh
	}
	x.name = personName(r, x.eth, x.female)
	x.religion = p.religion(x.eth)
	age := ageOf(birth, AsOf)
	x.education, x.occupation = p.schooling(o, x.eth, age)
	x.workplace = o.workplace
	x.youthUnion = age <= 30 && r.Float64() < 0.8
	switch o.role {
	case roleAgency, roleSchool, roleEnterprise:
		x.tradeUnion = true
	case roleCommuneAgency:
		x.tradeUnion = o.sector != "armed_forces"
	}
	x.residence = p.residenceFor(org)
	return x
}

// religion draws a religion plausible for the ethnic group in Đắk Lắk.
func (p *plan) religion(eth string) string {
	u := p.rng.Float64()
	switch eth {
	case ethEde, ethJrai:
		switch {
		case u < 0.32:
			return "protestantism"
		case u < 0.42:
			return "catholicism"
		}
	case ethHmong:
		if u < 0.30 {
			return "protestantism"
		}
	case ethKinh:
		switch {
		case u < 0.11:
			return "buddhism"
		case u < 0.18:
			return "catholicism"
		}
	default:
		if u < 0.05 {
			return "buddhism"
		}
	}
	return vn.ReligionNone
}

// schooling draws the education level and occupation group.
func (p *plan) schooling(o *orgPlan, eth string, age int) (education, occupation string) {
	defer func() {
		if age < 22 && education == "higher" {
			education = "upper_secondary" // too young for a degree
		}
	}()
	u := p.rng.Float64()
	switch o.role {
	case roleAgency, roleSchool:
		occupation = "civil_servant"
		if o.role == roleSchool && u < 0.85 {
			occupation = "teacher"
		}
		if u < 0.93 {
			return "higher", occupation
		}
		return "upper_secondary", occupation
	case roleArmed:
		if u < 0.8 {
			return "higher", "armed_forces"
		}
		return "upper_secondary", "armed_forces"
	case roleEnterprise:
		occupation = "private_enterprise"
		if o.code == "krongpac-agribank" {
			occupation = "civil_servant"
		}
		if u < 0.6 {
			return "higher", occupation
		}
		return "upper_secondary", occupation
	case roleCommuneAgency:
		switch {
		case o.sector == "armed_forces":
			occupation = "armed_forces"
		case o.sector == "school":
			occupation = "teacher"
		default:
			occupation = "civil_servant"
		}
		if u < 0.75 {
			return "higher", occupation
		}
		return "upper_secondary", occupation
	}
	// Residents of thôn, buôn and tổ dân phố.
	v := p.rng.Float64()
	switch {
	case age >= 60 && v < 0.55:
		occupation = "other" // retired
	case v < 0.62:
		occupation = "farmer"
	case v < 0.76:
		occupation = "business"
	case v < 0.84:
		occupation = "worker"
	case v < 0.90:
		occupation = "private_enterprise"
	default:
		occupation = "other"
	}
	if o.role == roleTDP && occupation == "farmer" && v < 0.3 {
		occupation = "business"
	}
	minority := eth != ethKinh
	switch {
	case minority && age >= 55 && u < 0.06:
		education = "literate"
	case u < 0.14 && (age >= 55 || minority):
		education = "primary"
	case u < 0.50:
		education = "lower_secondary"
	case u < 0.86:
		education = "upper_secondary"
	default:
		education = "higher"
	}
	return education, occupation
}

// residenceFor draws where a person of org lives: the chapter's own
// village, a village of the same commune, a tổ dân phố of the town for the
// district's officials, or none recorded (they live outside the district).
func (p *plan) residenceFor(org int) int {
	o := &p.orgs[org]
	if o.unit >= 0 {
		return o.unit
	}
	commune := o.commune
	if commune < 0 {
		if p.rng.Float64() > 0.6 {
			return -1
		}
		commune = p.communeOf["Phước An"]
	} else if o.role == roleSchool && p.rng.Float64() < 0.4 {
		commune = p.communeOf["Phước An"]
	}
	var cand []int
	for i := range p.units {
		if p.units[i].commune == commune && p.units[i].chapter >= 0 {
			cand = append(cand, i)
		}
	}
	return cand[p.rng.IntN(len(cand))]
}

// writePeople writes the people and their memberships.
func (p *plan) writePeople(ctx context.Context, tx *store.Store) error {
	root := p.orgs[0].id
	for i := range p.people {
		x := &p.people[i]
		d := &domain.Person{FullName: x.name, BirthDate: x.birth, Sex: domain.Male, Ethnicity: x.eth, Religion: x.religion,
			CCCD: x.cccd, Education: x.education, Occupation: x.occupation, Workplace: x.workplace,
			YouthUnion: x.youthUnion, TradeUnion: x.tradeUnion, OrgID: p.orgs[x.org].id, Stage: x.stage}
		if driven(x) {
			// A source of the chapter that admits them: the case drives
			// the rest (cases.go).
			d.OrgID, d.Stage = p.orgs[x.m.admitted].id, domain.StageSource
		}
		if x.female {
			d.Sex = domain.Female
		}
		if x.residence >= 0 {
			d.ResidenceID = p.units[x.residence].id
		}
		if err := tx.CreatePerson(ctx, d, createdAt); err != nil {
			return err
		}
		x.id = d.ID
		if x.m == nil || driven(x) {
			continue
		}
		// admitted before 2023, before the district used ketnap: recorded from paper
		m := &domain.Membership{PersonID: d.ID, DecisionNo: x.m.no, DecisionDate: x.m.date, DecidedByID: root,
			AdmittedOrgID: p.orgs[x.m.admitted].id, CeremonyDate: x.m.ceremony, RecognitionDate: x.m.recognition,
			Status: x.m.status, Origin: domain.OriginPaper}
		if err := m.Validate(); err != nil {
			return fmt.Errorf("demo: membership of %s: %w", x.name, err)
		}
		if err := tx.CreateMembership(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
