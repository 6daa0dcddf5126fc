package service

import (
	"context"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// The steps of the source pool and the dossier (DOMAIN §5 steps 1–3).

// CaseFactsInput are the facts about the candidate's situation that the
// rules need and the person record does not hold.
type CaseFactsInput struct {
	HardshipArea     bool
	VillageElder     bool
	YouthUnionExists *bool // nil keeps the case's
	PoliticalIssue   bool
	Version          int64
}

// SetCaseFacts changes the situation facts of a case before the decision.
func (s *Service) SetCaseFacts(ctx context.Context, id int64, in CaseFactsInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "facts", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if st.c.Admitted() {
				return nil, domain.Errorf(domain.EInvalid, "Đã có quyết định kết nạp; không sửa các điều kiện xét kết nạp nữa")
			}
			c := st.c
			c.HardshipArea, c.VillageElder, c.PoliticalIssue = in.HardshipArea, in.VillageElder, in.PoliticalIssue
			if in.YouthUnionExists != nil {
				c.YouthUnionExists = *in.YouthUnionExists
			}
			return in, nil
		}})
}

// HelperInput assigns the official member who helps the candidate (or,
// after the ceremony, the probationary member).
type HelperInput struct {
	PersonID int64
	Version  int64
}

// AssignHelper assigns or replaces the helper.
func (s *Service) AssignHelper(ctx context.Context, id int64, in HelperInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "helper", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			m, err := s.helper(ctx, st, in.PersonID, "person_id", "người giúp đỡ")
			if err != nil {
				return nil, err
			}
			st.c.HelperID = m.ID
			return map[string]any{"helper": m.ID, "name": m.FullName}, nil
		}})
}

// IntroducerInput is an official member who introduces the candidate.
type IntroducerInput struct {
	PersonID       int64
	MonthsTogether int
	LetterDate     *time.Time
	Waived         bool   // the 12-month condition waived: the introducer or the candidate moved (QĐ294 §3.2.2)
	WaiverReason   string // required with Waived
	Version        int64
}

// AddIntroducer records an introducer before the chapter vote.
func (s *Service) AddIntroducer(ctx context.Context, id int64, in IntroducerInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "introducer", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if err := st.beforeChapterVote("người giới thiệu"); err != nil {
				return nil, err
			}
			m, err := s.member(ctx, st, in.PersonID, "person_id")
			if err != nil {
				return nil, err
			}
			if in.MonthsTogether < 0 || in.MonthsTogether > 1200 {
				return nil, domain.FieldError("months_together", "Số tháng cùng công tác không hợp lệ")
			}
			if in.LetterDate != nil {
				if err := st.dated("letter_date", *in.LetterDate); err != nil {
					return nil, err
				}
			}
			if err := s.checkIntroducer(ctx, st, m, in.LetterDate); err != nil {
				return nil, err
			}
			x := &domain.CaseIntroducer{CaseID: id, PersonID: m.ID, MonthsTogether: in.MonthsTogether, LetterDate: in.LetterDate,
				Waived: in.Waived, WaiverReason: vn.Clean(in.WaiverReason)}
			if x.Waived && x.WaiverReason == "" {
				return nil, domain.FieldError("waiver_reason", "Cần ghi lý do miễn điều kiện 12 tháng (người giới thiệu hoặc người vào Đảng chuyển nơi công tác, sinh hoạt)")
			}
			return map[string]any{"introducer": m.ID, "name": m.FullName, "months": x.MonthsTogether}, s.store.AddIntroducer(ctx, x)
		}})
}

// RemoveIntroducer removes an introducer before the chapter vote (one who
// moved, was disciplined or can no longer introduce: the chapter assigns
// another, QĐ294 §3.2.2).
func (s *Service) RemoveIntroducer(ctx context.Context, id, introducerID, version int64) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "remove_introducer", who: byChapter, version: version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if err := st.beforeChapterVote("người giới thiệu"); err != nil {
				return nil, err
			}
			return map[string]any{"introducer": introducerID}, s.store.RemoveIntroducer(ctx, id, introducerID)
		}})
}

func (st *caseState) beforeChapterVote(what string) error {
	if st.c.Stage != domain.CaseSource && st.c.Stage != domain.CaseDossier {
		return domain.Errorf(domain.EInvalid, "Chi bộ đã biểu quyết đề nghị kết nạp; không thay đổi %s nữa", what)
	}
	return nil
}

// CertificateInput records the awareness-class certificate on the case:
// a certificate issued by a training class (CertificateID), or the number
// and date of one issued elsewhere.
type CertificateInput struct {
	CertificateID int64 // a class's certificate of the person (programme awareness)
	Number        string
	Date          time.Time
	Version       int64
}

// RecordCertificate records the awareness-class certificate.
func (s *Service) RecordCertificate(ctx context.Context, id int64, in CertificateInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "certificate", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if err := st.beforeChapterVote("giấy chứng nhận"); err != nil {
				return nil, err
			}
			if in.CertificateID != 0 {
				k, err := s.store.GetCertificate(ctx, in.CertificateID)
				if err != nil && (st.me.OrgPath == "" || domain.ErrorCode(err) != domain.ENotFound) {
					return nil, err
				}
				if err != nil || k.PersonID != st.person.ID {
					// unknown, or another person's: the same answer, naming
					// only the candidate
					return nil, domain.FieldError("certificate_id", "Giấy chứng nhận mã %d không phải giấy chứng nhận của %s", in.CertificateID, st.person.FullName)
				}
				if k.Programme != domain.ProgAwareness {
					return nil, domain.FieldError("certificate_id", "Giấy chứng nhận số %s không phải giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng của %s", k.Number, st.person.FullName)
				}
				in.Number, in.Date = k.Number, k.Issued
			}
			if err := st.dated("date", in.Date); err != nil {
				return nil, err
			}
			no := vn.Clean(in.Number)
			if no == "" || len([]rune(no)) > 60 {
				return nil, domain.FieldError("number", "Cần số giấy chứng nhận (tối đa 60 ký tự)")
			}
			st.c.CertificateNo, st.c.CertificateDate, st.c.CertificateID = no, &in.Date, in.CertificateID
			return map[string]any{"number": no, "date": in.Date, "certificate": in.CertificateID}, nil
		}})
}

// classCertificates brings in the certificates that training classes
// issued to the candidate: the awareness certificate valid on the chapter
// vote (or today), when the case has none yet (it is saved with the next
// step), and the new-member certificate of the recognition dossier.
func (s *Service) classCertificates(ctx context.Context, q *store.Store, st *caseState) error {
	c := st.c
	if c.Stage == domain.CaseSource || c.Stage == domain.CaseDossier {
		if err := linkAwarenessCertificate(ctx, q, st, st.at()); err != nil {
			return err
		}
	}
	if c.CeremonyDate != nil && st.doc(domain.DocNewMemberCertificate) == nil {
		list, err := q.CertificatesOfPerson(ctx, st.person.ID)
		if err != nil {
			return err
		}
		for _, k := range list {
			if k.Programme == domain.ProgNewMember && !k.Issued.Before(*c.CeremonyDate) {
				st.parts.Documents = append(st.parts.Documents, &domain.CaseDocument{CaseID: c.ID, Kind: domain.DocNewMemberCertificate,
					Number: k.Number, Date: k.Issued, Note: "Cấp sau lớp bồi dưỡng đảng viên mới"})
				break
			}
		}
	}
	return nil
}

// linkAwarenessCertificate links to a case without a certificate the
// awareness certificate a training class issued to the candidate that is
// valid on the day.
func linkAwarenessCertificate(ctx context.Context, q *store.Store, st *caseState, on time.Time) error {
	c := st.c
	if c.CertificateDate != nil {
		return nil
	}
	k, err := q.ValidCertificateOn(ctx, st.person.ID, domain.ProgAwareness, on)
	if err != nil || k == nil {
		return err
	}
	issued := k.Issued
	c.CertificateNo, c.CertificateDate, c.CertificateID = k.Number, &issued, k.ID
	return nil
}

// DateInput is a step that records only a date.
type DateInput struct {
	Date    time.Time
	Version int64
}

// OpenDossier lets the source start the procedure: the dossier is opened
// on the date (lập hồ sơ), from which the 12-month freshness counts
// (HD06 §5.4a). Called again on a dossier more than 12 months old without
// a chapter vote, it opens it anew once the documents are redone.
func (s *Service) OpenDossier(ctx context.Context, id int64, in DateInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "dossier", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if err := st.beforeChapterVote("ngày lập hồ sơ"); err != nil {
				return nil, err
			}
			if err := st.dated("date", in.Date); err != nil {
				return nil, err
			}
			if err := notBefore("date", in.Date, &st.c.OpenedOn, "ngày đưa vào danh sách cảm tình Đảng"); err != nil {
				return nil, err
			}
			if st.c.HelperID == 0 {
				return nil, domain.FieldError("helper_id", "Chi bộ cần phân công đảng viên giúp đỡ trước khi lập hồ sơ (HD38 I.1.1d)")
			}
			c := st.c
			if c.DossierOpened != nil && !in.Date.After(*c.DossierOpened) {
				return nil, domain.FieldError("date", "Hồ sơ đã lập ngày %s", vn.Date(*c.DossierOpened))
			}
			c.DossierOpened, c.Stage = &in.Date, domain.CaseDossier
			return map[string]any{"date": in.Date}, s.setPersonStage(ctx, st, domain.StageCandidate)
		}})
}

// DocumentInput records a document of the dossier by kind.
type DocumentInput struct {
	Kind    string // application, personal_history, youth_union_resolution, trade_union_resolution, opinions, self_review, helper_assessment, probation_opinions, new_member_certificate
	Number  string
	Date    time.Time
	Note    string
	Version int64
}

// documentKinds are the documents recorded directly; the others come from
// the steps (certificate, introductions, votes, decisions).
var documentKinds = map[string]string{
	rules.FormApplication: domain.PurposeAdmission, rules.FormPersonalHistory: domain.PurposeAdmission,
	rules.FormYouthUnionResolution: domain.PurposeAdmission, rules.FormTradeUnionResolution: domain.PurposeAdmission,
	rules.FormOpinions: domain.PurposeAdmission, rules.FormSelfReview: domain.PurposeRecognition,
	rules.FormHelperAssessment: domain.PurposeRecognition, rules.FormProbationOpinions: domain.PurposeRecognition,
	domain.DocNewMemberCertificate: domain.PurposeRecognition,
}

// RecordDocument records (or replaces) a document of the dossier.
func (s *Service) RecordDocument(ctx context.Context, id int64, in DocumentInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "document", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			phase, ok := documentKinds[in.Kind]
			if !ok {
				return nil, domain.FieldError("kind", "Loại văn bản %q không ghi trực tiếp (các loại: application, personal_history, youth_union_resolution, trade_union_resolution, opinions, self_review, helper_assessment, probation_opinions, new_member_certificate)", in.Kind)
			}
			if phase == domain.PurposeAdmission {
				if err := st.beforeChapterVote(domain.DocumentNames[in.Kind]); err != nil {
					return nil, err
				}
			} else if st.c.CeremonyDate == nil {
				return nil, domain.FieldError("kind", "%s thuộc hồ sơ công nhận chính thức, ghi sau lễ kết nạp", domain.DocumentNames[in.Kind])
			}
			if err := st.dated("date", in.Date); err != nil {
				return nil, err
			}
			x := &domain.CaseDocument{CaseID: id, Kind: in.Kind, Number: vn.Clean(in.Number), Date: in.Date, Note: vn.Clean(in.Note)}
			if len([]rune(x.Number)) > 60 || len([]rune(x.Note)) > 1000 {
				return nil, domain.FieldError("number", "Số văn bản (tối đa 60 ký tự) hoặc ghi chú (tối đa 1000 ký tự) quá dài")
			}
			return map[string]any{"kind": x.Kind, "number": x.Number, "date": x.Date}, s.store.PutDocument(ctx, x)
		}})
}

// VerificationInput is a request to verify the personal history.
type VerificationInput struct {
	Subject    string // a key of domain.VerificationSubjects
	Addressee  string // the committee asked
	SentOn     time.Time
	ReceivedOn *time.Time // the day the committee asked received it, when known (else recorded later)
	Abroad     bool       // 90 working days instead of 30 (HD06 §3.4)
	Version    int64
}

// RequestVerification records a verification request and its reply
// deadline: 30 working days at home, 90 abroad, from the receipt of the
// request (HD06 §3.4); from the sending while no receipt is recorded.
func (s *Service) RequestVerification(ctx context.Context, id int64, in VerificationInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "verification", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if err := st.beforeChapterVote("thẩm tra lý lịch"); err != nil {
				return nil, err
			}
			if _, ok := domain.VerificationSubjects[in.Subject]; !ok {
				return nil, domain.FieldError("subject", "Người được thẩm tra %q không hợp lệ", in.Subject)
			}
			addr := vn.Clean(in.Addressee)
			if addr == "" || len([]rune(addr)) > 200 {
				return nil, domain.FieldError("addressee", "Cần tên cấp ủy được đề nghị thẩm tra (tối đa 200 ký tự)")
			}
			if err := st.dated("sent_on", in.SentOn); err != nil {
				return nil, err
			}
			if in.ReceivedOn != nil {
				if err := st.checkReceipt("received_on", *in.ReceivedOn, in.SentOn, "ngày gửi yêu cầu"); err != nil {
					return nil, err
				}
			}
			x := &domain.CaseVerification{CaseID: id, Subject: in.Subject, Addressee: addr, SentOn: in.SentOn, ReceivedOn: in.ReceivedOn, Abroad: in.Abroad}
			var err error
			if x.Due, err = st.verificationDue(x); err != nil {
				return nil, err
			}
			return map[string]any{"subject": x.Subject, "addressee": addr, "received_on": x.ReceivedOn, "due": x.Due}, s.store.AddVerification(ctx, x)
		}})
}

// ReplyInput is the reply to a verification request.
type ReplyInput struct {
	Date    time.Time
	Result  string
	Version int64
}

// RecordVerificationReply records the reply to a verification request.
func (s *Service) RecordVerificationReply(ctx context.Context, id, verificationID int64, in ReplyInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "verification_reply", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			i := slices.IndexFunc(st.parts.Verifications, func(v *domain.CaseVerification) bool { return v.ID == verificationID })
			if i < 0 {
				return nil, domain.Errorf(domain.ENotFound, "Không tìm thấy yêu cầu thẩm tra số %d của hồ sơ", verificationID)
			}
			v := st.parts.Verifications[i]
			if err := st.dated("date", in.Date); err != nil {
				return nil, err
			}
			if err := notBefore("date", in.Date, &v.SentOn, "ngày gửi yêu cầu"); err != nil {
				return nil, err
			}
			result := vn.Clean(in.Result)
			if result == "" || len([]rune(result)) > 1000 {
				return nil, domain.FieldError("result", "Cần tóm tắt kết quả thẩm tra (tối đa 1000 ký tự)")
			}
			return map[string]any{"verification": verificationID, "date": in.Date},
				s.store.ReplyVerification(ctx, id, verificationID, in.Date, result)
		}})
}

// ConsentInput records a provincial standing committee's written consent.
type ConsentInput struct {
	Kind    string // over_60, literate_only, political, readmission
	Number  string
	Date    time.Time
	Version int64
}

// RecordConsent records a provincial consent (HD06 §1.1, §1.2, §3.7c;
// QĐ294 §3.5), which must be on file before the decision.
func (s *Service) RecordConsent(ctx context.Context, id int64, in ConsentInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "consent", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			switch rules.Consent(in.Kind) {
			case rules.ConsentOver60, rules.ConsentLiterateOnly, rules.ConsentPolitical, rules.ConsentReadmission:
			default:
				return nil, domain.FieldError("kind", "Loại văn bản đồng ý %q không hợp lệ (over_60, literate_only, political, readmission)", in.Kind)
			}
			if st.c.Admitted() {
				return nil, domain.Errorf(domain.EInvalid, "Đã có quyết định kết nạp; văn bản đồng ý phải có trước quyết định")
			}
			if err := st.dated("date", in.Date); err != nil {
				return nil, err
			}
			x := &domain.CaseConsent{CaseID: id, Kind: in.Kind, Number: vn.Clean(in.Number), Date: in.Date}
			if x.Number == "" || len([]rune(x.Number)) > 60 {
				return nil, domain.FieldError("number", "Cần số văn bản đồng ý (tối đa 60 ký tự)")
			}
			return map[string]any{"kind": x.Kind, "number": x.Number, "date": x.Date}, s.store.PutConsent(ctx, x)
		}})
}
