package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

func TestReorgsAPI(t *testing.T) {
	ctx := context.Background()
	st := testkit.OpenStore(t)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	sys := service.WithUser(ctx, service.System)
	for _, o := range []service.OrgInput{
		{Code: "dl", Name: "Đảng bộ tỉnh Đắk Lắk", Kind: domain.KindProvince},
		{Code: "kp", Name: "Đảng bộ huyện Krông Pắc", Kind: domain.KindDistrict, ParentCode: "dl"},
		{Code: "kp-x", Name: "Đảng bộ xã Ea Phê", Kind: domain.KindGrassroots, ParentCode: "kp"},
		{Code: "kp-x1", Name: "Chi bộ thôn 1", Kind: domain.KindChapter, ParentCode: "kp-x"},
		{Code: "kp-y", Name: "Đảng bộ xã Ea Kuăng", Kind: domain.KindGrassroots, ParentCode: "kp"},
		{Code: "kp-y1", Name: "Chi bộ thôn 2", Kind: domain.KindChapter, ParentCode: "kp-y"},
	} {
		o.Sector, o.ValidFrom = "commune", domain.Day(2000, 1, 1)
		if _, err := svc.CreateOrg(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	token := map[string]string{}
	for _, u := range []service.NewUser{
		{Username: "quantri", Role: domain.RoleAdmin},
		{Username: "qt-x", Role: domain.RoleAdmin, OrgCode: "kp-x"},
		{Username: "tochuc", Role: domain.RoleOrganizer, OrgCode: "kp"},
	} {
		u.Password = "mật khẩu dài"
		if _, err := svc.CreateUser(sys, u); err != nil {
			t.Fatal(err)
		}
		tok, _, err := svc.CreateToken(sys, service.TokenInput{Username: u.Username, Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		token[u.Username] = tok
	}
	sm := httpx.NewSessions(svc, false)
	mux := http.NewServeMux()
	api.New(svc, sm).Register(mux)
	srv := httptest.NewServer(sm.LoadAndSave(httpx.Authenticate(svc, sm)(mux)))
	t.Cleanup(srv.Close)
	call := func(user, method, path, body string) (int, map[string]any, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token[user])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m, b
	}
	errCode := func(m map[string]any) string {
		e, _ := m["error"].(map[string]any)
		s, _ := e["code"].(string)
		return s
	}
	const plan = `{"date": "2025-07-01", "decision": "Quyết định số 7-QĐ/TU",
		"create": [{"code": "eaphe-moi", "name": "Đảng bộ xã Ea Phê", "kind": "commune", "parent": "dl"}],
		"merge": [{"from": ["kp-x", "kp-y"], "into": "eaphe-moi"}]}`

	if code, m, b := call("tochuc", "POST", "/api/v1/reorgs?dry_run=1", plan); code != 403 || errCode(m) != "forbidden" {
		t.Errorf("an organizer: %d %s", code, b)
	}
	inner := `{"date": "2025-07-01", "decision": "QĐ 8", "merge": [{"from": ["kp-y1"], "into": "kp-x1"}]}`
	code, m, b := call("qt-x", "POST", "/api/v1/reorgs?dry_run=1", inner)
	if code != 403 || errCode(m) != "forbidden" || !strings.Contains(string(b), "nằm ngoài phạm vi") || strings.Contains(string(b), "Chi bộ thôn 2") {
		t.Errorf("an admin of kp-x merging kp-y1: %d %s", code, b)
	}
	// an unknown code: the same answer but for the code given
	code2, _, b2 := call("qt-x", "POST", "/api/v1/reorgs?dry_run=1", strings.Replace(inner, "kp-y1", "kp-khong", 1))
	if code2 != code || strings.ReplaceAll(string(b2), "kp-khong", "kp-y1") != string(b) {
		t.Errorf("an unknown code: %d %s; outside the scope: %d %s", code2, b2, code, b)
	}
	bad := strings.Replace(plan, `"kp-y"]`, `"kp-y", "kp-z"]`, 1)
	code, m, b = call("quantri", "POST", "/api/v1/reorgs", bad)
	if code != 422 || errCode(m) != "invalid" || !strings.Contains(string(b), `"message":"Không tìm thấy tổ chức mã kp-z"`) || m["applied"] != false {
		t.Errorf("a wrong plan: %d %s", code, b)
	}
	if code, m, b := call("quantri", "POST", "/api/v1/reorgs", `{"date": "2025-07-01", "decision": "QĐ", "unknown": 1}`); code != 422 || errCode(m) != "invalid" {
		t.Errorf("an unknown field: %d %s", code, b)
	}
	code, m, b = call("quantri", "POST", "/api/v1/reorgs?dry_run=1", plan)
	totals, _ := m["totals"].(map[string]any)
	if code != 200 || m["dry_run"] != true || m["applied"] != false || m["error"] != nil || totals["units"] != 2.0 {
		t.Errorf("dry run: %d %s", code, b)
	}
	if code, m, b := call("quantri", "POST", "/api/v1/reorgs", plan); code != 200 || m["applied"] != true || m["plan_id"] != 1.0 {
		t.Errorf("apply: %d %s", code, b)
	}
	if o, err := svc.Org(sys, "kp-y1"); err != nil || o.ParentID == 0 {
		t.Fatal(err)
	} else if p, _ := svc.Org(sys, "eaphe-moi"); o.ParentID != p.ID {
		t.Errorf("kp-y1 under %d after the plan; want eaphe-moi", o.ParentID)
	}
	if code, m, b := call("quantri", "POST", "/api/v1/reorgs", plan); code != 409 || !strings.Contains(string(b), "Phương án này đã được áp dụng lúc") || errCode(m) != "conflict" {
		t.Errorf("re-run: %d %s", code, b)
	}
	code, m, b = call("quantri", "GET", "/api/v1/reorgs", "")
	plans, _ := m["plans"].([]any)
	if code != 200 || len(plans) != 1 || !strings.Contains(string(b), `"decision":"Quyết định số 7-QĐ/TU","date":"2025-07-01"`) {
		t.Errorf("list: %d %s", code, b)
	}
	if code, _, _ := call("tochuc", "GET", "/api/v1/reorgs", ""); code != 403 {
		t.Errorf("an organizer lists plans: %d", code)
	}
	if code, _, b := call("quantri", "GET", "/api/v1/reorgs/template", ""); code != 200 || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("template: %d", code)
	}
}
