package service_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

const fixReason = "Ghi nhầm khi nhập từ biên bản; đối chiếu lại bản gốc"

func strp(s string) *string { return &s }

// lastAudit is the case's latest audit record's action and detail.
func lastAudit(t *testing.T, w *caseWorld, id int64) (string, map[string]any) {
	t.Helper()
	entries, err := service.StoreOf(w.svc).AuditFor(t.Context(), "case", id, 1)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit of case %d: %v %v", id, entries, err)
	}
	var detail map[string]any
	if err := json.Unmarshal([]byte(entries[0].Detail), &detail); err != nil {
		t.Fatalf("audit detail %q: %v", entries[0].Detail, err)
	}
	return entries[0].Action, detail
}

// The list date typed after the fact is corrected in place (issue 11):
// re-judged (after the birth, before the dossier, not after the date
// pages open on), with the reason, who, when, the old and the new value
// on the case's timeline and in the audit log; the version moves on.
func TestCorrectTheListDate(t *testing.T) {
	w := newCaseWorld(t)
	sec, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	w.clock(2024, 6, 1)
	c := w.must(w.svc.OpenCase(secCtx, service.OpenCaseInput{PersonID: p.ID, OpenedOn: day(2024, 6, 1), HelperID: w.member("cb-thpt").ID}))
	c = w.must(w.svc.OpenDossier(secCtx, c.ID, service.DateInput{Date: day(2024, 6, 1), Version: c.Version}))

	fix := func(d time.Time, reason string) service.CorrectionInput {
		return service.CorrectionInput{Target: domain.CorrectOpened, Date: &d, Reason: reason, Version: c.Version}
	}
	for _, bad := range []struct {
		in    service.CorrectionInput
		field string
	}{
		{fix(day(2024, 6, 2), fixReason), "date"},  // after the date pages open on
		{fix(day(2024, 6, 1), fixReason), ""},      // nothing changes
		{fix(day(2024, 3, 1), "nhầm"), "reason"},   // no real reason
		{fix(day(2000, 12, 1), fixReason), "date"}, // before the birth
	} {
		_, err := w.svc.CorrectCase(secCtx, c.ID, bad.in)
		if e := wantErr(t, err, domain.EInvalid); e.Field != bad.field {
			t.Errorf("%+v: field %q (%s); want %q", bad.in, e.Field, e.Message, bad.field)
		}
	}
	// the dossier was opened on 1/6: the list cannot come after it
	c = w.must(w.svc.CorrectCase(secCtx, c.ID, fix(day(2024, 3, 1), fixReason)))
	if !c.OpenedOn.Equal(day(2024, 3, 1)) {
		t.Fatalf("list date %s after the correction", c.OpenedOn)
	}
	v := w.view(c.ID)
	if len(v.Corrections) != 1 {
		t.Fatalf("corrections %+v", v.Corrections)
	}
	x := v.Corrections[0]
	if x.Username != sec.Username || x.UserID != sec.ID || x.Reason != fixReason || len(x.Changes) != 1 ||
		x.Changes[0].Old != "2024-06-01" || x.Changes[0].New != "2024-03-01" || !x.At.Equal(w.svc.Now()) {
		t.Errorf("correction %+v", x)
	}
	if tl := timelineText(v); !strings.Contains(tl, "Đính chính ngày đưa vào danh sách cảm tình Đảng: Ngày đưa vào danh sách: 01/06/2024 → 01/03/2024. Lý do: "+fixReason+" (bithu.thpt)") {
		t.Errorf("timeline:\n%s", tl)
	}
	action, detail := lastAudit(t, w, c.ID)
	changes, _ := detail["changes"].([]any)
	if action != "correction" || detail["reason"] != fixReason || len(changes) != 1 {
		t.Fatalf("audit %s %v", action, detail)
	}
	if ch := changes[0].(map[string]any); ch["old"] != "2024-06-01" || ch["new"] != "2024-03-01" || ch["field"] != "opened_on" {
		t.Errorf("audit change %v", ch)
	}
	// a stale page is a conflict, as for every step
	_, err := w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectOpened, Date: dayp(2024, 2, 1), Reason: fixReason, Version: c.Version - 1})
	wantErr(t, err, domain.EConflict)
	_, err = w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectDossier, Date: dayp(2024, 2, 1), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid) // the dossier before the list
}

// A chapter vote's figures typed wrong are corrected: the vote is counted
// again (Điều lệ Đ.4) and the case follows: 7 of 11 was really 9 of 11,
// the resolution passes and the decision's term replaces the deciding
// body's conclusion; back to 7, it fails again. Once the committee voted
// on it, its result cannot change. A secretary corrects the chapter's
// vote, not the committee's.
func TestCorrectAVotesFigures(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thon1", domain.RoleSecretary, "cb-thon1")
	p := w.person("cb-thon1", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 3, 1), 2)
	w.clock(2023, 5, 10)
	c = w.must(w.svc.Vote(secCtx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 5, 10), 7, c.Version)))
	if c.Stage != domain.CaseVoteFailed {
		t.Fatalf("stage %s after 7 of 11", c.Stage)
	}
	vid := w.view(c.ID).Votes[0].ID
	c = w.must(w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: vid, Yes: intp(9), No: intp(2),
		Reason: fixReason, Version: c.Version}))
	v := w.view(c.ID)
	if v.Stage != domain.CaseChapterVoted || !v.Votes[0].Passed || v.Votes[0].Yes != 9 || v.NextOwner != domain.OwnerCommittee {
		t.Fatalf("after 9 of 11: stage %s vote %+v next %q (%s)", v.Stage, v.Votes[0], v.NextAction, v.NextOwner)
	}
	if d := deadlineOf(t, v, domain.DeadlineDecision); d.Due.Format(domain.DateLayout) != addWorkdays(t, w.svc, day(2023, 5, 10), 60) {
		t.Errorf("decision due %s", d.Due)
	}
	if got := v.Corrections[0].Changes; len(got) != 3 || got[0].Field != "yes" || got[2].Field != "passed" || got[2].New != "đạt" {
		t.Errorf("changes %+v; want yes, no and the result", got)
	}
	c = w.must(w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: vid, Yes: intp(7), No: intp(4),
		Reason: fixReason, Version: c.Version}))
	if v := w.view(c.ID); v.Stage != domain.CaseVoteFailed || len(v.Deadlines) != 1 || v.Deadlines[0].Kind != domain.DeadlineConclusion {
		t.Fatalf("back to 7 of 11: stage %s deadlines %+v", v.Stage, v.Deadlines)
	}
	// figures that do not add up are refused as when first recorded
	_, err := w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: vid, Yes: intp(12), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid)

	c = w.must(w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: vid, Yes: intp(10), No: intp(1),
		Reason: fixReason, Version: c.Version}))
	w.clock(2023, 5, 20)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, committeeVote(day(2023, 5, 19), 8, c.Version)))
	_, err = w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: vid, Yes: intp(6), No: intp(5),
		Reason: fixReason, Version: c.Version})
	if e := wantErr(t, err, domain.EInvalid); !strings.Contains(e.Message, "các bước sau") {
		t.Errorf("flipping a vote the committee voted on: %v", e)
	}
	cid := w.view(c.ID).Votes[1].ID
	_, err = w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: cid, Number: strp("12-NQ/ĐU"), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EForbidden)
	_, err = w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: cid, Date: dayp(2023, 5, 9), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid) // before the chapter's resolution
	c = w.must(w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: cid, Number: strp("12-NQ/ĐU"), Reason: fixReason, Version: c.Version}))
	if v := w.view(c.ID); v.Votes[1].Number != "12-NQ/ĐU" || v.Stage != domain.CaseCommitteeVoted {
		t.Errorf("committee vote %+v stage %s", v.Votes[1], v.Stage)
	}
}

// A corrected chapter resolution is judged again on the candidate's
// conditions: moved to a date when the candidate was not yet 18 (QĐ24
// §1.1), it is refused and nothing changes.
func TestCorrectedVoteIsJudgedAgain(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2005, 3, 20))
	c := w.dossier(p, day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 3, 30), 9, c.Version)))
	vid := w.view(c.ID).Votes[0].ID
	_, err := w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: vid, Date: dayp(2023, 3, 15),
		Reason: fixReason, Version: c.Version})
	refused(t, err, rules.RuleAge)
	if v := w.view(c.ID); !v.Votes[0].Date.Equal(day(2023, 3, 30)) || v.Version != c.Version || len(v.Corrections) != 0 {
		t.Errorf("a refused correction wrote: vote %+v version %d corrections %d", v.Votes[0], v.Version, len(v.Corrections))
	}
}

// The decision's date corrected moves the admission in the progress count
// (the membership is the decision's), judged against its term; the
// ceremony's date corrected moves the probation's end and the recognition
// vote's due date, judged against the ceremony's term.
func TestCorrectTheDecisionAndTheCeremony(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	p := w.person("cb-thpt", domain.StageSource, day(2000, 1, 1))
	c := w.dossier(p, day(2023, 9, 1), 2)
	w.clock(2023, 12, 1)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 12, 1), 10, c.Version)))
	w.clock(2024, 1, 10)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("140-QĐ/HU", day(2023, 12, 28), nil, 5, c.Version)))
	if got := prog(t, w.svc, w.ctx, "huyen", 2023, day(2023, 12, 31)); got.Admitted != 1 {
		t.Fatalf("2023 counts %d", got.Admitted)
	}
	did := w.view(c.ID).Votes[1].ID
	_, err := w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: did, Date: dayp(2024, 1, 4), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EForbidden)
	c = w.must(w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: did, Date: dayp(2024, 1, 4), Reason: fixReason, Version: c.Version}))
	if got := prog(t, w.svc, w.ctx, "huyen", 2023, day(2023, 12, 31)); got.Admitted != 0 {
		t.Errorf("2023 still counts %d after the decision moved to 2024", got.Admitted)
	}
	if got := prog(t, w.svc, w.ctx, "huyen", 2024, day(2024, 1, 31)); got.Admitted != 1 {
		t.Errorf("2024 counts %d; want the decision of 4/1/2024", got.Admitted)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if m := pv.Memberships[0]; !m.DecisionDate.Equal(day(2024, 1, 4)) || c.DecisionDate == nil || !c.DecisionDate.Equal(day(2024, 1, 4)) {
		t.Errorf("membership %+v case %v", m, c.DecisionDate)
	}
	// beyond 60 + 30 working days of the chapter's resolution: refused (QĐ24 §4.3.1)
	w.clock(2024, 6, 1)
	_, err = w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: did, Date: dayp(2024, 5, 20), Reason: fixReason, Version: c.Version})
	refused(t, err, rules.RuleDecisionDeadline)

	w.clock(2024, 1, 20)
	c = w.must(w.svc.RecordDecisionReceived(secCtx, c.ID, service.DateInput{Date: day(2024, 1, 8), Version: c.Version}))
	c = w.must(w.svc.HoldCeremony(secCtx, c.ID, service.CeremonyInput{Date: day(2024, 1, 20), Version: c.Version}))
	due0 := deadlineOf(t, w.view(c.ID), domain.DeadlineRecognitionVote).Due
	c = w.must(w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectCeremony, Date: dayp(2024, 1, 19), Reason: fixReason, Version: c.Version}))
	v := w.view(c.ID)
	if due1 := deadlineOf(t, v, domain.DeadlineRecognitionVote).Due; !due1.Before(due0) || !strings.Contains(v.Deadlines[0].Label, "19/01/2025") {
		t.Errorf("recognition vote due %s (was %s): %+v", due1, due0, v.Deadlines)
	}
	pv, _ = w.svc.Person(w.ctx, p.ID, false)
	if m := pv.Memberships[0]; m.CeremonyDate == nil || !m.CeremonyDate.Equal(day(2024, 1, 19)) {
		t.Errorf("membership ceremony %v", m.CeremonyDate)
	}
	// the decision received later: the ceremony of 19/1 comes before it
	_, err = w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectReceived, Date: dayp(2024, 1, 25), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid)
	// received on 8/1 was typed for 28/11: before the decision of 4/1
	_, err = w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectReceived, Date: dayp(2023, 11, 28), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid)
}

// A verification's dates and a transfer's, corrected: the reply's due
// date follows the corrected receipt; a reply moved after the chapter's
// resolution is refused; the transfer's receipt moves the destination's
// term; a secretary does not correct a transfer.
func TestCorrectVerificationAndTransferDates(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 1, 3), 2)
	w.clock(2023, 3, 1)
	c = w.must(w.svc.RequestVerification(secCtx, c.ID, service.VerificationInput{Subject: "father", Addressee: "Đảng ủy xã Ea Phê",
		SentOn: day(2023, 2, 27), ReceivedOn: dayp(2023, 2, 28), Version: c.Version}))
	x := w.view(c.ID).Verifications[1]
	c = w.must(w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVerification, ID: x.ID, Received: dayp(2023, 3, 1),
		Reason: fixReason, Version: c.Version}))
	v := w.view(c.ID)
	if got, want := v.Verifications[1].Due.Format(domain.DateLayout), addWorkdays(t, w.svc, day(2023, 3, 1), 30); got != want {
		t.Errorf("reply due %s after the corrected receipt; want %s", got, want)
	}
	c = w.must(w.svc.RecordVerificationReply(secCtx, c.ID, x.ID, service.ReplyInput{Date: day(2023, 3, 1), Result: "Lý lịch khai đúng", Version: c.Version}))
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(secCtx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version)))
	_, err := w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectVerification, ID: x.ID, Replied: dayp(2023, 4, 4),
		Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid)

	w.clock(2023, 4, 20)
	c = w.must(w.svc.TransferCase(w.ctx, c.ID, service.TransferInput{ToOrgCode: "cb-thon1", Date: day(2023, 4, 10), Received: dayp(2023, 4, 12), Version: c.Version}))
	tr := w.view(c.ID).Transfers[0]
	_, err = w.svc.CorrectCase(secCtx, c.ID, service.CorrectionInput{Target: domain.CorrectTransfer, ID: tr.ID, Received: dayp(2023, 4, 14), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EForbidden) // the case left the secretary's chapter, and a transfer is the board's
	_, err = w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectTransfer, Date: dayp(2023, 4, 2), Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid) // before the chapter's resolution it was recorded after
	_, err = w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: w.view(c.ID).Votes[0].ID, Date: dayp(2023, 4, 11),
		Reason: fixReason, Version: c.Version})
	if e := wantErr(t, err, domain.EInvalid); !strings.Contains(e.Message, "chuyển sinh hoạt") {
		t.Errorf("the chapter's resolution moved past the transfer it preceded: %v", e)
	}
	c = w.must(w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectTransfer, Received: dayp(2023, 4, 14), Reason: fixReason, Version: c.Version}))
	if d := deadlineOf(t, w.view(c.ID), domain.DeadlineTransfer); d.Due.Format(domain.DateLayout) != addWorkdays(t, w.svc, day(2023, 4, 14), 30) {
		t.Errorf("transfer term %+v after the corrected receipt", d)
	}
}

// A document's number and date are corrected; a date after the chapter's
// resolution is refused.
func TestCorrectADocument(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 1, 3), 2)
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version)))
	_, err := w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectDocument, Kind: rules.FormApplication, Date: dayp(2023, 4, 4),
		Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid)
	_, err = w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectDocument, Kind: rules.FormSelfReview, Date: dayp(2023, 3, 4),
		Reason: fixReason, Version: c.Version})
	wantErr(t, err, domain.EInvalid) // not on file
	c = w.must(w.svc.CorrectCase(w.ctx, c.ID, service.CorrectionInput{Target: domain.CorrectDocument, Kind: rules.FormApplication, Number: strp("Đơn 01"),
		Date: dayp(2023, 2, 10), Reason: fixReason, Version: c.Version}))
	for _, d := range w.view(c.ID).Documents {
		if d.Kind == rules.FormApplication && (d.Number != "Đơn 01" || !d.Date.Equal(day(2023, 2, 10))) {
			t.Errorf("application %+v", d)
		}
	}
}
