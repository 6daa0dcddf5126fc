package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"ketnap/internal/domain"
)

// DOMAIN §7: the analytics page draws the breakdowns and the funnel as
// server-side SVG (no script, no inline style), in Vietnamese, scoped.
func TestBreakdownsPage(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	p := c.get("/phan-tich?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `<span id="bd-admitted">2</span>`, "Giới tính", "Nữ", "Nam", "Dân tộc thiểu số", "Độ tuổi khi kết nạp",
		`id="chart-sex"`, `id="chart-funnel"`, "Các bước kết nạp đang thực hiện", "Dự báo đến hạn hoàn thành chỉ tiêu",
		"Chi bộ Ấp Một", `<svg class="chart"`)
	// Two men admitted: the men's bar is the full count, 100 %; the axis starts at 0.
	wantIn(t, p, "2 (100,00 %)", `<text class="tick" x="4" `)
	if strings.Contains(p.body, "<script>") || strings.Contains(p.body, "style=") {
		t.Error("inline script or style")
	}
	// Every bar is drawn from the axis with a non-negative width.
	for _, m := range regexp.MustCompile(`width="(-[0-9.]+)"`).FindAllStringSubmatch(p.body, -1) {
		t.Errorf("negative width %s", m[1])
	}

	// A secretary reads their chapter's page only.
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	s := e.client()
	s.login("bithu-a")
	p = s.get("/phan-tich?year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Phân tích kết nạp: Chi bộ Ấp Một", `<span id="bd-admitted">2</span>`)
	wantStatus(t, s.get("/phan-tich?org=kp"), http.StatusForbidden)
	wantStatus(t, s.get("/phan-tich?org=kp-b"), http.StatusForbidden)
}
