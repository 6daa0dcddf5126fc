package calendar

import (
	"sync"
	"sync/atomic"
	"time"
)

// MinWorkdayYear is the first year of working-day arithmetic: the Labour
// Code 2019 (45/2019/QH14), whose holidays the provisional schedules follow,
// is in force from 1 January 2021. Earlier years had other holidays (one day
// for Quốc khánh until 2020, four days of Tết until 2012) and, before 1999,
// a six-day week, so they are refused rather than guessed.
const MinWorkdayYear = 2021

var minWorkdayJDN = jdFromDate(1, 1, MinWorkdayYear)

// Options configure a Calendar.
type Options struct {
	// Overrides are schedules recorded by an administrator, keyed by year.
	// They take precedence over the built-in official data and over the
	// generated provisional schedule, and are used exactly as given (the
	// 24/11 option does not touch them).
	Overrides map[int]Schedule
	// Include2411 makes 24/11 (Ngày Văn hóa Việt Nam) a holiday from 2026 on,
	// in built-in and generated schedules. Off by default: as of
	// calendar.md it is a policy (Nghị quyết 80-NQ/TW), not yet law.
	Include2411 bool
}

// Calendar answers working-day questions. Build one with New, or use
// Default(); the zero value behaves like New(Options{}). It is safe for
// concurrent use; each year's working days are computed on first use and
// kept.
type Calendar struct {
	overrides   map[int]Schedule
	include2411 bool
	years       [MaxYear - MinWorkdayYear + 1]atomic.Pointer[yearData]
}

// yearData is the precomputed working-day index of one year.
type yearData struct {
	sched   Schedule
	firstJD int      // JDN of 1 January
	cum     []uint16 // cum[i]: working days among the first i days of the year
	work    []uint16 // day of year (0-based) of each working day, ascending
}

// New returns a Calendar. It fails with ErrInvalidSchedule when an override
// is invalid (see Schedule.Validate) or filed under another year.
func New(opts Options) (*Calendar, error) {
	c := &Calendar{include2411: opts.Include2411, overrides: make(map[int]Schedule, len(opts.Overrides))}
	for y, s := range opts.Overrides {
		if s.Year != y {
			return nil, newError(ErrInvalidSchedule, "Lịch nghỉ năm %d được ghi vào năm %d", s.Year, y)
		}
		if err := s.Validate(); err != nil {
			return nil, err
		}
		c.overrides[y] = s.normalized()
	}
	return c, nil
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(Options{})
	if err != nil {
		panic(err)
	}
	return c
})

// Default is the calendar with the built-in schedules, no overrides and
// without 24/11.
func Default() *Calendar { return defaultCalendar() }

// YearSchedule returns the schedule of a year on the default calendar.
func YearSchedule(year int) (Schedule, error) { return Default().YearSchedule(year) }

// IsWorkday reports whether d is a working day on the default calendar.
func IsWorkday(d time.Time) (bool, error) { return Default().IsWorkday(d) }

// AddWorkdays is Calendar.AddWorkdays on the default calendar.
func AddWorkdays(d time.Time, n int) (time.Time, error) { return Default().AddWorkdays(d, n) }

// WorkdaysBetween is Calendar.WorkdaysBetween on the default calendar.
func WorkdaysBetween(a, b time.Time) (int, error) { return Default().WorkdaysBetween(a, b) }

// YearSchedule returns the schedule that applies to a year: the override,
// else the built-in official schedule, else the provisional one generated
// from the Labour Code (Official false). The result is a copy.
func (c *Calendar) YearSchedule(year int) (Schedule, error) {
	yd, err := c.year(year)
	if err != nil {
		return Schedule{}, err
	}
	return yd.sched.clone(), nil
}

// IsWorkday reports whether the calendar day of d is a working day.
func (c *Calendar) IsWorkday(d time.Time) (bool, error) {
	jd := jdnOf(d)
	if jd < minWorkdayJDN || jd > maxJDN {
		return false, outOfWorkdayRange(d)
	}
	yd, err := c.year(d.Year())
	if err != nil {
		return false, err
	}
	i := jd - yd.firstJD
	return yd.cum[i+1] != yd.cum[i], nil
}

// AddWorkdays returns the n-th working day strictly after the calendar day
// of d; n = 0 returns d itself (at midnight UTC), and a negative n counts
// back: the |n|-th working day strictly before d. It fails with
// ErrOutOfRange when d or the result is outside the supported range. The
// cost is O(1) per year crossed.
func (c *Calendar) AddWorkdays(d time.Time, n int) (time.Time, error) {
	jd := jdnOf(d)
	if jd < minWorkdayJDN || jd > maxJDN {
		return time.Time{}, outOfWorkdayRange(d)
	}
	if n == 0 {
		return dateOf(jd), nil
	}
	y := d.Year()
	yd, err := c.year(y)
	if err != nil {
		return time.Time{}, err
	}
	doy := jd - yd.firstJD
	if n > 0 {
		r := int(yd.cum[doy+1]) + n // 1-based rank of the answer within year y
		for r > len(yd.work) {
			r -= len(yd.work)
			if y++; y > MaxYear {
				return time.Time{}, newError(ErrOutOfRange,
					"Ngày làm việc thứ %d sau ngày %s vượt quá phạm vi tính ngày làm việc (đến 31/12/%d)", n, vnDate(dateOf(jd)), MaxYear)
			}
			if yd, err = c.year(y); err != nil {
				return time.Time{}, err
			}
		}
		return dateOf(yd.firstJD + int(yd.work[r-1])), nil
	}
	r := int(yd.cum[doy]) + n + 1 // 1-based rank of the answer within year y
	for r < 1 {
		if y--; y < MinWorkdayYear {
			return time.Time{}, newError(ErrOutOfRange,
				"Ngày làm việc thứ %d trước ngày %s vượt quá phạm vi tính ngày làm việc (từ 01/01/%d)", -n, vnDate(dateOf(jd)), MinWorkdayYear)
		}
		if yd, err = c.year(y); err != nil {
			return time.Time{}, err
		}
		r += len(yd.work)
	}
	return dateOf(yd.firstJD + int(yd.work[r-1])), nil
}

// WorkdaysBetween counts the working days from a toward b, leaving a out
// and counting b: the working days after a up to and including b, or, when
// b is before a, minus the working days from b up to the day before a. So
// AddWorkdays(a, n) = b implies WorkdaysBetween(a, b) = n for any sign of n.
func (c *Calendar) WorkdaysBetween(a, b time.Time) (int, error) {
	for _, t := range []time.Time{a, b} {
		if jd := jdnOf(t); jd < minWorkdayJDN || jd > maxJDN {
			return 0, outOfWorkdayRange(t)
		}
	}
	ja, jb := jdnOf(a), jdnOf(b)
	if jb >= ja {
		// (a, b]: working days up to b minus those up to a.
		return c.rankDiff(a, ja, 1, b, jb, 1)
	}
	// [b, a): working days before a minus those before b.
	n, err := c.rankDiff(b, jb, 0, a, ja, 0)
	return -n, err
}

// rankDiff returns R(hi) - R(lo) where R(x) counts the working days of the
// range before x, plus x itself when incl is 1; lo is not after hi.
func (c *Calendar) rankDiff(lo time.Time, jlo, inclLo int, hi time.Time, jhi, inclHi int) (int, error) {
	ylo, yhi := lo.Year(), hi.Year()
	count := 0
	for y := ylo; y < yhi; y++ {
		yd, err := c.year(y)
		if err != nil {
			return 0, err
		}
		count += len(yd.work)
	}
	ydlo, err := c.year(ylo)
	if err != nil {
		return 0, err
	}
	ydhi, err := c.year(yhi)
	if err != nil {
		return 0, err
	}
	count += int(ydhi.cum[jhi-ydhi.firstJD+inclHi]) - int(ydlo.cum[jlo-ydlo.firstJD+inclLo])
	return count, nil
}

// year returns the working-day index of year y, computing it once.
func (c *Calendar) year(y int) (*yearData, error) {
	if y < MinWorkdayYear || y > MaxYear {
		return nil, newError(ErrOutOfRange,
			"Năm %d nằm ngoài phạm vi tính ngày làm việc (%d–%d; trước năm %d chưa áp dụng Bộ luật Lao động 2019)",
			y, MinWorkdayYear, MaxYear, MinWorkdayYear)
	}
	p := &c.years[y-MinWorkdayYear]
	if yd := p.Load(); yd != nil {
		return yd, nil
	}
	s, err := c.schedule(y)
	if err != nil {
		return nil, err
	}
	p.CompareAndSwap(nil, indexYear(s))
	return p.Load(), nil
}

// schedule picks the schedule of year y by precedence.
func (c *Calendar) schedule(y int) (Schedule, error) {
	if s, ok := c.overrides[y]; ok {
		return s, nil
	}
	if s, ok := builtinSchedules()[y]; ok {
		if c.include2411 && y >= cultureDayFirstYear {
			s = withCultureDay(s)
		}
		return s, nil
	}
	return statutorySchedule(y, c.include2411)
}

// indexYear builds the prefix counts and the list of working days of a
// year from its schedule.
func indexYear(s Schedule) *yearData {
	first := jdFromDate(1, 1, s.Year)
	n := jdFromDate(1, 1, s.Year+1) - first
	exc := make(map[int]Kind, len(s.Days))
	for _, d := range s.Days {
		exc[jdnOf(d.Date)-first] = d.Kind
	}
	yd := &yearData{sched: s, firstJD: first, cum: make([]uint16, n+1), work: make([]uint16, 0, 262)}
	for i := range n {
		weekday := time.Weekday((first + i + 1) % 7)
		work := weekday != time.Saturday && weekday != time.Sunday
		if k, ok := exc[i]; ok {
			work = !k.Off()
		}
		yd.cum[i+1] = yd.cum[i]
		if work {
			yd.cum[i+1]++
			yd.work = append(yd.work, uint16(i))
		}
	}
	return yd
}

func outOfWorkdayRange(t time.Time) *Error {
	return newError(ErrOutOfRange,
		"Ngày %s nằm ngoài phạm vi tính ngày làm việc (01/01/%d–31/12/%d; trước năm %d chưa áp dụng Bộ luật Lao động 2019)",
		vnDate(t), MinWorkdayYear, MaxYear, MinWorkdayYear)
}
