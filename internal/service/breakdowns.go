package service

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Part is one value of a breakdown: its code, Vietnamese label and count.
type Part struct {
	Key   string
	Label string
	N     int
}

// Breakdown is the admitted split by one dimension. A partition's parts
// add up to the total; a non-partition (Youth Union members, students,
// …) is a count of the admitted that have a property.
type Breakdown struct {
	Key       string
	Title     string
	Partition bool
	Parts     []Part
}

// Sum is the total of the parts.
func (b *Breakdown) Sum() int {
	n := 0
	for _, p := range b.Parts {
		n += p.N
	}
	return n
}

// AgeBand is one band of age at the decision, From..To years inclusive
// (To = 0: no upper bound).
type AgeBand struct {
	From, To int
	Label    string
}

// AgeBands are the bands of the BTCTW form of newly admitted members
// (admission-rules §7.2: 18–30, 31–40, 41–50, 51–60, over 60); ages under
// 18 (not admissible, shown if the data has them) fall in the first row.
var AgeBands = []AgeBand{
	{0, 30, "Từ 30 tuổi trở xuống"},
	{31, 40, "31–40 tuổi"},
	{41, 50, "41–50 tuổi"},
	{51, 60, "51–60 tuổi"},
	{61, 0, "Trên 60 tuổi"},
}

// ResidenceLine is a village, buôn or residential group with the people
// admitted who live there and its members and chapter.
type ResidenceLine struct {
	domain.ResidenceRow
	KindName string
	Admitted int
	Weak     bool // no member and no chapter
}

// SchoolLine is a high school's admitted students against its enrolment.
type SchoolLine struct {
	domain.SchoolRow
	Admitted int      // admitted people with occupation student_high counted at the school's chapter
	Percent  *float64 // Admitted / Students × 100, nil without enrolment
}

// Breakdowns is DOMAIN §7's breakdowns of the admitted of a unit's subtree
// for a year as of a date, counted exactly as Progress counts them.
type Breakdowns struct {
	Org        *domain.Org
	Year       int
	AsOf       time.Time
	Admitted   int
	AverageAge *float64
	Parts      []*Breakdown
	// Residence: the residential units of the communes in the subtree;
	// AdmittedElsewhere: admitted living in no unit of the subtree or
	// with no residence recorded.
	Residence         []ResidenceLine
	AdmittedElsewhere int
	Weak              []ResidenceLine
	SchoolYear        int // the school year (starting in) whose enrolment is used
	Schools           []SchoolLine
	// SchoolsTotal: the high schools' admitted students against their
	// enrolment, all schools together (Percent over the schools with an
	// enrolment).
	SchoolsTotal SchoolTotal
	// VillageChapters: the chapters of the villages, buôn and residential
	// groups of the subtree open on the tree's day, each with its
	// admissions of the year (villages.go).
	VillageChapters []VillageChapter
}

// DropResidence drops the lines of every village (Residence), which only
// the analytics page lists: the Word, PDF and Excel files print the
// villages with no member and no chapter (Weak) and the village chapters,
// and the country's 169.000 lines would hold some 40 MB while they are
// written.
func (b *Breakdowns) DropResidence() { b.Residence = nil }

// Part returns the breakdown with the key, nil when there is none.
func (b *Breakdowns) Part(key string) *Breakdown {
	for _, p := range b.Parts {
		if p.Key == key {
			return p
		}
	}
	return nil
}

// window returns the decision dates counted for the year as of asof, and
// whether the window is empty (as Progress).
func window(year int, asof time.Time) (from, to time.Time, ok bool) {
	from = domain.Day(year, 1, 1)
	to = domain.Day(year, 12, 31)
	if asof.Before(to) {
		to = asof
	}
	return from, to, !to.Before(from)
}

// admitted reads the admitted of a unit's subtree in the window of a
// year as of a date, split by the dimensions of store.AdmissionCountsAll
// and attributed to the nodes of the as-of tree as Progress attributes
// its counts. Every dimension of a subtree's admissions is read in one
// query, once.
type admitted struct {
	s        *Service
	ctx      context.Context
	org      *domain.Org
	path     string                  // the unit's path in the tree of day
	nodes    map[int64]breakdownNode // the units of the tree of day, by id
	day      time.Time               // the day whose tree the year is counted on (Progress.TreeDay)
	from, to time.Time
	ok       bool                                           // the window is not empty
	byPath   map[string]map[string]map[string]map[int64]int // path → dimension → value → org → count
	byDim    map[string]map[string]map[int64]int            // dimension → value → node → count
	gone     map[string]bool                                // dimensions dropped (forget)
}

// breakdownNode is what the breakdowns keep of a unit of the tree (the
// country's 277.000 units: the whole record would double their memory).
type breakdownNode struct {
	kind             domain.OrgKind
	code, name, path string
}

// inTree reports whether the unit is in the tree of the day under the
// report's unit.
func (a *admitted) inTree(id int64) bool {
	_, ok := a.nodes[id]
	return ok
}

// admittedOf prepares the counts of the report's unit and year.
func (s *Service) admittedOf(ctx context.Context, r *reportScope) (*admitted, error) {
	day, _, _, err := s.reportDay(ctx, r)
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.SubtreeOn(ctx, r.Org.ID, day)
	if err != nil {
		return nil, err
	}
	a := &admitted{s: s, ctx: ctx, org: r.Org, path: orgs[0].Path, day: day,
		nodes:  make(map[int64]breakdownNode, len(orgs)),
		byPath: map[string]map[string]map[string]map[int64]int{}, byDim: map[string]map[string]map[int64]int{}}
	for _, x := range orgs {
		a.nodes[x.ID] = breakdownNode{kind: x.Kind, code: x.Code, name: x.Name, path: x.Path}
	}
	a.from, a.to, a.ok = window(r.Year, day)
	return a, nil
}

// under is every dimension of the admissions counted under path.
func (a *admitted) under(path string) (map[string]map[string]map[int64]int, error) {
	if m, ok := a.byPath[path]; ok {
		return m, nil
	}
	m, err := a.s.store.AdmissionCountsAllOn(a.ctx, path, a.day, a.from, a.to)
	a.byPath[path] = m
	return m, err
}

// by is admissionsUnder split by the dimension dim, attributed to the
// nodes of the as-of tree: per value, per node of the tree.
func (a *admitted) by(dim string) (map[string]map[int64]int, error) {
	if !a.ok {
		return map[string]map[int64]int{}, nil
	}
	if m, found := a.byDim[dim]; found {
		return m, nil
	}
	if a.gone[dim] {
		return nil, fmt.Errorf("service: the breakdown by %s was dropped after its totals", dim)
	}
	raw, err := a.raw(dim)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[int64]int, len(raw))
	for k, byOrg := range raw {
		counts, _, _, err := a.s.attribute(a.ctx, byOrg, a.inTree, a.day)
		if err != nil {
			return nil, err
		}
		out[k] = counts
	}
	a.byDim[dim] = out
	return out, nil
}

// raw is the dimension's counts per organization under the unit and under
// the units merged into its subtree from elsewhere (their history follows
// them to their successor), as admissionsUnder counts them.
func (a *admitted) raw(dim string) (map[string]map[int64]int, error) {
	all, err := a.under(a.path)
	if err != nil {
		return nil, err
	}
	if a.path == "/" {
		return all[dim], nil // read only: attribute copies what it changes
	}
	preds, err := a.s.store.PredecessorsOn(a.ctx, a.path, a.day, 8)
	if err != nil {
		return nil, err
	}
	if len(preds) == 0 {
		return all[dim], nil
	}
	// merged with the predecessors' counts: a copy (the unit's are cached)
	raw := map[string]map[int64]int{}
	for k, byOrg := range all[dim] {
		raw[k] = maps.Clone(byOrg)
	}
	// Count each predecessor's subtree once: skip those inside another.
	slices.SortFunc(preds, func(x, y *domain.Org) int { return strings.Compare(x.Path, y.Path) })
	last := ""
	for _, p := range preds {
		if last != "" && strings.HasPrefix(p.Path, last) {
			continue
		}
		last = p.Path
		more, err := a.under(p.Path)
		if err != nil {
			return nil, err
		}
		for k, byOrg := range more[dim] {
			if raw[k] == nil {
				raw[k] = map[int64]int{}
			}
			for id, n := range byOrg {
				raw[k][id] += n
			}
		}
	}
	return raw, nil
}

// forget drops the dimension's counts per unit once its totals are taken
// (the country's are some millions of map entries).
func (a *admitted) forget(dim string) {
	if a.gone == nil {
		a.gone = map[string]bool{}
	}
	a.gone[dim] = true
	delete(a.byDim, dim)
	for _, m := range a.byPath {
		delete(m, dim)
	}
}

// flat is the dimension's counts of the whole subtree per value, values
// with nobody left out.
func (a *admitted) flat(dim string) (map[string]int, error) {
	m, err := a.by(dim)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for k, byOrg := range m {
		if n := total(byOrg); n > 0 {
			out[k] = n
		}
	}
	return out, nil
}

func total(byOrg map[int64]int) int {
	n := 0
	for _, x := range byOrg {
		n += x
	}
	return n
}

// Breakdowns computes the breakdowns of the admitted of the query's unit
// (ReportQuery's defaults) for its year as of its date. Every count is
// grouped in SQL; the people's attributes are their current records (sex,
// ethnicity, …), the age is at the decision.
func (s *Service) Breakdowns(ctx context.Context, q ReportQuery) (*Breakdowns, error) {
	r, err := s.resolveReport(ctx, q)
	if err != nil {
		return nil, err
	}
	a, err := s.admittedOf(ctx, r)
	if err != nil {
		return nil, err
	}
	b := &Breakdowns{Org: r.Org, Year: r.Year, AsOf: r.AsOf}
	// in the order of the report; the sex comes first, as it gives the total.
	for _, d := range []struct {
		dim string
		add func(map[string]int)
	}{
		{store.DimSex, b.addSex},
		{store.DimEthnicity, b.addEthnicity},
		{store.DimReligion, b.addReligion},
		{store.DimYouthUnion, b.addYouthUnion},
		{store.DimOccupation, b.addOccupation},
		{store.DimAge, b.addAge},
		{store.DimEducation, b.addEducation},
	} {
		counts, err := a.flat(d.dim)
		if err != nil {
			return nil, err
		}
		d.add(counts)
		if d.dim != store.DimSex && d.dim != store.DimOccupation {
			a.forget(d.dim) // only its totals are shown
		}
	}
	if err := s.residence(ctx, b, a); err != nil {
		return nil, err
	}
	if err := b.villageChapters(a); err != nil {
		return nil, err
	}
	if err := s.schools(ctx, b, a); err != nil {
		return nil, err
	}
	return b, nil
}

// sortByCountThenName orders parts by count, highest first, then by name.
func sortByCountThenName(parts []Part) {
	vn.SortByText(parts, func(p Part) string { return p.Label }, func(a, c Part) int { return cmp.Compare(c.N, a.N) })
}

// addSex adds women/men; the sum is the number admitted.
func (b *Breakdowns) addSex(sex map[string]int) {
	for _, n := range sex {
		b.Admitted += n
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "sex", Title: "Giới tính", Partition: true, Parts: ordered(sex,
		[]Part{{Key: domain.Female, Label: "Nữ"}, {Key: domain.Male, Label: "Nam"}}, func(k string) string { return k })})
}

// addEthnicity adds ethnic minority/Kinh and each minority group.
func (b *Breakdowns) addEthnicity(eth map[string]int) {
	minority, kinh, unknown := 0, 0, 0
	var groups []Part
	for k, n := range eth {
		e, known := vn.EthnicityByCode(k)
		switch {
		case vn.IsMinority(k):
			minority += n
			groups = append(groups, Part{Key: k, Label: e.Name, N: n})
		case known:
			kinh += n
		default:
			unknown += n
		}
	}
	parts := []Part{{Key: "minority", Label: "Dân tộc thiểu số", N: minority}, {Key: "kinh", Label: "Dân tộc Kinh", N: kinh}}
	if unknown > 0 {
		parts = append(parts, Part{Key: "unknown", Label: "Chưa rõ dân tộc", N: unknown})
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "ethnicity", Title: "Dân tộc", Partition: true, Parts: parts})
	sortByCountThenName(groups)
	b.Parts = append(b.Parts, &Breakdown{Key: "minority_groups", Title: "Các dân tộc thiểu số", Parts: groups})
}

// addReligion adds religious/none and each religion.
func (b *Breakdowns) addReligion(rel map[string]int) {
	believers := 0
	var parts []Part
	for k, n := range rel {
		if k == vn.ReligionNone || k == "" {
			continue
		}
		believers += n
		name := k
		if r, ok := vn.ReligionByCode(k); ok {
			name = r.Name
		}
		parts = append(parts, Part{Key: k, Label: name, N: n})
	}
	sortByCountThenName(parts)
	b.Parts = append(b.Parts, &Breakdown{Key: "religion", Title: "Tôn giáo", Partition: true, Parts: []Part{
		{Key: "religious", Label: "Có đạo", N: believers}, {Key: "none", Label: "Không tôn giáo", N: b.Admitted - believers}}})
	b.Parts = append(b.Parts, &Breakdown{Key: "religions", Title: "Theo tôn giáo", Parts: parts})
}

// addYouthUnion adds the Youth Union members and the others.
func (b *Breakdowns) addYouthUnion(yu map[string]int) {
	b.Parts = append(b.Parts, &Breakdown{Key: "youth_union", Title: "Đoàn viên Đoàn TNCS Hồ Chí Minh", Partition: true, Parts: []Part{
		{Key: "yes", Label: "Đoàn viên", N: yu["yes"]}, {Key: "no", Label: "Không phải đoàn viên", N: yu["no"]}}})
}

// addOccupation adds the groups the BTCTW form counts (students, private
// enterprise) and every occupation.
func (b *Breakdowns) addOccupation(occ map[string]int) {
	b.Parts = append(b.Parts, &Breakdown{Key: "groups", Title: "Đối tượng", Parts: []Part{
		{Key: "student_high", Label: "Học sinh THPT", N: occ["student_high"]},
		{Key: "student_univ", Label: "Sinh viên", N: occ["student_univ"]},
		{Key: "private_enterprise", Label: "Trong doanh nghiệp tư nhân", N: occ["private_enterprise"]},
	}})
	var parts []Part
	for _, x := range domain.Occupations {
		parts = append(parts, Part{Key: x.Code, Label: x.Name, N: occ[x.Code]})
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "occupation", Title: "Nghề nghiệp", Partition: true, Parts: withOthers(parts, occ, "Khác (chưa phân loại)")})
}

// addAge adds the age bands at the decision and the average age.
func (b *Breakdowns) addAge(ages map[string]int) {
	bands := make([]Part, len(AgeBands))
	sumAge, nAge := 0, 0
	for i, a := range AgeBands {
		bands[i] = Part{Key: strconv.Itoa(a.From) + "-" + strconv.Itoa(a.To), Label: a.Label}
	}
	for k, n := range ages {
		age, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		sumAge += age * n
		nAge += n
		for i, a := range AgeBands {
			if age >= a.From && (a.To == 0 || age <= a.To) {
				bands[i].N += n
				break
			}
		}
	}
	if nAge > 0 {
		avg := float64(int(float64(sumAge)/float64(nAge)*10+0.5)) / 10
		b.AverageAge = &avg
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "age", Title: "Độ tuổi khi kết nạp", Partition: true, Parts: bands})
}

// addEducation adds the levels of education.
func (b *Breakdowns) addEducation(edu map[string]int) {
	var parts []Part
	for _, x := range domain.EducationLevels {
		parts = append(parts, Part{Key: x.Code, Label: x.Name, N: edu[x.Code]})
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "education", Title: "Trình độ học vấn", Partition: true, Parts: withOthers(parts, edu, "Chưa rõ")})
}

// ordered lays out the counts in the order of want, then any other key.
func ordered(counts map[string]int, want []Part, label func(string) string) []Part {
	seen := map[string]bool{}
	for i := range want {
		want[i].N = counts[want[i].Key]
		seen[want[i].Key] = true
	}
	var rest []string
	for k := range counts {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		want = append(want, Part{Key: k, Label: label(k), N: counts[k]})
	}
	return want
}

// withOthers adds one part for the counts under codes not in parts.
func withOthers(parts []Part, counts map[string]int, label string) []Part {
	known := map[string]bool{}
	for _, p := range parts {
		known[p.Key] = true
	}
	n := 0
	for k, x := range counts {
		if !known[k] {
			n += x
		}
	}
	if n > 0 {
		parts = append(parts, Part{Key: "unknown", Label: label, N: n})
	}
	return parts
}

// residence lists the residential units of the subtree with the admitted
// who live there, and those with no member and no chapter.
func (s *Service) residence(ctx context.Context, b *Breakdowns, a *admitted) error {
	units, err := s.store.ResidenceMembers(ctx, b.Org.Path, b.AsOf, ctx.Value(scratchKey{}) == nil)
	if err != nil {
		return err
	}
	byRes, err := a.by(store.DimResidence)
	if err != nil {
		return err
	}
	listed := 0
	b.Residence = make([]ResidenceLine, 0, len(units))
	for _, u := range units {
		l := ResidenceLine{ResidenceRow: u, KindName: domain.ResidentialKinds[u.Kind], Admitted: total(byRes[strconv.FormatInt(u.ID, 10)])}
		l.Weak = u.Members == 0 && !u.HasChapter
		listed += l.Admitted
		b.Residence = append(b.Residence, l)
		if l.Weak {
			b.Weak = append(b.Weak, l)
		}
	}
	b.AdmittedElsewhere = b.Admitted - listed
	return nil
}

// SchoolYearOf returns the school year (by its starting year) running on
// d: a school year starts in September.
func SchoolYearOf(d time.Time) int {
	if d.Month() >= time.September {
		return d.Year()
	}
	return d.Year() - 1
}

// schools counts the admitted high-school students of each high school
// of the subtree against its enrolment.
func (s *Service) schools(ctx context.Context, b *Breakdowns, a *admitted) error {
	_, to, _ := window(b.Year, b.AsOf)
	b.SchoolYear = SchoolYearOf(to)
	path := b.Org.Path // the unit's place in the tree of that day
	if _, at, err := s.store.PlaceOn(ctx, b.Org.ID, to); err == nil {
		path = at
	}
	rows, err := s.store.Schools(ctx, path, b.SchoolYear, to)
	if err != nil {
		return err
	}
	occ, err := a.by(store.DimOccupation)
	if err != nil {
		return err
	}
	high := occ["student_high"]
	for _, r := range rows {
		if r.Level != "high_school" {
			continue
		}
		l := SchoolLine{SchoolRow: r}
		if r.OrgID != 0 {
			l.Admitted = high[r.OrgID]
		}
		if p, ok := progress.Percent(l.Admitted, &r.Students); ok {
			l.Percent = &p
		}
		b.Schools = append(b.Schools, l)
		b.SchoolsTotal.add(l)
	}
	return nil
}
