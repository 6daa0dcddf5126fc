package service

import (
	"cmp"
	"context"
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
}

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

// admittedBy is admissionsUnder split by a dimension, attributed to the
// nodes of the as-of tree as Progress attributes its counts: per value,
// per node of the tree.
func (s *Service) admittedBy(ctx context.Context, o *domain.Org, inTree map[int64]bool, from, to, asof time.Time, dim string,
	counts func(path string) (map[string]map[string]map[int64]int, error)) (map[string]map[int64]int, error) {
	all, err := counts(o.Path)
	if err != nil {
		return nil, err
	}
	raw := map[string]map[int64]int{}
	for k, byOrg := range all[dim] {
		raw[k] = maps.Clone(byOrg)
	}
	if o.Path != "/" {
		preds, err := s.store.Predecessors(ctx, o.Path, 8)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(preds, func(a, b *domain.Org) int { return strings.Compare(a.Path, b.Path) })
		last := ""
		for _, p := range preds {
			if last != "" && strings.HasPrefix(p.Path, last) {
				continue
			}
			last = p.Path
			moreAll, err := counts(p.Path)
			if err != nil {
				return nil, err
			}
			for k, byOrg := range moreAll[dim] {
				if raw[k] == nil {
					raw[k] = map[int64]int{}
				}
				for id, n := range byOrg {
					raw[k][id] += n
				}
			}
		}
	}
	out := make(map[string]map[int64]int, len(raw))
	for k, byOrg := range raw {
		counts, _, _, err := s.attribute(ctx, byOrg, inTree, asof)
		if err != nil {
			return nil, err
		}
		out[k] = counts
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

// Breakdowns computes the breakdowns of a unit's admitted for a year as
// of a date. Every count is grouped in SQL; the people's attributes are
// their current records (sex, ethnicity, …), the age is at the decision.
func (s *Service) Breakdowns(ctx context.Context, code string, year int, asof time.Time) (*Breakdowns, error) {
	if year < 1930 || year > 2200 {
		return nil, domain.FieldError("year", "Năm %d không hợp lệ", year)
	}
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	if !o.OpenOn(asof) {
		return nil, domain.FieldError("asof", "Ngày %s tổ chức %s chưa thành lập hoặc đã giải thể", vn.Date(asof), o.Name)
	}
	orgs, err := s.store.Subtree(ctx, o.Path, asof)
	if err != nil {
		return nil, err
	}
	inTree := make(map[int64]bool, len(orgs))
	for _, x := range orgs {
		inTree[x.ID] = true
	}
	b := &Breakdowns{Org: o, Year: year, AsOf: asof}
	from, to, ok := window(year, asof)
	memo := map[string]map[string]map[int64]int{}
	// every dimension of a subtree's admissions in one query, read once
	byPath := map[string]map[string]map[string]map[int64]int{}
	counts := func(path string) (map[string]map[string]map[int64]int, error) {
		if m, ok := byPath[path]; ok {
			return m, nil
		}
		m, err := s.store.AdmissionCountsAll(ctx, path, from, to)
		byPath[path] = m
		return m, err
	}
	get := func(dim string) (map[string]map[int64]int, error) {
		if !ok {
			return map[string]map[int64]int{}, nil
		}
		if m, found := memo[dim]; found {
			return m, nil
		}
		m, err := s.admittedBy(ctx, o, inTree, from, to, asof, dim, counts)
		memo[dim] = m
		return m, err
	}
	flat := func(dim string) (map[string]int, error) {
		m, err := get(dim)
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

	sex, err := flat(store.DimSex)
	if err != nil {
		return nil, err
	}
	for _, n := range sex {
		b.Admitted += n
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "sex", Title: "Giới tính", Partition: true, Parts: ordered(sex,
		[]Part{{Key: domain.Female, Label: "Nữ"}, {Key: domain.Male, Label: "Nam"}}, func(k string) string { return k })})

	eth, err := flat(store.DimEthnicity)
	if err != nil {
		return nil, err
	}
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
	ethParts := []Part{{Key: "minority", Label: "Dân tộc thiểu số", N: minority}, {Key: "kinh", Label: "Dân tộc Kinh", N: kinh}}
	if unknown > 0 {
		ethParts = append(ethParts, Part{Key: "unknown", Label: "Chưa rõ dân tộc", N: unknown})
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "ethnicity", Title: "Dân tộc", Partition: true, Parts: ethParts})
	slices.SortFunc(groups, func(a, c Part) int { return cmp.Or(cmp.Compare(c.N, a.N), vn.Compare(a.Label, c.Label)) })
	b.Parts = append(b.Parts, &Breakdown{Key: "minority_groups", Title: "Các dân tộc thiểu số", Parts: groups})

	rel, err := flat(store.DimReligion)
	if err != nil {
		return nil, err
	}
	believers := 0
	var relParts []Part
	for k, n := range rel {
		if k == vn.ReligionNone || k == "" {
			continue
		}
		believers += n
		name := k
		if r, ok := vn.ReligionByCode(k); ok {
			name = r.Name
		}
		relParts = append(relParts, Part{Key: k, Label: name, N: n})
	}
	slices.SortFunc(relParts, func(a, c Part) int { return cmp.Or(cmp.Compare(c.N, a.N), vn.Compare(a.Label, c.Label)) })
	b.Parts = append(b.Parts, &Breakdown{Key: "religion", Title: "Tôn giáo", Partition: true, Parts: []Part{
		{Key: "religious", Label: "Có đạo", N: believers}, {Key: "none", Label: "Không tôn giáo", N: b.Admitted - believers}}})
	b.Parts = append(b.Parts, &Breakdown{Key: "religions", Title: "Theo tôn giáo", Parts: relParts})

	yu, err := flat(store.DimYouthUnion)
	if err != nil {
		return nil, err
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "youth_union", Title: "Đoàn viên Đoàn TNCS Hồ Chí Minh", Partition: true, Parts: []Part{
		{Key: "yes", Label: "Đoàn viên", N: yu["yes"]}, {Key: "no", Label: "Không phải đoàn viên", N: yu["no"]}}})

	occ, err := flat(store.DimOccupation)
	if err != nil {
		return nil, err
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "groups", Title: "Đối tượng", Parts: []Part{
		{Key: "student_high", Label: "Học sinh THPT", N: occ["student_high"]},
		{Key: "student_univ", Label: "Sinh viên", N: occ["student_univ"]},
		{Key: "private_enterprise", Label: "Trong doanh nghiệp tư nhân", N: occ["private_enterprise"]},
	}})
	var occParts []Part
	for _, x := range domain.Occupations {
		occParts = append(occParts, Part{Key: x.Code, Label: x.Name, N: occ[x.Code]})
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "occupation", Title: "Nghề nghiệp", Partition: true, Parts: withOthers(occParts, occ, "Khác (chưa phân loại)")})

	ages, err := flat(store.DimAge)
	if err != nil {
		return nil, err
	}
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

	edu, err := flat(store.DimEducation)
	if err != nil {
		return nil, err
	}
	var eduParts []Part
	for _, x := range domain.EducationLevels {
		eduParts = append(eduParts, Part{Key: x.Code, Label: x.Name, N: edu[x.Code]})
	}
	b.Parts = append(b.Parts, &Breakdown{Key: "education", Title: "Trình độ học vấn", Partition: true, Parts: withOthers(eduParts, edu, "Chưa rõ")})

	if err := s.residence(ctx, b, get); err != nil {
		return nil, err
	}
	if err := s.schools(ctx, b, get); err != nil {
		return nil, err
	}
	return b, nil
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

func (s *Service) residence(ctx context.Context, b *Breakdowns, get func(string) (map[string]map[int64]int, error)) error {
	units, err := s.store.ResidenceMembers(ctx, b.Org.Path, b.AsOf)
	if err != nil {
		return err
	}
	byRes, err := get(store.DimResidence)
	if err != nil {
		return err
	}
	listed := 0
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

func (s *Service) schools(ctx context.Context, b *Breakdowns, get func(string) (map[string]map[int64]int, error)) error {
	_, to, _ := window(b.Year, b.AsOf)
	b.SchoolYear = SchoolYearOf(to)
	rows, err := s.store.Schools(ctx, b.Org.Path, b.SchoolYear)
	if err != nil {
		return err
	}
	occ, err := get(store.DimOccupation)
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
	}
	return nil
}
