package web_test

import (
	"net/http"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The classes list, the sources not sent and the certificate holders
// export every row with the page's filters and scope.
func TestClassListExports(t *testing.T) {
	e := newEnv(t)
	e.tree()
	trainer, err := e.svc.CreateUser(e.sys, service.NewUser{Username: "ttct", Role: domain.RoleTrainer, OrgCode: "kp", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	tctx := service.WithUser(e.sys, trainer)
	if _, err := e.svc.CreateClass(tctx, service.ClassInput{Code: "NT-1", Name: "Lớp nhận thức", Programme: domain.ProgAwareness, OrgCode: "kp",
		StartDate: domain.Day(2024, 4, 1), Sessions: 2, UnitCodes: []string{"kp"}}); err != nil {
		t.Fatal(err)
	}
	src, err := e.svc.CreatePerson(e.sys, service.PersonInput{FullName: "H' Linh Êban", BirthDate: domain.Day(2001, 5, 6), Sex: domain.Female,
		Ethnicity: "Ê Đê", Education: "upper_secondary", OrgCode: "kp-c", Stage: domain.StageSource})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetSourceSince(e.sys, src.ID, domain.Day(2023, 9, 1)); err != nil {
		t.Fatal(err)
	}
	e.user("bithu.b", domain.RoleSecretary, "kp-b")
	c := e.client()
	c.login("admin")

	p := c.get("/lop-hoc?year=2024")
	wantIn(t, p, `id="classes-xlsx"`, `href="/lop-hoc.xlsx?year=2024"`)
	p = c.get("/lop-hoc.xlsx?year=2024")
	wantStatus(t, p, http.StatusOK)
	s := sheetText(t, p.body, "Lớp bồi dưỡng")
	for _, w := range []string{"Mã lớp", "Chương trình", "NT-1", "Lớp nhận thức", "Bồi dưỡng nhận thức về Đảng"} {
		if !strings.Contains(s, w) {
			t.Errorf("classes export: %q missing from\n%s", w, s)
		}
	}
	p = c.get("/lop-hoc.xlsx?year=2023")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Lớp bồi dưỡng"); strings.Contains(s, "NT-1") {
		t.Errorf("the year filter is ignored:\n%s", s)
	}
	wantStatus(t, c.get("/lop-hoc.xlsx?year=abc"), http.StatusUnprocessableEntity)

	p = c.get("/lop-hoc/chua-cu-di-hoc?org=kp-c&asof=2024-05-04")
	wantIn(t, p, `id="not-sent-xlsx"`, `href="/lop-hoc/chua-cu-di-hoc.xlsx?asof=2024-05-04&amp;months=6&amp;org=kp-c"`)
	p = c.get("/lop-hoc/chua-cu-di-hoc.xlsx?org=kp-c&asof=2024-05-04")
	wantStatus(t, p, http.StatusOK)
	s = sheetText(t, p.body, "Chưa cử đi học")
	for _, w := range []string{"Họ và tên", "Vào danh sách", "H' Linh Êban", "Chi bộ Cơ quan Ba"} {
		if !strings.Contains(s, w) {
			t.Errorf("not-sent export: %q missing from\n%s", w, s)
		}
	}

	p = c.get("/lop-hoc/giay-chung-nhan?org=kp&asof=2024-05-04")
	wantIn(t, p, `id="holders-xlsx"`, `href="/lop-hoc/giay-chung-nhan.xlsx?asof=2024-05-04&amp;org=kp"`)
	p = c.get("/lop-hoc/giay-chung-nhan.xlsx?org=kp&asof=2024-05-04&lapse_days=90")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Giấy chứng nhận"); !strings.Contains(s, "Số giấy chứng nhận") || !strings.Contains(s, "SẮP HẾT HẠN") {
		t.Errorf("holders export:\n%s", s)
	}

	// Scoped like the pages.
	b := e.client()
	b.login("bithu.b")
	wantStatus(t, b.get("/lop-hoc/chua-cu-di-hoc.xlsx?org=kp-c"), http.StatusForbidden)
	wantStatus(t, b.get("/lop-hoc/giay-chung-nhan.xlsx?org=kp-c"), http.StatusForbidden)
}
