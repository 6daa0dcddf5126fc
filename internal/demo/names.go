package demo

import (
	"math/rand/v2"

	"ketnap/internal/vn"
)

// Names. Every person of the demo is invented: a family name, middle names
// and a given name, each common in its community, are combined by the
// seeded generator. A name that happens to be that of a real public figure
// (the officials of the article, national leaders, historical figures
// whose names schools bear) is drawn again.

// Ethnic group codes used by the demo (vn.Ethnicities).
const (
	ethKinh  = vn.KinhCode
	ethTay   = "02"
	ethThai  = "03"
	ethMuong = "06"
	ethNung  = "07"
	ethHmong = "08"
	ethDao   = "09"
	ethJrai  = "10"
	ethEde   = "12"
)

// weighted is a list of choices with weights.
type weighted struct {
	items   []string
	weights []int
	total   int
}

func newWeighted(pairs ...any) *weighted {
	w := &weighted{}
	for i := 0; i < len(pairs); i += 2 {
		w.items = append(w.items, pairs[i].(string))
		w.weights = append(w.weights, pairs[i+1].(int))
		w.total += pairs[i+1].(int)
	}
	return w
}

func (w *weighted) pick(r *rand.Rand) string {
	n := r.IntN(w.total)
	for i, x := range w.weights {
		if n < x {
			return w.items[i]
		}
		n -= x
	}
	return w.items[len(w.items)-1]
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

var (
	kinhFamily = newWeighted("Nguyễn", 360, "Trần", 110, "Lê", 95, "Phạm", 70, "Hoàng", 30, "Huỳnh", 25,
		"Phan", 45, "Vũ", 25, "Võ", 30, "Đặng", 21, "Bùi", 20, "Đỗ", 14, "Hồ", 13, "Ngô", 13, "Dương", 10,
		"Lý", 5, "Đinh", 8, "Trương", 8, "Mai", 5, "Cao", 4, "Lương", 4, "Tạ", 3, "Đoàn", 5, "Lưu", 3)
	kinhMiddleMale   = newWeighted("Văn", 50, "Đức", 10, "Minh", 10, "Quang", 7, "Hữu", 7, "Ngọc", 5, "Công", 5, "Xuân", 5, "Thanh", 6, "Đình", 6, "Trọng", 4, "Anh", 4, "Tấn", 3, "Duy", 3)
	kinhMiddleFemale = newWeighted("Thị", 70, "Ngọc", 6, "Thu", 5, "Thanh", 5, "Kim", 4, "Mỹ", 3, "Hồng", 4, "Bích", 3, "Minh", 3, "Phương", 3, "Thùy", 3, "Hoài", 2)
	kinhGivenMale    = []string{"Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Sơn", "Long", "Thắng", "Cường", "Bình", "Hòa",
		"Phong", "Quân", "Trung", "Tâm", "Lộc", "Phúc", "Tài", "Thành", "Đạt", "Khoa", "Hiếu", "Huy", "Khánh",
		"Lâm", "Nghĩa", "Tú", "Việt", "Hưng", "Toàn", "Kiên", "Thịnh", "Quý", "Hậu", "Sang", "Tín", "Trí",
		"Hoàng", "Phát", "Đông", "Vĩnh", "Thái", "Hoan", "Luân", "Chiến", "Tùng", "Quyết", "Lợi", "Hạnh", "Mạnh"}
	kinhGivenFemale = []string{"Hoa", "Lan", "Hương", "Mai", "Hằng", "Thảo", "Trang", "Linh", "Ngọc", "Nhung",
		"Phương", "Yến", "Hạnh", "Thủy", "Loan", "Dung", "Hiền", "Huyền", "Oanh", "Vân", "Xuân", "Tuyết",
		"Nhàn", "Thu", "Hà", "Quỳnh", "Chi", "Anh", "Diệp", "My", "Nhi", "Uyên", "Liên", "Thúy", "Lý", "Sương",
		"Hồng", "Giang", "Trinh", "Duyên", "Vy", "Tâm", "Ngân", "Thơm", "Lài", "Hòa"}

	edeFamily = newWeighted("Niê", 30, "Mlô", 14, "Êban", 12, "Ayun", 8, "Byă", 9, "Adrơng", 7, "Ktla", 6,
		"Knul", 7, "Kbuôr", 6, "Êya", 6, "Hwing", 4, "Ênuôl", 4, "Niê Kđăm", 5, "Buôn Yă", 3)
	edeGivenMale = []string{"Bhim", "Sương", "Thuột", "Blu", "Ju", "Nuen", "Phai", "Kô", "Tlang", "Wih", "Yơn",
		"Dhiêng", "Huy", "Joel", "Ben", "Rin", "Duin", "Jôn", "Mơ", "Krôm", "Hoan", "Prông", "Suôn", "Kuăn",
		"Bliêng", "Ni", "Tuyn", "Ku", "Hiăm", "Dlei", "Thông", "Lâm", "Sin", "Bun", "Lem"}
	edeGivenFemale = []string{"Mai", "Linh", "Ngơn", "Juel", "Nhi", "Bliê", "Dun", "Yên", "Hriêng", "Lan", "Ly",
		"Duyên", "Thu", "Ruth", "Kim", "Blin", "Niêr", "Wer", "Ngọc", "Hoa", "Rin", "Xuân", "Pơk", "Nhung",
		"Êlin", "Mlai", "Drim", "Juê", "Hương", "Lưn", "Bưm", "Yuôn", "Kliê", "Nga", "Mary"}

	jraiFamily = []string{"Ksor", "Rơ Mah", "Siu", "Nay", "Rahlan", "Kpă", "Puih", "Rơ Châm"}

	northFamily = map[string]*weighted{
		ethTay:   newWeighted("Hoàng", 5, "Nông", 5, "Bế", 3, "Ma", 2, "Lục", 2, "Hà", 2, "Lương", 2),
		ethNung:  newWeighted("Nông", 4, "Lăng", 3, "Hoàng", 3, "Vi", 2, "Chu", 2, "Lộc", 2, "Lý", 2),
		ethThai:  newWeighted("Lò", 4, "Lường", 3, "Quàng", 2, "Cầm", 2, "Vi", 2, "Hà", 2),
		ethMuong: newWeighted("Bùi", 5, "Đinh", 4, "Quách", 2, "Hà", 2, "Xa", 1),
		ethHmong: newWeighted("Giàng", 4, "Vàng", 4, "Sùng", 3, "Lý", 2, "Thào", 3, "Mua", 2, "Hầu", 1),
		ethDao:   newWeighted("Triệu", 5, "Bàn", 4, "Lý", 2, "Đặng", 2),
	}
	northGroups      = newWeighted(ethTay, 30, ethNung, 28, ethThai, 12, ethMuong, 12, ethHmong, 10, ethDao, 8)
	hmongMiddleMale  = []string{"A", "Seo", "Mí", "Văn"}
	hmongGivenMale   = []string{"Sử", "Pao", "Chứ", "Dình", "Páo", "Lử", "Tủa", "Chá", "Dế", "Sình", "Chớ", "Vư"}
	hmongGivenFemale = []string{"Mỷ", "Dợ", "Sua", "Chở", "Mai", "Pà", "Dua", "Dính", "Súa", "Mị"}
	daoGivenMale     = []string{"Lìn", "Sinh", "Quẩy", "Chòi", "Phin", "Kiềm", "Tòng", "Vần"}
	daoGivenFemale   = []string{"Mẩy", "Slì", "Nái", "Liếu", "Phấy", "Chàn", "Kiều"}
)

// blocked are real people's names in folded form: the officials and the
// journalist of the article, people named as examples in this program's
// own documentation, national and provincial leaders, and the historical
// figures whose names the demo's schools bear. No demo person may carry one.
var blocked = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range []string{
		// The article (seed/article.vi.txt).
		"Trần Hồng Tiến", "Trần Văn Tuyến", "Đinh Nga", "Đinh Thị Nga",
		// Examples in internal/vn.
		"H' Hen Niê", "H'Hen Niê", "Y Ngông Niê Kdăm", "Y Ngông Niê Kđăm",
		// National and Đắk Lắk leaders around 2024.
		"Nguyễn Phú Trọng", "Tô Lâm", "Phạm Minh Chính", "Võ Văn Thưởng", "Vương Đình Huệ", "Trần Thanh Mẫn",
		"Lương Cường", "Nguyễn Xuân Phúc", "Võ Thị Ánh Xuân", "Trương Thị Mai", "Nguyễn Tấn Dũng",
		"Trương Tấn Sang", "Nguyễn Minh Triết", "Trần Đức Lương", "Nông Đức Mạnh", "Nguyễn Đình Trung",
		"Phạm Ngọc Nghị", "Y Biêr Niê", "Y Vinh Tơr", "Y Thanh Hà Niê Kđăm", "Ksor Phước Hà", "H' Yim Kđoh",
		"Bùi Văn Cường", "Nguyễn Thị Kim Ngân", "Đỗ Mười", "Lê Khả Phiêu", "Phan Văn Khải", "Võ Văn Kiệt",
		// Historical figures (some named by the demo's schools).
		"Hồ Chí Minh", "Võ Nguyên Giáp", "Lê Duẩn", "Trường Chinh", "Phạm Văn Đồng", "Nguyễn Văn Linh",
		"Lê Hồng Phong", "Nguyễn Bỉnh Khiêm", "Phan Đăng Lưu", "Nguyễn Công Trứ", "Trần Quốc Toản",
		"Lê Quý Đôn", "Chu Văn An", "Ngô Gia Tự", "Nguyễn Du", "Phan Chu Trinh", "Lê Văn Tám", "Hùng Vương",
		"Trần Phú", "Lý Tự Trọng", "Kim Đồng", "Nguyễn Viết Xuân", "Cù Chính Lan", "Phan Bội Châu",
		"Võ Thị Sáu", "Nguyễn Trường Tộ", "Quang Trung", "Lê Lợi", "Nguyễn Chí Thanh", "Ngô Quyền",
		"Nguyễn Trãi", "Hoàng Văn Thụ", "Trần Hưng Đạo", "Lý Thường Kiệt", "Nguyễn Thị Minh Khai",
		"Nguyễn Văn Trỗi", "Nguyễn Thị Định", "Tôn Đức Thắng", "Nguyễn Huệ", "Ngô Thì Nhậm",
	} {
		m[vn.Fold(n)] = true
	}
	return m
}()

// isBlocked reports whether a full name is that of a real public figure.
func isBlocked(full string) bool { return blocked[vn.Fold(full)] }

// personName draws a name for a person of the ethnic group and sex.
func personName(r *rand.Rand, eth string, female bool) string {
	for {
		n := drawName(r, eth, female)
		if !isBlocked(n) {
			return n
		}
	}
}

func drawName(r *rand.Rand, eth string, female bool) string {
	switch eth {
	case ethEde:
		prefix, given := "Y", pick(r, edeGivenMale)
		if female {
			prefix, given = "H'", pick(r, edeGivenFemale)
		}
		return prefix + " " + given + " " + edeFamily.pick(r)
	case ethJrai:
		if female {
			return pick(r, jraiFamily) + " H' " + pick(r, edeGivenFemale)
		}
		return pick(r, jraiFamily) + " " + pick(r, edeGivenMale)
	case ethHmong:
		fam := northFamily[eth].pick(r)
		if female {
			return fam + " Thị " + pick(r, hmongGivenFemale)
		}
		return fam + " " + pick(r, hmongMiddleMale) + " " + pick(r, hmongGivenMale)
	case ethDao:
		fam := northFamily[eth].pick(r)
		if female {
			return fam + " Thị " + pick(r, daoGivenFemale)
		}
		return fam + " " + pick(r, []string{"Văn", "Tà", "Phúc"}) + " " + pick(r, daoGivenMale)
	}
	fam := kinhFamily.pick(r)
	if w, ok := northFamily[eth]; ok {
		fam = w.pick(r)
	}
	if female {
		mid := kinhMiddleFemale.pick(r)
		if eth != ethKinh {
			mid = "Thị"
		}
		return fam + " " + mid + " " + pick(r, kinhGivenFemale)
	}
	mid := kinhMiddleMale.pick(r)
	if eth != ethKinh {
		mid = "Văn"
	}
	return fam + " " + mid + " " + pick(r, kinhGivenMale)
}
