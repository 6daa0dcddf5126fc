package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/pdf"
	"ketnap/internal/service"
)

// The conference report's page: the drafted sections and the header and
// signature lines, edited, kept per report, used by Word and PDF, reset to
// the draft; scoped like the report; a refused field changes nothing.
func TestConferencePage(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	e.user("xem", domain.RoleViewer, "kp")
	c := e.client()
	c.login("admin")
	const q = "org=kp&year=2024&asof=2024-05-04"

	p := c.get("/?" + q)
	wantIn(t, p, `href="/bao-cao/hoi-nghi?asof=2024-05-04&amp;org=kp&amp;year=2024"`)

	p = c.get("/bao-cao/hoi-nghi?" + q)
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Báo cáo hội nghị: Đảng bộ huyện Krông Pắc", `value="ĐẢNG BỘ TỈNH ĐẮK LẮK"`, `value="HUYỆN ỦY KRÔNG PẮC"`,
		`value="T/M BAN THƯỜNG VỤ"`, `value="PHÓ BÍ THƯ"`, "II. Hạn chế, nguyên nhân", "III. Nhiệm vụ, giải pháp",
		"1. Hạn chế", "2. Nguyên nhân", "- Ban Thường vụ Tỉnh ủy (để báo cáo),", "bản nháp soạn tự động",
		`href="/bao-cao/hoi-nghi.docx?asof=2024-05-04&amp;org=kp&amp;year=2024"`, "1. Kết quả chung")
	if strings.Contains(p.body, `id="conf-reset"`) {
		t.Error("a reset button with nothing saved")
	}
	// the drafted task names the chapter at zero and the deadline's quarter
	tasks := areaText(t, p.body, "tasks")
	for _, s := range []string{"đến ngày 30/09/2024 (hết quý III năm 2024)", "Chi bộ Buôn Hai (chỉ tiêu 1)"} {
		if !strings.Contains(tasks, s) {
			t.Errorf("the drafted tasks lack %q:\n%s", s, tasks)
		}
	}

	// Save: the weaknesses rewritten, a signer; the other fields as drafted.
	form := url.Values{"org": {"kp"}, "year": {"2024"}, "asof": {"2024-05-04"},
		"issuer": {"HUYỆN ỦY KRÔNG PẮC"}, "signer_title": {"PHÓ BÍ THƯ"}, "signer": {"  Nguyễn Văn   Bình "},
		"weaknesses": {"1. Hạn chế\r\n- Chi bộ Buôn Hai chưa kết nạp được đảng viên nào.\r\n\r\n\r\n2. Nguyên nhân\r\n- Chưa quan tâm tạo nguồn."},
		"tasks":      {tasks}}
	p = c.post("/bao-cao/hoi-nghi", form)
	wantStatus(t, p, http.StatusSeeOther)
	if loc := p.header.Get("Location"); loc != "/bao-cao/hoi-nghi?asof=2024-05-04&org=kp&xong=luu&year=2024" {
		t.Errorf("redirect to %q", loc)
	}
	p = c.get("/bao-cao/hoi-nghi?" + q + "&xong=luu")
	wantIn(t, p, "Đã lưu phần sửa của báo cáo", "lưu lần cuối bởi Quản trị lúc 10:00 ngày 04/05/2024", `value="Nguyễn Văn Bình"`,
		"đã sửa", `id="conf-reset"`, "Bản nháp từ số liệu")
	if got := areaText(t, p.body, "weaknesses"); got != "1. Hạn chế\n- Chi bộ Buôn Hai chưa kết nạp được đảng viên nào.\n\n2. Nguyên nhân\n- Chưa quan tâm tạo nguồn." {
		t.Errorf("weaknesses kept as %q", got)
	}
	saved, err := e.svc.ConferenceText(e.sys, service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: domain.Day(2024, 5, 4)})
	if err != nil || saved == nil {
		t.Fatalf("saved text: %v, %v", saved, err)
	}
	if saved.Signer == nil || *saved.Signer != "Nguyễn Văn Bình" || saved.Issuer != nil || saved.SignerTitle != nil || saved.Tasks != nil || saved.Weaknesses == nil {
		t.Errorf("only the changed fields are kept: %+v", saved)
	}
	// a report of another date is its own
	if other, _ := e.svc.ConferenceText(e.sys, service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: domain.Day(2024, 5, 5)}); other != nil {
		t.Error("the text of 04/05 is used on 05/05")
	}

	// Word and PDF use the edited text.
	p = c.get("/bao-cao/hoi-nghi.docx?" + q)
	doc := zipPart(t, p.body, "word/document.xml")
	for _, s := range []string{"II. HẠN CHẾ, NGUYÊN NHÂN", "Chi bộ Buôn Hai chưa kết nạp được đảng viên nào.", "Chưa quan tâm tạo nguồn.",
		"PHÓ BÍ THƯ", "Nguyễn Văn Bình", "III. NHIỆM VỤ, GIẢI PHÁP", "ĐẢNG BỘ TỈNH ĐẮK LẮK"} {
		if !strings.Contains(doc, s) {
			t.Errorf("docx: %q missing", s)
		}
	}
	if strings.Contains(doc, "Tiến độ kết nạp đảng viên mới còn chậm") {
		t.Error("docx: the draft of section II is still there")
	}
	p = c.get("/bao-cao/hoi-nghi.pdf?" + q)
	pt, err := pdf.Text([]byte(p.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Chưa quan tâm tạo nguồn.", "Nguyễn Văn Bình", "PHÓ BÍ THƯ"} {
		if !strings.Contains(pt, s) {
			t.Errorf("pdf: %q missing", s)
		}
	}

	// A refused field: the form comes back as typed, nothing is written.
	bad := url.Values{"org": {"kp"}, "year": {"2024"}, "asof": {"2024-05-04"}, "signer": {"Trần Văn Cường"},
		"number": {"Số 12\n-BC/HU"}}
	p = c.post("/bao-cao/hoi-nghi", bad)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "Số hiệu văn bản: chỉ được viết trên một dòng", `id="err-number"`, `value="Trần Văn Cường"`)
	long := url.Values{"org": {"kp"}, "year": {"2024"}, "asof": {"2024-05-04"}, "tasks": {strings.Repeat("ă", 30001)}}
	p = c.post("/bao-cao/hoi-nghi", long)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "III. Nhiệm vụ, giải pháp dài 30.001 ký tự, tối đa 30.000 ký tự")
	if again, _ := e.svc.ConferenceText(e.sys, service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: domain.Day(2024, 5, 4)}); again == nil || *again.Signer != "Nguyễn Văn Bình" {
		t.Errorf("a refused save changed the text: %+v", again)
	}

	// Scoped like the report: a secretary elsewhere may not read or write
	// the district's; a viewer reads it, without a form to save.
	s := e.client()
	s.login("bithu-a")
	if p := s.get("/bao-cao/hoi-nghi?" + q); p.status != http.StatusForbidden {
		t.Errorf("a secretary of a chapter reading the district's report: %d", p.status)
	}
	if p := s.post("/bao-cao/hoi-nghi", form); p.status != http.StatusForbidden {
		t.Errorf("a secretary of a chapter saving the district's report: %d", p.status)
	}
	p = s.get("/bao-cao/hoi-nghi?org=kp-a&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `value="CHI BỘ ẤP MỘT"`, `value="ĐẢNG BỘ HUYỆN KRÔNG PẮC"`, `value="T/M CHI BỘ"`, `id="conf-save"`)
	v := e.client()
	v.login("xem")
	p = v.get("/bao-cao/hoi-nghi?" + q)
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `id="read-only"`, "Nguyễn Văn Bình")
	if strings.Contains(p.body, `id="conf-save"`) {
		t.Error("a viewer is offered to save")
	}
	if p := v.post("/bao-cao/hoi-nghi", form); p.status != http.StatusForbidden {
		t.Errorf("a viewer saving: %d", p.status)
	}
	if p := v.post("/bao-cao/hoi-nghi/ban-nhap", url.Values{"org": {"kp"}, "year": {"2024"}, "asof": {"2024-05-04"}}); p.status != http.StatusForbidden {
		t.Errorf("a viewer resetting: %d", p.status)
	}

	// CSRF: a cross-site form post is refused before the handler.
	req, _ := http.NewRequest("POST", e.srv.URL+"/bao-cao/hoi-nghi", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := c.do(req); p.status != http.StatusForbidden {
		t.Errorf("a cross-site post: %d", p.status)
	}

	// Reset: back to the draft, in the files too.
	p = c.post("/bao-cao/hoi-nghi/ban-nhap", url.Values{"org": {"kp"}, "year": {"2024"}, "asof": {"2024-05-04"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = c.get(p.header.Get("Location"))
	wantIn(t, p, "Đã khôi phục bản nháp", "bản nháp soạn tự động")
	p = c.get("/bao-cao/hoi-nghi.docx?" + q)
	doc = zipPart(t, p.body, "word/document.xml")
	if strings.Contains(doc, "Nguyễn Văn Bình") || !strings.Contains(doc, "1. Hạn chế") || strings.Contains(doc, "Chưa quan tâm tạo nguồn.") {
		t.Error("docx after the reset still has the edited text")
	}
}

// areaText is the text of a textarea of the page, unescaped.
func areaText(t *testing.T, html, name string) string {
	t.Helper()
	i := strings.Index(html, `name="`+name+`"`)
	if i < 0 {
		t.Fatalf("no textarea %s", name)
	}
	rest := html[i:]
	rest = rest[strings.Index(rest, ">")+1:]
	rest = rest[:strings.Index(rest, "</textarea>")]
	return strings.NewReplacer("&#34;", `"`, "&amp;", "&", "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(rest)
}
