package country

import (
	"fmt"
	"math/rand/v2"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// Members per chapter by kind of unit (uniform in [lo, hi]); the means,
// weighted by how many chapters of each kind there are, come to about
// 5.6 million members over 270,000 chapters.
var memberRange = map[string][2]int{
	"village": {10, 36}, "agency": {8, 26}, "school": {6, 22}, "enterprise": {4, 14}, "highschool": {6, 16},
	"department": {12, 40}, "firm": {10, 34},
}

// Eras of the admission decisions (DOMAIN §4): since caseEra through ketnap
// cases, before it recorded from paper; recentEra starts the years of
// about 200,000 admissions (at scale 1) written as such.
var (
	caseEra   = domain.Day(2025, 10, 1)
	recentEra = domain.Day(2016, 1, 1)
	oldEra    = domain.Day(1965, 1, 1)
)

// admissionRate is the admissions per member and year: 200,000 a year over
// 5.6 million members.
const admissionRate = float64(admissionsAtOne) / 5_600_000

// buildPeople generates the members of every chapter of the province with
// their admission decisions, and the people in the pipeline with their
// cases.
func (g *gen) buildPeople(pi int, rng *rand.Rand) {
	pCase := admissionRate * float64(days(caseEra, AsOf)) / 365
	pRecent := admissionRate * float64(days(recentEra, caseEra)) / 365 / (1 - pCase)
	for ui := range g.units {
		u := &g.units[ui]
		r := memberRange[u.kind]
		u.members = r[0] + rng.IntN(r[1]-r[0]+1)
		var old []int64 // official members admitted before the case era: helpers and introducers
		type viaCase struct {
			person int
			dec    time.Time
		}
		var admittedByCase []viaCase
		for range u.members {
			x := rng.Float64()
			var dec time.Time
			switch {
			case x < pCase:
				dec = weekday(caseEra.AddDate(0, 0, rng.IntN(days(caseEra, AsOf)+1)))
			case rng.Float64() < pRecent:
				dec = recentEra.AddDate(0, 0, rng.IntN(days(recentEra, caseEra)))
			default:
				dec = oldEra.AddDate(0, 0, rng.IntN(days(oldEra, recentEra)))
			}
			p := g.newPerson(pi, rng, u, dec.AddDate(-(19+rng.IntN(22)), 0, -rng.IntN(365)))
			if dec.Before(caseEra) {
				p.Stage = domain.StageOfficial
				rec := dec.AddDate(1, 0, 0)
				g.members = append(g.members, domain.Membership{ID: g.nextID("memberships"), PersonID: p.ID,
					DecisionNo: fmt.Sprintf("%d-QĐ/ĐU", 1+rng.IntN(400)), DecisionDate: dec, AdmittedOrgID: g.orgs[u.org].ID,
					RecognitionDate: &rec, Status: domain.StageOfficial, Origin: domain.OriginPaper})
				old = append(old, p.ID)
				g.sum.Members++
				continue
			}
			admittedByCase = append(admittedByCase, viaCase{len(g.people) - 1, dec})
			g.admitted(u, dec)
		}
		for _, x := range admittedByCase {
			g.caseOfMember(rng, u, &g.people[x.person], x.dec, old)
		}
		pipeline := int(float64(u.members)*admissionRate*0.9*(0.5+rng.Float64()) + rng.Float64())
		for range pipeline {
			p := g.newPerson(pi, rng, u, AsOf.AddDate(-(19+rng.IntN(16)), 0, -rng.IntN(365)))
			g.caseOfCandidate(rng, u, p, old)
		}
	}
}

// admitted counts a case-era admission of the unit for the summary and
// the check of the progress report.
func (g *gen) admitted(u *unit, dec time.Time) {
	if dec.Year() == AsOf.Year() && !dec.After(AsOf) {
		g.sum.Admitted2026++
	}
}

// newPerson appends a person of the unit born on birth and returns it.
func (g *gen) newPerson(pi int, rng *rand.Rand, u *unit, birth time.Time) *domain.Person {
	if birth.Before(domain.Day(1936, 1, 1)) {
		birth = birth.AddDate(15, 0, 0)
	}
	sex := domain.Male
	if rng.IntN(100) < 42 {
		sex = domain.Female
	}
	age := AsOf.Year() - birth.Year()
	p := domain.Person{ID: g.nextID("people"), FullName: personName(rng, sex), BirthDate: birth, Sex: sex,
		Ethnicity: ethnicity(rng, provinces[pi]), Religion: religion(rng), OrgID: g.orgs[u.org].ID,
		CCCD: g.cccd(pi, sex, birth)}
	p.Education, p.Occupation = "upper_secondary", "other"
	switch u.kind {
	case "village":
		p.Occupation = []string{"farmer", "farmer", "business", "other", "worker"}[rng.IntN(5)]
		if rng.IntN(4) == 0 {
			p.Education = "lower_secondary"
		}
	case "agency", "department":
		p.Occupation, p.Education = "civil_servant", "higher"
	case "school", "highschool":
		p.Occupation, p.Education = "teacher", "higher"
	case "enterprise":
		p.Occupation = "private_enterprise"
	case "firm":
		p.Occupation = "worker"
	}
	if u.residence != 0 {
		p.ResidenceID = u.residence
	} else if len(u.villages) > 0 {
		p.ResidenceID = u.villages[rng.IntN(len(u.villages))]
	}
	p.YouthUnion = age <= 30
	p.TradeUnion = u.kind != "village"
	g.people = append(g.people, p)
	g.sum.People++
	return &g.people[len(g.people)-1]
}

// cccd is a citizen ID in the layout of the real ones: the province's
// three digits, the century-and-sex digit, the year of birth's last two
// digits and a serial number within them.
func (g *gen) cccd(pi int, sex string, birth time.Time) string {
	cs := 0
	if birth.Year() >= 2000 {
		cs = 2
	}
	if sex == domain.Female {
		cs++
	}
	key := fmt.Sprintf("%03d%d%02d", pi+1, cs, birth.Year()%100)
	g.serials[key]++
	return fmt.Sprintf("%s%06d", key, g.serials[key])
}

// ethnicity draws an ethnic group: mostly Kinh, with the province's minorities.
func ethnicity(rng *rand.Rand, p province) string {
	u := rng.IntN(100)
	switch {
	case p.highland && u < 25:
		return []string{"12", "10", "14", "02"}[u%4] // Ê-đê, Gia-rai, Ba-na, Tày
	case (p.name == "Lai Châu" || p.name == "Điện Biên" || p.name == "Sơn La" || p.name == "Lạng Sơn" ||
		p.name == "Cao Bằng" || p.name == "Tuyên Quang" || p.name == "Lào Cai") && u < 45:
		return []string{"02", "03", "07", "09", "08"}[u%5] // Tày, Thái, Nùng, Dao, HMông
	case (p.name == "An Giang" || p.name == "Cà Mau" || p.name == "Vĩnh Long" || p.name == "Cần Thơ") && u < 8:
		return "05" // Khơ-me
	case u < 2:
		return "06" // Mường
	}
	return "01"
}

// religion draws a religion: most members declare none.
func religion(rng *rand.Rand) string {
	switch u := rng.IntN(100); {
	case u < 5:
		return "buddhism"
	case u < 8:
		return "catholicism"
	}
	return vn.ReligionNone
}

// days is the number of days from a to b.
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// weekday moves a Saturday or a Sunday to the Friday before.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, -1)
	case time.Sunday:
		return d.AddDate(0, 0, -2)
	}
	return d
}
