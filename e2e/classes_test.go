package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The acceptance of the classes issue: as of 4 May 2024 the district held
// 4 awareness classes with 350 learners and 2 new-member classes with 115
// (seed/article.en.md row 4), through the CLI, the API and the pages.
func TestClassesOfTheArticle(t *testing.T) {
	code, out, errs := run(context.Background(), "", "report", "classes", "--db", app.db, "--org", "krongpac", "--year", "2024",
		"--asof", "2024-05-04", "--format", "json")
	if code != 0 {
		t.Fatalf("report classes: exit %d: %s", code, errs)
	}
	var rep struct {
		Awareness struct{ Classes, Learners, Passed int } `json:"awareness"`
		NewMember struct{ Classes, Learners, Passed int } `json:"new_member"`
		NotSent   int                                     `json:"sources_not_sent"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Awareness.Classes != 4 || rep.Awareness.Learners != 350 || rep.NewMember.Classes != 2 || rep.NewMember.Learners != 115 {
		t.Fatalf("got %s", out)
	}
	if rep.Awareness.Passed == 0 || rep.Awareness.Passed > 350 || rep.NotSent == 0 {
		t.Errorf("passed %d, sources not sent %d", rep.Awareness.Passed, rep.NotSent)
	}
	if !strings.HasPrefix(out, `{"awareness": {"classes": 4, "learners": 350, "passed": `) || strings.Count(out, "\n") != 1 {
		t.Errorf("not the promised one-line shape: %q", out)
	}
	code, table, _ := run(context.Background(), "", "report", "classes", "--db", app.db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04")
	if code != 0 || !strings.Contains(table, "Bồi dưỡng nhận thức về Đảng") || !strings.Contains(table, "350") {
		t.Errorf("table: exit %d\n%s", code, table)
	}
	if code, _, _ := run(context.Background(), "", "report", "classes", "--db", app.db, "--org", "krongpac"); code != 2 {
		t.Errorf("without --year: exit %d, want 2", code)
	}
	if code, _, e := run(context.Background(), "", "report", "classes", "--db", app.db, "--org", "khong-co", "--year", "2024"); code != 1 || !strings.Contains(e, "khong-co") {
		t.Errorf("unknown org: exit %d: %s", code, e)
	}

	// The API: the same figures, and the classes of 2024.
	c := login(t, organizer)
	var api map[string]any
	if st := call(t, c, "GET", "/api/v1/reports/classes?org=krongpac&year=2024&asof=2024-05-04", nil, &api); st != 200 {
		t.Fatalf("status %d", st)
	}
	aw := api["awareness"].(map[string]any)
	if aw["classes"].(float64) != 4 || aw["learners"].(float64) != 350 || api["new_member"].(map[string]any)["learners"].(float64) != 115 {
		t.Errorf("API report %v", api)
	}
	var list struct {
		Classes []struct {
			ID        int64  `json:"id"`
			Code      string `json:"code"`
			Programme string `json:"programme"`
			Learners  int    `json:"learners"`
		} `json:"classes"`
		Total int `json:"total"`
	}
	if st := call(t, c, "GET", "/api/v1/classes?year=2024", nil, &list); st != 200 || list.Total != 6 {
		t.Fatalf("classes of 2024: status %d, %d classes", st, list.Total)
	}
	sum := map[string]int{}
	for _, cl := range list.Classes {
		sum[cl.Programme] += cl.Learners
	}
	if sum["awareness"] != 350 || sum["new_member"] != 115 {
		t.Errorf("learners per programme %v", sum)
	}

	// A chapter secretary sees the classes serving the chapter (or a unit
	// above it), and only the chapter's learners in them.
	s := login(t, secretary)
	if st := call(t, s, "GET", "/api/v1/classes?year=2024", nil, &list); st != 200 || list.Total < 3 || list.Total >= 6 {
		t.Fatalf("the secretary's classes of 2024: status %d, %d classes", st, list.Total)
	}
	var one struct {
		Learners    int `json:"learners"`
		LearnerList []struct {
			Unit        string `json:"unit"`
			Certificate *struct {
				ID int64 `json:"id"`
			} `json:"certificate"`
		} `json:"learner_list"`
	}
	seen, printed := 0, 0
	for _, cl := range list.Classes {
		if cl.Programme != "awareness" {
			continue
		}
		if st := call(t, s, "GET", "/api/v1/classes/"+itoa(cl.ID), nil, &one); st != 200 {
			t.Fatalf("secretary reads class %s: %d", cl.Code, st)
		}
		seen += len(one.LearnerList)
		for _, l := range one.LearnerList {
			if l.Unit != "Chi bộ Trường THPT Lê Hồng Phong" {
				t.Errorf("the secretary of Lê Hồng Phong sees a learner of %s", l.Unit)
			}
		}
		for _, l := range one.LearnerList {
			if l.Certificate == nil || printed > 0 {
				continue
			}
			// The certificate prints as a PDF for the secretary too.
			resp, err := s.Get(app.base + "/giay-chung-nhan/" + itoa(l.Certificate.ID))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("certificate PDF: %d %q", resp.StatusCode, b[:min(10, len(b))])
			}
			printed++
		}
	}
	if seen == 0 || printed == 0 {
		t.Errorf("the secretary saw %d learners and printed %d certificates", seen, printed)
	}
	// The dashboard shows the sources never sent, per chapter.
	resp, err := c.Get(app.base + "/?org=krongpac&year=2024&asof=2024-05-04")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `id="not-sent"`) || !strings.Contains(string(b), "/lop-hoc/chua-cu-di-hoc?") {
		t.Error("the dashboard has no block of sources not sent to a class")
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
