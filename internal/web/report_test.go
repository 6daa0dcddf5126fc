package web_test

import (
	"archive/zip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/pdf"
	"ketnap/internal/service"
)

// zipPart returns a part of a zip package (a .docx or .xlsx).
func zipPart(t *testing.T, body, name string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range z.File {
		if f.Name == name {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			return string(b)
		}
	}
	t.Fatalf("%s missing", name)
	return ""
}

// sheetText opens a workbook and returns every cell of a sheet, | between cells.
func sheetText(t *testing.T, body, sheet string) string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|") + "\n")
	}
	return b.String()
}

func TestConferenceDownloads(t *testing.T) {
	e := newEnv(t)
	e.tree()
	// A unit whose name needs escaping in XML.
	e.must(e.svc.CreateOrg(e.sys, service.OrgInput{Code: "kp-d", Name: "Chi bộ Tổ 1 & 2 <mới>", Kind: domain.KindGrassChapter,
		Sector: "commune", ParentCode: "kp", ValidFrom: domain.Day(2000, 1, 1)}))
	c := e.client()
	c.login("admin")
	p := c.get("/?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Tải báo cáo hội nghị (Word)", `href="/bao-cao/hoi-nghi.docx?asof=2024-05-04&amp;org=kp&amp;year=2024"`,
		`href="/bao-cao/hoi-nghi.pdf?`, `href="/bao-cao/hoi-nghi.xlsx?`, `href="/tien-do.xlsx?asof=2024-05-04&amp;org=kp&amp;year=2024"`, "Xuất Excel")

	p = c.get("/bao-cao/hoi-nghi.docx?org=kp&year=2024&asof=2024-05-04&so=" + "S%E1%BB%91%3A+7-BC%2FHU")
	wantStatus(t, p, http.StatusOK)
	if ct := p.header.Get("Content-Type"); !strings.Contains(ct, "wordprocessingml") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := p.header.Get("Content-Disposition"); cd != `attachment; filename="bao-cao-hoi-nghi-kp-2024.docx"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	doc := strings.ReplaceAll(zipPart(t, p.body, "word/document.xml"), "\u00a0", " ")
	zipPart(t, p.body, "[Content_Types].xml")
	for _, s := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH ĐẮK LẮK", "HUYỆN ỦY KRÔNG PẮC", "Số: 7-BC/HU", "Krông Pắc, ngày 04 tháng 5 năm 2024",
		"2/3", "66,67 %", "50,00 %", "Chi bộ Ấp Một", "Chi bộ Tổ 1 &amp; 2 &lt;mới&gt;"} {
		if !strings.Contains(doc, s) {
			t.Errorf("docx: %q missing", s)
		}
	}
	if strings.Contains(doc, "<mới>") {
		t.Error("docx: a unit's name is not escaped")
	}

	p = c.get("/bao-cao/hoi-nghi.pdf?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	text, err := pdf.Text([]byte(p.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "Chi bộ Ấp Một", "66,67 %"} {
		if !strings.Contains(text, s) {
			t.Errorf("pdf: %q missing", s)
		}
	}

	p = c.get("/bao-cao/hoi-nghi.xlsx?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Tổng hợp"); !strings.Contains(s, "2/3") {
		t.Errorf("xlsx summary:\n%s", s)
	}

	p = c.get("/tien-do.xlsx?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Đơn vị trực thuộc"); !strings.Contains(s, "Chi bộ Ấp Một|kp-a|2|2|") || !strings.Contains(s, "Chi bộ Tổ 1 & 2 <mới>") {
		t.Errorf("progress export:\n%s", s)
	}
	if !strings.Contains(zipPart(t, p.body, "xl/charts/chart1.xml"), "barChart") {
		t.Error("the progress export has no bar chart")
	}
}

func TestListExports(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("admin")
	p := c.get("/nguoi?org=kp")
	wantIn(t, p, `href="/nguoi.xlsx?org=kp"`)
	p = c.get("/nguoi.xlsx?org=kp")
	wantStatus(t, p, http.StatusOK)
	s := sheetText(t, p.body, "Danh sách")
	for _, w := range []string{"Họ và tên", "Ngày sinh", "Nguyễn Văn Đức", "066******123", "Y Bhim Niê"} {
		if !strings.Contains(s, w) {
			t.Errorf("people export: %q missing from\n%s", w, s)
		}
	}
	f, _ := excelize.OpenReader(strings.NewReader(p.body))
	if h, _ := f.GetRowHeight("Danh sách", 5); h < 18 {
		t.Errorf("row height %v clips stacked diacritics", h)
	}
	f.Close()

	p = c.get("/ho-so")
	wantIn(t, p, `href="/ho-so.xlsx"`)
	p = c.get("/ho-so.xlsx?all=1")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Hồ sơ kết nạp"); !strings.Contains(s, "Giai đoạn") {
		t.Errorf("case export:\n%s", s)
	}

	p = c.get("/lop-hoc/bao-cao?org=kp&year=2024&asof=2024-05-04")
	wantIn(t, p, `href="/lop-hoc/bao-cao.xlsx?`)
	p = c.get("/lop-hoc/bao-cao.xlsx?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Lớp bồi dưỡng"); !strings.Contains(s, "Bồi dưỡng nhận thức về Đảng") {
		t.Errorf("class report export:\n%s", s)
	}

	p = c.get("/viec-can-lam?org=kp")
	wantIn(t, p, `href="/viec-can-lam.xlsx?days=30&amp;org=kp"`)
	p = c.get("/viec-can-lam.xlsx?org=kp&days=60")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Việc cần làm"); !strings.Contains(s, "Người thực hiện") {
		t.Errorf("todo export:\n%s", s)
	}

	p = c.get("/phan-tich?org=kp&year=2024&asof=2024-05-04")
	wantIn(t, p, `href="/phan-tich.xlsx?asof=2024-05-04&amp;org=kp&amp;year=2024"`)
	p = c.get("/phan-tich.xlsx?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(zipPart(t, p.body, "xl/charts/chart1.xml"), "barChart") {
		t.Error("the analytics export has no bar chart")
	}
	if s := sheetText(t, p.body, "Phễu theo đơn vị"); !strings.Contains(s, "Chi bộ Ấp Một") {
		t.Errorf("funnel export:\n%s", s)
	}

	// Scoped like the pages.
	b := e.client()
	b.login("bithu-a")
	p = b.get("/nguoi.xlsx")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Danh sách"); strings.Contains(s, "Bhim") || !strings.Contains(s, "Nguyễn Văn Đức") {
		t.Errorf("a secretary's export:\n%s", s)
	}
	for _, path := range []string{"/nguoi.xlsx?org=kp-b", "/tien-do.xlsx?org=kp", "/bao-cao/hoi-nghi.docx?org=kp", "/ho-so.xlsx?org=kp-b"} {
		if p := b.get(path); p.status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", path, p.status)
		}
	}
	if p := e.client().get("/bao-cao/hoi-nghi.docx"); p.status != http.StatusSeeOther {
		t.Errorf("anonymous: %d", p.status)
	}
}

// The target sheet exports with the children's figures and their sum,
// scoped like the page.
func TestTargetsExport(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("admin")
	p := c.get("/chi-tieu?org=kp&year=2024")
	wantIn(t, p, `href="/chi-tieu.xlsx?org=kp&amp;year=2024"`)
	p = c.get("/chi-tieu.xlsx?org=kp&year=2024")
	wantStatus(t, p, http.StatusOK)
	s := sheetText(t, p.body, "Chỉ tiêu")
	for _, w := range []string{"CHỈ TIÊU, KẾ HOẠCH KẾT NẠP ĐẢNG VIÊN NĂM 2024", "kp-a", "Tổng các đơn vị trực thuộc"} {
		if !strings.Contains(s, w) {
			t.Errorf("targets export: %q missing from\n%s", w, s)
		}
	}
	b := e.client()
	b.login("bithu-a")
	if p := b.get("/chi-tieu.xlsx?org=kp&year=2024"); p.status != http.StatusForbidden {
		t.Errorf("a secretary exporting the district's targets: %d, want 403", p.status)
	}
	if p := c.get("/chi-tieu.xlsx?org=kp&year=abc"); p.status != http.StatusUnprocessableEntity {
		t.Errorf("bad year: %d, want 422", p.status)
	}
}
