package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// personRef is the part of a person the count tests read.
type personRef struct {
	ID          int64  `json:"id"`
	FullName    string `json:"full_name"`
	Stage       string `json:"stage"`
	Org         string `json:"org"`
	Version     int64  `json:"version"`
	Memberships []struct {
		DecisionNo string `json:"decision_no"`
		DecidedBy  string `json:"decided_by"`
		Origin     string `json:"origin"`
		Recorded   bool   `json:"recorded"`
	} `json:"memberships"`
}

// issue 11 items 1 and 7 through the running demo: what the issue tried as
// the Lê Hồng Phong chapter's secretary and as the district's organizer.
// The decisions recorded here are dated before 2023, so the demo's 2024
// figures stay 57/246.
func TestEveryAdmissionCountedIsLawful(t *testing.T) {
	sec, org := login(t, secretary), login(t, organizer)
	const lhp = "/api/v1/progress?org=krongpac-thpt-lehongphong&year=2024&asof=2024-05-04"
	var before progressJSON
	if st := call(t, sec, "GET", lhp, nil, &before); st != 200 || before.Admitted != 7 || before.AdmittedRecorded == nil || *before.AdmittedRecorded != 0 {
		t.Fatalf("Lê Hồng Phong: %d %+v", st, before)
	}

	// A source of the chapter with no open case (the secretary adds one).
	var p personRef
	if st := call(t, sec, "POST", "/api/v1/people", map[string]any{"full_name": "Đỗ Văn Giấy", "birth_date": "1985-02-02", "sex": "male",
		"ethnicity": "Kinh", "education": "upper_secondary", "org": "krongpac-thpt-lehongphong"}, &p); st != 201 || p.Stage != "source" {
		t.Fatalf("create: %d %+v", st, p)
	}
	path := fmt.Sprintf("/api/v1/people/%d", p.ID)
	paper := map[string]any{"decision_no": "35-QĐ/HU", "decision_date": "2010-05-05", "decided_by": "krongpac", "ceremony_date": "2010-05-20"}

	// The secretary may not record a decision from paper.
	var e apiError
	if st := call(t, sec, "POST", path+"/memberships", paper, &e); st != 403 || !strings.Contains(e.Error.Message, "“Quyết định kết nạp” của hồ sơ kết nạp") {
		t.Errorf("secretary's paper decision: %d %+v; want 403 naming the case's decision step", st, e)
	}
	// Nobody edits a stage: 422 naming the step to record instead.
	edit := map[string]any{"full_name": p.FullName, "birth_date": "1985-02-02", "sex": "male", "ethnicity": "Kinh",
		"education": "upper_secondary", "org": "krongpac-thpt-lehongphong", "stage": "official", "version": p.Version}
	for _, c := range []struct {
		who    string
		client *http.Client
	}{{"secretary", sec}, {"organizer", org}} {
		e = apiError{}
		if st := call(t, c.client, "PUT", path, edit, &e); st != 422 || e.Error.Field != "stage" ||
			!strings.Contains(e.Error.Message, "“Công nhận đảng viên chính thức”") {
			t.Errorf("%s sets the stage: %d %+v; want 422 on stage", c.who, st, e)
		}
	}
	if st := call(t, sec, "POST", "/api/v1/people", map[string]any{"full_name": "Đỗ Văn Hai", "birth_date": "1985-02-02", "sex": "male",
		"ethnicity": "Kinh", "education": "upper_secondary", "org": "krongpac-thpt-lehongphong", "stage": "official"}, &e); st != 422 || e.Error.Field != "stage" {
		t.Errorf("create an official member: %d %+v; want 422 on stage", st, e)
	}

	// The district's organizer records it: marked as recorded from paper.
	var m struct {
		Origin   string `json:"origin"`
		Recorded bool   `json:"recorded"`
		Status   string `json:"status"`
	}
	if st := call(t, org, "POST", path+"/memberships", paper, &m); st != 201 || m.Origin != "paper" || !m.Recorded || m.Status != "probationary" {
		t.Fatalf("organizer's paper decision: %d %+v", st, m)
	}
	var got personRef
	if st := call(t, sec, "GET", path, nil, &got); st != 200 || got.Stage != "probationary" || len(got.Memberships) != 1 ||
		got.Memberships[0].Origin != "paper" || !got.Memberships[0].Recorded || got.Memberships[0].DecidedBy != "krongpac" {
		t.Errorf("person after the paper decision: %d %+v", st, got)
	}
	e = apiError{}
	if st := call(t, org, "POST", path+"/memberships", paper, &e); st != 409 || !strings.Contains(e.Error.Message, "đã là đảng viên dự bị") {
		t.Errorf("again for a member: %d %+v; want 409", st, e)
	}
	// A person with an open case: the case's decision step records it (a
	// case of the district still at the dossier stage on the demo's last
	// day, 30/11/2026: open now, its person no member).
	var cases struct {
		Cases []struct {
			Person struct {
				ID int64 `json:"id"`
			} `json:"person"`
		} `json:"cases"`
	}
	if st := call(t, org, "GET", "/api/v1/cases?open=true&stage=dossier&asof=2026-11-30&per_page=1", nil, &cases); st != 200 || len(cases.Cases) == 0 {
		t.Fatalf("open cases: %d %+v", st, cases)
	}
	e = apiError{}
	if st := call(t, org, "POST", fmt.Sprintf("/api/v1/people/%d/memberships", cases.Cases[0].Person.ID), paper, &e); st != 409 ||
		!strings.Contains(e.Error.Message, "đang có hồ sơ kết nạp") {
		t.Errorf("a person with an open case: %d %+v; want 409", st, e)
	}
	var after progressJSON
	if call(t, sec, "GET", lhp, nil, &after); after.Admitted != before.Admitted {
		t.Errorf("Lê Hồng Phong admitted %d → %d", before.Admitted, after.Admitted)
	}

	// Item 7: one projection: progress, the funnel's forecast.
	var pr progressJSON
	var f funnelJSON
	if st := call(t, org, "GET", progressPath, nil, &pr); st != 200 {
		t.Fatal(st)
	}
	if st := call(t, org, "GET", "/api/v1/funnel?org=krongpac&year=2024&asof=2024-05-04", nil, &f); st != 200 {
		t.Fatal(st)
	}
	if pr.Projection == nil || f.Forecast.Projection == nil || *pr.Projection != *f.Forecast.Projection || f.Forecast.PastVote == 0 ||
		pr.AdmittedRecorded == nil || *pr.AdmittedRecorded != 0 {
		t.Errorf("progress projection %v (recorded %v), funnel %v (past the vote %d); want the same, with the pipeline",
			pr.Projection, pr.AdmittedRecorded, f.Forecast.Projection, f.Forecast.PastVote)
	}
	// The dashboard shows the same figure with its parts.
	resp, err := org.Get(app.base + "/?org=krongpac&year=2024&asof=2024-05-04")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	how := fmt.Sprintf(`id="projection-how">= 57 đã kết nạp + %d theo nhịp độ hiện tại đến hạn + %d hồ sơ chi bộ đã đề nghị`,
		*pr.Projection-57-f.Forecast.PastVote, f.Forecast.PastVote)
	if !strings.Contains(string(body), fmt.Sprintf(`id="projection">%d đảng viên`, *pr.Projection)) || !strings.Contains(string(body), how) ||
		strings.Contains(string(body), `id="admitted-recorded"`) {
		t.Errorf("dashboard: projection or its parts missing (%s), or recorded admissions shown for none", how)
	}
	for _, c := range pr.Children {
		if c.AdmittedRecorded == nil || *c.AdmittedRecorded != 0 {
			t.Errorf("%s: admitted_recorded %v; want 0 (every 2024 admission of the demo went through its case)", c.Org.Code, c.AdmittedRecorded)
		}
	}
}
