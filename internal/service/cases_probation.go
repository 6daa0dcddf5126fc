package service

import (
	"context"
	"errors"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
)

// After the decision: receiving it, the ceremony, probation, recognition
// or striking off (DOMAIN §5 steps 7–9).

// RecordDecisionReceived records the day the chapter received the
// decision, from which the ceremony's 30 working days count (QĐ294 §4.1).
func (s *Service) RecordDecisionReceived(ctx context.Context, id int64, in DateInput) (*domain.Case, error) {
	st, err := s.loadCase(ctx, id, byChapter, in.Version)
	if err != nil {
		return nil, err
	}
	if st.c.Stage != domain.CaseDecided {
		return nil, stageError(st, "ngày nhận quyết định")
	}
	if err := notFuture("date", in.Date, st.today); err != nil {
		return nil, err
	}
	if err := notBefore("date", in.Date, st.c.DecisionDate, "ngày quyết định"); err != nil {
		return nil, err
	}
	st.c.DecisionReceived = &in.Date
	return st.c, s.save(ctx, st, "decision_received", map[string]any{"date": in.Date}, nil)
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
func (s *Service) HoldCeremony(ctx context.Context, id int64, in CeremonyInput) (*domain.Case, error) {
	st, err := s.loadCase(ctx, id, byChapter, in.Version)
	if err != nil {
		return nil, err
	}
	c := st.c
	if c.Stage != domain.CaseDecided {
		return nil, stageError(st, "lễ kết nạp")
	}
	if err := notFuture("date", in.Date, st.today); err != nil {
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
		m, err := s.member(ctx, st, in.HelperID, "helper_id")
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
	return c, s.save(ctx, st, "ceremony", map[string]any{"date": in.Date}, func(tx *store.Store) error {
		return s.updateMembership(ctx, tx, st, func(m *domain.Membership) { m.CeremonyDate = &in.Date })
	})
}

// updateMembership changes the membership the case's decision wrote.
func (s *Service) updateMembership(ctx context.Context, tx *store.Store, st *caseState, edit func(*domain.Membership)) error {
	ms, err := tx.Memberships(ctx, st.person.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == st.c.MembershipID {
			edit(m)
			if err := m.Validate(); err != nil {
				return err
			}
			return tx.UpdateMembership(ctx, m)
		}
	}
	return errors.New("service: the case's membership is missing")
}

// Recognise records the decision recognising the probationary member as
// an official member, effective on the day probation ends (QĐ294 §4.2).
// A vote below the threshold leaves the member on probation.
func (s *Service) Recognise(ctx context.Context, id int64, in DecisionInput) (*domain.Case, error) {
	return s.probationDecision(ctx, id, domain.PurposeRecognition, in)
}

// StrikeOff records the decision striking off the probationary member
// (Điều lệ Đ.5, HD06 §4.6). A vote below the threshold leaves the member
// on probation.
func (s *Service) StrikeOff(ctx context.Context, id int64, in DecisionInput) (*domain.Case, error) {
	return s.probationDecision(ctx, id, domain.PurposeStrikeOff, in)
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

func (s *Service) probationDecision(ctx context.Context, id int64, purpose string, in DecisionInput) (*domain.Case, error) {
	st, err := s.loadCase(ctx, id, byBoard, in.Version)
	if err != nil {
		return nil, err
	}
	c := st.c
	referred := st.referred()
	if c.Stage != purposeStage[purpose][1] && !referred {
		return nil, stageError(st, "quyết định "+domain.PurposeNames[purpose])
	}
	cv := st.vote(purpose, domain.LevelChapter)
	if referred {
		// the chapter could not decide: the upper committee's decision
		// follows its last vote, with no further step between
		_, cv = st.failedProbationVotes()
	}
	set := rules.InForce(cv.Date)
	l, err := s.ladderOf(ctx, s.store, st.org, cv.Date)
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
	return c, s.save(ctx, st, "decide", detail, func(tx *store.Store) error {
		if err := tx.AddVote(ctx, v); err != nil {
			return err
		}
		switch c.Stage {
		case domain.CaseOfficial:
			if err := s.updateMembership(ctx, tx, st, func(m *domain.Membership) {
				m.RecognitionDate, m.Status = &end, domain.StageOfficial
			}); err != nil {
				return err
			}
			return s.setPersonStage(ctx, tx, st, domain.StageOfficial)
		case domain.CaseStruckOff:
			if err := s.updateMembership(ctx, tx, st, func(m *domain.Membership) {
				m.Status, m.EndDate = domain.StageStruckOff, &v.Date
			}); err != nil {
				return err
			}
			return s.setPersonStage(ctx, tx, st, domain.StageStruckOff)
		}
		return nil
	})
}
