package domain

import "time"

// CaseCorrection is a recorded fact of a case corrected in place, with
// the reason, who corrected it and when, and each field's old and new
// value. The case keeps its history: the correction is shown on the
// case's timeline and written to the audit log.
type CaseCorrection struct {
	ID       int64
	CaseID   int64
	Target   string // one of the Correct* targets
	RecordID int64  // the document, verification, vote or transfer corrected; 0 for a fact of the case itself
	What     string // the record corrected, in Vietnamese ("Biểu quyết của chi bộ ngày 10/05/2023")
	Changes  []FieldChange
	Reason   string
	UserID   int64
	Username string
	At       time.Time
}

// FieldChange is one field a correction changed. Old and New are the
// values as recorded: dates as YYYY-MM-DD, numbers in decimal, "" for
// none.
type FieldChange struct {
	Field string `json:"field"`
	Label string `json:"label"` // the field's Vietnamese name
	Old   string `json:"old"`
	New   string `json:"new"`
}

// What a correction may change (the coherent set of issue 11 item 6):
// the list date, the dossier's date, a document's number and date, a
// verification's dates, a vote's (or decision's) date, number and
// figures, the admission decision's receipt, the ceremony's date, a
// transfer's date and receipt.
const (
	CorrectOpened       = "opened_on"    // the date on the list of sources
	CorrectDossier      = "dossier"      // the date the dossier was opened
	CorrectDocument     = "document"     // a document's number and date (by kind)
	CorrectVerification = "verification" // a verification request's sending, receipt and reply dates
	CorrectVote         = "vote"         // a vote's or decision's date, number and figures
	CorrectReceived     = "decision_received"
	CorrectCeremony     = "ceremony"
	CorrectTransfer     = "transfer" // a transfer's date and the receipt of the dossier
)

// CorrectionTargets names the targets in Vietnamese.
var CorrectionTargets = map[string]string{
	CorrectOpened:       "Ngày đưa vào danh sách cảm tình Đảng",
	CorrectDossier:      "Ngày lập hồ sơ",
	CorrectDocument:     "Văn bản của hồ sơ",
	CorrectVerification: "Yêu cầu thẩm tra lý lịch",
	CorrectVote:         "Biểu quyết, quyết định",
	CorrectReceived:     "Ngày chi bộ nhận quyết định kết nạp",
	CorrectCeremony:     "Ngày lễ kết nạp",
	CorrectTransfer:     "Chuyển sinh hoạt",
}
