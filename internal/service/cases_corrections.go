package service

import (
	"context"
	"slices"
	"strconv"
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

// figure is a vote's figure, corrected or kept.
func figure(p *int, old int) int {
	if p != nil {
		return *p
	}
	return old
}

// vote corrects a vote's (or a decision's) date, number and figures. The
// vote is counted again against its threshold; its result may change only
// while nothing was recorded on it (no later vote of its purpose, not a
// decision), and the stage follows it. Its date stays between its
// neighbours on the ladder; a chapter's resolution keeps the rule set and
// the ladder of the steps recorded on it. The terms and the candidate's
// conditions it was judged on are judged again.
func (k *corrector) vote() error {
	st := k.st
	i := slices.IndexFunc(st.parts.Votes, func(v *domain.CaseVote) bool { return v.ID == k.in.ID })
	if i < 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy biểu quyết số %d của hồ sơ", k.in.ID)
	}
	x := st.parts.Votes[i]
	if x.Level != domain.LevelChapter {
		if err := k.board(); err != nil {
			return err
		}
	}
	nx := *x
	if k.in.Date != nil {
		nx.Date = *k.in.Date
	}
	if k.in.Number != nil {
		nx.Number = vn.Clean(*k.in.Number)
	}
	nx.Members, nx.Excluded, nx.Present = figure(k.in.Members, x.Members), figure(k.in.Excluded, x.Excluded), figure(k.in.Present, x.Present)
	nx.Yes, nx.No = figure(k.in.Yes, x.Yes), figure(k.in.No, x.No)
	if err := nx.Validate(); err != nil {
		return err
	}
	if nx.Level == domain.LevelDecision && nx.Number == "" {
		return domain.FieldError("number", "Cần số quyết định")
	}
	prev, next := k.neighbours(i)
	if prev != nil {
		if err := notBefore("date", nx.Date, &prev.Date, "bước biểu quyết trước"); err != nil {
			return err
		}
	}
	if next != nil && nx.Date.After(next.Date) {
		return domain.FieldError("date", "Ngày %s sau bước biểu quyết tiếp theo (%s)", vn.Date(nx.Date), vn.Date(next.Date))
	}
	l, err := k.voteLadder(x, &nx, next != nil)
	if err != nil {
		return err
	}
	nx.Passed = thresholdOf(&nx).OK
	if nx.Passed != x.Passed {
		if next != nil || nx.Level == domain.LevelDecision {
			return domain.FieldError("yes", "Với số liệu đính chính, kết quả biểu quyết đổi từ %s sang %s, nhưng các bước sau đã ghi theo kết quả cũ: không đính chính được; hãy xem lại số liệu hoặc rút hồ sơ",
				passedName(x.Passed), passedName(nx.Passed))
		}
		st.c.Stage = stageAfterVote(&nx, l)
	}
	if err := k.voteOrder(&nx); err != nil {
		return err
	}
	k.what, k.recordID = VoteLabel(x), x.ID
	k.change("date", "Ngày", isoDate(&x.Date), isoDate(&nx.Date))
	k.change("number", "Số", x.Number, nx.Number)
	for _, f := range []struct {
		field, label string
		old, new     int
	}{{"members", "Số thành viên", x.Members, nx.Members}, {"excluded", "Số không tính", x.Excluded, nx.Excluded},
		{"present", "Số có mặt", x.Present, nx.Present}, {"yes", "Số tán thành", x.Yes, nx.Yes}, {"no", "Số không tán thành", x.No, nx.No}} {
		k.change(f.field, f.label, strconv.Itoa(f.old), strconv.Itoa(f.new))
	}
	k.change("passed", "Kết quả", passedName(x.Passed), passedName(nx.Passed))
	if len(k.changes) == 0 {
		return nil
	}
	if err := k.s.store.UpdateVote(k.ctx, &nx); err != nil {
		return err
	}
	return k.voteEffects(x, &nx)
}

// VoteLabel names a recorded vote in Vietnamese: "Chi bộ biểu quyết đề
// nghị kết nạp ngày 04/05/2024", "Quyết định kết nạp số 12-QĐ/HU ngày …".
func VoteLabel(v *domain.CaseVote) string {
	what := domain.PurposeNames[v.Purpose]
	switch v.Level {
	case domain.LevelDecision:
		return "Quyết định " + what + " số " + v.Number + " ngày " + vn.Date(v.Date)
	case domain.LevelSubcommittee:
		return "Đảng ủy bộ phận thẩm định, đề nghị " + what + " ngày " + vn.Date(v.Date)
	}
	return domain.LevelNames[v.Level] + " biểu quyết đề nghị " + what + " ngày " + vn.Date(v.Date)
}

func passedName(ok bool) string {
	if ok {
		return "đạt"
	}
	return "không đạt"
}

// neighbours are the votes of the same purpose recorded just before and
// just after the i-th vote of the case.
func (k *corrector) neighbours(i int) (prev, next *domain.CaseVote) {
	votes, x := k.st.parts.Votes, k.st.parts.Votes[i]
	for j, v := range votes {
		if v.Purpose != x.Purpose || j == i {
			continue
		}
		if j < i {
			prev = v
		} else if next == nil {
			next = v
		}
	}
	return prev, next
}

// voteLadder is the ladder of the vote's round as the correction leaves
// it. A chapter's resolution moved to another date takes the rule set
// (and for admission the deciding body) in force on the new date; when
// steps were already recorded on it, the new date must keep them.
func (k *corrector) voteLadder(x, nx *domain.CaseVote, later bool) (ladder, error) {
	st := k.st
	anchor := nx.Date
	if x.Level != domain.LevelChapter {
		if cv := k.roundChapter(x); cv != nil {
			anchor = cv.Date
		}
	}
	l, err := k.s.ladderOf(k.ctx, k.s.store, st.org, anchor)
	if err != nil {
		return l, err
	}
	if x.Level != domain.LevelChapter || nx.Date.Equal(x.Date) {
		return l, nil
	}
	set := rules.InForce(nx.Date)
	old, err := k.s.ladderOf(k.ctx, k.s.store, st.org, x.Date)
	if err != nil {
		return l, err
	}
	changed := set.ID != x.RulesID || old.Sub != l.Sub || old.Committee != l.Committee || old.Authorised != l.Authorised ||
		(old.Decider == nil) != (l.Decider == nil) || (old.Decider != nil && l.Decider != nil && old.Decider.ID != l.Decider.ID)
	if changed && later {
		return l, domain.FieldError("date", "Ngày %s thuộc quy định hoặc thẩm quyền khác với ngày %s, mà các bước sau đã ghi theo: không đính chính được; hãy rút hồ sơ và lập lại",
			vn.Date(nx.Date), vn.Date(x.Date))
	}
	nx.RulesID = set.ID
	if x.Purpose == domain.PurposeAdmission {
		st.c.RulesID, st.c.Authorised = set.ID, l.Authorised
		if l.Decider != nil {
			st.c.DeciderID = l.Decider.ID
		}
	}
	return l, nil
}

// roundChapter is the chapter's resolution the vote follows (the latest of
// its purpose recorded before it).
func (k *corrector) roundChapter(x *domain.CaseVote) *domain.CaseVote {
	var cv *domain.CaseVote
	for _, v := range k.st.parts.Votes {
		if v.ID == x.ID {
			break
		}
		if v.Purpose == x.Purpose && v.Level == domain.LevelChapter {
			cv = v
		}
	}
	return cv
}

// voteOrder keeps the vote between the facts around it: on the same side
// of every transfer; an admission's chapter resolution after the dossier
// was opened, its documents and the replies to the verification, the
// decision before its receipt and the ceremony; a vote on recognition or
// striking off after the ceremony.
func (k *corrector) voteOrder(nx *domain.CaseVote) error {
	c := k.st.c
	if x := k.voteBefore(nx.ID); x != nil {
		for _, t := range k.st.parts.Transfers {
			if (x.Date.Before(t.Date) && nx.Date.After(t.Date)) || (x.Date.After(t.Date) && nx.Date.Before(t.Date)) {
				return domain.FieldError("date", "Ngày %s đổi thứ tự với lần chuyển sinh hoạt ngày %s: biểu quyết đã ghi ở chi bộ %s",
					vn.Date(nx.Date), vn.Date(t.Date), map[bool]string{true: "nơi đi", false: "nơi đến"}[x.Date.Before(t.Date)])
			}
		}
	}
	if nx.Purpose != domain.PurposeAdmission {
		return notBefore("date", nx.Date, c.CeremonyDate, "ngày lễ kết nạp")
	}
	if nx.Level == domain.LevelChapter {
		if err := notBefore("date", nx.Date, c.DossierOpened, "ngày lập hồ sơ"); err != nil {
			return err
		}
		for _, v := range k.st.parts.Verifications {
			if v.RepliedOn != nil && v.RepliedOn.After(nx.Date) {
				return domain.FieldError("date", "Ngày chi bộ biểu quyết %s trước ngày trả lời thẩm tra (%s): chi bộ xét trên lý lịch đã thẩm tra",
					vn.Date(nx.Date), vn.Date(*v.RepliedOn))
			}
		}
		for _, d := range k.st.parts.Documents {
			if documentKinds[d.Kind] == domain.PurposeAdmission && d.Date.After(nx.Date) {
				return domain.FieldError("date", "Ngày chi bộ biểu quyết %s trước %s (%s)", vn.Date(nx.Date), lowerInitial(domain.DocumentNames[d.Kind]), vn.Date(d.Date))
			}
		}
	}
	if nx.Level == domain.LevelDecision && nx.Passed {
		for _, d := range []*time.Time{c.DecisionReceived, c.CeremonyDate} {
			if d != nil && nx.Date.After(*d) {
				return domain.FieldError("date", "Ngày quyết định %s sau ngày chi bộ nhận quyết định hoặc ngày lễ kết nạp (%s)", vn.Date(nx.Date), vn.Date(*d))
			}
		}
	}
	return nil
}

// voteBefore is the vote with the id as recorded before the correction.
func (k *corrector) voteBefore(id int64) *domain.CaseVote {
	for _, v := range k.st.parts.Votes {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// voteEffects carries a corrected vote to what was written from it: a
// passed admission decision's number and date on the case and the
// membership that progress counts; and notes the terms and conditions to
// judge again.
func (k *corrector) voteEffects(x, nx *domain.CaseVote) error {
	st, c := k.st, k.st.c
	cal, today := st.cal, st.today
	judge := func(v rules.Verdict, err error) error {
		if err != nil {
			return calendarErr("date", err)
		}
		k.verdicts = append(k.verdicts, v)
		return nil
	}
	if nx.Level == domain.LevelDecision && nx.Purpose == domain.PurposeAdmission && nx.Passed {
		if err := k.decider(); err != nil {
			return err
		}
		c.DecisionNo, c.DecisionDate = nx.Number, &nx.Date
		if err := k.s.updateMembership(k.ctx, st, func(m *domain.Membership) { m.DecisionNo, m.DecisionDate = nx.Number, nx.Date }); err != nil {
			return err
		}
		if err := k.ceremonyTimely(); err != nil {
			return err
		}
	} else if nx.Level == domain.LevelDecision {
		if err := k.decider(); err != nil {
			return err
		}
	}
	switch {
	case nx.Purpose == domain.PurposeAdmission:
		cv := k.roundChapter(nx)
		if nx.Level == domain.LevelChapter {
			cv = nx
			k.admission = true
		}
		if cv != nil && c.DecisionDate != nil {
			set := rules.InForce(cv.Date)
			return judge(rules.DecisionTimely(&set, cal, cv.Date, c.DecisionDate, today))
		}
	case nx.Level == domain.LevelChapter && nx.Purpose == domain.PurposeRecognition && c.CeremonyDate != nil:
		set := rules.InForce(nx.Date)
		if nx.Date.Before(rules.ProbationEnd(&set, *c.CeremonyDate)) {
			return domain.FieldError("date", "Ngày %s trước khi hết 12 tháng dự bị (%s) (Điều lệ Đ.5)", vn.Date(nx.Date), vn.Date(rules.ProbationEnd(&set, *c.CeremonyDate)))
		}
		return judge(rules.RecognitionVoteTimely(&set, cal, *c.CeremonyDate, &nx.Date, today))
	case nx.Level == domain.LevelDecision && nx.Purpose == domain.PurposeRecognition && !st.referred():
		if cv := k.roundChapter(nx); cv != nil {
			set := rules.InForce(cv.Date)
			return judge(rules.RecognitionDecisionTimely(&set, cal, cv.Date, &nx.Date, today))
		}
	}
	return nil
}

// decider refuses a correction of a decision to a user whose scope does
// not hold the deciding body.
func (k *corrector) decider() error {
	st := k.st
	if st.c.DeciderID == 0 {
		return nil
	}
	d, err := k.s.store.GetOrg(k.ctx, st.c.DeciderID)
	if err != nil {
		return err
	}
	if !st.me.Sees(d.Path) {
		return domain.Errorf(domain.EForbidden, "Quyết định do %s ghi: phạm vi tài khoản của bạn không gồm cấp ủy này", d.Name)
	}
	return nil
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
