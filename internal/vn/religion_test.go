package vn

import "testing"

func TestReligionsList(t *testing.T) {
	list := Religions()
	if len(list) != 18 {
		t.Fatalf("%d entries, want 18 (none, 16 recognised religions, other)", len(list))
	}
	if list[0] != (Religion{ReligionNone, "Không"}) {
		t.Errorf("first entry = %v, want none/Không", list[0])
	}
	if list[len(list)-1].Code != ReligionOther {
		t.Errorf("last entry = %v, want other", list[len(list)-1])
	}
	codes, names := map[string]bool{}, map[string]bool{}
	for _, r := range list {
		if r.Code == "" || codes[r.Code] || names[r.Name] {
			t.Errorf("empty or duplicate entry %v", r)
		}
		if Clean(r.Name) != r.Name {
			t.Errorf("%s: name %q is not clean NFC text", r.Code, r.Name)
		}
		codes[r.Code], names[r.Name] = true, true
		if got, ok := ReligionByCode(r.Code); !ok || got != r {
			t.Errorf("ReligionByCode(%q) = %v, %v", r.Code, got, ok)
		}
		for _, in := range []string{r.Code, r.Name, Fold(r.Name)} {
			if got, ok := FindReligion(in); !ok || got != r {
				t.Errorf("FindReligion(%q) = %v, %v; want %v", in, got, ok, r)
			}
		}
	}
	list[1].Name = "changed"
	if Religions()[1].Name != "Phật giáo" {
		t.Error("Religions returned the package's own slice")
	}
}

func TestFindReligion(t *testing.T) {
	tests := []struct{ in, code string }{
		{"Không", "none"}, {"không có", "none"}, {"khong", "none"},
		{"Phật giáo", "buddhism"}, {"Đạo Phật", "buddhism"}, {"phat giao", "buddhism"},
		{"Công giáo", "catholicism"}, {"Thiên Chúa giáo", "catholicism"},
		{"Tin Lành", "protestantism"}, {"Đạo Tin Lành", "protestantism"}, {"tin lanh", "protestantism"},
		{"Cao Đài", "caodaism"}, {"Đạo Cao Đài", "caodaism"}, {"cao dai", "caodaism"},
		{"Hòa Hảo", "hoahao"}, {"Phật giáo Hòa Hảo", "hoahao"}, {"Hoà Hảo", "hoahao"},
		{"Hồi giáo", "islam"}, {"Islam", "islam"},
		{"Baha'i", "bahai"}, {"Bahá'í", "bahai"}, {"bahai", "bahai"},
		{"Tịnh độ Cư sĩ Phật hội", "tinhdocusi"},
		{"Bửu Sơn Kỳ Hương", "buusonkyhuong"}, {"Tứ Ân Hiếu Nghĩa", "tuanhieunghia"},
		{"Hiếu Nghĩa Tà Lơn", "hieunghiatalon"}, {"Minh Sư đạo", "minhsudao"},
		{"Minh Lý đạo", "minhlydao"}, {"Bà La Môn", "brahmanism"}, {"Bà-la-môn", "brahmanism"},
		{"Cơ Đốc Phục Lâm", "adventist"}, {"Mặc Môn", "mormon"}, {"Khác", "other"},
	}
	for _, tt := range tests {
		if r, ok := FindReligion(tt.in); !ok || r.Code != tt.code {
			t.Errorf("FindReligion(%q) = %v, %v; want %s", tt.in, r, ok, tt.code)
		}
	}
	for _, in := range []string{"", "Thần đạo", "Jedi", "đạo"} {
		if r, ok := FindReligion(in); ok {
			t.Errorf("FindReligion(%q) = %v, want not found", in, r)
		}
	}
}
