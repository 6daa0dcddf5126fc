package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/web"
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

// Issue 15: on a province or the country the analytics page lists the
// first rows of its long lists (villages without member or chapter, the
// admitted by village) with how many more there are, not tens of
// thousands of rows; a unit whose lists fit shows them whole.
func TestBreakdownsPageCutsLongLists(t *testing.T) {
	e := newEnv(t)
	e.tree()
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		if _, err := e.svc.AddResidentialUnit(e.sys, "kp", domain.ResidentialUnit{Code: "kp-thon-x" + n, Name: "Thôn X" + n, Kind: "thon"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	c.login("admin")
	p := c.get("/phan-tich?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Thôn X1", "Thôn X5")
	if strings.Contains(p.body, `id="weak-more"`) || strings.Contains(p.body, `id="residence-more"`) {
		t.Error("lists that fit were cut")
	}
	defer web.SetAnalyticsRows(2)()
	p = c.get("/phan-tich?org=kp&year=2024&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	weak := regexp.MustCompile(`<li>Thôn X`).FindAllString(p.body, -1)
	if len(weak) != 2 {
		t.Errorf("%d villages listed without member or chapter, want the first 2", len(weak))
	}
	wantIn(t, p, `id="weak-more"`, `id="residence-more"`, "Hiển thị 2 đơn vị đầu tiên")
	m := regexp.MustCompile(`id="weak-more">Hiển thị 2 đơn vị đầu tiên; còn ([0-9.]+) đơn vị nữa`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no count of the villages not shown")
	}
	// the count is the rest of the whole list, which the heading gives
	h := regexp.MustCompile(`chưa có đảng viên và chưa có chi bộ \(([0-9]+)\)`).FindStringSubmatch(p.body)
	if h == nil || h[1] == "" {
		t.Fatal("no heading count")
	}
	if want := fmt.Sprint(atoi(t, h[1]) - 2); m[1] != want {
		t.Errorf("%s more villages, want %s (heading %s)", m[1], want, h[1])
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
