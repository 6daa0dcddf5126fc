package web_test

import (
	"net/http"
	"strconv"
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
