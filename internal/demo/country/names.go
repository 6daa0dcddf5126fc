package country

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// province is one of the 34 province-level units after the merger of
// 1 July 2025 (Resolution 202/2025/QH15), with the number of its
// commune-level units (xã, phường, đặc khu) rounded from the published
// figures; the country has 3,321 of them.
type province struct {
	name     string // without "tỉnh"/"thành phố"
	city     bool   // a centrally governed city (thành phố)
	communes int
	highland bool // Central Highlands: villages are often buôn, plây, bon
}

var provinces = []province{
	{"Hà Nội", true, 126, false}, {"Huế", true, 40, false}, {"Lai Châu", false, 38, false},
	{"Điện Biên", false, 45, false}, {"Sơn La", false, 75, false}, {"Lạng Sơn", false, 65, false},
	{"Quảng Ninh", false, 54, false}, {"Thanh Hóa", false, 166, false}, {"Nghệ An", false, 130, false},
	{"Hà Tĩnh", false, 69, false}, {"Cao Bằng", false, 56, false}, {"Tuyên Quang", false, 124, false},
	{"Lào Cai", false, 99, false}, {"Thái Nguyên", false, 92, false}, {"Phú Thọ", false, 148, false},
	{"Bắc Ninh", false, 99, false}, {"Hưng Yên", false, 104, false}, {"Hải Phòng", true, 114, false},
	{"Ninh Bình", false, 129, false}, {"Quảng Trị", false, 78, false}, {"Đà Nẵng", true, 94, false},
	{"Quảng Ngãi", false, 96, false}, {"Gia Lai", false, 135, true}, {"Khánh Hòa", false, 65, false},
	{"Lâm Đồng", false, 124, true}, {"Đắk Lắk", false, 102, true}, {"Hồ Chí Minh", true, 168, false},
	{"Đồng Nai", false, 95, false}, {"Tây Ninh", false, 96, false}, {"Cần Thơ", true, 103, false},
	{"Vĩnh Long", false, 124, false}, {"Đồng Tháp", false, 102, false}, {"Cà Mau", false, 64, false},
	{"An Giang", false, 102, false},
}

// title is the province's name with its level: "tỉnh Nghệ An", "thành phố Huế".
func (p province) title() string {
	if p.city {
		return "thành phố " + p.name
	}
	return "tỉnh " + p.name
}

// code is the province's organization code: its folded name, hyphenated.
func (p province) code() string {
	return strings.ReplaceAll(vn.Fold(p.name), " ", "-")
}

// Syllables of commune names: two of them make a name ("Hòa Phú"). The
// names are invented combinations; some exist somewhere, as they would.
var (
	placeFirst = []string{"Hòa", "Tân", "Phú", "An", "Bình", "Long", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Xuân",
		"Thuận", "Vĩnh", "Phước", "Quang", "Hưng", "Minh", "Đức", "Trung", "Hồng", "Kim", "Thanh", "Mỹ"}
	placeSecond = []string{"Phú", "Lợi", "Thành", "Hiệp", "Mỹ", "Hòa", "Sơn", "Lâm", "An", "Khánh", "Thịnh", "Phong",
		"Tiến", "Lộc", "Điền", "Hải", "Giang", "Xuyên", "Định", "Tân", "Bình", "Yên", "Quý", "Châu"}
	highlandVillages = []string{"Ea Kly", "Cư Né", "Ea Sar", "Buôn Tría", "Ea Ktur", "Krông Jing", "Đăk Rơ Wa",
		"Ia Kênh", "Plei Ốp", "Bon Bu Prăng", "Đắk Nia", "Ea Tân", "Cư Pơng", "Ea Bông", "Ia Pết"}
)

// placeNames returns n distinct two-syllable place names, in an order drawn by rng.
func placeNames(rng *rand.Rand, n int) []string {
	var all []string
	for _, a := range placeFirst {
		for _, b := range placeSecond {
			if a != b {
				all = append(all, a+" "+b)
			}
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	out := make([]string, n)
	for i := range n {
		out[i] = all[i%len(all)]
		if i >= len(all) {
			out[i] += fmt.Sprintf(" %d", i/len(all)+1)
		}
	}
	return out
}

// People's names: family names with their share, middle and given names by sex.
var (
	familyNames = []struct {
		name  string
		share int // per thousand
	}{
		{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 50}, {"Huỳnh", 40}, {"Phan", 40},
		{"Vũ", 35}, {"Võ", 30}, {"Đặng", 25}, {"Bùi", 25}, {"Đỗ", 22}, {"Hồ", 18}, {"Ngô", 15}, {"Dương", 12},
		{"Lý", 8}, {"Đinh", 10}, {"Lương", 5},
	}
	middleMale   = []string{"Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Đình", "Ngọc"}
	middleFemale = []string{"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương"}
	givenMale    = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phong", "Quân", "Sơn",
		"Tài", "Thắng", "Tuấn", "Việt", "Hiếu", "Trung", "Đạt", "Lâm", "Khánh", "Phúc", "Toàn", "Vinh", "Huy", "Lộc"}
	givenFemale = []string{"Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc",
		"Nhung", "Phương", "Thảo", "Trang", "Uyên", "Vân", "Yến", "Xuân", "Hằng", "Thủy", "Loan", "My", "Quyên", "Huệ"}
)

// personName draws a full name for the sex.
func personName(rng *rand.Rand, sex string) string {
	u := rng.IntN(1000)
	family := familyNames[0].name
	for _, f := range familyNames {
		if u < f.share {
			family = f.name
			break
		}
		u -= f.share
	}
	if sex == domain.Female {
		return family + " " + middleFemale[rng.IntN(len(middleFemale))] + " " + givenFemale[rng.IntN(len(givenFemale))]
	}
	return family + " " + middleMale[rng.IntN(len(middleMale))] + " " + givenMale[rng.IntN(len(givenMale))]
}

// Names of the units inside a commune and of the provincial committees.
var (
	communeAgencies = []string{"Cơ quan Đảng – Mặt trận Tổ quốc và các đoàn thể", "Ủy ban nhân dân", "Công an",
		"Ban Chỉ huy Quân sự", "Trạm Y tế", "Hội đồng nhân dân"}
	partyDepartments = []string{"Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
		"Ủy ban Kiểm tra Tỉnh ủy", "Ban Nội chính Tỉnh ủy", "Báo và Phát thanh, Truyền hình", "Trường Chính trị",
		"Ủy ban Mặt trận Tổ quốc", "Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Tỉnh đoàn", "Liên đoàn Lao động",
		"Hội Cựu chiến binh", "Đảng ủy các cơ quan Đảng (văn phòng)"}
	stateDepartments = []string{"Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng",
		"Sở Nông nghiệp và Môi trường", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Khoa học và Công nghệ",
		"Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân", "Bệnh viện Đa khoa",
		"Bệnh viện Y học cổ truyền", "Trường Cao đẳng Kỹ thuật", "Đài Khí tượng Thủy văn", "Kho bạc Nhà nước khu vực",
		"Ban Quản lý dự án đầu tư xây dựng", "Trung tâm Kiểm soát bệnh tật", "Quỹ Đầu tư phát triển"}
	enterpriseNames = []string{"Công ty TNHH MTV Cấp thoát nước", "Công ty Cổ phần Môi trường Đô thị",
		"Công ty TNHH MTV Khai thác công trình thủy lợi", "Công ty Cổ phần Xổ số kiến thiết", "Công ty Điện lực",
		"Công ty Cổ phần Cao su", "Công ty Cổ phần Vận tải", "Công ty TNHH MTV Lâm nghiệp"}
	enterpriseUnits = []string{"Văn phòng công ty", "Xí nghiệp số 1", "Xí nghiệp số 2", "Phân xưởng sản xuất",
		"Đội thi công", "Chi nhánh", "Phòng Kỹ thuật", "Xí nghiệp số 3", "Nhà máy", "Đội vận hành"}
	privateFirms = []string{"Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã"}
)
