package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
	"ketnap/internal/web"
)

const password = "mat-khau-thu-nghiem"

// env is a running server over a temporary store (SQLite, or PostgreSQL
// with KETNAP_TEST_POSTGRES), wired the way cmd/ketnap wires it.
type env struct {
	t   *testing.T
	svc *service.Service
	st  *store.Store // the store under svc, to set up or inspect rows directly
	srv *httptest.Server
	sys context.Context // acts as service.System
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := testkit.OpenStore(t)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	now := time.Date(2024, 5, 4, 10, 0, 0, 0, domain.Vietnam)
	svc.Now = func() time.Time { return now }
	sm := httpx.NewSessions(svc, false)
	h, err := web.New(svc, sm, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(sm.LoadAndSave(httpx.Authenticate(svc, sm)(http.NewCrossOriginProtection().Handler(mux))))
	t.Cleanup(srv.Close)
	e := &env{t: t, svc: svc, st: st, srv: srv, sys: service.WithUser(ctx, service.System)}
	e.must(svc.CreateUser(e.sys, service.NewUser{Username: "admin", FullName: "Quản trị", Role: domain.RoleAdmin, Password: password}))
	return e
}

func (e *env) must(_ any, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// tree builds a district "kp" under a province with three chapters, the
// district's quota 3 and plan 4, and two admissions in chapter A. The
// units record no Youth Union organisation: the candidates of youth age,
// who are not Youth Union members, are introduced by two official members.
// It returns the ids of a person in chapter A (with a CCCD) and one in B.
func (e *env) tree() (inA, inB int64) {
	t := e.t
	t.Helper()
	d := domain.Day
	org := func(code, name string, kind domain.OrgKind, parent string) {
		e.must(e.svc.CreateOrg(e.sys, service.OrgInput{Code: code, Name: name, Kind: kind, Sector: "commune",
			ParentCode: parent, ValidFrom: d(2000, 1, 1), YouthUnion: new(false)}))
	}
	org("dl", "Đảng bộ tỉnh Đắk Lắk", domain.KindProvince, "")
	org("kp", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, "dl")
	org("kp-a", "Chi bộ Ấp Một", domain.KindGrassChapter, "kp")
	org("kp-b", "Chi bộ Buôn Hai", domain.KindGrassChapter, "kp")
	org("kp-c", "Chi bộ Cơ quan Ba", domain.KindGrassChapter, "kp")
	target := func(code, kind string, v int) {
		dl := d(2024, 9, 30)
		if err := e.svc.SetTarget(e.sys, service.TargetInput{OrgCode: code, Year: 2024, Kind: kind, Value: &v, Deadline: &dl}); err != nil {
			t.Fatal(err)
		}
	}
	target("kp", domain.TargetQuota, 3)
	target("kp", domain.TargetPlan, 4)
	target("kp-a", domain.TargetQuota, 2)
	target("kp-b", domain.TargetQuota, 1)
	person := func(name, code, cccd string, birth time.Time) int64 {
		p, err := e.svc.CreatePerson(e.sys, service.PersonInput{FullName: name, BirthDate: birth, Sex: domain.Male,
			Ethnicity: "01", Religion: "none", CCCD: cccd, Education: "upper_secondary", OrgCode: code, Stage: domain.StageSource})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	inA = person("Nguyễn Văn Đức", "kp-a", "066095000123", d(1995, 3, 14))
	a2 := person("Trần Thị Bình", "kp-a", "", d(1998, 7, 1))
	person("Lê Văn Cường", "kp-a", "", d(2000, 1, 2))
	inB = person("Y Bhim Niê", "kp-b", "", d(1999, 9, 9))
	for i, id := range []int64{inA, a2} {
		e.must(e.svc.RecordMembership(e.sys, id, service.MembershipInput{DecisionNo: "QĐ-" + strconv.Itoa(i+1),
			DecisionDate: d(2024, time.Month(2+i), 1), DecidedByCode: "kp"}))
	}
	return inA, inB
}

func (e *env) user(name, role, org string) {
	e.must(e.svc.CreateUser(e.sys, service.NewUser{Username: name, Role: role, OrgCode: org, Password: password}))
}

// client is a browser with a cookie jar that does not follow redirects.
type client struct {
	e *env
	c *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (c *client) do(req *http.Request) page {
	c.e.t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func (c *client) get(path string) page {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) page {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) login(username string) {
	c.e.t.Helper()
	p := c.post("/dang-nhap", url.Values{"username": {username}, "password": {password}})
	if p.status != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: status %d: %s", username, p.status, p.body)
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)

// text is the visible text of HTML, with white space collapsed.
func text(html string) string {
	s := tags.ReplaceAllString(html, " ")
	s = strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// formValues reads the inputs of the POST form with the action as a
// browser would submit them (text, number, date and hidden inputs).
func formValues(html, action string) url.Values {
	i := strings.Index(html, `method="post" action="`+action+`"`)
	if i < 0 {
		return nil
	}
	form := html[i:]
	form = form[:strings.Index(form, "</form>")]
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return strings.NewReplacer("&#34;", `"`, "&amp;", "&", "&#39;", "'").Replace(m[1]), true
	}
	v := url.Values{}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(form, -1) {
		name, ok := attr(tag, "name")
		if !ok {
			continue
		}
		if typ, _ := attr(tag, "type"); typ == "checkbox" && !strings.Contains(tag, " checked") {
			continue
		}
		val, _ := attr(tag, "value")
		v.Add(name, val)
	}
	return v
}

// headline is the text of the dashboard's headline.
func headline(html string) string {
	m := regexp.MustCompile(`(?s)<p class="headline" id="headline">(.*?)</p>`).FindStringSubmatch(html)
	if m == nil {
		return ""
	}
	return tags.ReplaceAllString(m[1], "")
}

func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.status, status, text(p.body))
	}
}

func wantIn(t *testing.T, p page, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(p.body, s) {
			t.Errorf("page does not contain %q; text:\n%s", s, text(p.body))
		}
	}
}

func TestRedirectToSignIn(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for path, want := range map[string]string{
		"/":                  "/dang-nhap",
		"/?org=kp&year=2024": "/dang-nhap?next=%2F%3Forg%3Dkp%26year%3D2024",
		"/nguoi":             "/dang-nhap?next=%2Fnguoi",
		"/to-chuc/kp":        "/dang-nhap?next=%2Fto-chuc%2Fkp",
		"/chi-tieu?org=kp":   "/dang-nhap?next=%2Fchi-tieu%3Forg%3Dkp",
		"/nguoi/1":           "/dang-nhap?next=%2Fnguoi%2F1",
		"/trang-khong-co-gi": "/dang-nhap?next=%2Ftrang-khong-co-gi",
	} {
		p := c.get(path)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != want {
			t.Errorf("GET %s: %d → %q, want 303 → %q", path, p.status, p.header.Get("Location"), want)
		}
	}
	p := c.post("/nguoi/moi", url.Values{"full_name": {"Ai Đó"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/dang-nhap") {
		t.Errorf("POST without session: %d → %q", p.status, p.header.Get("Location"))
	}
}

func TestSignInAndDashboard(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()

	p := c.get("/dang-nhap?next=/nguoi")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `id="username"`, `id="password"`, `id="login"`, "Tên đăng nhập", "Mật khẩu", "Đăng nhập", `lang="vi"`)
	if csp := p.header.Get("Content-Security-Policy"); csp != web.CSP {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(p.body, "<script>") || strings.Contains(p.body, "style=") {
		t.Error("inline script or style on the sign-in page")
	}

	// A wrong password: 401, the Vietnamese message, the username kept.
	p = c.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {"sai-mat-khau"}, "next": {"/"}})
	wantStatus(t, p, http.StatusUnauthorized)
	wantIn(t, p, "Tên đăng nhập hoặc mật khẩu không đúng", `value="admin"`)

	// A foreign next is ignored.
	p = c.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {password}, "next": {"https://evil.example/"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		t.Fatalf("login: %d → %q", p.status, p.header.Get("Location"))
	}

	p = c.get("/?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p,
		`<span id="admitted">2</span>/<span id="quota">3</span>`,
		`<span id="quota-percent">66,67 %</span>`,
		`<span id="plan-percent">50,00 %</span>`,
		"30/09/2024", // the deadline
		"Chi bộ Ấp Một", "Đạt chỉ tiêu", "Chưa kết nạp được đảng viên nào", "Chưa giao chỉ tiêu",
		`href="/?asof=2024-05-04&amp;org=kp-a&amp;year=2024"`, // drill-down
		`href="/to-chuc/kp-a"`,
		"<svg", "100 % chỉ tiêu",
		"Đảng bộ tỉnh Đắk Lắk", // breadcrumbs
	)
	if h := headline(p.body); h != "2/3 — đạt 66,67 % chỉ tiêu, 50,00 % kế hoạch" {
		t.Errorf("headline %q", h)
	}
	if strings.Contains(p.body, "Dữ liệu mẫu") {
		t.Error("demo banner without the demo")
	}
	// Ranking: chapter A (100 %) before B (0 %) before C (no quota).
	a, b, cc := strings.Index(p.body, "Chi bộ Ấp Một"), strings.Index(p.body, "Chi bộ Buôn Hai"), strings.Index(p.body, "Chi bộ Cơ quan Ba")
	if !(a < b && b < cc) {
		t.Errorf("ranking order A=%d B=%d C=%d", a, b, cc)
	}

	// Default parameters: the home organization, today.
	p = c.get("/")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Đảng bộ tỉnh Đắk Lắk", `<span id="admitted">2</span>`)

	// The demo banner on every page once the demo is marked.
	if err := e.svc.MarkDemo(context.Background(), domain.Day(2024, 5, 4)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/?org=kp", "/nguoi", "/to-chuc/kp", "/chi-tieu?org=kp"} {
		p := c.get(path)
		wantIn(t, p, "Dữ liệu mẫu (hư cấu) — số liệu tính đến ngày 04/05/2024")
		if strings.Contains(p.body, `id="demo-latest"`) {
			t.Errorf("%s: a link to the demo's last day when none is recorded", path)
		}
	}
	// The demo's history goes on past its date: the banner links every
	// page to the same page on its last day (with that year where the page
	// takes one), and back.
	if err := e.svc.MarkDemoLatest(context.Background(), domain.Day(2026, 11, 30)); err != nil {
		t.Fatal(err)
	}
	for path, link := range map[string]string{
		"/?org=kp":                           `href="/?asof=2026-11-30&amp;org=kp">Xem số liệu mới nhất (30/11/2026)</a>`,
		"/?org=kp&year=2024&asof=2024-05-04": `href="/?asof=2026-11-30&amp;org=kp&amp;year=2026">Xem số liệu mới nhất (30/11/2026)</a>`,
		"/chi-tieu?org=kp":                   `href="/chi-tieu?asof=2026-11-30&amp;org=kp&amp;year=2026">`,
		"/nguoi?page=2":                      `href="/nguoi?asof=2026-11-30">`,
		"/?asof=2026-11-30&org=kp&year=2026": `href="/?org=kp">Về số liệu ngày 04/05/2024</a>`,
		"/?asof=30%2F11%2F2026&org=kp":       `href="/?org=kp">Về số liệu ngày 04/05/2024</a>`,
	} {
		p := c.get(path)
		wantStatus(t, p, http.StatusOK)
		wantIn(t, p, `<a id="demo-latest" `+link)
		if strings.Contains(path, "2026") {
			wantIn(t, p, "số liệu tính đến ngày 30/11/2026")
		}
	}

	// A bad date is a 422 page in Vietnamese.
	p = c.get("/?org=kp&asof=31/02/2024")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "không có ngày 31/02/2024")

	// Sign out.
	p = c.post("/dang-xuat", nil)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/dang-nhap" {
		t.Fatalf("logout: %d %q", p.status, p.header.Get("Location"))
	}
	if p = c.get("/"); p.status != http.StatusSeeOther {
		t.Errorf("after logout: %d", p.status)
	}
}

func TestSecretaryScope(t *testing.T) {
	e := newEnv(t)
	inA, inB := e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")

	p := c.get("/")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Chi bộ Ấp Một", `<span id="admitted">2</span>/<span id="quota">2</span>`)

	for _, path := range []string{"/?org=kp-b", "/to-chuc/kp-b", "/?org=kp", "/chi-tieu?org=kp-b", "/nguoi/" + strconv.FormatInt(inB, 10), "/nguoi?org=kp-b"} {
		p := c.get(path)
		wantStatus(t, p, http.StatusForbidden)
		wantIn(t, p, "Bạn không có quyền xem đơn vị này")
	}

	p = c.get("/nguoi?q=" + url.QueryEscape("y bhim"))
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "Bhim") {
		t.Error("a person of another chapter is listed")
	}
	p = c.get("/nguoi?q=" + url.QueryEscape("nguyen van duc"))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Nguyễn Văn Đức", "066******123", "Có 1 người")
	p = c.get("/nguoi")
	wantIn(t, p, "Có 3 người", "Trần Thị Bình", "Lê Văn Cường")
	if strings.Contains(p.body, "066095000123") {
		t.Error("full CCCD in the list")
	}

	// The person page masks the CCCD; the reveal shows it.
	id := strconv.FormatInt(inA, 10)
	p = c.get("/nguoi/" + id)
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "066******123", `action="/nguoi/`+id+`/hien-cccd"`, "QĐ-1", "Đảng viên dự bị")
	if strings.Contains(p.body, "066095000123") {
		t.Error("full CCCD before the reveal")
	}
	p = c.post("/nguoi/"+id+"/hien-cccd", nil)
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "066095000123")

	// A secretary reads the unit but cannot edit it.
	p = c.get("/to-chuc/kp-a")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Chi bộ cơ sở", "Xã, phường, thị trấn")
	if strings.Contains(p.body, "/to-chuc/kp-a/sua") {
		t.Error("edit link shown to a secretary")
	}
	wantStatus(t, c.get("/to-chuc/kp-a/sua"), http.StatusForbidden)
	p = c.post("/to-chuc/kp-a/sua", url.Values{"name": {"Đổi tên"}, "kind": {"grass_chapter"}, "sector": {"commune"}, "valid_from": {"2000-01-01"}, "version": {"1"}})
	wantStatus(t, p, http.StatusForbidden)

	// The target sheet is read-only for a secretary.
	p = c.get("/chi-tieu")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Chi bộ Ấp Một", "30/09/2024")
	if strings.Contains(p.body, `id="save-targets"`) || strings.Contains(p.body, `name="plan.0"`) {
		t.Error("a secretary gets the target form")
	}
	p = c.post("/chi-tieu", url.Values{"org": {"kp-a"}, "year": {"2024"}, "rows": {"1"}, "code.0": {"kp-a"}, "plan.0": {"9"}})
	wantStatus(t, p, http.StatusForbidden)
}

func TestPersonForm(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")

	if _, err := e.svc.AddResidentialUnit(e.sys, "kp", domain.ResidentialUnit{Code: "kp-thon-3", Name: "Thôn 3", Kind: "thon"}, "kp-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddResidentialUnit(e.sys, "kp", domain.ResidentialUnit{Code: "kp-ea-yong-a", Name: "Ea Yông A", Kind: "buon"}, ""); err != nil {
		t.Fatal(err)
	}
	p := c.get("/nguoi/moi")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, ">Thôn 3<", ">Buôn Ea Yông A<") // the district above is not the secretary's to name
	res := regexp.MustCompile(`<option value="(\d+)">Buôn Ea Yông A`).FindStringSubmatch(p.body)
	if res == nil {
		t.Fatal("no residence option")
	}
	wantIn(t, p, `value="kp-a"`, "Ê-đê", "Phật giáo", `type="date"`, `<label for="cccd">`)
	if n := strings.Count(p.body, "<option value=") - strings.Count(p.body, `<option value="">`); n < 54 {
		t.Errorf("only %d options", n)
	}

	count := func() int {
		pg, err := e.svc.People(e.sys, service.PeopleQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return pg.Total
	}
	before := count()
	form := url.Values{"full_name": {"Hoàng Thị Hoa"}, "birth_date": {"2001-06-15"}, "sex": {"female"}, "ethnicity": {"12"},
		"religion": {"none"}, "cccd": {"12345"}, "education": {"upper_secondary"}, "occupation": {"farmer"},
		"workplace": {"Hợp tác xã Ea Yông"}, "youth_union": {"1"}, "org": {"kp-a"}, "stage": {"source"}, "residence": {res[1]}}
	p = c.post("/nguoi/moi", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "Số CCCD", `id="err-cccd"`, `value="Hoàng Thị Hoa"`, `value="12345"`, `value="2001-06-15"`,
		`value="Hợp tác xã Ea Yông"`, `<option value="12" selected>`, `<option value="female" selected>`)
	if n := count(); n != before {
		t.Errorf("people %d → %d after a refused form", before, n)
	}

	// A bad date is caught before the service.
	form.Set("cccd", "")
	form.Set("birth_date", "31/02/2001")
	p = c.post("/nguoi/moi", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-birth_date"`, "Ngày sinh")

	// Another chapter is out of reach.
	form.Set("birth_date", "2001-06-15")
	form.Set("org", "kp-b")
	p = c.post("/nguoi/moi", form)
	if p.status != http.StatusForbidden {
		t.Errorf("create in another chapter: %d", p.status)
	}

	// A good form creates the person and goes to their page.
	form.Set("org", "kp-a")
	form.Set("cccd", "066301000777")
	p = c.post("/nguoi/moi", form)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/nguoi/") {
		t.Fatalf("create: %d %q %s", p.status, p.header.Get("Location"), text(p.body))
	}
	loc := p.header.Get("Location")
	p = c.get(loc)
	wantIn(t, p, "Hoàng Thị Hoa", "Ê-đê", "066******777", "Nữ", "Buôn Ea Yông A", "Hợp tác xã Ea Yông")

	// Editing keeps the stored CCCD when the field is left empty.
	p = c.get(loc + "/sua")
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "066301000777") {
		t.Error("the edit form shows the full CCCD")
	}
	form.Set("cccd", "")
	form.Set("full_name", "Hoàng Thị Hoa Mai")
	form.Set("version", "1")
	p = c.post(loc+"/sua", form)
	wantStatus(t, p, http.StatusSeeOther)
	wantIn(t, c.get(loc), "Hoàng Thị Hoa Mai", "066******777")

	// A stale version is a conflict that keeps what was typed.
	form.Set("full_name", "Hoàng Thị Lan")
	p = c.post(loc+"/sua", form)
	wantStatus(t, p, http.StatusConflict)
	wantIn(t, p, "vừa được người khác sửa", `value="Hoàng Thị Lan"`, `name="version" value="2"`)

	// The stage is not edited: the form shows it, a different one is refused.
	p = c.get(loc + "/sua")
	wantIn(t, p, `id="stage">Quần chúng ưu tú</p>`, "Giai đoạn đi theo hồ sơ kết nạp")
	if strings.Contains(p.body, `name="stage"`) {
		t.Error("the edit form offers the stage")
	}
	form.Set("full_name", "Hoàng Thị Hoa Mai")
	form.Set("version", "2")
	form.Set("stage", domain.StageOfficial)
	p = c.post(loc+"/sua", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-stage"`, "Không sửa trực tiếp giai đoạn", "bước “Công nhận đảng viên chính thức”")

	// The secretary is not offered the admission form, and may not post it.
	p = c.get(loc)
	if strings.Contains(p.body, `id="admit"`) || strings.Contains(p.body, "Ghi quyết định kết nạp") {
		t.Error("the secretary is offered the admission form")
	}
	p = c.post(loc+"/ket-nap", url.Values{"decision_no": {"QĐ-9"}, "decision_date": {"2024-05-02"}, "decided_by": {"kp"}})
	wantStatus(t, p, http.StatusForbidden)
	wantIn(t, p, "bước “Quyết định kết nạp” của hồ sơ kết nạp")

	// The district's organizer records it from paper.
	e.user("tochuc-kp", domain.RoleOrganizer, "kp")
	o := e.client()
	o.login("tochuc-kp")
	p = o.get(loc)
	wantIn(t, p, `id="admit"`, `id="admit-hint"`, "ghi từ hồ sơ giấy")
	p = o.post(loc+"/ket-nap", url.Values{"decision_no": {""}, "decision_date": {"2024-05-02"}, "decided_by": {"kp"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "Cần số quyết định kết nạp", `id="err-decision_no"`)
	p = o.post(loc+"/ket-nap", url.Values{"decision_no": {"QĐ-9"}, "decision_date": {"2024-05-02"}, "decided_by": {"kp"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = o.get(loc)
	wantIn(t, p, "QĐ-9", `<span class="badge origin-paper">Ghi từ hồ sơ giấy</span>`)
	if strings.Contains(p.body, `id="admit"`) {
		t.Error("the admission form is offered for a member")
	}
	p = c.get("/?org=kp-a")
	wantIn(t, p, `<span id="admitted">3</span>/<span id="quota">2</span>`, "150,00 %",
		`id="admitted-recorded">trong đó 3 ghi từ hồ sơ giấy`)
	// A member already: refused, the page says why.
	p = o.post(loc+"/ket-nap", url.Values{"decision_no": {"QĐ-10"}, "decision_date": {"2024-05-03"}, "decided_by": {"kp"}})
	wantStatus(t, p, http.StatusConflict)
	wantIn(t, p, `id="admit-error"`, "đã là đảng viên dự bị", "QĐ-9")
}

func TestOrgEditAndTargets(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("tochuc-kp", domain.RoleOrganizer, "kp")
	c := e.client()
	c.login("tochuc-kp")

	p := c.get("/to-chuc/kp-a")
	wantIn(t, p, `href="/to-chuc/kp-a/sua"`, `href="/to-chuc/kp-a/them"`, `href="/nguoi?org=kp-a"`, `href="/nhap/xuat/orgs.xlsx?org=kp-a"`)
	p = c.get("/to-chuc/kp-a/sua")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `value="Chi bộ Ấp Một"`, `name="version" value="1"`)

	form := url.Values{"name": {"Chi bộ Ấp Một (mới)"}, "kind": {"grass_chapter"}, "sector": {"commune"},
		"valid_from": {"2000-01-01"}, "version": {"1"}}
	p = c.post("/to-chuc/kp-a/sua", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/to-chuc/kp-a" {
		t.Fatalf("edit: %d %s", p.status, text(p.body))
	}
	form.Set("name", "Tên khác")
	p = c.post("/to-chuc/kp-a/sua", form) // version 1 is stale now
	wantStatus(t, p, http.StatusConflict)
	wantIn(t, p, "vừa được người khác sửa", `value="Tên khác"`, "Chi bộ Ấp Một (mới)")
	form.Set("valid_to", "1999-01-01")
	form.Set("version", "2")
	p = c.post("/to-chuc/kp-a/sua", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-valid_to"`, "Ngày giải thể phải sau ngày thành lập")

	// Closing a unit with a successor.
	p = c.post("/to-chuc/kp-c/sua", url.Values{"name": {"Chi bộ Cơ quan Ba"}, "kind": {"grass_chapter"}, "sector": {"agency"},
		"valid_from": {"2000-01-01"}, "valid_to": {"2024-04-01"}, "successor": {"kp-a"}, "version": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = c.get("/to-chuc/kp-c")
	wantIn(t, p, "Đơn vị kế thừa", `<a href="/to-chuc/kp-a">Chi bộ Ấp Một (mới)</a>`, "đến trước ngày 01/04/2024", "Cơ quan")
	wantIn(t, c.get("/to-chuc/kp"), "Đã giải thể từ 01/04/2024")
	wantIn(t, c.get("/to-chuc/kp-c/sua"), `name="successor" type="text" autocapitalize="none" spellcheck="false" value="kp-a"`)

	p = c.post("/to-chuc/kp/them", url.Values{"code": {"kp-d"}, "name": {"Chi bộ Dốc Bốn"}, "kind": {"grass_chapter"},
		"sector": {"school"}, "valid_from": {"2024-01-01"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/to-chuc/kp-d" {
		t.Fatalf("add: %d %s", p.status, text(p.body))
	}
	p = c.post("/to-chuc/kp/them", url.Values{"code": {"kp-d"}, "name": {"Trùng mã"}, "kind": {"grass_chapter"},
		"sector": {"school"}, "valid_from": {"2024-01-01"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "đã được dùng", `value="Trùng mã"`)

	// Targets: the district's quota is assigned from above, so its row is locked.
	p = c.get("/chi-tieu?org=kp&year=2024")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "(cấp trên giao)", `name="quota.1"`, "Chi bộ Dốc Bốn")
	if strings.Contains(p.body, `name="quota.0"`) {
		t.Error("the unit's own quota is editable")
	}
	rows := formValues(p.body, "/chi-tieu")
	idx := func(code string) string {
		m := regexp.MustCompile(`name="code\.(\d+)" value="` + code + `"`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no row for %s", code)
		}
		return m[1]
	}
	a, b := idx("kp-a"), idx("kp-b")
	rows.Set("quota."+a, "5")
	rows.Set("plan."+b, "abc")
	p = c.post("/chi-tieu", rows)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "Kế hoạch: &#34;abc&#34; không phải là số nguyên", "Đã lưu 1 thay đổi", `value="abc"`,
		"Tổng chỉ tiêu các đơn vị trực thuộc (6) chưa khớp với chỉ tiêu của đơn vị (3): vượt 3")
	sheet, err := e.svc.Targets(e.sys, service.ReportQuery{OrgCode: "kp", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if sheet.QuotaSum != 6 {
		t.Errorf("quota sum %d, want 6", sheet.QuotaSum)
	}
	rows.Set("quota."+a, "1")
	rows.Set("orig_quota."+a, "5")
	rows.Set("plan."+b, "2")
	p = c.post("/chi-tieu", rows)
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, text(p.body))
	}
	p = c.get(p.header.Get("Location"))
	wantIn(t, p, "Đã lưu 2 thay đổi", "Tổng chỉ tiêu các đơn vị trực thuộc (2) chưa khớp với chỉ tiêu của đơn vị (3): còn thiếu 1")
}

// TestEmptyDatabase renders every page that needs no data on a database
// with nothing but an admin.
func TestEmptyDatabase(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	wantStatus(t, c.get("/dang-nhap"), http.StatusOK)
	c.login("admin")
	for path, status := range map[string]int{
		"/":               http.StatusOK,
		"/nguoi":          http.StatusOK,
		"/nguoi/moi":      http.StatusOK,
		"/chi-tieu":       http.StatusOK,
		"/to-chuc":        http.StatusNotFound,
		"/to-chuc/x":      http.StatusNotFound,
		"/nguoi/42":       http.StatusNotFound,
		"/khong-co":       http.StatusNotFound,
		"/static/app.css": http.StatusOK,
		"/static/":        http.StatusNotFound,
	} {
		p := c.get(path)
		if p.status != status {
			t.Errorf("GET %s: %d, want %d\n%s", path, p.status, status, text(p.body))
		}
		if p.header.Get("Content-Security-Policy") != web.CSP {
			t.Errorf("GET %s: no CSP", path)
		}
	}
	wantIn(t, c.get("/"), "Chưa có tổ chức nào")
	wantIn(t, c.get("/khong-co"), "Không tìm thấy trang hoặc dữ liệu")
}
