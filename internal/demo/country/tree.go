package country

import (
	"fmt"
	"math"
	"math/rand/v2"

	"ketnap/internal/domain"
)

// Shape at scale 1 (DOMAIN §8, admission-rules §8): about 270,000 chapters,
// 5.6 million members, 200,000 admissions a year, 3,321 commune-level units.
const (
	chaptersAtOne   = 270_000
	admissionsAtOne = 200_000
	provincialShare = 0.12 // of the chapters: in the provincial agency and enterprise committees
)

// ladder is who decides for a chapter's candidates and which committee
// votes between (as service.ladderOf derives it from the tree and the
// authority records).
type ladder struct {
	decider    int64
	authorised bool
	committee  bool
}

// unit is a chapter being generated.
type unit struct {
	org        int     // index in gen.orgs
	kind       string  // village, agency, school, enterprise, highschool, department, firm
	commune    int64   // its commune's id (0 for provincial committees)
	residence  int64   // its village (village chapters)
	villages   []int64 // the villages of its commune (where members live)
	ladder     ladder
	members    int
	parentUnit int // index in gen.orgs of the committee whose quota it feeds
}

// buildTree generates the organizations of province pi: the provincial
// committee, its communes and wards with their chapters, the provincial
// agency committees and the enterprise committees.
func (g *gen) buildTree(pi int, rng *rand.Rand) {
	pv := provinces[pi]
	pcode := pv.code()
	prov := g.addOrg(pcode, "Đảng bộ "+pv.title(), domain.KindProvince, "commune", g.rootID)
	g.province = prov
	communes := g.communesOf(pi)
	perCommune := float64(chaptersAtOne) * g.scale * (1 - provincialShare) / float64(g.totalCommunes)
	wardShare := 0.12
	if pv.city {
		wardShare = 0.55
	}
	names := placeNames(rng, communes)
	for ci := range communes {
		ward := rng.Float64() < wardShare
		level := "xã"
		if ward {
			level = "phường"
			g.sum.Wards++
		} else {
			g.sum.Communes++
		}
		ccode := fmt.Sprintf("%s-x%03d", pcode, ci+1)
		cidx := g.addOrg(ccode, "Đảng bộ "+level+" "+names[ci], domain.KindCommune, "commune", g.orgs[prov].ID)
		g.quotaUnits = append(g.quotaUnits, cidx)
		k := max(1, int(math.Round(perCommune*(0.7+0.6*rng.Float64()))))
		g.buildCommune(rng, cidx, ccode, names[ci], ward, pv.highland, k)
	}
	g.buildProvincial(rng, prov, pcode, pv)
}

// communesOf is the number of commune-level units province pi has at the
// scale: its share of the scaled total, at least one.
func (g *gen) communesOf(pi int) int {
	return max(1, int(math.Round(float64(provinces[pi].communes)*g.scale)))
}

// buildCommune generates the chapters of one commune or ward: village or
// residential-group chapters, the agencies', the schools', the private
// enterprises', and a high school's grassroots committee in a larger one.
func (g *gen) buildCommune(rng *rand.Rand, cidx int, ccode, place string, ward, highland bool, k int) {
	cid := g.orgs[cidx].ID
	direct := ladder{decider: cid}
	agencies := min(len(communeAgencies), max(1, k/12))
	schools := k / 9
	firms := k / 14
	hs := 0
	if k >= 12 {
		hs = min(4, 2+k/40)
	}
	villages := max(1, k-agencies-schools-firms-hs)
	n := 0
	next := func() string { n++; return fmt.Sprintf("%s-c%02d", ccode, n) }
	var villageIDs []int64
	first := len(g.units)
	for v := range villages {
		kind, label, chName := "thon", fmt.Sprintf("Thôn %d", v+1), fmt.Sprintf("Chi bộ thôn %d", v+1)
		switch {
		case ward:
			kind, label, chName = "to_dan_pho", fmt.Sprintf("Tổ dân phố %d", v+1), fmt.Sprintf("Chi bộ tổ dân phố %d", v+1)
		case highland && v%3 == 1:
			b := highlandVillages[(v/3)%len(highlandVillages)]
			kind, label, chName = "buon", "Buôn "+b, "Chi bộ buôn "+b
		}
		oi := g.addOrg(next(), chName, domain.KindChapter, "commune", cid)
		g.nextUnitID++
		ru := domain.ResidentialUnit{ID: g.nextUnitID, Code: fmt.Sprintf("%s-t%02d", ccode, v+1), Name: label, Kind: kind,
			CommuneID: cid, ChapterID: g.orgs[oi].ID}
		g.villages = append(g.villages, ru)
		villageIDs = append(villageIDs, ru.ID)
		g.units = append(g.units, unit{org: oi, kind: "village", commune: cid, residence: ru.ID, ladder: direct, parentUnit: cidx})
	}
	for a := range agencies {
		level := "xã"
		if ward {
			level = "phường"
		}
		oi := g.addOrg(next(), "Chi bộ "+communeAgencies[a]+" "+level, domain.KindChapter, "agency", cid)
		g.units = append(g.units, unit{org: oi, kind: "agency", commune: cid, ladder: direct, parentUnit: cidx})
	}
	levels := []string{"Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở"}
	for s := range schools {
		name := fmt.Sprintf("Chi bộ %s %s", levels[s%3], place)
		if s >= 3 {
			name += fmt.Sprintf(" số %d", s/3+1)
		}
		oi := g.addOrg(next(), name, domain.KindGrassChapter, "school", cid)
		g.units = append(g.units, unit{org: oi, kind: "school", commune: cid, ladder: direct, parentUnit: cidx})
	}
	for f := range firms {
		name := fmt.Sprintf("Chi bộ %s %s %s", privateFirms[f%len(privateFirms)], place, []string{"Xanh", "Phát Đạt", "Thành Công", "Hưng Thịnh", "An Khang"}[f%5])
		oi := g.addOrg(next(), name, domain.KindGrassChapter, "enterprise", cid)
		g.units = append(g.units, unit{org: oi, kind: "enterprise", commune: cid, ladder: direct, parentUnit: cidx})
	}
	if hs > 0 {
		hcode := ccode + "-thpt"
		hi := g.addOrg(hcode, "Đảng bộ Trường THPT "+place, domain.KindGrassroots, "school", cid)
		g.nextSchoolID++
		g.schools = append(g.schools, domain.School{ID: g.nextSchoolID, Code: hcode, Name: "Trường THPT " + place,
			Level: "high_school", OrgID: g.orgs[hi].ID, CommuneID: cid})
		for _, y := range []int{2025, 2026} {
			g.enrolment = append(g.enrolment, domain.Enrolment{SchoolID: g.nextSchoolID, SchoolYear: y, Students: 900 + rng.IntN(700)})
		}
		groups := []string{"Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Khoa học xã hội"}
		for h := range hs {
			oi := g.addOrg(fmt.Sprintf("%s-c%d", hcode, h+1), "Chi bộ "+groups[h], domain.KindChapter, "school", g.orgs[hi].ID)
			g.units = append(g.units, unit{org: oi, kind: "highschool", commune: cid, ladder: ladder{decider: cid, committee: true},
				parentUnit: cidx})
		}
	}
	for i := first; i < len(g.units); i++ {
		g.units[i].villages = villageIDs
	}
}

// buildProvincial generates the province's agency committees (the party
// agencies' and the people's committee's, authorised to decide their own
// admissions, QĐ294 §22) and its enterprise committees (decided by the
// province's standing committee after the enterprise committee's vote).
func (g *gen) buildProvincial(rng *rand.Rand, prov int, pcode string, pv province) {
	pid := g.orgs[prov].ID
	budget := max(3, int(math.Round(float64(chaptersAtOne)*g.scale*provincialShare/float64(len(provinces)))))
	agencies := []struct {
		code, name string
		depts      []string
		share      float64
	}{
		{"cqd", "Đảng bộ Các cơ quan Đảng " + pv.title(), partyDepartments, 0.35},
		{"ubnd", "Đảng bộ Ủy ban nhân dân " + pv.title(), stateDepartments, 0.45},
	}
	for _, a := range agencies {
		ai := g.addOrg(pcode+"-"+a.code, a.name, domain.KindGrassroots, "agency", pid)
		aid := g.orgs[ai].ID
		g.auths = append(g.auths, domain.Authority{OrgID: aid, ValidFrom: founded, DeciderID: aid, Authorised: true})
		g.quotaUnits = append(g.quotaUnits, ai)
		n := max(1, int(math.Round(float64(budget)*a.share)))
		for d := range n {
			name := "Chi bộ " + a.depts[d%len(a.depts)]
			if d >= len(a.depts) {
				name += fmt.Sprintf(" (chi bộ %d)", d/len(a.depts)+1)
			}
			oi := g.addOrg(fmt.Sprintf("%s-%s-c%02d", pcode, a.code, d+1), name, domain.KindChapter, "agency", aid)
			g.units = append(g.units, unit{org: oi, kind: "department", ladder: ladder{decider: aid, authorised: true}, parentUnit: ai})
		}
	}
	rest := max(1, budget-int(math.Round(float64(budget)*0.8)))
	firms := min(len(enterpriseNames), 1+rest/60)
	for f := range firms {
		code := fmt.Sprintf("%s-dn%d", pcode, f+1)
		fi := g.addOrg(code, "Đảng bộ "+enterpriseNames[(f+rng.IntN(3))%len(enterpriseNames)]+" "+pv.name, domain.KindGrassroots, "enterprise", pid)
		g.quotaUnits = append(g.quotaUnits, fi)
		n := max(1, rest/firms)
		for c := range n {
			name := "Chi bộ " + enterpriseUnits[c%len(enterpriseUnits)]
			if c >= len(enterpriseUnits) {
				name += fmt.Sprintf(" (chi bộ %d)", c/len(enterpriseUnits)+1)
			}
			oi := g.addOrg(fmt.Sprintf("%s-c%02d", code, c+1), name, domain.KindChapter, "enterprise", g.orgs[fi].ID)
			g.units = append(g.units, unit{org: oi, kind: "firm", ladder: ladder{decider: pid, committee: true}, parentUnit: fi})
		}
	}
}

// addOrg appends an organization with the next id under parent and returns its index.
func (g *gen) addOrg(code, name string, kind domain.OrgKind, sector domain.Sector, parent int64) int {
	g.nextOrgID++
	path := "/"
	if parent != 0 {
		path = g.paths[parent]
	}
	o := domain.Org{ID: g.nextOrgID, Code: code, Name: name, Kind: kind, Sector: sector, ParentID: parent,
		Path: fmt.Sprintf("%s%d/", path, g.nextOrgID), ValidFrom: founded, YouthUnion: domain.DefaultYouthUnion(kind, sector), Version: 1}
	if parent == 0 {
		o.ValidFrom = domain.Day(1930, 2, 3)
	}
	g.paths[o.ID] = o.Path
	g.orgs = append(g.orgs, o)
	g.sum.Orgs++
	switch kind {
	case domain.KindChapter, domain.KindGrassChapter:
		g.sum.Chapters++
	case domain.KindGrassroots:
		g.sum.Grassroots++
	case domain.KindProvince:
		if parent != 0 {
			g.sum.Provinces++
		}
	}
	return len(g.orgs) - 1
}
