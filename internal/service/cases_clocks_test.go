package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// deadlineOf returns the case's pending deadline of the kind.
func deadlineOf(t *testing.T, v *service.CaseView, kind string) service.DeadlineView {
	t.Helper()
	for _, d := range v.Deadlines {
		if d.Kind == kind {
			return d
		}
	}
	t.Fatalf("no %s deadline among %+v", kind, v.Deadlines)
	return service.DeadlineView{}
}

// A verification reply is due 30 working days from the day the committee
// asked received the request (HD06 §3.4, admission-rules §3.2 C4): while
// no receipt is recorded the term counts from the sending and says so;
// the receipt, recorded later as its own step (or with the request),
// moves it.
func TestVerificationReplyCountsFromTheReceipt(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 3, 1), 2)
	w.clock(2023, 5, 2)
	c = w.must(w.svc.RequestVerification(secCtx, c.ID, service.VerificationInput{Subject: "father", Addressee: "Đảng ủy xã Ea Phê",
		SentOn: day(2023, 5, 2), Version: c.Version}))
	v := w.view(c.ID)
	x := v.Verifications[1]
	d := deadlineOf(t, v, domain.DeadlineVerification)
	if want := addWorkdays(t, w.svc, day(2023, 5, 2), 30); d.Due.Format(domain.DateLayout) != want || !d.Provisional ||
		!strings.Contains(d.Label, "chưa ghi ngày nhận yêu cầu") || !strings.Contains(d.Label, "tạm tính từ ngày gửi") {
		t.Errorf("without a receipt: %+v; want due %s from the sending, flagged", d, want)
	}

	w.clock(2023, 5, 12)
	_, err := w.svc.RecordVerificationReceipt(secCtx, c.ID, x.ID, service.DateInput{Date: day(2023, 4, 30), Version: c.Version})
	wantErr(t, err, domain.EInvalid) // before the sending
	_, err = w.svc.RecordVerificationReceipt(secCtx, c.ID, x.ID, service.DateInput{Date: day(2023, 5, 13), Version: c.Version})
	wantErr(t, err, domain.EInvalid) // not yet
	c = w.must(w.svc.RecordVerificationReceipt(secCtx, c.ID, x.ID, service.DateInput{Date: day(2023, 5, 10), Version: c.Version}))
	v = w.view(c.ID)
	d = deadlineOf(t, v, domain.DeadlineVerification)
	if want := addWorkdays(t, w.svc, day(2023, 5, 10), 30); d.Due.Format(domain.DateLayout) != want || d.Provisional ||
		!strings.Contains(d.Label, "nhận ngày 10/05/2023") || v.Verifications[1].Due.Format(domain.DateLayout) != want {
		t.Errorf("with the receipt: %+v (stored due %s); want due %s from the receipt", d, v.Verifications[1].Due, want)
	}
	_, err = w.svc.RecordVerificationReceipt(secCtx, c.ID, x.ID, service.DateInput{Date: day(2023, 5, 11), Version: c.Version})
	wantErr(t, err, domain.EInvalid) // recorded already: a correction changes it

	// abroad, received with the request: 90 working days from the receipt
	c = w.must(w.svc.RequestVerification(secCtx, c.ID, service.VerificationInput{Subject: "mother", Addressee: "Đảng ủy Bộ Ngoại giao",
		SentOn: day(2023, 5, 11), ReceivedOn: dayp(2023, 5, 12), Abroad: true, Version: c.Version}))
	if got, want := w.view(c.ID).Verifications[2].Due.Format(domain.DateLayout), addWorkdays(t, w.svc, day(2023, 5, 12), 90); got != want {
		t.Errorf("abroad reply due %s; want %s", got, want)
	}
}

// The ceremony is due 30 working days from the chapter's receipt of the
// decision (QĐ294 §4.1); without a recorded receipt, from the decision's
// date, flagged.
func TestCeremonyCountsFromTheReceiptOfTheDecision(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 1, 3), 2)
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version)))
	w.clock(2023, 5, 4)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("120-QĐ/HU", day(2023, 5, 4), nil, 6, c.Version)))
	d := deadlineOf(t, w.view(c.ID), domain.DeadlineCeremony)
	if want := addWorkdays(t, w.svc, day(2023, 5, 4), 30); d.Due.Format(domain.DateLayout) != want || !d.Provisional ||
		!strings.Contains(d.Label, "chưa ghi ngày chi bộ nhận quyết định nên tạm tính từ ngày quyết định") {
		t.Errorf("without a receipt: %+v; want due %s from the decision, flagged", d, want)
	}
	w.clock(2023, 5, 15)
	c = w.must(w.svc.RecordDecisionReceived(w.ctx, c.ID, service.DateInput{Date: day(2023, 5, 15), Version: c.Version}))
	d = deadlineOf(t, w.view(c.ID), domain.DeadlineCeremony)
	if want := addWorkdays(t, w.svc, day(2023, 5, 15), 30); d.Due.Format(domain.DateLayout) != want || d.Provisional ||
		strings.Contains(d.Label, "tạm tính") {
		t.Errorf("with the receipt: %+v; want due %s from it", d, want)
	}
}

// A dossier transferred after the chapter's resolution is decided at the
// destination within 30 working days of its receipt there (HD06 §3.9):
// recorded with the transfer or later by the board, flagged while absent.
func TestTransferredDossierCountsFromItsReceipt(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "cb-thpt")
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	c := w.dossier(p, day(2023, 1, 3), 2)
	w.clock(2023, 4, 3)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version)))
	w.clock(2023, 4, 10)
	c = w.must(w.svc.TransferCase(w.ctx, c.ID, service.TransferInput{ToOrgCode: "cb-thon1", Date: day(2023, 4, 10), Version: c.Version}))
	d := deadlineOf(t, w.view(c.ID), domain.DeadlineTransfer)
	if want := addWorkdays(t, w.svc, day(2023, 4, 10), 30); d.Due.Format(domain.DateLayout) != want || !d.Provisional ||
		!strings.Contains(d.Label, "chưa ghi ngày nơi đến nhận hồ sơ") {
		t.Errorf("without a receipt: %+v; want due %s from the transfer, flagged", d, want)
	}
	w.clock(2023, 4, 20)
	_, err := w.svc.RecordTransferReceipt(secCtx, c.ID, service.DateInput{Date: day(2023, 4, 17), Version: c.Version})
	wantErr(t, err, domain.EForbidden) // the destination's committee records it
	_, err = w.svc.RecordTransferReceipt(w.ctx, c.ID, service.DateInput{Date: day(2023, 4, 7), Version: c.Version})
	wantErr(t, err, domain.EInvalid) // before the transfer
	c = w.must(w.svc.RecordTransferReceipt(w.ctx, c.ID, service.DateInput{Date: day(2023, 4, 17), Version: c.Version}))
	v := w.view(c.ID)
	d = deadlineOf(t, v, domain.DeadlineTransfer)
	if want := addWorkdays(t, w.svc, day(2023, 4, 17), 30); d.Due.Format(domain.DateLayout) != want || d.Provisional ||
		!strings.Contains(d.Label, "nơi đến nhận hồ sơ ngày 17/04/2023") {
		t.Errorf("with the receipt: %+v; want due %s from it", d, want)
	}
	if v.Transfers[0].ReceivedOn == nil || !strings.Contains(timelineText(v), "nhận hồ sơ chuyển đến") {
		t.Errorf("the receipt is not on the case: %+v", v.Transfers[0])
	}

	// recorded with the transfer
	q := w.person("cb-thpt", domain.StageSource, day(2000, 2, 2))
	c2 := w.dossier(q, day(2023, 1, 3), 2)
	w.clock(2023, 4, 20)
	c2 = w.must(w.svc.Vote(w.ctx, c2.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c2.Version)))
	c2 = w.must(w.svc.TransferCase(w.ctx, c2.ID, service.TransferInput{ToOrgCode: "cb-thon1", Date: day(2023, 4, 10), Received: dayp(2023, 4, 12),
		Version: c2.Version}))
	if d := deadlineOf(t, w.view(c2.ID), domain.DeadlineTransfer); d.Provisional || d.Due.Format(domain.DateLayout) != addWorkdays(t, w.svc, day(2023, 4, 12), 30) {
		t.Errorf("received with the transfer: %+v", d)
	}
}

func timelineText(v *service.CaseView) string {
	var b strings.Builder
	for _, e := range v.Timeline {
		b.WriteString(e.Date.Format(domain.DateLayout) + " " + e.What + "\n")
	}
	return b.String()
}

// No step may be dated after the date pages open on: the demo's date in
// the demo (DOMAIN §9), whatever the real clock says; today elsewhere.
func TestStepsAreDatedUpToTheDatePagesOpenOn(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2001, 1, 1))
	w.clock(2026, 12, 7) // the real clock, long after the demo's date
	if err := w.svc.MarkDemo(w.ctx, day(2024, 5, 4)); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, OpenedOn: day(2024, 6, 1), HelperID: w.member("cb-thpt").ID})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "opened_on" || !strings.Contains(e.Message, "01/06/2024") {
		t.Errorf("list date after the demo's date: %+v", e)
	}
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, OpenedOn: day(2024, 3, 1), HelperID: w.member("cb-thpt").ID}))
	_, err = w.svc.OpenDossier(w.ctx, c.ID, service.DateInput{Date: day(2024, 5, 5), Version: c.Version})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "date" {
		t.Errorf("a step after the demo's date: %+v", e)
	}
	c = w.must(w.svc.OpenDossier(w.ctx, c.ID, service.DateInput{Date: day(2024, 5, 4), Version: c.Version}))
	if c.DossierOpened == nil || !c.DossierOpened.Equal(day(2024, 5, 4)) {
		t.Errorf("dossier %v; want the demo's date accepted", c.DossierOpened)
	}
}
