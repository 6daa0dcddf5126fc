package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// TestChapterMeeting records a chapter meeting's votes on several
// candidates in one post: each row is its own vote, recorded or refused
// with its reason; the refused row stays in the form.
func TestChapterMeeting(t *testing.T) {
	e := newEnv(t)
	e.tree()
	start := domain.Day(2024, 1, 8)
	var ids []int64
	for _, name := range []string{"Bùi Văn An", "Cao Thị Bích", "Đinh Văn Chung"} {
		p := e.person(name, "kp-a", domain.StageSource, domain.Day(1998, 8, 8))
		ids = append(ids, e.dossier(e.openCase(p, "kp-a", start), "kp-a", start).ID)
	}
	// Chung's dossier lacks an introducer.
	v, err := e.svc.Case(e.sys, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	e.ok(e.svc.RemoveIntroducer(e.sys, ids[2], v.Introducers[0].ID, v.Version))
	e.clock(today)

	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	p := c.get("/ho-so/hop-chi-bo")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Chi bộ Ấp Một", "Bùi Văn An", "Cao Thị Bích", "Đinh Văn Chung", `aria-current="page">Họp chi bộ`)
	form := formValues(p.body, "/ho-so/hop-chi-bo")
	if form == nil {
		t.Fatal("no meeting form")
	}
	form.Set("number", "05-NQ/CB")
	form.Set("members", "12")
	form.Set("excluded", "1")
	form.Set("present", "11")
	for _, id := range ids {
		s := strconv.FormatInt(id, 10)
		form.Set("yes."+s, "10")
		form.Set("no."+s, "1")
	}
	form.Set("yes."+strconv.FormatInt(ids[1], 10), "7") // 7 of 11: below 2/3, recorded, sent to the deciding body

	p = c.post("/ho-so/hop-chi-bo", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantIn(t, p, "Đã ghi 2 người", "Bùi Văn An</a>: đạt", "Cao Thị Bích</a>: <strong>không đạt</strong>",
		"1 người chưa ghi được", "Chưa đạt — Người giới thiệu", `id="row-`+strconv.FormatInt(ids[2], 10)+`"`)
	stages := func() []string {
		var out []string
		for _, id := range ids {
			cv, err := e.svc.Case(e.sys, id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, cv.Stage)
		}
		return out
	}
	if got := stages(); got[0] != domain.CaseChapterVoted || got[1] != domain.CaseVoteFailed || got[2] != domain.CaseDossier {
		t.Fatalf("stages after the meeting: %v", got)
	}
	if strings.Contains(p.body, `id="row-`+strconv.FormatInt(ids[0], 10)+`"`) {
		t.Error("a recorded row is still in the form")
	}

	// Chung gets a second introducer; the meeting's form is sent again for him.
	cv, _ := e.svc.Case(e.sys, ids[2])
	e.ok(e.svc.AddIntroducer(e.sys, ids[2], service.IntroducerInput{PersonID: e.member("kp-a"), MonthsTogether: 20, Version: cv.Version}))
	p = c.get("/ho-so/hop-chi-bo")
	again := formValues(p.body, "/ho-so/hop-chi-bo")
	for _, k := range []string{"members", "present"} {
		again.Set(k, form.Get(k))
	}
	again.Set("excluded", "1")
	s := strconv.FormatInt(ids[2], 10)
	again.Set("yes."+s, "9")
	p = c.post("/ho-so/hop-chi-bo", again)
	if p.status != http.StatusSeeOther {
		t.Fatalf("second post: %d %s", p.status, text(p.body))
	}
	p = c.get(p.header.Get("Location"))
	wantIn(t, p, "Đã ghi kết quả biểu quyết của 1 người: 1 đạt.", "Chi bộ không có ai đang chờ biểu quyết")
	if got := stages(); got[2] != domain.CaseChapterVoted {
		t.Errorf("Chung's stage %s", got[2])
	}

	// The meeting's own fields are checked before anything is recorded.
	bad := url.Values{"org": {"kp-a"}, "purpose": {"admission"}, "date": {"31/02/2024"}}
	p = c.post("/ho-so/hop-chi-bo", bad)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	// Another chapter's meeting is out of reach.
	wantStatus(t, c.get("/ho-so/hop-chi-bo?org=kp-b"), http.StatusForbidden)
}
