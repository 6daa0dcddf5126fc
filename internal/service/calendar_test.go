package service_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// schedule2027 is the provisional 2027 schedule (calendar.md §4.4) plus a
// swap: Thu 11/02/2027 off, worked back on Sat 20/02/2027.
func schedule2027(t *testing.T) calendar.Schedule {
	t.Helper()
	s, err := calendar.YearSchedule(2027)
	if err != nil {
		t.Fatal(err)
	}
	s.Official, s.Source = true, "Thông báo số 1/TB-BNV (thử nghiệm)"
	s.Days = append(s.Days,
		calendar.Day{Date: day(2027, 2, 11), Kind: calendar.KindSwappedOff, Name: "Nghỉ hoán đổi Tết"},
		calendar.Day{Date: day(2027, 2, 20), Kind: "làm bù", Name: "Làm bù cho ngày 11/02"}) // a label is accepted
	return s
}

func addWorkdays(t *testing.T, svc *service.Service, from time.Time, n int) string {
	t.Helper()
	cal, err := svc.Calendar(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got, err := cal.AddWorkdays(from, n)
	if err != nil {
		t.Fatal(err)
	}
	return got.Format(domain.DateLayout)
}

func TestRecordScheduleChangesWorkdays(t *testing.T) {
	svc, ctx := newService(t)
	// 2027: Mon 01/02, Wed 03/02, Thu 04/02 … Tết mùng 1 is Sat 06/02.
	// Built in: Thu 04, Fri 05, Mon 08, Tue 09, Wed 10/02 off, so 3 working
	// days after Wed 03/02 are Thu 11, Fri 12, Mon 15/02 → 2027-02-15; the
	// first working day after Fri 19/02 is Mon 22/02.
	if got := addWorkdays(t, svc, day(2027, 2, 3), 3); got != "2027-02-15" {
		t.Fatalf("built in: %s; want 2027-02-15", got)
	}
	if got := addWorkdays(t, svc, day(2027, 2, 19), 1); got != "2027-02-22" {
		t.Fatalf("built in: %s; want 2027-02-22", got)
	}
	if err := svc.RecordSchedule(ctx, schedule2027(t)); err != nil {
		t.Fatal(err)
	}
	// Recorded: Thu 11/02 is off too, so Fri 12, Mon 15, Tue 16/02 →
	// 2027-02-16; Sat 20/02 is worked, so the day after Fri 19/02 is Sat 20/02.
	if got := addWorkdays(t, svc, day(2027, 2, 3), 3); got != "2027-02-16" {
		t.Errorf("recorded: %s; want 2027-02-16", got)
	}
	if got := addWorkdays(t, svc, day(2027, 2, 19), 1); got != "2027-02-20" {
		t.Errorf("recorded: %s; want 2027-02-20", got)
	}
	info, err := svc.ScheduleOf(ctx, 2027)
	if err != nil {
		t.Fatal(err)
	}
	if info.Status != service.ScheduleRecorded || !info.Official || info.RecordedBy != "system" || !info.RecordedAt.Equal(now) ||
		len(info.Days) != 13 || info.Days[7].Kind != calendar.KindMakeupWorkday || !info.Days[7].Date.Equal(day(2027, 2, 20)) {
		t.Errorf("ScheduleOf(2027) = %+v", info)
	}
	// Other years keep their built-in schedules.
	if info, _ := svc.ScheduleOf(ctx, 2024); info.Status != service.ScheduleOfficial {
		t.Errorf("2024: %s", info.Status)
	}
	if info, _ := svc.ScheduleOf(ctx, 2028); info.Status != service.ScheduleProvisional {
		t.Errorf("2028: %s", info.Status)
	}
	if n := countTable(t, svc, "audit_log"); n != 1 {
		t.Errorf("audit records: %d; want 1", n)
	}

	// Another process sharing the database sees the schedule, and then
	// sees it go when this one forgets it.
	other := openAgain(t, svc)
	if got := addWorkdays(t, other, day(2027, 2, 3), 3); got != "2027-02-16" {
		t.Errorf("other process: %s; want 2027-02-16", got)
	}
	if err := svc.ForgetSchedule(ctx, 2027); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*service.Service{"this": svc, "other": other} {
		if got := addWorkdays(t, s, day(2027, 2, 3), 3); got != "2027-02-15" {
			t.Errorf("%s process after forgetting: %s; want 2027-02-15", name, got)
		}
		if info, _ := s.ScheduleOf(ctx, 2027); info.Status != service.ScheduleProvisional || info.Official {
			t.Errorf("%s process after forgetting: %+v", name, info)
		}
	}
	// Recording again from the other process shows here.
	if err := other.RecordSchedule(ctx, schedule2027(t)); err != nil {
		t.Fatal(err)
	}
	if got := addWorkdays(t, svc, day(2027, 2, 19), 1); got != "2027-02-20" {
		t.Errorf("recorded by the other process: %s; want 2027-02-20", got)
	}
	// Forgetting a year without a recorded schedule is a 404.
	wantErr(t, svc.ForgetSchedule(ctx, 2028), domain.ENotFound)
	if n := countTable(t, svc, "audit_log"); n != 3 {
		t.Errorf("audit records: %d; want 3", n)
	}
}

// openAgain opens the service's database a second time, as another
// process would.
func openAgain(t *testing.T, svc *service.Service) *service.Service {
	t.Helper()
	dsn, ok := dsns.Load(service.StoreOf(svc))
	if !ok {
		t.Fatal("openAgain: not a store of newService")
	}
	st := testkit.Open(t, dsn.(string))
	other := service.New(st, nil)
	other.Now = svc.Now
	return other
}

func TestRecordScheduleOnlySystemAdmin(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	for _, role := range []string{domain.RoleSecretary, domain.RoleOrganizer, domain.RoleViewer, domain.RoleAdmin} {
		_, uctx := mkUser(t, svc, ctx, "u-"+role, role, "huyen") // an admin bound to a unit is not a system admin
		wantErr(t, svc.RecordSchedule(uctx, schedule2027(t)), domain.EForbidden)
		_, err := svc.YearView(uctx, 2024)
		wantErr(t, err, domain.EForbidden)
		// Anyone signed in may read the schedule.
		if _, err := svc.ScheduleOf(uctx, 2024); err != nil {
			t.Errorf("%s reads 2024: %v", role, err)
		}
	}
	if err := svc.RecordSchedule(ctx, schedule2027(t)); err != nil {
		t.Fatal(err)
	}
	_, uctx := mkUser(t, svc, ctx, "bithu", domain.RoleSecretary, "huyen")
	wantErr(t, svc.ForgetSchedule(uctx, 2027), domain.EForbidden)
	wantErr(t, svc.RecordSchedule(t.Context(), schedule2027(t)), domain.EUnauthorized)
	if info, _ := svc.ScheduleOf(ctx, 2027); info.Status != service.ScheduleRecorded {
		t.Error("a refused forget removed the schedule")
	}
}

func TestRecordScheduleRefusesBadSchedules(t *testing.T) {
	svc, ctx := newService(t)
	mk := func(edit func(s *calendar.Schedule)) calendar.Schedule {
		s := schedule2027(t)
		edit(&s)
		return s
	}
	tests := []struct {
		name  string
		s     calendar.Schedule
		field string
		msg   string
	}{
		{"year out of range", mk(func(s *calendar.Schedule) { s.Year = 2020 }), "year", "Năm 2020 nằm ngoài phạm vi"},
		{"official without source", mk(func(s *calendar.Schedule) { s.Source = "  " }), "source", "cần ghi căn cứ"},
		{"no days", mk(func(s *calendar.Schedule) { s.Days = nil }), "days", "chưa có ngày nào"},
		{"day of another year", mk(func(s *calendar.Schedule) { s.Days[3].Date = day(2028, 2, 8) }), "days.3", "Ngày 08/02/2028 không thuộc năm 2027"},
		{"duplicate", mk(func(s *calendar.Schedule) { s.Days[4].Date = day(2027, 2, 5) }), "days.4", "Ngày 05/02/2027 được ghi hai lần"},
		{"unknown kind", mk(func(s *calendar.Schedule) { s.Days[0].Kind = "nghỉ phép" }), "days.0", `Ngày 01/01/2027: loại "nghỉ phép" không hợp lệ`},
		{"day off on a Sunday", mk(func(s *calendar.Schedule) { s.Days[1].Date = day(2027, 2, 7) }), "days.1", "Ngày 07/02/2027 là Chủ nhật, vốn đã là ngày nghỉ hằng tuần"},
		{"make-up on a weekday", mk(func(s *calendar.Schedule) { s.Days[12].Date = day(2027, 2, 17) }), "days.12", "Ngày làm bù 17/02/2027 là thứ Tư"},
		{"no name", mk(func(s *calendar.Schedule) { s.Days[2].Name = " \t" }), "days.2", "Ngày 05/02/2027 chưa có tên"},
		{"no date", mk(func(s *calendar.Schedule) { s.Days[5].Date = time.Time{} }), "days.5", "Mục thứ 6 của lịch nghỉ chưa có ngày"},
	}
	for _, tc := range tests {
		e := wantErr(t, svc.RecordSchedule(ctx, tc.s), domain.EInvalid)
		if e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
			t.Errorf("%s: field %q message %q; want %q containing %q", tc.name, e.Field, e.Message, tc.field, tc.msg)
		}
	}
	if n := countTable(t, svc, "holiday_schedules"); n != 0 {
		t.Errorf("%d schedules stored after refusals", n)
	}
	if n := countTable(t, svc, "audit_log"); n != 0 {
		t.Errorf("%d audit records after refusals", n)
	}
	if info, _ := svc.ScheduleOf(ctx, 2027); info.Status != service.ScheduleProvisional {
		t.Errorf("2027 after refusals: %s", info.Status)
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]calendar.Kind{
		"holiday": calendar.KindHoliday, "nghỉ lễ, tết": calendar.KindHoliday, "Nghỉ lễ": calendar.KindHoliday,
		"compensatory": calendar.KindCompensatory, "nghỉ bù": calendar.KindCompensatory, "NGHI BU": calendar.KindCompensatory,
		"swapped_off": calendar.KindSwappedOff, "nghỉ hoán đổi": calendar.KindSwappedOff,
		"makeup_workday": calendar.KindMakeupWorkday, " làm bù ": calendar.KindMakeupWorkday,
	} {
		if got, ok := service.ParseKind(in); !ok || got != want {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "nghỉ", "work", "nghỉ phép"} {
		if got, ok := service.ParseKind(bad); ok {
			t.Errorf("ParseKind(%q) = %q; want refused", bad, got)
		}
	}
}

func TestScheduleDoc(t *testing.T) {
	doc := service.ScheduleDoc{Official: true, Source: "TB 1", Days: []service.ScheduleDocDay{
		{Date: "2027-01-01", Kind: "holiday", Name: "Tết Dương lịch"},
		{Date: "2027-02-30", Kind: "holiday", Name: "Tết Nguyên đán"},
	}}
	_, err := doc.Schedule(2027)
	e := wantErr(t, err, domain.EInvalid)
	if e.Field != "days.1" || !strings.Contains(e.Message, `Ngày thứ 2 trong danh sách ("2027-02-30", Tết Nguyên đán) không hợp lệ`) {
		t.Errorf("bad date: %q %q", e.Field, e.Message)
	}
	doc.Days = doc.Days[:1]
	doc.Year = 2026
	_, err = doc.Schedule(2027)
	wantErr(t, err, domain.EInvalid)
	doc.Year = 2027
	s, err := doc.Schedule(2027)
	if err != nil || s.Year != 2027 || len(s.Days) != 1 || !s.Days[0].Date.Equal(day(2027, 1, 1)) {
		t.Errorf("Schedule: %+v %v", s, err)
	}
}

func TestYearView(t *testing.T) {
	svc, ctx := newService(t)
	v, err := svc.YearView(ctx, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != service.ScheduleOfficial || v.LunarYear != "Giáp Thìn" || !v.Tet.Equal(day(2024, 2, 10)) || len(v.Months) != 12 {
		t.Fatalf("2024: %s %s %s %d months", v.Status, v.LunarYear, v.Tet, len(v.Months))
	}
	cells := map[string]service.DayCell{}
	n := 0
	for _, m := range v.Months {
		for _, w := range m.Weeks {
			for col, c := range w {
				if c.Blank() {
					continue
				}
				n++
				if c.Date.Month() != m.Month || (int(c.Date.Weekday())+6)%7 != col {
					t.Fatalf("%s in month %d column %d", c.Date.Format(domain.DateLayout), m.Month, col)
				}
				cells[c.Date.Format(domain.DateLayout)] = c
			}
		}
	}
	if n != 366 {
		t.Errorf("%d days in 2024", n)
	}
	// January 2024 starts on a Monday: no blank cell before the 1st.
	if v.Months[0].Weeks[0][0].Date != day(2024, 1, 1) {
		t.Error("1/1/2024 is not in the first column")
	}
	for date, want := range map[string]struct {
		label                string
		weekend, off, makeup bool
		name                 string
	}{
		"2024-02-10": {"1/1", true, false, false, ""},              // Tết Giáp Thìn, a Saturday
		"2024-02-11": {"2", true, false, false, ""},                // mùng 2
		"2024-02-09": {"30", false, true, false, "Tết Nguyên đán"}, // 30 Tết
		"2024-05-04": {"26", true, false, true, ""},                // the make-up Saturday
		"2024-03-01": {"21/1", false, false, false, ""},            // a Gregorian 1st shows the month
		"2024-04-29": {"21", false, true, false, ""},               // swapped
	} {
		c := cells[date]
		if c.LunarLabel() != want.label || c.Weekend != want.weekend || c.Off != want.off || c.Makeup != want.makeup ||
			(want.name != "" && c.Name != want.name) {
			t.Errorf("%s: %q weekend %v off %v makeup %v name %q; want %+v", date, c.LunarLabel(), c.Weekend, c.Off, c.Makeup, c.Name, want)
		}
	}
	// 2025 has a leap 6th month, from 25/07/2025.
	v, err = svc.YearView(ctx, 2025)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range v.Months[6].Weeks {
		for _, c := range w {
			if c.Date.Equal(day(2025, 7, 25)) && c.LunarLabel() != "1/6 nhuận" {
				t.Errorf("25/07/2025: %q", c.LunarLabel())
			}
		}
	}
	_, err = svc.YearView(ctx, 2020)
	wantErr(t, err, domain.EInvalid)
}
