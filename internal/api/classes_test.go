package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// classAPI is a server over a fresh store with a district "kp", chapter
// "kp-a" holding 25 sources, and a trainer's bearer token.
func classAPI(t *testing.T) (base, token string) {
	t.Helper()
	ctx := context.Background()
	st := testkit.OpenStore(t)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	sys := service.WithUser(ctx, service.System)
	for _, o := range []service.OrgInput{
		{Code: "kp", Name: "Đảng bộ huyện Krông Pắc", Kind: domain.KindDistrict},
		{Code: "kp-a", Name: "Chi bộ thôn 1", Kind: domain.KindChapter, ParentCode: "kp"},
	} {
		o.Sector, o.ValidFrom = "commune", domain.Day(2000, 1, 1)
		if _, err := svc.CreateOrg(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 25 {
		if _, err := svc.CreatePerson(sys, service.PersonInput{FullName: fmt.Sprintf("Nguyễn Văn Học %d", i), BirthDate: domain.Day(2000, 1, 2),
			Sex: domain.Male, Ethnicity: "01", Education: "upper_secondary", OrgCode: "kp-a", Stage: domain.StageSource}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.CreateUser(sys, service.NewUser{Username: "ttct", Role: domain.RoleTrainer, OrgCode: "kp", Password: "mật khẩu dài"}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateToken(sys, service.TokenInput{Username: "ttct", Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sm := httpx.NewSessions(svc, false)
	mux := http.NewServeMux()
	api.New(svc, sm).Register(mux)
	srv := httptest.NewServer(sm.LoadAndSave(httpx.Authenticate(svc, sm)(mux)))
	t.Cleanup(srv.Close)
	return srv.URL, tok
}

type classResp struct {
	ID           int64
	Status       string
	Version      int64
	Learners     int
	OpenOverride string `json:"open_override"`
	Sessions     []struct{ ID int64 }
	LearnerList  []struct {
		ID      int64
		Outcome string
		Mean    *float64
		Grade   string
		Version int64
	} `json:"learner_list"`
	Error *struct{ Code, Message, Field string }
}

func doJSON(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

func TestClassAPI(t *testing.T) {
	base, tok := classAPI(t)
	var c classResp
	st := doJSON(t, "POST", base+"/api/v1/classes", tok, map[string]any{"code": "NT-1", "name": "Lớp nhận thức", "programme": "awareness",
		"org": "kp", "units": []string{"kp"}, "start_date": "2024-03-04", "sessions": 2, "lessons_per_session": 5}, &c)
	if st != http.StatusCreated || len(c.Sessions) != 2 || c.Status != domain.ClassPlanned {
		t.Fatalf("create: %d %+v", st, c)
	}
	url := fmt.Sprintf("%s/api/v1/classes/%d", base, c.ID)
	if st := doJSON(t, "POST", base+"/api/v1/classes", tok, map[string]any{"code": "NT-2", "unknown": 1}, &c); st != http.StatusUnprocessableEntity {
		t.Errorf("unknown field: %d", st)
	}
	var page struct{ Total int }
	doJSON(t, "GET", url+"/eligible?org=kp-a", tok, nil, &page)
	if page.Total != 25 {
		t.Errorf("%d eligible", page.Total)
	}
	// 24 learners: opening needs a reason (409 naming the field), then opens with it.
	var eligible struct{ People []struct{ ID int64 } }
	doJSON(t, "GET", url+"/eligible?per_page=24", tok, nil, &eligible)
	ids := []int64{}
	for _, p := range eligible.People {
		ids = append(ids, p.ID)
	}
	if st := doJSON(t, "POST", url+"/learners", tok, map[string]any{"people": ids}, &c); st != 200 || c.Learners != 24 {
		t.Fatalf("enrol: %d %+v", st, c)
	}
	var e classResp
	if st := doJSON(t, "POST", url+"/open", tok, map[string]any{"version": c.Version}, &e); st != http.StatusConflict || e.Error.Field != "override_reason" {
		t.Fatalf("open with 24: %d %+v", st, e.Error)
	}
	if st := doJSON(t, "POST", url+"/open", tok, map[string]any{"version": c.Version, "override_reason": "Thôn xa"}, &c); st != 200 || c.OpenOverride != "Thôn xa" {
		t.Fatalf("open with a reason: %d %+v", st, c)
	}
	for _, s := range c.Sessions {
		lessons := map[string]int{}
		for _, l := range c.LearnerList {
			lessons[fmt.Sprint(l.ID)] = 5
		}
		if st := doJSON(t, "PUT", fmt.Sprintf("%s/sessions/%d/attendance", url, s.ID), tok, map[string]any{"lessons": lessons}, &c); st != 200 {
			t.Fatalf("attendance: %d", st)
		}
	}
	l0, l1 := c.LearnerList[0], c.LearnerList[1]
	if st := doJSON(t, "PUT", url+"/results", tok, []map[string]any{{"learner": l0.ID, "score1": 7.255, "score2": 7, "version": l0.Version}}, &e); st != http.StatusUnprocessableEntity {
		t.Errorf("three decimals: %d", st)
	}
	st = doJSON(t, "PUT", url+"/results", tok, []map[string]any{{"learner": l0.ID, "score1": 7.25, "score2": 8.5, "version": l0.Version},
		{"learner": l1.ID, "score1": 4, "score2": 5.5, "version": l1.Version}}, &c)
	if st != 200 || c.LearnerList[0].Outcome != "pass" || *c.LearnerList[0].Mean != 7.875 || c.LearnerList[0].Grade != "Khá" {
		t.Fatalf("results: %d %+v", st, c.LearnerList[0])
	}
	if c.LearnerList[1].Outcome != "fail" || *c.LearnerList[1].Mean != 4.75 {
		t.Errorf("a mean of 4,75 is not a fail: %+v", c.LearnerList[1])
	}
	st = doJSON(t, "POST", fmt.Sprintf("%s/learners/%d/retake", url, l1.ID), tok, map[string]any{"date": "2024-03-09", "score1": 6, "score2": 6,
		"version": c.LearnerList[1].Version}, &e)
	if st != http.StatusUnprocessableEntity || e.Error.Field != "retake_date" {
		t.Errorf("retake four days after: %d %+v", st, e.Error)
	}
	st = doJSON(t, "POST", fmt.Sprintf("%s/learners/%d/retake", url, l1.ID), tok, map[string]any{"date": "2024-03-08", "score1": 6, "score2": 6,
		"version": c.LearnerList[1].Version}, &c)
	if st != 200 || c.LearnerList[1].Outcome != "pass" {
		t.Errorf("retake: %d %+v", st, c.LearnerList[1])
	}
	if st := doJSON(t, "POST", url+"/finish", tok, map[string]any{"completion_no": "3-QĐ/TTCT", "completion_date": "2024-03-11", "version": c.Version}, &c); st != 200 {
		t.Fatalf("finish: %d", st)
	}
	var certs struct {
		Certificates []struct {
			Number     string
			ValidUntil string `json:"valid_until"`
		}
	}
	if st := doJSON(t, "POST", url+"/certificates", tok, map[string]any{"issued": "2024-03-20"}, &certs); st != http.StatusCreated || len(certs.Certificates) != 2 {
		t.Fatalf("certificates: %d %+v", st, certs)
	}
	if certs.Certificates[0].Number != "NT-2024-0001" || certs.Certificates[0].ValidUntil != "2029-03-20" {
		t.Errorf("certificate %+v", certs.Certificates[0])
	}
	var rep map[string]any
	doJSON(t, "GET", base+"/api/v1/reports/classes?org=kp&year=2024&asof=2024-05-04", tok, nil, &rep)
	aw := rep["awareness"].(map[string]any)
	if aw["classes"].(float64) != 1 || aw["learners"].(float64) != 24 || aw["passed"].(float64) != 2 || aw["pending"].(float64) != 22 {
		t.Errorf("report %v", rep)
	}
	if rep["sources_not_sent"].(float64) != 0 {
		t.Errorf("sources not sent: %v", rep["sources_not_sent"])
	}
}
