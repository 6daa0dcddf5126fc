package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// The vote ladder (DOMAIN §5 steps 4–9): the chapter's resolution, the
// sub-committee's review and the grassroots committee's resolution where
// the admission authority puts them, and the competent body's decision,
// for admission, recognition and striking off.

// VoteInput is one vote of the ladder below the decision.
type VoteInput struct {
	Level    string // chapter, subcommittee, committee
	Date     time.Time
	Number   string // the resolution's number
	Members  int    // official members of the chapter, or members of the committee
	Excluded int    // on temporary transfer, exempted and absent, suspended, prosecuted (QĐ294 §9.3.2)
	Present  int
	Yes      int
	No       int
	Version  int64
}

// DecisionInput is the competent body's decision and the vote behind it.
type DecisionInput struct {
	Number   string
	Date     time.Time
	Received *time.Time // the day the chapter received it (admission only)
	Members  int        // members of the standing committee (or of the authorised committee)
	Excluded int
	Present  int
	Yes      int
	No       int
	Version  int64
}

func (in DecisionInput) vote() VoteInput {
	return VoteInput{Level: domain.LevelDecision, Date: in.Date, Number: in.Number, Members: in.Members, Excluded: in.Excluded,
		Present: in.Present, Yes: in.Yes, No: in.No, Version: in.Version}
}

// AdmissionVote records the chapter's resolution proposing the admission
// (which judges the candidate: age, education, introducers, certificate,
// dossier age, documents), or the sub-committee's review, or the
// grassroots committee's resolution. A vote below its threshold is
// recorded and the case is refused.
func (s *Service) AdmissionVote(ctx context.Context, id int64, in VoteInput) (*domain.Case, error) {
	return s.ladderVote(ctx, id, domain.PurposeAdmission, in)
}

// RecognitionVote records a vote on recognising a probationary member as
// an official member (QĐ294 §4.2). A vote below its threshold is recorded
// and the member stays on probation.
func (s *Service) RecognitionVote(ctx context.Context, id int64, in VoteInput) (*domain.Case, error) {
	return s.ladderVote(ctx, id, domain.PurposeRecognition, in)
}

// StrikeOffVote records a vote on striking off a probationary member, by
// the same ladder (Điều lệ Đ.5, HD06 §4.6).
func (s *Service) StrikeOffVote(ctx context.Context, id int64, in VoteInput) (*domain.Case, error) {
	return s.ladderVote(ctx, id, domain.PurposeStrikeOff, in)
}

// purposeStage is the stage a purpose's chapter resolution leads to, and
// the stage it starts from.
var purposeStage = map[string][2]string{
	domain.PurposeAdmission:   {domain.CaseDossier, domain.CaseChapterVoted},
	domain.PurposeRecognition: {domain.CaseProbation, domain.CaseRecognitionVote},
	domain.PurposeStrikeOff:   {domain.CaseProbation, domain.CaseStrikeOffVote},
}

func (s *Service) ladderVote(ctx context.Context, id int64, purpose string, in VoteInput) (*domain.Case, error) {
	who := byBoard
	if in.Level == domain.LevelChapter {
		who = byChapter
	}
	st, err := s.loadCase(ctx, id, who, in.Version)
	if err != nil {
		return nil, err
	}
	if in.Level != domain.LevelChapter && in.Level != domain.LevelSubcommittee && in.Level != domain.LevelCommittee {
		return nil, domain.FieldError("level", "Cấp biểu quyết %q không hợp lệ (chapter, subcommittee, committee)", in.Level)
	}
	c := st.c
	v := &domain.CaseVote{CaseID: id, Purpose: purpose, Level: in.Level, Date: in.Date, Number: vn.Clean(in.Number),
		Members: in.Members, Excluded: in.Excluded, Present: in.Present, Yes: in.Yes, No: in.No}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	if err := notFuture("date", v.Date, st.today); err != nil {
		return nil, err
	}
	from, to := purposeStage[purpose][0], purposeStage[purpose][1]
	what := "biểu quyết đề nghị " + domain.PurposeNames[purpose]
	anchor := v.Date // the chapter resolution's date chooses the rule set and the ladder
	if in.Level == domain.LevelChapter {
		if c.Stage != from {
			return nil, stageError(st, what)
		}
	} else {
		cv := st.vote(purpose, domain.LevelChapter)
		if c.Stage != to || !passed(cv) {
			return nil, stageError(st, what)
		}
		anchor = cv.Date
		if err := notBefore("date", v.Date, &cv.Date, "nghị quyết của chi bộ"); err != nil {
			return nil, err
		}
	}
	set := rules.InForce(anchor)
	l, err := s.ladderOf(ctx, s.store, st.org, anchor)
	if err != nil {
		return nil, err
	}
	v.RulesID = set.ID
	p := map[string]rules.Purpose{domain.PurposeAdmission: rules.Admission, domain.PurposeRecognition: rules.Recognition,
		domain.PurposeStrikeOff: rules.StrikeOff}[purpose]
	var threshold rules.Verdict
	counts := rules.Vote{Members: v.Members, Excluded: v.Excluded, Yes: v.Yes}
	switch in.Level {
	case domain.LevelChapter:
		threshold = rules.ChapterVote(&set, counts, p)
	case domain.LevelSubcommittee:
		if !l.Sub || passed(st.vote(purpose, domain.LevelSubcommittee)) {
			return nil, domain.FieldError("level", "Hồ sơ này không có (hoặc đã qua) bước thẩm định của đảng ủy bộ phận")
		}
		threshold = rules.CommitteeVote(&set, counts, p)
		threshold.Rule, threshold.Source = RuleSubcommitteeReview, "HD06 §3.6b; "+threshold.Source
	case domain.LevelCommittee:
		if !l.Committee || passed(st.vote(purpose, domain.LevelCommittee)) {
			return nil, domain.FieldError("level", "Hồ sơ này không có (hoặc đã qua) bước biểu quyết của đảng ủy cơ sở")
		}
		if l.Sub && !passed(st.vote(purpose, domain.LevelSubcommittee)) {
			return nil, domain.FieldError("level", "Chưa có báo cáo thẩm định của đảng ủy bộ phận")
		}
		threshold = rules.CommitteeVote(&set, counts, p)
	}
	v.Passed = threshold.OK

	// The conditions the step itself must meet, judged as if the vote
	// were recorded.
	if in.Level == domain.LevelChapter {
		if err := s.judgeChapterVote(ctx, st, purpose, v); err != nil {
			return nil, err
		}
	}
	detail := map[string]any{"purpose": purpose, "level": v.Level, "date": v.Date, "yes": v.Yes, "members": v.Members,
		"excluded": v.Excluded, "passed": v.Passed}
	switch {
	case v.Passed && in.Level == domain.LevelChapter:
		c.Stage = to
		if purpose == domain.PurposeAdmission {
			c.RulesID, c.Authorised = set.ID, l.Authorised
			if l.Decider != nil {
				c.DeciderID = l.Decider.ID
			}
		}
	case v.Passed && purpose == domain.PurposeAdmission && (in.Level == domain.LevelCommittee || !l.Committee):
		c.Stage = domain.CaseCommitteeVoted
	case !v.Passed && purpose == domain.PurposeAdmission:
		st.close(domain.CaseRefused, v.Date, threshold.Message+" ("+threshold.Source+")")
	case !v.Passed:
		c.Stage = domain.CaseProbation
	}
	return c, s.save(ctx, st, "vote", detail, func(tx *store.Store) error {
		if err := tx.AddVote(ctx, v); err != nil {
			return err
		}
		if c.Stage == domain.CaseRefused {
			return s.setPersonStage(ctx, tx, st, st.stageAfterRefusal())
		}
		return nil
	})
}

// judgeChapterVote refuses a chapter resolution the rules do not allow:
// for admission the candidate's conditions and the dossier; for
// recognition the timing and the recognition dossier.
func (s *Service) judgeChapterVote(ctx context.Context, st *caseState, purpose string, v *domain.CaseVote) error {
	switch purpose {
	case domain.PurposeAdmission:
		if err := notBefore("date", v.Date, st.c.DossierOpened, "ngày lập hồ sơ"); err != nil {
			return err
		}
		trial := *v
		trial.Passed = true
		st.parts.Votes = append(st.parts.Votes, &trial)
		defer func() { st.parts.Votes = st.parts.Votes[:len(st.parts.Votes)-1] }()
		pl, err := s.plan(ctx, s.store, st)
		if err != nil {
			return err
		}
		vs, err := s.admissionVerdicts(ctx, st, pl)
		if err != nil {
			return err
		}
		return refuse("nghị quyết chi bộ đề nghị kết nạp", st.blocking(vs, rules.RuleAge, rules.RuleEducation,
			rules.RuleIntroducers, rules.RuleCertificate, rules.RuleDossierAge, RuleDocuments, rules.RuleReadmissionGround,
			rules.RuleReadmissionWait, rules.RuleReadmissionOnce))
	case domain.PurposeRecognition:
		set := rules.InForce(v.Date)
		t, err := rules.RecognitionVoteTimely(&set, st.cal, *st.c.CeremonyDate, &v.Date, st.today)
		if err != nil {
			return calendarErr("date", err)
		}
		if v.Date.Before(rules.ProbationEnd(&set, *st.c.CeremonyDate)) {
			return refuse("nghị quyết chi bộ đề nghị công nhận chính thức", []rules.Verdict{t})
		}
		pl, err := s.plan(ctx, s.store, st)
		if err != nil {
			return err
		}
		return refuse("nghị quyết chi bộ đề nghị công nhận chính thức", st.blocking([]rules.Verdict{t, st.recognitionDocumentsVerdict(pl)}))
	case domain.PurposeStrikeOff:
		return notBefore("date", v.Date, st.c.CeremonyDate, "lễ kết nạp")
	}
	return nil
}

func stageError(st *caseState, what string) error {
	return domain.Errorf(domain.EInvalid, "Không thể ghi %s khi hồ sơ đang ở bước %q", what, lowerInitial(domain.CaseStageName(st.c.Stage)))
}

// close ends the case.
func (st *caseState) close(stage string, on time.Time, reason string) {
	st.c.Stage, st.c.ClosedOn, st.c.CloseReason = stage, &on, reason
}

// stageAfterRefusal is the person's stage when the case ends without an
// admission: a source again, or a former member for a re-admission.
func (st *caseState) stageAfterRefusal() string {
	if st.c.Kind == domain.CaseReadmission {
		return st.c.StageBefore
	}
	return domain.StageSource
}

// Decide records the admission decision of the competent body: it
// writes the membership (decision number, date, deciding body, admitted at
// the case's chapter) that progress counts, and the candidate becomes a
// probationary member. Refused when the decision is late beyond the
// extension or a required provincial consent is missing (unless an
// exception is recorded); a vote below the threshold refuses the case.
func (s *Service) Decide(ctx context.Context, id int64, in DecisionInput) (*domain.Case, error) {
	st, err := s.loadCase(ctx, id, byBoard, in.Version)
	if err != nil {
		return nil, err
	}
	c := st.c
	if c.Stage != domain.CaseChapterVoted && c.Stage != domain.CaseCommitteeVoted {
		return nil, stageError(st, "quyết định kết nạp")
	}
	cv := st.vote(domain.PurposeAdmission, domain.LevelChapter)
	set := rules.InForce(cv.Date)
	l, err := s.ladderOf(ctx, s.store, st.org, cv.Date)
	if err != nil {
		return nil, err
	}
	v, last, err := st.decisionVote(in, domain.PurposeAdmission, l)
	if err != nil {
		return nil, err
	}
	if err := notBefore("date", v.Date, &last, "bước biểu quyết trước"); err != nil {
		return nil, err
	}
	if in.Received != nil {
		if err := notFuture("received", *in.Received, st.today); err != nil {
			return nil, err
		}
		if err := notBefore("received", *in.Received, &v.Date, "ngày quyết định"); err != nil {
			return nil, err
		}
	}
	v.RulesID, v.Authorised = set.ID, l.Authorised
	threshold := rules.DecisionVote(&set, rules.Vote{Members: v.Members, Excluded: v.Excluded, Yes: v.Yes}, l.Authorised, rules.Admission)
	v.Passed = threshold.OK
	timely, err := rules.DecisionTimely(&set, st.cal, cv.Date, &v.Date, st.today)
	if err != nil {
		return nil, calendarErr("date", err)
	}
	consent := rules.Consents(&set, requiredConsents(st, &set), st.consentsOnFile())
	if err := refuse("quyết định kết nạp", st.blocking([]rules.Verdict{timely, consent})); err != nil {
		return nil, err
	}
	m := &domain.Membership{PersonID: st.person.ID, DecisionNo: v.Number, DecisionDate: v.Date, AdmittedOrgID: c.OrgID,
		Status: domain.StageProbationary}
	if l.Decider != nil {
		m.DecidedByID = l.Decider.ID
	}
	if v.Passed {
		if err := m.Validate(); err != nil {
			return nil, err
		}
		c.Stage, c.DecisionNo, c.DecisionDate, c.DecisionReceived, c.DeciderID = domain.CaseDecided, v.Number, &v.Date, in.Received, m.DecidedByID
	} else {
		st.close(domain.CaseRefused, v.Date, threshold.Message+" ("+threshold.Source+")")
	}
	detail := map[string]any{"decision_no": v.Number, "date": v.Date, "yes": v.Yes, "members": v.Members, "passed": v.Passed}
	return c, s.save(ctx, st, "decide", detail, func(tx *store.Store) error {
		if err := tx.AddVote(ctx, v); err != nil {
			return err
		}
		if !v.Passed {
			return s.setPersonStage(ctx, tx, st, st.stageAfterRefusal())
		}
		if err := tx.CreateMembership(ctx, m); err != nil {
			return err
		}
		c.MembershipID = m.ID
		return s.setPersonStage(ctx, tx, st, domain.StageProbationary)
	})
}

// decisionVote checks a decision's input against the ladder: every step
// below it passed. It returns the vote and the date of the last step.
func (st *caseState) decisionVote(in DecisionInput, purpose string, l ladder) (*domain.CaseVote, time.Time, error) {
	vin := in.vote()
	v := &domain.CaseVote{CaseID: st.c.ID, Purpose: purpose, Level: domain.LevelDecision, Date: vin.Date, Number: vn.Clean(vin.Number),
		Members: vin.Members, Excluded: vin.Excluded, Present: vin.Present, Yes: vin.Yes, No: vin.No}
	if v.Number == "" {
		return nil, time.Time{}, domain.FieldError("number", "Cần số quyết định")
	}
	if err := v.Validate(); err != nil {
		return nil, time.Time{}, err
	}
	if err := notFuture("date", v.Date, st.today); err != nil {
		return nil, time.Time{}, err
	}
	var last time.Time
	if cv := st.vote(purpose, domain.LevelChapter); cv != nil {
		last = cv.Date
	}
	for _, step := range []struct {
		need  bool
		level string
		what  string
	}{{l.Sub, domain.LevelSubcommittee, "báo cáo thẩm định của đảng ủy bộ phận"}, {l.Committee, domain.LevelCommittee, "nghị quyết của đảng ủy cơ sở"}} {
		if !step.need {
			continue
		}
		sv := st.vote(purpose, step.level)
		if !passed(sv) {
			return nil, time.Time{}, domain.Errorf(domain.EInvalid, "Chưa có %s đề nghị %s", step.what, domain.PurposeNames[purpose])
		}
		last = sv.Date
	}
	return v, last, nil
}
