package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

func TestImportAPI(t *testing.T) {
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
	if _, err := svc.CreateUser(sys, service.NewUser{Username: "tochuc", Role: domain.RoleOrganizer, OrgCode: "kp", Password: "mật khẩu dài"}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateToken(sys, service.TokenInput{Username: "tochuc", Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sm := httpx.NewSessions(svc, false)
	mux := http.NewServeMux()
	api.New(svc, sm).Register(mux)
	srv := httptest.NewServer(sm.LoadAndSave(httpx.Authenticate(svc, sm)(mux)))
	t.Cleanup(srv.Close)

	call := func(method, path string, body []byte) (int, []byte) {
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, tpl := call("GET", "/api/v1/import/candidates/template", nil)
	if code != 200 || !bytes.HasPrefix(tpl, []byte("PK")) {
		t.Fatalf("template: %d", code)
	}
	// the organizations in the import's format read back unchanged
	code, orgs := call("GET", "/api/v1/import/orgs/export", nil)
	if code != 200 || !bytes.HasPrefix(orgs, []byte("PK")) {
		t.Fatalf("orgs export: %d %s", code, orgs)
	}
	code, back := call("POST", "/api/v1/import/orgs?dry_run=1", orgs)
	var again struct{ Unchanged, Valid int }
	if err := json.Unmarshal(back, &again); code != 200 || err != nil || again.Unchanged != 2 || again.Valid != 0 {
		t.Fatalf("orgs export read back: %d %s", code, back)
	}
	if code, _ := call("GET", "/api/v1/import/targets/export", nil); code != 422 {
		t.Errorf("targets export without a year: %d", code)
	}
	if code, _ := call("GET", "/api/v1/import/candidates/export", nil); code != 404 {
		t.Errorf("candidates export: %d", code)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	for c, v := range []string{"Nguyễn Văn An", "15/03/1990", "Nam", "Kinh", "", "066090000001", "Tiểu học"} {
		ref, _ := excelize.CoordinatesToCellName(c+1, 2)
		f.SetCellStr("Dữ liệu", ref, v)
	}
	f.SetCellStr("Dữ liệu", "M2", "kp-x")
	bad, _ := f.WriteToBuffer()
	var res struct {
		Imported int
		Errors   []struct {
			Sheet, Column, Message string
			Row                    int
		}
	}
	code, body := call("POST", "/api/v1/import/candidates", bad.Bytes())
	if err := json.Unmarshal(body, &res); err != nil || code != 422 || len(res.Errors) != 1 || res.Errors[0].Column != "Mã tổ chức" || res.Errors[0].Row != 2 {
		t.Fatalf("bad: %d %s", code, body)
	}
	f.SetCellStr("Dữ liệu", "M2", "kp-a")
	good, _ := f.WriteToBuffer()
	f.Close()
	if code, body = call("POST", "/api/v1/import/candidates?dry_run=1", good.Bytes()); code != 200 {
		t.Fatalf("dry run: %d %s", code, body)
	}
	code, body = call("POST", "/api/v1/import/candidates", good.Bytes())
	if err := json.Unmarshal(body, &res); err != nil || code != 200 || res.Imported != 1 {
		t.Fatalf("good: %d %s", code, body)
	}
	if code, body = call("POST", "/api/v1/import/candidates", nil); code != 422 {
		t.Fatalf("empty: %d %s", code, body)
	}
}
