package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ketnap/internal/domain"
)

var tempPassword = regexp.MustCompile(`<code id="temporary-password">([^<]+)</code>`)

// Issue 13, item 2: a chapter secretary is made on the users page, with a
// temporary password shown once that must be changed at the first
// sign-in; an organizer manages only the users of its subtree; a
// disabled user's session stops at its next request, and a reset gives a
// new temporary password.
func TestUsersPageJourney(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("tochuc", domain.RoleOrganizer, "kp")
	e.user("tochuc-a", domain.RoleOrganizer, "kp-a")

	admin := e.client()
	admin.login("admin")
	wantIn(t, admin.get("/nguoi-dung"), "tochuc", "tochuc-a")

	// An organizer of kp makes the secretary of chapter A.
	org := e.client()
	org.login("tochuc")
	made := org.post("/nguoi-dung/moi", url.Values{"username": {"bithu-a"}, "full_name": {"Lê Thị Bí Thư"},
		"role": {domain.RoleSecretary}, "org": {"kp-a"}})
	wantStatus(t, made, http.StatusCreated)
	m := tempPassword.FindStringSubmatch(made.body)
	if m == nil {
		t.Fatalf("no temporary password shown: %s", text(made.body))
	}
	temp := m[1]
	// An organizer of chapter A sees neither kp's organizer nor may it give
	// a scope outside its chapter.
	small := e.client()
	small.login("tochuc-a")
	if p := small.get("/nguoi-dung"); strings.Contains(p.body, ">tochuc<") || !strings.Contains(p.body, "bithu-a") {
		t.Errorf("the users of chapter A's organizer: %s", text(p.body))
	}
	if p := small.post("/nguoi-dung/moi", url.Values{"username": {"bithu-b"}, "role": {domain.RoleSecretary}, "org": {"kp-b"}}); p.status < 400 {
		t.Errorf("an organizer of chapter A made a secretary of chapter B: %d", p.status)
	}
	if p := small.get("/nguoi-dung/tochuc"); p.status < 400 || strings.Contains(p.body, "Đảng bộ huyện Krông Pắc") {
		t.Errorf("kp's organizer seen from chapter A: %d", p.status)
	}

	// The secretary signs in with the temporary password: nothing but a
	// new password until it is chosen.
	sec := e.client()
	if p := sec.post("/dang-nhap", url.Values{"username": {"bithu-a"}, "password": {temp}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign-in with the temporary password: %d %s", p.status, text(p.body))
	}
	if p := sec.get("/nguoi"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/doi-mat-khau") {
		t.Fatalf("a page before the new password: %d %q", p.status, p.header.Get("Location"))
	}
	if p := sec.post("/doi-mat-khau", url.Values{"current": {temp}, "password": {"12345678"}, "repeat": {"12345678"}}); p.status == http.StatusSeeOther ||
		!strings.Contains(text(p.body), "ít nhất 10 ký tự") {
		t.Errorf("a short password accepted: %d %s", p.status, text(p.body))
	}
	if p := sec.post("/doi-mat-khau", url.Values{"current": {temp}, "password": {"matkhau123456"}, "repeat": {"matkhau123456"}}); p.status == http.StatusSeeOther {
		t.Errorf("a common password accepted")
	}
	const chosen = "Buôn Hai mùa rẫy 2024"
	if p := sec.post("/doi-mat-khau", url.Values{"current": {temp}, "password": {chosen}, "repeat": {chosen}}); p.status != http.StatusSeeOther {
		t.Fatalf("new password: %d %s", p.status, text(p.body))
	}
	wantStatus(t, sec.get("/nguoi"), http.StatusOK)

	// Disabled by the organizer: the secretary's session stops at once.
	wantStatus(t, org.post("/nguoi-dung/bithu-a/khoa", url.Values{}), http.StatusOK)
	if p := sec.get("/nguoi"); p.status == http.StatusOK {
		t.Errorf("a disabled user's session still answers: %d", p.status)
	}
	if p := sec.post("/dang-nhap", url.Values{"username": {"bithu-a"}, "password": {chosen}}); p.status == http.StatusSeeOther {
		t.Errorf("a disabled user signed in")
	}
	// Enabled and reset: the old password no longer works, the new
	// temporary one does.
	wantStatus(t, org.post("/nguoi-dung/bithu-a/mo-khoa", url.Values{}), http.StatusOK)
	reset := org.post("/nguoi-dung/bithu-a/mat-khau-tam", url.Values{})
	wantStatus(t, reset, http.StatusOK)
	m = tempPassword.FindStringSubmatch(reset.body)
	if m == nil || m[1] == temp {
		t.Fatalf("no new temporary password: %s", text(reset.body))
	}
	again := e.client()
	if p := again.post("/dang-nhap", url.Values{"username": {"bithu-a"}, "password": {chosen}}); p.status == http.StatusSeeOther {
		t.Errorf("the password before the reset still signs in")
	}
	if p := again.post("/dang-nhap", url.Values{"username": {"bithu-a"}, "password": {m[1]}}); p.status != http.StatusSeeOther {
		t.Errorf("the reset's temporary password: %d", p.status)
	}

	// The role and scope change on the user's page.
	if p := org.post("/nguoi-dung/bithu-a/sua", url.Values{"full_name": {"Lê Thị Bí Thư"}, "role": {domain.RoleViewer}, "org": {"kp-b"}}); p.status != http.StatusOK ||
		!strings.Contains(p.body, "Đã lưu vai trò và phạm vi") {
		t.Errorf("role and scope: %d %s", p.status, text(p.body))
	}
	u, _, err := e.st.UserByUsername(e.sys, "bithu-a")
	if err != nil || u.Role != domain.RoleViewer {
		t.Fatalf("after the edit: %+v %v", u, err)
	}

	// The audit log has the account's story.
	audit := admin.get("/nhat-ky?entity=user")
	wantStatus(t, audit, http.StatusOK)
	for _, action := range []string{"bithu-a"} {
		if !strings.Contains(audit.body, action) {
			t.Errorf("audit page lacks %q", action)
		}
	}
}
