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

// Each case board exports every row of its stages, scoped like the page.
func TestBoardExports(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.drive(e.person("Đỗ Văn Hải", "kp-a", domain.StageSource, domain.Day(1997, 2, 2)), "kp-a", domain.Day(2023, 10, 2), domain.CaseChapterVoted)
	e.drive(e.person("Kim Thị Ngọc", "kp-a", domain.StageSource, domain.Day(1996, 3, 3)), "kp-a", domain.Day(2022, 6, 1), domain.CaseRecognitionVote)
	e.drive(e.person("Lò Văn Sơn", "kp-a", domain.StageSource, domain.Day(1995, 4, 4)), "kp-a", domain.Day(2022, 6, 1), domain.CaseDecided)
	e.drive(e.person("Hà Thị Mai", "kp-a", domain.StageSource, domain.Day(1994, 5, 5)), "kp-a", domain.Day(2022, 6, 1), domain.CaseProbation)
	e.clock(today)
	e.user("bithu-b", domain.RoleSecretary, "kp-b")
	c := e.client()
	c.login("admin")
	for _, x := range []struct{ path, id, in, out, col string }{
		{"/ho-so/quyet-dinh", "decisions-xlsx", "Đỗ Văn Hải", "Kim Thị Ngọc", "Hạn quyết định"},
		{"/ho-so/le-ket-nap", "ceremonies-xlsx", "Lò Văn Sơn", "Đỗ Văn Hải", "Số quyết định"},
		{"/ho-so/du-bi", "probation-xlsx", "Chưa có giấy chứng nhận", "Lò Văn Sơn", "Hết dự bị"},
		{"/ho-so/cong-nhan", "recognitions-xlsx", "Kim Thị Ngọc", "Đỗ Văn Hải", "Việc tiếp theo"},
	} {
		p := c.get(x.path + "?org=kp-a")
		wantIn(t, p, `id="`+x.id+`"`, `href="`+x.path+`.xlsx?org=kp-a"`)
		p = c.get(x.path + ".xlsx?org=kp-a")
		wantStatus(t, p, http.StatusOK)
		s := sheetText(t, p.body, "Danh sách")
		if !strings.Contains(s, x.col) || !strings.Contains(s, x.in) || strings.Contains(s, x.out) {
			t.Errorf("%s export: want %q and %q, not %q:\n%s", x.path, x.col, x.in, x.out, s)
		}
		if x.id == "probation-xlsx" && !strings.Contains(s, "Hà Thị Mai") {
			t.Errorf("probation export:\n%s", s)
		}
	}
	b := e.client()
	b.login("bithu-b")
	wantStatus(t, b.get("/ho-so/quyet-dinh.xlsx?org=kp-a"), http.StatusForbidden)
	p := b.get("/ho-so/cong-nhan.xlsx")
	wantStatus(t, p, http.StatusOK)
	if s := sheetText(t, p.body, "Danh sách"); strings.Contains(s, "Kim Thị Ngọc") {
		t.Errorf("kp-b's secretary exports kp-a's case:\n%s", s)
	}
}
