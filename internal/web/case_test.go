package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// The admission procedure's pages, over cases driven through the real
// service and store. The tree is e.tree(): a district (kp) deciding for
// its grassroots chapters kp-a, kp-b and kp-c (chapter → decision); the
// clock is moved to each step's date and back to 04/05/2024.

// today is the day the pages are looked at.
var today = domain.Day(2024, 5, 4)

// clock sets the service's clock to 10:00 in Vietnam on the day.
func (e *env) clock(d time.Time) {
	at := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, domain.Vietnam)
	e.svc.Now = func() time.Time { return at }
}

// person creates a person of the unit: a source, or for a member stage a
// source whose admission decision (by the unit's topmost committee, 25
// years after birth; recognised a year later for an official member) is
// recorded from paper.
func (e *env) person(name, org, stage string, birth time.Time) int64 {
	e.t.Helper()
	p, err := e.svc.CreatePerson(e.sys, service.PersonInput{FullName: name, BirthDate: birth, Sex: domain.Male,
		Ethnicity: "01", Religion: "none", Education: "upper_secondary", OrgCode: org, Stage: domain.StageSource})
	if err != nil {
		e.t.Fatal(err)
	}
	switch stage {
	case domain.StageSource:
	case domain.StageProbationary, domain.StageOfficial:
		o, err := e.svc.Org(e.sys, org)
		if err != nil {
			e.t.Fatal(err)
		}
		up, err := e.svc.Ancestors(e.sys, o)
		if err != nil {
			e.t.Fatal(err)
		}
		decided := birth.AddDate(25, 0, 0)
		m := service.MembershipInput{DecisionNo: fmt.Sprintf("%d-QĐ", p.ID), DecisionDate: decided, DecidedByCode: up[0].Code}
		if stage == domain.StageOfficial {
			cer, rec := decided.AddDate(0, 0, 10), decided.AddDate(1, 0, 10)
			m.CeremonyDate, m.RecognitionDate = &cer, &rec
		}
		e.must(e.svc.RecordMembership(e.sys, p.ID, m))
	default:
		e.t.Fatalf("person at stage %s: only sources and members", stage)
	}
	return p.ID
}

var memberSeq int

// member creates an official member of the unit.
func (e *env) member(org string) int64 {
	memberSeq++
	return e.person(fmt.Sprintf("Đảng viên Số %d", memberSeq), org, domain.StageOfficial, domain.Day(1975, 1, 1))
}

// ok fails the test on a refused step and returns the case.
func (e *env) ok(c *service.CaseView, err error) *service.CaseView {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("step refused: %v", err)
	}
	return c
}

// openCase opens the case of a source of the chapter on the day, with a helper.
func (e *env) openCase(person int64, org string, on time.Time) *service.CaseView {
	e.t.Helper()
	e.clock(on)
	return e.ok(e.svc.OpenCase(e.sys, service.OpenCaseInput{PersonID: person, OpenedOn: on, HelperID: e.member(org)}))
}

// dossier completes the dossier of an open case from start on, over 61
// days: certificate, dossier opened, application, personal history
// verified, opinions, two introducers.
func (e *env) dossier(c *service.CaseView, org string, start time.Time) *service.CaseView {
	e.t.Helper()
	at := func(days int) time.Time {
		d := start.AddDate(0, 0, days)
		e.clock(d)
		return d
	}
	c = e.ok(e.svc.RecordCertificate(e.sys, c.ID, service.CertificateInput{Number: "GCN-" + strconv.FormatInt(c.ID, 10), Date: at(1), Version: c.Version}))
	c = e.ok(e.svc.OpenDossier(e.sys, c.ID, service.DateInput{Date: at(10), Version: c.Version}))
	for _, k := range []string{rules.FormApplication, rules.FormPersonalHistory} {
		c = e.ok(e.svc.RecordDocument(e.sys, c.ID, service.DocumentInput{Kind: k, Date: at(11), Version: c.Version}))
	}
	c = e.ok(e.svc.RequestVerification(e.sys, c.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Hòa An",
		SentOn: at(12), Version: c.Version}))
	v, err := e.svc.Case(e.sys, c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	c = e.ok(e.svc.RecordVerificationReply(e.sys, c.ID, v.Verifications[0].ID, service.ReplyInput{Date: at(30),
		Result: "Lý lịch khai đúng", Version: c.Version}))
	c = e.ok(e.svc.RecordDocument(e.sys, c.ID, service.DocumentInput{Kind: rules.FormOpinions, Date: at(31), Version: c.Version}))
	for range 2 {
		letter := start
		c = e.ok(e.svc.AddIntroducer(e.sys, c.ID, service.IntroducerInput{PersonID: e.member(org), MonthsTogether: 14, LetterDate: &letter,
			Version: c.Version}))
	}
	return c
}

// vote is a vote of a 12-member chapter (1 excluded) with yes in favour.
func vote(level string, date time.Time, yes int, version int64) service.VoteInput {
	return service.VoteInput{Level: level, Date: date, Number: "NQ-" + date.Format("0102"), Members: 12, Excluded: 1,
		Present: 11, Yes: yes, No: 11 - yes, Version: version}
}

// decision is a decision of a 7-member standing committee with yes in favour.
func decision(no string, date time.Time, received *time.Time, yes int, version int64) service.DecisionInput {
	return service.DecisionInput{Number: no, Date: date, Received: received, Members: 7, Present: 7, Yes: yes, No: 7 - yes, Version: version}
}

func TestCaseList(t *testing.T) {
	e := newEnv(t)
	_, inB := e.tree()
	d := domain.Day
	dat := e.person("Phạm Văn Đạt", "kp-a", domain.StageSource, d(1999, 4, 4))
	dung := e.person("Hoàng Văn Dũng", "kp-a", domain.StageSource, d(2001, 5, 5))
	e.openCase(dat, "kp-a", d(2023, 12, 1))
	late := e.openCase(dung, "kp-a", d(2023, 12, 1))
	e.clock(d(2024, 1, 2))
	e.ok(e.svc.RequestVerification(e.sys, late.ID, service.VerificationInput{Subject: "father", Addressee: "Đảng ủy xã Ea Phê",
		SentOn: d(2024, 1, 2), Version: late.Version})) // due in February: overdue by May
	bCase := e.openCase(inB, "kp-b", d(2024, 2, 1))
	e.clock(today)

	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	p := c.get("/ho-so")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Hoàng Văn Dũng", "Phạm Văn Đạt", "Có 2 hồ sơ", "Cử quần chúng đi học lớp bồi dưỡng nhận thức về Đảng", `href="/ho-so/hop-chi-bo"`,
		`aria-current="page">Hồ sơ kết nạp`)
	if strings.Contains(p.body, "Bhim") {
		t.Error("a case of another chapter is listed")
	}
	// Vietnamese order: by given name, D before Đ.
	if i, j := strings.Index(p.body, "Hoàng Văn Dũng"), strings.Index(p.body, "Phạm Văn Đạt"); i > j {
		t.Errorf("Dũng at %d after Đạt at %d", i, j)
	}
	// Search without diacritics, within the scope only.
	p = c.get("/ho-so?q=" + url.QueryEscape("pham van dat"))
	wantIn(t, p, "Phạm Văn Đạt", "Có 1 hồ sơ")
	p = c.get("/ho-so?q=" + url.QueryEscape("y bhim"))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Không có hồ sơ nào")
	// The overdue filter and its highlight.
	p = c.get("/ho-so?overdue=1")
	wantIn(t, p, "Hoàng Văn Dũng", "Có 1 hồ sơ", `class="overdue"`, "Quá hạn")
	// By stage.
	wantIn(t, c.get("/ho-so?stage=dossier"), "Không có hồ sơ nào")
	wantIn(t, c.get("/ho-so?stage=source"), "Có 2 hồ sơ")
	// Another chapter is out of reach.
	p = c.get("/ho-so?org=kp-b")
	wantStatus(t, p, http.StatusForbidden)
	wantIn(t, p, "Bạn không có quyền xem đơn vị này")
	_ = bCase

	// An organizer of the district sees all three, and pages of 50.
	for i := range 50 {
		e.clock(d(2024, 3, 1))
		e.openCase(e.person(fmt.Sprintf("Vũ Văn Thứ %02d", i), "kp-c", domain.StageSource, d(2000, 1, 1)), "kp-c", d(2024, 3, 1))
	}
	e.clock(today)
	e.user("tochuc", domain.RoleOrganizer, "kp")
	o := e.client()
	o.login("tochuc")
	p = o.get("/ho-so")
	wantIn(t, p, "Có 53 hồ sơ, trang 1/2", `rel="next" href="/ho-so?page=2"`)
	p = o.get("/ho-so?page=2")
	wantIn(t, p, "trang 2/2", `rel="prev"`)
	if n := len(regexp.MustCompile(`<a href="/ho-so/\d+">`).FindAllString(p.body, -1)); n != 3 {
		t.Errorf("page 2 lists %d cases, want 3", n)
	}
	wantIn(t, o.get("/ho-so?org=kp-b"), "Y Bhim Niê", "Có 1 hồ sơ")
}
