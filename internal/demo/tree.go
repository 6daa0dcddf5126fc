package demo

import (
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// The organization tree of the demo district: the district committee, the
// town and the 15 communes with their villages, the district agencies, the
// high schools, the armed forces and two enterprises. Names of public
// institutions and places are used as they are; no person is named here.

// role says what kind of people a unit holds, which drives the generator.
type role int

const (
	roleRoot          role = iota
	roleCommittee          // a grassroots committee (commune, town, armed forces)
	roleThon               // chapter of a thôn
	roleBuon               // chapter of a buôn
	roleTDP                // chapter of a tổ dân phố
	roleCommuneAgency      // chapter of a commune's agency (police, militia, school…)
	roleAgency             // district agency chapter
	roleSchool             // high-school chapter
	roleArmed              // armed-forces chapter
	roleEnterprise         // enterprise chapter
)

// orgPlan is one organization to create, with what the generator needs.
type orgPlan struct {
	code, name string
	kind       domain.OrgKind
	sector     domain.Sector
	parent     int // index in plan.orgs, -1 for the root
	from       time.Time
	to         *time.Time
	successor  int // index in plan.orgs, -1 for none
	grassroots bool

	role      role
	commune   int    // index of the commune committee it lies in, -1 when none
	unit      int    // index of its residential unit in plan.units, -1 when none
	workplace string // what its members write as their workplace
	size      int    // members admitted before 2023 who belong here now
	minority  mix    // ethnic mix of its people

	id int64
}

// mix is the ethnic make-up of a unit: shares of Ê Đê, Gia-rai and the
// northern minorities that settled in Đắk Lắk; the rest are Kinh.
type mix struct{ ede, jrai, north float64 }

// unitPlan is a residential unit (thôn, buôn, tổ dân phố).
type unitPlan struct {
	code, name, kind string
	commune          int // org index of its commune committee
	chapter          int // org index of its chapter, -1 when it has none
	id               int64
}

// schoolPlan is a high school with its enrolment.
type schoolPlan struct {
	code, name string
	org        int // its chapter
	commune    int // the commune it stands in
	students   map[int]int
	id         int64
}

// communeSpec describes one commune (or the town).
type communeSpec struct {
	name     string // "Ea Yông"
	town     bool
	thon     int      // numbered thôn
	named    []string // named thôn, used instead of numbers when set
	buon     []string // buôn
	noChap   int      // how many of the last buôn have no chapter (and no people)
	north    float64  // share of northern minorities in its thôn
	ede      float64  // share of Ê Đê in its thôn
	thcs     string   // the lower secondary school's name
	tieuhoc  string   // a primary school's name, "" for none
	quota    int      // 2024 quota
	plan     int      // 2024 plan
	admitted int      // 2024 admissions
}

// communes are the town and the 15 communes of Krông Pắc in 2024.
var communes = []communeSpec{
	{name: "Phước An", town: true, thon: 12, buon: []string{"Ea Kmar", "Kplăng"}, north: 0.03, ede: 0.04,
		thcs: "Lê Quý Đôn", tieuhoc: "Chu Văn An", quota: 18, plan: 20, admitted: 5},
	{name: "Ea Hiu", thon: 5, buon: []string{"Ea Hiu", "Kniết", "Ea Bông", "Mrang", "Cuăh", "Ea Drai", "Kdun"}, noChap: 1,
		north: 0.12, ede: 0.30, thcs: "Ngô Gia Tự", quota: 12, plan: 13},
	{name: "Ea Kênh", thon: 9, buon: []string{"Ea Kênh", "Pốc", "Ea Nao"}, north: 0.03, ede: 0.06,
		thcs: "Nguyễn Du", quota: 15, plan: 16, admitted: 4},
	{name: "Ea Kly", thon: 10, buon: []string{"Ea Kly", "Hra", "Ea Sar"}, north: 0.10, ede: 0.05,
		thcs: "Phan Chu Trinh", tieuhoc: "Lê Văn Tám", quota: 15, plan: 16, admitted: 5},
	{name: "Ea Knuếc", thon: 8, buon: []string{"Ea Knuếc", "Kuôp", "Dhung", "Ea Tar"}, noChap: 1,
		north: 0.04, ede: 0.15, thcs: "Hùng Vương", quota: 12, plan: 13, admitted: 2},
	{name: "Ea Kuăng", thon: 8, buon: []string{"Ea Kuăng", "Kram", "Ea Blang", "Sút"}, north: 0.05, ede: 0.10,
		thcs: "Trần Phú", quota: 12, plan: 14},
	{name: "Ea Phê", thon: 10, buon: []string{"Ea Phê", "Ea Tung", "Mblim", "Kuăng"}, north: 0.04, ede: 0.06,
		thcs: "Lý Tự Trọng", tieuhoc: "Kim Đồng", quota: 15, plan: 16, admitted: 5},
	{name: "Ea Uy", thon: 6, buon: []string{"Ea Uy", "Ea Ngai", "Tơng Jú", "Ea Mdrăh"}, noChap: 1,
		north: 0.30, ede: 0.08, thcs: "Nguyễn Viết Xuân", quota: 10, plan: 11, admitted: 1},
	{name: "Ea Yiêng", thon: 5, buon: []string{"Ea Yiêng", "Ea Hning", "Knul", "Ea Bar", "Ea Ktur"}, noChap: 1,
		north: 0.25, ede: 0.10, thcs: "Cù Chính Lan", quota: 10, plan: 11},
	{name: "Ea Yông", thon: 8, buon: []string{"Ea Yông A", "Ea Yông B", "Kmrơng", "Ea Sim", "Krông"}, north: 0.04, ede: 0.15,
		thcs: "Phan Bội Châu", tieuhoc: "Võ Thị Sáu", quota: 10, plan: 12, admitted: 6},
	{name: "Hòa An", named: []string{"Tân Lập", "Đoàn Kết", "Thanh Bình", "Phước Lộc", "Hòa Bình", "Quyết Thắng", "Tân Hòa", "Yên Khánh", "Ninh Thanh", "Phú Hòa"},
		buon: []string{"Yang Kang"}, north: 0.02, ede: 0.03, thcs: "Nguyễn Trường Tộ", quota: 12, plan: 13, admitted: 4},
	{name: "Hòa Đông", thon: 9, buon: []string{"Kuêh", "Ea Drơng"}, north: 0.03, ede: 0.05,
		thcs: "Quang Trung", quota: 10, plan: 11, admitted: 2},
	{name: "Hòa Tiến", named: []string{"Tiến Thành", "Tiến Hưng", "Tiến Đạt", "Tiến Phát", "Tiến Bộ", "Tân Tiến", "Hòa Thắng", "Hòa Xuân", "Hòa Trung"},
		buon: []string{"Ea Kung"}, north: 0.02, ede: 0.03, thcs: "Lê Lợi", quota: 12, plan: 13, admitted: 3},
	{name: "Krông Búk", thon: 4, buon: []string{"Krông Búk", "Kmu", "Ea Mta", "Drai", "Puăn", "Kbuôr", "Ea Kmăng", "Cư Bông"}, noChap: 1,
		north: 0.05, ede: 0.30, thcs: "Nguyễn Chí Thanh", quota: 10, plan: 11},
	{name: "Tân Tiến", thon: 9, buon: []string{"Ea Tơ", "Ea Khăl"}, north: 0.03, ede: 0.05,
		thcs: "Ngô Quyền", quota: 10, plan: 11, admitted: 2},
	{name: "Vụ Bổn", thon: 12, buon: []string{"Ea Lang", "Ea Rớt", "Hoang"}, north: 0.45, ede: 0.05,
		thcs: "Nguyễn Trãi", tieuhoc: "Hoàng Văn Thụ", quota: 14, plan: 15},
}

// shortCommune is the commune whose chapters' allocations fall 2 short of
// its own quota and plan, so that the target sheet shows the gap.
const shortCommune = "Ea Kuăng"

// agencySpec is a district agency chapter directly under the district.
type agencySpec struct {
	code, name, workplace string
	sector                domain.Sector
	size                  int
	quota, plan, admitted int
	from                  time.Time
}

var since1990 = domain.Day(1990, 1, 1)

// agencies are the district agencies' grassroots chapters. The quotas of
// Ban Dân vận and Quỹ đất (1 each, 1 admitted) are the article's 100 %.
var agencies = []agencySpec{
	{"vanphonghu", "Chi bộ Văn phòng Huyện ủy", "Văn phòng Huyện ủy Krông Pắc", "agency", 14, 1, 1, 0, since1990},
	{"bantochuc", "Chi bộ Ban Tổ chức Huyện ủy", "Ban Tổ chức Huyện ủy Krông Pắc", "agency", 8, 0, 0, 0, since1990},
	{"ubkt", "Chi bộ Ủy ban Kiểm tra Huyện ủy", "Ủy ban Kiểm tra Huyện ủy Krông Pắc", "agency", 7, 0, 0, 0, since1990},
	{"bantuyengiao", "Chi bộ Ban Tuyên giáo Huyện ủy", "Ban Tuyên giáo Huyện ủy Krông Pắc", "agency", 7, 0, 1, 0, since1990},
	{"bandanvan", "Chi bộ Ban Dân vận Huyện ủy", "Ban Dân vận Huyện ủy Krông Pắc", "agency", 6, 1, 1, 1, since1990},
	{"ttchinhtri", "Chi bộ Trung tâm Chính trị huyện", "Trung tâm Chính trị huyện Krông Pắc", "public_service", 6, 0, 0, 0, since1990},
	{"vanphongubnd", "Chi bộ Văn phòng HĐND và UBND huyện", "Văn phòng HĐND và UBND huyện Krông Pắc", "agency", 22, 2, 2, 1, since1990},
	{"phonggddt", "Chi bộ Phòng Giáo dục và Đào tạo", "Phòng Giáo dục và Đào tạo huyện Krông Pắc", "agency", 11, 1, 1, 0, since1990},
	{"taichinh", "Chi bộ Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch huyện Krông Pắc", "agency", 9, 0, 1, 0, since1990},
	{"nongnghiep", "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Nông nghiệp và PTNT huyện Krông Pắc", "agency", 10, 1, 1, 0, since1990},
	{"tainguyen", "Chi bộ Phòng Tài nguyên và Môi trường", "Phòng Tài nguyên và Môi trường huyện Krông Pắc", "agency", 9, 1, 1, 0, since1990},
	{"laodong", "Chi bộ Phòng Lao động - Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội huyện Krông Pắc", "agency", 8, 0, 1, 0, since1990},
	{"noivu", "Chi bộ Phòng Nội vụ", "Phòng Nội vụ huyện Krông Pắc", "agency", 7, 0, 0, 0, since1990},
	{"kinhte", "Chi bộ Phòng Kinh tế và Hạ tầng", "Phòng Kinh tế và Hạ tầng huyện Krông Pắc", "agency", 9, 1, 1, 0, since1990},
	{"vanhoa", "Chi bộ Phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin huyện Krông Pắc", "agency", 6, 0, 0, 0, since1990},
	{"thanhtra", "Chi bộ Thanh tra huyện", "Thanh tra huyện Krông Pắc", "agency", 7, 0, 0, 0, since1990},
	{"mattran", "Chi bộ Khối Mặt trận - Đoàn thể huyện", "Ủy ban MTTQ Việt Nam huyện Krông Pắc", "agency", 18, 2, 2, 0, since1990},
	{"ttyte", "Chi bộ Trung tâm Y tế huyện", "Trung tâm Y tế huyện Krông Pắc", "public_service", 25, 2, 3, 1, since1990},
	{"nhcsxh", "Chi bộ Ngân hàng Chính sách xã hội huyện", "Phòng giao dịch Ngân hàng Chính sách xã hội huyện Krông Pắc", "agency", 9, 1, 1, 0, since1990},
	{"agribank", "Chi bộ Ngân hàng Nông nghiệp và PTNT chi nhánh Krông Pắc", "Agribank chi nhánh huyện Krông Pắc", "enterprise", 16, 2, 2, 1, since1990},
	{"quydat", "Chi bộ Trung tâm Phát triển quỹ đất huyện", "Trung tâm Phát triển quỹ đất huyện Krông Pắc", "public_service", 5, 1, 1, 1, domain.Day(2016, 1, 1)},
	{"ttvhtt", "Chi bộ Trung tâm Văn hóa - Thông tin và Thể thao huyện", "Trung tâm Văn hóa - Thông tin và Thể thao huyện Krông Pắc", "public_service", 12, 1, 1, 0, since1990},
	{"bqlda", "Chi bộ Ban Quản lý dự án đầu tư xây dựng huyện", "Ban Quản lý dự án đầu tư xây dựng huyện Krông Pắc", "public_service", 8, 0, 1, 0, domain.Day(2017, 3, 1)},
	{"ttdvnn", "Chi bộ Trung tâm Dịch vụ nông nghiệp huyện", "Trung tâm Dịch vụ nông nghiệp huyện Krông Pắc", "public_service", 7, 1, 1, 0, since1990},
	{"chicucthue", "Chi bộ Chi cục Thuế khu vực Krông Pắc - Ea Kar", "Chi cục Thuế khu vực Krông Pắc - Ea Kar", "agency", 21, 1, 1, 0, since1990},
	{"khobac", "Chi bộ Kho bạc Nhà nước huyện", "Kho bạc Nhà nước huyện Krông Pắc", "agency", 9, 0, 0, 0, since1990},
	{"bhxh", "Chi bộ Bảo hiểm xã hội huyện", "Bảo hiểm xã hội huyện Krông Pắc", "agency", 10, 1, 1, 0, since1990},
	{"vienkiemsat", "Chi bộ Viện Kiểm sát nhân dân huyện", "Viện Kiểm sát nhân dân huyện Krông Pắc", "agency", 11, 0, 1, 0, since1990},
	{"toaan", "Chi bộ Tòa án nhân dân huyện", "Tòa án nhân dân huyện Krông Pắc", "agency", 12, 0, 1, 0, since1990},
	{"thihanhan", "Chi bộ Chi cục Thi hành án dân sự huyện", "Chi cục Thi hành án dân sự huyện Krông Pắc", "agency", 9, 0, 0, 0, since1990},
	{"hatkiemlam", "Chi bộ Hạt Kiểm lâm huyện", "Hạt Kiểm lâm huyện Krông Pắc", "agency", 8, 0, 0, 0, since1990},
	{"gdnn", "Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện", "Trung tâm GDNN-GDTX huyện Krông Pắc", "school", 10, 1, 1, 0, domain.Day(2018, 8, 1)},
	{"caphe", "Chi bộ Công ty Cổ phần Nông sản Krông Pắc", "Công ty Cổ phần Nông sản Krông Pắc", "enterprise", 12, 2, 2, 0, domain.Day(2006, 5, 1)},
	{"capnuoc", "Chi bộ Công ty TNHH Cấp nước Phước An", "Công ty TNHH Cấp nước Phước An", "enterprise", 7, 1, 1, 0, domain.Day(2010, 9, 1)},
}

// merged is the unit closed before 2024: the district radio station merged
// into the culture centre on 1 July 2023.
var merged = struct {
	code, name, workplace, into string
	from, to                    time.Time
	size                        int
}{"daitruyenthanh", "Chi bộ Đài Truyền thanh - Truyền hình huyện", "Đài Truyền thanh - Truyền hình huyện Krông Pắc",
	"ttvhtt", since1990, domain.Day(2023, 7, 1), 6}

// schoolSpec is a high school and its chapter.
type schoolSpec struct {
	code, name string
	commune    string
	size       int
	students   [2]int // school years 2022 and 2023
	quota      int
	plan       int
	admitted   int
}

// schools are the district's high schools. Lê Hồng Phong (quota 3,
// 7 admitted) is the article's 233 %.
var schools = []schoolSpec{
	{"lehongphong", "Lê Hồng Phong", "Ea Yông", 22, [2]int{1180, 1236}, 3, 3, 7},
	{"nguyenbinhkhiem", "Nguyễn Bỉnh Khiêm", "Phước An", 26, [2]int{1548, 1582}, 2, 3, 1},
	{"phandangluu", "Phan Đăng Lưu", "Ea Phê", 21, [2]int{1302, 1288}, 2, 2, 0},
	{"nguyencongtru", "Nguyễn Công Trứ", "Ea Kly", 18, [2]int{1075, 1103}, 2, 2, 0},
	{"tranquoctoan", "Trần Quốc Toản", "Vụ Bổn", 16, [2]int{921, 968}, 2, 2, 0},
}

// armedSpec is an armed-forces committee with its chapters.
type armedSpec struct {
	code, name, workplace string
	chapters              []string
	quota, plan, admitted int
}

var armed = []armedSpec{
	{"quansu", "Đảng bộ Quân sự huyện", "Ban Chỉ huy Quân sự huyện Krông Pắc",
		[]string{"Chi bộ Chỉ huy", "Chi bộ Cơ quan Tham mưu", "Chi bộ Chính trị - Hậu cần"}, 6, 7, 2},
	{"congan", "Đảng bộ Công an huyện", "Công an huyện Krông Pắc",
		[]string{"Chi bộ Đội Tham mưu - Tổng hợp", "Chi bộ Đội An ninh", "Chi bộ Đội Cảnh sát hình sự",
			"Chi bộ Đội Cảnh sát giao thông - Trật tự", "Chi bộ Đội Cảnh sát quản lý hành chính"}, 8, 9, 3},
}

// province is the provincial committee above the district: Đắk Lắk, which
// the district belonged to before 2025 and which took over from it when
// the district level was abolished on 1 July 2025 (reorg.go). The demo
// holds only the former Krông Pắc part of the province: the province has no
// targets of its own in the demo (its real quota covers every district).
var province = struct{ code, name string }{"daklak", "Đảng bộ tỉnh Đắk Lắk"}

// slug turns a Vietnamese name into the ASCII part of a code.
func slug(name string) string {
	var b strings.Builder
	for _, r := range vn.Fold(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// newOrg returns an organization plan with no parent, successor, commune
// or unit yet.
func newOrg(code, name string, kind domain.OrgKind, sector domain.Sector, parent int, r role) orgPlan {
	return orgPlan{code: code, name: name, kind: kind, sector: sector, parent: parent, from: since1990,
		successor: -1, role: r, commune: -1, unit: -1}
}

// addOrg appends o, inheriting its parent's commune, and returns its index.
func (p *plan) addOrg(o orgPlan) int {
	if o.commune < 0 && o.parent >= 0 {
		o.commune = p.orgs[o.parent].commune
	}
	p.orgs = append(p.orgs, o)
	return len(p.orgs) - 1
}

// buildTree fills p.orgs, p.units and p.schools.
func (p *plan) buildTree() {
	root := p.addOrg(newOrg("krongpac", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, "commune", -1, roleRoot))
	communeIdx := map[string]int{}
	for _, c := range communes {
		communeIdx[c.name] = p.buildCommune(root, c)
	}
	for _, a := range agencies {
		o := newOrg("krongpac-"+a.code, a.name, domain.KindGrassChapter, a.sector, root, roleAgency)
		if a.sector == "enterprise" && a.code != "agribank" {
			o.role = roleEnterprise
		}
		o.from, o.workplace, o.size = a.from, a.workplace, a.size
		o.minority = mix{ede: 0.10, jrai: 0.01, north: 0.04}
		i := p.addOrg(o)
		p.setTargets(i, a.quota, a.plan, a.admitted)
		if a.code == merged.into {
			m := newOrg("krongpac-"+merged.code, merged.name, domain.KindGrassChapter, "public_service", root, roleAgency)
			to := merged.to
			m.from, m.to, m.successor, m.workplace = merged.from, &to, i, merged.workplace
			m.minority = mix{ede: 0.10, north: 0.04}
			p.merged = p.addOrg(m)
		}
	}
	for _, s := range schools {
		o := newOrg("krongpac-thpt-"+s.code, "Chi bộ Trường THPT "+s.name, domain.KindGrassChapter, "school", root, roleSchool)
		o.workplace, o.size, o.commune = "Trường THPT "+s.name, s.size, communeIdx[s.commune]
		o.minority = mix{ede: 0.12, jrai: 0.01, north: 0.05}
		i := p.addOrg(o)
		p.setTargets(i, s.quota, s.plan, s.admitted)
		p.schools = append(p.schools, schoolPlan{code: "thpt-" + s.code, name: "Trường THPT " + s.name, org: i,
			commune: communeIdx[s.commune], students: map[int]int{2022: s.students[0], 2023: s.students[1]}})
	}
	for _, a := range armed {
		c := newOrg("krongpac-"+a.code, a.name, domain.KindGrassroots, "armed_forces", root, roleCommittee)
		c.grassroots = true
		ci := p.addOrg(c)
		p.setTargets(ci, a.quota, a.plan, a.admitted)
		for _, name := range a.chapters {
			code := fmt.Sprintf("krongpac-%s-%s", a.code, slug(strings.TrimPrefix(name, "Chi bộ ")))
			o := newOrg(code, name, domain.KindChapter, "armed_forces", ci, roleArmed)
			o.workplace, o.size = a.workplace, 14+p.rng.IntN(12)
			o.minority = mix{ede: 0.10, jrai: 0.02, north: 0.05}
			p.addOrg(o)
		}
	}
}

// buildCommune adds a commune (or the town) with its chapters and villages
// and returns its index.
func (p *plan) buildCommune(root int, c communeSpec) int {
	label := "xã " + c.name
	if c.town {
		label = "thị trấn " + c.name
	}
	code := "krongpac-" + slug(c.name)
	co := newOrg(code, "Đảng bộ "+label, domain.KindGrassroots, "commune", root, roleCommittee)
	co.grassroots = true
	ci := p.addOrg(co)
	p.orgs[ci].commune = ci
	p.setTargets(ci, c.quota, c.plan, c.admitted)
	p.communeOf[c.name] = ci
	p.buildVillages(ci, code, c)
	p.buildCommuneAgencies(ci, code, label, c)
	return ci
}

// village is a residential unit of a commune spec: its name, kind and the
// last part of its code.
type village struct{ name, kind, code string }

// villages lists the commune's residential units: numbered or named thôn
// (tổ dân phố in the town), then buôn.
func villages(c communeSpec) []village {
	var units []village
	switch {
	case c.town:
		for i := 1; i <= c.thon; i++ {
			units = append(units, village{fmt.Sprintf("Tổ dân phố %d", i), "to_dan_pho", fmt.Sprintf("tdp%d", i)})
		}
	case len(c.named) > 0:
		for _, n := range c.named {
			units = append(units, village{"Thôn " + n, "thon", "thon-" + slug(n)})
		}
	default:
		for i := 1; i <= c.thon; i++ {
			units = append(units, village{fmt.Sprintf("Thôn %d", i), "thon", fmt.Sprintf("thon%d", i)})
		}
	}
	for _, b := range c.buon {
		units = append(units, village{"Buôn " + b, "buon", "buon-" + slug(b)})
	}
	return units
}

// buildVillages adds the residential units of commune ci (code: its org
// code) and their chapters, but none for the last c.noChap buôn.
func (p *plan) buildVillages(ci int, code string, c communeSpec) {
	units := villages(c)
	for i, u := range units {
		ucode := code + "-" + u.code
		p.units = append(p.units, unitPlan{code: ucode, name: u.name, kind: u.kind, commune: ci, chapter: -1})
		ui := len(p.units) - 1
		if u.kind == "buon" && i >= len(units)-c.noChap {
			continue // a weak village: no chapter, no member
		}
		o := newOrg(ucode, "Chi bộ "+lowerFirst(u.name), domain.KindChapter, "commune", ci, roleThon)
		o.unit, o.minority = ui, mix{ede: c.ede, north: c.north, jrai: 0.01}
		switch u.kind {
		case "buon":
			o.role, o.size, o.minority = roleBuon, 15+p.rng.IntN(18), mix{ede: 0.90, jrai: 0.03, north: 0.01}
		case "to_dan_pho":
			o.role, o.size = roleTDP, 18+p.rng.IntN(24)
		default:
			o.size = 16 + p.rng.IntN(26)
		}
		p.units[ui].chapter = p.addOrg(o)
	}
}

// buildCommuneAgencies adds the chapters of the commune's own agencies:
// the Party and mass organisations, the people's committee, the police,
// the militia, the schools and, in the town and half the communes, the
// health station.
func (p *plan) buildCommuneAgencies(ci int, code, label string, c communeSpec) {
	agencyMix := mix{ede: max(c.ede, 0.10), jrai: 0.01, north: max(c.north/2, 0.03)}
	type ag struct{ code, name string }
	list := []ag{
		{"coquan", "Chi bộ Cơ quan Đảng - Đoàn thể " + label},
		{"chinhquyen", "Chi bộ Cơ quan chính quyền " + label},
		{"congan", "Chi bộ Công an " + label},
		{"quansu", "Chi bộ Quân sự " + label},
		{"thcs", "Chi bộ Trường THCS " + c.thcs},
	}
	if c.tieuhoc != "" {
		list = append(list, ag{"tieuhoc", "Chi bộ Trường Tiểu học " + c.tieuhoc})
	}
	if p.rng.IntN(2) == 0 || c.town {
		list = append(list, ag{"tramyte", "Chi bộ Trạm Y tế " + label})
	}
	for _, a := range list {
		o := newOrg(code+"-"+a.code, a.name, domain.KindChapter, "agency", ci, roleCommuneAgency)
		o.minority = agencyMix
		o.workplace = strings.TrimPrefix(a.name, "Chi bộ ")
		switch a.code {
		case "coquan":
			o.size, o.workplace = 12+p.rng.IntN(12), "Cơ quan Đảng ủy "+label
		case "chinhquyen":
			o.size, o.workplace = 12+p.rng.IntN(12), "Ủy ban nhân dân "+label
		case "congan":
			o.size, o.sector = 6+p.rng.IntN(7), "armed_forces"
		case "quansu":
			o.size, o.sector, o.workplace = 5+p.rng.IntN(5), "armed_forces", "Ban Chỉ huy Quân sự "+label
		case "thcs", "tieuhoc":
			o.size, o.sector = 7+p.rng.IntN(10), "school"
		default:
			o.size, o.sector = 4+p.rng.IntN(5), "public_service"
		}
		p.addOrg(o)
	}
}

// lowerFirst lower-cases the first letter: "Thôn 3" → "thôn 3".
func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = []rune(strings.ToLower(string(r[0])))[0]
	return string(r)
}
