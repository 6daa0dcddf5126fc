package vn

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestInt(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1.000"},
		{12345, "12.345"},
		{123456, "123.456"},
		{1234567, "1.234.567"},
		{-1, "-1"},
		{-999, "-999"},
		{-1000, "-1.000"},
		{-1234567, "-1.234.567"},
		{math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := Int(tt.in); got != tt.want {
			t.Errorf("Int(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{23.17, "23,17 %"},
		{0, "0,00 %"},
		{math.Copysign(0, -1), "0,00 %"},
		{-0.001, "0,00 %"},
		{5.5, "5,50 %"},
		{100, "100,00 %"},
		{233.33, "233,33 %"},
		{20.73, "20,73 %"},
		{0.01, "0,01 %"},
		{-12.5, "-12,50 %"},
		{-0.25, "-0,25 %"},
		{1234.5, "1.234,50 %"},
		{-1234.5, "-1.234,50 %"},
		{66.666, "66,67 %"},
		{math.NaN(), "—"},
		{math.Inf(1), "—"},
		{math.Inf(-1), "—"},
	}
	for _, tt := range tests {
		if got := Percent(tt.in); got != tt.want {
			t.Errorf("Percent(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercentPtr(t *testing.T) {
	v := 23.17
	zero := 0.0
	if got := PercentPtr(nil); got != "—" {
		t.Errorf("PercentPtr(nil) = %q, want %q", got, "—")
	}
	if got := PercentPtr(&v); got != "23,17 %" {
		t.Errorf("PercentPtr(&23.17) = %q", got)
	}
	if got := PercentPtr(&zero); got != "0,00 %" {
		t.Errorf("PercentPtr(&0) = %q", got)
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDate(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{day(2024, 5, 4), "04/05/2024"},
		{day(2024, 12, 31), "31/12/2024"},
		{day(1990, 1, 1), "01/01/1990"},
		{time.Date(2024, 5, 4, 23, 30, 0, 0, hcm), "04/05/2024"}, // its own location
		{time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := Date(tt.in); got != tt.want {
			t.Errorf("Date(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	ok := []struct {
		in   string
		want time.Time
	}{
		{"04/05/2024", day(2024, 5, 4)},
		{"4/5/2024", day(2024, 5, 4)},
		{"2024-05-04", day(2024, 5, 4)},
		{"  04/05/2024 ", day(2024, 5, 4)},
		{"29/02/2024", day(2024, 2, 29)},
		{"31/12/1999", day(1999, 12, 31)},
		{"1/1/2000", day(2000, 1, 1)},
	}
	for _, tt := range ok {
		got, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q) error: %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, want %v UTC", tt.in, got, tt.want)
		}
		if Date(got) == "" {
			t.Errorf("ParseDate(%q) gave a zero time", tt.in)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "chưa nhập ngày"},
		{"   ", "chưa nhập ngày"},
		{"31/02/2024", "không có ngày 31/02/2024"},
		{"29/02/2023", "không có ngày 29/02/2023"},
		{"00/05/2024", "không có ngày 00/05/2024"},
		{"15/13/2024", "không có ngày 15/13/2024"},
		{"0000-01-01", "không có ngày 01/01/0000"},
		{"1/1/0001", "không có ngày 01/01/0001"},
		{"31/12/0999", "không có ngày 31/12/0999"},
		{"4/5/24", "ví dụ 04/05/2024"},
		{"04-05-2024", "ví dụ 04/05/2024"},
		{"2024/05/04", "ví dụ 04/05/2024"},
		{"04.05.2024", "ví dụ 04/05/2024"},
		{"ngày 4 tháng 5", "không phải là ngày hợp lệ"},
		{"04/05/2024/1", "ví dụ 04/05/2024"},
		{"+4/5/2024", "ví dụ 04/05/2024"},
	}
	for _, tt := range bad {
		_, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) accepted an invalid date", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseDate(%q) error %q, want it to contain %q", tt.in, err, tt.msg)
		}
	}
}

func TestParseDateRoundTrip(t *testing.T) {
	for d := day(2023, 12, 25); d.Before(day(2025, 1, 10)); d = d.AddDate(0, 0, 1) {
		got, err := ParseDate(Date(d))
		if err != nil || !got.Equal(d) {
			t.Fatalf("ParseDate(Date(%v)) = %v, %v", d, got, err)
		}
	}
}

func TestLongDate(t *testing.T) {
	tests := []struct {
		place string
		t     time.Time
		want  string
	}{
		{"Krông Pắc", day(2024, 5, 4), "Krông Pắc, ngày 04 tháng 5 năm 2024"},
		{"Krông Pắc", day(2024, 1, 4), "Krông Pắc, ngày 04 tháng 01 năm 2024"},
		{"Hà Nội", day(2024, 2, 29), "Hà Nội, ngày 29 tháng 02 năm 2024"},
		{"Hà Nội", day(2024, 3, 10), "Hà Nội, ngày 10 tháng 3 năm 2024"},
		{"Hà Nội", day(2024, 10, 1), "Hà Nội, ngày 01 tháng 10 năm 2024"},
		{"Hà Nội", day(2025, 11, 9), "Hà Nội, ngày 09 tháng 11 năm 2025"},
		{"Hà Nội", day(2025, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2025"},
		{"  Buôn   Ma Thuột ", day(2024, 9, 2), "Buôn Ma Thuột, ngày 02 tháng 9 năm 2024"},
		{"", day(2024, 5, 4), "ngày 04 tháng 5 năm 2024"},
	}
	for _, tt := range tests {
		if got := LongDate(tt.place, tt.t); got != tt.want {
			t.Errorf("LongDate(%q, %v) = %q, want %q", tt.place, tt.t, got, tt.want)
		}
	}
}
