package calendar

import (
	"testing"
	"time"
)

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // the brief's example: last day of February in a leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-02-29", 12, "2025-02-28"}, // probation from a leap day
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-03-31", 1, "2024-04-30"},
		{"2024-06-25", 12, "2025-06-25"}, // CONTRACT.md: ceremony 2024-06-25 → probation_end 2025-06-25
		{"2024-12-15", 1, "2025-01-15"},
		{"2025-01-15", -1, "2024-12-15"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-05-04", 0, "2024-05-04"},
		{"2006-05-04", 216, "2024-05-04"},
	} {
		if got := AddMonths(day(tc.from), tc.n); got.Format(time.DateOnly) != tc.want || got.Location() != time.UTC {
			t.Errorf("AddMonths(%s, %d) = %v, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	// The calendar day of the input counts, not its UTC instant.
	in := time.Date(2024, 1, 31, 23, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	if got := AddMonths(in, 1); got.Format(time.DateOnly) != "2024-02-29" {
		t.Errorf("AddMonths(%v, 1) = %v", in, got)
	}
}

func TestWholeMonthsBetween(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2006-05-04", "2024-05-04", 216}, // the brief: 18 years on the birthday
		{"2006-05-04", "2024-05-03", 215}, // one day short
		{"2004-02-29", "2022-02-28", 216}, // leap-day birthday: the month has no 29th, its last day counts
		{"2004-02-29", "2022-02-27", 215},
		{"2004-02-29", "2024-02-28", 239}, // 2024 has a 29th, so the 28th is one day short
		{"2004-02-29", "2024-02-29", 240},
		{"2024-01-31", "2024-02-29", 1}, // month end
		{"2024-01-31", "2024-02-28", 0},
		{"2024-01-31", "2024-03-30", 1}, // 31/03 does not yet count
		{"2024-01-31", "2024-03-31", 2},
		{"2024-05-04", "2024-05-04", 0},
		{"2024-05-04", "2024-05-03", 0}, // less than a whole month back
		{"2024-05-04", "2024-04-04", -1},
		{"1966-01-01", "2026-01-01", 720}, // plain arithmetic: no range limit
	} {
		if got := WholeMonthsBetween(day(tc.a), day(tc.b)); got != tc.want {
			t.Errorf("WholeMonthsBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	// Consistency with AddMonths over a range of starts and ends.
	for a := day("2023-12-28"); a.Before(day("2024-03-05")); a = a.AddDate(0, 0, 1) {
		for b := a; b.Before(a.AddDate(0, 14, 0)); b = b.AddDate(0, 0, 3) {
			n := WholeMonthsBetween(a, b)
			if AddMonths(a, n).After(b) || !AddMonths(a, n+1).After(b) {
				t.Fatalf("WholeMonthsBetween(%s, %s) = %d inconsistent with AddMonths", a.Format(time.DateOnly), b.Format(time.DateOnly), n)
			}
		}
	}
}
