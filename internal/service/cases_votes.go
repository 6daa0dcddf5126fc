package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
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

// purposeStage is the stage a purpose's chapter resolution leads to, and
// the stage it starts from.
var purposeStage = map[string][2]string{
	domain.PurposeAdmission:   {domain.CaseDossier, domain.CaseChapterVoted},
	domain.PurposeRecognition: {domain.CaseProbation, domain.CaseRecognitionVote},
	domain.PurposeStrikeOff:   {domain.CaseProbation, domain.CaseStrikeOffVote},
}

// checkPurpose refuses what a vote or a decision cannot be about.
func checkPurpose(purpose string) error {
	if _, ok := purposeStage[purpose]; !ok {
		return domain.FieldError("purpose", "Nội dung biểu quyết %q không hợp lệ (admission: kết nạp, recognition: công nhận đảng viên chính thức, strike_off: xóa tên đảng viên dự bị)", purpose)
	}
	return nil
}

// Vote records a vote of the ladder below the decision on the purpose
// (domain.PurposeAdmission, PurposeRecognition or PurposeStrikeOff): the
// chapter's resolution, the sub-committee's review or the grassroots
// committee's resolution. The chapter's resolution judges the candidate:
// for admission the conditions and the dossier (age, education,
// introducers, certificate, dossier age, documents), for recognition the
// timing and the recognition dossier. A vote below its threshold is
// recorded: an admission goes to the deciding body, whose conclusion
// closes the case (HD06 §5.1; Conclude), a probationary member stays on
// probation (QĐ294 §4.2).
func (s *Service) Vote(ctx context.Context, id int64, purpose string, in VoteInput) (*CaseView, error) {
	if err := checkPurpose(purpose); err != nil {
		return nil, err
	}
	who := byBoard
	if in.Level == domain.LevelChapter {
		who = byChapter
	}
	var judge func(pl *casePlan) error // the chapter resolution's judgement on the plan
	return s.runStep(ctx, id, caseStep{action: "vote", who: who, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			cv, err := s.ladderVote(ctx, st, purpose, in)
			if err != nil {
				return nil, err
			}
			if in.Level == domain.LevelChapter {
				if judge, err = s.chapterJudge(ctx, st, purpose, cv.vote); err != nil {
					return nil, err
				}
			}
			return s.recordVote(ctx, st, cv)
		},
		withPlan: func(ctx context.Context, s *Service, st *caseState, pl *casePlan) error {
			if judge == nil {
				return nil
			}
			return judge(pl)
		}})
}

// countedVote is a vote of the ladder counted against its threshold, with
// the ladder in force on the vote's date.
type countedVote struct {
	vote      *domain.CaseVote
	threshold rules.Verdict
	ladder    ladder
}

// ladderVote checks a vote of the ladder against the case and counts it.
func (s *Service) ladderVote(ctx context.Context, st *caseState, purpose string, in VoteInput) (*countedVote, error) {
	if in.Level != domain.LevelChapter && in.Level != domain.LevelSubcommittee && in.Level != domain.LevelCommittee {
		return nil, domain.FieldError("level", "Cấp biểu quyết %q không hợp lệ (chapter, subcommittee, committee)", in.Level)
	}
	v := &domain.CaseVote{CaseID: st.c.ID, Purpose: purpose, Level: in.Level, Date: in.Date, Number: vn.Clean(in.Number),
		Members: in.Members, Excluded: in.Excluded, Present: in.Present, Yes: in.Yes, No: in.No}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	if err := st.dated("date", v.Date); err != nil {
		return nil, err
	}
	anchor, err := st.voteAnchor(purpose, v)
	if err != nil {
		return nil, err
	}
	set := rules.InForce(anchor)
	// the ladder of the vote's own day: the levels that remain after a
	// reorganisation are those of the new structure (issue 12)
	l, err := s.ladderOf(ctx, s.store, st.org, v.Date)
	if err != nil {
		return nil, err
	}
	v.RulesID = set.ID
	threshold, err := st.voteThreshold(&set, l, purpose, v)
	if err != nil {
		return nil, err
	}
	v.Passed = threshold.OK
	return &countedVote{vote: v, threshold: threshold, ladder: l}, nil
}

// voteAnchor checks that the case waits for the vote and returns the date
// that chooses the rule set: the chapter resolution's.
func (st *caseState) voteAnchor(purpose string, v *domain.CaseVote) (time.Time, error) {
	from, to := purposeStage[purpose][0], purposeStage[purpose][1]
	what := "biểu quyết đề nghị " + domain.PurposeNames[purpose]
	if v.Level == domain.LevelChapter {
		if st.c.Stage != from {
			return time.Time{}, stageError(st, what)
		}
		return v.Date, nil
	}
	cv := st.vote(purpose, domain.LevelChapter)
	if st.c.Stage != to || !passed(cv) {
		return time.Time{}, stageError(st, what)
	}
	return cv.Date, notBefore("date", v.Date, &cv.Date, "nghị quyết của chi bộ")
}

// voteThreshold judges the vote's figures at its level: two thirds of the
// chapter's official members, or of the committee's members, where the
// ladder has that level and it has not passed yet.
func (st *caseState) voteThreshold(set *rules.Set, l ladder, purpose string, v *domain.CaseVote) (rules.Verdict, error) {
	p := map[string]rules.Purpose{domain.PurposeAdmission: rules.Admission, domain.PurposeRecognition: rules.Recognition,
		domain.PurposeStrikeOff: rules.StrikeOff}[purpose]
	counts := rules.Vote{Members: v.Members, Excluded: v.Excluded, Yes: v.Yes}
	switch v.Level {
	case domain.LevelSubcommittee:
		if !l.Sub || passed(st.vote(purpose, domain.LevelSubcommittee)) {
			return rules.Verdict{}, domain.FieldError("level", "Hồ sơ này không có (hoặc đã qua) bước thẩm định của đảng ủy bộ phận")
		}
		threshold := rules.CommitteeVote(set, counts, p)
		threshold.Rule, threshold.Source = RuleSubcommitteeReview, "HD06 §3.6b; "+threshold.Source
		return set.Mark(threshold), nil
	case domain.LevelCommittee:
		if !l.Committee || passed(st.vote(purpose, domain.LevelCommittee)) {
			return rules.Verdict{}, domain.FieldError("level", "Hồ sơ này không có (hoặc đã qua) bước biểu quyết của đảng ủy cơ sở")
		}
		if l.Sub && !passed(st.vote(purpose, domain.LevelSubcommittee)) {
			return rules.Verdict{}, domain.FieldError("level", "Chưa có báo cáo thẩm định của đảng ủy bộ phận")
		}
		return rules.CommitteeVote(set, counts, p), nil
	}
	return rules.ChapterVote(set, counts, p), nil
}

// recordVote writes the vote and moves the case on: a chapter resolution
// that passed to its next stage, a committee's admission resolution to the
// decision; an admission vote below its threshold to the deciding body,
// whose conclusion closes the case (HD06 §5.1); a recognition or
// strike-off vote below it leaves the member on probation. An admission's
// chapter resolution, whatever its result, fixes the rule set and the
// deciding body.
func (s *Service) recordVote(ctx context.Context, st *caseState, cv *countedVote) (any, error) {
	c, v, l := st.c, cv.vote, cv.ladder
	purpose := v.Purpose
	if purpose == domain.PurposeAdmission && v.Level == domain.LevelChapter {
		c.RulesID, c.Authorised = v.RulesID, l.Authorised
		if l.Decider != nil {
			c.DeciderID = l.Decider.ID
		}
	}
	c.Stage = stageAfterVote(v, l)
	if err := s.store.AddVote(ctx, v); err != nil {
		return nil, err
	}
	return map[string]any{"purpose": purpose, "level": v.Level, "date": v.Date, "yes": v.Yes, "members": v.Members,
		"excluded": v.Excluded, "passed": v.Passed}, nil
}

// stageAfterVote is the stage a vote of the ladder below the decision
// leaves a case at, under the ladder l: below its threshold, an
// admission waits for the deciding body and a probationary member stays
// on probation; reached, the chapter's resolution (or any vote on
// recognition or striking off) waits for the steps above, a sub-committee's
// review for the grassroots committee's vote where there is one, and the
// grassroots committee's vote for the decision.
func stageAfterVote(v *domain.CaseVote, l ladder) string {
	purpose := v.Purpose
	switch {
	case !v.Passed && purpose == domain.PurposeAdmission:
		return domain.CaseVoteFailed
	case !v.Passed:
		return domain.CaseProbation
	case purpose != domain.PurposeAdmission || v.Level == domain.LevelChapter:
		return purposeStage[purpose][1]
	case v.Level == domain.LevelCommittee || !l.Committee:
		return domain.CaseCommitteeVoted
	}
	return domain.CaseChapterVoted
}

// chapterJudge checks what a chapter resolution needs before it is
// written and returns its judgement on the plan of the case with the
// resolution recorded (whatever its result): for admission the
// candidate's conditions and the dossier, under the rule set in force on
// the resolution's date, with the awareness certificate a class issued
// that is valid on that date; for recognition the timing and the
// recognition dossier. A refusal rolls the whole step back.
func (s *Service) chapterJudge(ctx context.Context, st *caseState, purpose string, v *domain.CaseVote) (func(pl *casePlan) error, error) {
	switch purpose {
	case domain.PurposeAdmission:
		if err := notBefore("date", v.Date, st.c.DossierOpened, "ngày lập hồ sơ"); err != nil {
			return nil, err
		}
		if err := linkAwarenessCertificate(ctx, s.store, st, v.Date); err != nil {
			return nil, err
		}
		return func(pl *casePlan) error {
			vs, err := s.admissionVerdicts(ctx, st, pl, true)
			if err != nil {
				return err
			}
			return refuse("nghị quyết chi bộ đề nghị kết nạp", st.blocking(vs, rules.RuleAge, rules.RuleEducation,
				rules.RuleIntroducers, rules.RuleSameChapter, rules.RuleCertificate, rules.RuleDossierAge, RuleDocuments, rules.RuleReadmissionGround,
				rules.RuleReadmissionWait, rules.RuleReadmissionOnce))
		}, nil
	case domain.PurposeRecognition:
		set := rules.InForce(v.Date)
		t, err := rules.RecognitionVoteTimely(&set, st.cal, *st.c.CeremonyDate, &v.Date, st.today)
		if err != nil {
			return nil, calendarErr("date", err)
		}
		if v.Date.Before(rules.ProbationEnd(&set, *st.c.CeremonyDate)) {
			return nil, refuse("nghị quyết chi bộ đề nghị công nhận chính thức", []rules.Verdict{t})
		}
		return func(pl *casePlan) error {
			return refuse("nghị quyết chi bộ đề nghị công nhận chính thức", st.blocking([]rules.Verdict{t, st.recognitionDocumentsVerdict(pl)}))
		}, nil
	}
	return nil, notBefore("date", v.Date, st.c.CeremonyDate, "lễ kết nạp")
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

// Decide records the competent body's decision on the purpose
// (domain.PurposeAdmission, PurposeRecognition or PurposeStrikeOff) and
// the vote behind it. A vote below the threshold refuses an admission and
// leaves a probationary member on probation.
func (s *Service) Decide(ctx context.Context, id int64, purpose string, in DecisionInput) (*CaseView, error) {
	if err := checkPurpose(purpose); err != nil {
		return nil, err
	}
	return s.runStep(ctx, id, caseStep{action: "decide", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if purpose == domain.PurposeAdmission {
				return s.admissionDecision(ctx, st, in)
			}
			return s.probationDecision(ctx, st, purpose, in)
		}})
}

// admissionDecision checks and writes the admission decision: the
// membership (decision number, date, deciding body, admitted at the
// case's chapter) that progress counts, and the candidate becomes a
// probationary member. Refused when the decision is late beyond the
// extension or a required provincial consent is missing (unless an
// exception is recorded).
func (s *Service) admissionDecision(ctx context.Context, st *caseState, in DecisionInput) (any, error) {
	c := st.c
	if c.Stage != domain.CaseChapterVoted && c.Stage != domain.CaseCommitteeVoted {
		return nil, stageError(st, "quyết định kết nạp")
	}
	cv := st.vote(domain.PurposeAdmission, domain.LevelChapter)
	// the rule set (thresholds, deadlines) of the chapter's resolution;
	// the ladder of the decision's day: the body that decides that day
	// (issue 12: after a reorganisation, the new deciding body)
	set := rules.InForce(cv.Date)
	l, err := s.ladderOf(ctx, s.store, st.org, in.Date)
	if err != nil {
		return nil, err
	}
	if err := mayDecide(st.me, l.Decider); err != nil {
		return nil, err
	}
	v, last, err := st.decisionVote(in, domain.PurposeAdmission, l)
	if err != nil {
		return nil, err
	}
	if err := notBefore("date", v.Date, &last, "bước biểu quyết trước"); err != nil {
		return nil, err
	}
	if err := st.checkReceived(in.Received, v.Date); err != nil {
		return nil, err
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
		Status: domain.StageProbationary, Origin: domain.OriginCase}
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
	return detail, s.writeAdmissionDecision(ctx, st, v, m)
}

// checkReceived checks the day the chapter received the decision, when given.
func (st *caseState) checkReceived(received *time.Time, decided time.Time) error {
	if received == nil {
		return nil
	}
	if err := st.dated("received", *received); err != nil {
		return err
	}
	return notBefore("received", *received, &decided, "ngày quyết định")
}

// writeAdmissionDecision writes the decision's vote and, when it passed,
// the membership; the person becomes a probationary member, or a source
// again when the decision refuses.
func (s *Service) writeAdmissionDecision(ctx context.Context, st *caseState, v *domain.CaseVote, m *domain.Membership) error {
	if err := s.store.AddVote(ctx, v); err != nil {
		return err
	}
	if !v.Passed {
		return s.setPersonStage(ctx, st, st.stageAfterRefusal())
	}
	if err := s.store.CreateMembership(ctx, m); err != nil {
		return err
	}
	st.c.MembershipID = m.ID
	return s.setPersonStage(ctx, st, domain.StageProbationary)
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
	if err := st.dated("date", v.Date); err != nil {
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
