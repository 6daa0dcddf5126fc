package vn

import (
	"fmt"
	"testing"
)

func TestEthnicitiesList(t *testing.T) {
	list := Ethnicities()
	if len(list) != 54 {
		t.Fatalf("%d ethnic groups, want 54", len(list))
	}
	names := map[string]bool{}
	for i, e := range list {
		if want := fmt.Sprintf("%02d", i+1); e.Code != want {
			t.Errorf("entry %d has code %q, want %q", i, e.Code, want)
		}
		if e.Name == "" || Clean(e.Name) != e.Name {
			t.Errorf("%s: name %q is not clean NFC text", e.Code, e.Name)
		}
		if names[e.Name] {
			t.Errorf("%s: duplicate name %q", e.Code, e.Name)
		}
		names[e.Name] = true
	}
	spot := map[string]string{
		"01": "Kinh", "04": "Hoa", "05": "Khơ-me", "06": "Mường", "08": "HMông", "11": "Ngái",
		"12": "Ê-đê", "17": "Chăm", "23": "Bru-Vân Kiều", "27": "Gié-Triêng", "46": "Pà Thẻn",
		"53": "Ơ Đu", "54": "Rơ-măm",
	}
	for code, name := range spot {
		if e, ok := EthnicityByCode(code); !ok || e.Name != name {
			t.Errorf("EthnicityByCode(%q) = %v, %v; want %q", code, e, ok, name)
		}
	}
	list[0].Name = "changed"
	if Ethnicities()[0].Name != "Kinh" {
		t.Error("Ethnicities returned the package's own slice")
	}
}

func TestFindEthnicity(t *testing.T) {
	tests := []struct{ in, code string }{
		{"Ê Đê", "12"}, {"ede", "12"}, {"Ê-đê", "12"}, {"ÊĐÊ", "12"}, {"e de", "12"},
		{"Rhade", "12"}, {"12", "12"}, {" 12 ", "12"}, {"Dân tộc Ê Đê", "12"},
		{"Kinh", "01"}, {"kinh", "01"}, {"Việt", "01"}, {"1", "01"}, {"01", "01"}, {"Kinh (Việt)", "01"},
		{"H'Mông", "08"}, {"Mông", "08"}, {"hmong", "08"}, {"HMông (Mèo)", "08"},
		{"Bru Vân Kiều", "23"}, {"bru-van kieu", "23"}, {"Vân Kiều", "23"},
		{"Cờ Lao", "47"}, {"co lao", "47"}, {"Co", "30"}, {"Cống", "48"},
		{"Khmer", "05"}, {"Khơ Me", "05"}, {"Xơ Đăng", "14"}, {"xo-dang", "14"},
		{"Chàm", "17"}, {"Chăm", "17"}, {"M'Nông", "20"}, {"X'Tiêng", "22"}, {"Stiêng", "22"},
		{"Giẻ Triêng", "27"}, {"Ta Ôi", "31"}, {"Tà Ôi", "31"}, {"La Chí", "38"}, {"La Ha", "39"},
		{"Lào", "37"}, {"Lô Lô", "43"}, {"Lự", "42"}, {"Mạ", "28"}, {"Mảng", "45"},
		{"Ơ-đu", "53"}, {"Rơ Măm", "54"}, {"Dao", "09"}, {"Hoa", "04"}, {"Hán", "04"},
	}
	for _, tt := range tests {
		e, ok := FindEthnicity(tt.in)
		if !ok || e.Code != tt.code {
			t.Errorf("FindEthnicity(%q) = %v, %v; want code %s", tt.in, e, ok, tt.code)
		}
	}
	for _, in := range []string{"", "  ", "Klingon", "55", "00", "123", "Dân tộc", "-"} {
		if e, ok := FindEthnicity(in); ok {
			t.Errorf("FindEthnicity(%q) = %v, want not found", in, e)
		}
	}
}

func TestFindEthnicityEveryEntry(t *testing.T) {
	for _, e := range Ethnicities() {
		for _, in := range []string{e.Name, e.Code, Fold(e.Name), "Dân tộc " + e.Name} {
			if got, ok := FindEthnicity(in); !ok || got != e {
				t.Errorf("FindEthnicity(%q) = %v, %v; want %v", in, got, ok, e)
			}
		}
	}
}

func TestIsMinority(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"01", false}, {"1", false}, {"02", true}, {"12", true}, {"54", true},
		{"55", false}, {"00", false}, {"", false}, {"Kinh", false},
	}
	for _, tt := range tests {
		if got := IsMinority(tt.code); got != tt.want {
			t.Errorf("IsMinority(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
