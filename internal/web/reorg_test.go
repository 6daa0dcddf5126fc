package web_test

import (
	"net/url"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The reorganisation page: administrators only; a plan checked first
// (what moves, per unit), applied from the confirm form without a new
// upload, listed among the plans applied; a wrong plan shows every
// problem and writes nothing.
func TestReorgPage(t *testing.T) {
	e := newEnv(t)
	e.tree()
	if _, err := e.svc.CreatePerson(e.sys, service.PersonInput{FullName: "Hà Văn Năm", BirthDate: domain.Day(1990, 1, 1), Sex: domain.Male,
		Ethnicity: "01", Religion: "none", Education: "upper_secondary", OrgCode: "kp-c"}); err != nil {
		t.Fatal(err)
	}
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	sec := e.client()
	sec.login("bithu-a")
	if pg := sec.get("/sap-xep"); pg.status != 403 {
		t.Errorf("a secretary opens the page: %d", pg.status)
	}
	if pg := sec.get("/"); strings.Contains(pg.body, `href="/sap-xep"`) {
		t.Error("a secretary is offered the reorganisation page")
	}

	c := e.client()
	c.login("admin")
	pg := c.get("/sap-xep")
	wantIn(t, pg, "Sắp xếp tổ chức", `href="/sap-xep/mau.xlsx"`, `id="reorg-form"`, "Chưa có phương án nào được áp dụng", `href="/sap-xep" aria-current="page"`)
	if tpl := c.get("/sap-xep/mau.xlsx"); tpl.status != 200 || !strings.HasPrefix(tpl.body, "PK") {
		t.Errorf("template: %d", tpl.status)
	}

	// merging a chapter with a target running past the date is refused
	bad := `{"date": "2024-05-01", "decision": "QĐ 9", "merge": [{"from": ["kp-b"], "into": "kp-a"}], "rename": [{"unit": "kp-x", "name": "X"}]}`
	pg = c.upload("/sap-xep", "sai.json", []byte(bad), url.Values{"action": {"check"}})
	if pg.status != 422 {
		t.Errorf("a wrong plan: %d", pg.status)
	}
	wantIn(t, pg, `id="reorg-problems"`, "Chỉ tiêu năm 2024 của Chi bộ Buôn Hai", "Không tìm thấy tổ chức mã kp-x", "Đổi tên, mục 1", "không áp dụng, chưa ghi gì")
	if strings.Contains(pg.body, `id="reorg-confirm"`) {
		t.Error("a wrong plan is offered for applying")
	}

	good := `{"date": "2024-05-01", "decision": "Quyết định số 15-QĐ/HU ngày 25/4/2024", "merge": [{"from": ["kp-c"], "into": "kp-b"}]}`
	pg = c.upload("/sap-xep", "dung.json", []byte(good), url.Values{"action": {"check"}})
	if pg.status != 200 {
		t.Fatalf("check: %d %s", pg.status, text(pg.body))
	}
	wantIn(t, pg, "Kết quả kiểm tra: dung.json", "Không có lỗi. Chưa ghi gì", `id="reorg-units"`, "Chi bộ Cơ quan Ba", `data-label="Người">1</td>`, `id="reorg-confirm"`)
	form := formValues(pg.body, "/sap-xep/ap-dung")
	if form.Get("token") == "" {
		t.Fatalf("no confirm form: %s", text(pg.body))
	}
	pg = c.post("/sap-xep/ap-dung", form)
	if pg.status != 200 {
		t.Fatalf("apply: %d %s", pg.status, text(pg.body))
	}
	wantIn(t, pg, "Đã áp dụng phương án (số 1)", `id="reorg-plans"`, "Quyết định số 15-QĐ/HU ngày 25/4/2024", "01/05/2024")
	kpc, err := e.svc.Org(e.sys, "kp-c")
	if err != nil || kpc.ValidTo == nil {
		t.Fatalf("kp-c after the plan: %+v %v", kpc, err)
	}
	// the kept file was applied once: the confirm form is gone, and the
	// same plan uploaded again is refused naming when it was applied
	if pg = c.post("/sap-xep/ap-dung", form); pg.status != 410 {
		t.Errorf("confirming twice: %d", pg.status)
	}
	pg = c.upload("/sap-xep", "dung.json", []byte(good), url.Values{"action": {"apply"}})
	if pg.status != 409 {
		t.Errorf("applying again: %d", pg.status)
	}
	wantIn(t, pg, "Phương án này đã được áp dụng lúc")
	pg = c.upload("/sap-xep", "x.json", []byte(`{"date": "2024-05-01", "bogus": true}`), url.Values{"action": {"check"}})
	if pg.status != 422 {
		t.Errorf("an unknown field: %d", pg.status)
	}
	wantIn(t, pg, `id="reorg-error"`, "Trường không được hỗ trợ trong phương án sắp xếp")
}
