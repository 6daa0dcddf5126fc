package api_test

import (
	"context"
	"fmt"
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

// Issue 13: through the API, an id or code outside the caller's subtree
// and one that does not exist give byte-identical answers (status, code,
// message, field) that name nobody; the admission authority is recorded
// from above, backdated only by a system admin with a reason.
func TestScopeAPI(t *testing.T) {
	ctx := context.Background()
	st := testkit.OpenStore(t)
	svc := service.New(st, slog.New(slog.DiscardHandler))
	sys := service.WithUser(ctx, service.System)
	for _, o := range []service.OrgInput{
		{Code: "kp", Name: "Đảng bộ huyện Krông Pắc", Kind: domain.KindDistrict},
		{Code: "kp-x", Name: "Đảng bộ xã Ea Phê", Kind: domain.KindGrassroots, ParentCode: "kp"},
		{Code: "kp-x1", Name: "Chi bộ thôn 1", Kind: domain.KindChapter, ParentCode: "kp-x"},
		{Code: "kp-y", Name: "Đảng bộ xã Ea Yiêng", Kind: domain.KindGrassroots, ParentCode: "kp"},
		{Code: "kp-y1", Name: "Chi bộ buôn Ea Uy", Kind: domain.KindChapter, ParentCode: "kp-y"},
	} {
		o.Sector, o.ValidFrom = "commune", domain.Day(2000, 1, 1)
		if _, err := svc.CreateOrg(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(org, name string) *domain.Person {
		p, err := svc.CreatePerson(sys, service.PersonInput{FullName: name, BirthDate: domain.Day(1990, 3, 15), Sex: domain.Male,
			Ethnicity: "Ê Đê", Education: "upper_secondary", OrgCode: org, Stage: domain.StageSource})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("kp-x1", "Nguyễn Văn An")
	other := mk("kp-y1", "Y Thông Niê")
	caseY, err := svc.OpenCase(sys, service.OpenCaseInput{PersonID: other.ID})
	if err != nil {
		t.Fatal(err)
	}
	classY, err := svc.CreateClass(sys, service.ClassInput{Code: "LOP-Y", Name: "Lớp Ea Yiêng", Programme: domain.ProgAwareness, OrgCode: "kp-y",
		StartDate: domain.Day(2030, 7, 1), Sessions: 2, UnitCodes: []string{"kp-y1"}})
	if err != nil {
		t.Fatal(err)
	}
	classX, err := svc.CreateClass(sys, service.ClassInput{Code: "LOP-X", Name: "Lớp Ea Phê", Programme: domain.ProgAwareness, OrgCode: "kp-x",
		StartDate: domain.Day(2030, 7, 1), Sessions: 2, UnitCodes: []string{"kp-x1"}})
	if err != nil {
		t.Fatal(err)
	}
	token := map[string]string{}
	for _, u := range []service.NewUser{
		{Username: "quantri", Role: domain.RoleAdmin},
		{Username: "tochuc-x", Role: domain.RoleOrganizer, OrgCode: "kp-x"},
		{Username: "tochuc-kp", Role: domain.RoleOrganizer, OrgCode: "kp"},
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
	call := func(user, method, path, body string) (int, string) {
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
		return resp.StatusCode, string(b)
	}

	const none = 987654
	for _, r := range []struct {
		method, out, unknown, body string // body: %v is the id or code
	}{
		{"GET", fmt.Sprintf("/api/v1/people/%d", other.ID), fmt.Sprintf("/api/v1/people/%d", none), ""},
		{"GET", fmt.Sprintf("/api/v1/people/%d/cases", other.ID), fmt.Sprintf("/api/v1/people/%d/cases", none), ""},
		{"GET", fmt.Sprintf("/api/v1/cases/%d", caseY.ID), fmt.Sprintf("/api/v1/cases/%d", none), ""},
		{"GET", fmt.Sprintf("/api/v1/classes/%d", classY.ID), fmt.Sprintf("/api/v1/classes/%d", none), ""},
		{"GET", "/api/v1/orgs/kp-y1", "/api/v1/orgs/khong-co", ""},
		{"GET", "/api/v1/progress?org=kp-y&year=2024", "/api/v1/progress?org=khong-co&year=2024", ""},
		{"PUT", "/api/v1/orgs/kp-y1/authority", "/api/v1/orgs/khong-co/authority", `{"valid_from": "2030-01-01", "decider": "kp"}`},
		{"POST", fmt.Sprintf("/api/v1/cases/%d/helper", caseY.ID), fmt.Sprintf("/api/v1/cases/%d/helper", none), `{"person_id": 1, "version": 1}`},
	} {
		c1, b1 := call("tochuc-x", r.method, r.out, r.body)
		c2, b2 := call("tochuc-x", r.method, r.unknown, r.body)
		if c1 != 403 || c1 != c2 || b1 != b2 || strings.Contains(b1, "Y Thông") || strings.Contains(b1, "Ea Uy") || strings.Contains(b1, "Ea Yiêng") {
			t.Errorf("%s %s: %d %s\n%s: %d %s", r.method, r.out, c1, b1, r.unknown, c2, b2)
		}
	}
	// ids and codes in request bodies
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/v1/cases", `{"person_id": %v}`},
		{"POST", "/api/v1/classes", `{"code": "LOP-Z", "name": "Lớp", "programme": "awareness", "org": "kp-x", "start_date": "2030-07-01", "sessions": 2, "units": [%q]}`},
		{"POST", "/api/v1/classes", `{"code": "LOP-Z", "name": "Lớp", "programme": "awareness", "org": %q, "start_date": "2030-07-01", "sessions": 2}`},
		{"POST", fmt.Sprintf("/api/v1/classes/%d/learners", classX.ID), `{"people": [%v]}`},
		{"POST", "/api/v1/people", `{"full_name": "Phạm Văn Mới", "birth_date": "1990-01-01", "sex": "male", "ethnicity": "Kinh", "education": "primary", "org": %q}`},
		{"PUT", "/api/v1/orgs/kp-x1/authority", `{"valid_from": "2030-01-01", "decider": %q}`},
		{"POST", "/api/v1/orgs", `{"code": "kp-x9", "name": "Chi bộ mới", "kind": "chapter", "sector": "commune", "valid_from": "2024-01-01", "parent": %q}`},
	} {
		outRef, noneRef := any(other.ID), any(int64(none))
		if strings.Contains(r.body, "%q") {
			outRef, noneRef = "kp-y1", "khong-co"
		}
		c1, b1 := call("tochuc-x", r.method, r.path, fmt.Sprintf(r.body, outRef))
		c2, b2 := call("tochuc-x", r.method, r.path, fmt.Sprintf(r.body, noneRef))
		if c1 != 403 || c1 != c2 || b1 != b2 || strings.Contains(b1, "Y Thông") || strings.Contains(b1, "Ea Uy") {
			t.Errorf("%s %s %s: %d %s; unknown: %d %s", r.method, r.path, r.body, c1, b1, c2, b2)
		}
	}
	// a system admin still learns that an id does not exist
	if c, b := call("quantri", "GET", fmt.Sprintf("/api/v1/people/%d", none), ""); c != 404 || !strings.Contains(b, `"not_found"`) {
		t.Errorf("admin, unknown person: %d %s", c, b)
	}

	// the admission authority: not by the unit's own organizer, from
	// today on by the level above, backdated only by a system admin with
	// a reason (kept in the audit record)
	if c, b := call("tochuc-x", "PUT", "/api/v1/orgs/kp-x/authority", `{"valid_from": "2030-01-01", "decider": "kp"}`); c != 403 {
		t.Errorf("own organizer: %d %s", c, b)
	}
	if c, b := call("tochuc-kp", "PUT", "/api/v1/orgs/kp-x/authority", `{"valid_from": "2030-01-01", "decider": "kp", "grassroots_step": true}`); c != 200 {
		t.Errorf("the level above: %d %s", c, b)
	}
	if c, b := call("tochuc-kp", "PUT", "/api/v1/orgs/kp-y/authority", `{"valid_from": "2020-01-01", "decider": "kp", "reason": "bổ sung"}`); c != 422 || !strings.Contains(b, `"field":"valid_from"`) {
		t.Errorf("backdated by an organizer: %d %s", c, b)
	}
	if c, b := call("quantri", "PUT", "/api/v1/orgs/kp-y/authority", `{"valid_from": "2020-01-01", "decider": "kp"}`); c != 422 || !strings.Contains(b, `"field":"reason"`) {
		t.Errorf("backdated by the admin without a reason: %d %s", c, b)
	}
	if c, b := call("quantri", "PUT", "/api/v1/orgs/kp-y/authority", `{"valid_from": "2020-01-01", "decider": "kp", "reason": "Theo Quyết định 3-QĐ/HU"}`); c != 200 {
		t.Errorf("backdated by the admin with a reason: %d %s", c, b)
	}
	ky, _ := svc.Org(sys, "kp-y")
	p, err := svc.Audit(sys, service.AuditQuery{Entity: "org", EntityID: ky.ID})
	if err != nil || len(p.Entries) == 0 || !strings.Contains(p.Entries[0].Detail, "Theo Quyết định 3-QĐ/HU") {
		t.Errorf("audit: %+v %v", p, err)
	}
}
