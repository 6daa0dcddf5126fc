package api_test

import (
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

// calServer runs the API over a fresh store and returns its URL and
// bearer tokens for a system admin and a chapter secretary.
func calServer(t *testing.T) (base, admin, secretary string) {
	t.Helper()
	ctx := context.Background()
	st := testkit.OpenStore(t)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	sys := service.WithUser(ctx, service.System)
	if _, err := svc.CreateOrg(sys, service.OrgInput{Code: "cb", Name: "Chi bộ A", Kind: domain.KindGrassChapter, Sector: "commune",
		ValidFrom: domain.Day(2000, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []service.NewUser{
		{Username: "admin", Role: domain.RoleAdmin, Password: "mật khẩu dài"},
		{Username: "bithu", Role: domain.RoleSecretary, OrgCode: "cb", Password: "mật khẩu dài"},
	} {
		if _, err := svc.CreateUser(sys, u); err != nil {
			t.Fatal(err)
		}
	}
	token := func(name string) string {
		tok, _, err := svc.CreateToken(sys, service.TokenInput{Username: name, Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	sm := httpx.NewSessions(svc, false)
	mux := http.NewServeMux()
	api.New(svc, sm).Register(mux)
	srv := httptest.NewServer(sm.LoadAndSave(httpx.Authenticate(svc, sm)(mux)))
	t.Cleanup(srv.Close)
	return srv.URL, token("admin"), token("bithu")
}

type calResp struct {
	Year       int
	Status     string
	Official   bool
	Recorded   bool
	Source     string
	RecordedAt *string `json:"recorded_at"`
	RecordedBy string  `json:"recorded_by"`
	Days       []struct{ Date, Weekday, Kind, KindLabel, Name string }
	Error      *struct{ Code, Message, Field string }
}

func calDo(t *testing.T, method, url, token, body string) (int, calResp) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out calResp
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	return resp.StatusCode, out
}

const api2027 = `{"official": true, "source": "Thông báo số 1/TB-BNV", "days": [
  {"date": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch"},
  {"date": "2027-02-05", "kind": "nghỉ lễ, tết", "name": "Tết Nguyên đán"},
  {"date": "2027-02-20", "kind": "makeup_workday", "name": "Làm bù"}]}`

func TestCalendarAPI(t *testing.T) {
	base, admin, secretary := calServer(t)
	u := base + "/api/v1/calendar/"

	code, r := calDo(t, "GET", u+"2024", secretary, "")
	if code != 200 || r.Status != "official" || !r.Official || r.Recorded || r.RecordedAt != nil || len(r.Days) != 13 ||
		!strings.Contains(r.Source, "8662/VPCP-KGVX") || r.Days[10].Date != "2024-05-04" || r.Days[10].Kind != "makeup_workday" {
		t.Errorf("GET 2024: %d %+v", code, r)
	}
	if code, r = calDo(t, "GET", u+"2027", secretary, ""); code != 200 || r.Status != "provisional" || r.Official {
		t.Errorf("GET 2027: %d %+v", code, r)
	}
	if code, _ = calDo(t, "GET", u+"2027", "", ""); code != 401 {
		t.Errorf("GET without credentials: %d", code)
	}
	for _, bad := range []string{"1990", "abc"} {
		if code, r = calDo(t, "GET", u+bad, admin, ""); code != 422 || r.Error == nil {
			t.Errorf("GET %s: %d %+v", bad, code, r)
		}
	}

	// Only a system admin records or forgets.
	if code, r = calDo(t, "PUT", u+"2027", secretary, api2027); code != 403 || r.Error.Code != "forbidden" {
		t.Errorf("PUT as secretary: %d %+v", code, r)
	}
	for _, tc := range []struct {
		body, field string
		code        int
		msg         string
	}{
		{strings.Replace(api2027, "2027-02-20", "2027-02-17", 1), "days.2", 422, "Ngày làm bù 17/02/2027 là thứ Tư"},
		{strings.Replace(api2027, "2027-02-05", "2027-02-31", 1), "days.1", 422, `Ngày thứ 2 trong danh sách ("2027-02-31", Tết Nguyên đán) không hợp lệ`},
		{strings.Replace(api2027, `"source"`, `"sources"`, 1), "", 422, "Trường không được hỗ trợ"},
		{`{"days": [`, "", 400, "JSON"},
		{`{"year": 2028, "days": []}`, "year", 422, "Lịch ghi năm 2028"},
	} {
		code, r = calDo(t, "PUT", u+"2027", admin, tc.body)
		if code != tc.code || r.Error == nil || r.Error.Field != tc.field || !strings.Contains(r.Error.Message, tc.msg) {
			t.Errorf("PUT %q: %d %+v; want %d %s %q", tc.body, code, r.Error, tc.code, tc.field, tc.msg)
		}
	}
	code, r = calDo(t, "PUT", u+"2027", admin, api2027)
	if code != 200 || r.Status != "recorded" || !r.Recorded || !r.Official || r.RecordedBy != "admin" || r.RecordedAt == nil ||
		len(r.Days) != 3 || r.Days[1].Kind != "holiday" || r.Days[2].Weekday != "Thứ Bảy" {
		t.Errorf("PUT 2027: %d %+v", code, r)
	}
	if code, r = calDo(t, "GET", u+"2027", secretary, ""); code != 200 || r.Status != "recorded" || len(r.Days) != 3 {
		t.Errorf("GET 2027 after PUT: %d %+v", code, r)
	}
	if code, r = calDo(t, "DELETE", u+"2027", secretary, ""); code != 403 {
		t.Errorf("DELETE as secretary: %d %+v", code, r)
	}
	if code, r = calDo(t, "DELETE", u+"2027", admin, ""); code != 200 || r.Status != "provisional" || len(r.Days) != 11 {
		t.Errorf("DELETE 2027: %d %+v", code, r)
	}
	if code, r = calDo(t, "DELETE", u+"2027", admin, ""); code != 404 || r.Error.Code != "not_found" {
		t.Errorf("DELETE 2027 twice: %d %+v", code, r)
	}
}
