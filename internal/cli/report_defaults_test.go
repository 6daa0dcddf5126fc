package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// The same omitted parameters give the same answer from the command line,
// the API and the pages (issue 10): a report's unit defaults to the
// topmost organization (the home of the system actor and of an admin of
// the whole system: in the demo the province, Đắk Lắk), its year to its date's. Its date defaults, on the
// pages and the API, to the date the pages open on (the demo's date in the
// demo, today otherwise); CONTRACT pins the command line's --asof to
// today, so outside the demo the three agree on everything, and in the
// demo the command line is today's report.
func TestReportDefaultsAgreeInTheDemo(t *testing.T) {
	db := demoDB(t)
	checkReportDefaults(t, db, domain.Day(2024, 5, 4), todayAwayFromMidnight())
}

func TestReportDefaultsAgreeOutsideTheDemo(t *testing.T) {
	db := demoDB(t)
	// The same district, no longer marked as the demo: the pages open on today.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	err = st.SetMeta(context.Background(), "demo_asof", "")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	today := todayAwayFromMidnight()
	checkReportDefaults(t, db, today, today)
}

// todayAwayFromMidnight is today in Vietnam, waiting past midnight when
// it is less than a minute away, so that the date cannot change during a test.
func todayAwayFromMidnight() time.Time {
	now := time.Now().In(domain.Vietnam)
	next := domain.DateOf(now).AddDate(0, 0, 1)
	if left := time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, domain.Vietnam).Sub(now); left < time.Minute {
		time.Sleep(left + time.Second)
	}
	return domain.Today(time.Now)
}

// checkReportDefaults: asof is the date the pages open on, cliAsOf the
// command line's default (today).
func checkReportDefaults(t *testing.T, db string, asof, cliAsOf time.Time) {
	const password = "Mật-khẩu-của-báo-cáo-2024"
	if code, _, errs := runCLI(t, password+"\n", "user", "add", "--db", db, "--username", "quantri", "--role", "admin"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	srv := serveTest(t, db)
	c := srv.login(t, "quantri", password)
	iso, dmy := asof.Format(domain.DateLayout), asof.Format("02/01/2006")
	cliISO, cliDMY := cliAsOf.Format(domain.DateLayout), cliAsOf.Format("02/01/2006")
	explicit := url.Values{"org": {"daklak"}, "year": {"2024"}, "asof": {iso}}.Encode()
	cliExplicit := url.Values{"org": {"daklak"}, "year": {"2024"}, "asof": {cliISO}}.Encode()

	// progress, breakdowns, funnel: the API's JSON with every parameter
	// omitted or only the year given is the explicit query's; the CLI's
	// JSON (--org and --asof omitted) is the API's for the CLI's date.
	for _, kind := range []string{"progress", "breakdowns", "funnel"} {
		page := decodeJSON(t, kind, c.get(t, "/api/v1/"+kind+"?"+explicit, 200))
		if api := decodeJSON(t, kind, c.get(t, "/api/v1/"+kind+"?year=2024", 200)); !reflect.DeepEqual(api, page) {
			t.Errorf("/api/v1/%s?year=2024 differs from /api/v1/%s?%s", kind, kind, explicit)
		}
		if asof.Year() == 2024 {
			if api := decodeJSON(t, kind, c.get(t, "/api/v1/"+kind, 200)); !reflect.DeepEqual(api, page) {
				t.Errorf("/api/v1/%s (nothing given) differs from /api/v1/%s?%s", kind, kind, explicit)
			}
		}
		code, out, errs := runCLI(t, "", "report", kind, "--db", db, "--year", "2024", "--format", "json")
		if code != 0 {
			t.Fatalf("report %s: %s", kind, errs)
		}
		cli := decodeJSON(t, "report "+kind, []byte(out))
		head := cli.(map[string]any)
		if head["asof"] != cliISO || head["year"] != 2024.0 || head["org"].(map[string]any)["code"] != "daklak" {
			t.Errorf("report %s: org %v, year %v, as of %v; want daklak, 2024, %s", kind, head["org"], head["year"], head["asof"], cliISO)
		}
		for _, q := range []string{"year=2024&asof=" + cliISO, cliExplicit} {
			path := "/api/v1/" + kind + "?" + q
			if api := decodeJSON(t, path, c.get(t, path, 200)); !reflect.DeepEqual(api, cli) {
				t.Errorf("%s differs from `report %s` without --org and --asof", path, kind)
			}
		}
		if asof.Equal(cliAsOf) && !reflect.DeepEqual(page, cli) {
			t.Errorf("outside the demo `report %s` without --org and --asof differs from the API without them", kind)
		}
	}
	// Nothing given at all: the year of the date the pages open on.
	code, out, errs := runCLI(t, "", "report", "progress", "--db", db, "--year", strconv.Itoa(asof.Year()), "--asof", iso, "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	if cli, api := decodeJSON(t, "report progress", []byte(out)), decodeJSON(t, "/api/v1/progress", c.get(t, "/api/v1/progress", 200)); !reflect.DeepEqual(api, cli) {
		t.Errorf("/api/v1/progress (nothing given) differs from `report progress --year %d --asof %s`", asof.Year(), iso)
	}

	// The classes report: the CLI's figures are the API's.
	code, out, errs = runCLI(t, "", "report", "classes", "--db", db, "--year", "2024", "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	var cliClasses, apiClasses struct {
		AsOf      string         `json:"asof"`
		Awareness map[string]int `json:"awareness"`
		NewMember map[string]int `json:"new_member"`
		NotSent   int            `json:"sources_not_sent"`
	}
	if err := json.Unmarshal([]byte(out), &cliClasses); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(c.get(t, "/api/v1/reports/classes?year=2024&asof="+cliISO, 200), &apiClasses); err != nil {
		t.Fatal(err)
	}
	if apiClasses.AsOf != cliISO || apiClasses.Awareness["classes"] != cliClasses.Awareness["classes"] ||
		apiClasses.Awareness["learners"] != cliClasses.Awareness["learners"] || apiClasses.Awareness["passed"] != cliClasses.Awareness["passed"] ||
		apiClasses.NewMember["learners"] != cliClasses.NewMember["learners"] || apiClasses.NotSent != cliClasses.NotSent {
		t.Errorf("classes: CLI %+v; API %+v", cliClasses, apiClasses)
	}

	// The conference report: the same document from the three.
	file := filepath.Join(t.TempDir(), "bc.docx")
	code, out, errs = runCLI(t, "", "report", "conference", "--db", db, "--year", "2024", "-o", file)
	if code != 0 || !strings.Contains(out, "tính đến ngày "+cliDMY) {
		t.Fatalf("report conference: %d %q %q", code, out, errs)
	}
	docx, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := documentXML(t, docx)
	if !strings.Contains(want, "tính đến ngày "+cliDMY) {
		t.Errorf("the CLI's conference report is not as of %s", cliDMY)
	}
	if got := documentXML(t, c.get(t, "/api/v1/reports/conference?year=2024&asof="+cliISO, 200)); got != want {
		t.Errorf("the API's report as of %s differs from `report conference` without --org and --asof", cliISO)
	}
	pageDoc := documentXML(t, c.get(t, "/bao-cao/hoi-nghi.docx?"+explicit, 200))
	if !strings.Contains(pageDoc, "tính đến ngày "+dmy) {
		t.Errorf("the page's conference report is not as of %s", dmy)
	}
	for _, path := range []string{"/api/v1/reports/conference?year=2024", "/bao-cao/hoi-nghi.docx?year=2024"} {
		if documentXML(t, c.get(t, path, 200)) != pageDoc {
			t.Errorf("%s differs from /bao-cao/hoi-nghi.docx?%s", path, explicit)
		}
	}

	// The pages: the omitted parameters give the page of the explicit ones.
	for _, p := range []struct{ path, says string }{
		{"/", "Tiến độ kết nạp đảng viên năm 2024, tính đến ngày " + dmy},
		{"/phan-tich", "Đảng viên kết nạp năm 2024, tính đến ngày " + dmy},
		{"/lop-hoc/bao-cao", "kết quả tính đến ngày " + dmy},
	} {
		omitted := string(c.get(t, p.path+"?year=2024", 200))
		if !strings.Contains(omitted, p.says) || !strings.Contains(omitted, "Đảng bộ tỉnh Đắk Lắk") {
			t.Errorf("%s?year=2024 does not say %q", p.path, p.says)
		}
		// the demo banner's link to the last day keeps the query's own
		// parameters: the rest of the page is the same
		if full := string(c.get(t, p.path+"?"+explicit, 200)); demoLatestLink.ReplaceAllString(full, "") != demoLatestLink.ReplaceAllString(omitted, "") {
			t.Errorf("%s?year=2024 differs from %s?%s", p.path, p.path, explicit)
		}
	}
	if page := string(c.get(t, "/", 200)); !strings.Contains(page, "Tiến độ kết nạp đảng viên năm "+strconv.Itoa(asof.Year())+", tính đến ngày "+dmy) {
		t.Errorf("/ with nothing given is not as of %s", dmy)
	}
}

// demoLatestLink is the demo banner's link to the same page on the demo's
// last day.
var demoLatestLink = regexp.MustCompile(`<a id="demo-latest" href="[^"]*">`)

// testServer is `ketnap serve` on a free port over a database.
type testServer struct{ base string }

// serveTest runs `ketnap serve` over db until the test ends.
func serveTest(t *testing.T, db string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Main(Env{Ctx: ctx, Args: []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, Stdin: strings.NewReader(""),
			Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Ready: func(a string) { ready <- a }})
	}()
	// stop the server before the database is removed (cleanups run last first)
	t.Cleanup(func() { cancel(); <-done })
	select {
	case a := <-ready:
		return &testServer{base: "http://" + a}
	case code := <-done:
		t.Fatalf("serve exited with %d", code)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	return nil
}

// testClient is a signed-in client of a testServer.
type testClient struct {
	srv *testServer
	c   *http.Client
}

func (s *testServer) login(t *testing.T, username, password string) *testClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &testClient{srv: s, c: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := c.c.Post(s.base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("login %s: %d", username, resp.StatusCode)
	}
	return c
}

// get fetches path and fails the test unless the status is want.
func (c *testClient) get(t *testing.T, path string, want int) []byte {
	t.Helper()
	resp, err := c.c.Get(c.srv.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d; want %d\n%.300s", path, resp.StatusCode, want, b)
	}
	return b
}

func decodeJSON(t *testing.T, what string, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%.300s", what, err, b)
	}
	return v
}

// documentXML is the body of a .docx (word/document.xml).
func documentXML(t *testing.T, docx []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("not a .docx: %v", err)
	}
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatal("no word/document.xml")
	return ""
}
