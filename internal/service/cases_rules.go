package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/vn"
)

// Rules the case adds to those of the dossier check: the documents of the
// dossier, the documents of the recognition dossier, and the
// sub-committee's review. Whether an exception may waive a rule is the
// rule set's own data (rules.Set.Waivers).
const (
	RuleDocuments            = rules.RuleDocuments
	RuleRecognitionDocuments = rules.RuleRecognitionDocuments
	RuleSubcommitteeReview   = rules.RuleSubcommitteeReview
)

// RefusedError is a step the rules refuse: an EInvalid domain error (422)
// whose message lists the failing verdicts with their sources, carrying
// the verdicts themselves for the pages and the API ("checks").
type RefusedError struct {
	Err    *domain.Error
	Checks []rules.Verdict
}

func (e *RefusedError) Error() string { return e.Err.Message }
func (e *RefusedError) Unwrap() error { return e.Err }

// refuse returns the RefusedError of a step, nil when nothing fails. The
// message says which failing rules an exception may waive, and which it
// may not, with the source of that answer.
func refuse(step string, failing []rules.Verdict) error {
	if len(failing) == 0 {
		return nil
	}
	parts := make([]string, len(failing))
	exceptable := false
	var absolute []string
	for i, v := range failing {
		parts[i] = v.Message + " (" + v.Source + ")"
		exceptable = exceptable || v.Waivable
		if !v.Waivable && v.WaiverSource != "" {
			absolute = append(absolute, "“"+rules.RuleName(v.Rule)+"” ("+v.WaiverSource+")")
		}
	}
	msg := "Không thể ghi " + step + " vì chưa đúng quy định: " + strings.Join(parts, "; ") + "."
	if exceptable {
		msg += " Nếu có lý do chính đáng đã được cấp có thẩm quyền chấp thuận, cán bộ tổ chức có thể ghi ngoại lệ kèm lý do rồi ghi lại bước này."
	}
	if len(absolute) > 0 {
		msg += " Không được ghi ngoại lệ cho quy định: " + strings.Join(absolute, "; ") + "."
	}
	return &RefusedError{Err: &domain.Error{Code: domain.EInvalid, Message: msg}, Checks: failing}
}

// CaseVerdict is a verdict on a case, with the exception that lets it
// pass when one is recorded (it stays visible as failing and excepted).
type CaseVerdict struct {
	rules.Verdict
	Exception *domain.CaseException
	// Due, on a verdict not met yet, is the day by which it must be: until
	// then the requirement is pending, not failing (the documents of the
	// recognition dossier, due when probation ends).
	Due *time.Time
}

// Failing reports whether the verdict fails now: not met, no exception,
// and not waiting for its due date.
func (v CaseVerdict) Failing() bool { return !v.OK && v.Exception == nil && v.Due == nil }

// exception returns the exception recorded on the case that lets the
// rule pass: none for a rule the case's rule set does not let an exception
// waive, even when one was stored before the set said so.
func (st *caseState) exception(rule string) *domain.CaseException {
	set := rules.InForce(st.at())
	if !set.Waivable(rule) {
		return nil
	}
	for _, e := range st.parts.Exceptions {
		if e.Rule == rule {
			return e
		}
	}
	return nil
}

// blocking keeps the failing verdicts among only (all when only is
// empty) that no exception lets pass.
func (st *caseState) blocking(vs []rules.Verdict, only ...string) []rules.Verdict {
	var out []rules.Verdict
	for _, v := range vs {
		if !v.OK && (len(only) == 0 || slices.Contains(only, v.Rule)) && st.exception(v.Rule) == nil {
			out = append(out, v)
		}
	}
	return out
}

func bptr(b bool) *bool { return &b }
func iptr(n int) *int   { return &n }

func iso(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(domain.DateLayout)
}

// checkInput is the case as the dossier check sees it (CONTRACT "Dossier
// check"), with the votes recorded so far.
func (s *Service) checkInput(ctx context.Context, st *caseState, set *rules.Set) (rules.CheckInput, error) {
	c, p := st.c, st.person
	in := rules.CheckInput{Rules: set.ID, BirthDate: p.BirthDate.Format(domain.DateLayout), Education: p.Education,
		HardshipArea: bptr(c.HardshipArea), VillageElder: bptr(c.VillageElder), YouthUnionMember: bptr(p.YouthUnion),
		YouthUnionExists: bptr(c.YouthUnionExists), TradeUnionMember: bptr(p.TradeUnion),
		YouthUnionResolution: bptr(st.doc(rules.FormYouthUnionResolution) != nil),
		TradeUnionResolution: bptr(st.doc(rules.FormTradeUnionResolution) != nil),
		Introducers:          []rules.Introducer{}, CertificateDate: iso(c.CertificateDate), DossierOpened: iso(c.DossierOpened),
		CeremonyDate: iso(c.CeremonyDate)}
	for _, x := range st.parts.Introducers {
		m, _, err := s.store.GetPerson(ctx, x.PersonID)
		if err != nil {
			return in, err
		}
		official, err := s.officialOn(ctx, m, introducedOn(x, st.at()))
		if err != nil {
			return in, err
		}
		in.Introducers = append(in.Introducers, rules.Introducer{Official: official,
			MonthsTogether: x.MonthsTogether, Waived: x.Waived})
	}
	if v := st.vote(domain.PurposeAdmission, domain.LevelChapter); v != nil {
		in.ChapterVote = &rules.ChapterVoteIn{Date: v.Date.Format(domain.DateLayout), OfficialMembers: iptr(v.Members), Excluded: v.Excluded, Yes: iptr(v.Yes)}
	}
	if v := st.vote(domain.PurposeAdmission, domain.LevelCommittee); v != nil {
		in.CommitteeVote = &rules.CommitteeVoteIn{Date: v.Date.Format(domain.DateLayout), Members: iptr(v.Members), Excluded: v.Excluded, Yes: iptr(v.Yes)}
	}
	if v := st.vote(domain.PurposeAdmission, domain.LevelDecision); v != nil {
		in.Decision = &rules.DecisionIn{Date: v.Date.Format(domain.DateLayout), Received: iso(c.DecisionReceived), Members: iptr(v.Members),
			Excluded: v.Excluded, Yes: iptr(v.Yes), AuthorisedGrassroots: v.Authorised}
	}
	for _, x := range st.parts.Consents {
		in.Consents = append(in.Consents, x.Kind)
	}
	return in, nil
}

// requiredConsents are the provincial consents the case calls for: over
// 60 or a literate-only village elder (from the facts), a political-standard
// issue, a re-admission.
func requiredConsents(st *caseState, set *rules.Set) []rules.Consent {
	m := rules.AgeMonths(st.person.BirthDate, st.at())
	req := rules.RequiredConsents(set, &m, st.person.Education, st.c.VillageElder)
	if st.c.PoliticalIssue {
		req = append(req, rules.ConsentPolitical)
	}
	if st.c.Kind == domain.CaseReadmission {
		req = append(req, rules.ConsentReadmission)
	}
	return req
}

func (st *caseState) consentsOnFile() []rules.Consent {
	var have []rules.Consent
	for _, x := range st.parts.Consents {
		have = append(have, rules.Consent(x.Kind))
	}
	return have
}

// missingConsents names the required consents not on file.
func missingConsents(st *caseState, set *rules.Set) []string {
	var out []string
	have := st.consentsOnFile()
	for _, c := range requiredConsents(st, set) {
		if !slices.Contains(have, c) {
			out = append(out, rules.ConsentName(c))
		}
	}
	return out
}

// documentsVerdict judges the dossier's documents before the chapter
// vote: application, personal history verified (every request answered),
// opinions (HD06 §3.2–§3.5).
func (st *caseState) documentsVerdict(pl *casePlan) rules.Verdict {
	const src = "HD06 §3.2–§3.5; HD38 I.1.4–I.1.5"
	var missing []string
	for _, it := range pl.Missing {
		if it.Kind == rules.FormCertificate || it.Kind == rules.FormIntroduction || it.Kind == rules.FormYouthUnionResolution {
			continue // judged by the certificate and introducer rules
		}
		missing = append(missing, it.Name+" ("+it.Code+")")
	}
	if len(st.parts.Verifications) == 0 {
		missing = append(missing, "kết quả thẩm tra lý lịch (chưa gửi yêu cầu thẩm tra)")
	}
	for _, v := range st.pendingVerifications() {
		missing = append(missing, fmt.Sprintf("trả lời thẩm tra lý lịch của %s (gửi ngày %s, hạn %s)", v.Addressee, vn.Date(v.SentOn), vn.Date(v.Due)))
	}
	if len(missing) > 0 {
		return pl.Set.Mark(rules.Verdict{Rule: RuleDocuments, Source: src, Message: "Hồ sơ còn thiếu: " + strings.Join(missing, "; ")})
	}
	return pl.Set.Mark(rules.Verdict{Rule: RuleDocuments, OK: true, Source: src, Message: "Hồ sơ có đủ đơn, lý lịch đã thẩm tra, ý kiến nhận xét"})
}

// recognitionDocumentsVerdict judges the recognition dossier (HD06 §4,
// HD38 II.1.1c): new-member certificate, self-review, helper's
// assessment, opinions.
func (st *caseState) recognitionDocumentsVerdict(pl *casePlan) rules.Verdict {
	const src = "HD06 §4.1–§4.3; HD38 II.1.1c"
	var missing []string
	for _, it := range pl.Missing {
		missing = append(missing, it.Name+" ("+it.Code+")")
	}
	if len(missing) > 0 {
		return pl.Set.Mark(rules.Verdict{Rule: RuleRecognitionDocuments, Source: src, Message: "Hồ sơ công nhận chính thức còn thiếu: " + strings.Join(missing, "; ")})
	}
	return pl.Set.Mark(rules.Verdict{Rule: RuleRecognitionDocuments, OK: true, Source: src, Message: "Hồ sơ công nhận chính thức có đủ giấy chứng nhận lớp đảng viên mới, bản tự kiểm điểm, nhận xét của người giúp đỡ, ý kiến nhận xét"})
}

// admissionVerdicts are the verdicts of the admission as recorded: the
// dossier check of internal/rules on the case, the consents the case calls
// for, the re-admission conditions, and with withDocuments the documents
// of the dossier (judged until the chapter resolves).
func (s *Service) admissionVerdicts(ctx context.Context, st *caseState, pl *casePlan, withDocuments bool) ([]rules.Verdict, error) {
	set := pl.Set
	in, err := s.checkInput(ctx, st, &set)
	if err != nil {
		return nil, err
	}
	res, err := rules.CheckWith(in, st.today, st.cal)
	if err != nil {
		return nil, err
	}
	var out []rules.Verdict
	for _, v := range res.Checks {
		if v.Rule != rules.RuleConsent {
			out = append(out, v)
		}
	}
	if st.c.CertificateDate == nil {
		out = append(out, set.Mark(rules.Verdict{Rule: rules.RuleCertificate, Source: set.Certificate.Source,
			Message: "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng; quần chúng phải học lớp và được cấp giấy chứng nhận trước khi chi bộ xét"}))
	}
	if withDocuments {
		out = append(out, st.documentsVerdict(pl))
		sp, err := s.sponsors(ctx, st)
		if err != nil {
			return nil, err
		}
		if len(sp) > 0 {
			out = append(out, rules.SameChapter(&set, st.org.Name, st.at(), sp))
		}
	}
	if st.c.Kind == domain.CaseReadmission {
		out = append(out, s.readmissionVerdicts(ctx, st, &set, st.at())...)
	}
	if req := requiredConsents(st, &set); len(req) > 0 || len(st.parts.Consents) > 0 {
		out = append(out, rules.Consents(&set, req, st.consentsOnFile()))
	}
	return out, nil
}

// readmissionVerdicts judge the re-admission conditions on the day on,
// without the consent (judged before the decision with the others).
func (s *Service) readmissionVerdicts(ctx context.Context, st *caseState, set *rules.Set, on time.Time) []rules.Verdict {
	f := rules.ReadmissionFacts{Ground: rules.Ground(st.c.LeftGround), On: on}
	if st.c.LeftOn != nil {
		f.Left = *st.c.LeftOn
	}
	if st.c.RecordCleared != nil {
		f.RecordCleared = *st.c.RecordCleared
	}
	if cases, err := s.store.CasesOfPerson(ctx, st.person.ID); err == nil {
		for _, c := range cases {
			if c.ID != st.c.ID && c.Kind == domain.CaseReadmission && c.DecisionDate != nil {
				f.ReadmittedBefore = true
			}
		}
	}
	var out []rules.Verdict
	for _, v := range rules.Readmission(set, f) {
		if v.Rule != rules.RuleConsent {
			out = append(out, v)
		}
	}
	return out
}

// Verdicts judges the case as it stands, for its page: the admission
// checks, and once the ceremony is held the recognition checks. Excepted
// verdicts carry their exception.
func (s *Service) verdicts(ctx context.Context, st *caseState, pl *casePlan) ([]CaseVerdict, error) {
	var vs []rules.Verdict
	pending := map[int]*time.Time{}       // by index in vs: the due date of a verdict not due yet
	if st.c.Kind != domain.CaseImported { // an imported case's admission is not on record to judge
		var err error
		before := st.c.Stage == domain.CaseSource || st.c.Stage == domain.CaseDossier
		if vs, err = s.admissionVerdicts(ctx, st, pl, before); err != nil {
			return nil, err
		}
	}
	if st.c.CeremonyDate != nil {
		rv := st.vote(domain.PurposeRecognition, domain.LevelChapter)
		var on *time.Time
		if rv != nil {
			on = &rv.Date
		}
		v, err := rules.RecognitionVoteTimely(&pl.Set, st.cal, *st.c.CeremonyDate, on, st.today)
		if err != nil {
			return nil, calendarErr("ceremony_date", err)
		}
		vs = append(vs, v, st.recognitionDocumentsVerdict(pl))
		// the recognition dossier is due at the chapter's recognition vote,
		// once probation has ended: missing documents before then are to come
		if end := rules.ProbationEnd(&pl.Set, *st.c.CeremonyDate); rv == nil && st.today.Before(end) {
			pending[len(vs)-1] = &end
		}
		if rv != nil && rv.Passed {
			rset := rules.InForce(rv.Date)
			v, err := rules.RecognitionDecisionTimely(&rset, st.cal, rv.Date, st.c.RecognitionDate, st.today)
			if err != nil {
				return nil, calendarErr("date", err)
			}
			vs = append(vs, v)
		}
	}
	out := make([]CaseVerdict, len(vs))
	for i, v := range vs {
		out[i] = CaseVerdict{Verdict: v}
		if !v.OK {
			out[i].Exception = st.exception(v.Rule)
			out[i].Due = pending[i]
		}
	}
	return out, nil
}

// ExceptionInput lets a failing rule pass on a case, with the reason.
type ExceptionInput struct {
	Rule    string
	Reason  string
	Version int64
}

// RecordException records an exception to one rule on a case. Only an
// organizer or an admin may (DOMAIN §5: "an authorised user can record an
// exception with a reason"); the reason is required and the exception
// stays visible on the case. A rule the case's rule set does not let an
// exception waive (age, the re-admission grounds, the vote thresholds) is
// refused with the source of that answer.
//
// The exception keeps the message of the verdict it lets pass: it is
// written once the plan is computed (an exception changes no plan), from
// that plan's verdicts.
func (s *Service) RecordException(ctx context.Context, id int64, in ExceptionInput) (*CaseView, error) {
	var x *domain.CaseException
	return s.runStep(ctx, id, caseStep{action: "exception", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			set := rules.InForce(st.at())
			switch w, known := set.Waiver(in.Rule); {
			case !known:
				return nil, domain.FieldError("rule", "Không thể ghi ngoại lệ cho quy định %q (chỉ các quy định: %s; kết quả biểu quyết không có ngoại lệ)",
					in.Rule, strings.Join(set.Exceptable(), ", "))
			case !w.Allowed:
				return nil, domain.FieldError("rule", "Không được ghi ngoại lệ cho quy định “%s”: %s (%s)", rules.RuleName(in.Rule), w.Note, w.Source)
			}
			reason := vn.Clean(in.Reason)
			if len([]rune(reason)) < 10 {
				return nil, domain.FieldError("reason", "Cần ghi rõ lý do của ngoại lệ (văn bản cho phép, số, ngày)")
			}
			x = &domain.CaseException{CaseID: id, Rule: in.Rule, Reason: reason, UserID: st.me.ID, Username: st.me.Username, At: s.Now()}
			return map[string]any{"rule": in.Rule, "reason": reason}, nil
		},
		withPlan: func(ctx context.Context, s *Service, st *caseState, pl *casePlan) error {
			if vs, err := s.verdicts(ctx, st, pl); err == nil {
				for _, v := range vs {
					if v.Rule == in.Rule && !v.OK {
						x.Message = v.Message
					}
				}
			}
			if err := s.store.AddException(ctx, x); err != nil {
				return err
			}
			st.parts.Exceptions = append(st.parts.Exceptions, x)
			return nil
		}})
}

// introducedOn is the day an introducer introduces the candidate: the
// date of the letter, else on (the chapter vote, or today before it).
func introducedOn(x *domain.CaseIntroducer, on time.Time) time.Time {
	if x.LetterDate != nil {
		return *x.LetterDate
	}
	return on
}

// officialOn reports whether m was an official member on the day: an
// official member now, whose admission was decided and recognised on or
// before it (a member recorded without a recognition date is taken as
// official since the admission).
func (s *Service) officialOn(ctx context.Context, m *domain.Person, on time.Time) (bool, error) {
	if m.Stage != domain.StageOfficial {
		return false, nil
	}
	ms, err := s.store.Memberships(ctx, m.ID)
	if err != nil || len(ms) == 0 {
		return err == nil, err
	}
	last := ms[len(ms)-1]
	if last.DecisionDate.After(on) || (last.RecognitionDate != nil && last.RecognitionDate.After(on)) {
		return false, nil
	}
	return true, nil
}

// sponsor is a member as the same-chapter rule sees them: in the case's
// chapter, or in the unit named.
func (s *Service) sponsor(ctx context.Context, st *caseState, m *domain.Person, helper bool) (rules.Sponsor, error) {
	sp := rules.Sponsor{Name: m.FullName, Helper: helper, InChapter: m.OrgID == st.c.OrgID}
	if !sp.InChapter {
		o, err := s.store.GetOrg(ctx, m.OrgID)
		if err != nil {
			return sp, err
		}
		sp.Unit = o.Name
	}
	return sp, nil
}

// sponsors are the case's helper and introducers.
func (s *Service) sponsors(ctx context.Context, st *caseState) ([]rules.Sponsor, error) {
	var ids []int64
	if st.c.HelperID != 0 {
		ids = append(ids, st.c.HelperID)
	}
	for _, x := range st.parts.Introducers {
		ids = append(ids, x.PersonID)
	}
	out := make([]rules.Sponsor, 0, len(ids))
	for i, id := range ids {
		m, _, err := s.store.GetPerson(ctx, id)
		if err != nil {
			return nil, err
		}
		sp, err := s.sponsor(ctx, st, m, i == 0 && st.c.HelperID != 0)
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// checkSponsor refuses a helper or an introducer who is not a member of
// the case's chapter on the day, unless an exception to the same-chapter
// rule is on the case (rules.SameChapter): step names the step.
func (s *Service) checkSponsor(ctx context.Context, st *caseState, m *domain.Person, helper bool, on time.Time, step string) error {
	sp, err := s.sponsor(ctx, st, m, helper)
	if err != nil || sp.InChapter {
		return err
	}
	set := rules.InForce(st.at())
	return refuse(step, st.blocking([]rules.Verdict{rules.SameChapter(&set, st.org.Name, on, []rules.Sponsor{sp})}))
}

// checkIntroducer refuses an introducer who was not an official member of
// the case's chapter on the day of the letter (today when none), unless an
// exception to the same-chapter rule is on the case.
func (s *Service) checkIntroducer(ctx context.Context, st *caseState, m *domain.Person, letter *time.Time) error {
	on := st.today
	if letter != nil {
		on = *letter
	}
	if err := s.officialThen(ctx, m, on, "person_id"); err != nil {
		return err
	}
	return s.checkSponsor(ctx, st, m, false, on, "người giới thiệu")
}

// officialThen refuses a member who was not yet an official member on the
// day (Điều lệ Đ.4: the introducers and the helper are official members).
func (s *Service) officialThen(ctx context.Context, m *domain.Person, on time.Time, field string) error {
	official, err := s.officialOn(ctx, m, on)
	if err != nil || official {
		return err
	}
	return domain.FieldError(field, "%s chưa là đảng viên chính thức ngày %s (Điều lệ Đ.4)", m.FullName, vn.Date(on))
}
