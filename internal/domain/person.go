package domain

import (
	"time"
)

// Sex values.
const (
	Male   = "male"
	Female = "female"
)

// EducationLevels are the levels of general education (CONTRACT "Dossier check").
var EducationLevels = []struct {
	Code string
	Name string
}{
	{"none", "Chưa biết chữ"},
	{"literate", "Biết đọc, biết viết chữ quốc ngữ"},
	{"primary", "Tiểu học"},
	{"lower_secondary", "Trung học cơ sở"},
	{"upper_secondary", "Trung học phổ thông"},
	{"higher", "Trung cấp, cao đẳng, đại học trở lên"},
}

// EducationName returns the Vietnamese name of an education code.
func EducationName(code string) string {
	for _, e := range EducationLevels {
		if e.Code == code {
			return e.Name
		}
	}
	return code
}

// Occupations are the occupation groups used by the breakdowns (DOMAIN §7).
var Occupations = []struct {
	Code string
	Name string
}{
	{"farmer", "Nông dân"},
	{"worker", "Công nhân"},
	{"civil_servant", "Cán bộ, công chức, viên chức"},
	{"teacher", "Giáo viên"},
	{"student_high", "Học sinh trung học phổ thông"},
	{"student_univ", "Sinh viên"},
	{"private_enterprise", "Người lao động trong doanh nghiệp tư nhân"},
	{"armed_forces", "Lực lượng vũ trang"},
	{"business", "Kinh doanh, dịch vụ"},
	{"other", "Khác"},
}

// OccupationName returns the Vietnamese name of an occupation code.
func OccupationName(code string) string {
	for _, e := range Occupations {
		if e.Code == code {
			return e.Name
		}
	}
	return code
}

// Person is one human being, whatever their stage (DOMAIN §3).
type Person struct {
	ID          int64
	FullName    string // NFC, trimmed
	NameFold    string // folded copy for search
	NameKey     string // Vietnamese sort key (given name first)
	BirthDate   time.Time
	Sex         string
	Ethnicity   string // two-digit code of the 54 groups
	Religion    string // religion code, "none" when none
	CCCD        string // 12 digits, "" when unknown
	Education   string
	Occupation  string
	ResidenceID int64 // residential unit, 0 when unknown
	Workplace   string
	YouthUnion  bool
	TradeUnion  bool
	OrgID       int64 // the organization the person belongs to now (chapter)
	Stage       string
	Version     int64
}

// Person stages: the record's place in the admission path.
const (
	StageSource       = "source"       // quần chúng ưu tú
	StageCandidate    = "candidate"    // hồ sơ đang xét
	StageProbationary = "probationary" // đảng viên dự bị
	StageOfficial     = "official"     // đảng viên chính thức
	StageStruckOff    = "struck_off"   // xóa tên
	StageLeft         = "left"         // ra khỏi Đảng, từ trần, chuyển đi
)

// Stages with their Vietnamese names.
var Stages = []struct {
	Code string
	Name string
}{
	{StageSource, "Quần chúng ưu tú"},
	{StageCandidate, "Đang làm hồ sơ kết nạp"},
	{StageProbationary, "Đảng viên dự bị"},
	{StageOfficial, "Đảng viên chính thức"},
	{StageStruckOff, "Đã xóa tên"},
	{StageLeft, "Không còn sinh hoạt"},
}

// StageName returns the Vietnamese name of a stage.
func StageName(code string) string {
	for _, s := range Stages {
		if s.Code == code {
			return s.Name
		}
	}
	return code
}

// IsMember reports whether the stage is a party member's.
func IsMember(stage string) bool { return stage == StageProbationary || stage == StageOfficial }

// Membership is one admission of a person and what followed it. A person
// re-admitted after leaving has two.
type Membership struct {
	ID              int64
	PersonID        int64
	DecisionNo      string
	DecisionDate    time.Time
	DecidedByID     int64 // the body that decided
	AdmittedOrgID   int64 // where the person was admitted: progress counts here
	CeremonyDate    *time.Time
	RecognitionDate *time.Time
	Status          string // StageProbationary, StageOfficial, StageStruckOff, StageLeft
	EndDate         *time.Time
	Origin          string // OriginCase, OriginPaper or OriginImport ("" is written as OriginPaper)
}

// Where an admission came from (DOMAIN §4): reached through a ketnap
// case's decision step, or recorded (from paper, or by the members import).
const (
	OriginCase   = "case"   // the decision step of a ketnap case
	OriginPaper  = "paper"  // a member admitted before ketnap, recorded from paper
	OriginImport = "import" // written by the members import
)

// OriginNames are the Vietnamese names of the origins.
var OriginNames = map[string]string{
	OriginCase:   "Qua quy trình kết nạp trên ketnap",
	OriginPaper:  "Ghi từ hồ sơ giấy",
	OriginImport: "Nhập từ danh sách đảng viên",
}

// Recorded reports whether the admission was recorded rather than reached
// through a ketnap case.
func (m *Membership) Recorded() bool { return m.Origin != OriginCase }

// Validate checks a membership's own facts.
func (m *Membership) Validate() error {
	if m.DecisionNo == "" {
		return FieldError("decision_no", "Cần số quyết định kết nạp")
	}
	if len([]rune(m.DecisionNo)) > 60 {
		return FieldError("decision_no", "Số quyết định quá dài")
	}
	if m.DecisionDate.IsZero() {
		return FieldError("decision_date", "Cần ngày quyết định kết nạp")
	}
	if m.AdmittedOrgID == 0 {
		return FieldError("admitted_org", "Cần tổ chức nơi kết nạp")
	}
	if m.CeremonyDate != nil && m.CeremonyDate.Before(m.DecisionDate) {
		return FieldError("ceremony_date", "Ngày lễ kết nạp không được trước ngày quyết định")
	}
	if m.RecognitionDate != nil {
		if m.CeremonyDate == nil {
			return FieldError("recognition_date", "Chưa có ngày lễ kết nạp thì chưa thể công nhận chính thức")
		}
		if !m.RecognitionDate.After(*m.CeremonyDate) {
			return FieldError("recognition_date", "Ngày công nhận chính thức phải sau ngày lễ kết nạp")
		}
	}
	switch m.Status {
	case StageProbationary, StageOfficial, StageStruckOff, StageLeft:
	default:
		return FieldError("status", "Trạng thái đảng viên %q không hợp lệ", m.Status)
	}
	switch m.Origin {
	case "", OriginCase, OriginPaper, OriginImport:
	default:
		return FieldError("origin", "Nguồn ghi quyết định kết nạp %q không hợp lệ", m.Origin)
	}
	return nil
}
