package calendar

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// Worked cases, counted by hand on a paper calendar. Each comment gives the
// day-by-day count and the document (calendar.md §4) behind the days off.
var workdayCases = []struct {
	from string
	n    int
	want string
	why  string
}{
	// Tết Giáp Thìn 2024: off Thu 08/02 – Wed 14/02 (8662/VPCP-KGVX, Thông báo 5015/TB-LĐTBXH).
	{"2024-02-07", 1, "2024-02-15", "08, 09 off; 10, 11 weekend; 12, 13, 14 off"},
	{"2024-02-07", 2, "2024-02-16", "15, 16"},
	{"2024-02-01", 5, "2024-02-15", "02, 05, 06, 07, then 15"},
	{"2024-02-15", -1, "2024-02-07", "back over Tết"},
	{"2024-01-15", 45, "2024-03-25", "16–19 (4), 22–26 (9), 29/01–02/02 (14), 05–07/02 (17), 15–16 (19), 19–23 (24), 26/02–01/03 (29), 04–08 (34), 11–15 (39), 18–22 (44), 25/03"},
	// Giỗ Tổ Thu 18/04/2024 (5015/TB-LĐTBXH).
	{"2024-04-17", 1, "2024-04-19", "18 off"},
	// 30/4–1/5 2024: Mon 29/04 swapped for Sat 04/05 (2450/VPCP-KGVX).
	{"2024-04-26", 1, "2024-05-02", "27, 28 weekend; 29 swapped; 30/04, 01/05 off"},
	{"2024-04-26", 3, "2024-05-04", "02, 03, Sat 04 make-up"},
	{"2024-04-26", 4, "2024-05-06", "then Mon 06"},
	{"2024-05-03", 1, "2024-05-04", "the make-up Saturday"},
	// Quốc khánh 2024: Mon 02/09 and Tue 03/09 (8662/VPCP-KGVX).
	{"2024-08-30", 1, "2024-09-04", "31/08, 01/09 weekend; 02, 03 off"},
	// Across New Year 2025: Wed 01/01/2025 off (8726/VPCP-KGVX).
	{"2024-12-20", 10, "2025-01-06", "23–27 (5), 30, 31 (7), 02, 03 (9), 06"},
	// Tết Ất Tỵ 2025: off Mon 27/01 – Fri 31/01 (8726/VPCP-KGVX, 6150/TB-BLĐTBXH).
	{"2025-01-24", 1, "2025-02-03", "27–31 off"},
	{"2025-01-23", 2, "2025-02-03", "24, then 03/02"},
	// 30/4 2025: Fri 02/05 swapped for Sat 26/04 (8726/VPCP-KGVX).
	{"2025-04-25", 1, "2025-04-26", "Sat 26/04 make-up"},
	{"2025-04-25", 4, "2025-05-05", "26, 28, 29; 30, 01, 02 off; 05"},
	// Quốc khánh 2025: Mon 01/09 and Tue 02/09.
	{"2025-08-29", 1, "2025-09-03", "30, 31 weekend; 01, 02 off"},
	// Tết Dương lịch 2026: Fri 02/01 swapped for Sat 10/01 (12729/VPCP-KGVX).
	{"2025-12-31", 1, "2026-01-05", "01, 02 off; 03, 04 weekend"},
	{"2026-01-09", 1, "2026-01-10", "Sat 10/01 make-up"},
	// Giỗ Tổ on Sun 26/04/2026, Mon 27/04 in lieu (Labour Code Art. 111(3)); 30/4, 1/5 Thu–Fri (9441/TB-BNV).
	{"2026-04-24", 1, "2026-04-28", "25, 26 weekend; 27 in lieu"},
	{"2026-04-29", 1, "2026-05-04", "30/04, 01/05 off; 02, 03 weekend"},
	// Quốc khánh 2026: Mon 31/08 swapped for Sat 22/08; Tue 01/09, Wed 02/09 off (9441/TB-BNV).
	{"2026-08-21", 1, "2026-08-22", "Sat 22/08 make-up"},
	{"2026-08-21", 2, "2026-08-24", "then Mon 24/08"},
	{"2026-08-28", 1, "2026-09-03", "29, 30 weekend; 31 swapped; 01, 02 off"},
	{"2026-09-03", -1, "2026-08-28", "back over the break"},
	// CONTRACT.md, "Dossier check": chapter vote 2024-05-03 → decision 45 wd
	// "2024-07-04", decision_extended (+15) "2024-07-25"; decision received
	// 2024-06-12 → ceremony 30 wd "2024-07-24"; probation end 2025-06-25 →
	// recognition vote 30 wd "2025-08-06".
	{"2024-05-03", 45, "2024-07-04", "04/05 (1), 06–10 (6), 13–17 (11), 20–24 (16), 27–31 (21), 03–07/06 (26), 10–14 (31), 17–21 (36), 24–28 (41), 01–04/07"},
	{"2024-05-03", 60, "2024-07-25", "05/07 (46), 08–12 (51), 15–19 (56), 22–25"},
	{"2024-06-12", 30, "2024-07-24", "13, 14 (2), 17–21 (7), 24–28 (12), 01–05/07 (17), 08–12 (22), 15–19 (27), 22–24"},
	{"2025-06-25", 30, "2025-08-06", "26, 27 (2), 30/06–04/07 (7), 07–11 (12), 14–18 (17), 21–25 (22), 28/07–01/08 (27), 04–06/08"},
}

func TestAddWorkdaysWorkedCases(t *testing.T) {
	for _, tc := range workdayCases {
		got, err := AddWorkdays(day(tc.from), tc.n)
		if err != nil || got.Format(time.DateOnly) != tc.want {
			t.Errorf("AddWorkdays(%s, %d) = %v, %v; want %s (%s)", tc.from, tc.n, got, err, tc.want, tc.why)
		}
		between, err := WorkdaysBetween(day(tc.from), day(tc.want))
		if err != nil || between != tc.n {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d", tc.from, tc.want, between, err, tc.n)
		}
	}
}

func TestIsWorkday(t *testing.T) {
	for s, want := range map[string]bool{
		"2024-05-04": true,  // make-up Saturday (2450/VPCP-KGVX)
		"2024-04-29": false, // swapped Monday
		"2024-04-18": false, // Giỗ Tổ
		"2024-04-19": true,  // ordinary Friday
		"2024-04-20": false, // ordinary Saturday
		"2026-01-10": true,  // make-up Saturday (12729/VPCP-KGVX)
		"2026-04-27": false, // in lieu of Giỗ Tổ
		"2027-05-03": false, // provisional: in lieu of Sat 01/05/2027
		"2100-12-31": true,  // Friday
	} {
		got, err := IsWorkday(day(s))
		if err != nil || got != want {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", s, got, err, want)
		}
	}
}

func TestAddWorkdaysEdges(t *testing.T) {
	// n = 0 returns the day itself, at midnight UTC.
	in := time.Date(2024, 2, 10, 22, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	if got, err := AddWorkdays(in, 0); err != nil || !got.Equal(day("2024-02-10")) || got.Location() != time.UTC {
		t.Errorf("AddWorkdays(%v, 0) = %v, %v", in, got, err)
	}
	// Only the calendar day counts: 23:00 at UTC-10 on Fri 26/04/2024 is still the 26th.
	late := time.Date(2024, 4, 26, 23, 0, 0, 0, time.FixedZone("X", -10*3600))
	if got, _ := AddWorkdays(late, 1); !got.Equal(day("2024-05-02")) {
		t.Errorf("AddWorkdays(%v, 1) = %v", late, got)
	}
	for _, tc := range []struct {
		from string
		n    int
	}{
		{"2100-12-29", 5},   // result after 2100
		{"2021-01-04", -2},  // result before 2021
		{"2020-12-31", 1},   // start before 2021
		{"2101-01-01", 1},   // start after 2100
		{"2024-01-01", 1e6}, // far beyond
	} {
		_, err := AddWorkdays(day(tc.from), tc.n)
		if !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "ngoài phạm vi") && !strings.Contains(err.Error(), "vượt quá") {
			t.Errorf("AddWorkdays(%s, %d) error = %v, want ErrOutOfRange", tc.from, tc.n, err)
		}
	}
	if _, err := IsWorkday(day("2019-05-01")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("IsWorkday(2019) error = %v", err)
	}
	if _, err := YearSchedule(2101); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("YearSchedule(2101) error = %v", err)
	}
	if n, err := WorkdaysBetween(day("2024-07-04"), day("2024-05-03")); err != nil || n != -45 {
		t.Errorf("WorkdaysBetween backwards = %d, %v; want -45", n, err)
	}
}

// naiveAdd walks day by day over the schedules: the slow, obvious
// definition that the per-year index must agree with.
func naiveAdd(t *testing.T, c *Calendar, from time.Time, n int) time.Time {
	t.Helper()
	off := map[time.Time]Kind{}
	for y := from.Year() - 1; y <= from.Year()+1; y++ {
		if s, err := c.YearSchedule(y); err == nil {
			for _, d := range s.Days {
				off[d.Date] = d.Kind
			}
		}
	}
	work := func(d time.Time) bool {
		if k, ok := off[d]; ok {
			return !k.Off()
		}
		return !isWeekend(d)
	}
	d, step := from, 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if work(d) {
			n--
		}
	}
	return d
}

func TestAddWorkdaysAgreesWithNaiveWalk(t *testing.T) {
	c, err := New(Options{Include2411: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, cal := range []*Calendar{Default(), c} {
		for jd := minWorkdayJDN + 70; jd <= maxJDN-90; jd += 7 {
			from := dateOf(jd)
			for _, n := range []int{1, 2, 5, 30, 45, -1, -30} {
				got, err := cal.AddWorkdays(from, n)
				want := naiveAdd(t, cal, from, n)
				if err != nil || !got.Equal(want) {
					t.Fatalf("AddWorkdays(%s, %d) = %v, %v; day-by-day walk gives %s", from.Format(time.DateOnly), n, got, err, want.Format(time.DateOnly))
				}
				ok, _ := cal.IsWorkday(got)
				if !ok {
					t.Fatalf("AddWorkdays(%s, %d) = %s is not a working day", from.Format(time.DateOnly), n, got.Format(time.DateOnly))
				}
			}
		}
	}
}

// A fresh calendar built concurrently from many goroutines gives the same
// answers (run with -race where cgo is available).
func TestConcurrentFirstUse(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]time.Time, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = c.AddWorkdays(day("2024-01-15"), 45*20)
		}()
	}
	wg.Wait()
	for _, r := range results[1:] {
		if !r.Equal(results[0]) || r.IsZero() {
			t.Fatalf("concurrent results differ: %v", results)
		}
	}
}
