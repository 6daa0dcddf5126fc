package domain

import "time"

// ReportText is what the office edited of a report before downloading it
// (issue 14): the header and signature lines and the drafted sections, kept
// per report (its kind, unit, year and as-of date). A nil field follows the
// draft the report computes from the data.
type ReportText struct {
	Report string // "conference"
	OrgID  int64
	Year   int
	AsOf   time.Time
	// The header: the committee above, the issuing committee, the number
	// line, the place of the date line.
	Parent, Issuer, Number, Place *string
	// The signature: "T/M BAN THƯỜNG VỤ", the position, the name; the
	// recipients, one a line, after "Nơi nhận:".
	SignFor, SignerTitle, Signer, Recipients *string
	// The drafted sections: II (weaknesses and causes), III (tasks and
	// solutions), one paragraph a line.
	Weaknesses, Tasks *string
	UpdatedBy         int64
	UpdatedByName     string
	UpdatedAt         time.Time
}

// ReportConference is the conference report's kind of ReportText.
const ReportConference = "conference"

// Edited reports whether any field is set.
func (t *ReportText) Edited() bool {
	if t == nil {
		return false
	}
	for _, f := range t.Fields() {
		if *f.Value != nil {
			return true
		}
	}
	return false
}

// ReportTextField is one editable field of a ReportText: its form and
// column name, its Vietnamese label, its longest length in characters, and
// whether it holds several lines.
type ReportTextField struct {
	Key   string
	Label string
	Max   int
	Lines bool
	Value **string
}

// Fields lists the fields of t in the form's order.
func (t *ReportText) Fields() []ReportTextField {
	return []ReportTextField{
		{"parent", "Cấp ủy cấp trên (dòng thứ nhất bên trái)", 200, false, &t.Parent},
		{"issuer", "Cơ quan ban hành (dòng thứ hai bên trái)", 200, false, &t.Issuer},
		{"number", "Số hiệu văn bản", 100, false, &t.Number},
		{"place", "Địa danh ở dòng ngày tháng", 100, false, &t.Place},
		{"sign_for", "Thẩm quyền ký (T/M …)", 200, false, &t.SignFor},
		{"signer_title", "Chức vụ người ký", 100, false, &t.SignerTitle},
		{"signer", "Họ và tên người ký", 100, false, &t.Signer},
		{"recipients", "Nơi nhận", 2000, true, &t.Recipients},
		{"weaknesses", "II. Hạn chế, nguyên nhân", 30000, true, &t.Weaknesses},
		{"tasks", "III. Nhiệm vụ, giải pháp", 30000, true, &t.Tasks},
	}
}
