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

// The candidate page corrects a recorded fact in place (issue 11): the
// link beside a vote opens its correction form pre-filled; a correction
// the rules refuse comes back (422) with what was typed and the failing
// check; a correction done shows the vote counted again, the stage it
// leads to, and the correction on the page (who, old and new value, why).
func TestCasePageCorrectsAVote(t *testing.T) {
	e := newEnv(t)
	e.tree()
	p := e.person("Lý Thị Mai", "kp-a", domain.StageSource, domain.Day(1999, 3, 3))
	cs := e.drive(p, "kp-a", domain.Day(2024, 1, 2), domain.CaseVoteFailed)
	e.clock(today)
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	link := caseLink(cs)
	v, err := e.svc.Case(e.sys, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	vid := strconv.FormatInt(v.Votes[0].ID, 10)
	pg := c.get(link)
	fix := link + "?" + url.Values{"dinh-chinh": {"vote:" + vid}}.Encode()
	wantIn(t, pg, `href="`+strings.ReplaceAll(fix, "&", "&amp;")+`#f-correction"`)

	pg = c.get(fix)
	wantStatus(t, pg, http.StatusOK)
	action := link + "/dinh-chinh?" + url.Values{"dinh-chinh": {"vote:" + vid}}.Encode()
	form := formValues(pg.body, action)
	if form == nil {
		t.Fatalf("no correction form posting to %s:\n%s", action, text(pg.body))
	}
	if form.Get("yes") != "7" || form.Get("members") != "12" || form.Get("target") != "vote" || form.Get("id") != vid {
		t.Fatalf("correction form not pre-filled: %v", form)
	}
	// a date after the date pages open on (04/05/2024): refused, the form again
	form.Set("date", "2024-05-05")
	form.Set("reason", "Ghi nhầm số phiếu khi nhập biên bản")
	pg = c.post(action, form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "chưa đến", `id="f-correction" open`, `value="Ghi nhầm số phiếu khi nhập biên bản"`)

	form.Set("date", v.Votes[0].Date.Format(domain.DateLayout))
	form.Set("yes", "9")
	form.Set("no", "2")
	pg = c.post(action, form)
	if pg.status != http.StatusSeeOther || pg.header.Get("Location") != link+"?da=dinh-chinh" {
		t.Fatalf("correction: %d %q %s", pg.status, pg.header.Get("Location"), text(pg.body))
	}
	pg = c.get(pg.header.Get("Location"))
	wantIn(t, pg, "Đã đính chính", `id="stage">Chi bộ đã đề nghị kết nạp`, "Đã đính chính", "Số tán thành: 7 → 9", "Kết quả: không đạt → đạt",
		"Ghi nhầm số phiếu khi nhập biên bản", "bithu-a", "9 <small>(không: 2")
}

// The verification's and the transfer's receipts on the page: recorded
// beside the request (the reply's term then counts from it) and for the
// latest transfer (the board's); until then the deadline is marked as
// counted from a stand-in date. A vote below its threshold is on the
// board's list of decisions with the conclusion's form.
func TestCasePageReceiptsAndTheDecisionsList(t *testing.T) {
	e := newEnv(t)
	e.tree()
	d := domain.Day
	p := e.person("Trần Văn Bảo", "kp-a", domain.StageSource, d(1999, 4, 4))
	cs := e.openCase(p, "kp-a", d(2024, 4, 1))
	e.clock(d(2024, 4, 22))
	cs = e.ok(e.svc.RequestVerification(e.sys, cs.ID, service.VerificationInput{Subject: "father", Addressee: "Đảng ủy xã Ea Phê",
		SentOn: d(2024, 4, 22), Version: cs.Version}))
	e.clock(today)
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	link := caseLink(cs)
	pg := c.get(link)
	wantIn(t, pg, `<span class="badge provisional"`, "chưa ghi: hạn tạm tính từ ngày gửi", "tạm tính từ ngày gửi")
	form := formValues(pg.body, link+"/nhan-yeu-cau")
	if form == nil {
		t.Fatal("no receipt form")
	}
	form.Set("date", "2024-04-25")
	pg = c.post(link+"/nhan-yeu-cau", form)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("receipt: %d %s", pg.status, text(pg.body))
	}
	pg = c.get(link)
	wantIn(t, pg, "25/04/2024", "nhận ngày 25/04/2024")
	if strings.Contains(pg.body, `<span class="badge provisional"`) {
		t.Error("the reply's term is still marked as provisional")
	}

	// a failed vote on the organizer's list of decisions, with the conclusion's form
	q := e.person("Lê Thị Cúc", "kp-a", domain.StageSource, d(1998, 5, 5))
	failed := e.drive(q, "kp-a", d(2024, 1, 2), domain.CaseVoteFailed)
	e.clock(today)
	e.user("tochuc", domain.RoleOrganizer, "kp")
	o := e.client()
	o.login("tochuc")
	pg = o.get("/ho-so/quyet-dinh")
	wantIn(t, pg, `id="case-`+strconv.FormatInt(failed.ID, 10)+`"`, "Biểu quyết không đạt", "Ghi kết luận về biểu quyết không đạt")
	if formValues(pg.body, caseLink(failed)+"/ket-luan") == nil {
		t.Error("no conclusion form on the list")
	}
	pg = o.get("/viec-can-lam?kind=vote_conclusion&days=120")
	wantIn(t, pg, "Kết luận về biểu quyết không đạt", "Lê Thị Cúc")
}
