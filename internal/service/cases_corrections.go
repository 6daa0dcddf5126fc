package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/vn"
)

// Correcting a step in place (issue 11, item 6): a fact typed wrong is
// corrected, not withdrawn. A correction is a step like any other
// (runStep: one transaction, the version checked once, the plan and the
// deadlines computed again from the corrected facts): it changes the
// recorded fact, judges it again by the rules the step was judged by (the
// dates in order and not after the date pages open on, the vote's
// threshold, the terms the step kept, the candidate's conditions on the
// chapter's resolution), and records who corrected what, when, the old
// and the new value and the reason, on the case's timeline and in the
// audit log. A user corrects only what their role may record: the
// chapter's facts (the list date, the dossier, its documents, the
// verification requests, the chapter's votes, the receipt of the decision,
// the ceremony) by a secretary, an organizer or an admin; those of the
// committees and the deciding body (their votes and decisions, the
// transfers) by an organizer or an admin, a decision only within the
// scope of the deciding body.

// CorrectionInput corrects one recorded fact of a case. Fields left nil
// keep their value.
type CorrectionInput struct {
	Target string // domain.Correct*
	ID     int64  // the verification, vote or transfer (0 for a transfer: the latest)
	Kind   string // the document's kind (domain.CorrectDocument)

	Date     *time.Time // the fact's own date: the list, the dossier, a document, a vote or decision, the ceremony, a transfer, a verification's sending, the receipt of the decision
	Number   *string    // a document's, vote's or decision's number
	Received *time.Time // a verification's or a transfer's receipt
	Replied  *time.Time // a verification's reply

	Members, Excluded, Present, Yes, No *int // a vote's figures

	Reason  string
	Version int64
}

// CorrectCase corrects a recorded fact of the case in place and judges it
// again; the case's plan and deadlines follow the corrected fact.
func (s *Service) CorrectCase(ctx context.Context, id int64, in CorrectionInput) (*CaseView, error) {
	var k *corrector
	return s.runStep(ctx, id, caseStep{action: "correction", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			reason := vn.Clean(in.Reason)
			if n := len([]rune(reason)); n < 10 || n > 1000 {
				return nil, domain.FieldError("reason", "Cần ghi lý do đính chính (10 đến 1000 ký tự): ghi nhầm điều gì, theo văn bản nào")
			}
			k = &corrector{s: s, ctx: ctx, st: st, in: in}
			if err := k.run(); err != nil {
				return nil, err
			}
			if len(k.changes) == 0 {
				return nil, domain.Errorf(domain.EInvalid, "Các giá trị nhập giống điều đã ghi: không có gì để đính chính")
			}
			x := &domain.CaseCorrection{CaseID: id, Target: in.Target, RecordID: k.recordID, What: k.what, Changes: k.changes,
				Reason: reason, UserID: st.me.ID, Username: st.me.Username, At: s.Now()}
			if err := s.store.AddCaseCorrection(ctx, x); err != nil {
				return nil, err
			}
			return map[string]any{"target": in.Target, "record": k.recordID, "what": k.what, "changes": k.changes, "reason": reason}, nil
		},
		withPlan: func(ctx context.Context, s *Service, st *caseState, pl *casePlan) error {
			return k.rejudge(ctx, s, pl)
		}})
}

// corrector applies one correction to the case of a step.
type corrector struct {
	s   *Service
	ctx context.Context
	st  *caseState
	in  CorrectionInput

	what     string
	recordID int64
	changes  []domain.FieldChange
	verdicts []rules.Verdict // the terms judged again, refusing when failing without exception
	// admission: the candidate's conditions on the chapter's resolution
	// are judged again on the corrected facts (with the plan)
	admission bool
}

// change notes a field's change when the value differs.
func (k *corrector) change(field, label, old, new string) {
	if old != new {
		k.changes = append(k.changes, domain.FieldChange{Field: field, Label: label, Old: old, New: new})
	}
}

func isoDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(domain.DateLayout)
}

// board refuses a correction of what only the committees and the deciding
// body record to a secretary.
func (k *corrector) board() error {
	if !mayAct(k.st.me, byBoard) {
		return domain.Errorf(domain.EForbidden, "Đây là bước do cấp ủy cấp trên ghi: chỉ cán bộ tổ chức hoặc quản trị viên được đính chính")
	}
	return nil
}

// date checks a corrected date: given, not after the date pages open on.
func (k *corrector) date(field string, d *time.Time) error {
	if d == nil {
		return nil
	}
	return k.st.dated(field, *d)
}

// run dispatches the correction to its target.
func (k *corrector) run() error {
	in := k.in
	for _, f := range []struct {
		field string
		d     *time.Time
	}{{"date", in.Date}, {"received", in.Received}, {"replied", in.Replied}} {
		if err := k.date(f.field, f.d); err != nil {
			return err
		}
	}
	switch in.Target {
	case domain.CorrectOpened:
		return k.opened()
	case domain.CorrectDossier:
		return k.dossier()
	case domain.CorrectDocument:
		return k.document()
	case domain.CorrectVerification:
		return k.verification()
	case domain.CorrectVote:
		return k.vote()
	case domain.CorrectReceived:
		return k.received()
	case domain.CorrectCeremony:
		return k.ceremony()
	case domain.CorrectTransfer:
		return k.transfer()
	}
	return domain.FieldError("target", "Không đính chính được %q (opened_on, dossier, document, verification, vote, decision_received, ceremony, transfer)", in.Target)
}

// need refuses a correction without the value it corrects.
func need[T any](p *T, field, what string) (T, error) {
	if p == nil {
		var zero T
		return zero, domain.FieldError(field, "Cần %s đã đính chính", what)
	}
	return *p, nil
}

// opened corrects the date the chapter put the candidate on the list of
// sources: after the birth (and the leaving, for a re-admission), before
// every step of the procedure.
func (k *corrector) opened() error {
	c := k.st.c
	d, err := need(k.in.Date, "date", "ngày đưa vào danh sách")
	if err != nil {
		return err
	}
	if !d.After(k.st.person.BirthDate) {
		return domain.FieldError("date", "Ngày đưa vào danh sách phải sau ngày sinh")
	}
	if c.LeftOn != nil && c.LeftOn.After(d) {
		return domain.FieldError("date", "Ngày lập hồ sơ kết nạp lại %s trước ngày ra khỏi Đảng (%s)", vn.Date(d), vn.Date(*c.LeftOn))
	}
	if first, what := k.st.firstStep(); first != nil && d.After(*first) {
		return domain.FieldError("date", "Ngày đưa vào danh sách %s sau %s (%s)", vn.Date(d), what, vn.Date(*first))
	}
	k.what = domain.CorrectionTargets[domain.CorrectOpened]
	k.change("opened_on", "Ngày đưa vào danh sách", isoDate(&c.OpenedOn), isoDate(&d))
	c.OpenedOn = d
	return nil
}

// firstStep is the earliest step of the procedure after the list: the
// dossier, a verification request, a vote, a transfer.
func (st *caseState) firstStep() (*time.Time, string) {
	var first *time.Time
	what := ""
	see := func(d *time.Time, w string) {
		if d != nil && (first == nil || d.Before(*first)) {
			first, what = d, w
		}
	}
	see(st.c.DossierOpened, "ngày lập hồ sơ")
	for _, v := range st.parts.Verifications {
		see(&v.SentOn, "ngày gửi yêu cầu thẩm tra")
	}
	for _, v := range st.parts.Votes {
		see(&v.Date, "ngày biểu quyết")
	}
	for _, t := range st.parts.Transfers {
		see(&t.Date, "ngày chuyển sinh hoạt")
	}
	return first, what
}

// dossier corrects the date the dossier was opened: after the list,
// before the chapter's resolution, whose dossier-age condition is judged
// again.
func (k *corrector) dossier() error {
	c := k.st.c
	if c.DossierOpened == nil {
		return domain.Errorf(domain.EInvalid, "Hồ sơ chưa ghi ngày lập hồ sơ: hãy ghi bước lập hồ sơ")
	}
	d, err := need(k.in.Date, "date", "ngày lập hồ sơ")
	if err != nil {
		return err
	}
	if err := notBefore("date", d, &c.OpenedOn, "ngày đưa vào danh sách cảm tình Đảng"); err != nil {
		return err
	}
	if cv := k.st.vote(domain.PurposeAdmission, domain.LevelChapter); cv != nil {
		if d.After(cv.Date) {
			return domain.FieldError("date", "Ngày lập hồ sơ %s sau ngày chi bộ biểu quyết đề nghị kết nạp (%s)", vn.Date(d), vn.Date(cv.Date))
		}
		k.admission = true
	}
	k.what = domain.CorrectionTargets[domain.CorrectDossier]
	k.change("dossier_opened", "Ngày lập hồ sơ", isoDate(c.DossierOpened), isoDate(&d))
	c.DossierOpened = &d
	return nil
}

// document corrects the number and date of a document recorded directly:
// a document of the admission dossier stays dated on or before the
// chapter's resolution, one of the recognition dossier on or before the
// chapter's resolution on recognition.
func (k *corrector) document() error {
	st := k.st
	phase, ok := documentKinds[k.in.Kind]
	x := st.doc(k.in.Kind)
	if !ok || x == nil {
		return domain.FieldError("kind", "Hồ sơ không có văn bản %q để đính chính", k.in.Kind)
	}
	nx := *x
	if k.in.Number != nil {
		nx.Number = vn.Clean(*k.in.Number)
		if len([]rune(nx.Number)) > 60 {
			return domain.FieldError("number", "Số văn bản quá dài (tối đa 60 ký tự)")
		}
	}
	if k.in.Date != nil {
		nx.Date = *k.in.Date
	}
	if v := st.vote(phase, domain.LevelChapter); v != nil && nx.Date.After(v.Date) {
		return domain.FieldError("date", "%s ngày %s sau ngày chi bộ biểu quyết (%s): văn bản của hồ sơ phải có trước khi chi bộ xét", domain.DocumentNames[x.Kind],
			vn.Date(nx.Date), vn.Date(v.Date))
	}
	k.what, k.recordID = domain.DocumentNames[x.Kind], x.ID
	k.change("number", "Số văn bản", x.Number, nx.Number)
	k.change("date", "Ngày văn bản", isoDate(&x.Date), isoDate(&nx.Date))
	if len(k.changes) == 0 {
		return nil
	}
	return k.s.store.PutDocument(k.ctx, &nx)
}

// verification corrects the sending, receipt and reply dates of a
// verification request: in that order, the reply on or before the
// chapter's resolution; the reply's due date follows the receipt.
func (k *corrector) verification() error {
	st := k.st
	i := slices.IndexFunc(st.parts.Verifications, func(v *domain.CaseVerification) bool { return v.ID == k.in.ID })
	if i < 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy yêu cầu thẩm tra số %d của hồ sơ", k.in.ID)
	}
	x := st.parts.Verifications[i]
	nx := *x
	if k.in.Date != nil {
		nx.SentOn = *k.in.Date
	}
	if k.in.Received != nil {
		nx.ReceivedOn = k.in.Received
	}
	if k.in.Replied != nil {
		if x.RepliedOn == nil {
			return domain.FieldError("replied", "Yêu cầu chưa có trả lời: hãy ghi kết quả thẩm tra")
		}
		nx.RepliedOn = k.in.Replied
	}
	if nx.ReceivedOn != nil {
		if err := notBefore("received", *nx.ReceivedOn, &nx.SentOn, "ngày gửi yêu cầu"); err != nil {
			return err
		}
	}
	if nx.RepliedOn != nil {
		anchor, _ := nx.ReplyAnchor()
		if err := notBefore("replied", *nx.RepliedOn, &anchor, "ngày gửi, nhận yêu cầu"); err != nil {
			return err
		}
		if v := st.vote(domain.PurposeAdmission, domain.LevelChapter); v != nil && nx.RepliedOn.After(v.Date) {
			return domain.FieldError("replied", "Ngày trả lời %s sau ngày chi bộ biểu quyết (%s): chi bộ xét trên lý lịch đã thẩm tra", vn.Date(*nx.RepliedOn), vn.Date(v.Date))
		}
	}
	if err := notBefore("date", nx.SentOn, &st.c.OpenedOn, "ngày đưa vào danh sách cảm tình Đảng"); err != nil {
		return err
	}
	due, err := st.verificationDue(&nx)
	if err != nil {
		return err
	}
	nx.Due = due
	k.what, k.recordID = "Yêu cầu thẩm tra lý lịch ("+lowerInitial(subjectName(x.Subject))+") gửi "+x.Addressee, x.ID
	k.change("sent_on", "Ngày gửi", isoDate(&x.SentOn), isoDate(&nx.SentOn))
	k.change("received_on", "Ngày nhận yêu cầu", isoDate(x.ReceivedOn), isoDate(nx.ReceivedOn))
	k.change("replied_on", "Ngày trả lời", isoDate(x.RepliedOn), isoDate(nx.RepliedOn))
	if len(k.changes) == 0 {
		return nil
	}
	return k.s.store.UpdateVerification(k.ctx, &nx)
}

// received corrects (or records after the ceremony) the day the chapter
// received the admission decision: on or after the decision, on or
// before the ceremony, whose term is judged again from it.
func (k *corrector) received() error {
	c := k.st.c
	if c.DecisionDate == nil {
		return domain.Errorf(domain.EInvalid, "Hồ sơ chưa có quyết định kết nạp")
	}
	d, err := need(k.in.Date, "date", "ngày chi bộ nhận quyết định")
	if err != nil {
		return err
	}
	if err := notBefore("date", d, c.DecisionDate, "ngày quyết định"); err != nil {
		return err
	}
	if c.CeremonyDate != nil && d.After(*c.CeremonyDate) {
		return domain.FieldError("date", "Ngày nhận quyết định %s sau ngày lễ kết nạp (%s)", vn.Date(d), vn.Date(*c.CeremonyDate))
	}
	k.what = domain.CorrectionTargets[domain.CorrectReceived]
	k.change("decision_received", "Ngày chi bộ nhận quyết định", isoDate(c.DecisionReceived), isoDate(&d))
	c.DecisionReceived = &d
	return k.ceremonyTimely()
}

// ceremonyTimely judges the ceremony again, when it is held: within 30
// working days of the chapter's receipt of the decision (QĐ294 §4.1).
func (k *corrector) ceremonyTimely() error {
	c, st := k.st.c, k.st
	if c.CeremonyDate == nil || c.DecisionDate == nil {
		return nil
	}
	received := c.DecisionDate
	if c.DecisionReceived != nil {
		received = c.DecisionReceived
	}
	set := rules.InForce(st.at())
	v, err := rules.CeremonyTimely(&set, st.cal, *received, c.CeremonyDate, st.today)
	if err != nil {
		return calendarErr("date", err)
	}
	k.verdicts = append(k.verdicts, v)
	return nil
}

// ceremony corrects the ceremony's date: on or after the receipt of the
// decision, within its term; the probation counts from it, so the
// chapter's votes on recognition or striking off stay after it, and on
// recognition after the probation's end.
func (k *corrector) ceremony() error {
	c, st := k.st.c, k.st
	if c.CeremonyDate == nil {
		return domain.Errorf(domain.EInvalid, "Hồ sơ chưa ghi lễ kết nạp")
	}
	d, err := need(k.in.Date, "date", "ngày lễ kết nạp")
	if err != nil {
		return err
	}
	received := c.DecisionDate
	if c.DecisionReceived != nil {
		received = c.DecisionReceived
	}
	if err := notBefore("date", d, received, "ngày chi bộ nhận quyết định"); err != nil {
		return err
	}
	set := rules.InForce(st.at())
	end := rules.ProbationEnd(&set, d)
	for _, v := range st.parts.Votes {
		if v.Purpose == domain.PurposeAdmission {
			continue
		}
		if v.Date.Before(d) {
			return domain.FieldError("date", "Ngày lễ kết nạp %s sau ngày biểu quyết %s (%s)", vn.Date(d), domain.PurposeNames[v.Purpose], vn.Date(v.Date))
		}
		if v.Purpose == domain.PurposeRecognition && v.Level == domain.LevelChapter && v.Date.Before(end) {
			return domain.FieldError("date", "Với ngày lễ kết nạp %s, 12 tháng dự bị hết ngày %s, sau ngày chi bộ biểu quyết công nhận chính thức (%s) (Điều lệ Đ.5)",
				vn.Date(d), vn.Date(end), vn.Date(v.Date))
		}
	}
	k.what = domain.CorrectionTargets[domain.CorrectCeremony]
	k.change("ceremony_date", "Ngày lễ kết nạp", isoDate(c.CeremonyDate), isoDate(&d))
	c.CeremonyDate = &d
	if err := k.ceremonyTimely(); err != nil {
		return err
	}
	return k.s.updateMembership(k.ctx, st, func(m *domain.Membership) { m.CeremonyDate = &d })
}

// transfer corrects a transfer's date (between the transfers and votes
// around it, the destination open on it) and the receipt of the dossier.
func (k *corrector) transfer() error {
	if err := k.board(); err != nil {
		return err
	}
	st := k.st
	list := st.parts.Transfers
	i := len(list) - 1
	if k.in.ID != 0 {
		i = slices.IndexFunc(list, func(t *domain.CaseTransfer) bool { return t.ID == k.in.ID })
	}
	if i < 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy lần chuyển sinh hoạt cần đính chính")
	}
	x := list[i]
	nx := *x
	if k.in.Date != nil {
		nx.Date = *k.in.Date
	}
	if k.in.Received != nil {
		nx.ReceivedOn = k.in.Received
	}
	if i > 0 {
		if err := notBefore("date", nx.Date, &list[i-1].Date, "lần chuyển trước"); err != nil {
			return err
		}
	}
	if i+1 < len(list) && nx.Date.After(list[i+1].Date) {
		return domain.FieldError("date", "Ngày chuyển %s sau lần chuyển sau (%s)", vn.Date(nx.Date), vn.Date(list[i+1].Date))
	}
	if err := notBefore("date", nx.Date, &st.c.OpenedOn, "ngày đưa vào danh sách"); err != nil {
		return err
	}
	for _, v := range st.parts.Votes {
		before, after := v.Date.Before(x.Date), v.Date.After(x.Date)
		if (before && v.Date.After(nx.Date)) || (after && v.Date.Before(nx.Date)) {
			return domain.FieldError("date", "Ngày chuyển %s đổi thứ tự với biểu quyết ngày %s: biểu quyết ghi ở chi bộ %s",
				vn.Date(nx.Date), vn.Date(v.Date), map[bool]string{true: "nơi đi", false: "nơi đến"}[before])
		}
	}
	to, err := k.s.store.GetOrg(k.ctx, x.ToOrgID)
	if err != nil {
		return err
	}
	if !to.OpenOn(nx.Date) {
		return domain.FieldError("date", "%s không hoạt động vào ngày %s", to.Name, vn.Date(nx.Date))
	}
	if nx.ReceivedOn != nil {
		if err := notBefore("received", *nx.ReceivedOn, &nx.Date, "ngày chuyển"); err != nil {
			return err
		}
	}
	k.what, k.recordID = "Chuyển sinh hoạt đến "+to.Name, x.ID
	k.change("date", "Ngày chuyển", isoDate(&x.Date), isoDate(&nx.Date))
	k.change("received_on", "Ngày nơi đến nhận hồ sơ", isoDate(x.ReceivedOn), isoDate(nx.ReceivedOn))
	if len(k.changes) == 0 {
		return nil
	}
	return k.s.store.UpdateTransfer(k.ctx, &nx)
}

// rejudge judges the corrected case again on its plan: the terms the
// correction touched, and the candidate's conditions on the chapter's
// resolution when the correction touched them. A failing verdict without
// an exception rolls the correction back.
func (k *corrector) rejudge(ctx context.Context, s *Service, pl *casePlan) error {
	st := k.st
	vs := k.verdicts
	if k.admission && st.c.Kind != domain.CaseImported {
		all, err := s.admissionVerdicts(ctx, st, pl, false)
		if err != nil {
			return err
		}
		// the documents are judged on the chapter's resolution and do not
		// change after it: the conditions are
		for _, v := range all {
			if slices.Contains([]string{rules.RuleAge, rules.RuleEducation, rules.RuleIntroducers, rules.RuleCertificate, rules.RuleDossierAge,
				rules.RuleReadmissionGround, rules.RuleReadmissionWait, rules.RuleReadmissionOnce}, v.Rule) {
				vs = append(vs, v)
			}
		}
	}
	return refuse("đính chính", st.blocking(vs))
}

// ChangeText is a field's change as the timeline says it: "Số tán thành:
// 5 → 7", dates in the Vietnamese way, "(chưa ghi)" for none.
func ChangeText(ch domain.FieldChange) string {
	show := func(v string) string {
		if v == "" {
			return "(chưa ghi)"
		}
		if t, err := time.Parse(domain.DateLayout, v); err == nil {
			return vn.Date(t)
		}
		return v
	}
	return ch.Label + ": " + show(ch.Old) + " → " + show(ch.New)
}

// withCorrections adds the corrections to the timeline, on the day each
// was made (in Vietnam).
func withCorrections(ev []TimelineEvent, list []*domain.CaseCorrection) []TimelineEvent {
	if len(list) == 0 {
		return ev
	}
	for _, x := range list {
		parts := make([]string, len(x.Changes))
		for i, ch := range x.Changes {
			parts[i] = ChangeText(ch)
		}
		ev = append(ev, TimelineEvent{Date: domain.DateOf(x.At.In(domain.Vietnam)),
			What: "Đính chính " + lowerInitial(x.What) + ": " + strings.Join(parts, "; ") + ". Lý do: " + x.Reason + " (" + x.Username + ")"})
	}
	slices.SortStableFunc(ev, func(a, b TimelineEvent) int { return a.Date.Compare(b.Date) })
	return ev
}
