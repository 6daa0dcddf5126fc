package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Where the schedule of a year comes from.
const (
	ScheduleOfficial    = "official"    // built into the binary, announced by the government
	ScheduleProvisional = "provisional" // generated from the Labour Code 2019
	ScheduleRecorded    = "recorded"    // recorded by a system administrator
)

// ScheduleInfo is the schedule that applies to a year and where it comes from.
type ScheduleInfo struct {
	calendar.Schedule
	Status     string    // ScheduleOfficial, ScheduleProvisional or ScheduleRecorded
	RecordedAt time.Time // when it was recorded (zero unless recorded)
	RecordedBy string    // who recorded it (username)
}

// metaCalendarVersion changes with every recorded or forgotten schedule,
// so that every process sharing the database rebuilds its calendar.
const metaCalendarVersion = "calendar_version"

// calState is a calendar with the recorded schedules it was built from.
type calState struct {
	cal      *calendar.Calendar
	recorded map[int]*domain.HolidaySchedule
}

// calCache holds the calendars built from recorded schedules, keyed by the
// version stored with them. A version is a random token written with each
// change, so the same key never names two different sets of schedules,
// whichever database they come from.
var calCache struct {
	sync.Mutex
	m map[string]*calState
}

const calCacheSize = 16

// Calendar returns the working-day calendar: the built-in schedules with
// the ones an administrator recorded taking precedence. A schedule
// recorded through any process sharing the database shows at once.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	st, err := s.calendarState(ctx)
	if err != nil {
		return nil, err
	}
	return st.cal, nil
}

func (s *Service) calendarState(ctx context.Context) (*calState, error) {
	version, err := s.store.GetMeta(ctx, metaCalendarVersion)
	if err != nil {
		return nil, err
	}
	if version == "" {
		// No schedule was ever recorded (every recording sets the
		// version): the built-in calendar, without a read per deadline.
		return builtinCal(), nil
	}
	{
		calCache.Lock()
		st := calCache.m[version]
		calCache.Unlock()
		if st != nil {
			return st, nil
		}
	}
	// Read after the version: a change in between makes the next call
	// see a newer version and load again.
	rows, err := s.store.HolidaySchedules(ctx)
	if err != nil {
		return nil, err
	}
	st := &calState{recorded: make(map[int]*domain.HolidaySchedule, len(rows))}
	overrides := make(map[int]calendar.Schedule, len(rows))
	for _, h := range rows {
		sch := scheduleOf(h)
		if err := sch.Validate(); err != nil {
			// Never stop deadlines over one bad row: use the built-in data.
			s.Log.Error("calendar: recorded schedule ignored", "year", h.Year, "err", err)
			continue
		}
		overrides[h.Year] = sch
		st.recorded[h.Year] = h
	}
	if len(overrides) == 0 {
		st.cal = calendar.Default()
	} else if st.cal, err = calendar.New(calendar.Options{Overrides: overrides}); err != nil {
		return nil, err
	}
	if version != "" {
		calCache.Lock()
		if calCache.m == nil || len(calCache.m) >= calCacheSize {
			calCache.m = make(map[string]*calState, calCacheSize)
		}
		calCache.m[version] = st
		calCache.Unlock()
	}
	return st, nil
}

// builtinCal is the calendar state of a database that never recorded a
// schedule.
var builtinCal = sync.OnceValue(func() *calState {
	return &calState{recorded: map[int]*domain.HolidaySchedule{}, cal: calendar.Default()}
})

func scheduleOf(h *domain.HolidaySchedule) calendar.Schedule {
	sch := calendar.Schedule{Year: h.Year, Official: h.Official, Source: h.Source, Days: make([]calendar.Day, len(h.Days))}
	for i, d := range h.Days {
		sch.Days[i] = calendar.Day{Date: d.Date, Kind: calendar.Kind(d.Kind), Name: d.Name}
	}
	return sch
}

// requireSystemAdmin refuses everyone but an admin of the whole system.
func requireSystemAdmin(u *domain.User) error {
	if u.Role != domain.RoleAdmin || u.OrgPath != "" {
		return domain.Errorf(domain.EForbidden, "Chỉ quản trị toàn hệ thống mới xem và ghi nhận được lịch nghỉ lễ, tết")
	}
	return nil
}

// calendarErr turns an error of the calendar package into an EInvalid
// error on the field (its message is already Vietnamese).
func calendarErr(field string, err error) error {
	if ce, ok := errors.AsType[*calendar.Error](err); ok {
		return domain.FieldError(field, "%s", ce.Msg)
	}
	return err
}

// ScheduleOf returns the schedule that applies to a year, for any
// signed-in user.
func (s *Service) ScheduleOf(ctx context.Context, year int) (*ScheduleInfo, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	return s.scheduleOf(ctx, year)
}

func (s *Service) scheduleOf(ctx context.Context, year int) (*ScheduleInfo, error) {
	st, err := s.calendarState(ctx)
	if err != nil {
		return nil, err
	}
	sch, err := st.cal.YearSchedule(year)
	if err != nil {
		return nil, calendarErr("year", err)
	}
	info := &ScheduleInfo{Schedule: sch, Status: ScheduleProvisional}
	if h := st.recorded[year]; h != nil {
		info.Status, info.RecordedAt, info.RecordedBy = ScheduleRecorded, h.RecordedAt, h.RecordedBy
	} else if sch.Official {
		info.Status = ScheduleOfficial
	}
	return info, nil
}

// RecordSchedule records the announced schedule of a year (system admins
// only). From then on it takes precedence over the built-in data, in this
// process and in every other one sharing the database. Kinds may be given
// as codes or Vietnamese labels (ParseKind). A refused day is named in an
// EInvalid error whose Field is "days.N" (N counted from 0).
func (s *Service) RecordSchedule(ctx context.Context, sch calendar.Schedule) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := requireSystemAdmin(me); err != nil {
		return err
	}
	sch, err = checkSchedule(sch)
	if err != nil {
		return err
	}
	h := &domain.HolidaySchedule{Year: sch.Year, Official: sch.Official, Source: sch.Source,
		RecordedAt: s.Now(), RecordedBy: me.Username, Days: make([]domain.HolidayDay, len(sch.Days))}
	for i, d := range sch.Days {
		h.Days[i] = domain.HolidayDay{Date: d.Date, Kind: string(d.Kind), Name: d.Name}
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.PutHolidaySchedule(ctx, h); err != nil {
			return err
		}
		if err := tx.SetMeta(ctx, metaCalendarVersion, rand.Text()); err != nil {
			return err
		}
		n, err := s.in(tx).refreshDeadlines(ctx, sch.Year)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "record", "holiday_schedule", int64(sch.Year),
			map[string]any{"official": sch.Official, "source": sch.Source, "days": len(sch.Days), "cases_refreshed": n})
	})
}

// ForgetSchedule removes the schedule recorded for a year (system admins
// only): the year goes back to the built-in data.
func (s *Service) ForgetSchedule(ctx context.Context, year int) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := requireSystemAdmin(me); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		ok, err := tx.DeleteHolidaySchedule(ctx, year)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.ENotFound, "Năm %d chưa có lịch nghỉ nào được ghi nhận: năm này đang dùng lịch có sẵn", year)
		}
		if err := tx.SetMeta(ctx, metaCalendarVersion, rand.Text()); err != nil {
			return err
		}
		n, err := s.in(tx).refreshDeadlines(ctx, year)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "forget", "holiday_schedule", int64(year), map[string]any{"cases_refreshed": n})
	})
}

// Limits of a recorded schedule.
const (
	maxScheduleDays = 120
	maxDayName      = 200
	maxSource       = 500
)

var weekdayNames = [7]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}

// checkSchedule validates a schedule typed by an administrator and returns
// it cleaned: kinds as codes, names and source NFC-trimmed, dates at
// midnight UTC, sorted by date. Its messages name the day at fault.
func checkSchedule(sch calendar.Schedule) (calendar.Schedule, error) {
	if sch.Year < calendar.MinWorkdayYear || sch.Year > calendar.MaxYear {
		return sch, domain.FieldError("year", "Năm %d nằm ngoài phạm vi tính ngày làm việc (%d–%d)",
			sch.Year, calendar.MinWorkdayYear, calendar.MaxYear)
	}
	sch.Source = vn.Clean(sch.Source)
	switch {
	case sch.Official && sch.Source == "":
		return sch, domain.FieldError("source", "Lịch chính thức cần ghi căn cứ: số và ngày của thông báo hoặc công văn")
	case utf8.RuneCountInString(sch.Source) > maxSource:
		return sch, domain.FieldError("source", "Căn cứ dài quá %d ký tự", maxSource)
	case len(sch.Days) == 0:
		return sch, domain.FieldError("days", "Lịch nghỉ năm %d chưa có ngày nào", sch.Year)
	case len(sch.Days) > maxScheduleDays:
		return sch, domain.FieldError("days", "Lịch nghỉ năm %d có %d ngày, nhiều hơn mức tối đa %d", sch.Year, len(sch.Days), maxScheduleDays)
	}
	days := make([]calendar.Day, len(sch.Days))
	seen := make(map[time.Time]bool, len(sch.Days))
	for i, d := range sch.Days {
		field := fmt.Sprintf("days.%d", i)
		if d.Date.IsZero() {
			return sch, domain.FieldError(field, "Mục thứ %d của lịch nghỉ chưa có ngày", i+1)
		}
		date := domain.DateOf(d.Date)
		shown, wd := vn.Date(date), weekdayNames[date.Weekday()]
		weekend := date.Weekday() == time.Saturday || date.Weekday() == time.Sunday
		kind, ok := ParseKind(string(d.Kind))
		switch {
		case date.Year() != sch.Year:
			return sch, domain.FieldError(field, "Ngày %s không thuộc năm %d", shown, sch.Year)
		case seen[date]:
			return sch, domain.FieldError(field, "Ngày %s được ghi hai lần", shown)
		case !ok:
			return sch, domain.FieldError(field, "Ngày %s: loại %q không hợp lệ; dùng một trong: %s", shown, string(d.Kind), kindList)
		case kind.Off() && weekend:
			return sch, domain.FieldError(field, "Ngày %s là %s, vốn đã là ngày nghỉ hằng tuần: chỉ ghi các ngày từ thứ Hai đến thứ Sáu được nghỉ (ngày lễ rơi vào cuối tuần thì ghi ngày nghỉ bù)", shown, wd)
		case !kind.Off() && !weekend:
			return sch, domain.FieldError(field, "Ngày làm bù %s là %s, không phải thứ Bảy hay Chủ nhật", shown, wd)
		}
		seen[date] = true
		name := vn.Clean(d.Name)
		if name == "" {
			return sch, domain.FieldError(field, "Ngày %s chưa có tên (ví dụ: Tết Nguyên đán, Làm bù cho ngày 29/04)", shown)
		}
		if utf8.RuneCountInString(name) > maxDayName {
			return sch, domain.FieldError(field, "Tên của ngày %s dài quá %d ký tự", shown, maxDayName)
		}
		days[i] = calendar.Day{Date: date, Kind: kind, Name: name}
	}
	slices.SortFunc(days, func(a, b calendar.Day) int { return a.Date.Compare(b.Date) })
	sch.Days = days
	if err := sch.Validate(); err != nil { // the package's own rules, should they grow
		return sch, calendarErr("days", err)
	}
	return sch, nil
}

// Kinds is the list of day kinds, in the order forms offer them.
var Kinds = []calendar.Kind{calendar.KindHoliday, calendar.KindCompensatory, calendar.KindSwappedOff, calendar.KindMakeupWorkday}

const kindList = "holiday (nghỉ lễ, tết), compensatory (nghỉ bù), swapped_off (nghỉ hoán đổi), makeup_workday (làm bù)"

// kindNames maps the folded spellings of each kind to it: the code, the
// Vietnamese label (calendar.Kind.Label) and a few usual short forms.
var kindNames = func() map[string]calendar.Kind {
	m := map[string]calendar.Kind{}
	for _, k := range Kinds {
		m[string(k)] = k
		m[vn.Fold(k.Label())] = k
	}
	for alias, k := range map[string]calendar.Kind{
		"nghi le": calendar.KindHoliday, "le": calendar.KindHoliday, "tet": calendar.KindHoliday,
		"nghi le tet": calendar.KindHoliday, "le, tet": calendar.KindHoliday,
		"swapped off": calendar.KindSwappedOff, "hoan doi": calendar.KindSwappedOff,
		"makeup": calendar.KindMakeupWorkday, "makeup workday": calendar.KindMakeupWorkday,
		"di lam bu": calendar.KindMakeupWorkday, "ngay lam bu": calendar.KindMakeupWorkday,
	} {
		m[alias] = k
	}
	return m
}()

// ParseKind reads a kind of day written as its code ("makeup_workday") or
// its Vietnamese label ("làm bù"), with or without diacritics.
func ParseKind(s string) (calendar.Kind, bool) {
	k, ok := kindNames[vn.Fold(s)]
	return k, ok
}

// ScheduleDoc is the JSON form of a schedule to record, read by the CLI
// (`ketnap calendar record`) and the API (PUT /api/v1/calendar/{year}).
type ScheduleDoc struct {
	Year     int              `json:"year,omitempty"` // optional; when given, it must be the year recorded
	Official bool             `json:"official"`
	Source   string           `json:"source"`
	Days     []ScheduleDocDay `json:"days"`
}

// ScheduleDocDay is one day of a ScheduleDoc.
type ScheduleDocDay struct {
	Date string `json:"date"` // YYYY-MM-DD
	Kind string `json:"kind"` // a code or a Vietnamese label
	Name string `json:"name"`
}

// Schedule returns the schedule of the year the document describes; an
// unreadable date is refused naming the day.
func (d ScheduleDoc) Schedule(year int) (calendar.Schedule, error) {
	if d.Year != 0 && d.Year != year {
		return calendar.Schedule{}, domain.FieldError("year", "Lịch ghi năm %d nhưng được ghi nhận cho năm %d", d.Year, year)
	}
	sch := calendar.Schedule{Year: year, Official: d.Official, Source: d.Source, Days: make([]calendar.Day, len(d.Days))}
	for i, x := range d.Days {
		t, err := time.Parse(domain.DateLayout, x.Date)
		if err != nil {
			what := fmt.Sprintf("%q", x.Date)
			if name := vn.Clean(x.Name); name != "" {
				what += ", " + name
			}
			return sch, domain.FieldError(fmt.Sprintf("days.%d", i),
				"Ngày thứ %d trong danh sách (%s) không hợp lệ: cần một ngày có thật dạng NNNN-TT-NN", i+1, what)
		}
		sch.Days[i] = calendar.Day{Date: t, Kind: calendar.Kind(x.Kind), Name: x.Name}
	}
	return sch, nil
}

// YearView is a year's calendar for the administrators' page: the
// schedule that applies and twelve month grids.
type YearView struct {
	*ScheduleInfo
	LunarYear string    // the Can-Chi name of the lunar year whose Tết falls in the year
	Tet       time.Time // that Tết (mùng 1 tháng Giêng)
	Months    []MonthGrid
}

// MonthGrid is one month as weeks of seven cells, Monday first; the cells
// before the 1st and after the last day are blank.
type MonthGrid struct {
	Month time.Month
	Weeks [][7]DayCell
}

// DayCell is one day of a month grid.
type DayCell struct {
	Date    time.Time // zero for a blank cell
	Lunar   calendar.LunarDate
	Weekend bool
	Off     bool // a weekday not worked (holiday, compensatory, swapped)
	Makeup  bool // a weekend day worked
	Kind    calendar.Kind
	Name    string // the name of the holiday or make-up day
}

// Blank reports whether the cell is padding outside the month.
func (c DayCell) Blank() bool { return c.Date.IsZero() }

// LunarLabel is the short lunar date shown under the day number: the day
// alone ("15"), or day/month ("1/1") on the first day of a lunar month
// and on the 1st of a Gregorian month, with "nhuận" for a leap month.
func (c DayCell) LunarLabel() string {
	if c.Blank() {
		return ""
	}
	if c.Lunar.Day != 1 && c.Date.Day() != 1 {
		return fmt.Sprint(c.Lunar.Day)
	}
	s := fmt.Sprintf("%d/%d", c.Lunar.Day, c.Lunar.Month)
	if c.Lunar.Leap {
		s += " nhuận"
	}
	return s
}

// YearView builds the page of a year (system admins only).
func (s *Service) YearView(ctx context.Context, year int) (*YearView, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireSystemAdmin(me); err != nil {
		return nil, err
	}
	info, err := s.scheduleOf(ctx, year)
	if err != nil {
		return nil, err
	}
	v := &YearView{ScheduleInfo: info, LunarYear: calendar.YearCanChi(year)}
	if v.Tet, err = calendar.ToSolar(calendar.LunarDate{Year: year, Month: 1, Day: 1}); err != nil {
		return nil, calendarErr("year", err)
	}
	special := make(map[time.Time]calendar.Day, len(info.Days))
	for _, d := range info.Days {
		special[d.Date] = d
	}
	for m := time.January; m <= time.December; m++ {
		g := MonthGrid{Month: m}
		first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
		var week [7]DayCell
		for d := first; d.Month() == m; d = d.AddDate(0, 0, 1) {
			col := (int(d.Weekday()) + 6) % 7 // Monday = 0
			l, err := calendar.ToLunar(d)
			if err != nil {
				return nil, calendarErr("year", err)
			}
			c := DayCell{Date: d, Lunar: l, Weekend: col >= 5}
			if sd, ok := special[d]; ok {
				c.Kind, c.Name, c.Off, c.Makeup = sd.Kind, sd.Name, sd.Kind.Off(), !sd.Kind.Off()
			}
			week[col] = c
			if col == 6 {
				g.Weeks, week = append(g.Weeks, week), [7]DayCell{}
			}
		}
		if week != ([7]DayCell{}) {
			g.Weeks = append(g.Weeks, week)
		}
		v.Months = append(v.Months, g)
	}
	return v, nil
}
