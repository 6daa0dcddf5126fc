package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// A candidate over 60 needs the provincial standing committee's written
// consent (QĐ24 §1.1.2, HD06 §1.1); a ceremony later than 30 working days
// after the decision was received needs the superior committee's consent
// (QĐ24 §4.1), recorded as an exception by an organizer; the failing
// verdict stays visible with its exception.
func TestCaseLateCeremonyWithConsentAndException(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	_, orgCtx := mkUser(t, w.svc, w.ctx, "bantochuc", domain.RoleOrganizer, "huyen")
	p := w.person("cb-thpt", domain.StageSource, day(1962, 6, 1))
	c := w.dossier(p, day(2023, 9, 1), 2)
	w.clock(2023, 11, 15)
	_, err := w.svc.Vote(secCtx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 11, 15), 9, c.Version))
	refused(t, err, rules.RuleAge)
	_, err = w.svc.RecordConsent(secCtx, c.ID, service.ConsentInput{Kind: "over_60", Number: "112-CV/TU", Date: day(2023, 11, 10), Version: c.Version})
	wantErr(t, err, domain.EForbidden)
	c = w.must(w.svc.RecordConsent(orgCtx, c.ID, service.ConsentInput{Kind: "over_60", Number: "112-CV/TU", Date: day(2023, 11, 10), Version: c.Version}))
	c = w.must(w.svc.Vote(secCtx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 11, 15), 9, c.Version)))

	w.clock(2024, 1, 5)
	c = w.must(w.svc.Decide(orgCtx, c.ID, domain.PurposeAdmission, decision("140-QĐ/HU", day(2024, 1, 3), dayp(2024, 1, 5), 5, c.Version)))
	// 30 working days from 05/01/2024 skip the five days of Tết: 23/02/2024.
	if v := w.view(c.ID); v.NextDue == nil || v.NextDue.Format(domain.DateLayout) != "2024-02-23" {
		t.Errorf("ceremony due %v, want 2024-02-23", v.NextDue)
	}
	w.clock(2024, 3, 1)
	_, err = w.svc.HoldCeremony(secCtx, c.ID, service.CeremonyInput{Date: day(2024, 3, 1), Version: c.Version})
	refused(t, err, rules.RuleCeremonyDeadline)
	if v := verdict(t, w.view(c.ID), rules.RuleCeremonyDeadline); v.OK || v.Exception != nil {
		t.Errorf("overdue ceremony verdict %+v; want failing without exception", v)
	}
	exc := service.ExceptionInput{Rule: rules.RuleCeremonyDeadline, Reason: "Đảng ủy cấp trên đồng ý tổ chức muộn (Công văn 45-CV/HU ngày 20/02/2024)", Version: c.Version}
	_, err = w.svc.RecordException(secCtx, c.ID, exc)
	wantErr(t, err, domain.EForbidden)
	_, err = w.svc.RecordException(orgCtx, c.ID, service.ExceptionInput{Rule: rules.RuleChapterVote, Reason: exc.Reason, Version: c.Version})
	wantErr(t, err, domain.EInvalid)
	c = w.must(w.svc.RecordException(orgCtx, c.ID, exc))
	c = w.must(w.svc.HoldCeremony(secCtx, c.ID, service.CeremonyInput{Date: day(2024, 3, 1), Version: c.Version}))
	v := verdict(t, w.view(c.ID), rules.RuleCeremonyDeadline)
	if v.OK || v.Exception == nil || v.Exception.Username != "bantochuc" || v.Exception.Reason != exc.Reason {
		t.Errorf("ceremony verdict %+v; want failing and excepted by bantochuc", v)
	}
	if v := verdict(t, w.view(c.ID), rules.RuleAge); !v.OK || v.Source != "QĐ24 §1.1.2; HD01" {
		t.Errorf("age verdict with the consent %+v", v)
	}
}

// A candidate who moves before the chapter's resolution: the destination
// assigns a helper and the introducers' 12-month condition is waived
// (HD06 §3.9a); the destination's chapter votes, its ladder applies, and
// progress counts the admission there.
func TestCaseTransferBetweenChapters(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thon1", domain.RoleSecretary, "cb-thon1")
	p := w.person("cb-thon1", domain.StageSource, day(1998, 4, 4))
	c := w.dossier(p, day(2023, 2, 1), 0)
	for _, months := range []int{5, 7} {
		m := w.member("cb-thon1")
		c = w.must(w.svc.AddIntroducer(w.ctx, c.ID, service.IntroducerInput{PersonID: m.ID, MonthsTogether: months, Version: c.Version}))
	}
	w.clock(2023, 4, 10)
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 10), 9, c.Version))
	refused(t, err, rules.RuleIntroducers)

	_, err = w.svc.TransferCase(secCtx, c.ID, service.TransferInput{ToOrgCode: "cb-thpt", Date: day(2023, 4, 10), Version: c.Version})
	wantErr(t, err, domain.EForbidden)
	c = w.must(w.svc.TransferCase(w.ctx, c.ID, service.TransferInput{ToOrgCode: "cb-thpt", Date: day(2023, 4, 10),
		Reason: "Chuyển công tác về Trường THPT Lê Hồng Phong", Version: c.Version}))
	v := w.view(c.ID)
	if v.Org.Code != "cb-thpt" || v.Helper != nil || v.NextAction != "Phân công đảng viên chính thức giúp đỡ quần chúng" {
		t.Errorf("after the transfer: org %s helper %v next %q", v.Org.Code, v.Helper, v.NextAction)
	}
	for _, x := range v.Introducers {
		if !x.Waived || x.WaiverReason == "" {
			t.Errorf("introducer %d not waived: %+v", x.PersonID, x.CaseIntroducer)
		}
	}
	if pv, _ := w.svc.Person(w.ctx, p.ID, false); pv.Org.Code != "cb-thpt" {
		t.Errorf("the person is still at %s", pv.Org.Code)
	}
	// The old chapter's secretary no longer sees the case.
	if _, err := w.svc.Case(secCtx, c.ID); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("old chapter's secretary: %v, want 403", err)
	}
	c = w.must(w.svc.AssignHelper(w.ctx, c.ID, service.HelperInput{PersonID: w.member("cb-thpt").ID, Version: c.Version}))
	// The introducers stay members of the chapter the candidate left: the
	// vote is refused until the board records the exception the candidate's
	// move grounds (HD06 §3.9a; the 2021 guidance alike).
	w.clock(2023, 4, 24)
	_, err = w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 24), 9, c.Version))
	if r := refused(t, err, rules.RuleSameChapter); !strings.Contains(r.Error(), "sinh hoạt ở Chi bộ thôn 1") {
		t.Errorf("refusal %v", r)
	}
	c = w.must(w.svc.RecordException(w.ctx, c.ID, service.ExceptionInput{Rule: rules.RuleSameChapter, Version: c.Version,
		Reason: "Người vào Đảng chuyển sinh hoạt về Chi bộ Trường THPT Lê Hồng Phong; giữ giấy giới thiệu của đảng viên chi bộ thôn 1 (HD01, như HD06 §3.9a)"}))
	if sv := verdict(t, w.view(c.ID), rules.RuleSameChapter); sv.OK || sv.Exception == nil || !sv.Waivable {
		t.Errorf("same chapter after the exception: %+v", sv)
	}
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 24), 9, c.Version)))
	if iv := verdict(t, w.view(c.ID), rules.RuleIntroducers); !iv.OK || iv.Source != "Điều lệ Đ.4; QĐ24 §3.1–3.2; QĐ24 §3.2.2; HD01" {
		t.Errorf("introducers with the waiver: %+v", iv)
	}
	w.clock(2023, 5, 15)
	if c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("130-QĐ/HU", day(2023, 5, 15), nil, 5, c.Version))); c.Stage != domain.CaseDecided {
		t.Fatalf("stage %s after the decision", c.Stage)
	}
	pr := prog(t, w.svc, w.ctx, "huyen", 2023, day(2023, 12, 31))
	for _, ch := range pr.Children {
		want := 0
		if ch.Code == "cb-thpt" {
			want = 1
		}
		if ch.Admitted != want {
			t.Errorf("%s counts %d admissions, want %d", ch.Code, ch.Admitted, want)
		}
	}
}

// A probationary member struck off by the same ladder (Điều lệ Đ.5,
// HD06 §4.6): the chapter ≥ 2/3, the decision > 1/2. The admission still
// counts in its year; the membership ends.
func TestCaseStruckOffProbationaryMember(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(1995, 1, 1))
	c := w.dossier(p, day(2023, 1, 3), 2)
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version)))
	w.clock(2023, 5, 4)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("120-QĐ/HU", day(2023, 5, 4), dayp(2023, 5, 4), 6, c.Version)))
	c = w.must(w.svc.HoldCeremony(w.ctx, c.ID, service.CeremonyInput{Date: day(2023, 5, 4), Version: c.Version}))
	w.clock(2024, 1, 15)
	// 8 of 12 with nobody excluded is exactly 2/3: the chapter resolves.
	in := chapterVote(day(2024, 1, 15), 8, c.Version)
	in.Excluded, in.Present, in.No = 0, 12, 4
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeStrikeOff, in))
	if c.Stage != domain.CaseStrikeOffVote {
		t.Fatalf("stage %s after the chapter's vote to strike off", c.Stage)
	}
	// 3 of 7 is not more than half: the member stays on probation.
	w.clock(2024, 2, 1)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeStrikeOff, decision("20-QĐ/HU", day(2024, 2, 1), nil, 3, c.Version)))
	if c.Stage != domain.CaseProbation {
		t.Fatalf("stage %s after 3/7; want probation", c.Stage)
	}
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeStrikeOff, chapterVote(day(2024, 2, 1), 10, c.Version)))
	w.clock(2024, 2, 20)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeStrikeOff, decision("25-QĐ/HU", day(2024, 2, 20), nil, 5, c.Version)))
	if c.Stage != domain.CaseStruckOff || !c.Closed() {
		t.Fatalf("stage %s; want struck off and closed", c.Stage)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	m := pv.Memberships[0]
	if pv.Stage != domain.StageStruckOff || m.Status != domain.StageStruckOff || m.EndDate == nil || m.EndDate.Format(domain.DateLayout) != "2024-02-20" {
		t.Errorf("person %s membership %+v", pv.Stage, m)
	}
	if got := prog(t, w.svc, w.ctx, "huyen", 2023, day(2023, 12, 31)); got.Admitted != 1 {
		t.Errorf("the 2023 admission counts %d, want 1", got.Admitted)
	}
	v := w.view(c.ID)
	if n := len(v.Votes); n != 6 {
		t.Errorf("%d votes recorded, want 6 (admission 2, strike-off 4)", n)
	}
}

// Re-admission (QĐ24 §3.5): at least 36 months after leaving, the
// provincial consent before the decision, probation again; the person has
// two memberships.
func TestCaseReadmission(t *testing.T) {
	w := newCaseWorld(t)
	w.clock(2023, 1, 2)
	former := func() *domain.Person {
		p := w.person("cb-thpt", domain.StageSource, day(1985, 5, 5))
		if _, err := w.svc.RecordMembership(w.ctx, p.ID, service.MembershipInput{DecisionNo: "45-QĐ/HU", DecisionDate: day(2010, 5, 5), DecidedByCode: "huyen",
			CeremonyDate: dayp(2010, 5, 20), Status: domain.StageStruckOff}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	readmit := func(p *domain.Person, left string) *service.CaseView {
		l, _ := domain.ParseISODate("left", left)
		w.clock(2023, 1, 9)
		c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, HelperID: w.member("cb-thpt").ID,
			Readmission: &service.ReadmissionInput{LeftOn: l, Ground: string(rules.GroundStruckOff)}}))
		if c.Kind != domain.CaseReadmission {
			t.Fatalf("kind %s", c.Kind)
		}
		return c
	}
	recent := former()
	c := readmit(recent, "2021-06-01")
	c = w.complete(c, "cb-thpt", day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version))
	refused(t, err, rules.RuleReadmissionWait)

	p := former()
	c = readmit(p, "2018-03-01")
	c = w.complete(c, "cb-thpt", day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version)))
	w.clock(2023, 5, 4)
	_, err = w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("121-QĐ/HU", day(2023, 5, 4), nil, 6, c.Version))
	refused(t, err, rules.RuleConsent)
	c = w.must(w.svc.RecordConsent(w.ctx, c.ID, service.ConsentInput{Kind: "readmission", Number: "98-CV/TU", Date: day(2023, 4, 28), Version: c.Version}))
	if c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("121-QĐ/HU", day(2023, 5, 4), nil, 6, c.Version))); c.Kind != domain.CaseReadmission {
		t.Errorf("kind %s", c.Kind)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if pv.Stage != domain.StageProbationary || len(pv.Memberships) != 2 || pv.Memberships[1].DecisionNo != "121-QĐ/HU" {
		t.Errorf("person %s memberships %+v; want probationary with two admissions", pv.Stage, pv.Memberships)
	}
	cases, err := w.svc.PersonCases(w.ctx, p.ID)
	if err != nil || len(cases) != 1 {
		t.Errorf("PersonCases: %v %v", cases, err)
	}
}

// The awareness certificate a training class issued is the case's
// certificate (HD06 §3.1, valid 60 months until the chapter vote, §5.4b):
// a case picks it up without typing it again; another person's
// certificate cannot be recorded.
func TestCaseUsesTheClassCertificate(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-9", day(2024, 3, 4), "xa-a")
	ls := w.enrol(t, c, w.people(t, "a1", domain.StageSource, 25))
	w.open(t, c, "")
	w.attend(t, c, nil)
	var in []service.ResultInput
	for _, l := range ls {
		in = append(in, service.ResultInput{LearnerID: l.ID, Score1: sc(750), Score2: sc(800), Version: w.learner(t, c.ID, l.ID).Version})
	}
	if err := w.svc.SaveResults(w.trainer, c.ID, in); err != nil {
		t.Fatal(err)
	}
	if err := finish(w, c, day(2024, 3, 8)); err != nil {
		t.Fatal(err)
	}
	certs, err := w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 20), "")
	if err != nil {
		t.Fatal(err)
	}
	k := certs[0]
	cs, err := w.svc.OpenCase(w.sys, service.OpenCaseInput{PersonID: k.PersonID})
	if err != nil {
		t.Fatal(err)
	}
	v, err := w.svc.Case(w.sys, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.CertificateID != k.ID || v.CertificateNo != k.Number || !v.CertificateDate.Equal(k.Issued) {
		t.Errorf("case certificate %d %q %v; want the class's %d %q", v.CertificateID, v.CertificateNo, v.CertificateDate, k.ID, k.Number)
	}
	if cv := verdict(t, v, rules.RuleCertificate); !cv.OK {
		t.Errorf("certificate verdict %+v", cv)
	}
	_, err = w.svc.RecordCertificate(w.sys, cs.ID, service.CertificateInput{CertificateID: certs[1].ID, Version: v.Version})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "certificate_id" {
		t.Errorf("another person's certificate: %+v", e)
	}
}

// A case opened before the class: issuing the certificate links it to the
// stored case at once, so lists and todo pages (which read the stored
// columns) are current without waiting for the case's next step.
func TestIssuingCertificatesRefreshesOpenCases(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-8", day(2024, 3, 4), "xa-a")
	ls := w.enrol(t, c, w.people(t, "a1", domain.StageSource, 25))
	_, err := w.svc.OpenCase(w.sys, service.OpenCaseInput{PersonID: ls[0].PersonID})
	if err != nil {
		t.Fatal(err)
	}
	stored := func() *domain.Case {
		list, err := w.svc.PersonCases(w.sys, ls[0].PersonID)
		if err != nil || len(list) != 1 {
			t.Fatalf("PersonCases: %v %v", list, err)
		}
		return list[0]
	}
	before := stored()
	w.open(t, c, "")
	w.attend(t, c, nil)
	var in []service.ResultInput
	for _, l := range ls {
		in = append(in, service.ResultInput{LearnerID: l.ID, Score1: sc(700), Score2: sc(700), Version: w.learner(t, c.ID, l.ID).Version})
	}
	if err := w.svc.SaveResults(w.trainer, c.ID, in); err != nil {
		t.Fatal(err)
	}
	if err := finish(w, c, day(2024, 3, 8)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 20), ""); err != nil {
		t.Fatal(err)
	}
	after := stored()
	if after.CertificateID == 0 {
		t.Errorf("the stored case did not pick up the certificate")
	}
	if after.Version != before.Version {
		t.Errorf("a derived refresh changed the version (%d → %d): open pages would go stale", before.Version, after.Version)
	}
}
