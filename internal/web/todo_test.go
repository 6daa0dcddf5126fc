package web_test

import (
	"net/http"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// TestTodo: "Việc cần làm" lists an overdue decision for the board, the
// secretary's list keeps to her chapter, and the dashboard counts link to
// the lists.
func TestTodo(t *testing.T) {
	e := newEnv(t)
	_, inB := e.tree()
	late := e.drive(e.person("Đỗ Văn Hải", "kp-a", domain.StageSource, domain.Day(1997, 2, 2)), "kp-a", domain.Day(2023, 10, 2), domain.CaseChapterVoted)
	soon := e.openCase(e.person("Mai Thị Lan", "kp-a", domain.StageSource, domain.Day(1999, 9, 9)), "kp-a", domain.Day(2024, 4, 1))
	e.clock(domain.Day(2024, 4, 20))
	e.ok(e.svc.RequestVerification(e.sys, soon.ID, service.VerificationInput{Subject: "mother", Addressee: "Đảng ủy phường Tân Lập",
		SentOn: domain.Day(2024, 4, 20), Version: soon.Version})) // due in June: within 60 days, not 30
	b := e.openCase(inB, "kp-b", domain.Day(2023, 12, 1))
	e.clock(domain.Day(2024, 1, 2))
	e.ok(e.svc.RequestVerification(e.sys, b.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Ea Phê",
		SentOn: domain.Day(2024, 1, 2), Version: b.Version}))
	e.clock(today)

	e.user("tochuc", domain.RoleOrganizer, "kp")
	o := e.client()
	o.login("tochuc")
	p := o.get("/viec-can-lam")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Đỗ Văn Hải", `href="/ho-so/`, "Quyết định kết nạp", "Quá hạn", "Ban Tổ chức (Ban Xây dựng Đảng) cấp ủy có thẩm quyền",
		"05/02/2024", "Y Bhim Niê", `aria-current="page">Việc cần làm`)
	if strings.Contains(p.body, "Mai Thị Lan") {
		t.Error("a deadline beyond 30 days is listed")
	}
	wantIn(t, o.get("/viec-can-lam?days=60"), "Mai Thị Lan")
	p = o.get("/viec-can-lam?overdue=1&kind=decision")
	wantIn(t, p, "Đỗ Văn Hải", "Có 1 việc")
	if strings.Contains(p.body, "Bhim") {
		t.Error("a verification among the decisions")
	}
	_ = late

	// The dashboard's counts link to the lists.
	p = o.get("/?org=kp")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `id="todo"`, `<span id="todo-overdue">2</span> quá hạn`, `href="/viec-can-lam?asof=2024-05-04&amp;kind=decision&amp;org=kp&amp;overdue=1"`)
	wantIn(t, o.get("/viec-can-lam?asof=2024-05-04&kind=decision&org=kp&overdue=1"), "Đỗ Văn Hải")

	// The secretary of chapter A sees her chapter only, and no other chapter's list.
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	p = c.get("/viec-can-lam?overdue=1")
	wantIn(t, p, "Đỗ Văn Hải")
	if strings.Contains(p.body, "Bhim") {
		t.Error("another chapter's deadline is listed")
	}
	wantStatus(t, c.get("/viec-can-lam?org=kp-b"), http.StatusForbidden)
	wantIn(t, c.get("/"), `<span id="todo-overdue">1</span> quá hạn`)
}
