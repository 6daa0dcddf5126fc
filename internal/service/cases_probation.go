package service

import (
	"context"
	"errors"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
)

// After the decision: receiving it, the ceremony, probation, recognition
// or striking off (DOMAIN §5 steps 7–9).

// RecordDecisionReceived records the day the chapter received the
// decision, from which the ceremony's 30 working days count (QĐ294 §4.1).
func (s *Service) RecordDecisionReceived(ctx context.Context, id int64, in DateInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "decision_received", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if st.c.Stage != domain.CaseDecided {
				return nil, stageError(st, "ngày nhận quyết định")
			}
			if err := st.dated("date", in.Date); err != nil {
				return nil, err
			}
			if err := notBefore("date", in.Date, st.c.DecisionDate, "ngày quyết định"); err != nil {
				return nil, err
			}
			st.c.DecisionReceived = &in.Date
			return map[string]any{"date": in.Date}, nil
		}})
}

// CeremonyInput is the admission ceremony.
type CeremonyInput struct {
	Date     time.Time
	HelperID int64 // the official member assigned at the ceremony to help the probationary member; 0 keeps the helper
	Version  int64
}

// HoldCeremony records the ceremony: probation starts (Điều lệ Đ.5).
// Refused when it is later than 30 working days after the chapter
// received the decision, unless an exception records the superior
// committee's consent (QĐ294 §4.1).
func (s *Service) HoldCeremony(ctx context.Context, id int64, in CeremonyInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "ceremony", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) { return s.ceremony(ctx, st, in) }})
}

// ceremony checks and writes the ceremony of the case st.
func (s *Service) ceremony(ctx context.Context, st *caseState, in CeremonyInput) (any, error) {
	c := st.c
	if c.Stage != domain.CaseDecided {
		return nil, stageError(st, "lễ kết nạp")
	}
	if err := st.dated("date", in.Date); err != nil {
		return nil, err
	}
	received := c.DecisionDate
	if c.DecisionReceived != nil {
		received = c.DecisionReceived
	}
	if err := notBefore("date", in.Date, received, "ngày chi bộ nhận quyết định"); err != nil {
		return nil, err
	}
	if in.HelperID != 0 {
		m, err := s.helper(ctx, st, in.HelperID, "helper_id", "người giúp đỡ đảng viên dự bị")
		if err != nil {
			return nil, err
		}
		c.HelperID = m.ID
	}
	set := rules.InForce(st.at())
	v, err := rules.CeremonyTimely(&set, st.cal, *received, &in.Date, st.today)
	if err != nil {
		return nil, calendarErr("date", err)
	}
	if err := refuse("lễ kết nạp", st.blocking([]rules.Verdict{v})); err != nil {
		return nil, err
	}
	c.CeremonyDate, c.Stage = &in.Date, domain.CaseProbation
	return map[string]any{"date": in.Date}, s.updateMembership(ctx, st, func(m *domain.Membership) { m.CeremonyDate = &in.Date })
}

// updateMembership changes the membership the case's decision wrote, in
// the transaction s is bound to.
func (s *Service) updateMembership(ctx context.Context, st *caseState, edit func(*domain.Membership)) error {
	ms, err := s.store.Memberships(ctx, st.person.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == st.c.MembershipID {
			edit(m)
			if err := m.Validate(); err != nil {
				return err
			}
			return s.store.UpdateMembership(ctx, m)
		}
	}
	return errors.New("service: the case's membership is missing")
}

// ReferralVotes is how many times a chapter may vote on recognising or
// striking off a probationary member without reaching the threshold
// before the upper committee considers and decides (QĐ294 §4.2.3).
const ReferralVotes = 3

// failedProbationVotes counts the chapter's votes on recognition or
// striking off that did not pass, and returns the latest of them.
func (st *caseState) failedProbationVotes() (int, *domain.CaseVote) {
	n, last := 0, (*domain.CaseVote)(nil)
	for _, v := range st.parts.Votes {
		if v.Level == domain.LevelChapter && v.Purpose != domain.PurposeAdmission && !v.Passed {
			n, last = n+1, v
		}
	}
	return n, last
}

// referred reports whether the case is in probation after the chapter's
// third vote below the threshold: the upper committee decides.
func (st *caseState) referred() bool {
	n, _ := st.failedProbationVotes()
	return st.c.Stage == domain.CaseProbation && n >= ReferralVotes
}

// probationDecision checks and writes the decision recognising (QĐ294
// §4.2, effective on the day probation ends) or striking off (Điều lệ
// Đ.5, HD06 §4.6) the probationary member of st. A vote below the
// threshold leaves the member on probation.
func (s *Service) probationDecision(ctx context.Context, st *caseState, purpose string, in DecisionInput) (any, error) {
	c := st.c
	cv, referred, err := st.probationChapterVote(purpose)
	if err != nil {
		return nil, err
	}
	set := rules.InForce(cv.Date)
	// the rule set of the chapter's resolution; the ladder of the day the
	// decision is taken (issue 12: the body that decides that day)
	l, err := s.ladderOf(ctx, s.store, st.org, in.Date)
	if err != nil {
		return nil, err
	}
	steps := l
	if referred {
		steps.Sub, steps.Committee = false, false
	}
	v, last, err := st.decisionVote(in, purpose, steps)
	if err != nil {
		return nil, err
	}
	if referred {
		last = cv.Date
	}
	if err := notBefore("date", v.Date, &last, "bước biểu quyết trước"); err != nil {
		return nil, err
	}
	p := rules.Recognition
	if purpose == domain.PurposeStrikeOff {
		p = rules.StrikeOff
	}
	v.RulesID, v.Authorised = set.ID, l.Authorised
	threshold := rules.DecisionVote(&set, rules.Vote{Members: v.Members, Excluded: v.Excluded, Yes: v.Yes}, l.Authorised, p)
	v.Passed = threshold.OK
	if purpose == domain.PurposeRecognition && !referred {
		t, err := rules.RecognitionDecisionTimely(&set, st.cal, cv.Date, &v.Date, st.today)
		if err != nil {
			return nil, calendarErr("date", err)
		}
		if err := refuse("quyết định công nhận chính thức", st.blocking([]rules.Verdict{t})); err != nil {
			return nil, err
		}
	}
	end := rules.ProbationEnd(&set, *c.CeremonyDate)
	switch {
	case !v.Passed:
		c.Stage = domain.CaseProbation
	case purpose == domain.PurposeRecognition:
		c.RecognitionNo, c.RecognitionDate = v.Number, &v.Date
		st.close(domain.CaseOfficial, v.Date, "Công nhận đảng viên chính thức từ ngày "+end.Format("02/01/2006"))
	default:
		st.close(domain.CaseStruckOff, v.Date, "Xóa tên đảng viên dự bị theo quyết định số "+v.Number)
	}
	detail := map[string]any{"purpose": purpose, "number": v.Number, "date": v.Date, "yes": v.Yes, "members": v.Members, "passed": v.Passed}
	return detail, s.writeProbationDecision(ctx, st, v, end)
}

// probationChapterVote is the chapter's resolution a decision on
// recognition or striking off follows, and whether the upper committee
// decides after the chapter's third vote below the threshold.
func (st *caseState) probationChapterVote(purpose string) (*domain.CaseVote, bool, error) {
	referred := st.referred()
	if st.c.Stage != purposeStage[purpose][1] && !referred {
		return nil, false, stageError(st, "quyết định "+domain.PurposeNames[purpose])
	}
	if referred {
		// the chapter could not decide: the upper committee's decision
		// follows its last vote, with no further step between
		_, cv := st.failedProbationVotes()
		return cv, true, nil
	}
	return st.vote(purpose, domain.LevelChapter), false, nil
}

// writeProbationDecision writes the decision's vote and, when it passed,
// the membership and the person's stage.
func (s *Service) writeProbationDecision(ctx context.Context, st *caseState, v *domain.CaseVote, end time.Time) error {
	if err := s.store.AddVote(ctx, v); err != nil {
		return err
	}
	switch st.c.Stage {
	case domain.CaseOfficial:
		if err := s.updateMembership(ctx, st, func(m *domain.Membership) {
			m.RecognitionDate, m.Status = &end, domain.StageOfficial
		}); err != nil {
			return err
		}
		return s.setPersonStage(ctx, st, domain.StageOfficial)
	case domain.CaseStruckOff:
		if err := s.updateMembership(ctx, st, func(m *domain.Membership) {
			m.Status, m.EndDate = domain.StageStruckOff, &v.Date
		}); err != nil {
			return err
		}
		return s.setPersonStage(ctx, st, domain.StageStruckOff)
	}
	return nil
}
