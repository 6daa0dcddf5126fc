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

// Rules the case adds to those of internal/rules: the documents of the
// dossier, the documents of the recognition dossier, and the
// sub-committee's review.
const (
	RuleDocuments            = "documents"
	RuleRecognitionDocuments = "recognition_documents"
	RuleSubcommitteeReview   = "subcommittee_review"
)

// Exceptable are the rules an authorised user may let pass with a reason.
// Vote thresholds are not among them: a vote is what it is.
var Exceptable = []string{rules.RuleAge, rules.RuleEducation, rules.RuleIntroducers, rules.RuleCertificate,
	rules.RuleDossierAge, RuleDocuments, rules.RuleConsent, rules.RuleDecisionDeadline, rules.RuleCeremonyDeadline,
	rules.RuleRecognitionVote, rules.RuleRecognitionDecision, RuleRecognitionDocuments, rules.RuleReadmissionGround,
	rules.RuleReadmissionWait, rules.RuleReadmissionOnce}

// RefusedError is a step the rules refuse: an EInvalid domain error (422)
// whose message lists the failing verdicts with their sources, carrying
// the verdicts themselves for the pages and the API ("checks").
type RefusedError struct {
	Err    *domain.Error
	Checks []rules.Verdict
}

func (e *RefusedError) Error() string { return e.Err.Message }
func (e *RefusedError) Unwrap() error { return e.Err }

// refuse returns the RefusedError of a step, nil when nothing fails.
func refuse(step string, failing []rules.Verdict) error {
	if len(failing) == 0 {
		return nil
	}
	parts := make([]string, len(failing))
	exceptable := false
	for i, v := range failing {
		parts[i] = v.Message + " (" + v.Source + ")"
		exceptable = exceptable || slices.Contains(Exceptable, v.Rule)
	}
	msg := "Không thể ghi " + step + " vì chưa đúng quy định: " + strings.Join(parts, "; ") + "."
	if exceptable {
		msg += " Nếu có lý do chính đáng đã được cấp có thẩm quyền chấp thuận, cán bộ tổ chức có thể ghi ngoại lệ kèm lý do rồi ghi lại bước này."
	}
	return &RefusedError{Err: &domain.Error{Code: domain.EInvalid, Message: msg}, Checks: failing}
}

// CaseVerdict is a verdict on a case, with the exception that lets it
// pass when one is recorded (it stays visible as failing and excepted).
type CaseVerdict struct {
	rules.Verdict
	Exception *domain.CaseException
}

func (st *caseState) exception(rule string) *domain.CaseException {
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
		in.Introducers = append(in.Introducers, rules.Introducer{Official: m.Stage == domain.StageOfficial,
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
		return rules.Verdict{Rule: RuleDocuments, Source: src, Message: "Hồ sơ còn thiếu: " + strings.Join(missing, "; ")}
	}
	return rules.Verdict{Rule: RuleDocuments, OK: true, Source: src, Message: "Hồ sơ có đủ đơn, lý lịch đã thẩm tra, ý kiến nhận xét"}
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
		return rules.Verdict{Rule: RuleRecognitionDocuments, Source: src, Message: "Hồ sơ công nhận chính thức còn thiếu: " + strings.Join(missing, "; ")}
	}
	return rules.Verdict{Rule: RuleRecognitionDocuments, OK: true, Source: src, Message: "Hồ sơ công nhận chính thức có đủ giấy chứng nhận lớp đảng viên mới, bản tự kiểm điểm, nhận xét của người giúp đỡ, ý kiến nhận xét"}
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
		out = append(out, rules.Verdict{Rule: rules.RuleCertificate, Source: set.Certificate.Source,
			Message: "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng; quần chúng phải học lớp và được cấp giấy chứng nhận trước khi chi bộ xét"})
	}
	if withDocuments {
		out = append(out, st.documentsVerdict(pl))
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
// stays visible on the case.
//
// The exception keeps the message of the verdict it lets pass: it is
// written once the plan is computed (an exception changes no plan), from
// that plan's verdicts.
func (s *Service) RecordException(ctx context.Context, id int64, in ExceptionInput) (*CaseView, error) {
	var x *domain.CaseException
	return s.runStep(ctx, id, caseStep{action: "exception", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if !slices.Contains(Exceptable, in.Rule) {
				return nil, domain.FieldError("rule", "Không thể ghi ngoại lệ cho quy định %q (chỉ các quy định: %s; kết quả biểu quyết không có ngoại lệ)",
					in.Rule, strings.Join(Exceptable, ", "))
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
