package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ketnap/internal/domain"
)

// textarea returns the text of the page's textarea as a browser reads
// it: unescaped, without the one new line that may follow the start tag.
func textarea(body string) string {
	m := regexp.MustCompile(`(?s)<textarea[^>]*>(.*?)</textarea>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(strings.TrimPrefix(m[1], "\n"))
}

func TestCalendarPage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("admin")

	p := c.get("/lich?year=2024")
	wantStatus(t, p, http.StatusOK)
	if p.header.Get("Content-Security-Policy") == "" {
		t.Error("no CSP")
	}
	wantIn(t, p,
		"<h1>Lịch nghỉ lễ, tết năm 2024</h1>",
		`<p class="cal-status cal-official" id="status">Lịch chính thức — Công văn 8662/VPCP-KGVX`,
		`<a href="/lich" aria-current="page">Lịch nghỉ</a>`,
		"Năm âm lịch Giáp Thìn: mùng 1 Tết là ngày 10/02/2024",
		// Sat 10/02/2024 is mùng 1 Tết Giáp Thìn: a weekend cell showing 1/1.
		`<td class="day weekend" title="Âm lịch: Ngày 1 tháng 1 năm Giáp Thìn (2024)"><time datetime="2024-02-10">10</time><small class="lunar">1/1</small></td>`,
		// Fri 09/02/2024 (30 Tết) is a day off, named.
		`<td class="day off" title="Tết Nguyên đán (nghỉ lễ, tết). Âm lịch: Ngày 30 tháng 12 năm Quý Mão (2023)"><time datetime="2024-02-09">9</time><small class="lunar">30</small><span class="sr">Tết Nguyên đán</span></td>`,
		// Sat 04/05/2024 is a make-up working day.
		`<td class="day weekend makeup" title="Làm bù`,
		`<time datetime="2024-05-04">4</time>`,
		// The legend lists it.
		`<td data-label="Ngày">04/05/2024</td><td data-label="Thứ">Thứ Bảy</td><td data-label="Loại">làm bù</td>`,
		`<a href="/lich?year=2023" rel="prev" id="prev-year">`, `<a href="/lich?year=2025" rel="next" id="next-year">`,
		`method="post" action="/lich"`,
	)
	if n := strings.Count(p.body, `<table class="month">`); n != 12 {
		t.Errorf("%d month grids", n)
	}
	// January 2024 starts on a Monday: its first row has no blank cell.
	if !strings.Contains(p.body, "<caption>Tháng 1</caption>") || strings.Count(p.body, `<time datetime="2024-`) != 366 {
		t.Error("the grids do not hold the 366 days of 2024")
	}
	// The form holds the year's days, one per line, and the official source.
	text := textarea(p.body)
	if !strings.HasPrefix(text, "2024-01-01 | nghỉ lễ, tết | Tết Dương lịch\n") || !strings.Contains(text, "2024-05-04 | làm bù | ") {
		t.Errorf("textarea:\n%s", text)
	}
	wantIn(t, p, `name="official" type="checkbox" value="1" checked`)
	if strings.Contains(p.body, `action="/lich/xoa"`) {
		t.Error("a built-in year offers to forget")
	}

	// A year without an announcement is provisional, and says so.
	p = c.get("/lich?year=2027")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Lịch tạm tính theo Bộ luật Lao động 2019 (chưa có thông báo chính thức)", `name="source" type="text" value="">`)
	if strings.Contains(p.body, " checked") {
		t.Error("a provisional year is offered as official")
	}
	// 2025 has a leap 6th month from 25/07.
	wantIn(t, c.get("/lich?year=2025"), `<time datetime="2025-07-25">25</time><small class="lunar">1/6 nhuận</small>`)
	// The default year is the demo's, or this one.
	wantIn(t, c.get("/lich"), "<h1>Lịch nghỉ lễ, tết năm 2024</h1>")
	for _, bad := range []string{"1990", "2020", "2101", "abc"} {
		wantStatus(t, c.get("/lich?year="+bad), http.StatusUnprocessableEntity)
	}
	wantIn(t, c.get("/lich?year=2021"), "<h1>Lịch nghỉ lễ, tết năm 2021</h1>")
	if p := c.get("/lich?year=2021"); strings.Contains(p.body, `rel="prev"`) {
		t.Error("a link to 2020, which has no working-day calendar")
	}
}

func TestCalendarPageOnlySystemAdmin(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	e.user("qt-kp", domain.RoleAdmin, "kp") // an admin of a subtree
	for _, name := range []string{"bithu-a", "qt-kp"} {
		c := e.client()
		c.login(name)
		p := c.get("/")
		wantStatus(t, p, http.StatusOK)
		if strings.Contains(p.body, `href="/lich"`) {
			t.Errorf("%s sees the calendar link", name)
		}
		wantStatus(t, c.get("/lich?year=2024"), http.StatusForbidden)
		p = c.post("/lich", url.Values{"year": {"2027"}, "source": {"x"}, "days": {"2027-01-01 | holiday | Tết Dương lịch"}})
		wantStatus(t, p, http.StatusForbidden)
		wantIn(t, p, "Chỉ quản trị toàn hệ thống")
		wantStatus(t, c.post("/lich", url.Values{"year": {"2027"}, "days": {"không hợp lệ"}}), http.StatusForbidden)
		wantStatus(t, c.post("/lich/xoa", url.Values{"year": {"2027"}}), http.StatusForbidden)
	}
	if info, err := e.svc.ScheduleOf(e.sys, 2027); err != nil || info.Status != "provisional" {
		t.Errorf("2027 after refusals: %+v %v", info, err)
	}
}

func TestCalendarRecordForm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	text := textarea(c.get("/lich?year=2027").body)
	form := func(days string) url.Values {
		return url.Values{"year": {"2027"}, "source": {"Thông báo số 9/TB-BNV"}, "official": {"1"}, "days": {days}}
	}

	// A make-up day on a weekday, on line 4 (after a blank and a comment line).
	bad := "\n# lịch 2027\n2027-01-01 | nghỉ lễ, tết | Tết Dương lịch\n2027-02-17 | làm bù | Làm bù\n"
	p := c.post("/lich", form(bad))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `<p class="alert" role="alert" id="form-error">Dòng 4: Ngày làm bù 17/02/2027 là thứ Tư, không phải thứ Bảy hay Chủ nhật</p>`,
		`aria-invalid="true" aria-describedby="form-error"`, `value="Thông báo số 9/TB-BNV"`, `value="1" checked`)
	if got := textarea(p.body); got != bad {
		t.Errorf("the text was not kept:\n%q", got)
	}
	for _, tc := range []struct{ days, msg string }{
		{"2027-01-01 | nghỉ lễ, tết | Tết Dương lịch\n2027-02-05 Tết Nguyên đán", "Dòng 2: cần dạng NNNN-TT-NN | loại | tên"},
		{"\n\n2027-02-30 | holiday | Tết", "Dòng 3: không có ngày 30/02/2027 trong lịch"},
		{"2027-01-01 | nghỉ phép | Tết Dương lịch", `Dòng 1: Ngày 01/01/2027: loại &#34;nghỉ phép&#34; không hợp lệ`},
		{"2027-01-01 | holiday | Tết Dương lịch\n2027-01-01 | holiday | Tết", "Dòng 2: Ngày 01/01/2027 được ghi hai lần"},
		{"2026-12-31 | holiday | Tất niên", "Dòng 1: Ngày 31/12/2026 không thuộc năm 2027"},
		{"2027-02-06 | holiday | Tết Nguyên đán", "Dòng 1: Ngày 06/02/2027 là thứ Bảy, vốn đã là ngày nghỉ hằng tuần"},
		{"2027-02-05 | holiday |  ", "Dòng 1: Ngày 05/02/2027 chưa có tên"},
		{"# chỉ có ghi chú", "Lịch nghỉ năm 2027 chưa có ngày nào"},
	} {
		p := c.post("/lich", form(tc.days))
		wantStatus(t, p, http.StatusUnprocessableEntity)
		wantIn(t, p, tc.msg)
	}
	p = c.post("/lich", url.Values{"year": {"2027"}, "official": {"1"}, "days": {text}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "Lịch chính thức cần ghi căn cứ")
	if info, _ := e.svc.ScheduleOf(e.sys, 2027); info.Status != "provisional" {
		t.Fatalf("a refused form stored something: %s", info.Status)
	}

	// The prefilled text, with a swap added and a label or a code for the
	// kinds, is recorded and shown at once.
	good := text + "2027-02-11 | swapped_off | Nghỉ hoán đổi Tết\r\n20/02/2027 | Làm bù | Làm bù cho ngày 11/02\n"
	p = c.post("/lich", form(good))
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/lich?saved=1&year=2027" {
		t.Fatalf("record: %d → %q\n%s", p.status, p.header.Get("Location"), text)
	}
	p = c.get("/lich?saved=1&year=2027")
	wantIn(t, p, `id="saved"`, "Lịch do quản trị viên ghi nhận (chính thức) — Thông báo số 9/TB-BNV · admin ghi nhận ngày 04/05/2024",
		`<td class="day off" title="Nghỉ hoán đổi Tết (nghỉ hoán đổi).`, `<td class="day weekend makeup" title="Làm bù cho ngày 11/02 (làm bù).`,
		`action="/lich/xoa"`)
	if got := textarea(p.body); !strings.Contains(got, "2027-02-11 | nghỉ hoán đổi | Nghỉ hoán đổi Tết\n2027-02-20 | làm bù | Làm bù cho ngày 11/02\n") {
		t.Errorf("recorded text:\n%s", got)
	}
	cal, err := e.svc.Calendar(e.sys)
	if err != nil {
		t.Fatal(err)
	}
	// Thu 11/02/2027 now off: 3 working days after Wed 03/02 are Fri 12,
	// Mon 15, Tue 16/02.
	if got, _ := cal.AddWorkdays(domain.Day(2027, 2, 3), 3); got != domain.Day(2027, 2, 16) {
		t.Errorf("after recording: %s; want 2027-02-16", got.Format(domain.DateLayout))
	}

	// Forgetting goes back to the provisional schedule.
	p = c.post("/lich/xoa", url.Values{"year": {"2027"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/lich?forgotten=1&year=2027" {
		t.Fatalf("forget: %d → %q", p.status, p.header.Get("Location"))
	}
	p = c.get("/lich?forgotten=1&year=2027")
	wantIn(t, p, `id="forgotten"`, "Lịch tạm tính theo Bộ luật Lao động 2019")
	if got := textarea(p.body); got != text {
		t.Errorf("after forgetting, the text is not the built-in one:\n%s", got)
	}
	wantStatus(t, c.post("/lich/xoa", url.Values{"year": {"2027"}}), http.StatusNotFound)
	wantStatus(t, c.post("/lich", url.Values{"days": {text}}), http.StatusUnprocessableEntity)
}
