package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// caseForms drives a case through the candidate page's own forms.
type caseForms struct {
	t    *testing.T
	e    *env
	c    *client
	link string
}

// submit fills the form of the action as the page shows it, with the
// fields set, posts it and expects the case page back with the notice.
func (f *caseForms) submit(action string, fields map[string]string) {
	f.t.Helper()
	p := f.c.get(f.link)
	form := formValues(p.body, f.link+"/"+action)
	if form == nil {
		f.t.Fatalf("no form %s on the page; text:\n%s", action, text(p.body))
	}
	for k, v := range fields {
		form.Set(k, v)
	}
	p = f.c.post(f.link+"/"+action, form)
	if p.status != http.StatusSeeOther {
		f.t.Fatalf("%s: %d\n%s", action, p.status, text(p.body))
	}
}

func (f *caseForms) at(d time.Time) string {
	f.e.clock(d)
	return d.Format(domain.DateLayout)
}

// TestCaseForms records every step of a case under a grassroots
// committee through the page's forms, from the source list to
// recognition, and the closing steps on other cases.
func TestCaseForms(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.committeeTree()
	p := e.person("Nông Văn Dền", "kp-xa-1", domain.StageSource, domain.Day(1999, 12, 12))
	e.clock(domain.Day(2022, 3, 1))
	cs := e.ok(e.svc.OpenCase(e.sys, service.OpenCaseInput{PersonID: p, OpenedOn: domain.Day(2022, 3, 1)}))
	helper, in1, in2 := e.member("kp-xa-1"), e.member("kp-xa-1"), e.member("kp-a")
	e.user("tochuc", domain.RoleOrganizer, "kp")
	c := e.client()
	c.login("tochuc")
	f := &caseForms{t: t, e: e, c: c, link: caseLink(cs)}
	d := domain.Day
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	f.submit("dieu-kien", map[string]string{"hardship_area": "1"})
	f.submit("giup-do", map[string]string{"person_id": id(helper)})
	f.submit("chung-nhan", map[string]string{"number": "NT-22-001", "date": f.at(d(2022, 3, 20))})
	f.submit("lap-ho-so", map[string]string{"date": f.at(d(2022, 4, 1))})
	for _, k := range []string{"application", "personal_history", "opinions"} {
		f.submit("van-ban", map[string]string{"kind": k, "date": f.at(d(2022, 4, 4))})
	}
	f.submit("tham-tra", map[string]string{"subject": "father", "addressee": "Đảng ủy xã Hòa Đông", "sent_on": f.at(d(2022, 4, 5))})
	v, err := e.svc.Case(e.sys, cs.ID)
	if err != nil || len(v.Verifications) != 1 {
		t.Fatalf("verification: %v %v", v, err)
	}
	f.submit("tham-tra/"+id(v.Verifications[0].ID)+"/tra-loi", map[string]string{"date": f.at(d(2022, 4, 20)), "result": "Gia đình chấp hành tốt"})
	f.submit("gioi-thieu", map[string]string{"person_id": id(in1), "months_together": "24", "letter_date": f.at(d(2022, 4, 21))})
	// an introducer of another chapter, once the board records the exception
	// to the same-chapter rule (QĐ24 §3.4.1)
	f.submit("ngoai-le", map[string]string{"rule": "same_chapter", "reason": "Đảng ủy giao Chi bộ Ấp Một cử đảng viên giới thiệu (QĐ24 §3.4.1)"})
	f.submit("gioi-thieu", map[string]string{"other_id": id(in2), "months_together": "13", "letter_date": "2022-04-21"})
	f.submit("dong-y", map[string]string{"kind": "political", "number": "45-CV/TU", "date": f.at(d(2022, 4, 22))})
	f.submit("ngoai-le", map[string]string{"rule": "consent", "reason": "Ban Thường vụ Tỉnh ủy cho phép theo văn bản 45-CV/TU"})
	f.submit("tam-dung", map[string]string{"date": "2022-04-22", "reason": "Đi tập huấn hai tuần"})
	f.submit("tiep-tuc", nil)
	votes := map[string]string{"number": "NQ-1", "members": "15", "excluded": "2", "present": "13", "yes": "12", "no": "1"}
	votes["date"] = f.at(d(2022, 5, 5))
	f.submit("bieu-quyet", votes) // the chapter
	votes["level"], votes["number"], votes["members"], votes["excluded"], votes["present"], votes["yes"], votes["no"] = "committee", "NQ-ĐU-1", "9", "0", "9", "8", "1"
	votes["date"] = f.at(d(2022, 5, 12))
	f.submit("bieu-quyet", votes) // the grassroots committee
	dec := map[string]string{"number": "301-QĐ/HU", "date": f.at(d(2022, 6, 1)), "members": "7", "present": "7", "yes": "6", "no": "1"}
	f.submit("quyet-dinh", dec)
	f.submit("nhan-quyet-dinh", map[string]string{"date": f.at(d(2022, 6, 3))})
	f.submit("le-ket-nap", map[string]string{"date": f.at(d(2022, 6, 20)), "helper_id": id(in1)})
	for _, k := range []string{"new_member_certificate", "self_review", "helper_assessment", "probation_opinions"} {
		f.submit("van-ban", map[string]string{"kind": k, "date": f.at(d(2023, 6, 20))})
	}
	votes = map[string]string{"number": "NQ-CN", "date": f.at(d(2023, 6, 26)), "members": "15", "excluded": "1", "present": "14", "yes": "14", "no": "0"}
	pg := c.get(f.link)
	wantIn(t, pg, `id="f-recognition-vote"`, `id="f-strike-off-vote"`)
	form := formValues(pg.body[:strings.Index(pg.body, `id="f-strike-off-vote"`)], f.link+"/bieu-quyet") // the recognition form comes first
	for k, x := range votes {
		form.Set(k, x)
	}
	if pg = c.post(f.link+"/bieu-quyet", form); pg.status != http.StatusSeeOther {
		t.Fatalf("recognition vote: %d %s", pg.status, text(pg.body))
	}
	votes = map[string]string{"level": "committee", "number": "NQ-ĐU-CN", "date": f.at(d(2023, 7, 3)), "members": "9", "present": "9", "yes": "9", "no": "0"}
	f.submit("bieu-quyet", votes)
	f.submit("quyet-dinh", map[string]string{"number": "77-QĐ/HU", "date": f.at(d(2023, 7, 20)), "members": "7", "present": "7", "yes": "7", "no": "0"})
	e.clock(today)
	pg = c.get(f.link)
	wantIn(t, pg, `id="stage">Đã công nhận đảng viên chính thức`, "Công nhận đảng viên chính thức từ ngày 20/06/2023", "Hòa Đông",
		"Gia đình chấp hành tốt", "45-CV/TU", "Ngoại lệ — Văn bản đồng ý của Ban Thường vụ Tỉnh ủy", "NQ-ĐU-CN")

	// Transfer, withdrawal, refusal on other cases.
	for _, st := range []struct{ action, stage string }{{"chuyen", ""}, {"rut", domain.CaseWithdrawn}, {"khong-ket-nap", domain.CaseRefused}} {
		other := e.openCase(e.person("Người "+st.action, "kp-a", domain.StageSource, d(2000, 1, 1)), "kp-a", d(2024, 4, 1))
		e.clock(today)
		g := &caseForms{t: t, e: e, c: c, link: caseLink(other)}
		g.submit(st.action, map[string]string{"to": "kp-b", "date": "2024-05-02", "reason": "Chuyển công tác về buôn Hai"})
		v, err := e.svc.Case(e.sys, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.stage != "" && v.Stage != st.stage || st.stage == "" && v.Org.Code != "kp-b" {
			t.Errorf("%s: stage %s at %s", st.action, v.Stage, v.Org.Code)
		}
	}
}
