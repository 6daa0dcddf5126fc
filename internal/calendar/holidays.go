package calendar

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind says why a day departs from the Monday–Friday week.
type Kind string

// The kinds of days in a Schedule.
const (
	// KindHoliday is a statutory holiday (Labour Code 2019, Art. 112).
	KindHoliday Kind = "holiday"
	// KindCompensatory is a day in lieu of a holiday that fell on a weekend
	// (nghỉ bù, Art. 111(3)).
	KindCompensatory Kind = "compensatory"
	// KindSwappedOff is a weekday given off in exchange for a make-up
	// Saturday (hoán đổi ngày làm việc).
	KindSwappedOff Kind = "swapped_off"
	// KindMakeupWorkday is a weekend day worked (làm bù).
	KindMakeupWorkday Kind = "makeup_workday"
)

// Label is the Vietnamese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindHoliday:
		return "nghỉ lễ, tết"
	case KindCompensatory:
		return "nghỉ bù"
	case KindSwappedOff:
		return "nghỉ hoán đổi"
	case KindMakeupWorkday:
		return "làm bù"
	}
	return string(k)
}

// Off reports whether a day of this kind is not worked.
func (k Kind) Off() bool { return k != KindMakeupWorkday }

// Day is one exception to the Monday–Friday week: a weekday off (holiday,
// compensatory, swapped_off) or a weekend day worked (makeup_workday).
// Date is midnight UTC; Name is Vietnamese ("Tết Nguyên đán").
type Day struct {
	Date time.Time
	Kind Kind
	Name string
}

// Schedule is the list of exceptions to the Monday–Friday week of one
// Gregorian year, sorted by date. Official is true for a schedule announced
// by the government (Source then names the documents) and false for a
// provisional one generated from the Labour Code. A holiday that falls on a
// weekend is not listed itself; its compensatory day is.
type Schedule struct {
	Year     int
	Official bool
	Source   string
	Days     []Day
}

// Validate checks that a schedule can be used: the year is supported, every
// date is in that year and appears once, days off are weekdays, make-up days
// are weekend days, and every kind is known. It sorts nothing; New sorts.
func (s Schedule) Validate() error {
	if s.Year < MinWorkdayYear || s.Year > MaxYear {
		return newError(ErrInvalidSchedule, "Lịch nghỉ năm %d nằm ngoài phạm vi tính ngày làm việc (%d–%d)", s.Year, MinWorkdayYear, MaxYear)
	}
	seen := make(map[time.Time]bool, len(s.Days))
	for _, d := range s.Days {
		y, m, dd := d.Date.Date()
		date := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		if y != s.Year {
			return newError(ErrInvalidSchedule, "Lịch nghỉ năm %d có ngày %s thuộc năm khác", s.Year, vnDate(date))
		}
		if seen[date] {
			return newError(ErrInvalidSchedule, "Lịch nghỉ năm %d ghi ngày %s hai lần", s.Year, vnDate(date))
		}
		seen[date] = true
		weekend := isWeekend(date)
		switch d.Kind {
		case KindHoliday, KindCompensatory, KindSwappedOff:
			if weekend {
				return newError(ErrInvalidSchedule,
					"Ngày %s là %s, vốn đã là ngày nghỉ hằng tuần; lịch nghỉ chỉ ghi các ngày thường được nghỉ",
					vnDate(date), weekdayName(date.Weekday()))
			}
		case KindMakeupWorkday:
			if !weekend {
				return newError(ErrInvalidSchedule,
					"Ngày làm bù %s là %s, không phải ngày nghỉ hằng tuần", vnDate(date), weekdayName(date.Weekday()))
			}
		default:
			return newError(ErrInvalidSchedule, "Loại ngày %q của ngày %s không hợp lệ", string(d.Kind), vnDate(date))
		}
	}
	return nil
}

// normalized returns a copy with dates at midnight UTC, sorted by date.
func (s Schedule) normalized() Schedule {
	days := make([]Day, len(s.Days))
	for i, d := range s.Days {
		y, m, dd := d.Date.Date()
		days[i] = Day{Date: time.Date(y, m, dd, 0, 0, 0, 0, time.UTC), Kind: d.Kind, Name: d.Name}
	}
	slices.SortFunc(days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	s.Days = days
	return s
}

func (s Schedule) clone() Schedule {
	s.Days = slices.Clone(s.Days)
	return s
}

func isWeekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

var vnWeekdays = [7]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}

func weekdayName(wd time.Weekday) string { return vnWeekdays[wd] }

//go:embed schedules.json
var schedulesJSON []byte

// builtinSchedules are the official schedules shipped with the package.
var builtinSchedules = sync.OnceValue(func() map[int]Schedule {
	m, err := parseSchedules(schedulesJSON)
	if err != nil {
		panic(err) // covered by TestBuiltinSchedulesValid
	}
	return m
})

// parseSchedules reads the embedded data file: an object keyed by year
// (keys starting with "_" are comments) whose values hold "source" and
// "days" ({"date", "kind", "name"}). Every schedule in it is official.
func parseSchedules(data []byte) (map[int]Schedule, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("calendar: schedules.json: %w", err)
	}
	out := make(map[int]Schedule, len(raw))
	for key, val := range raw {
		if strings.HasPrefix(key, "_") {
			continue
		}
		year, err := strconv.Atoi(key)
		if err != nil {
			return nil, fmt.Errorf("calendar: schedules.json: year %q: %w", key, err)
		}
		var v struct {
			Source string `json:"source"`
			Days   []struct {
				Date string `json:"date"`
				Kind Kind   `json:"kind"`
				Name string `json:"name"`
			} `json:"days"`
		}
		dec := json.NewDecoder(strings.NewReader(string(val)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("calendar: schedules.json: %d: %w", year, err)
		}
		s := Schedule{Year: year, Official: true, Source: v.Source}
		for _, d := range v.Days {
			t, err := time.Parse(time.DateOnly, d.Date)
			if err != nil {
				return nil, fmt.Errorf("calendar: schedules.json: %d: %w", year, err)
			}
			if d.Name == "" {
				return nil, fmt.Errorf("calendar: schedules.json: %s has no name", d.Date)
			}
			s.Days = append(s.Days, Day{Date: t, Kind: d.Kind, Name: d.Name})
		}
		if s.Source == "" {
			return nil, fmt.Errorf("calendar: schedules.json: %d has no source", year)
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("calendar: schedules.json: %w", err)
		}
		out[year] = s.normalized()
	}
	return out, nil
}

// Names of the statutory holidays (Labour Code 2019, Art. 112(1)).
const (
	nameNewYear      = "Tết Dương lịch"
	nameTet          = "Tết Nguyên đán"
	nameHungKings    = "Giỗ Tổ Hùng Vương"
	nameVictory      = "Ngày Chiến thắng"
	nameLabour       = "Quốc tế Lao động"
	nameNational     = "Quốc khánh"
	nameNationalNext = "Quốc khánh (ngày liền kề)"
	nameCulture      = "Ngày Văn hóa Việt Nam"
)

// provisionalSource is the Source of a generated schedule.
const provisionalSource = "Tạm tính theo Bộ luật Lao động 2019 (Điều 111, 112); chưa có thông báo chính thức"

// cultureDayFirstYear is the first year in which 24/11 may be a day off
// (Nghị quyết 80-NQ/TW of 07/01/2026; not enacted as of calendar.md).
const cultureDayFirstYear = 2026

// statutorySchedule generates the schedule of a year from the Labour Code
// alone, for years without an announced one. Where the law leaves a choice
// to the Prime Minister, it follows the precedents of 2021–2026:
//   - Tết: the last two days of the old lunar year and mùng 1–3 (2023, 2024,
//     2025; it gives the same weekdays off as the 2022 and 2026 choices);
//   - Quốc khánh: the adjacent day is the one that joins the break to a
//     weekend: 3/9 when 2/9 is a Monday (2024) or Thursday (2021), 1/9 when
//     it is a Tuesday (2025), Wednesday (2026), Friday (2022) or Saturday
//     (2023); for a Sunday, 3/9 (the next weekday, 4/9, is then in lieu);
//   - no swapped days and no make-up Saturdays.
//
// Each holiday on a Saturday or Sunday gives, in date order, a
// compensatory day on the next weekday that is not already off (Art.
// 111(3)).
func statutorySchedule(year int, include2411 bool) (Schedule, error) {
	type holiday struct {
		date time.Time
		name string
	}
	var hs []holiday
	add := func(t time.Time, name string) { hs = append(hs, holiday{t, name}) }
	ymd := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }

	add(ymd(time.January, 1), nameNewYear)
	tet, err := ToSolar(LunarDate{Year: year, Month: 1, Day: 1})
	if err != nil {
		return Schedule{}, err
	}
	for i := -2; i <= 2; i++ {
		add(tet.AddDate(0, 0, i), nameTet)
	}
	hung, err := ToSolar(LunarDate{Year: year, Month: 3, Day: 10})
	if err != nil {
		return Schedule{}, err
	}
	add(hung, nameHungKings)
	add(ymd(time.April, 30), nameVictory)
	add(ymd(time.May, 1), nameLabour)
	national := ymd(time.September, 2)
	switch national.Weekday() {
	case time.Monday, time.Thursday, time.Sunday:
		add(national, nameNational)
		add(ymd(time.September, 3), nameNationalNext)
	default:
		add(ymd(time.September, 1), nameNationalNext)
		add(national, nameNational)
	}
	if include2411 && year >= cultureDayFirstYear {
		add(ymd(time.November, 24), nameCulture)
	}

	off := make(map[time.Time]bool, len(hs)+4)
	s := Schedule{Year: year, Official: false, Source: provisionalSource}
	for _, h := range hs {
		off[h.date] = true
	}
	for i, h := range hs {
		if slices.IndexFunc(hs[:i], func(o holiday) bool { return o.date.Equal(h.date) }) >= 0 {
			continue // two holidays on one day give one day off
		}
		if !isWeekend(h.date) {
			s.Days = append(s.Days, Day{Date: h.date, Kind: KindHoliday, Name: h.name})
			continue
		}
		d := h.date.AddDate(0, 0, 1)
		for isWeekend(d) || off[d] {
			d = d.AddDate(0, 0, 1)
		}
		off[d] = true
		s.Days = append(s.Days, Day{Date: d, Kind: KindCompensatory, Name: compensatoryName(h.name, h.date)})
	}
	return s.normalized(), nil
}

func compensatoryName(holiday string, on time.Time) string {
	return fmt.Sprintf("Nghỉ bù %s (%s rơi vào %s)", holiday, on.Format("02/01"), weekdayName(on.Weekday()))
}

// withCultureDay adds 24/11 (and its compensatory day) to an official
// schedule that does not hold it yet.
func withCultureDay(s Schedule) Schedule {
	day := time.Date(s.Year, time.November, 24, 0, 0, 0, 0, time.UTC)
	taken := make(map[time.Time]bool, len(s.Days))
	for _, d := range s.Days {
		if d.Date.Equal(day) {
			return s
		}
		taken[d.Date] = true
	}
	s = s.clone()
	if !isWeekend(day) {
		s.Days = append(s.Days, Day{Date: day, Kind: KindHoliday, Name: nameCulture})
	} else {
		d := day.AddDate(0, 0, 1)
		for isWeekend(d) || taken[d] {
			d = d.AddDate(0, 0, 1)
		}
		s.Days = append(s.Days, Day{Date: d, Kind: KindCompensatory, Name: compensatoryName(nameCulture, day)})
	}
	return s.normalized()
}
