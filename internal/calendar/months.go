package calendar

import "time"

// Month arithmetic for periods counted in months (Civil Code 2015, Art.
// 148(2)): a period of n months from day D ends on the day with the same
// number n months later or, when that month is too short, on its last day.
// These functions are plain Gregorian arithmetic and accept any date.

// AddMonths returns the calendar day of d moved by n months (n may be
// negative), at midnight UTC. When the day does not exist in the target
// month, the result is that month's last day: 2024-01-31 + 1 month =
// 2024-02-29, 2024-02-29 + 12 months = 2025-02-28.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	total := y*12 + int(m) - 1 + n
	ty, tm := floorDiv(total, 12), time.Month(mod(total, 12)+1)
	if last := daysIn(ty, tm); day > last {
		day = last
	}
	return time.Date(ty, tm, day, 0, 0, 0, 0, time.UTC)
}

// WholeMonthsBetween returns the number of whole months from a to b: the
// largest n with AddMonths(a, n) not after b. A person born on 2006-05-04 is
// 216 months old on 2024-05-04 and 215 on 2024-05-03; one born on
// 2004-02-29 is 216 months old on 2022-02-28. When b is before a the result
// is minus the whole months from b to a.
func WholeMonthsBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	if db.Before(da) {
		return -WholeMonthsBetween(db, da)
	}
	n := (by-ay)*12 + int(bm) - int(am)
	if AddMonths(da, n).After(db) {
		n--
	}
	return n
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, n int) int {
	q := a / n
	if a%n != 0 && (a < 0) != (n < 0) {
		q--
	}
	return q
}
