package domain

import "time"

// Target kinds (DOMAIN §4).
const (
	TargetQuota = "quota" // chỉ tiêu giao, assigned from above
	TargetPlan  = "plan"  // kế hoạch, the organization's own
)

// Target is a yearly quota or plan of an organization.
type Target struct {
	OrgID     int64
	Year      int
	Kind      string
	Value     int
	Deadline  *time.Time
	Breakdown map[string]int // optional: students, armed forces reserve, …
}

// BreakdownKeys are the breakdown lines a target may carry.
var BreakdownKeys = []struct {
	Code string
	Name string
}{
	{"women", "Nữ"},
	{"minority", "Dân tộc thiểu số"},
	{"youth_union", "Đoàn viên"},
	{"student_high", "Học sinh THPT"},
	{"student_univ", "Sinh viên"},
	{"private_enterprise", "Doanh nghiệp tư nhân"},
	{"reserve", "Dự bị động viên"},
}

// Validate checks a target.
func (t *Target) Validate() error {
	if t.Kind != TargetQuota && t.Kind != TargetPlan {
		return FieldError("kind", "Loại chỉ tiêu %q không hợp lệ (quota hoặc plan)", t.Kind)
	}
	if t.Year < 1930 || t.Year > 2200 {
		return FieldError("year", "Năm %d không hợp lệ", t.Year)
	}
	if t.Value < 0 || t.Value > 10_000_000 {
		return FieldError("value", "Chỉ tiêu phải là số không âm")
	}
	if t.Deadline != nil && t.Deadline.Year() != t.Year {
		return FieldError("deadline", "Hạn hoàn thành phải nằm trong năm %d", t.Year)
	}
	for k := range t.Breakdown {
		known := false
		for _, b := range BreakdownKeys {
			known = known || b.Code == k
		}
		if !known {
			return FieldError("breakdown", "Mục chỉ tiêu chi tiết %q không hợp lệ", k)
		}
	}
	for _, b := range BreakdownKeys { // in their order, each named
		if v, ok := t.Breakdown[b.Code]; ok && (v < 0 || v > t.Value) {
			return FieldError("breakdown", "Chỉ tiêu chi tiết “%s” (%d) phải từ 0 đến %d (số lượng của chỉ tiêu)", b.Name, v, t.Value)
		}
	}
	return nil
}
