package calendar

import (
	"fmt"
	"math"
	"time"
)

// The astronomy behind the lunar calendar (calendar.md §1.2): Julian day
// numbers, the true new moon (Meeus ch. 49, truncated series) and the true
// geometric solar longitude (Meeus ch. 25, low accuracy). Everything here
// takes the time zone as a parameter only so that tests can compare with the
// Chinese calendar (UTC+8); the package itself always uses vnTimeZone.

const (
	// vnTimeZone is UTC+7 (105°E), the meridian of the Vietnamese calendar.
	// It is a constant on purpose: never derive it from time.Local or from a
	// caller's time.Time (calendar.md B3).
	vnTimeZone = 7.0

	deg2rad = math.Pi / 180

	// synodicMonth is the mean length of a lunation in days.
	synodicMonth = 29.530588853
	// newMoonEpoch is the JD of new moon number 0 (1900-01-01 13:52 UT).
	newMoonEpoch = 2415021.076998695

	// unixEpochJDN is the Julian day number of 1970-01-01.
	unixEpochJDN = 2440588
)

// jdFromDate returns the Julian day number of a Gregorian date. Only the
// Gregorian form is implemented: every date this package handles is after
// 1582.
func jdFromDate(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	return dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
}

// jdnOf is the Julian day number of the calendar day of t in t's location.
func jdnOf(t time.Time) int {
	y, m, d := t.Date()
	return jdFromDate(d, int(m), y)
}

// dateOf is midnight UTC of the day with Julian day number jd.
func dateOf(jd int) time.Time {
	return time.Unix(int64(jd-unixEpochJDN)*86400, 0).UTC()
}

// newMoon returns the instant (JD, UT, fractional) of the k-th new moon after
// the epoch new moon of 1900-01-01.
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2 := t * t
	t3 := t2 * t
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*deg2rad)
	m := (359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3) * deg2rad    // Sun's mean anomaly
	mpr := (306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3) * deg2rad // Moon's mean anomaly
	f := (21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3) * deg2rad    // Moon's argument of latitude
	c1 := (0.1734-0.000393*t)*math.Sin(m) +
		0.0021*math.Sin(2*m) -
		0.4068*math.Sin(mpr) +
		0.0161*math.Sin(2*mpr) -
		0.0004*math.Sin(3*mpr) +
		0.0104*math.Sin(2*f) -
		0.0051*math.Sin(m+mpr) -
		0.0074*math.Sin(m-mpr) +
		0.0004*math.Sin(2*f+m) -
		0.0004*math.Sin(2*f-m) -
		0.0006*math.Sin(2*f+mpr) +
		0.0010*math.Sin(2*f-mpr) +
		0.0005*math.Sin(2*mpr+m)
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the Sun's true geometric longitude, in radians in
// [0, 2π), at the instant jd (JD, UT). No nutation, no aberration.
func sunLongitude(jd float64) float64 {
	t := (jd - 2451545.0) / 36525
	t2 := t * t
	m := (357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2) * deg2rad
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600-0.004817*t-0.000014*t2)*math.Sin(m) +
		(0.019993-0.000101*t)*math.Sin(2*m) +
		0.000290*math.Sin(3*m)
	l := (l0 + dl) * deg2rad
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// newMoonDay is the local day (JDN) that contains the k-th new moon.
func newMoonDay(k int, tz float64) int {
	return int(math.Floor(newMoon(k) + 0.5 + tz/24))
}

// sunSector is the 30° sector (0..11) of the solar longitude at the local
// midnight that starts day jd. Sector 0 starts at the vernal equinox (Xuân
// phân), sector 9 at the winter solstice (Đông chí). A month whose first day
// and the first day of the next month are in the same sector contains no
// principal term (trung khí).
func sunSector(jd int, tz float64) int {
	return int(math.Floor(sunLongitude(float64(jd)-0.5-tz/24) / math.Pi * 6))
}

// month11Index returns the number k of the new moon that starts month 11 of
// Gregorian year yy, the month that contains the winter solstice.
func month11Index(yy int, tz float64) int {
	off := jdFromDate(31, 12, yy) - 2415021
	k := int(math.Floor(float64(off) / synodicMonth))
	if sunSector(newMoonDay(k, tz), tz) >= 9 {
		k--
	}
	return k
}

// lunarMonth is one month of the precomputed table.
type lunarMonth struct {
	start int32 // JDN of day 1
	year  int16 // lunar year (the Gregorian year its Tết falls in)
	month int8  // 1..12
	leap  bool
}

// lunarTable lists every lunar month, in order and without gaps, from month
// 11 of Gregorian year firstYear to month 10 of lunar year lastYear+1.
type lunarTable struct {
	months []lunarMonth
	end    int // JDN of the day after the last month
	// yearFirst[y-firstYear] is the index in months of month 1 of lunar year
	// y, for y in firstYear+1 .. lastYear+1.
	firstYear int
	yearFirst []int
}

// buildLunarTable computes the months between the month 11 of firstYear and
// the month 11 of lastYear+1. Between two consecutive months 11 there are 12
// months, or 13 in a leap year, whose leap month is the first month after
// month 11 that contains no principal term; it repeats the previous month's
// number (calendar.md §1.1). Months 11 and 12 belong to the lunar year of
// the Gregorian year they start in (or end, for month 12 starting in
// December); months 1..10 to the next one.
func buildLunarTable(tz float64, firstYear, lastYear int) (*lunarTable, error) {
	tbl := &lunarTable{firstYear: firstYear}
	k := month11Index(firstYear, tz)
	for yy := firstYear; yy <= lastYear; yy++ {
		next := month11Index(yy+1, tz)
		n := next - k
		if n != 12 && n != 13 {
			return nil, fmt.Errorf("calendar: %d months between the months 11 of %d and %d", n, yy, yy+1)
		}
		starts := make([]int, n+1)
		for i := range starts {
			starts[i] = newMoonDay(k+i, tz)
		}
		leapAt := -1
		if n == 13 {
			for i := 1; i < n; i++ {
				if sunSector(starts[i], tz) == sunSector(starts[i+1], tz) {
					leapAt = i
					break
				}
			}
			if leapAt < 0 {
				return nil, fmt.Errorf("calendar: lunar year after month 11 of %d has 13 months and no month without a principal term", yy)
			}
		}
		for i := range n {
			m := lunarMonth{start: int32(starts[i])}
			switch {
			case leapAt < 0 || i < leapAt:
				m.month = int8((10+i)%12 + 1)
			case i == leapAt:
				m.month = int8((9+i)%12 + 1)
				m.leap = true
			default:
				m.month = int8((9+i)%12 + 1)
			}
			m.year = int16(yy + 1)
			if m.month >= 11 {
				m.year = int16(yy)
			}
			if m.month == 1 && !m.leap {
				tbl.yearFirst = append(tbl.yearFirst, len(tbl.months))
			}
			tbl.months = append(tbl.months, m)
		}
		tbl.end = starts[n]
		k = next
	}
	// Sanity: months are contiguous, 29 or 30 days long.
	for i, m := range tbl.months {
		end := tbl.end
		if i+1 < len(tbl.months) {
			end = int(tbl.months[i+1].start)
		}
		if l := end - int(m.start); l != 29 && l != 30 {
			return nil, fmt.Errorf("calendar: lunar month %d/%d starting JDN %d has %d days", m.month, m.year, m.start, l)
		}
	}
	return tbl, nil
}

// find returns the index of the month containing day jd, or -1.
func (t *lunarTable) find(jd int) int {
	if len(t.months) == 0 || jd < int(t.months[0].start) || jd >= t.end {
		return -1
	}
	// Binary search for the last month starting on or before jd.
	lo, hi := 0, len(t.months)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if int(t.months[mid].start) <= jd {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// monthEnd returns the JDN of the day after month i.
func (t *lunarTable) monthEnd(i int) int {
	if i+1 < len(t.months) {
		return int(t.months[i+1].start)
	}
	return t.end
}

// yearMonths returns the index range [from, to) of the months of lunar year
// y, or ok=false when the table does not hold the whole year.
func (t *lunarTable) yearMonths(y int) (from, to int, ok bool) {
	i := y - t.firstYear - 1
	if i < 0 || i+1 >= len(t.yearFirst) {
		return 0, 0, false
	}
	return t.yearFirst[i], t.yearFirst[i+1], true
}
