package calendar

import (
	"errors"
	"testing"
	"time"
)

// FuzzRoundTrip: any day of the range converts to a valid lunar date and
// back to itself, and the next day is the next lunar day or day 1 of the
// next month.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"1968-01-01", "2024-02-10", "2033-12-22", "2054-05-07", "2062-04-09", "2100-12-31"} {
		f.Add(int64(jdnOf(day(s)) - minJDN))
	}
	f.Fuzz(func(t *testing.T, off int64) {
		span := int64(maxJDN - minJDN + 1)
		off %= span
		if off < 0 {
			off += span
		}
		d := dateOf(minJDN + int(off))
		l, err := ToLunar(d)
		if err != nil {
			t.Fatalf("ToLunar(%s): %v", d.Format(time.DateOnly), err)
		}
		if l.Day < 1 || l.Day > 30 || l.Month < 1 || l.Month > 12 {
			t.Fatalf("ToLunar(%s) = %+v", d.Format(time.DateOnly), l)
		}
		back, err := ToSolar(l)
		if err != nil || !back.Equal(d) {
			t.Fatalf("ToSolar(%+v) = %v, %v; want %s", l, back, err, d.Format(time.DateOnly))
		}
		if d.Equal(dateOf(maxJDN)) {
			return
		}
		next, err := ToLunar(d.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		sameMonth := next.Year == l.Year && next.Month == l.Month && next.Leap == l.Leap && next.Day == l.Day+1
		if !sameMonth && (next.Day != 1 || l.Day < 29) {
			t.Fatalf("%s is %+v, the next day %+v", d.Format(time.DateOnly), l, next)
		}
	})
}

// FuzzToSolar: any lunar date either is refused with one of the package's
// errors or converts to a day whose lunar date is the input.
func FuzzToSolar(f *testing.F) {
	f.Add(2024, 1, 1, false)
	f.Add(2023, 2, 30, true)
	f.Add(2024, 12, 30, false)
	f.Add(1967, 12, 1, false)
	f.Add(2100, 12, 29, false)
	f.Add(2033, 11, 15, true)
	f.Fuzz(func(t *testing.T, y, m, d int, leap bool) {
		l := LunarDate{Year: y, Month: m, Day: d, Leap: leap}
		s, err := ToSolar(l)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Msg == "" || !(errors.Is(err, ErrInvalidLunarDate) || errors.Is(err, ErrOutOfRange)) {
				t.Fatalf("ToSolar(%+v): unexpected error %#v", l, err)
			}
			return
		}
		back, err := ToLunar(s)
		if err != nil || back != l {
			t.Fatalf("ToSolar(%+v) = %s, whose lunar date is %+v, %v", l, s.Format(time.DateOnly), back, err)
		}
	})
}

// FuzzAddWorkdays: the result is a working day, n working days away, on the
// right side of the start, and stepping back returns to the last working
// day at or before the start.
func FuzzAddWorkdays(f *testing.F) {
	f.Add(int64(jdnOf(day("2024-02-07"))-minWorkdayJDN), 45)
	f.Add(int64(jdnOf(day("2024-04-26"))-minWorkdayJDN), 3)
	f.Add(int64(jdnOf(day("2026-08-28"))-minWorkdayJDN), -7)
	f.Add(int64(0), -1)
	f.Fuzz(func(t *testing.T, off int64, n int) {
		span := int64(maxJDN - minWorkdayJDN + 1)
		off %= span
		if off < 0 {
			off += span
		}
		n %= 3000
		d := dateOf(minWorkdayJDN + int(off))
		got, err := AddWorkdays(d, n)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("AddWorkdays(%s, %d): %v", d.Format(time.DateOnly), n, err)
			}
			return
		}
		if n == 0 {
			if !got.Equal(d) {
				t.Fatalf("AddWorkdays(%s, 0) = %s", d.Format(time.DateOnly), got.Format(time.DateOnly))
			}
			return
		}
		if ok, _ := IsWorkday(got); !ok || (n > 0) != got.After(d) {
			t.Fatalf("AddWorkdays(%s, %d) = %s: working day %v", d.Format(time.DateOnly), n, got.Format(time.DateOnly), ok)
		}
		if k, err := WorkdaysBetween(d, got); err != nil || k != n {
			t.Fatalf("WorkdaysBetween(%s, %s) = %d, %v; want %d", d.Format(time.DateOnly), got.Format(time.DateOnly), k, err, n)
		}
		if n > 0 {
			back, err := AddWorkdays(got, -n)
			if err != nil {
				return // stepping back may leave the range
			}
			// back is the last working day at or before d.
			if back.After(d) {
				t.Fatalf("AddWorkdays(AddWorkdays(%s, %d), %d) = %s after the start", d.Format(time.DateOnly), n, -n, back.Format(time.DateOnly))
			}
			if k, _ := WorkdaysBetween(back, d); k != 0 {
				t.Fatalf("a working day lies between %s and %s", back.Format(time.DateOnly), d.Format(time.DateOnly))
			}
		}
	})
}
