package e2e

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

type progressJSON struct {
	Org struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"org"`
	Year             int             `json:"year"`
	AsOf             string          `json:"asof"`
	Admitted         int             `json:"admitted"`
	AdmittedRecorded *int            `json:"admitted_recorded"`
	Quota            *int            `json:"quota"`
	Plan             *int            `json:"plan"`
	QuotaPercent     *float64        `json:"quota_percent"`
	PlanPercent      *float64        `json:"plan_percent"`
	Deadline         *string         `json:"deadline"`
	Projection       *int            `json:"projection"`
	Children         []*progressJSON `json:"children"`
}

const progressPath = "/api/v1/progress?org=krongpac&year=2024&asof=2024-05-04"

// The acceptance of the foundation issue: the article's district as of
// 4 May 2024 (seed/article.en.md rows 5–6; CONTRACT "Progress").
func TestProgressOfTheArticle(t *testing.T) {
	c := login(t, organizer)
	var p progressJSON
	if st := call(t, c, "GET", progressPath, nil, &p); st != 200 {
		t.Fatalf("status %d", st)
	}
	if p.Admitted != 57 || p.Quota == nil || *p.Quota != 246 || p.Plan == nil || *p.Plan != 275 {
		t.Fatalf("admitted %d quota %v plan %v, want 57/246/275", p.Admitted, p.Quota, p.Plan)
	}
	if p.QuotaPercent == nil || *p.QuotaPercent != 23.17 || p.PlanPercent == nil || *p.PlanPercent != 20.73 {
		t.Fatalf("percents %v %v, want 23.17 and 20.73", p.QuotaPercent, p.PlanPercent)
	}
	if p.Deadline == nil || *p.Deadline != "2024-09-30" || p.AsOf != "2024-05-04" || p.Year != 2024 {
		t.Fatalf("deadline %v asof %q year %d", p.Deadline, p.AsOf, p.Year)
	}
	want := map[string]float64{
		"Chi bộ Trường THPT Lê Hồng Phong":          233.33,
		"Chi bộ Ban Dân vận Huyện ủy":               100,
		"Chi bộ Trung tâm Phát triển quỹ đất huyện": 100,
		"Đảng bộ xã Ea Yông":                        60,
	}
	zero, sum := 0, 0
	for _, ch := range p.Children {
		sum += ch.Admitted
		if ch.Children != nil {
			t.Errorf("child %s carries its own children", ch.Org.Code)
		}
		if w, ok := want[ch.Org.Name]; ok {
			if ch.QuotaPercent == nil || math.Abs(*ch.QuotaPercent-w) > 1e-9 {
				t.Errorf("%s: %v %%, want %v", ch.Org.Name, ch.QuotaPercent, w)
			}
			delete(want, ch.Org.Name)
		}
		if ch.Quota != nil && *ch.Quota > 0 && ch.Admitted == 0 {
			zero++
		}
	}
	if len(want) > 0 {
		t.Errorf("units not found among the children: %v", want)
	}
	if zero < 3 {
		t.Errorf("%d units with a quota and nobody admitted, want several", zero)
	}
	if sum != 57 {
		t.Errorf("children admitted add up to %d, want 57", sum)
	}

	// The CLI gives the same report (CONTRACT "Progress").
	code, out, errs := run(context.Background(), "", "report", "progress", "--db", app.db, "--org", "krongpac",
		"--year", "2024", "--asof", "2024-05-04", "--format", "json")
	if code != 0 {
		t.Fatalf("report progress: exit %d: %s", code, errs)
	}
	var fromCLI progressJSON
	if err := json.Unmarshal([]byte(out), &fromCLI); err != nil {
		t.Fatalf("CLI output is not JSON: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(fromCLI, p) {
		t.Errorf("CLI report differs from the API's")
	}
}

func TestWithoutSessionIs401(t *testing.T) {
	c := client(t)
	for _, path := range []string{progressPath, "/api/v1/people", "/api/v1/orgs/krongpac", "/api/v1/nothing"} {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if st := call(t, c, "GET", path, nil, &e); st != 401 || e.Error.Code != "unauthorized" || e.Error.Message == "" {
			t.Errorf("GET %s without a session: %d %+v, want 401 unauthorized", path, st, e)
		}
	}
	if st := call(t, c, "POST", "/api/v1/auth/login", map[string]string{"username": organizer, "password": "sai"}, nil); st != 401 {
		t.Errorf("wrong password: %d, want 401", st)
	}
	// The page redirects to the sign-in page.
	resp, err := c.Get(app.base + "/?org=krongpac")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		t.Errorf("dashboard without a session: %d, want a redirect", resp.StatusCode)
	}
}

// A chapter secretary sees their chapter only (DOMAIN §1; CONTRACT "HTTP": 403 outside the subtree).
func TestSecretaryScope(t *testing.T) {
	c := login(t, secretary)
	for _, path := range []string{
		"/api/v1/progress?org=krongpac-bandanvan&year=2024&asof=2024-05-04",
		"/api/v1/progress?org=krongpac&year=2024&asof=2024-05-04",
		"/api/v1/orgs/krongpac-quydat",
		"/api/v1/people?org=krongpac-eayong",
	} {
		if st := call(t, c, "GET", path, nil, nil); st != 403 {
			t.Errorf("GET %s as the secretary: %d, want 403", path, st)
		}
	}
	var own progressJSON
	if st := call(t, c, "GET", "/api/v1/progress?org=krongpac-thpt-lehongphong&year=2024&asof=2024-05-04", nil, &own); st != 200 {
		t.Fatalf("own chapter: %d", st)
	}
	if own.Admitted != 7 || own.QuotaPercent == nil || *own.QuotaPercent != 233.33 {
		t.Errorf("own chapter: %d admitted, %v %%", own.Admitted, own.QuotaPercent)
	}
	// Every person listed, searched or counted belongs to the chapter.
	var list struct {
		People []struct {
			FullName string `json:"full_name"`
			Org      string `json:"org"`
		} `json:"people"`
		Total int `json:"total"`
	}
	for _, q := range []string{"", "nguyen", "y", "h"} {
		if st := call(t, c, "GET", "/api/v1/people?per_page=200&q="+q, nil, &list); st != 200 {
			t.Fatalf("people q=%q: %d", q, st)
		}
		for _, p := range list.People {
			if p.Org != "krongpac-thpt-lehongphong" {
				t.Errorf("q=%q: the secretary sees %s of %s", q, p.FullName, p.Org)
			}
		}
		if list.Total > 200 {
			t.Errorf("q=%q: total %d counts people outside the chapter", q, list.Total)
		}
	}
	// The organizer sees more people than the secretary: the scope is real.
	var all struct{ Total int }
	call(t, login(t, organizer), "GET", "/api/v1/people?q=nguyen", nil, &all)
	var mine struct{ Total int }
	call(t, c, "GET", "/api/v1/people?q=nguyen", nil, &mine)
	if all.Total <= mine.Total {
		t.Errorf("organizer sees %d, secretary %d: scope not applied", all.Total, mine.Total)
	}
}

func TestDashboardPageShowsTheHeadline(t *testing.T) {
	c := login(t, organizer)
	resp, err := c.Get(app.base + "/?org=krongpac&year=2024&asof=2024-05-04")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(body), "")
	for _, want := range []string{"57/246 — đạt 23,17 % chỉ tiêu, 20,73 % kế hoạch", "Lê Hồng Phong", "Ea Yông"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dashboard does not show %q", want)
		}
	}
}

func TestHealthAndMetrics(t *testing.T) {
	c := client(t)
	resp, err := c.Get(app.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, b)
	}
	// Issue 13: /metrics needs a bearer token with the metrics permission.
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", app.base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := get("/metrics", ""); st != 401 || strings.Contains(body, "ketnap_http_requests_total") {
		t.Errorf("metrics without a token: %d %.80q; want 401 and no metrics", st, body)
	}
	code, plain, errs := run(t.Context(), "", "token", "create", "--db", app.db, "--username", organizer, "--name", "bao-cao")
	if code != 0 {
		t.Fatalf("token create: %s", errs)
	}
	if st, _ := get("/metrics", strings.TrimSpace(plain)); st != 403 {
		t.Errorf("metrics with a token without the permission: %d; want 403", st)
	}
	if st, _ := get("/api/v1/me", strings.TrimSpace(plain)); st != 200 {
		t.Errorf("the API with a plain token: %d", st)
	}
	code, mt, errs := run(t.Context(), "", "token", "create", "--db", app.db, "--username", organizer, "--metrics")
	if code != 0 || !strings.Contains(errs, "/metrics") {
		t.Fatalf("token create --metrics: %d %s", code, errs)
	}
	if st, body := get("/metrics", strings.TrimSpace(mt)); st != 200 || !strings.Contains(body, "ketnap_http_requests_total") {
		t.Errorf("metrics with a metrics token: %d, lacks the request counter", st)
	}
	// a metrics token reads nothing else
	if st, _ := get("/api/v1/people", strings.TrimSpace(mt)); st != 403 {
		t.Errorf("the API with a metrics token: %d; want 403", st)
	}
}
