package domain

import "time"

// CaseIntroducer is an official member who introduces the candidate
// (giấy giới thiệu, form 3-KNĐ).
type CaseIntroducer struct {
	ID             int64
	CaseID         int64
	PersonID       int64
	MonthsTogether int        // months of shared work, study or residence
	LetterDate     *time.Time // the date of the introduction letter
	Waived         bool       // the 12-month condition waived (someone moved)
	WaiverReason   string
}

// CaseDocument is one document of the dossier, by kind (the form kinds of
// internal/rules plus DocNewMemberCertificate). Recording a kind again
// replaces it (a document redone after 12 months).
type CaseDocument struct {
	ID     int64
	CaseID int64
	Kind   string
	Number string
	Date   time.Time
	Note   string
}

// DocNewMemberCertificate is the certificate of the new-member class
// (QĐ1147 Mẫu 6.2), part of the recognition dossier (HD38 II.1.1c).
const DocNewMemberCertificate = "new_member_certificate"

// DocVoteConclusion is the deciding body's conclusion on an admission
// vote below its threshold (thông báo kết luận, HD06 §5.1): its number,
// date and, as the note, what it concluded.
const DocVoteConclusion = "vote_conclusion"

// Vote purposes and levels.
const (
	PurposeAdmission   = "admission"
	PurposeRecognition = "recognition"
	PurposeStrikeOff   = "strike_off"

	LevelChapter      = "chapter"
	LevelSubcommittee = "subcommittee"
	LevelCommittee    = "committee"
	LevelDecision     = "decision"
)

// LevelNames maps vote levels to Vietnamese.
var LevelNames = map[string]string{
	LevelChapter:      "Chi bộ",
	LevelSubcommittee: "Đảng ủy bộ phận",
	LevelCommittee:    "Đảng ủy cơ sở",
	LevelDecision:     "Cấp ủy có thẩm quyền",
}

// PurposeNames maps vote purposes to Vietnamese.
var PurposeNames = map[string]string{
	PurposeAdmission:   "kết nạp",
	PurposeRecognition: "công nhận đảng viên chính thức",
	PurposeStrikeOff:   "xóa tên đảng viên dự bị",
}

// CaseVote is one vote of the ladder: the chapter's resolution, the
// sub-committee's review, the grassroots committee's resolution or the
// competent body's decision, for one purpose.
type CaseVote struct {
	ID         int64
	CaseID     int64
	Purpose    string
	Level      string
	Date       time.Time
	Number     string // the resolution's or decision's number
	Members    int    // official members of the chapter, or members of the committee
	Excluded   int    // not counted in the denominator
	Present    int
	Yes        int
	No         int
	Passed     bool
	Authorised bool   // decided by an authorised grassroots committee
	RulesID    string // the rule set in force on the date
}

// Counted is the denominator: the members that count.
func (v *CaseVote) Counted() int { return v.Members - v.Excluded }

// Validate checks that the counts add up.
func (v *CaseVote) Validate() error {
	switch {
	case v.Date.IsZero():
		return FieldError("date", "Cần ngày họp, biểu quyết")
	case v.Members <= 0:
		return FieldError("members", "Số thành viên (đảng viên chính thức của chi bộ, ủy viên của cấp ủy) phải lớn hơn 0")
	case v.Excluded < 0 || v.Present < 0 || v.Yes < 0 || v.No < 0:
		return FieldError("yes", "Các số biểu quyết không được âm")
	case v.Excluded >= v.Members:
		return FieldError("excluded", "Số không tính vào tổng số (%d) phải nhỏ hơn số thành viên (%d)", v.Excluded, v.Members)
	case v.Present > v.Members:
		return FieldError("present", "Số có mặt (%d) không được lớn hơn số thành viên (%d)", v.Present, v.Members)
	case v.Yes+v.No > v.Present:
		return FieldError("yes", "Số tán thành (%d) cộng số không tán thành (%d) vượt số có mặt (%d)", v.Yes, v.No, v.Present)
	case len([]rune(v.Number)) > 60:
		return FieldError("number", "Số văn bản quá dài")
	}
	return nil
}

// CaseVerification is a request to verify the personal history (thẩm tra
// lý lịch) and its reply: 30 working days at home, 90 abroad, from the
// day the committee asked received the request (HD06 §3.4); from the day
// it was sent while no receipt is recorded.
type CaseVerification struct {
	ID         int64
	CaseID     int64
	Subject    string // who is verified: the candidate, father, mother, spouse …
	Addressee  string // the committee asked
	SentOn     time.Time
	ReceivedOn *time.Time // the day the committee asked received the request, nil when not recorded
	Abroad     bool
	Due        time.Time
	RepliedOn  *time.Time
	Result     string
}

// ReplyAnchor is the day the reply's working days count from: the
// receipt when recorded, else the sending date (provisional is true).
func (v *CaseVerification) ReplyAnchor() (anchor time.Time, provisional bool) {
	if v.ReceivedOn != nil {
		return *v.ReceivedOn, false
	}
	return v.SentOn, true
}

// ReplyDays is the reply's term in working days (HD06 §3.4).
func (v *CaseVerification) ReplyDays() int {
	if v.Abroad {
		return 90
	}
	return 30
}

// CaseConsent is a provincial standing committee's written consent on
// file (kinds as rules.Consent: over_60, literate_only, political, readmission).
type CaseConsent struct {
	ID     int64
	CaseID int64
	Kind   string
	Number string
	Date   time.Time
}

// CaseException lets one failing rule pass on a case, with the reason an
// authorised user gave; the verdict stays visible as excepted.
type CaseException struct {
	ID       int64
	CaseID   int64
	Rule     string
	Reason   string
	Message  string // the failing verdict's message when it was recorded
	UserID   int64
	Username string
	At       time.Time
}

// CaseTransfer is a move of the candidate to another chapter (HD06 §3.9).
// A dossier already resolved on is decided at the destination within 30
// working days of its receipt there (ReceivedOn; the transfer's date while
// no receipt is recorded).
type CaseTransfer struct {
	ID         int64
	CaseID     int64
	FromOrgID  int64
	ToOrgID    int64
	Date       time.Time
	Stage      string // the case's stage when it moved
	Reason     string
	ReceivedOn *time.Time // the day the destination received the dossier, nil when not recorded
}

// CaseFile is an attached scan (PDF, JPEG or PNG); Data is loaded only
// when the file itself is asked for.
type CaseFile struct {
	ID          int64
	CaseID      int64
	Kind        string // the document kind it belongs to, "" for none
	Name        string
	ContentType string
	Size        int64
	SHA256      string // hex
	Data        []byte
	UploadedAt  time.Time
	UploadedBy  string
}

// CaseDeadline is one pending deadline of an open case.
type CaseDeadline struct {
	CaseID   int64
	Kind     string // DeadlineDecision, …
	Due      time.Time
	Extended *time.Time // the last day with the largest extension, when the rule allows one
	Owner    string
	Label    string
	// Provisional: the deadline counts from a stand-in date because the
	// day it counts from (a receipt) is not recorded; the label says so.
	// Not stored: the plan sets it each time.
	Provisional bool
}

// Deadline kinds.
const (
	DeadlineVerification     = "verification"
	DeadlineDossierLapse     = "dossier_lapse"
	DeadlineCertificateLapse = "certificate_lapse"
	DeadlineDecision         = "decision"
	DeadlineCeremony         = "ceremony"
	DeadlineProbationEnd     = "probation_end"
	DeadlineRecognitionVote  = "recognition_vote"
	DeadlineRecognition      = "recognition_decision"
	DeadlineTransfer         = "transfer_decision"
	DeadlineConclusion       = "vote_conclusion"
)

// DeadlineNames maps deadline kinds to Vietnamese.
var DeadlineNames = map[string]string{
	DeadlineVerification:     "Trả lời thẩm tra lý lịch",
	DeadlineDossierLapse:     "Hồ sơ hết hạn 12 tháng",
	DeadlineCertificateLapse: "Giấy chứng nhận lớp nhận thức hết hạn 60 tháng",
	DeadlineDecision:         "Quyết định kết nạp",
	DeadlineCeremony:         "Lễ kết nạp",
	DeadlineProbationEnd:     "Hết 12 tháng dự bị",
	DeadlineRecognitionVote:  "Chi bộ xét công nhận chính thức",
	DeadlineRecognition:      "Quyết định công nhận chính thức",
	DeadlineTransfer:         "Quyết định kết nạp sau khi chuyển hồ sơ",
	DeadlineConclusion:       "Kết luận về biểu quyết không đạt",
}

// DocumentNames are the Vietnamese names of the documents of the
// procedure, by kind (the form kinds of internal/rules, whose codes the
// rule set labels, and DocNewMemberCertificate).
var DocumentNames = map[string]string{
	"awareness_certificate":            "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
	"application":                      "Đơn xin vào Đảng",
	"personal_history":                 "Lý lịch của người xin vào Đảng",
	"introduction":                     "Giấy giới thiệu người vào Đảng",
	"youth_union_resolution":           "Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng",
	"trade_union_resolution":           "Nghị quyết giới thiệu đoàn viên công đoàn vào Đảng",
	"opinions":                         "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú",
	"chapter_resolution":               "Nghị quyết chi bộ đề nghị kết nạp",
	"subcommittee_report":              "Báo cáo thẩm định của đảng ủy bộ phận",
	"committee_resolution":             "Nghị quyết đảng ủy cơ sở đề nghị kết nạp",
	"decision":                         "Quyết định kết nạp đảng viên",
	"self_review":                      "Bản tự kiểm điểm của đảng viên dự bị",
	"helper_assessment":                "Bản nhận xét của đảng viên chính thức giúp đỡ",
	"probation_opinions":               "Tổng hợp ý kiến nhận xét về đảng viên dự bị",
	"recognition_chapter_resolution":   "Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức",
	"recognition_subcommittee_report":  "Báo cáo thẩm định của đảng ủy bộ phận (công nhận chính thức)",
	"recognition_committee_resolution": "Nghị quyết đảng ủy cơ sở đề nghị công nhận chính thức",
	"recognition_decision":             "Quyết định công nhận đảng viên chính thức",
	DocNewMemberCertificate:            "Giấy chứng nhận học lớp bồi dưỡng lý luận chính trị cho đảng viên mới",
	DocVoteConclusion:                  "Thông báo kết luận của cấp có thẩm quyền về biểu quyết không đạt",
}

// VerificationSubjects are the people whose history is verified (HD06
// §3.4: the candidate, parents or who raised them, parents-in-law, spouse,
// adult children).
var VerificationSubjects = map[string]string{
	"candidate":  "Người vào Đảng",
	"father":     "Cha",
	"mother":     "Mẹ",
	"guardian":   "Người trực tiếp nuôi dưỡng",
	"father_law": "Cha vợ (chồng)",
	"mother_law": "Mẹ vợ (chồng)",
	"spouse":     "Vợ (chồng)",
	"child":      "Con đẻ đủ năng lực hành vi dân sự",
	"other":      "Người thân khác",
}
