package service

import (
	"context"
	"fmt"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/vn"
)

// An admission vote below its threshold (the chapter's, the
// sub-committee's review or the grassroots committee's) does not end the
// case: its full result goes to the deciding body, which considers it
// (HD06 §5.1, admission-rules §3.3), and the body's recorded conclusion
// closes the case. Recognition and striking off keep their own rule: the
// chapter's third failed vote goes to the upper committee (QĐ294 §4.2.3,
// cases_probation.go).

// sourceFailedVote is the rule that sends a failed vote up.
const sourceFailedVote = "HD06 §5.1"

// thresholdOf counts a recorded vote against its threshold under the rule
// set it was judged by: two thirds of the chapter's official members, or
// of the committee's members, or more than half of the standing committee
// (two thirds of all members of an authorised grassroots committee).
func thresholdOf(v *domain.CaseVote) rules.Verdict {
	set, ok := rules.ByID(v.RulesID)
	if !ok {
		set = rules.InForce(v.Date)
	}
	p := map[string]rules.Purpose{domain.PurposeAdmission: rules.Admission, domain.PurposeRecognition: rules.Recognition,
		domain.PurposeStrikeOff: rules.StrikeOff}[v.Purpose]
	counts := rules.Vote{Members: v.Members, Excluded: v.Excluded, Yes: v.Yes}
	switch v.Level {
	case domain.LevelSubcommittee:
		t := rules.CommitteeVote(&set, counts, p)
		t.Rule, t.Source = RuleSubcommitteeReview, "HD06 §3.6b; "+t.Source
		return t
	case domain.LevelCommittee:
		return rules.CommitteeVote(&set, counts, p)
	case domain.LevelDecision:
		return rules.DecisionVote(&set, counts, v.Authorised, p)
	}
	return rules.ChapterVote(&set, counts, p)
}

// failedAdmissionVote is the admission vote below its threshold that the
// case waits on (the latest), nil when there is none.
func (st *caseState) failedAdmissionVote() *domain.CaseVote {
	var out *domain.CaseVote
	for _, v := range st.parts.Votes {
		if v.Purpose == domain.PurposeAdmission && v.Level != domain.LevelDecision && !v.Passed {
			out = v
		}
	}
	return out
}

// deciderName names the deciding body of the plan's ladder.
func (pl *casePlan) deciderName() string {
	if pl.Ladder.Decider != nil {
		return pl.Ladder.Decider.Name
	}
	return "cấp ủy có thẩm quyền"
}

// awaitingConclusion plans a case whose admission vote failed: the
// deciding body considers the full result and concludes, within the
// decision's term from the chapter's resolution (QĐ294 §4.3.1: the
// competent committee considers the chapter's resolution within it; HD06
// §5.1 sets no term of its own).
func (pl *casePlan) awaitingConclusion(st *caseState) error {
	fv := st.failedAdmissionVote()
	cv := st.vote(domain.PurposeAdmission, domain.LevelChapter)
	if fv == nil || cv == nil {
		return fmt.Errorf("service: case %d waits on a failed vote it does not have", st.c.ID)
	}
	dr := pl.Set.DecisionDeadline
	base, err := st.cal.AddWorkdays(cv.Date, dr.Workdays)
	if err != nil {
		return calendarErr("date", err)
	}
	ext, err := st.cal.AddWorkdays(cv.Date, dr.Workdays+dr.Extension)
	if err != nil {
		return calendarErr("date", err)
	}
	decider := pl.deciderName()
	pl.deadline(domain.DeadlineConclusion, base, &ext, domain.OwnerBoard, fmt.Sprintf(
		"%s xem xét kết quả biểu quyết không đạt, kết luận: %d ngày làm việc kể từ nghị quyết của chi bộ ngày %s (gia hạn tối đa đến %s) (%s; %s)",
		decider, dr.Workdays, vn.Date(cv.Date), vn.Date(ext), dr.Source, sourceFailedVote))
	pl.next(fmt.Sprintf("%s biểu quyết %d/%d tán thành, không đạt: báo cáo đầy đủ kết quả lên %s; cấp có thẩm quyền xem xét, ghi kết luận (%s)",
		domain.LevelNames[fv.Level], fv.Yes, fv.Counted(), decider, sourceFailedVote), domain.OwnerBoard, &base)
	return nil
}

// ConclusionInput is the deciding body's conclusion on an admission vote
// below its threshold: the notice's number and date and what it concluded.
type ConclusionInput struct {
	Number     string // the notice of conclusion (thông báo kết luận)
	Date       time.Time
	Conclusion string // what the body concluded
	Version    int64
}

// Conclude records the deciding body's conclusion on an admission vote
// below its threshold (HD06 §5.1): the candidate is not admitted, the case
// closes as refused and the person goes back to the source pool (or to
// the former members, for a re-admission). Only an organizer or an admin
// whose scope holds the deciding body records it.
func (s *Service) Conclude(ctx context.Context, id int64, in ConclusionInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "conclusion", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) { return s.conclusion(ctx, st, in) }})
}

// conclusion checks and writes the conclusion on the case st.
func (s *Service) conclusion(ctx context.Context, st *caseState, in ConclusionInput) (any, error) {
	c := st.c
	if c.Stage != domain.CaseVoteFailed {
		return nil, stageError(st, "kết luận về biểu quyết không đạt")
	}
	fv, cv := st.failedAdmissionVote(), st.vote(domain.PurposeAdmission, domain.LevelChapter)
	if fv == nil || cv == nil {
		return nil, stageError(st, "kết luận về biểu quyết không đạt")
	}
	l, err := s.ladderOf(ctx, s.store, st.org, in.Date) // the body that decides on the conclusion's day
	if err != nil {
		return nil, err
	}
	if l.Decider != nil && !st.me.Sees(l.Decider.Path) {
		return nil, domain.Errorf(domain.EForbidden, "Kết luận do %s ghi: phạm vi tài khoản của bạn không gồm cấp ủy này", l.Decider.Name)
	}
	number, text := vn.Clean(in.Number), vn.Clean(in.Conclusion)
	switch {
	case number == "" || len([]rune(number)) > 60:
		return nil, domain.FieldError("number", "Cần số thông báo kết luận (tối đa 60 ký tự)")
	case len([]rune(text)) < 10 || len([]rune(text)) > 1000:
		return nil, domain.FieldError("conclusion", "Cần ghi nội dung kết luận của cấp có thẩm quyền (10 đến 1000 ký tự)")
	}
	if err := st.dated("date", in.Date); err != nil {
		return nil, err
	}
	if err := notBefore("date", in.Date, &fv.Date, "ngày biểu quyết không đạt"); err != nil {
		return nil, err
	}
	doc := &domain.CaseDocument{CaseID: c.ID, Kind: domain.DocVoteConclusion, Number: number, Date: in.Date, Note: text}
	if err := s.store.PutDocument(ctx, doc); err != nil {
		return nil, err
	}
	st.close(domain.CaseRefused, in.Date, fmt.Sprintf("Cấp có thẩm quyền kết luận (thông báo số %s ngày %s) về kết quả biểu quyết không đạt của %s: %s (%s)",
		number, vn.Date(in.Date), lowerInitial(domain.LevelNames[fv.Level]), text, sourceFailedVote))
	detail := map[string]any{"number": number, "date": in.Date, "conclusion": text, "vote": fv.ID}
	return detail, s.setPersonStage(ctx, st, st.stageAfterRefusal())
}

// failedVoteText is the verdict on the latest admission vote of the case
// below its threshold, with its source ("" when none).
func failedVoteText(v *CaseView) string {
	for i := len(v.Votes) - 1; i >= 0; i-- {
		if x := v.Votes[i]; x.Purpose == domain.PurposeAdmission && !x.Passed {
			t := thresholdOf(x)
			return t.Message + " (" + t.Source + ")"
		}
	}
	return ""
}
