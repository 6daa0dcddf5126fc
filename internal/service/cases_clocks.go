package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// Each clock starts where the reference starts it (issue 11, item 4):
//   - a verification reply: 30 / 90 working days from the day the
//     committee asked received the request (HD06 §3.4, admission-rules
//     §3.2 C4); while no receipt is recorded, from the sending date, and
//     the deadline says so;
//   - the ceremony: 30 working days from the day the chapter received the
//     decision (QĐ294 §4.1); while none is recorded, from the decision's
//     date, flagged (cases_next.go awaitingCeremony);
//   - a transferred dossier: the destination decides within 30 working
//     days of its receipt (HD06 §3.9); while none is recorded, from the
//     transfer's date, flagged.
// A receipt is recorded with its step (the request, the decision, the
// transfer) or later as a step of its own.

// sourceVerification is the rule of the verification reply's term.
const sourceVerification = "HD06 §3.4"

// sourceTransfer is the rule of a transferred dossier's term.
const sourceTransfer = "HD06 §3.9"

// TransferDecisionDays is the destination's term to decide on a
// transferred dossier, in working days from its receipt (HD06 §3.9).
const TransferDecisionDays = 30

// verificationDue is the reply's due date of a request: its working days
// from the receipt, or from the sending while no receipt is recorded.
func (st *caseState) verificationDue(x *domain.CaseVerification) (time.Time, error) {
	anchor, _ := x.ReplyAnchor()
	due, err := st.cal.AddWorkdays(anchor, x.ReplyDays())
	if err != nil {
		field := "sent_on"
		if x.ReceivedOn != nil {
			field = "received_on"
		}
		return time.Time{}, calendarErr(field, err)
	}
	return due, nil
}

// verificationDeadlines adds the replies still awaited, each counted from
// its receipt, or flagged as counted from the sending.
func (pl *casePlan) verificationDeadlines(st *caseState) {
	for _, v := range st.pendingVerifications() {
		label := fmt.Sprintf("Trả lời thẩm tra lý lịch (%s) của %s, gửi ngày %s", lowerInitial(subjectName(v.Subject)), v.Addressee, vn.Date(v.SentOn))
		if v.ReceivedOn != nil {
			label += fmt.Sprintf(", nhận ngày %s: %d ngày làm việc kể từ ngày nhận yêu cầu (%s)", vn.Date(*v.ReceivedOn), v.ReplyDays(), sourceVerification)
		} else {
			label += fmt.Sprintf("; chưa ghi ngày nhận yêu cầu nên %d ngày làm việc tạm tính từ ngày gửi (%s: tính từ ngày nhận)", v.ReplyDays(), sourceVerification)
		}
		pl.deadline(domain.DeadlineVerification, v.Due, nil, domain.OwnerVerifier, label)
		pl.Deadlines[len(pl.Deadlines)-1].Provisional = v.ReceivedOn == nil
	}
}

// transferDeadline adds the destination's term to decide on a dossier
// transferred after the chapter's resolution: 30 working days from its
// receipt, or flagged as counted from the transfer's date.
func (pl *casePlan) transferDeadline(st *caseState, t *domain.CaseTransfer) error {
	anchor, what := t.Date, "chưa ghi ngày nơi đến nhận hồ sơ nên tạm tính từ ngày chuyển"
	if t.ReceivedOn != nil {
		anchor, what = *t.ReceivedOn, "nơi đến nhận hồ sơ ngày "+vn.Date(*t.ReceivedOn)
	}
	end, err := st.cal.AddWorkdays(anchor, TransferDecisionDays)
	if err != nil {
		return calendarErr("date", err)
	}
	pl.deadline(domain.DeadlineTransfer, end, nil, domain.OwnerBoard, fmt.Sprintf("Hồ sơ chuyển đến ngày %s, %s: cấp ủy nơi đến xem xét, quyết định trong %d ngày làm việc kể từ ngày nhận hồ sơ (%s)",
		vn.Date(t.Date), what, TransferDecisionDays, sourceTransfer))
	pl.Deadlines[len(pl.Deadlines)-1].Provisional = t.ReceivedOn == nil
	return nil
}

// checkReceipt checks a receipt's date: not after the date pages open on,
// not before the day it was sent.
func (st *caseState) checkReceipt(field string, received time.Time, sent time.Time, what string) error {
	if err := st.dated(field, received); err != nil {
		return err
	}
	return notBefore(field, received, &sent, what)
}

// RecordVerificationReceipt records the day the committee asked received
// a verification request: its reply is due 30 (abroad 90) working days
// after (HD06 §3.4).
func (s *Service) RecordVerificationReceipt(ctx context.Context, id, verificationID int64, in DateInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "verification_received", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			i := slices.IndexFunc(st.parts.Verifications, func(v *domain.CaseVerification) bool { return v.ID == verificationID })
			if i < 0 {
				return nil, domain.Errorf(domain.ENotFound, "Không tìm thấy yêu cầu thẩm tra số %d của hồ sơ", verificationID)
			}
			v := st.parts.Verifications[i]
			if v.ReceivedOn != nil {
				return nil, domain.FieldError("date", "Đã ghi ngày nhận yêu cầu (%s); nếu ghi nhầm, hãy đính chính", vn.Date(*v.ReceivedOn))
			}
			if err := st.checkReceipt("date", in.Date, v.SentOn, "ngày gửi yêu cầu"); err != nil {
				return nil, err
			}
			if v.RepliedOn != nil && in.Date.After(*v.RepliedOn) {
				return nil, domain.FieldError("date", "Ngày nhận yêu cầu %s sau ngày trả lời (%s)", vn.Date(in.Date), vn.Date(*v.RepliedOn))
			}
			received := in.Date
			v.ReceivedOn = &received
			due, err := st.verificationDue(v)
			if err != nil {
				return nil, err
			}
			v.Due = due
			return map[string]any{"verification": verificationID, "received_on": received, "due": due}, s.store.UpdateVerification(ctx, v)
		}})
}

// RecordTransferReceipt records the day the destination received the
// dossier of the case's latest transfer: a dossier resolved on before it
// moved is decided within 30 working days after (HD06 §3.9).
func (s *Service) RecordTransferReceipt(ctx context.Context, id int64, in DateInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "transfer_received", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			t := st.lastTransfer()
			if t == nil {
				return nil, domain.Errorf(domain.EInvalid, "Hồ sơ chưa chuyển sinh hoạt lần nào")
			}
			if t.ReceivedOn != nil {
				return nil, domain.FieldError("date", "Đã ghi ngày nơi đến nhận hồ sơ (%s); nếu ghi nhầm, hãy đính chính", vn.Date(*t.ReceivedOn))
			}
			if err := st.checkReceipt("date", in.Date, t.Date, "ngày chuyển"); err != nil {
				return nil, err
			}
			received := in.Date
			t.ReceivedOn = &received
			return map[string]any{"transfer": t.ID, "received_on": received}, s.store.UpdateTransfer(ctx, t)
		}})
}
