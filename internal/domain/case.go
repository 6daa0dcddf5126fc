package domain

import "time"

// Case is one candidate's path through the admission procedure
// (DOMAIN §5): from the source pool to the decision, the ceremony,
// probation and recognition, or a refusal, a withdrawal or striking off.
// A person has at most one open case; a refused candidate may get a new
// one later, and a re-admission is a case of its own kind.
type Case struct {
	ID          int64
	PersonID    int64
	OrgID       int64  // the chapter that cultivates the candidate now
	Kind        string // CaseFirst, CaseReadmission or CaseImported
	Stage       string // CaseSource … CaseOfficial, or a closing stage
	StageBefore string // the person's stage when the case was opened

	OpenedOn      time.Time  // selected into the list of sources (HD38 I.1.1d)
	HelperID      int64      // the official member assigned to help, 0 when none
	DossierOpened *time.Time // lập hồ sơ: the 12-month freshness counts from it

	// The awareness-class certificate: its number and date as recorded
	// on the case; CertificateID links a certificate issued by a class
	// (training classes) when there is one.
	CertificateNo   string
	CertificateDate *time.Time
	CertificateID   int64

	HardshipArea     bool // lives or works in a hardship area, or a fisherman (QĐ294 §1.2)
	VillageElder     bool // già làng, trưởng bản, người có uy tín there
	YouthUnionExists bool // a Youth Union organization exists where the candidate works
	PoliticalIssue   bool // a political-standard issue beyond the committee (HD06 §3.7c)

	// Re-admission facts (QĐ294 §3.5).
	LeftOn        *time.Time
	LeftGround    string
	RecordCleared *time.Time

	RulesID          string // the rule set of the chapter resolution ("" before it)
	DeciderID        int64  // the body that decides, from the authority on the resolution date
	Authorised       bool   // the decider is an authorised grassroots committee
	DecisionNo       string
	DecisionDate     *time.Time
	DecisionReceived *time.Time // the day the chapter received the decision
	MembershipID     int64
	CeremonyDate     *time.Time
	RecognitionNo    string
	RecognitionDate  *time.Time // the recognition decision's date

	ClosedOn    *time.Time
	CloseReason string
	PausedOn    *time.Time
	PauseReason string

	// What comes next, as computed by the service when the case last changed.
	NextAction string
	NextOwner  string
	NextDue    *time.Time

	Version int64
}

// Case kinds.
const (
	CaseFirst       = "first"
	CaseReadmission = "readmission"
	// CaseImported is a first admission decided before it was recorded in
	// ketnap: the members import opens it at the decision (awaiting the
	// ceremony, or in probation) so that the ceremony and recognition
	// deadlines show; the steps before the decision are not on record.
	CaseImported = "imported"
)

// Case stages. The first eight are the path and CaseVoteFailed waits off
// it; the last four close a case. CaseVoteFailed: an admission vote below
// the decision (the chapter's, the sub-committee's review or the
// grassroots committee's) did not reach its threshold; its full result
// goes to the deciding body, whose recorded conclusion closes the case
// (HD06 §5.1). It is not past the chapter vote: the funnel and the
// projection do not count it there.
const (
	CaseSource          = "source"            // quần chúng ưu tú, helper assigned, awareness class
	CaseDossier         = "dossier"           // hồ sơ: application, history, verification, introductions, opinions
	CaseChapterVoted    = "chapter_voted"     // the chapter resolved to propose the admission
	CaseCommitteeVoted  = "committee_voted"   // the sub-committee reviewed / grassroots committee resolved
	CaseVoteFailed      = "vote_failed"       // a vote below its threshold, awaiting the deciding body's conclusion
	CaseDecided         = "decided"           // the admission decision is signed; the ceremony is next
	CaseProbation       = "probation"         // the ceremony is held: 12 months of probation
	CaseRecognitionVote = "recognition_voted" // the chapter (and committee) resolved on recognition
	CaseStrikeOffVote   = "strike_off_voted"  // the chapter (and committee) resolved to strike off
	CaseOfficial        = "official"          // recognised as an official member: closed
	CaseStruckOff       = "struck_off"        // struck off during probation: closed
	CaseRefused         = "refused"           // not admitted (a vote or the competent body said no): closed
	CaseWithdrawn       = "withdrawn"         // withdrawn (the candidate or the chapter): closed
)

// CaseStages lists the stages in order with their Vietnamese names.
var CaseStages = []struct {
	Code string
	Name string
}{
	{CaseSource, "Quần chúng ưu tú (tạo nguồn)"},
	{CaseDossier, "Đang làm hồ sơ"},
	{CaseChapterVoted, "Chi bộ đã đề nghị kết nạp"},
	{CaseCommitteeVoted, "Cấp ủy cơ sở đã đề nghị"},
	{CaseVoteFailed, "Biểu quyết không đạt, chờ cấp có thẩm quyền kết luận"},
	{CaseDecided, "Đã có quyết định kết nạp"},
	{CaseProbation, "Đảng viên dự bị"},
	{CaseRecognitionVote, "Đã đề nghị công nhận chính thức"},
	{CaseStrikeOffVote, "Đã đề nghị xóa tên"},
	{CaseOfficial, "Đã công nhận đảng viên chính thức"},
	{CaseStruckOff, "Đã xóa tên đảng viên dự bị"},
	{CaseRefused, "Không được kết nạp"},
	{CaseWithdrawn, "Đã rút khỏi danh sách"},
}

// CaseStageName returns the Vietnamese name of a case stage.
func CaseStageName(code string) string {
	for _, s := range CaseStages {
		if s.Code == code {
			return s.Name
		}
	}
	return code
}

// ValidCaseStage reports whether code is a case stage.
func ValidCaseStage(code string) bool { return CaseStageName(code) != code }

// Closed reports whether the case has ended.
func (c *Case) Closed() bool { return c.ClosedOn != nil }

// Admitted reports whether the admission decision is recorded.
func (c *Case) Admitted() bool { return c.DecisionDate != nil }

// Owners of the next action (who must act).
const (
	OwnerChapter      = "chapter"      // the chapter (chi bộ, chi ủy)
	OwnerSubcommittee = "subcommittee" // the sub-committee (đảng ủy bộ phận)
	OwnerCommittee    = "committee"    // the grassroots committee (đảng ủy cơ sở)
	OwnerBoard        = "board"        // the competent committee's organization board
	OwnerProvince     = "province"     // the provincial standing committee (consents)
	OwnerVerifier     = "verifier"     // the committee asked to verify the personal history
)

// OwnerNames maps owners to Vietnamese.
var OwnerNames = map[string]string{
	OwnerChapter:      "Chi bộ",
	OwnerSubcommittee: "Đảng ủy bộ phận",
	OwnerCommittee:    "Đảng ủy cơ sở",
	OwnerBoard:        "Ban Tổ chức (Ban Xây dựng Đảng) cấp ủy có thẩm quyền",
	OwnerProvince:     "Ban Thường vụ Tỉnh ủy",
	OwnerVerifier:     "Cấp ủy được đề nghị thẩm tra",
}

// StaleCase is the conflict of a change made on an outdated case.
func StaleCase(name string) error {
	return Errorf(EConflict, "Hồ sơ kết nạp của %s vừa được người khác thay đổi; thay đổi của bạn chưa được lưu. Hãy tải lại trang để xem thay đổi mới rồi làm lại.", name)
}
