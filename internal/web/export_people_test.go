package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/testkit/demodb"
	"ketnap/internal/web"

	"github.com/xuri/excelize/v2"
)

// demoServer serves the demo district to a signed-in admin (for the
// export benchmark: env needs a *testing.T).
func demoServer(b *testing.B) (*http.Client, string) {
	b.Helper()
	ctx := context.Background()
	st := demodb.Open(b)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	now := time.Date(2024, 5, 4, 10, 0, 0, 0, domain.Vietnam)
	svc.Now = func() time.Time { return now }
	sys := service.WithUser(ctx, service.System)
	if _, err := svc.CreateUser(sys, service.NewUser{Username: "admin", FullName: "Quản trị", Role: domain.RoleAdmin, Password: password}); err != nil {
		b.Fatal(err)
	}
	sm := httpx.NewSessions(svc, false)
	h, err := web.New(svc, sm, web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(sm.LoadAndSave(httpx.Authenticate(svc, sm)(http.NewCrossOriginProtection().Handler(mux))))
	b.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(srv.URL+"/dang-nhap", url.Values{"username": {"admin"}, "password": {password}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: %d", resp.StatusCode)
	}
	return c, srv.URL
}

// BenchmarkPeopleXLSXDemo: GET /nguoi.xlsx of the whole demo district
// (7,383 people) as the admin.
func BenchmarkPeopleXLSXDemo(b *testing.B) {
	c, base := demoServer(b)
	for b.Loop() {
		resp, err := c.Get(base + "/nguoi.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n < 100_000 || !strings.Contains(resp.Header.Get("Content-Type"), "sheet") {
			b.Fatalf("status %d, %d bytes, %s", resp.StatusCode, n, resp.Header.Get("Content-Type"))
		}
	}
}

// GET /nguoi.xlsx streams the list's rows: for a user limited to one
// commune, exactly the people list of that user (every page, same order,
// CCCD masked), nobody outside the commune; the sheet keeps the layout of
// the in-memory workbook (title, frozen header, row heights, widths, A4).
func TestPeopleExportStreamsTheScopedList(t *testing.T) {
	e := newEnv(t)
	e.tree()
	d := domain.Day
	for _, o := range []struct{ code, name, kind, parent string }{
		{"kp-xa", "Đảng bộ xã Ea Kly", string(domain.KindCommune), "kp"},
		{"kp-xa-1", "Chi bộ thôn Ẻ Một", string(domain.KindChapter), "kp-xa"},
		{"kp-xa-2", "Chi bộ thôn Ằ Hai", string(domain.KindChapter), "kp-xa"},
	} {
		e.must(e.svc.CreateOrg(e.sys, service.OrgInput{Code: o.code, Name: o.name, Kind: domain.OrgKind(o.kind), Sector: "commune",
			ParentCode: o.parent, ValidFrom: d(2000, 1, 1)}))
	}
	// 230 people in the commune (more than one page of 200), a few outside.
	for i := range 230 {
		org := []string{"kp-xa", "kp-xa-1", "kp-xa-2"}[i%3]
		e.must(e.svc.CreatePerson(e.sys, service.PersonInput{FullName: fmt.Sprintf("Hoàng Thị Ẩn %03d", 229-i), BirthDate: d(1990+i%20, 1+time.Month(i%12), 1+i%28),
			Sex: domain.Female, Ethnicity: "01", Religion: "none", Education: "upper_secondary", OrgCode: org, Stage: domain.StageSource}))
	}
	e.must(e.svc.CreatePerson(e.sys, service.PersonInput{FullName: "Đỗ Văn Ngoài", BirthDate: d(1990, 1, 1), Sex: domain.Male, CCCD: "066090000777",
		Ethnicity: "01", Religion: "none", Education: "upper_secondary", OrgCode: "kp-c", Stage: domain.StageSource}))
	u, err := e.svc.CreateUser(e.sys, service.NewUser{Username: "bantochuc-xa", Role: domain.RoleOrganizer, OrgCode: "kp-xa", Password: password})
	if err != nil {
		t.Fatal(err)
	}

	c := e.client()
	c.login("bantochuc-xa")
	p := c.get("/nguoi.xlsx")
	wantStatus(t, p, http.StatusOK)
	f, err := excelize.OpenReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Danh sách")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 4 || rows[0][0] != "DANH SÁCH QUẦN CHÚNG, ĐẢNG VIÊN" || rows[1][0] != "Toàn bộ phạm vi được xem" ||
		strings.Join(rows[3], "|") != "STT|Họ và tên|Ngày sinh|Giới tính|Số CCCD|Trình độ học vấn|Đơn vị|Giai đoạn" {
		t.Fatalf("head of the sheet: %q", rows[:min(len(rows), 4)])
	}
	data := rows[4:]

	// The list the page shows this user, every page.
	uctx := service.WithUser(context.Background(), u)
	var want []*domain.Person
	for page := 1; ; page++ {
		res, err := e.svc.People(uctx, service.PeopleQuery{Page: page, PerPage: 200})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, res.People...)
		if page >= res.Pages() {
			break
		}
	}
	if len(want) != 230 || len(data) != len(want) {
		t.Fatalf("export %d rows; the list %d; want 230", len(data), len(want))
	}
	units := map[string]bool{"Đảng bộ xã Ea Kly": true, "Chi bộ thôn Ẻ Một": true, "Chi bộ thôn Ằ Hai": true}
	for i, x := range want {
		r := data[i]
		if len(r) < 8 || r[0] != strconv.Itoa(i+1) || r[1] != x.FullName || r[2] != x.BirthDate.Format("02/01/2006") || r[3] != "Nữ" ||
			!units[r[6]] || r[7] != domain.StageName(x.Stage) {
			t.Fatalf("row %d: %q; want %s born %s", i+1, r, x.FullName, x.BirthDate.Format("02/01/2006"))
		}
	}
	if strings.Contains(p.body, "Ngoài") {
		t.Error("someone outside the commune is exported")
	}

	// The layout of the in-memory workbook.
	if h, _ := f.GetRowHeight("Danh sách", 1); h != 24 {
		t.Errorf("title row height %v", h)
	}
	if h, _ := f.GetRowHeight("Danh sách", 4); h != 40 {
		t.Errorf("header row height %v", h)
	}
	for _, r := range []int{5, 5 + len(data) - 1} {
		if h, _ := f.GetRowHeight("Danh sách", r); h != 20 {
			t.Errorf("row %d height %v clips stacked diacritics", r, h)
		}
	}
	if w, _ := f.GetColWidth("Danh sách", "G"); w != 44 {
		t.Errorf("unit column width %v", w)
	}
	merged, _ := f.GetMergeCells("Danh sách")
	if len(merged) != 2 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "H1" {
		t.Errorf("merged cells %v", merged)
	}
	if panes, _ := f.GetPanes("Danh sách"); !panes.Freeze || panes.YSplit != 4 || panes.TopLeftCell != "A5" {
		t.Errorf("panes %+v", panes)
	}
	if pl, _ := f.GetPageLayout("Danh sách"); pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout %+v", pl)
	}
	id, _ := f.GetCellStyle("Danh sách", "C5")
	if st, _ := f.GetStyle(id); st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy" || st.Font == nil || st.Font.Family != "Times New Roman" {
		t.Errorf("date cell style %+v", st)
	}
	id, _ = f.GetCellStyle("Danh sách", "D4")
	if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "EDEDED" {
		t.Errorf("header style %+v", st)
	}

	// A stage filter and a search narrow it like the list; outside the scope is 403.
	p = c.get("/nguoi.xlsx?org=kp-xa-1&q=" + url.QueryEscape("an 00"))
	wantStatus(t, p, http.StatusOK)
	res, err := e.svc.People(uctx, service.PeopleQuery{OrgCode: "kp-xa-1", Query: "an 00", PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	s := sheetText(t, p.body, "Danh sách")
	if len(res.People) == 0 || strings.Count(s, "Hoàng Thị Ẩn 00") != len(res.People) || strings.Contains(s, "Ằ Hai") {
		t.Errorf("filtered export (the list has %d):\n%s", len(res.People), s)
	}
	for _, x := range res.People {
		if !strings.Contains(s, "|"+x.FullName+"|") {
			t.Errorf("filtered export: %s missing", x.FullName)
		}
	}
	if p := c.get("/nguoi.xlsx?org=kp-a"); p.status != http.StatusForbidden {
		t.Errorf("outside the commune: %d, want 403", p.status)
	}
}
