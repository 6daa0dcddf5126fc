package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"ketnap/internal/calendar"
	"ketnap/internal/testkit"
)

func calRun(args ...string) (code int, stdout, stderr string) {
	return calRunIn("", args...)
}

// calRunIn runs `ketnap calendar` with args and stdin, without KETNAP_DB.
func calRunIn(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cmdCalendar(Env{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

// calVietnamese reports whether a message reads as Vietnamese: it has
// letters with Vietnamese diacritics and none of the flag package's English.
func calVietnamese(s string) bool {
	for _, en := range []string{"flag provided", "invalid value", "Usage", "parsing time", "needs an argument"} {
		if strings.Contains(s, en) {
			return false
		}
	}
	return utf8.ValidString(s) && strings.ContainsAny(s, "ạảãàáâậầấẩẫăắằặẳẵệềếểễịỉĩìíọỏõòóôộồốổỗơợờớởỡụủũùúưựừứửữỵỷỹỳýđ")
}

func TestCalendarLunar(t *testing.T) {
	for _, args := range [][]string{
		{"lunar", "2024-02-10"},
		{"lunar", "--db", "x.db", "2024-02-10"}, // the global --db is accepted
	} {
		code, out, errs := calRun(args...)
		if code != 0 || out != "Ngày 1 tháng 1 năm Giáp Thìn (2024)\n" || errs != "" {
			t.Errorf("%v: %d %q %q", args, code, out, errs)
		}
	}
	const want = `{"day":1,"month":1,"year":2024,"leap":false,"year_name":"Giáp Thìn"}` + "\n" // CONTRACT.md
	for _, args := range [][]string{{"lunar", "2024-02-10", "--json"}, {"lunar", "--json", "2024-02-10"}, {"lunar", "-json", "2024-02-10"}} {
		if code, out, _ := calRun(args...); code != 0 || out != want {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	if code, out, _ := calRun("lunar", "2025-07-25"); code != 0 || out != "Ngày 1 tháng 6 nhuận năm Ất Tỵ (2025)\n" {
		t.Errorf("leap month text: %d %q", code, out)
	}
}

// The CLI against public reference points (shared/reference/calendar.md:
// Tết 2024–2027, the leap months of Quý Mão and Ất Tỵ; the Hùng Kings'
// day, 10/3, from the official holiday schedules): a fixed table, not the
// library the CLI calls.
func TestCalendarLunarReferencePoints(t *testing.T) {
	for _, tc := range []struct {
		solar            string
		day, month, year int
		leap             bool
		yearName         string
	}{
		{"2023-03-22", 1, 2, 2023, true, "Quý Mão"},
		{"2024-02-10", 1, 1, 2024, false, "Giáp Thìn"},
		{"2024-04-18", 10, 3, 2024, false, "Giáp Thìn"},
		{"2025-01-29", 1, 1, 2025, false, "Ất Tỵ"},
		{"2025-04-07", 10, 3, 2025, false, "Ất Tỵ"},
		{"2025-07-25", 1, 6, 2025, true, "Ất Tỵ"},
		{"2026-02-17", 1, 1, 2026, false, "Bính Ngọ"},
		{"2027-02-06", 1, 1, 2027, false, "Đinh Mùi"},
	} {
		code, out, errs := calRun("lunar", tc.solar, "--json")
		var got struct {
			Day, Month, Year int
			Leap             bool
			YearName         string `json:"year_name"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("lunar %s: %d %q %q", tc.solar, code, out, errs)
		}
		if got.Day != tc.day || got.Month != tc.month || got.Year != tc.year || got.Leap != tc.leap || got.YearName != tc.yearName {
			t.Errorf("lunar %s = %+v, want %d/%d/%d leap=%v %s", tc.solar, got, tc.day, tc.month, tc.year, tc.leap, tc.yearName)
		}
	}
}

// The CLI prints, for every day of 2024–2026, the lunar date of
// internal/calendar (whose own tests check it against references), and
// "solar" takes that lunar date back to the same day: the commands wire
// the library faithfully both ways.
func TestCalendarCLIPrintsLibraryAndRoundTrips(t *testing.T) {
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2027; d = d.AddDate(0, 0, 1) {
		code, out, errs := calRun("lunar", d.Format(time.DateOnly), "--json")
		var got struct {
			Day, Month, Year int
			Leap             bool
			YearName         string `json:"year_name"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("%s: %d %q %q", d.Format(time.DateOnly), code, out, errs)
		}
		want, _ := calendar.ToLunar(d)
		if got.Day != want.Day || got.Month != want.Month || got.Year != want.Year || got.Leap != want.Leap || got.YearName != want.YearName() {
			t.Fatalf("%s: CLI %+v, library %+v", d.Format(time.DateOnly), got, want)
		}
		leapFlag := []string{}
		if want.Leap {
			leapFlag = append(leapFlag, "--leap")
		}
		lunar := []string{"solar", strings.Join([]string{strconv.Itoa(want.Year), strconv.Itoa(want.Month), strconv.Itoa(want.Day)}, "-")}
		code, out, errs = calRun(append(lunar, leapFlag...)...)
		if code != 0 || out != d.Format(time.DateOnly)+"\n" {
			t.Fatalf("solar %v: %d %q %q; want %s", append(lunar, leapFlag...), code, out, errs, d.Format(time.DateOnly))
		}
	}
}

func TestCalendarSolar(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"solar", "2024-01-01"}, "2024-02-10\n"},
		{[]string{"solar", "2023-02-01", "--leap"}, "2023-03-22\n"}, // calendar.md: leap month 2 of Quý Mão
		{[]string{"solar", "--leap", "2025-06-01"}, "2025-07-25\n"}, // calendar.md: leap month 6 of Ất Tỵ
		{[]string{"solar", "2025-6-1"}, "2025-06-25\n"},             // the ordinary month 6
	} {
		if code, out, errs := calRun(tc.args...); code != 0 || out != tc.want {
			t.Errorf("%v: %d %q %q; want %q", tc.args, code, out, errs, tc.want)
		}
	}
}

func TestCalendarWorkdays(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		// 30/4 2024 with the swap of Mon 29/04 and make-up Sat 04/05 (2450/VPCP-KGVX).
		{[]string{"workdays", "--from", "2024-04-26", "--days", "3"}, "2024-05-04\n"},
		{[]string{"workdays", "--days", "45", "--from", "2024-05-03"}, "2024-07-04\n"}, // CONTRACT.md example
		{[]string{"workdays", "--from=2024-02-07", "--days=1"}, "2024-02-15\n"},        // after Tết Giáp Thìn
		{[]string{"workdays", "--from", "2024-02-15", "--days", "-1"}, "2024-02-07\n"},
	} {
		code, out, errs := calRun(tc.args...)
		if code != 0 || out != tc.want {
			t.Errorf("%v: %d %q %q; want %q", tc.args, code, out, errs, tc.want)
		}
	}
}

func TestCalendarHolidays(t *testing.T) {
	code, out, errs := calRun("holidays", "2024", "--json")
	var got struct {
		Year     int
		Status   string
		Official bool
		Source   string
		Days     []struct{ Date, Weekday, Kind, KindLabel, Name, Status string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("holidays 2024 --json: %d %q %q", code, out, errs)
	}
	lib, _ := calendar.YearSchedule(2024)
	if got.Year != 2024 || got.Status != "official" || !got.Official || !strings.Contains(got.Source, "8662/VPCP-KGVX") || len(got.Days) != len(lib.Days) {
		t.Fatalf("holidays 2024: %+v", got)
	}
	for i, d := range got.Days {
		l := lib.Days[i]
		if d.Date != l.Date.Format(time.DateOnly) || d.Kind != string(l.Kind) || d.Name != l.Name || d.Status != "official" {
			t.Errorf("day %d: %+v, library %+v", i, d, l)
		}
	}
	if got.Days[10].Date != "2024-05-04" || got.Days[10].Kind != "makeup_workday" || got.Days[10].Weekday != "Thứ Bảy" {
		t.Errorf("make-up Saturday: %+v", got.Days[10])
	}

	code, out, _ = calRun("holidays", "--json", "2027")
	if code != 0 || !strings.Contains(out, `"status":"provisional"`) || !strings.Contains(out, `"official":false`) {
		t.Errorf("holidays 2027: %d %s", code, out)
	}

	code, out, _ = calRun("holidays", "2024")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 1+len(lib.Days) || !strings.HasPrefix(lines[0], "Năm 2024: lịch chính thức (Công văn 8662/VPCP-KGVX") {
		t.Fatalf("holidays 2024 text: %d\n%s", code, out)
	}
	for _, want := range []string{"2024-04-29  Thứ Hai", "nghỉ hoán đổi", "Tết Nguyên đán", "2024-05-04  Thứ Bảy", "làm bù"} {
		if !strings.Contains(out, want) {
			t.Errorf("holidays 2024 text lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ = calRun("holidays", "2030"); code != 0 || !strings.Contains(out, "lịch tạm tính") {
		t.Errorf("holidays 2030: %d %s", code, out)
	}
}

// Input that is well-formed as a command but wrong: exit 1 and a
// Vietnamese message on stderr, nothing on stdout.
func TestCalendarFailures(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"lunar", "2024-02-30"}, "không hợp lệ"},
		{[]string{"lunar", "10/02/2024"}, "YYYY-MM-DD"},
		{[]string{"lunar", "1967-12-31"}, "ngoài phạm vi hỗ trợ"},
		{[]string{"lunar", "2101-01-01", "--json"}, "ngoài phạm vi hỗ trợ"},
		{[]string{"solar", "2024-03-01", "--leap"}, "Năm 2024 không có tháng nhuận 3"},
		{[]string{"solar", "2024-12-30"}, "chỉ có 29 ngày"},
		{[]string{"solar", "2024-13-01"}, "Tháng 13 không hợp lệ"},
		{[]string{"solar", "2024-1"}, "năm-tháng-ngày"},
		{[]string{"solar", "a-b-c"}, "năm-tháng-ngày"},
		{[]string{"solar", "2200-01-01"}, "ngoài phạm vi"},
		{[]string{"workdays", "--from", "2024-02-31", "--days", "1"}, "không hợp lệ"},
		{[]string{"workdays", "--from", "2024-02-01", "--days", "mười"}, "Số ngày làm việc"},
		{[]string{"workdays", "--from", "2100-12-30", "--days", "5"}, "vượt quá phạm vi"},
		{[]string{"workdays", "--from", "2019-01-01", "--days", "5"}, "ngoài phạm vi tính ngày làm việc"},
		{[]string{"holidays", "hai nghìn"}, "Năm"},
		{[]string{"holidays", "1990"}, "ngoài phạm vi"},
	} {
		code, out, errs := calRun(tc.args...)
		if code != 1 || out != "" || !strings.Contains(errs, tc.msg) || !calVietnamese(errs) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", tc.args, code, out, errs, tc.msg)
		}
	}
}

// Wrong usage: exit 2 and the Vietnamese usage text on stderr.
func TestCalendarUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"moon"},
		{"lunar"},
		{"lunar", "2024-02-10", "2024-02-11"},
		{"lunar", "2024-02-10", "--xml"},
		{"solar"},
		{"solar", "2024-01-01", "--leap=maybe"},
		{"workdays", "--from", "2024-02-01"},
		{"workdays", "--days", "3"},
		{"workdays", "--from", "2024-02-01", "--days"},
		{"workdays", "--from", "2024-02-01", "--days", "3", "extra"},
		{"holidays"},
	} {
		code, out, errs := calRun(args...)
		if code != 2 || out != "" || !strings.Contains(errs, "Cách dùng:") || !calVietnamese(errs) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and the usage", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"help"}, {"lunar", "--help"}} {
		if code, out, _ := calRun(args...); code != 0 || !strings.Contains(out, "Cách dùng:") {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	// "--" ends the flags.
	if code, out, _ := calRun("lunar", "--json", "--", "2024-02-10"); code != 0 || !strings.HasPrefix(out, `{"day":1`) {
		t.Errorf("lunar --json -- date: %d %q", code, out)
	}
}

// sched2027 is the provisional 2027 schedule (calendar.md §4.4) with a
// swap: Thu 11/02/2027 off, worked back on Sat 20/02/2027.
const sched2027 = `{"official": true, "source": "Thông báo số 1/TB-BNV (thử nghiệm)", "days": [
  {"date": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch"},
  {"date": "2027-02-04", "kind": "holiday", "name": "Tết Nguyên đán"},
  {"date": "2027-02-05", "kind": "holiday", "name": "Tết Nguyên đán"},
  {"date": "2027-02-08", "kind": "holiday", "name": "Tết Nguyên đán"},
  {"date": "2027-02-09", "kind": "compensatory", "name": "Nghỉ bù Tết Nguyên đán"},
  {"date": "2027-02-10", "kind": "nghỉ bù", "name": "Nghỉ bù Tết Nguyên đán"},
  {"date": "2027-02-11", "kind": "swapped_off", "name": "Nghỉ hoán đổi Tết"},
  {"date": "2027-02-20", "kind": "makeup_workday", "name": "Làm bù cho ngày 11/02"},
  {"date": "2027-04-16", "kind": "holiday", "name": "Giỗ Tổ Hùng Vương"},
  {"date": "2027-04-30", "kind": "holiday", "name": "Ngày Chiến thắng"},
  {"date": "2027-05-03", "kind": "compensatory", "name": "Nghỉ bù Quốc tế Lao động"},
  {"date": "2027-09-02", "kind": "holiday", "name": "Quốc khánh"},
  {"date": "2027-09-03", "kind": "holiday", "name": "Quốc khánh (ngày liền kề)"}
]}`

func TestCalendarRecordForgetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := testkit.DSN(t) // on PostgreSQL, an empty database: it always exists
	exists := func() bool { _, err := os.Stat(db); return err == nil }
	want := func(stdin string, args []string, code int, out string) {
		t.Helper()
		c, o, e := calRunIn(stdin, args...)
		if c != code || !strings.Contains(o, out) {
			t.Errorf("%v: exit %d stdout %q stderr %q; want %d and %q", args, c, o, e, code, out)
		}
	}
	wd := func(from, days string) []string {
		return []string{"workdays", "--db", db, "--from", from, "--days", days}
	}

	// Without a database: the built-in answer, and no database created.
	// 2027: Tết mùng 1 is Sat 06/02; Thu 04, Fri 05, Mon 08, Tue 09 and
	// Wed 10/02 are off, so 3 working days after Wed 03/02 are Thu 11,
	// Fri 12, Mon 15/02; 1 after Fri 19/02 is Mon 22/02.
	want("", wd("2027-02-03", "3"), 0, "2027-02-15\n")
	want("", wd("2027-02-19", "1"), 0, "2027-02-22\n")
	want("", []string{"holidays", "2027", "--db", db}, 0, "Năm 2027: lịch tạm tính")
	c, _, e := calRun("forget", "2027", "--db", db)
	if c != 1 || !strings.Contains(e, "chưa có lịch nghỉ nào được ghi nhận") {
		t.Errorf("forget without a database: %d %q", c, e)
	}
	if !testkit.OnPostgres() && exists() {
		t.Fatal("a calendar question created the database")
	}

	file := filepath.Join(dir, "2027.json")
	if err := os.WriteFile(file, []byte(sched2027), 0o600); err != nil {
		t.Fatal(err)
	}
	want("", []string{"record", "2027", file, "--db", db}, 0,
		"Đã ghi nhận lịch nghỉ năm 2027: 13 ngày, lịch chính thức (Thông báo số 1/TB-BNV (thử nghiệm)).\n")
	// Recorded: Thu 11/02 is off too → Fri 12, Mon 15, Tue 16/02; Sat 20/02
	// is worked → the day after Fri 19/02 is Sat 20/02.
	want("", wd("2027-02-03", "3"), 0, "2027-02-16\n")
	want("", wd("2027-02-19", "1"), 0, "2027-02-20\n")
	want("", []string{"holidays", "2027", "--db", db}, 0, "2027-02-20  Thứ Bảy  làm bù")
	want("", []string{"holidays", "--json", "2027", "--db", db}, 0, `"status":"official","official":true,"source":"Thông báo số 1/TB-BNV (thử nghiệm)"`)
	// KETNAP_DB names the database too.
	var out, errb bytes.Buffer
	args := []string{"workdays", "--from", "2027-02-03", "--days", "3"}
	if c := cmdCalendar(Env{Args: args, Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "KETNAP_DB" {
			return db
		}
		return ""
	}}, args); c != 0 || out.String() != "2027-02-16\n" {
		t.Errorf("with KETNAP_DB: %d %q %q", c, out.String(), errb.String())
	}
	// The whole program routes there as well.
	if c, o, e := runCLI(t, "", "calendar", "workdays", "--db", db, "--from", "2027-02-19", "--days", "1"); c != 0 || o != "2027-02-20\n" {
		t.Errorf("ketnap calendar workdays: %d %q %q", c, o, e)
	}
	// From standard input, for another year; "-" is standard input too.
	want(`{"official": false, "source": "", "days": [{"date": "2028-01-03", "kind": "compensatory", "name": "Nghỉ bù Tết Dương lịch"}]}`,
		[]string{"record", "--db", db, "2028"}, 0, "Đã ghi nhận lịch nghỉ năm 2028: 1 ngày, lịch tạm tính.\n")
	want(`{"days": [{"date": "2028-01-03", "kind": "compensatory", "name": "Nghỉ bù Tết Dương lịch"}]}`,
		[]string{"record", "--db", db, "2028", "-"}, 0, "năm 2028: 1 ngày")

	// Refused schedules: exit 1, a Vietnamese message naming the day, nothing stored.
	bad := strings.Replace(sched2027, `"2027-02-20", "kind": "makeup_workday"`, `"2027-02-17", "kind": "makeup_workday"`, 1)
	for _, tc := range []struct {
		stdin string
		args  []string
		msg   string
	}{
		{bad, []string{"record", "2027"}, "Ngày làm bù 17/02/2027 là thứ Tư"},
		{strings.Replace(sched2027, "2027-02-11", "2027-02-30", 1), []string{"record", "2027"}, `Ngày thứ 7 trong danh sách ("2027-02-30", Nghỉ hoán đổi Tết) không hợp lệ`},
		{strings.Replace(sched2027, "2027-02-11", "2027-02-13", 1), []string{"record", "2027"}, "Ngày 13/02/2027 là thứ Bảy, vốn đã là ngày nghỉ hằng tuần"},
		{strings.Replace(sched2027, `"swapped_off"`, `"nghỉ phép"`, 1), []string{"record", "2027"}, `Ngày 11/02/2027: loại "nghỉ phép" không hợp lệ`},
		{strings.Replace(sched2027, "2027-02-11", "2027-02-10", 1), []string{"record", "2027"}, "Ngày 10/02/2027 được ghi hai lần"},
		{sched2027, []string{"record", "2028"}, "Ngày 01/01/2027 không thuộc năm 2028"},
		{strings.Replace(sched2027, `"official"`, `"offical"`, 1), []string{"record", "2027"}, `Trường không được hỗ trợ trong đầu vào chuẩn: "offical"`},
		{`{"days": "none"}`, []string{"record", "2027"}, `Trường "days"`},
		{`{"days": [`, []string{"record", "2027"}, "không phải JSON hợp lệ"},
		{sched2027 + "{}", []string{"record", "2027"}, "chỉ được là một đối tượng JSON"},
		{"", []string{"record", "2027"}, "Chưa có lịch nghỉ"},
		{sched2027, []string{"record", "2020"}, "Năm 2020 nằm ngoài phạm vi"},
		{sched2027, []string{"record", "hai"}, `Năm "hai" không hợp lệ`},
		{"", []string{"record", "2027", filepath.Join(dir, "none.json")}, "Không có tệp"},
		{"", []string{"forget", "2029"}, "Năm 2029 chưa có lịch nghỉ nào được ghi nhận"},
	} {
		c, o, e := calRunIn(tc.stdin, append(tc.args, "--db", db)...)
		if c != 1 || o != "" || !strings.Contains(e, tc.msg) || !calVietnamese(e) {
			t.Errorf("%v: exit %d stdout %q stderr %q; want 1 and %q", tc.args, c, o, e, tc.msg)
		}
	}
	want("", wd("2027-02-19", "1"), 0, "2027-02-20\n") // still the first recording

	// Wrong usage: exit 2.
	for _, args := range [][]string{{"record"}, {"record", "2027", "a.json", "b.json"}, {"forget"}, {"forget", "2027", "2028"}, {"record", "--bogus", "2027"}} {
		if c, o, e := calRun(append(args, "--db", db)...); c != 2 || o != "" || !strings.Contains(e, "Cách dùng:") {
			t.Errorf("%v: exit %d %q %q; want 2 and the usage", args, c, o, e)
		}
	}

	// Forgetting restores the built-in answer.
	want("", []string{"forget", "2027", "--db", db}, 0, "Đã xóa lịch nghỉ ghi nhận cho năm 2027; năm này dùng lại lịch tạm tính (Tạm tính theo Bộ luật Lao động 2019")
	want("", wd("2027-02-03", "3"), 0, "2027-02-15\n")
	want("", wd("2027-02-19", "1"), 0, "2027-02-22\n")
	c, _, e = calRun("forget", "2027", "--db", db)
	if c != 1 || !strings.Contains(e, "chưa có lịch nghỉ nào được ghi nhận") {
		t.Errorf("forget twice: %d %q", c, e)
	}
}
