package cli

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"ketnap/internal/calendar"
)

func calRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cmdCalendar(args, &out, &errb)
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

// Every day of 2024–2026 through the CLI agrees with the library.
func TestCalendarLunarMatchesLibrary(t *testing.T) {
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
