package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// Ages and the defaults of date fields follow the date the pages open on
// (the demo's date), never the real clock (issue 16, one clock).
func TestPagesOpenOnOneClock(t *testing.T) {
	e := newEnv(t)
	inA, _ := e.tree()
	if err := e.svc.MarkDemo(e.sys, domain.Day(2024, 5, 4)); err != nil {
		t.Fatal(err)
	}
	real := time.Date(2026, 12, 7, 10, 0, 0, 0, domain.Vietnam) // the machine's day, years later
	e.svc.Now = func() time.Time { return real }
	c := e.client()
	c.login("admin")

	// Nguyễn Văn Đức, born 14/03/1995: 29 on 04/05/2024, 31 on 07/12/2026
	p := c.get("/nguoi/" + strconv.FormatInt(inA, 10))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "14/03/1995 (29 tuổi)")
	p = c.get("/nguoi?org=kp-a")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "(29 tuổi)")
	p = c.get("/to-chuc/kp/them")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, `value="2024-05-04"`)
}

// An empty new person comes back with every field's message at once, and
// what was typed kept (issue 16: name, then birth date, then sex, one
// attempt each, before).
func TestPersonFormReportsEveryField(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")

	p := c.post("/nguoi/moi", url.Values{"full_name": {""}, "birth_date": {""}, "sex": {""}, "ethnicity": {"01"},
		"religion": {"none"}, "education": {"upper_secondary"}, "occupation": {"other"}, "workplace": {"Trường Lê Hồng Phong"}, "org": {"kp-a"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-full_name">Họ và tên không được để trống`, `id="err-birth_date">Cần ngày sinh`,
		`id="err-sex">Giới tính phải là Nam hoặc Nữ</p>`, `value="Trường Lê Hồng Phong"`, `value="kp-a"`)

	// a date the form cannot read, a missing unit and a bad sex: all three
	p = c.post("/nguoi/moi", url.Values{"full_name": {"Hồ Văn Thử"}, "birth_date": {"31/02/2001"}, "sex": {"x"}, "ethnicity": {"01"},
		"education": {"upper_secondary"}, "org": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-birth_date">Ngày sinh`, `id="err-sex">Giới tính phải là Nam hoặc Nữ`, `id="err-org">`, `value="Hồ Văn Thử"`)
	if strings.Contains(p.body, "(male)") {
		t.Error("the sex's message still names the codes in English")
	}

	// an unknown unit joins the fields' messages
	p = c.post("/nguoi/moi", url.Values{"full_name": {"Hồ"}, "birth_date": {"2001-02-03"}, "sex": {"male"}, "ethnicity": {"01"},
		"education": {"upper_secondary"}, "org": {"khong-co"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, `id="err-full_name">`, `id="err-org">`)
}

// A pasted page of text as a name is refused with the limit, and the
// message repeats at most its first 60 characters (issue 16: a
// 5,000-character name echoed back made the page 62,074 px wide).
func TestLongNameIsNotEchoed(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	long := strings.Repeat("Nguyễn ", 715) // 5,005 characters
	p := c.post("/nguoi/moi", url.Values{"full_name": {long}, "birth_date": {"2001-02-03"}, "sex": {"male"}, "ethnicity": {"01"},
		"education": {"upper_secondary"}, "org": {"kp-a"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	m := regexp.MustCompile(`id="err-full_name">([^<]*)</p>`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no message at the name: %s", text(p.body))
	}
	if !strings.Contains(m[1], "tối đa 100 ký tự") && !strings.Contains(m[1], "giới hạn 100 ký tự") {
		t.Errorf("the message does not give the limit: %s", m[1])
	}
	if n := len([]rune(m[1])); n > 200 || !strings.Contains(m[1], "…") {
		t.Errorf("the message repeats %d characters: %s", n, m[1])
	}
}
