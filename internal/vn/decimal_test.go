package vn

import (
	"math"
	"testing"
)

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{26.4, "26,4"}, {26.40, "26,4"}, {26.35, "26,4"}, {26.349, "26,3"}, {13.57, "13,6"}, {2, "2,0"}, {0, "0,0"},
		{1234.5, "1.234,5"}, {-0.04, "0,0"}, {-1.25, "-1,3"}, {0.05, "0,1"}, {math.NaN(), Placeholder}, {math.Inf(1), Placeholder},
	} {
		if got := Decimal(c.in); got != c.want {
			t.Errorf("Decimal(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := DecimalPtr(nil); got != Placeholder {
		t.Errorf("DecimalPtr(nil) = %q", got)
	}
	x := 13.57
	if got := DecimalPtr(&x); got != "13,6" {
		t.Errorf("DecimalPtr(13.57) = %q", got)
	}
}

func TestRound1(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{26.35, 26.4}, {13.57, 13.6}, {13.549, 13.5}, {-1.25, -1.3}, {2, 2}} {
		if got := Round1(c.in); got != c.want {
			t.Errorf("Round1(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestSlugAndFileName(t *testing.T) {
	for _, c := range []struct {
		parts []string
		want  string
	}{
		{[]string{"Báo cáo hội nghị", "krongpac", "2024"}, "bao-cao-hoi-nghi-krongpac-2024"},
		{[]string{"Tổ chức đảng"}, "to-chuc-dang"},
		{[]string{"ĐẢNG ỦY XÃ EA PHÊ"}, "dang-uy-xa-ea-phe"},
		{[]string{"krongpac-eaphe/thon 1"}, "krongpac-eaphe-thon-1"},
		{[]string{"chi-tieu", "", "2024"}, "chi-tieu-2024"},
		{[]string{"  ", "—"}, ""},
	} {
		if got := Slug(c.parts...); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.parts, got, c.want)
		}
	}
	if got := FileName("xlsx", "Chỉ tiêu", "2024"); got != "chi-tieu-2024.xlsx" {
		t.Errorf("FileName = %q", got)
	}
	if got := FileName(".docx", ""); got != "tep.docx" {
		t.Errorf("FileName of nothing = %q", got)
	}
}

func TestCleanLines(t *testing.T) {
	for in, want := range map[string]string{
		"\r\n  1. Hạn chế  \r\n- Một   hai\r\n\r\n\r\n\n2. Nguyên nhân\n\n": "1. Hạn chế\n- Một hai\n\n2. Nguyên nhân",
		"Nguye\u0302\u0303n\rVa\u0306n":                                     "Nguyễn\nVăn",
		"   \n\n ":                                                          "",
	} {
		if got := CleanLines(in); got != want {
			t.Errorf("CleanLines(%q) = %q, want %q", in, got, want)
		}
	}
}
