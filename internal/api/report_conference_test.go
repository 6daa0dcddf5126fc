package api_test

import (
	"archive/zip"
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

// The conference report's text over the API: read with its draft, saved
// (only what differs from the draft), refused as the page refuses it,
// scoped, reset; the file named in Vietnamese without diacritics.
func TestConferenceTextAPI(t *testing.T) {
	ctx := context.Background()
	st := testkit.OpenStore(t)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	sys := service.WithUser(ctx, service.System)
	for _, o := range []service.OrgInput{
		{Code: "dl", Name: "Đảng bộ tỉnh Đắk Lắk", Kind: domain.KindProvince},
		{Code: "kp", Name: "Đảng bộ huyện Krông Pắc", Kind: domain.KindDistrict, ParentCode: "dl"},
		{Code: "kp-x", Name: "Đảng bộ xã Ea Phê", Kind: domain.KindGrassroots, ParentCode: "kp"},
	} {
		o.Sector, o.ValidFrom = "commune", domain.Day(2000, 1, 1)
		if _, err := svc.CreateOrg(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	token := map[string]string{}
	for _, u := range []service.NewUser{
		{Username: "tochuc", FullName: "Lê Thị Tổ Chức", Role: domain.RoleOrganizer, OrgCode: "kp"},
		{Username: "tochuc-x", Role: domain.RoleOrganizer, OrgCode: "kp-x"},
		{Username: "giangvien", Role: domain.RoleTrainer, OrgCode: "kp"},
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
	call := func(user, method, path, body string) (int, http.Header, []byte) {
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
		return resp.StatusCode, resp.Header, b
	}
	type field struct {
		Key, Value, Draft string
		Edited            bool
	}
	read := func(b []byte) (map[string]field, map[string]any) {
		t.Helper()
		var out struct {
			Fields []field `json:"fields"`
		}
		var all map[string]any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		_ = json.Unmarshal(b, &all)
		m := map[string]field{}
		for _, f := range out.Fields {
			m[f.Key] = f
		}
		return m, all
	}
	const q = "?org=kp&year=2024&asof=2024-05-04"
	code, _, b := call("tochuc", "GET", "/api/v1/reports/conference/text"+q, "")
	if code != 200 {
		t.Fatalf("GET text: %d %s", code, b)
	}
	f, all := read(b)
	if f["parent"].Value != "ĐẢNG BỘ TỈNH ĐẮK LẮK" || f["issuer"].Value != "HUYỆN ỦY KRÔNG PẮC" || f["number"].Value != "Số      -BC/HU" ||
		f["sign_for"].Value != "T/M BAN THƯỜNG VỤ" || f["signer_title"].Value != "PHÓ BÍ THƯ" || f["place"].Value != "Krông Pắc" ||
		!strings.HasPrefix(f["weaknesses"].Draft, "1. Hạn chế\n") || all["edited"] != false {
		t.Errorf("the draft: %s", b)
	}

	code, _, b = call("tochuc", "PUT", "/api/v1/reports/conference/text"+q, `{"signer": "Trần Văn An", "signer_title": "PHÓ BÍ THƯ", "tasks": "- Mở lớp."}`)
	if code != 200 {
		t.Fatalf("PUT: %d %s", code, b)
	}
	f, all = read(b)
	if f["signer"].Value != "Trần Văn An" || !f["signer"].Edited || f["signer_title"].Edited || f["tasks"].Value != "- Mở lớp." ||
		all["edited"] != true || all["updated_by"] != "Lê Thị Tổ Chức" {
		t.Errorf("after PUT: %s", b)
	}
	code, hd, b := call("tochuc", "GET", "/api/v1/reports/conference"+q+"&format=docx", "")
	if code != 200 || hd.Get("Content-Disposition") != `attachment; filename="bao-cao-hoi-nghi-kp-2024.docx"` || !strings.Contains(docxXML(t, b), "Trần Văn An") {
		t.Errorf("docx: %d %q", code, hd.Get("Content-Disposition"))
	}
	// draft=1 and an option over the saved text
	_, _, b = call("tochuc", "GET", "/api/v1/reports/conference"+q+"&format=docx&draft=1&signer=Ph%E1%BA%A1m+V%C4%83n+B", "")
	if x := docxXML(t, b); strings.Contains(x, "Trần Văn An") || !strings.Contains(x, "Phạm Văn B") {
		t.Error("draft=1 with a signer option")
	}

	for _, c := range []struct {
		user, body string
		status     int
		code       string
	}{
		{"tochuc", `{"number": "Số 1\n-BC/HU"}`, 422, "invalid"},
		{"tochuc", `{"ngay": "x"}`, 422, "invalid"},
		{"tochuc", `{"tasks": "` + strings.Repeat("a", 30001) + `"}`, 422, "invalid"},
		{"tochuc-x", `{"signer": "X"}`, 403, "forbidden"},
		{"giangvien", `{"signer": "X"}`, 403, "forbidden"},
	} {
		code, _, b := call(c.user, "PUT", "/api/v1/reports/conference/text"+q, c.body)
		if code != c.status || !strings.Contains(string(b), `"code":"`+c.code+`"`) {
			t.Errorf("%s %.40s: %d %s", c.user, c.body, code, b)
		}
	}
	_, _, b = call("tochuc", "GET", "/api/v1/reports/conference/text"+q, "")
	if f, _ := read(b); f["signer"].Value != "Trần Văn An" {
		t.Error("a refused PUT changed the text")
	}
	if code, _, _ := call("giangvien", "DELETE", "/api/v1/reports/conference/text"+q, ""); code != 403 {
		t.Errorf("a trainer resetting: %d", code)
	}
	if code, _, _ := call("tochuc", "DELETE", "/api/v1/reports/conference/text"+q, ""); code != 204 {
		t.Errorf("DELETE: %d", code)
	}
	_, _, b = call("tochuc", "GET", "/api/v1/reports/conference/text"+q, "")
	if f, all := read(b); f["signer"].Value != "" || all["edited"] != false {
		t.Errorf("after DELETE: %s", b)
	}
}

// docxXML is word/document.xml of a .docx.
func docxXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zipReader(b)
	if err != nil {
		t.Fatalf("not a docx: %v", err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			x, _ := io.ReadAll(r)
			r.Close()
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

func zipReader(b []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(b), int64(len(b)))
}
