package domain

import (
	"strconv"
	"strings"
	"time"

	"ketnap/internal/vn"
)

// Training classes (DOMAIN §6; admission-rules §7.4, §10.3). The rules of
// QĐ 1147-QĐ/BTGDVTW (quy chế bồi dưỡng, giảng dạy of the political
// centres) are constants and pure functions here, each citing its source.

// Programmes of the political centre.
const (
	ProgAwareness = "awareness"  // Bồi dưỡng nhận thức về Đảng
	ProgNewMember = "new_member" // Bồi dưỡng lý luận chính trị cho đảng viên mới
	ProgOther     = "other"      // other programmes (chi bộ secretaries, …)
)

// Programme describes a programme: its names, the stages of the people it
// enrols, the certificate form and how long the certificate is valid.
type Programme struct {
	Code       string
	Name       string   // "Bồi dưỡng nhận thức về Đảng"
	Short      string   // "Nhận thức về Đảng"
	Stages     []string // who may be enrolled
	Form       string   // certificate template of QĐ1147
	Prefix     string   // certificate number prefix
	ValidMonth int      // months the certificate stays valid; 0 = no limit
}

// Programmes in display order.
var Programmes = []Programme{
	{Code: ProgAwareness, Name: "Bồi dưỡng nhận thức về Đảng", Short: "Nhận thức về Đảng",
		Stages: []string{StageSource, StageCandidate}, Form: "Mẫu 6.1 (QĐ1147)", Prefix: "NT", ValidMonth: AwarenessValidMonths},
	{Code: ProgNewMember, Name: "Bồi dưỡng lý luận chính trị cho đảng viên mới", Short: "Đảng viên mới",
		Stages: []string{StageProbationary}, Form: "Mẫu 6.2 (QĐ1147)", Prefix: "DVM"},
	{Code: ProgOther, Name: "Chương trình bồi dưỡng khác", Short: "Khác",
		Stages: []string{StageSource, StageCandidate, StageProbationary, StageOfficial}, Form: "Mẫu 6.4 (QĐ1147)", Prefix: "BD"},
}

// ProgrammeOf returns the programme with the code.
func ProgrammeOf(code string) (Programme, bool) {
	for _, p := range Programmes {
		if p.Code == code {
			return p, true
		}
	}
	return Programme{}, false
}

// ProgrammeName returns the Vietnamese name of a programme code.
func ProgrammeName(code string) string {
	if p, ok := ProgrammeOf(code); ok {
		return p.Name
	}
	return code
}

// Class statuses.
const (
	ClassPlanned   = "planned"   // dự kiến: enrolment open
	ClassOpen      = "open"      // đang học: attendance and results
	ClassFinished  = "finished"  // đã kết thúc: completion decision, certificates
	ClassCancelled = "cancelled" // đã hủy
)

// ClassStatuses with their Vietnamese names.
var ClassStatuses = []struct{ Code, Name string }{
	{ClassPlanned, "Dự kiến mở lớp"},
	{ClassOpen, "Đang học"},
	{ClassFinished, "Đã kết thúc"},
	{ClassCancelled, "Đã hủy"},
}

// ClassStatusName returns the Vietnamese name of a class status.
func ClassStatusName(code string) string {
	for _, s := range ClassStatuses {
		if s.Code == code {
			return s.Name
		}
	}
	return code
}

// The rules of QĐ 1147-QĐ/BTGDVTW (admission-rules §7.4) and HD 06 §5.4b.
const (
	MinLearners          = 25  // ≥ 25 learners to open a class [QĐ1147]
	AttendancePercent    = 80  // ≥ 80 % of the lessons to sit the final essay [QĐ1147]
	PassMark             = 500 // pass at 5.0 of 10, in hundredths [QĐ1147]
	RetakeDays           = 3   // one retake within 3 days of the essay [QĐ1147]
	CertificateDays      = 15  // certificate within 15 days of the completion decision [QĐ1147]
	AwarenessValidMonths = 60  // awareness certificate valid 60 months until the chapter vote [HD06 §5.4b]
	LessonsPerSession    = 5   // 1 buổi = 5 tiết of 45 minutes [QĐ1147]
	MaxScore             = 1000
)

// Source texts cited by the class rules' messages.
const (
	SrcQD1147 = "QĐ1147-QĐ/BTGDVTW"
	SrcHD06   = "HD06 §5.4b"
)

// Class is a training class of the political centre.
type Class struct {
	ID             int64
	Code           string // e.g. "NT-2024-01"
	Name           string
	Programme      string
	OrgID          int64  // the party organization that owns it (scope)
	Organiser      string // "Trung tâm Chính trị huyện Krông Pắc"
	Place          string
	Lecturers      string
	StartDate      time.Time
	EndDate        time.Time
	ExamDate       *time.Time // the final essay (default: EndDate)
	Capacity       int        // seats; 0 = not limited
	Status         string
	OpenedOn       *time.Time
	OpenOverride   string // reason for opening with fewer than MinLearners
	CompletionNo   string // completion decision (quyết định công nhận kết quả)
	CompletionDate *time.Time
	UnitIDs        []int64 // the organizations whose people it serves
	Version        int64
}

// Exam returns the date of the final essay.
func (c *Class) Exam() time.Time {
	if c.ExamDate != nil {
		return *c.ExamDate
	}
	return c.EndDate
}

// Overlaps reports whether the two classes' periods share a day.
func (c *Class) Overlaps(o *Class) bool {
	return !c.StartDate.After(o.EndDate) && !o.StartDate.After(c.EndDate)
}

// Validate checks what a user enters for a class.
func (c *Class) Validate() error {
	if !classCodeRe(c.Code) {
		return FieldError("code", "Mã lớp %q không hợp lệ: dùng chữ cái không dấu, chữ số, dấu gạch ngang hoặc gạch chéo (tối đa 40 ký tự)", vn.Echo(c.Code))
	}
	if c.Name == "" || len([]rune(c.Name)) > 200 {
		return FieldError("name", "Tên lớp không được để trống (tối đa 200 ký tự)")
	}
	if _, ok := ProgrammeOf(c.Programme); !ok {
		return FieldError("programme", "Chương trình %q không hợp lệ", c.Programme)
	}
	if c.OrgID == 0 {
		return FieldError("org", "Cần đơn vị tổ chức lớp")
	}
	for _, f := range []struct{ field, label, v string }{
		{"organiser", "Cơ sở đào tạo", c.Organiser}, {"place", "Địa điểm", c.Place}, {"lecturers", "Giảng viên", c.Lecturers}} {
		if len([]rune(f.v)) > 300 {
			return FieldError(f.field, "%s quá dài (tối đa 300 ký tự)", f.label)
		}
	}
	if c.StartDate.IsZero() {
		return FieldError("start_date", "Cần ngày khai giảng")
	}
	if c.EndDate.Before(c.StartDate) {
		return FieldError("end_date", "Ngày bế giảng không được trước ngày khai giảng")
	}
	if c.EndDate.Sub(c.StartDate) > 366*24*time.Hour {
		return FieldError("end_date", "Một lớp không kéo dài quá một năm")
	}
	if c.ExamDate != nil && (c.ExamDate.Before(c.StartDate) || c.ExamDate.After(c.EndDate.AddDate(0, 0, 30))) {
		return FieldError("exam_date", "Ngày viết thu hoạch phải trong thời gian học hoặc tối đa 30 ngày sau bế giảng")
	}
	if c.Capacity < 0 || c.Capacity > 1000 {
		return FieldError("capacity", "Số chỗ phải từ 0 (không giới hạn) đến 1.000")
	}
	if len(c.UnitIDs) == 0 {
		return FieldError("units", "Cần ít nhất một đơn vị có học viên được cử đi học")
	}
	return nil
}

func classCodeRe(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '/' || r == '.') {
			return false
		}
	}
	return true
}

// Session is one session (buổi) of a class.
type Session struct {
	ID      int64
	ClassID int64
	Date    time.Time
	Lessons int // tiết
	Topic   string
}

// Learner statuses.
const (
	EnrolActive    = "enrolled"
	EnrolWithdrawn = "withdrawn"
)

// Learner is a person enrolled in a class (an enrolment), with attendance and results. Scores
// are in hundredths of a point (6,75 → 675) so that every comparison is
// exact; each grader's score counts, the mean is never rounded.
type Learner struct {
	ID         int64
	ClassID    int64
	PersonID   int64
	EnrolledOn time.Time
	Status     string
	Attended   int  // lessons attended (sum over sessions)
	Score1     *int // first grader
	Score2     *int // second grader
	Absent     bool // did not sit the essay
	RetakeDate *time.Time
	Retake1    *int
	Retake2    *int
	Outcome    string // derived: see Outcome*
	Total      int    // derived: the two graders' sum of the counting attempt (mean × 2)
	ResultDate *time.Time
	Version    int64
}

// Outcomes of an enrolment.
const (
	OutcomePending    = "pending"    // chưa có kết quả
	OutcomeIneligible = "ineligible" // dự học dưới 80 %: không đủ điều kiện viết thu hoạch
	OutcomeAbsent     = "absent"     // vắng buổi viết thu hoạch
	OutcomeFail       = "fail"       // dưới 5,0
	OutcomePass       = "pass"       // từ 5,0
	OutcomeWithdrawn  = "withdrawn"  // thôi học
)

// OutcomeNames are the Vietnamese names of the outcomes.
var OutcomeNames = map[string]string{
	OutcomePending:    "Chưa có kết quả",
	OutcomeIneligible: "Không đủ điều kiện viết thu hoạch",
	OutcomeAbsent:     "Vắng thi",
	OutcomeFail:       "Không đạt",
	OutcomePass:       "Đạt",
	OutcomeWithdrawn:  "Thôi học",
}

// Grades of a passed learner by the mean of the two graders, QĐ1147
// (admission-rules §7.4): Trung bình 5–<7, Khá 7–<8, Giỏi 8–<9,
// Xuất sắc 9–10. Bounds are sums of two scores in hundredths.
var Grades = []struct {
	Code string
	Name string
	Min  int // lowest sum of the two graders' scores
}{
	{"excellent", "Xuất sắc", 1800},
	{"good", "Giỏi", 1600},
	{"fair", "Khá", 1400},
	{"average", "Trung bình", 2 * PassMark},
}

// GradeOf returns the grade code and name of the two graders' sum, or
// ("", "") below the pass mark.
func GradeOf(total int) (code, name string) {
	for _, g := range Grades {
		if total >= g.Min {
			return g.Code, g.Name
		}
	}
	return "", ""
}

// AttendanceOK reports whether attended of total lessons is at least 80 %,
// in integer arithmetic [QĐ1147].
func AttendanceOK(attended, total int) bool {
	return total > 0 && attended*100 >= total*AttendancePercent
}

// MissedTooMany reports whether missed lessons already make 80 % of total
// unreachable: missed × 100 > total × 20, the exact complement of AttendanceOK
// once every session is recorded.
func MissedTooMany(missed, total int) bool {
	return total > 0 && missed*100 > total*(100-AttendancePercent)
}

// ValidScore checks a grader's score in hundredths.
func ValidScore(field string, s *int) error {
	if s != nil && (*s < 0 || *s > MaxScore) {
		return FieldError(field, "Điểm phải từ 0 đến 10")
	}
	return nil
}

// Evaluate derives the outcome, the counting sum and the date of the
// result. total is the class's number of lessons, recorded the lessons of
// the sessions whose attendance is recorded: a learner who has missed more
// than 20 % may not sit the essay [QĐ1147]; a retake, when recorded,
// replaces the first essay.
func (e *Learner) Evaluate(total, recorded int, exam time.Time) {
	e.Outcome, e.Total, e.ResultDate = OutcomePending, 0, nil
	examDay := exam
	switch {
	case e.Status == EnrolWithdrawn:
		e.Outcome = OutcomeWithdrawn
		return
	case MissedTooMany(recorded-e.Attended, total):
		e.Outcome, e.ResultDate = OutcomeIneligible, &examDay
		return
	}
	switch {
	case e.RetakeDate != nil && e.Retake1 != nil && e.Retake2 != nil:
		e.Total = *e.Retake1 + *e.Retake2
		d := *e.RetakeDate
		e.ResultDate = &d
	case e.Absent:
		e.Outcome, e.ResultDate = OutcomeAbsent, &examDay
		return
	case e.Score1 != nil && e.Score2 != nil:
		e.Total = *e.Score1 + *e.Score2
		e.ResultDate = &examDay
	default:
		return
	}
	if e.Total >= 2*PassMark {
		e.Outcome = OutcomePass
	} else {
		e.Outcome = OutcomeFail
	}
}

// CheckRetake checks a retake on date d of an essay written (or missed) on
// exam, after Evaluate: only after a failed or missed essay, only once,
// within 3 days [QĐ1147].
func (e *Learner) CheckRetake(exam, d time.Time) error {
	if e.RetakeDate != nil {
		return FieldError("retake_date", "Mỗi học viên chỉ được thi lại một lần (%s); lần thi lại đã ghi ngày %s",
			SrcQD1147, e.RetakeDate.Format("02/01/2006"))
	}
	if e.Outcome == OutcomeIneligible {
		return FieldError("retake_date", "Học viên nghỉ quá %d %% số tiết nên không đủ điều kiện viết thu hoạch, kể cả thi lại (%s)",
			100-AttendancePercent, SrcQD1147)
	}
	if e.Outcome != OutcomeFail && e.Outcome != OutcomeAbsent {
		return FieldError("retake_date", "Chỉ học viên không đạt hoặc vắng buổi viết thu hoạch mới thi lại (%s)", SrcQD1147)
	}
	if !d.After(exam) || d.After(exam.AddDate(0, 0, RetakeDays)) {
		return FieldError("retake_date", "Thi lại phải trong %d ngày sau buổi viết thu hoạch %s, tức từ %s đến %s (%s)",
			RetakeDays, exam.Format("02/01/2006"), exam.AddDate(0, 0, 1).Format("02/01/2006"),
			exam.AddDate(0, 0, RetakeDays).Format("02/01/2006"), SrcQD1147)
	}
	return nil
}

// CheckCertificateDate checks that a certificate issued on d follows the
// completion decision of completed within 15 days [QĐ1147]; a later date
// needs a reason, which is then recorded.
func CheckCertificateDate(completed, d time.Time, lateReason string) error {
	if d.Before(completed) {
		return FieldError("issued", "Ngày cấp giấy chứng nhận không được trước ngày quyết định công nhận kết quả %s",
			completed.Format("02/01/2006"))
	}
	if d.After(completed.AddDate(0, 0, CertificateDays)) && strings.TrimSpace(lateReason) == "" {
		return FieldError("late_reason", "Giấy chứng nhận phải cấp trong %d ngày kể từ quyết định công nhận kết quả (đến %s, %s); cấp muộn hơn phải ghi lý do",
			CertificateDays, completed.AddDate(0, 0, CertificateDays).Format("02/01/2006"), SrcQD1147)
	}
	return nil
}

// Certificate is a certificate of a programme issued to a person.
type Certificate struct {
	ID          int64
	EnrolmentID int64
	PersonID    int64
	ClassID     int64
	Programme   string
	Number      string
	Issued      time.Time
	ValidUntil  *time.Time // last day it is valid; nil = no limit
	LateReason  string
}

// AddMonths returns d moved by n months, on the month's last day when the
// day does not exist there (2020-02-29 + 60 months = 2025-02-28), as the
// Civil Code counts periods in months (Art. 148) and CONTRACT counts probation.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	t := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day(); day > last {
		day = last
	}
	return time.Date(t.Year(), t.Month(), day, 0, 0, 0, 0, time.UTC)
}

// CertificateValidUntil is the last day a certificate of the programme
// issued on issued is valid: for the awareness class the day 60 months on
// (HD06 §5.4b: the class must be retaken only when *more than* 60 months
// have passed without a chapter vote); nil when the programme sets no limit.
func CertificateValidUntil(programme string, issued time.Time) *time.Time {
	p, _ := ProgrammeOf(programme)
	if p.ValidMonth == 0 {
		return nil
	}
	t := AddMonths(issued, p.ValidMonth)
	return &t
}

// ValidOn reports whether the certificate is valid on d: issued on or
// before d and d not after its last valid day.
func (c *Certificate) ValidOn(d time.Time) bool {
	return !d.Before(c.Issued) && (c.ValidUntil == nil || !d.After(*c.ValidUntil))
}

// FormatScore prints hundredths the Vietnamese way: 675 → "6,75", 700 → "7".
func FormatScore(h int) string {
	s := strconv.Itoa(h / 100)
	if frac := h % 100; frac != 0 {
		f := strconv.Itoa(frac + 100)[1:]
		s += "," + strings.TrimRight(f, "0")
	}
	return s
}

// FormatMean prints the mean of a two-grader sum exactly: 1325 → "6,625".
func FormatMean(total int) string {
	s := strconv.Itoa(total / 200)
	if frac := (total % 200) * 5; frac != 0 {
		s += "," + strings.TrimRight(strconv.Itoa(frac + 1000)[1:], "0")
	}
	return s
}

// ParseScore reads a score typed as "6,75", "6.75" or "7" into hundredths.
func ParseScore(field, s string) (*int, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return nil, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return nil, FieldError(field, "Điểm %q không hợp lệ: tối đa hai chữ số thập phân, ví dụ 7,25", vn.Echo(s))
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || strings.ContainsAny(whole, "+-") {
		return nil, FieldError(field, "Điểm %q không hợp lệ", vn.Echo(s))
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi(frac + strings.Repeat("0", 2-len(frac))); err != nil || strings.ContainsAny(frac, "+-") {
			return nil, FieldError(field, "Điểm %q không hợp lệ", vn.Echo(s))
		}
	}
	v := w*100 + f
	if v > MaxScore {
		return nil, FieldError(field, "Điểm %q vượt quá 10", vn.Echo(s))
	}
	return &v, nil
}
