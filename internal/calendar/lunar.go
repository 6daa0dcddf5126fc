package calendar

import (
	"fmt"
	"sync"
	"time"
)

// The supported range of Gregorian years, inclusive.
const (
	MinYear = 1968
	MaxYear = 2100
)

var (
	minJDN = jdFromDate(1, 1, MinYear)
	maxJDN = jdFromDate(31, 12, MaxYear)
)

// table holds the lunar months covering the supported range with a margin on
// both sides; it is built on first use (about a millisecond).
var table = sync.OnceValue(func() *lunarTable {
	t, err := buildLunarTable(vnTimeZone, MinYear-2, MaxYear+1)
	if err != nil {
		panic(err) // the tests build the same table; this cannot happen at run time
	}
	return t
})

// LunarDate is a date of the Vietnamese lunar calendar. Year is the lunar
// year, numbered as the Gregorian year in which its Tết (1/1) falls; Leap
// marks the leap month, which repeats the number of the month before it.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// YearName is the Can-Chi name of the lunar year, e.g. "Giáp Thìn" for 2024.
func (l LunarDate) YearName() string { return YearCanChi(l.Year) }

// String renders the date in Vietnamese, e.g. "Ngày 1 tháng 1 năm Giáp Thìn
// (2024)" or "Ngày 1 tháng 6 nhuận năm Ất Tỵ (2025)".
func (l LunarDate) String() string {
	return fmt.Sprintf("Ngày %d tháng %s năm %s (%d)", l.Day, monthLabel(l.Month, l.Leap), l.YearName(), l.Year)
}

func monthLabel(month int, leap bool) string {
	if leap {
		return fmt.Sprintf("%d nhuận", month)
	}
	return fmt.Sprint(month)
}

// ToLunar converts the calendar day of d (its year, month and day in d's own
// location) to the Vietnamese lunar calendar. It fails with ErrOutOfRange
// outside 1968-01-01..2100-12-31.
func ToLunar(d time.Time) (LunarDate, error) {
	jd := jdnOf(d)
	if jd < minJDN || jd > maxJDN {
		return LunarDate{}, outOfRange(d)
	}
	t := table()
	i := t.find(jd)
	m := t.months[i]
	return LunarDate{Year: int(m.year), Month: int(m.month), Day: jd - int(m.start) + 1, Leap: m.leap}, nil
}

// ToSolar converts a lunar date to its Gregorian date (midnight UTC). It
// fails with ErrInvalidLunarDate when the date does not exist (month outside
// 1..12, a leap flag for a month that is not the year's leap month, day 30
// of a 29-day month) and with ErrOutOfRange when the Gregorian date would be
// outside 1968-01-01..2100-12-31.
func ToSolar(l LunarDate) (time.Time, error) {
	if l.Month < 1 || l.Month > 12 {
		return time.Time{}, newError(ErrInvalidLunarDate,
			"Tháng %d không hợp lệ: tháng âm lịch phải từ 1 đến 12", l.Month)
	}
	if l.Day < 1 || l.Day > 30 {
		return time.Time{}, newError(ErrInvalidLunarDate,
			"Ngày %d không hợp lệ: ngày âm lịch phải từ 1 đến 30", l.Day)
	}
	t := table()
	from, to, ok := t.yearMonths(l.Year)
	if !ok || l.Year < MinYear-1 || l.Year > MaxYear {
		return time.Time{}, newError(ErrOutOfRange,
			"Năm âm lịch %d nằm ngoài phạm vi hỗ trợ (%d–%d)", l.Year, MinYear, MaxYear)
	}
	idx, leapMonth := -1, 0
	for i := from; i < to; i++ {
		m := t.months[i]
		if m.leap {
			leapMonth = int(m.month)
		}
		if int(m.month) == l.Month && m.leap == l.Leap {
			idx = i
		}
	}
	if idx < 0 {
		// Every year has months 1..12, so only a leap flag can miss.
		if leapMonth == 0 {
			return time.Time{}, newError(ErrInvalidLunarDate,
				"Năm %d không có tháng nhuận %d (năm %s không có tháng nhuận nào)", l.Year, l.Month, YearCanChi(l.Year))
		}
		return time.Time{}, newError(ErrInvalidLunarDate,
			"Năm %d không có tháng nhuận %d (năm %s nhuận tháng %d)", l.Year, l.Month, YearCanChi(l.Year), leapMonth)
	}
	start := int(t.months[idx].start)
	if length := t.monthEnd(idx) - start; l.Day > length {
		return time.Time{}, newError(ErrInvalidLunarDate,
			"Tháng %s năm %s (%d) chỉ có %d ngày, không có ngày %d", monthLabel(l.Month, l.Leap),
			YearCanChi(l.Year), l.Year, length, l.Day)
	}
	jd := start + l.Day - 1
	if jd < minJDN || jd > maxJDN {
		return time.Time{}, newError(ErrOutOfRange,
			"Ngày %d tháng %s năm %d âm lịch là ngày %s, nằm ngoài phạm vi hỗ trợ (01/01/%d–31/12/%d)",
			l.Day, monthLabel(l.Month, l.Leap), l.Year, vnDate(dateOf(jd)), MinYear, MaxYear)
	}
	return dateOf(jd), nil
}

// LeapMonth returns the number of the leap month of lunar year y, or 0 when
// the year has none (2023 → 2, 2024 → 0, 2025 → 6).
func LeapMonth(y int) (int, error) {
	if y < MinYear || y > MaxYear {
		return 0, newError(ErrOutOfRange, "Năm âm lịch %d nằm ngoài phạm vi hỗ trợ (%d–%d)", y, MinYear, MaxYear)
	}
	t := table()
	from, to, _ := t.yearMonths(y)
	for i := from; i < to; i++ {
		if t.months[i].leap {
			return int(t.months[i].month), nil
		}
	}
	return 0, nil
}

// MonthLength returns the number of days (29 or 30) of a lunar month, with
// the same validation as ToSolar.
func MonthLength(year, month int, leap bool) (int, error) {
	first, err := ToSolar(LunarDate{Year: year, Month: month, Day: 1, Leap: leap})
	if err != nil {
		return 0, err
	}
	t := table()
	i := t.find(jdnOf(first))
	return t.monthEnd(i) - int(t.months[i].start), nil
}

var (
	heavenlyStems   = [10]string{"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"}
	earthlyBranches = [12]string{"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"}
)

// YearCanChi is the Can-Chi name of a lunar year: 2024 → "Giáp Thìn",
// 2025 → "Ất Tỵ", 1984 → "Giáp Tý".
func YearCanChi(y int) string {
	return heavenlyStems[mod(y+6, 10)] + " " + earthlyBranches[mod(y+8, 12)]
}

// DayCanChi is the Can-Chi name of the calendar day of d, e.g. 2026-02-20 →
// "Ất Sửu". It is defined for any date.
func DayCanChi(d time.Time) string {
	jd := jdnOf(d)
	return heavenlyStems[mod(jd+9, 10)] + " " + earthlyBranches[mod(jd+1, 12)]
}

func mod(a, n int) int {
	r := a % n
	if r < 0 {
		r += n
	}
	return r
}
