package e2e

import (
	"io"
	"strings"
	"testing"
)

type breakdownsJSON struct {
	Org        struct{ Code string } `json:"org"`
	Admitted   int                   `json:"admitted"`
	Breakdowns []struct {
		Key       string `json:"key"`
		Partition bool   `json:"partition"`
		Parts     []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		} `json:"parts"`
	} `json:"breakdowns"`
	Weak    []struct{ Name string } `json:"villages_without_member_or_chapter"`
	Schools []struct {
		Code     string `json:"code"`
		Students int    `json:"students"`
		Admitted int    `json:"admitted"`
	} `json:"high_schools"`
}

type funnelJSON struct {
	Unit struct {
		Stages   map[string]int `json:"stages"`
		NotSent  int            `json:"sources_not_sent"`
		Overdue  int            `json:"overdue"`
		Stalled  int            `json:"stalled"`
		PastVote int            `json:"past_chapter_vote"`
	} `json:"unit"`
	Forecast struct {
		Admitted   int  `json:"admitted"`
		AtPace     *int `json:"at_current_pace"`
		PastVote   int  `json:"past_chapter_vote"`
		Projection *int `json:"projection"`
	} `json:"forecast"`
}

// DOMAIN §7 through the running server: the demo's breakdowns add up to
// the progress report's 57, the funnel agrees with "Việc cần làm" and the
// classes report, the page draws its charts, and a secretary sees only
// their chapter.
func TestBreakdownsOfTheDemo(t *testing.T) {
	c := login(t, organizer)
	var b breakdownsJSON
	if st := call(t, c, "GET", "/api/v1/breakdowns?org=krongpac&year=2024&asof=2024-05-04", nil, &b); st != 200 {
		t.Fatalf("breakdowns: %d", st)
	}
	var p progressJSON
	if st := call(t, c, "GET", progressPath, nil, &p); st != 200 {
		t.Fatalf("progress: %d", st)
	}
	if b.Admitted != 57 || p.Admitted != 57 {
		t.Fatalf("admitted %d, progress %d", b.Admitted, p.Admitted)
	}
	for _, x := range b.Breakdowns {
		n := 0
		for _, q := range x.Parts {
			n += q.Count
		}
		if x.Partition && n != 57 {
			t.Errorf("%s adds up to %d", x.Key, n)
		}
	}
	if len(b.Weak) == 0 {
		t.Error("no village without member and chapter")
	}

	var f funnelJSON
	if st := call(t, c, "GET", "/api/v1/funnel?org=krongpac&year=2024&asof=2024-05-04", nil, &f); st != 200 {
		t.Fatalf("funnel: %d", st)
	}
	var todo struct {
		Counts []struct {
			Kind    string `json:"kind"`
			Overdue int    `json:"overdue"`
		} `json:"counts"`
	}
	if st := call(t, c, "GET", "/api/v1/todo/counts?org=krongpac&asof=2024-05-04", nil, &todo); st != 200 {
		t.Fatalf("todo counts: %d", st)
	}
	overdue := map[string]int{}
	for _, x := range todo.Counts {
		overdue[x.Kind] = x.Overdue
	}
	// the 8 overdue decisions; the ceremonies of the 10 decided are pending too
	if n, ok := overdue["decision"]; !ok || n != 8 {
		t.Errorf("overdue per kind %v; want 8 decisions", overdue)
	}
	if _, ok := overdue["ceremony"]; !ok {
		t.Errorf("no line for the ceremonies: %v", overdue)
	}
	var classes struct {
		NotSent int `json:"sources_not_sent"`
	}
	if st := call(t, c, "GET", "/api/v1/reports/classes?org=krongpac&year=2024&asof=2024-05-04", nil, &classes); st != 200 {
		t.Fatalf("classes report: %d", st)
	}
	if f.Unit.Stages["decided"] != 10 || f.Unit.Overdue < 8 || f.Unit.NotSent != classes.NotSent || f.Unit.Stalled < f.Unit.Overdue {
		t.Errorf("funnel %+v; classes report not sent %d", f.Unit, classes.NotSent)
	}
	if f.Forecast.Admitted != 57 || f.Forecast.Projection == nil || *f.Forecast.Projection != *f.Forecast.AtPace+f.Forecast.PastVote {
		t.Errorf("forecast %+v", f.Forecast)
	}

	resp, err := c.Get(app.base + "/phan-tich?org=krongpac&year=2024&asof=2024-05-04")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="chart-funnel"`) || !strings.Contains(string(body), "Buôn") {
		t.Errorf("page: %d", resp.StatusCode)
	}

	// The secretary of Lê Hồng Phong High School: their chapter's 7, its
	// students against the school's enrolment; nothing above it.
	s := login(t, secretary)
	var own breakdownsJSON
	if st := call(t, s, "GET", "/api/v1/breakdowns?org=krongpac-thpt-lehongphong&year=2024&asof=2024-05-04", nil, &own); st != 200 {
		t.Fatalf("own chapter: %d", st)
	}
	if own.Admitted != 7 || len(own.Schools) != 1 || own.Schools[0].Code != "thpt-lehongphong" || own.Schools[0].Students != 1236 ||
		own.Schools[0].Admitted == 0 || own.Schools[0].Admitted > 7 {
		t.Errorf("own chapter: %+v", own)
	}
	for _, path := range []string{"/api/v1/breakdowns?org=krongpac&year=2024", "/api/v1/funnel?org=krongpac&year=2024", "/api/v1/breakdowns?org=krongpac-eayong&year=2024"} {
		if st := call(t, s, "GET", path, nil, nil); st != 403 {
			t.Errorf("%s as the secretary: %d", path, st)
		}
	}
}

// Issue 15: the breakdowns API cuts its long lists to ?limit= rows
// (default 1.000), with the whole totals and lists_truncated; a bad limit
// is a 422 naming it.
func TestBreakdownsListsLimit(t *testing.T) {
	c := login(t, organizer)
	type lists struct {
		Residence      []struct{ Code string } `json:"residential_units"`
		ResidenceTotal int                     `json:"residential_units_total"`
		Weak           []struct{ Name string } `json:"villages_without_member_or_chapter"`
		WeakTotal      int                     `json:"villages_without_member_or_chapter_total"`
		Truncated      bool                    `json:"lists_truncated"`
		Villages       struct {
			Total int
			Units []any
		} `json:"village_chapters"`
	}
	const path = "/api/v1/breakdowns?org=krongpac&year=2024&asof=2024-05-04"
	var whole lists
	if st := call(t, c, "GET", path, nil, &whole); st != 200 {
		t.Fatalf("breakdowns: %d", st)
	}
	if whole.Truncated || len(whole.Residence) != whole.ResidenceTotal || len(whole.Weak) != whole.WeakTotal ||
		whole.ResidenceTotal < 4 || len(whole.Villages.Units) != whole.Villages.Total {
		t.Fatalf("the district's lists by default: %d/%d villages, %d/%d weak, %d/%d village chapters, truncated %v",
			len(whole.Residence), whole.ResidenceTotal, len(whole.Weak), whole.WeakTotal, len(whole.Villages.Units), whole.Villages.Total, whole.Truncated)
	}
	var cut lists
	if st := call(t, c, "GET", path+"&limit=3", nil, &cut); st != 200 {
		t.Fatalf("limit=3: %d", st)
	}
	if !cut.Truncated || len(cut.Residence) != 3 || cut.ResidenceTotal != whole.ResidenceTotal ||
		cut.Residence[0].Code != whole.Residence[0].Code || len(cut.Weak) != min(3, whole.WeakTotal) ||
		cut.Villages.Total != whole.Villages.Total || len(cut.Villages.Units) != min(3, whole.Villages.Total) {
		t.Errorf("limit=3: %d/%d villages, %d weak, %d/%d village chapters, truncated %v", len(cut.Residence), cut.ResidenceTotal,
			len(cut.Weak), len(cut.Villages.Units), cut.Villages.Total, cut.Truncated)
	}
	for _, bad := range []string{"0", "-1", "1000001", "nhieu"} {
		var e apiError
		if st := call(t, c, "GET", path+"&limit="+bad, nil, &e); st != 422 || e.Error.Field != "limit" {
			t.Errorf("limit=%s: %d %+v, want 422 on limit", bad, st, e)
		}
	}
}
