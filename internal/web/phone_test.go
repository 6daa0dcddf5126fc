package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// Ages and the defaults of date fields follow the date the pages open on
// (the demo's date), never the real clock (issue 16, one clock).
func TestPagesOpenOnOneClock(t *testing.T) {
	e := newEnv(t)
	inA, _ := e.tree()
	if err := e.svc.MarkDemo(e.sys, domain.Day(2024, 5, 4)); err != nil {
		t.Fatal(err)
	}
	real := time.Date(2026, 12, 7, 10, 0, 0, 0, domain.Vietnam) // the machine's day, years later
	e.svc.Now = func() time.Time { return real }
	c := e.client()
	c.login("admin")

	// Nguyễn Văn Đức, born 14/03/1995: 29 on 04/05/2024, 31 on 07/12/2026
	p := c.get("/nguoi/" + strconv.FormatInt(inA, 10))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "14/03/1995 (29 tuổi)")
	p = c.get("/nguoi?org=kp-a")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "(29 tuổi)")
	p = c.get("/to-chuc/kp/them")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `value="2024-05-04"`)
}

// An empty new person comes back with every field's message at once, and
// what was typed kept (issue 16: name, then birth date, then sex, one
// attempt each, before).
func TestPersonFormReportsEveryField(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")

	p := c.post("/nguoi/moi", url.Values{"full_name": {""}, "birth_date": {""}, "sex": {""}, "ethnicity": {"01"},
		"religion": {"none"}, "education": {"upper_secondary"}, "occupation": {"other"}, "workplace": {"Trường Lê Hồng Phong"}, "org": {"kp-a"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-full_name">Họ và tên không được để trống`, `id="err-birth_date">Cần ngày sinh`,
		`id="err-sex">Giới tính phải là Nam hoặc Nữ</p>`, `value="Trường Lê Hồng Phong"`, `value="kp-a"`)

	// a date the form cannot read, a missing unit and a bad sex: all three
	p = c.post("/nguoi/moi", url.Values{"full_name": {"Hồ Văn Thử"}, "birth_date": {"31/02/2001"}, "sex": {"x"}, "ethnicity": {"01"},
		"education": {"upper_secondary"}, "org": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-birth_date">Ngày sinh`, `id="err-sex">Giới tính phải là Nam hoặc Nữ`, `id="err-org">`, `value="Hồ Văn Thử"`)
	if strings.Contains(p.body, "(male)") {
		t.Error("the sex's message still names the codes in English")
	}

	// an unknown unit joins the fields' messages
	p = c.post("/nguoi/moi", url.Values{"full_name": {"Hồ"}, "birth_date": {"2001-02-03"}, "sex": {"male"}, "ethnicity": {"01"},
		"education": {"upper_secondary"}, "org": {"khong-co"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-full_name">`, `id="err-org">`)
}

// A pasted page of text as a name is refused with the limit, and the
// message repeats at most its first 60 characters (issue 16: a
// 5,000-character name echoed back made the page 62,074 px wide).
func TestLongNameIsNotEchoed(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	long := strings.Repeat("Nguyễn ", 715) // 5,005 characters
	p := c.post("/nguoi/moi", url.Values{"full_name": {long}, "birth_date": {"2001-02-03"}, "sex": {"male"}, "ethnicity": {"01"},
		"education": {"upper_secondary"}, "org": {"kp-a"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	m := regexp.MustCompile(`id="err-full_name">([^<]*)</p>`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no message at the name: %s", text(p.body))
	}
	if !strings.Contains(m[1], "tối đa 100 ký tự") && !strings.Contains(m[1], "giới hạn 100 ký tự") {
		t.Errorf("the message does not give the limit: %s", m[1])
	}
	if n := len([]rune(m[1])); n > 200 || !strings.Contains(m[1], "…") {
		t.Errorf("the message repeats %d characters: %s", n, m[1])
	}
}

// A member of another unit is named by name, never by an internal id: one
// of that name is taken, several come back as a list to choose from, and
// the timeline names the introducer (issue 16).
func TestMemberPickedByName(t *testing.T) {
	e := newEnv(t)
	e.tree()
	src := e.person("Hà Văn Nguồn", "kp-a", domain.StageSource, domain.Day(2000, 1, 1))
	one := e.person("Ksor Y Một", "kp-b", domain.StageOfficial, domain.Day(1970, 1, 1))
	twinB := e.person("Lê Văn Trùng", "kp-b", domain.StageOfficial, domain.Day(1971, 2, 2))
	twinC := e.person("Lê Văn Trùng", "kp-c", domain.StageOfficial, domain.Day(1972, 3, 3))
	cs := e.openCase(src, "kp-a", domain.Day(2024, 1, 10))
	e.clock(today)
	// members of other chapters introduce on a recorded exception
	e.ok(e.svc.RecordException(e.sys, cs.ID, service.ExceptionInput{Rule: "same_chapter", Reason: "Chuyển sinh hoạt", Version: cs.Version}))
	c := e.client()
	c.login("admin")
	link := "/ho-so/" + strconv.FormatInt(cs.ID, 10)

	pg := c.get(link)
	wantStatus(t, pg, http.StatusOK)
	if strings.Contains(pg.body, "mã số đảng viên") {
		t.Error("the page still asks for a member's id")
	}
	form := formValues(pg.body, link+"/gioi-thieu")
	form.Set("other_name", "ksor y mot")
	form.Set("months_together", "14")
	form.Set("letter_date", "2024-03-01")
	pg = c.post(link+"/gioi-thieu", form)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("introducer by name: %d %s", pg.status, text(pg.body))
	}
	pg = c.get(link)
	wantIn(t, pg, "Giấy giới thiệu của đảng viên Ksor Y Một")
	if strings.Contains(pg.body, "mã số "+strconv.FormatInt(one, 10)) {
		t.Error("the timeline names the introducer by id")
	}

	form = formValues(pg.body, link+"/gioi-thieu")
	form.Set("other_name", "Lê Văn Trùng")
	form.Set("months_together", "14")
	pg = c.post(link+"/gioi-thieu", form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Có 2 đảng viên chính thức tên “Lê Văn Trùng”", `name="other_id"`,
		`<option value="`+strconv.FormatInt(twinB, 10)+`">Lê Văn Trùng, sinh 02/02/1971, Chi bộ Buôn Hai</option>`,
		`<option value="`+strconv.FormatInt(twinC, 10)+`">Lê Văn Trùng, sinh 03/03/1972, Chi bộ Cơ quan Ba</option>`)
	form.Set("other_id", strconv.FormatInt(twinC, 10))
	pg = c.post(link+"/gioi-thieu", form)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("introducer chosen among namesakes: %d %s", pg.status, text(pg.body))
	}

	form.Del("other_id")
	form.Set("other_name", "Không Ai Tên Này")
	pg = c.post(link+"/giup-do", form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Không tìm thấy đảng viên chính thức nào tên “Không Ai Tên Này” trong phạm vi của bạn")
}

// Every save says what it saved, once, on the page it leads to (issue 16:
// no confirmation after creating a person).
func TestSavesAreConfirmed(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	follow := func(p page, want string) {
		t.Helper()
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303: %s", p.status, text(p.body))
		}
		next := p.header.Get("Location")
		wantIn(t, c.get(next), `<p class="ok" role="status" id="flash">`+want+`</p>`)
		if again := c.get(next); strings.Contains(again.body, `id="flash"`) {
			t.Errorf("%s: the confirmation is shown twice", next)
		}
	}
	person := url.Values{"full_name": {"Hồ Văn Thử"}, "birth_date": {"2001-02-03"}, "sex": {"male"}, "ethnicity": {"01"},
		"religion": {"none"}, "education": {"upper_secondary"}, "occupation": {"other"}, "org": {"kp-a"}}
	p := c.post("/nguoi/moi", person)
	loc := p.header.Get("Location")
	follow(p, "Đã thêm Hồ Văn Thử.")
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(c.get(loc + "/sua").body)
	if m == nil {
		t.Fatal("no version in the edit form")
	}
	edit := url.Values{"version": {m[1]}}
	for k, v := range person {
		edit[k] = v
	}
	edit.Set("full_name", "Hồ Văn Thử Hai")
	follow(c.post(loc+"/sua", edit), "Đã lưu hồ sơ Hồ Văn Thử Hai.")

	follow(c.post("/to-chuc/kp/them", url.Values{"code": {"kp-d"}, "name": {"Chi bộ Thôn Bốn"}, "kind": {"grass_chapter"},
		"sector": {"commune"}, "valid_from": {"2024-01-01"}, "youth_union": {""}}), "Đã thêm Chi bộ Thôn Bốn (mã kp-d).")
	m = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(c.get("/to-chuc/kp-d/sua").body)
	if m == nil {
		t.Fatal("no version in the unit's form")
	}
	edit = url.Values{"version": {m[1]}, "code": {"kp-d"}, "name": {"Chi bộ Thôn 4"}, "kind": {"grass_chapter"}, "sector": {"commune"},
		"valid_from": {"2024-01-01"}, "youth_union": {""}}
	follow(c.post("/to-chuc/kp-d/sua", edit), "Đã lưu Chi bộ Thôn 4.")

	follow(c.post("/lop-hoc/moi", url.Values{"code": {"NT-2024-09"}, "name": {"Lớp nhận thức khóa 9"}, "programme": {domain.ProgAwareness},
		"org": {"kp"}, "units": {"kp-a"}, "organiser": {"Trung tâm Chính trị"}, "start_date": {"2024-06-01"}, "sessions": {"4"},
		"lessons": {"5"}, "capacity": {"0"}}), "Đã thêm lớp Lớp nhận thức khóa 9.")
}

// A secretary is offered the templates of what a secretary may import
// (candidates), not those of units, targets or members (issue 16).
func TestImportOffersOnlyWhatTheRoleMayImport(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu")
	p := c.get("/nhap")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `href="/nhap/mau/candidates.xlsx"`)
	for _, k := range []string{"orgs", "targets", "members"} {
		if strings.Contains(p.body, `href="/nhap/mau/`+k+`.xlsx"`) {
			t.Errorf("a secretary is offered the template of %s", k)
		}
	}
	a := e.client()
	a.login("admin")
	wantIn(t, a.get("/nhap"), `href="/nhap/mau/orgs.xlsx"`, `href="/nhap/mau/targets.xlsx"`, `href="/nhap/mau/members.xlsx"`)
}

// A new probationary member's recognition documents are due when the
// probation ends: until then they are to come, with their due date, not
// "chưa đạt" (issue 16).
func TestProbationDocumentsPendingUntilDue(t *testing.T) {
	e := newEnv(t)
	e.tree()
	src := e.person("Hà Văn Dự", "kp-a", domain.StageSource, domain.Day(2000, 1, 1))
	cs := e.drive(src, "kp-a", domain.Day(2023, 12, 1), domain.CaseProbation) // ceremony 09/02/2024
	e.clock(today)
	c := e.client()
	c.login("admin")
	link := "/ho-so/" + strconv.FormatInt(cs.ID, 10)
	pg := c.get(link)
	wantStatus(t, pg, http.StatusOK)
	wantIn(t, pg, `<li class="v-pending">`, "Chưa đến hạn — ", "Cần có trước ngày 09/02/2025")
	if strings.Contains(pg.body, "chưa đạt</span>") {
		t.Errorf("a member on probation shows a failing count: %s", text(pg.body))
	}

	// a year later, the documents still missing fail
	e.clock(domain.Day(2025, 2, 20))
	pg = c.get(link)
	wantIn(t, pg, "1 chưa đạt</span>", `<li class="v-fail">`)
	if strings.Contains(pg.body, `<li class="v-pending">`) {
		t.Error("documents overdue still shown as to come")
	}
}

// "chưa đủ 25 để khai giảng" warns before the opening, not after it
// (issue 16).
func TestClassMinimumWarnsOnlyBeforeOpening(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	p := c.post("/lop-hoc/moi", url.Values{"code": {"NT-2024-02"}, "name": {"Lớp nhận thức khóa 2"}, "programme": {domain.ProgAwareness},
		"org": {"kp"}, "units": {"kp-a"}, "organiser": {"Trung tâm Chính trị"}, "start_date": {"2024-04-01"}, "sessions": {"4"},
		"lessons": {"5"}, "capacity": {"0"}})
	wantStatus(t, p, http.StatusSeeOther)
	path := p.header.Get("Location")
	wantIn(t, c.get(path), "chưa đủ 25 để khai giảng")
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/lop-hoc/"), 10, 64)
	if err != nil {
		t.Fatal(path)
	}
	cl, err := e.svc.Class(e.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.OpenClass(e.sys, id, domain.Day(2024, 4, 1), "Vùng sâu, ít quần chúng, Ban Tuyên giáo đồng ý", cl.Version); err != nil {
		t.Fatal(err)
	}
	if pg := c.get(path); strings.Contains(pg.body, "chưa đủ 25") {
		t.Errorf("an open class still warns about its opening: %s", text(pg.body))
	}
}

// The decisions list gives each case the time limit of its own rule set,
// the one in force on its chapter resolution's date (issue 16: the page
// said 45 days of a case judged under the 60 days of QĐ24).
func TestDecisionBoardShowsEachCaseRule(t *testing.T) {
	e := newEnv(t)
	e.tree()
	old := e.drive(e.person("Đỗ Văn Cũ", "kp-a", domain.StageSource, domain.Day(1997, 2, 2)), "kp-a", domain.Day(2023, 10, 2), domain.CaseChapterVoted)
	neu := e.drive(e.person("Đỗ Văn Mới", "kp-a", domain.StageSource, domain.Day(1998, 2, 2)), "kp-a", domain.Day(2025, 6, 1), domain.CaseChapterVoted)
	e.clock(domain.Day(2025, 8, 1))
	c := e.client()
	c.login("admin")
	p := c.get("/ho-so/quyet-dinh")
	wantStatus(t, p, http.StatusOK)
	row := func(id int64) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<tr[^>]*id="case-` + strconv.FormatInt(id, 10) + `">(.*?)</tr>`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no row of case %d: %s", id, text(p.body))
		}
		return m[1]
	}
	if r := row(old.ID); !strings.Contains(r, "60 ngày làm việc, gia hạn không quá 30 ngày (QĐ24 §4.3.1)") {
		t.Errorf("the 2023 case: %s", text(r))
	}
	if r := row(neu.ID); !strings.Contains(r, "45 ngày làm việc, gia hạn không quá 15 ngày (QĐ294 §4.3.1)") {
		t.Errorf("the 2025 case: %s", text(r))
	}
	if strings.Contains(p.body, "quyết định trong 45 ngày làm việc kể từ nghị quyết") {
		t.Error("the page still gives one limit for every case")
	}
}

// The residence list groups the villages by commune: "Thôn 1" of two
// communes are told apart (issue 16).
func TestResidencesGroupedByCommune(t *testing.T) {
	e := newEnv(t)
	e.tree()
	for _, o := range []struct{ code, name string }{{"kp-eaphe", "Đảng bộ xã Ea Phê"}, {"kp-eakly", "Đảng bộ xã Ea Kly"}} {
		e.must(e.svc.CreateOrg(e.sys, service.OrgInput{Code: o.code, Name: o.name, Kind: domain.KindGrassroots, Sector: "commune",
			ParentCode: "kp", ValidFrom: domain.Day(2000, 1, 1), YouthUnion: new(false)}))
		for _, n := range []string{"1", "2"} {
			e.must(e.svc.AddResidentialUnit(e.sys, o.code, domain.ResidentialUnit{Code: o.code + "-thon" + n, Name: "Thôn " + n, Kind: "thon"}, ""))
		}
	}
	c := e.client()
	c.login("admin")
	p := c.get("/nguoi/moi")
	wantStatus(t, p, http.StatusOK)
	re := regexp.MustCompile(`(?s)<optgroup label="([^"]*)">(.*?)</optgroup>`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(p.body, -1) {
		got = append(got, m[1]+": "+strings.Join(strings.Fields(text(m[2])), " "))
	}
	want := []string{"Xã Ea Kly: Thôn 1 Thôn 2", "Xã Ea Phê: Thôn 1 Thôn 2"}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("residence groups %q, want %q", got, want)
	}
}

// The dashboard's chart starts its axis at "0 %", and with many units
// draws the highest and the lowest with a link to all of them (issue 16:
// 3,700 px tall on a desktop).
func TestDashboardChartBounded(t *testing.T) {
	e := newEnv(t)
	e.tree()
	for i := 1; i <= 15; i++ {
		code := "kp-x" + strconv.Itoa(i)
		e.must(e.svc.CreateOrg(e.sys, service.OrgInput{Code: code, Name: "Chi bộ Thôn " + strconv.Itoa(i), Kind: domain.KindGrassChapter,
			Sector: "commune", ParentCode: "kp", ValidFrom: domain.Day(2000, 1, 1), YouthUnion: new(false)}))
		q := 1
		if err := e.svc.SetTarget(e.sys, service.TargetInput{OrgCode: code, Year: 2024, Kind: domain.TargetQuota, Value: &q}); err != nil {
			t.Fatal(err)
		}
	}
	// 17 units with a quota (kp-a, kp-b and the 15), kp-c without
	c := e.client()
	c.login("admin")
	bars := regexp.MustCompile(`<rect class="bar`)
	labels := regexp.MustCompile(`<text class="label"`)
	p := c.get("/?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `text-anchor="start">0 %</text>`, `id="chart-gap">… 7 đơn vị ở giữa …</text>`, `id="chart-notarget">và 1 đơn vị chưa giao chỉ tiêu</text>`, "Xem tất cả 18 đơn vị",
		`href="/?asof=2024-05-04&amp;bieu-do=tat-ca&amp;org=kp&amp;year=2024#chart-title"`)
	if n := len(labels.FindAllString(p.body, -1)); n != 10 {
		t.Errorf("%d units drawn of 18, want the 5 highest and the 5 lowest", n)
	}
	if n := len(bars.FindAllString(p.body, -1)); n != 10 {
		t.Errorf("%d bars, want 10", n)
	}
	m := regexp.MustCompile(`<svg class="chart" viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no chart")
	}
	if h, _ := strconv.Atoi(m[2]); h > 600 {
		t.Errorf("the chart is %s units tall", m[2])
	}
	p = c.get("/?org=kp&year=2024&asof=2024-05-04&bieu-do=tat-ca")
	if n := len(labels.FindAllString(p.body, -1)); n != 18 {
		t.Errorf("all: %d units drawn, want 18", n)
	}
	if strings.Contains(p.body, `id="chart-gap"`) {
		t.Error("all: still a gap")
	}
}

// Opening a case, the helper of another unit is named by name too; an
// ambiguous name brings the form back with the namesakes to choose from.
func TestCaseOpenHelperByName(t *testing.T) {
	e := newEnv(t)
	e.tree()
	src := e.person("Hà Văn Mở", "kp-a", domain.StageSource, domain.Day(2000, 1, 1))
	b := e.person("Lê Văn Trùng", "kp-b", domain.StageOfficial, domain.Day(1971, 2, 2))
	e.person("Lê Văn Trùng", "kp-c", domain.StageOfficial, domain.Day(1972, 3, 3))
	e.clock(today)
	c := e.client()
	c.login("admin")
	link := "/nguoi/" + strconv.FormatInt(src, 10) + "/mo-ho-so"
	pg := c.get(link)
	wantStatus(t, pg, http.StatusOK)
	wantIn(t, pg, `name="other_name"`)
	if strings.Contains(pg.body, "mã số") {
		t.Error("the form asks for a member's id")
	}
	form := url.Values{"opened_on": {"2024-05-04"}, "other_name": {"le van trung"}}
	pg = c.post(link, form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Có 2 đảng viên chính thức tên “le van trung”", `<select id="other_id" name="other_id"`, `value="le van trung"`)
	// the one chosen is the one judged: of another chapter, the rules
	// refuse him as the helper at the opening
	form.Set("other_id", strconv.FormatInt(b, 10))
	pg = c.post(link, form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Lê Văn Trùng (người giúp đỡ) sinh hoạt ở Chi bộ Buôn Hai")
}
