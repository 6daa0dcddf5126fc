package vn

import (
	"strings"
	"testing"
	"time"
)

func TestProvinceCodes(t *testing.T) {
	if len(provinceCodes) != 63 {
		t.Errorf("%d province codes, want 63", len(provinceCodes))
	}
	for code, name := range provinceCodes {
		if !isDigits(code, 3, 3) || code < "001" || code > "096" {
			t.Errorf("bad province code %q", code)
		}
		if name == "" || Clean(name) != name {
			t.Errorf("province %s has a bad name %q", code, name)
		}
	}
}

func TestValidCCCD(t *testing.T) {
	valid := []string{
		"066190000123",   // Đắk Lắk
		"001203012345",   // Hà Nội
		"096099999999",   // Cà Mau
		" 079301000001 ", // surrounding spaces are trimmed
		"077090123456",   // Bà Rịa - Vũng Tàu
	}
	for _, s := range valid {
		if err := ValidCCCD(s); err != nil {
			t.Errorf("ValidCCCD(%q) = %v, want nil", s, err)
		}
	}
	invalid := []struct{ in, msg string }{
		{"", "Số CCCD chưa được nhập"},
		{"   ", "Số CCCD chưa được nhập"},
		{"12345", "Số CCCD phải gồm đúng 12 chữ số"},
		{"06619000012", "Số CCCD phải gồm đúng 12 chữ số"},
		{"0661900001234", "Số CCCD phải gồm đúng 12 chữ số"},
		{"06619000012a", "Số CCCD phải gồm đúng 12 chữ số"},
		{"066 190 000 123", "Số CCCD phải gồm đúng 12 chữ số"},
		{"-66190000123", "Số CCCD phải gồm đúng 12 chữ số"},
		{"０６６１９００００１２３", "Số CCCD phải gồm đúng 12 chữ số"}, // full-width digits
		{"999190000123", "Mã tỉnh 999 trong số CCCD không hợp lệ"},
		{"003190000123", "Mã tỉnh 003 trong số CCCD không hợp lệ"},
		{"000190000123", "Mã tỉnh 000 trong số CCCD không hợp lệ"},
		{"097190000123", "Mã tỉnh 097 trong số CCCD không hợp lệ"},
	}
	for _, tt := range invalid {
		err := ValidCCCD(tt.in)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("ValidCCCD(%q) = %v, want %q", tt.in, err, tt.msg)
		}
	}
}

func TestValidCCCDFor(t *testing.T) {
	born := func(y int) time.Time { return time.Date(y, 6, 15, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		s      string
		birth  time.Time
		female bool
		msg    string // "" when valid
	}{
		{"066090000123", born(1990), false, ""},
		{"066190000123", born(1990), true, ""},
		{"066199000123", born(1999), true, ""},
		{"066000000123", born(1900), false, ""},
		{"066203000123", born(2003), false, ""},
		{"066303000123", born(2003), true, ""},
		{"066400000123", born(2100), false, ""},
		{"066999000123", born(2399), true, ""},
		{"066090000123", time.Time{}, true, ""}, // no birth date: form only
		{"066090000123", born(1990), true, "Số CCCD không khớp với năm sinh 1990 và giới tính nữ"},
		{"066190000123", born(1990), false, "Số CCCD không khớp với năm sinh 1990 và giới tính nam"},
		{"066091000123", born(1990), false, "Số CCCD không khớp với năm sinh 1990 và giới tính nam"},
		{"066290000123", born(1990), false, "Số CCCD không khớp với năm sinh 1990 và giới tính nam"},
		{"066003000123", born(2003), false, "Số CCCD không khớp với năm sinh 2003 và giới tính nam"},
		{"066099000123", born(1899), false, "Năm sinh 1899"},
		{"999090000123", born(1990), false, "Mã tỉnh 999 trong số CCCD không hợp lệ"},
		{"06609000012", born(1990), false, "Số CCCD phải gồm đúng 12 chữ số"},
	}
	for _, tt := range tests {
		err := ValidCCCDFor(tt.s, tt.birth, tt.female)
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("ValidCCCDFor(%q, %d, female=%v) = %v, want nil", tt.s, tt.birth.Year(), tt.female, err)
		case tt.msg != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.msg)):
			t.Errorf("ValidCCCDFor(%q, %d, female=%v) = %v, want %q…", tt.s, tt.birth.Year(), tt.female, err, tt.msg)
		}
	}
}

func TestCCCDProvince(t *testing.T) {
	if got, ok := CCCDProvince(" 066190000123"); !ok || got != "Đắk Lắk" {
		t.Errorf("CCCDProvince = %q, %v; want Đắk Lắk", got, ok)
	}
	if got, ok := CCCDProvince("079190000123"); !ok || got != "Thành phố Hồ Chí Minh" {
		t.Errorf("CCCDProvince = %q, %v", got, ok)
	}
	if _, ok := CCCDProvince("999190000123"); ok {
		t.Error("CCCDProvince accepted province 999")
	}
}

func TestMaskCCCD(t *testing.T) {
	tests := []struct{ in, want string }{
		{"066190000123", "066******123"},
		{" 066190000123 ", "066******123"},
		{"1234567", "123*567"},
		{"123456", "******"},
		{"12345", "*****"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskCCCD(tt.in); got != tt.want {
			t.Errorf("MaskCCCD(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
