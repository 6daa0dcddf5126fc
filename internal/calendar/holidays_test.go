package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// calendar.md §4.5, copied by hand: off = non-working weekdays, makeup =
// Saturdays worked.
var officialYAML = map[int]struct{ off, makeup []string }{
	2022: {[]string{"2022-01-03", "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
		"2022-04-11", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02"}, nil},
	2023: {[]string{"2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
		"2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04"}, nil},
	2024: {[]string{"2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
		"2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"}, []string{"2024-05-04"}},
	2025: {[]string{"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
		"2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"}, []string{"2025-04-26"}},
	2026: {[]string{"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
		"2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"},
		[]string{"2026-01-10", "2026-08-22"}},
}

// calendar.md §4.4/§4.5: the 2027 projection.
var projected2027 = []string{"2027-01-01", "2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
	"2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03"}

func split(s Schedule) (off, makeup []string) {
	for _, d := range s.Days {
		if d.Kind.Off() {
			off = append(off, d.Date.Format(time.DateOnly))
		} else {
			makeup = append(makeup, d.Date.Format(time.DateOnly))
		}
	}
	return off, makeup
}

func TestBuiltinSchedules(t *testing.T) {
	docs := map[int][]string{ // document numbers of calendar.md §4
		2022: {"245/VPCP-KGVX", "119/TB-LĐTBXH"},
		2023: {"8056/VPCP-KGVX", "5034/TB-LĐTBXH"},
		2024: {"8662/VPCP-KGVX", "5015/TB-LĐTBXH", "2450/VPCP-KGVX"},
		2025: {"8726/VPCP-KGVX", "6150/TB-BLĐTBXH"},
		2026: {"9441/TB-BNV", "12729/VPCP-KGVX"},
	}
	b := builtinSchedules()
	if len(b) != len(officialYAML) {
		t.Errorf("built-in years: %d, want %d", len(b), len(officialYAML))
	}
	for y, want := range officialYAML {
		s, err := YearSchedule(y)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Official || s.Year != y {
			t.Errorf("%d: Official=%v Year=%d", y, s.Official, s.Year)
		}
		for _, doc := range docs[y] {
			if !strings.Contains(s.Source, doc) {
				t.Errorf("%d: source %q lacks %s", y, s.Source, doc)
			}
		}
		off, makeup := split(s)
		if !slices.Equal(off, want.off) || !slices.Equal(makeup, want.makeup) {
			t.Errorf("%d: off %v makeup %v; calendar.md §4.5 says off %v makeup %v", y, off, makeup, want.off, want.makeup)
		}
		for _, d := range s.Days {
			if d.Name == "" || d.Date.Location() != time.UTC || d.Date.Hour() != 0 {
				t.Errorf("%d: bad day %+v", y, d)
			}
		}
	}
}

// The generator reproduces every official year except its swaps: the
// statutory days off are the official ones minus the swapped weekdays, and
// each swapped weekday has one make-up day.
func TestStatutoryMatchesOfficialYears(t *testing.T) {
	for y, want := range officialYAML {
		gen, err := statutorySchedule(y, false)
		if err != nil {
			t.Fatal(err)
		}
		off, makeup := split(gen)
		official, _ := YearSchedule(y)
		var swapped []string
		for _, d := range official.Days {
			if d.Kind == KindSwappedOff {
				swapped = append(swapped, d.Date.Format(time.DateOnly))
			}
		}
		wantOff := slices.DeleteFunc(slices.Clone(want.off), func(s string) bool { return slices.Contains(swapped, s) })
		if !slices.Equal(off, wantOff) || len(makeup) != 0 || len(swapped) != len(want.makeup) {
			t.Errorf("%d: generated off %v makeup %v; official minus swaps %v (swapped %v, makeup %v)",
				y, off, makeup, wantOff, swapped, want.makeup)
		}
	}
}

func TestProvisionalYears(t *testing.T) {
	s, err := YearSchedule(2027)
	if err != nil {
		t.Fatal(err)
	}
	off, makeup := split(s)
	if s.Official || !strings.Contains(s.Source, "Tạm tính") || !slices.Equal(off, projected2027) || len(makeup) != 0 {
		t.Errorf("2027: official=%v source=%q off=%v; calendar.md §4.4 projects %v", s.Official, s.Source, off, projected2027)
	}
	// 2030: Tết on Sat 02/02 (go-stack.md §3), so 31/01, 01/02 and 04/02
	// are Tết days and 05/02, 06/02 are in lieu of the weekend.
	s, _ = YearSchedule(2030)
	var tet []string
	for _, d := range s.Days {
		if d.Date.Month() == time.February || d.Date.Month() == time.January && d.Date.Day() > 1 {
			tet = append(tet, d.Date.Format(time.DateOnly)+" "+string(d.Kind))
		}
	}
	wantTet := []string{"2030-01-31 holiday", "2030-02-01 holiday", "2030-02-04 holiday",
		"2030-02-05 compensatory", "2030-02-06 compensatory"}
	if s.Official || !slices.Equal(tet, wantTet) {
		t.Errorf("2030 Tết: %v, want %v", tet, wantTet)
	}
}

// Art. 112(1) gives 11 days off (12 with 24/11); every one of them costs
// exactly one weekday, either itself or its compensatory day.
func TestGeneratedYearsInvariants(t *testing.T) {
	for _, with2411 := range []bool{false, true} {
		for y := MinWorkdayYear; y <= MaxYear; y++ {
			s, err := statutorySchedule(y, with2411)
			if err != nil {
				t.Fatalf("%d: %v", y, err)
			}
			if err := s.Validate(); err != nil {
				t.Fatalf("%d: %v", y, err)
			}
			want := 11
			if with2411 && y >= 2026 {
				want = 12
			}
			if len(s.Days) != want || s.Official {
				t.Errorf("%d (24/11 %v): %d weekdays off, official=%v; want %d", y, with2411, len(s.Days), s.Official, want)
			}
			for _, d := range s.Days {
				if d.Kind != KindHoliday && d.Kind != KindCompensatory {
					t.Errorf("%d: generated kind %s", y, d.Kind)
				}
			}
		}
	}
}

func TestInclude2411(t *testing.T) {
	with, err := New(Options{Include2411: true})
	if err != nil {
		t.Fatal(err)
	}
	has := func(c *Calendar, s string) (Day, bool) {
		sc, err := c.YearSchedule(day(s).Year())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range sc.Days {
			if d.Date.Equal(day(s)) {
				return d, true
			}
		}
		return Day{}, false
	}
	// Off by default (calendar.md §3: pending, not enacted).
	if _, ok := has(Default(), "2026-11-24"); ok {
		t.Error("24/11/2026 off by default")
	}
	if d, ok := has(with, "2026-11-24"); !ok || d.Name != "Ngày Văn hóa Việt Nam" || d.Kind != KindHoliday {
		t.Errorf("24/11/2026 with the option: %+v %v", d, ok)
	}
	if s, _ := with.YearSchedule(2026); !s.Official {
		t.Error("2026 stays official with the option")
	}
	if _, ok := has(with, "2025-11-24"); ok {
		t.Error("24/11/2025 off with the option; the policy dates from 2026")
	}
	// 24/11/2029 is a Saturday: Monday 26/11 is in lieu.
	if d, ok := has(with, "2029-11-26"); !ok || d.Kind != KindCompensatory {
		t.Errorf("26/11/2029 with the option: %+v %v", d, ok)
	}
	// Tue 23/11/2026 + 1 working day.
	got, _ := AddWorkdays(day("2026-11-23"), 1)
	gotWith, _ := with.AddWorkdays(day("2026-11-23"), 1)
	if got.Format(time.DateOnly) != "2026-11-24" || gotWith.Format(time.DateOnly) != "2026-11-25" {
		t.Errorf("23/11/2026 + 1: default %v, with 24/11 %v", got, gotWith)
	}
}

func TestValidate(t *testing.T) {
	d := func(s string, k Kind) Day { return Day{Date: day(s), Kind: k, Name: "x"} }
	for _, tc := range []struct {
		s   Schedule
		msg string
	}{
		{Schedule{Year: 2024, Days: []Day{d("2024-04-27", KindHoliday)}}, "27/04/2024 là thứ Bảy"},
		{Schedule{Year: 2024, Days: []Day{d("2024-05-03", KindMakeupWorkday)}}, "Ngày làm bù 03/05/2024 là thứ Sáu"},
		{Schedule{Year: 2024, Days: []Day{d("2025-01-01", KindHoliday)}}, "thuộc năm khác"},
		{Schedule{Year: 2024, Days: []Day{d("2024-01-01", KindHoliday), d("2024-01-01", KindSwappedOff)}}, "hai lần"},
		{Schedule{Year: 2024, Days: []Day{d("2024-01-01", "vacation")}}, "không hợp lệ"},
		{Schedule{Year: 2020}, "ngoài phạm vi"},
	} {
		err := tc.s.Validate()
		if !errors.Is(err, ErrInvalidSchedule) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.s, err, tc.msg)
		}
		if _, err := New(Options{Overrides: map[int]Schedule{tc.s.Year: tc.s}}); !errors.Is(err, ErrInvalidSchedule) {
			t.Errorf("New accepted %+v", tc.s)
		}
	}
	if _, err := New(Options{Overrides: map[int]Schedule{2025: {Year: 2024}}}); !errors.Is(err, ErrInvalidSchedule) {
		t.Errorf("New accepted a 2024 schedule under 2025: %v", err)
	}
	if err := (Schedule{Year: 2024, Days: []Day{d("2024-05-04", KindMakeupWorkday), d("2024-04-29", KindSwappedOff)}}).Validate(); err != nil {
		t.Errorf("valid schedule: %v", err)
	}
}

func TestOverridePrecedence(t *testing.T) {
	// An administrator records 2024 with only Thu 02/05 off, and 2027 (no
	// official data) as official with Mon 03/05 off only.
	loc := time.FixedZone("ICT", 7*3600)
	c, err := New(Options{Overrides: map[int]Schedule{
		2024: {Year: 2024, Official: true, Source: "QĐ thử", Days: []Day{
			{Date: time.Date(2024, 5, 2, 9, 30, 0, 0, loc), Kind: KindHoliday, Name: "Nghỉ thử"}}},
		2027: {Year: 2027, Official: true, Source: "Thông báo thử", Days: []Day{
			{Date: day("2027-05-03"), Kind: KindCompensatory, Name: "Nghỉ bù"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-04-26", 1, "2024-04-29"}, // 29/04 is a working day in the override
		{"2024-05-01", 1, "2024-05-03"}, // 01/05 is a working day, 02/05 is off
		{"2024-05-03", 1, "2024-05-06"}, // no make-up Saturday 04/05
		{"2024-02-07", 1, "2024-02-08"}, // no Tết either: the override is the whole truth
		{"2027-02-03", 1, "2027-02-04"}, // 2027 override replaces the provisional Tết
		{"2027-04-30", 1, "2027-05-04"}, // skips Sat, Sun and the recorded Mon 03/05
		{"2025-04-25", 1, "2025-04-26"}, // 2025 still uses the built-in data
	} {
		got, err := c.AddWorkdays(day(tc.from), tc.n)
		if err != nil || got.Format(time.DateOnly) != tc.want {
			t.Errorf("override: %s + %d = %v, %v; want %s", tc.from, tc.n, got, err, tc.want)
		}
	}
	s, _ := c.YearSchedule(2024)
	if !s.Official || s.Source != "QĐ thử" || len(s.Days) != 1 || !s.Days[0].Date.Equal(day("2024-05-02")) {
		t.Errorf("override schedule: %+v", s)
	}
	// The default calendar is untouched.
	if got, _ := AddWorkdays(day("2024-04-26"), 1); !got.Equal(day("2024-05-02")) {
		t.Errorf("default calendar changed: %v", got)
	}
	// Returned schedules are copies.
	s.Days[0].Name = "changed"
	if s2, _ := c.YearSchedule(2024); s2.Days[0].Name != "Nghỉ thử" {
		t.Error("YearSchedule returned shared storage")
	}
}

func TestKindLabels(t *testing.T) {
	for k, want := range map[Kind]string{KindHoliday: "nghỉ lễ, tết", KindCompensatory: "nghỉ bù",
		KindSwappedOff: "nghỉ hoán đổi", KindMakeupWorkday: "làm bù"} {
		if k.Label() != want || k.Off() == (k == KindMakeupWorkday) {
			t.Errorf("%s: label %q off %v", k, k.Label(), k.Off())
		}
	}
}
