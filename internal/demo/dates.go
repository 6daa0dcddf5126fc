package demo

import (
	"time"

	"ketnap/internal/domain"
)

// Date helpers of the generator.

// dayIn returns a uniformly drawn day in [lo, hi].
func (p *plan) dayIn(lo, hi time.Time) time.Time {
	days := int(hi.Sub(lo).Hours()/24) + 1
	if days <= 1 {
		return lo
	}
	return lo.AddDate(0, 0, p.rng.IntN(days))
}

// weekday moves a Saturday or Sunday to the next Monday.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// tet are the Tết holidays of the demo's two recent years.
var tet = [][2]time.Time{
	{domain.Day(2023, 1, 20), domain.Day(2023, 1, 26)},
	{domain.Day(2024, 2, 8), domain.Day(2024, 2, 14)},
}

// afterTet moves a day that falls in the Tết holidays to the day after them.
func afterTet(d time.Time) time.Time {
	for _, t := range tet {
		if !d.Before(t[0]) && !d.After(t[1]) {
			return t[1].AddDate(0, 0, 1)
		}
	}
	return d
}

// addYear is d plus one year, on the last day of the month when that day
// does not exist (29 February).
func addYear(d time.Time) time.Time {
	n := domain.Day(d.Year()+1, d.Month(), d.Day())
	if n.Month() != d.Month() {
		n = domain.Day(d.Year()+1, d.Month()+1, 0)
	}
	return n
}

// bornAged returns a birth date making the person between lo and hi whole
// years old on day d.
func (p *plan) bornAged(d time.Time, lo, hi int) time.Time {
	latest := d.AddDate(-lo, 0, 0)                      // exactly lo years old on d
	earliest := d.AddDate(-hi-1, 0, 0).AddDate(0, 0, 1) // hi years and 364 days
	return p.dayIn(earliest, latest)
}
