package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// A first admission from the source pool to recognition, at a school's
// grassroots chapter directly under the district (chapter → BTV huyện ủy,
// admission-rules §9.2), under the 2021 rules (QĐ24, HD01): chapter ≥ 2/3
// (Điều lệ Đ.4), decision > 1/2 within 60 working days (QĐ24 §4.3.1),
// ceremony within 30 working days of receipt (QĐ24 §4.1), 12 months of
// probation (Điều lệ Đ.5), recognition effective on the 12-month date
// (QĐ24 §4.2). Progress counts the decision where the chapter is.
func TestCaseFirstAdmissionToRecognition(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2004, 9, 1))
	c := w.dossier(p, day(2023, 1, 9), 2)
	if c.Stage != domain.CaseDossier {
		t.Fatalf("stage %s after the dossier, want dossier", c.Stage)
	}
	if v := w.view(c.ID); v.NextOwner != domain.OwnerChapter || v.NextAction != "Chi bộ họp xét, biểu quyết đề nghị kết nạp" {
		t.Errorf("next step %q (%s), want the chapter's vote", v.NextAction, v.NextOwner)
	}

	w.clock(2023, 4, 20)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 20), 8, c.Version))) // 8 of 11 counted ≥ 2/3
	if c.Stage != domain.CaseChapterVoted || c.RulesID != "2021" {
		t.Fatalf("after the chapter vote: stage %s rules %q", c.Stage, c.RulesID)
	}
	v := w.view(c.ID)
	if v.Committee || v.Subcommittee || v.Decider == nil || v.Decider.Code != "huyen" {
		t.Errorf("ladder: committee %v sub %v decider %v; want chapter → huyện ủy", v.Committee, v.Subcommittee, v.Decider)
	}
	// 60 working days after 20/04/2023, without 1/5 and the days off
	// for Hùng Kings' day and 30/4 moved to 2–3/5 (calendar 2023).
	if v.NextOwner != domain.OwnerBoard || v.NextDue == nil || v.NextDue.Format(domain.DateLayout) != "2023-07-18" {
		t.Errorf("next %q owner %s due %v; want the board by 2023-07-18", v.NextAction, v.NextOwner, v.NextDue)
	}

	w.clock(2023, 6, 15)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("125-QĐ/HU", day(2023, 6, 12), dayp(2023, 6, 14), 5, c.Version)))
	if c.Stage != domain.CaseDecided || c.MembershipID == 0 {
		t.Fatalf("after the decision: stage %s membership %d", c.Stage, c.MembershipID)
	}
	pv, err := w.svc.Person(w.ctx, p.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Stage != domain.StageProbationary || len(pv.Memberships) != 1 || pv.Memberships[0].DecisionNo != "125-QĐ/HU" {
		t.Fatalf("person after the decision: %s %+v", pv.Stage, pv.Memberships)
	}
	if got := prog(t, w.svc, w.ctx, "huyen", 2023, day(2023, 12, 31)); got.Admitted != 1 {
		t.Errorf("progress 2023 counts %d admissions, want the decision recorded through the case", got.Admitted)
	}

	w.clock(2023, 7, 3)
	c = w.must(w.svc.HoldCeremony(w.ctx, c.ID, service.CeremonyInput{Date: day(2023, 7, 3), Version: c.Version}))
	if c.Stage != domain.CaseProbation {
		t.Fatalf("stage %s after the ceremony", c.Stage)
	}
	// Recognition before probation ends is refused (QĐ24 §4.2).
	w.clock(2024, 6, 1)
	_, err = w.svc.Vote(w.ctx, c.ID, domain.PurposeRecognition, chapterVote(day(2024, 6, 1), 10, c.Version))
	refused(t, err, rules.RuleRecognitionVote)

	w.clock(2024, 7, 8)
	for _, k := range []string{domain.DocNewMemberCertificate, rules.FormSelfReview, rules.FormHelperAssessment, rules.FormProbationOpinions} {
		c = w.must(w.svc.RecordDocument(w.ctx, c.ID, service.DocumentInput{Kind: k, Date: day(2024, 7, 5), Version: c.Version}))
	}
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeRecognition, chapterVote(day(2024, 7, 8), 11, c.Version)))
	if c.Stage != domain.CaseRecognitionVote {
		t.Fatalf("stage %s after the recognition vote", c.Stage)
	}
	w.clock(2024, 7, 25)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeRecognition, decision("310-QĐ/HU", day(2024, 7, 25), nil, 6, c.Version)))
	if c.Stage != domain.CaseOfficial || !c.Closed() {
		t.Fatalf("after recognition: stage %s closed %v", c.Stage, c.ClosedOn)
	}
	pv, _ = w.svc.Person(w.ctx, p.ID, false)
	m := pv.Memberships[0]
	if pv.Stage != domain.StageOfficial || m.Status != domain.StageOfficial || m.RecognitionDate == nil ||
		m.RecognitionDate.Format(domain.DateLayout) != "2024-07-03" || m.CeremonyDate.Format(domain.DateLayout) != "2023-07-03" {
		t.Errorf("person %s membership %+v; want official from 2024-07-03, the 12-month date", pv.Stage, m)
	}
	v = w.view(c.ID)
	if v.NextAction != "" || len(v.Deadlines) != 0 {
		t.Errorf("a closed case still has next steps: %q %v", v.NextAction, v.Deadlines)
	}
	for _, it := range v.Checklist {
		if it.Needed && !it.Done {
			t.Errorf("checklist item %s (%s) not done", it.Name, it.Code)
		}
	}
	if _, err := w.svc.AssignHelper(w.ctx, c.ID, service.HelperInput{PersonID: v.Helper.ID, Version: c.Version}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("changing a closed case: %v, want a conflict", err)
	}
}

// A Youth Union member of youth age where a Youth Union exists is
// introduced by the Youth Union's resolution plus one official member
// (Điều lệ Đ.4 k.2, QĐ24 §3.1); a village chapter under a grassroots
// committee goes through the committee's vote (≥ 2/3 of its members,
// HD06 §3.6c) before the decision.
func TestCaseYouthUnionPath(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thon1", domain.StageSource, day(2003, 2, 1), func(in *service.PersonInput) { in.YouthUnion = true })
	c := w.dossier(p, day(2023, 2, 6), 1)
	c = w.must(w.svc.SetCaseFacts(w.ctx, c.ID, service.CaseFactsInput{YouthUnionExists: new(true), Version: c.Version}))
	w.clock(2023, 4, 20)

	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 10), 9, c.Version))
	r := refused(t, err, rules.RuleIntroducers)
	if len(r.Checks) != 1 {
		t.Errorf("only the introducers should fail: %+v", r.Checks)
	}
	c = w.must(w.svc.RecordDocument(w.ctx, c.ID, service.DocumentInput{Kind: rules.FormYouthUnionResolution, Number: "05-NQ/ĐTN",
		Date: day(2023, 4, 7), Version: c.Version}))
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 10), 9, c.Version)))
	if v := verdict(t, w.view(c.ID), rules.RuleIntroducers); !v.OK {
		t.Errorf("introducers after the Youth Union resolution: %+v", v)
	}
	if v := w.view(c.ID); !v.Committee || v.NextOwner != domain.OwnerCommittee {
		t.Errorf("ladder committee %v, next %q (%s); want the grassroots committee's vote", v.Committee, v.NextAction, v.NextOwner)
	}
	// The decision cannot skip the committee.
	_, err = w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("7-QĐ/HU", day(2023, 4, 20), nil, 5, c.Version))
	wantErr(t, err, domain.EInvalid)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, committeeVote(day(2023, 4, 17), 6, c.Version))) // exactly 2/3
	if c.Stage != domain.CaseCommitteeVoted {
		t.Fatalf("stage %s after the committee's 6/9", c.Stage)
	}
	w.clock(2023, 5, 5)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("8-QĐ/HU", day(2023, 5, 5), nil, 4, c.Version)))
	if c.Stage != domain.CaseDecided {
		t.Fatalf("stage %s after 4/7 of the standing committee", c.Stage)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if got, _ := w.svc.OrgByID(w.ctx, pv.Memberships[0].AdmittedOrgID); got.Code != "cb-thon1" {
		t.Errorf("admitted at %s, want the case's chapter", got.Code)
	}
}

// A chapter vote below 2/3 of the official members that count (Điều lệ
// Đ.4; QĐ24 §9.3.2: the excluded member is out of the denominator) is
// recorded and its full result goes to the deciding body (HD06 §5.1): the
// case waits for the body's conclusion, which an organizer whose scope
// holds that body records; the conclusion closes the case and the
// candidate is not admitted.
func TestCaseRefusedAtTheChapterVote(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	_, orgCtx := mkUser(t, w.svc, w.ctx, "bantochuc", domain.RoleOrganizer, "huyen")
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 3, 1), 2)
	w.clock(2023, 5, 10)
	if p2, _ := w.svc.Person(w.ctx, p.ID, false); p2.Stage != domain.StageCandidate {
		t.Errorf("stage %s during the dossier, want candidate", p2.Stage)
	}
	c = w.must(w.svc.Vote(secCtx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 5, 10), 7, c.Version))) // 7 of 11 < 2/3
	if c.Stage != domain.CaseVoteFailed || c.Closed() {
		t.Fatalf("stage %s closed %v; want the failed vote awaiting the deciding body", c.Stage, c.ClosedOn)
	}
	v := w.view(c.ID)
	if len(v.Votes) != 1 || v.Votes[0].Passed || v.Votes[0].Counted() != 11 {
		t.Errorf("votes %+v; want the failed vote recorded with 11 counted", v.Votes)
	}
	// The next step is the deciding body's, due within the decision's 60
	// working days of the chapter's resolution (QĐ24 §4.3.1).
	if v.NextOwner != domain.OwnerBoard || v.NextDue == nil || !strings.Contains(v.NextAction, "7/11") ||
		!strings.Contains(v.NextAction, "Đảng bộ huyện Krông Pắc") || !strings.Contains(v.NextAction, "HD06 §5.1") {
		t.Errorf("next %q (%s, due %v); want the deciding body's conclusion", v.NextAction, v.NextOwner, v.NextDue)
	}
	if len(v.Deadlines) != 1 || v.Deadlines[0].Kind != domain.DeadlineConclusion || v.Deadlines[0].Owner != domain.OwnerBoard ||
		!v.Deadlines[0].Due.Equal(*v.NextDue) {
		t.Errorf("deadlines %+v; want the conclusion's", v.Deadlines)
	}
	if pv, _ := w.svc.Person(w.ctx, p.ID, false); pv.Stage != domain.StageCandidate {
		t.Errorf("person %s while the deciding body considers; want still a candidate", pv.Stage)
	}
	todo, err := w.svc.Todo(w.ctx, service.TodoQuery{AsOf: day(2023, 5, 11), Days: 120, Kinds: []string{domain.DeadlineConclusion}})
	if err != nil || todo.Total != 1 || todo.Items[0].CaseID != c.ID || todo.Items[0].Owner != domain.OwnerBoard {
		t.Errorf("Việc cần làm: %+v %v; want the conclusion, the board's", todo, err)
	}
	if list, err := w.svc.Cases(w.ctx, service.CaseQuery{Stages: []string{domain.CaseVoteFailed}}); err != nil || list.Total != 1 ||
		list.Cases[0].NextOwner != domain.OwnerBoard || list.Cases[0].NextAction == "" {
		t.Errorf("list at the stage: %+v %v", list, err)
	}

	w.clock(2023, 6, 2)
	in := service.ConclusionInput{Number: "15-TB/HU", Date: day(2023, 6, 1), Conclusion: "Chưa đủ điều kiện kết nạp; chi bộ tiếp tục bồi dưỡng", Version: c.Version}
	_, err = w.svc.Conclude(secCtx, c.ID, in)
	wantErr(t, err, domain.EForbidden)
	bad := in
	bad.Date = day(2023, 5, 9)
	_, err = w.svc.Conclude(orgCtx, c.ID, bad)
	wantErr(t, err, domain.EInvalid)
	c = w.must(w.svc.Conclude(orgCtx, c.ID, in))
	if c.Stage != domain.CaseRefused || !c.Closed() || c.ClosedOn.Format(domain.DateLayout) != "2023-06-01" ||
		!strings.Contains(c.CloseReason, "15-TB/HU") || !strings.Contains(c.CloseReason, "tiếp tục bồi dưỡng") {
		t.Fatalf("after the conclusion: stage %s closed %v reason %q", c.Stage, c.ClosedOn, c.CloseReason)
	}
	if v := w.view(c.ID); len(v.Deadlines) != 0 || v.NextAction != "" {
		t.Errorf("a concluded case still has %v, %q", v.Deadlines, v.NextAction)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if pv.Stage != domain.StageSource || len(pv.Memberships) != 0 {
		t.Errorf("person %s with %d memberships; want a source again, never admitted", pv.Stage, len(pv.Memberships))
	}
	// A new case may be opened for the same person later.
	w.clock(2023, 9, 1)
	if _, err := w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID}); err != nil {
		t.Errorf("a new case after the refusal: %v", err)
	}
	if _, err := w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("a second open case: %v, want a conflict", err)
	}
}

// A chapter resolution is judged under the rules in force on its date,
// even when it is recorded after they changed, and whether or not it
// reaches its threshold: one below it is recorded and ends the case under
// those rules (QĐ24 before 1/7/2025).
func TestCaseChapterVoteJudgedOnItsDate(t *testing.T) {
	w := newCaseWorld(t)
	short := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 1, 1)), day(2025, 3, 3), 1)
	failed := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 2, 2)), day(2025, 3, 3), 2)
	w.clock(2025, 7, 10) // QĐ294 in force today
	_, err := w.svc.Vote(w.ctx, short.ID, domain.PurposeAdmission, chapterVote(day(2025, 6, 27), 7, short.Version))
	if r := refused(t, err, rules.RuleIntroducers); !strings.Contains(r.Error(), "QĐ24 §3.1–3.2") {
		t.Errorf("refusal %q; want the introducer rule of QĐ24", r.Error())
	}
	c := w.must(w.svc.Vote(w.ctx, failed.ID, domain.PurposeAdmission, chapterVote(day(2025, 6, 27), 7, failed.Version)))
	if c.Stage != domain.CaseVoteFailed || c.RulesID != "2021" || len(c.Votes) != 1 || c.Votes[0].RulesID != "2021" {
		t.Errorf("after 7 of 11: stage %s rules %s votes %+v; want the failed vote under the 2021 rules", c.Stage, c.RulesID, c.Votes)
	}
	// the deciding body's term is the 2021 rules' decision term (QĐ24 §4.3.1)
	if v := w.view(c.ID); len(v.Deadlines) != 1 || !strings.Contains(v.Deadlines[0].Label, "60 ngày làm việc") ||
		!strings.Contains(v.Deadlines[0].Label, "QĐ24 §4.3.1") {
		t.Errorf("deadlines %+v; want the conclusion's under the 2021 rules", v.Deadlines)
	}
	c = w.must(w.svc.Conclude(w.ctx, c.ID, service.ConclusionInput{Number: "3-TB/HU", Date: day(2025, 7, 8),
		Conclusion: "Không kết nạp; chi bộ tiếp tục bồi dưỡng", Version: c.Version}))
	if v := w.view(c.ID); v.Stage != domain.CaseRefused || v.RulesID != "2021" {
		t.Errorf("the refused case shows %s under the rules %s, want refused under those it was judged by", v.Stage, v.RulesID)
	}
}
