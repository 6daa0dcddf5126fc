package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"ketnap/internal/calendar"
)

// calUsageText is printed on wrong usage (exit 2) and for --help (exit 0).
const calUsageText = `Cách dùng:
  ketnap calendar lunar YYYY-MM-DD [--json]
        Đổi ngày dương lịch sang âm lịch (giờ Việt Nam, UTC+7).
  ketnap calendar solar YYYY-MM-DD [--leap]
        Đổi ngày âm lịch (viết năm-tháng-ngày) sang dương lịch; --leap cho tháng nhuận.
  ketnap calendar workdays --from YYYY-MM-DD --days N
        Ngày làm việc thứ N sau ngày đã cho (không tính ngày đó); N âm thì đếm lùi.
  ketnap calendar holidays NĂM [--json]
        Các ngày thường được nghỉ và các ngày làm bù trong năm, lịch chính thức hay tạm tính.
  ketnap calendar record NĂM [TỆP]
        Ghi nhận lịch nghỉ đã công bố của năm (JSON trong TỆP hoặc ở đầu vào chuẩn),
        dùng thay cho lịch có sẵn, ví dụ:
        {"official": true, "source": "Thông báo số …",
         "days": [{"date": "2027-02-05", "kind": "holiday", "name": "Tết Nguyên đán"}, …]}
        kind: holiday (nghỉ lễ, tết), compensatory (nghỉ bù), swapped_off (nghỉ hoán đổi),
        makeup_workday (làm bù).
  ketnap calendar forget NĂM
        Xóa lịch đã ghi nhận của năm: năm đó dùng lại lịch có sẵn.

workdays và holidays dùng các lịch đã ghi nhận trong cơ sở dữ liệu --db (KETNAP_DB;
mặc định ketnap.db) khi cơ sở dữ liệu đó đã có; record và forget ghi vào đó với quyền
quản trị hệ thống.

Phạm vi: âm lịch 1968–2100; ngày làm việc 2021–2100.
`

// cmdCalendar runs `ketnap calendar ...` with args after "calendar". It
// returns the exit status: 0 success, 1 the command failed (message on
// stderr), 2 wrong usage. workdays and holidays use the built-in schedules
// (calendar.Default()) overridden by those recorded in the database named
// by --db, when that database exists; record and forget change those.
func cmdCalendar(env Env, args []string) int {
	stdout, stderr := env.Stdout, env.Stderr
	if len(args) == 0 {
		fmt.Fprint(stderr, "Thiếu lệnh con của ketnap calendar.\n\n"+calUsageText)
		return 2
	}
	switch args[0] {
	case "lunar":
		return calLunar(args[1:], stdout, stderr)
	case "solar":
		return calSolar(args[1:], stdout, stderr)
	case "workdays":
		return calWorkdays(env, args[1:])
	case "holidays":
		return calHolidays(env, args[1:])
	case "record":
		return calRecord(env, args[1:])
	case "forget":
		return calForget(env, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, calUsageText)
		return 0
	}
	fmt.Fprintf(stderr, "Lệnh con không hợp lệ: %q.\n\n%s", args[0], calUsageText)
	return 2
}

// calFlagSet returns a flag set that reports nothing itself, with --db,
// taken by every ketnap command (lunar and solar accept it and do not use it).
func calFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("ketnap calendar "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("db", "", "")
	return fs
}

// calDB returns the DSN given by --db, else KETNAP_DB, else ketnap.db.
func calDB(env Env, fs *flag.FlagSet) string {
	if db := fs.Lookup("db").Value.String(); db != "" {
		return db
	}
	if env.Getenv != nil {
		if db := env.Getenv("KETNAP_DB"); db != "" {
			return db
		}
	}
	return "ketnap.db"
}

// calParse parses flags placed before, between or after the positional
// arguments (the flag package alone stops at the first positional one) and
// returns the positional arguments. On failure it prints the reason and
// returns the exit status to use.
func calParse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, calUsageText)
				return nil, 0, false
			}
			fmt.Fprintf(stderr, "%s.\n\n%s", calFlagError(err), calUsageText)
			return nil, 2, false
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), 0, true // everything after "--" is positional
		}
		if len(rest) == 0 {
			return pos, 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// calFlagError renders an error of the flag package in Vietnamese.
func calFlagError(err error) string {
	msg := err.Error()
	for _, p := range []struct{ prefix, vi string }{
		{"flag provided but not defined: ", "Không có tùy chọn %s"},
		{"flag needs an argument: ", "Tùy chọn %s cần một giá trị"},
		{"bad flag syntax: ", "Tùy chọn viết sai: %s"},
	} {
		if rest, found := strings.CutPrefix(msg, p.prefix); found {
			return fmt.Sprintf(p.vi, rest)
		}
	}
	if strings.HasPrefix(msg, "invalid boolean value") || strings.HasPrefix(msg, "invalid value") {
		if _, name, found := strings.Cut(msg, " for "); found {
			name, _, _ = strings.Cut(name, ":")
			name = strings.TrimPrefix(name, "flag ")
			return fmt.Sprintf("Giá trị không hợp lệ cho tùy chọn %s", name)
		}
	}
	return "Tham số không hợp lệ"
}

// calWantArgs checks the number of positional arguments.
func calWantArgs(pos []string, n int, what string, stderr io.Writer) bool {
	switch {
	case len(pos) < n:
		fmt.Fprintf(stderr, "Thiếu %s.\n\n%s", what, calUsageText)
		return false
	case len(pos) > n:
		fmt.Fprintf(stderr, "Thừa tham số: %s.\n\n%s", strings.Join(pos[n:], " "), calUsageText)
		return false
	}
	return true
}

// calParseDate reads a Gregorian date written YYYY-MM-DD.
func calParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("Ngày %q không hợp lệ: cần một ngày dương lịch có thật, dạng YYYY-MM-DD (ví dụ 2024-02-10)", s)
	}
	return t, nil
}

// calFail prints a failure and returns exit status 1.
func calFail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, err.Error())
	return 1
}

func calLunar(args []string, stdout, stderr io.Writer) int {
	fs := calFlagSet("lunar")
	asJSON := fs.Bool("json", false, "")
	pos, code, ok := calParse(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if !calWantArgs(pos, 1, "ngày dương lịch YYYY-MM-DD", stderr) {
		return 2
	}
	d, err := calParseDate(pos[0])
	if err != nil {
		return calFail(stderr, err)
	}
	l, err := calendar.ToLunar(d)
	if err != nil {
		return calFail(stderr, err)
	}
	if !*asJSON {
		fmt.Fprintln(stdout, l.String())
		return 0
	}
	return calWriteJSON(stdout, stderr, struct {
		Day      int    `json:"day"`
		Month    int    `json:"month"`
		Year     int    `json:"year"`
		Leap     bool   `json:"leap"`
		YearName string `json:"year_name"`
	}{l.Day, l.Month, l.Year, l.Leap, l.YearName()})
}

func calSolar(args []string, stdout, stderr io.Writer) int {
	fs := calFlagSet("solar")
	leap := fs.Bool("leap", false, "")
	pos, code, ok := calParse(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if !calWantArgs(pos, 1, "ngày âm lịch YYYY-MM-DD", stderr) {
		return 2
	}
	parts := strings.Split(pos[0], "-")
	nums := make([]int, 0, 3)
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] == '+' {
			break
		}
		nums = append(nums, n)
	}
	if len(parts) != 3 || len(nums) != 3 {
		return calFail(stderr, fmt.Errorf("Ngày âm lịch %q không hợp lệ: cần dạng năm-tháng-ngày, ví dụ 2024-01-01 cho mùng 1 Tết Giáp Thìn", pos[0]))
	}
	d, err := calendar.ToSolar(calendar.LunarDate{Year: nums[0], Month: nums[1], Day: nums[2], Leap: *leap})
	if err != nil {
		return calFail(stderr, err)
	}
	fmt.Fprintln(stdout, d.Format(time.DateOnly))
	return 0
}

func calWorkdays(env Env, args []string) int {
	stdout, stderr := env.Stdout, env.Stderr
	fs := calFlagSet("workdays")
	from := fs.String("from", "", "")
	days := fs.String("days", "", "")
	pos, code, ok := calParse(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if !calWantArgs(pos, 0, "", stderr) {
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"from", "days"} {
		if !set[name] {
			fmt.Fprintf(stderr, "Thiếu tùy chọn --%s.\n\n%s", name, calUsageText)
			return 2
		}
	}
	d, err := calParseDate(*from)
	if err != nil {
		return calFail(stderr, err)
	}
	n, err := strconv.Atoi(*days)
	if err != nil {
		return calFail(stderr, fmt.Errorf("Số ngày làm việc %q không hợp lệ: cần một số nguyên", *days))
	}
	cal, err := calCalendar(env, calDB(env, fs))
	if err != nil {
		return fail(env, err)
	}
	got, err := cal.AddWorkdays(d, n)
	if err != nil {
		return calFail(stderr, err)
	}
	fmt.Fprintln(stdout, got.Format(time.DateOnly))
	return 0
}

var calWeekdays = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// calStatus names the standing of a year's schedule.
func calStatus(s calendar.Schedule) (code, label string) {
	if s.Official {
		return "official", "chính thức"
	}
	return "provisional", "tạm tính"
}

func calHolidays(env Env, args []string) int {
	stdout, stderr := env.Stdout, env.Stderr
	fs := calFlagSet("holidays")
	asJSON := fs.Bool("json", false, "")
	pos, code, ok := calParse(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if !calWantArgs(pos, 1, "năm (ví dụ 2024)", stderr) {
		return 2
	}
	year, err := strconv.Atoi(pos[0])
	if err != nil {
		return calFail(stderr, fmt.Errorf("Năm %q không hợp lệ: cần một số, ví dụ 2024", pos[0]))
	}
	cal, err := calCalendar(env, calDB(env, fs))
	if err != nil {
		return fail(env, err)
	}
	s, err := cal.YearSchedule(year)
	if err != nil {
		return calFail(stderr, err)
	}
	status, label := calStatus(s)
	if *asJSON {
		type jsonDay struct {
			Date      string `json:"date"`
			Weekday   string `json:"weekday"`
			Kind      string `json:"kind"`
			KindLabel string `json:"kind_label"`
			Name      string `json:"name"`
			Status    string `json:"status"`
		}
		out := struct {
			Year     int       `json:"year"`
			Status   string    `json:"status"`
			Official bool      `json:"official"`
			Source   string    `json:"source"`
			Days     []jsonDay `json:"days"`
		}{Year: s.Year, Status: status, Official: s.Official, Source: s.Source, Days: []jsonDay{}}
		for _, d := range s.Days {
			out.Days = append(out.Days, jsonDay{d.Date.Format(time.DateOnly), calWeekdays[d.Date.Weekday()],
				string(d.Kind), d.Kind.Label(), d.Name, status})
		}
		return calWriteJSON(stdout, stderr, out)
	}
	fmt.Fprintf(stdout, "Năm %d: lịch %s (%s)\n", s.Year, label, s.Source)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, d := range s.Days {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Date.Format(time.DateOnly), calWeekdays[d.Date.Weekday()],
			d.Kind.Label(), d.Name, label)
	}
	if err := tw.Flush(); err != nil {
		return calFail(stderr, fmt.Errorf("Không ghi được kết quả: %v", err))
	}
	return 0
}

func calWriteJSON(stdout, stderr io.Writer, v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return calFail(stderr, fmt.Errorf("Không tạo được JSON: %v", err))
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", b); err != nil {
		return calFail(stderr, fmt.Errorf("Không ghi được kết quả: %v", err))
	}
	return 0
}
