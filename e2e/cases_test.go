package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// caseJSON is the part of GET /api/v1/cases/{id} the tests read.
type caseJSON struct {
	ID      int64  `json:"id"`
	Version int64  `json:"version"`
	Stage   string `json:"stage"`
	Org     struct {
		Code string `json:"code"`
	} `json:"org"`
	Ladder struct {
		Committee bool `json:"committee"`
		Decider   *struct {
			Code string `json:"code"`
		} `json:"decider"`
	} `json:"ladder"`
	Next struct {
		Action  string  `json:"action"`
		Owner   string  `json:"owner"`
		Due     *string `json:"due"`
		Overdue bool    `json:"overdue"`
	} `json:"next"`
	Facts struct {
		YouthUnionExists bool `json:"youth_union_exists"`
	} `json:"facts"`
	Verifications []struct {
		ID int64 `json:"id"`
	} `json:"verifications"`
	Checks []struct {
		Rule      string          `json:"rule"`
		OK        bool            `json:"ok"`
		Source    string          `json:"source"`
		Exception json.RawMessage `json:"exception"`
	} `json:"checks"`
	Files []struct {
		ID     int64  `json:"id"`
		SHA256 string `json:"sha256"`
	} `json:"files"`
	Timeline []struct {
		Date string `json:"date"`
		What string `json:"what"`
	} `json:"timeline"`
}

type caseErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
		Checks  []struct {
			Rule    string `json:"rule"`
			OK      bool   `json:"ok"`
			Message string `json:"message"`
			Source  string `json:"source"`
		} `json:"checks"`
	} `json:"error"`
}

// caseStep posts a step and fails unless the answer is 200; it returns
// the case after the step.
func caseStep(t *testing.T, c *http.Client, id int64, action string, body map[string]any, version int64) caseJSON {
	t.Helper()
	body["version"] = version
	var out caseJSON
	var raw json.RawMessage
	st := call(t, c, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, action), body, &raw)
	if st != 200 {
		t.Fatalf("POST %s: %d %s", action, st, raw)
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The admission procedure over the API on the demo district: a Lê Hồng
// Phong student from the source pool to the ceremony, in 2023 (QĐ24; every
// step dated on or before the date the demo's pages open on, 04/05/2024),
// with a refusal listing its checks, a 409 on a stale version, 403s for the
// wrong role and the wrong chapter, scans, and the decision counted by the
// progress report of 2023. The student is a Youth Union member and the
// school has a Youth Union organisation (the case takes the unit's
// answer): the Youth Union's resolution and one official member introduce
// her.
func TestAdmissionProcedureThroughTheAPI(t *testing.T) {
	sec, org := login(t, secretary), login(t, organizer)
	const chapter = "krongpac-thpt-lehongphong"
	var before progressJSON
	if st := call(t, org, "GET", "/api/v1/progress?org=krongpac&year=2023&asof=2023-12-31", nil, &before); st != 200 {
		t.Fatalf("progress: %d", st)
	}
	var members struct {
		People []struct {
			ID int64 `json:"id"`
		} `json:"people"`
	}
	if st := call(t, sec, "GET", "/api/v1/people?org="+chapter+"&direct=true&stage=official&per_page=3", nil, &members); st != 200 || len(members.People) < 3 {
		t.Fatalf("members of the chapter: %d %d", st, len(members.People))
	}
	var person struct {
		ID int64 `json:"id"`
	}
	if st := call(t, sec, "POST", "/api/v1/people", map[string]any{"full_name": "Hồ Thị Thử Nghiệm", "birth_date": "2005-01-02",
		"sex": "female", "ethnicity": "Kinh", "education": "upper_secondary", "occupation": "student_high", "org": chapter,
		"stage": "source", "youth_union": true}, &person); st != 201 {
		t.Fatalf("create the student: %d", st)
	}
	var c caseJSON
	if st := call(t, sec, "POST", "/api/v1/cases", map[string]any{"person_id": person.ID, "opened_on": "2023-02-06",
		"helper_id": members.People[0].ID}, &c); st != 201 || c.Stage != "source" || !c.Facts.YouthUnionExists {
		t.Fatalf("open the case: %d %+v", st, c)
	}
	c = caseStep(t, sec, c.ID, "certificate", map[string]any{"number": "15/GCN-TTCT", "date": "2023-02-10"}, c.Version)
	c = caseStep(t, sec, c.ID, "dossier", map[string]any{"date": "2023-02-15"}, c.Version)

	// The chapter cannot vote on an incomplete dossier: 422 with the checks.
	var e caseErr
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/admission-vote", c.ID), map[string]any{"level": "chapter",
		"date": "2023-04-10", "members": 12, "present": 12, "yes": 12, "version": c.Version}, &e); st != 422 || len(e.Error.Checks) == 0 {
		t.Fatalf("vote on an incomplete dossier: %d %+v", st, e)
	}
	for _, ch := range e.Error.Checks {
		if ch.OK || ch.Source == "" || !strings.Contains(e.Error.Message, ch.Source) {
			t.Errorf("refusal check %+v not cited in %q", ch, e.Error.Message)
		}
	}

	for _, k := range []string{"application", "personal_history", "opinions"} {
		c = caseStep(t, sec, c.ID, "documents", map[string]any{"kind": k, "date": "2023-02-20"}, c.Version)
	}
	c = caseStep(t, sec, c.ID, "verifications", map[string]any{"subject": "candidate", "addressee": "Đảng ủy xã Ea Yông",
		"sent_on": "2023-02-21"}, c.Version)
	var replied caseJSON
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/verifications/%d/reply", c.ID, c.Verifications[0].ID),
		map[string]any{"date": "2023-03-20", "result": "Khai đúng, chấp hành tốt pháp luật", "version": c.Version}, &replied); st != 200 {
		t.Fatalf("reply: %d", st)
	}
	c = replied
	c = caseStep(t, sec, c.ID, "introducers", map[string]any{"person_id": members.People[1].ID, "months_together": 18, "letter_date": "2023-03-24"}, c.Version)
	e = caseErr{}
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/admission-vote", c.ID), map[string]any{"level": "chapter",
		"date": "2023-04-10", "members": 12, "present": 12, "yes": 12, "version": c.Version}, &e); st != 422 ||
		!strings.Contains(e.Error.Message, "nghị quyết giới thiệu đoàn viên") {
		t.Fatalf("vote without the Youth Union's resolution: %d %+v", st, e)
	}
	c = caseStep(t, sec, c.ID, "documents", map[string]any{"kind": "youth_union_resolution", "number": "07-NQ/ĐTN", "date": "2023-03-25"}, c.Version)

	// Two people at once: the second, holding an old version, gets 409.
	e = caseErr{}
	if st := call(t, org, "POST", fmt.Sprintf("/api/v1/cases/%d/documents", c.ID), map[string]any{"kind": "opinions", "date": "2023-03-01",
		"version": c.Version - 1}, &e); st != 409 || !strings.Contains(e.Error.Message, "người khác") {
		t.Errorf("stale version: %d %+v", st, e)
	}
	// Another chapter's secretary neither sees nor changes the case.
	if code, _, errs := run(t.Context(), password+"\n", "user", "add", "--db", app.db, "--username", "bithu.quydat", "--role",
		"secretary", "--org", "krongpac-quydat"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	other := login(t, "bithu.quydat")
	if st := call(t, other, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, nil); st != 403 {
		t.Errorf("another chapter reads the case: %d", st)
	}
	var list struct {
		Total int `json:"total"`
	}
	if st := call(t, other, "GET", "/api/v1/cases?q=thu+nghiem", nil, &list); st != 200 || list.Total != 0 {
		t.Errorf("another chapter's list: %d %d", st, list.Total)
	}
	if st := call(t, sec, "GET", "/api/v1/cases?q=thu+nghiem&stage=dossier", nil, &list); st != 200 || list.Total != 1 {
		t.Errorf("own list, diacritics ignored: %d %d", st, list.Total)
	}

	c = caseStep(t, sec, c.ID, "admission-vote", map[string]any{"level": "chapter", "number": "03-NQ/CB", "date": "2023-04-10",
		"members": 12, "excluded": 1, "present": 11, "yes": 11}, c.Version)
	if c.Stage != "chapter_voted" || c.Next.Owner != "board" || c.Ladder.Decider == nil || c.Ladder.Decider.Code != "krongpac" {
		t.Fatalf("after the chapter vote: %+v", c)
	}
	decision := map[string]any{"number": "812-QĐ/HU", "date": "2023-05-08", "received": "2023-05-10", "members": 13, "present": 12, "yes": 12}
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/decision", c.ID), map[string]any{"number": "812-QĐ/HU",
		"date": "2023-05-08", "members": 13, "present": 12, "yes": 12, "version": c.Version}, nil); st != 403 {
		t.Errorf("the secretary records the decision: %d", st)
	}
	c = caseStep(t, org, c.ID, "decision", decision, c.Version)
	var after progressJSON
	call(t, org, "GET", "/api/v1/progress?org=krongpac&year=2023&asof=2023-12-31", nil, &after)
	if after.Admitted != before.Admitted+1 {
		t.Errorf("progress 2023: %d admitted, was %d; want the case's decision counted", after.Admitted, before.Admitted)
	}
	c = caseStep(t, sec, c.ID, "ceremony", map[string]any{"date": "2023-05-20"}, c.Version)
	// Probation ends on 20/05/2024; the chapter resolves on recognition
	// within 30 working days (QĐ24 §4.2). The demo district stands on
	// 04/05/2024, so that is not overdue there; on 02/07/2024 it is.
	if c.Stage != "probation" || c.Next.Due == nil || *c.Next.Due != "2024-07-01" || c.Next.Overdue || c.Next.Owner != "chapter" {
		t.Errorf("on probation since 20/05/2023: %+v", c.Next)
	}
	var todo struct {
		Total int `json:"total"`
		Items []struct {
			CaseID int64  `json:"case_id"`
			Kind   string `json:"kind"`
		} `json:"items"`
	}
	found := func() bool {
		for _, it := range todo.Items {
			if it.CaseID == c.ID && it.Kind == "recognition_vote" {
				return true
			}
		}
		return false
	}
	if st := call(t, sec, "GET", "/api/v1/todo?overdue=true&kind=recognition_vote&per_page=200&asof=2024-07-02", nil, &todo); st != 200 || !found() {
		t.Errorf("todo as of 02/07/2024: %d %+v", st, todo)
	}
	if st := call(t, sec, "GET", "/api/v1/todo?overdue=true&kind=recognition_vote&per_page=200&asof=2024-07-01", nil, &todo); st != 200 || found() {
		t.Errorf("todo as of 01/07/2024, the last day: %d %+v", st, todo)
	}

	// A chapter meeting answers per candidate: this one is past the vote.
	var meeting struct {
		Results []struct {
			CaseID int64 `json:"case_id"`
			OK     bool  `json:"ok"`
			Error  struct {
				Code string `json:"code"`
			} `json:"error"`
		} `json:"results"`
	}
	if st := call(t, sec, "POST", "/api/v1/chapter-meetings", map[string]any{"purpose": "admission", "date": "2024-05-03", "members": 12,
		"present": 12, "votes": []map[string]any{{"case_id": c.ID, "version": c.Version, "yes": 12}}}, &meeting); st != 200 ||
		len(meeting.Results) != 1 || meeting.Results[0].OK || meeting.Results[0].Error.Code != "invalid" {
		t.Errorf("chapter meeting: %d %+v", st, meeting)
	}

	// Scans: a PNG is stored and read back; a renamed text file and an
	// oversized one are refused.
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	upload := func(name string, data []byte) (int, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.WriteField("kind", "application")
		mw.WriteField("version", fmt.Sprint(c.Version))
		mw.Close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/cases/%d/files", app.base, c.ID), &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := sec.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	st, body := upload("đơn xin vào Đảng.png", png)
	var f struct {
		ID     int64  `json:"id"`
		SHA256 string `json:"sha256"`
	}
	if st != 201 || json.Unmarshal(body, &f) != nil || len(f.SHA256) != 64 {
		t.Fatalf("upload a PNG: %d %s", st, body)
	}
	resp, err := sec.Get(fmt.Sprintf("%s/api/v1/cases/%d/files/%d", app.base, c.ID, f.ID))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, png) || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("download: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
	c.Version++ // the upload changed the case
	if st, body := upload("lyich.pdf", []byte("Họ và tên: Hồ Thị Thử Nghiệm\nNgày sinh: 02/10/2006\n")); st != 422 || !strings.Contains(string(body), "PDF, JPEG hoặc PNG") {
		t.Errorf("renamed text file: %d %s", st, body)
	}
	if st, _ := upload("to.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...)); st != 413 {
		t.Errorf("oversized scan: %d, want 413", st)
	}
	if st := call(t, other, "GET", fmt.Sprintf("/api/v1/cases/%d/files/%d", c.ID, f.ID), nil, nil); st != 403 {
		t.Errorf("another chapter downloads the scan: %d", st)
	}
}
