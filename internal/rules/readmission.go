package rules

import (
	"time"

	"ketnap/internal/calendar"
)

// Ground is why a former member left the Party; it decides whether he or
// she may be admitted again (QĐ294 §3.5).
type Ground string

// Grounds for leaving. The excluded ones bar re-admission.
const (
	GroundStruckOff        Ground = "struck_off"               // xóa tên (QĐ294 §8.1 grounds other than below)
	GroundExpelled         Ground = "expelled"                 // khai trừ, for a reason not listed below
	GroundResignedHardship Ground = "resigned_family_hardship" // xin ra vì hoàn cảnh gia đình đặc biệt khó khăn
	GroundMinorConviction  Ground = "minor_conviction"         // bị kết án về tội ít nghiêm trọng
	GroundPopulationPolicy Ground = "population_policy"        // vi phạm chính sách dân số, kế hoạch hóa gia đình
	GroundAbandoned        Ground = "abandoned"                // tự bỏ sinh hoạt đảng
	GroundResigned         Ground = "resigned"                 // tự nguyện xin ra khỏi Đảng
	GroundDisunity         Ground = "disunity"                 // gây mất đoàn kết nội bộ nghiêm trọng
	GroundCorruption       Ground = "corruption_conviction"    // bị kết án về tội tham nhũng
	GroundSeriousCrime     Ground = "serious_conviction"       // bị kết án về tội nghiêm trọng trở lên
)

type groundInfo struct {
	name     string
	excluded bool
}

var grounds = map[Ground]groundInfo{
	GroundStruckOff:        {"bị xóa tên", false},
	GroundExpelled:         {"bị khai trừ", false},
	GroundResignedHardship: {"xin ra khỏi Đảng vì hoàn cảnh gia đình đặc biệt khó khăn", false},
	GroundMinorConviction:  {"bị kết án về tội ít nghiêm trọng", false},
	GroundPopulationPolicy: {"vi phạm chính sách dân số và kế hoạch hóa gia đình", false},
	GroundAbandoned:        {"tự bỏ sinh hoạt đảng", true},
	GroundResigned:         {"tự nguyện xin ra khỏi Đảng", true},
	GroundDisunity:         {"gây mất đoàn kết nội bộ nghiêm trọng", true},
	GroundCorruption:       {"bị kết án về tội tham nhũng", true},
	GroundSeriousCrime:     {"bị kết án về tội nghiêm trọng trở lên", true},
}

// ReadmissionFacts are the facts of a former member who asks to be admitted
// again.
type ReadmissionFacts struct {
	Left              time.Time // the day he or she left the Party
	Ground            Ground
	RecordCleared     time.Time // the conviction record was cleared (xóa án tích), for a minor conviction
	ReadmittedBefore  bool      // already re-admitted once
	ProvincialConsent bool      // written consent of the provincial standing committee
	On                time.Time // the day judged: the chapter vote, or today before it
}

// Readmission judges a re-admission (QĐ294 §3.5): the ground for leaving
// must not be an excluded one; at least 36 months since leaving, and for a
// minor conviction at least 60 months since the record was cleared; only
// once; the provincial standing committee's written consent. The candidate
// must also meet the conditions of a first admission and serves probation
// again; party age counts from the first admission (QĐ294 §4.5.2).
func Readmission(s *Set, f ReadmissionFacts) (out []Verdict) {
	defer func() { s.markAll(out) }()
	r := s.Readmission

	g, known := grounds[f.Ground]
	switch {
	case !known:
		out = append(out, failing(RuleReadmissionGround, r.Source, "Lý do ra khỏi Đảng %q không xác định; ghi rõ lý do để xét điều kiện kết nạp lại", string(f.Ground)))
	case g.excluded:
		out = append(out, failing(RuleReadmissionGround, r.Source, "Không xem xét kết nạp lại người đã ra khỏi Đảng vì %s", g.name))
	case f.Ground == GroundPopulationPolicy:
		out = append(out, pass(RuleReadmissionGround, r.Source, "Ra khỏi Đảng vì %s: thực hiện theo quy định riêng của Ban Bí thư", g.name))
	default:
		out = append(out, pass(RuleReadmissionGround, r.Source, "Ra khỏi Đảng vì %s: không thuộc các trường hợp không được kết nạp lại", g.name))
	}

	since := calendar.WholeMonthsBetween(f.Left, f.On)
	from := calendar.AddMonths(f.Left, r.MinMonths)
	wait := pass(RuleReadmissionWait, r.Source, "Đã ra khỏi Đảng %d tháng tính đến ngày %s (cần ít nhất %d tháng)", since, dmy(f.On), r.MinMonths)
	if since < r.MinMonths {
		wait = failing(RuleReadmissionWait, r.Source, "Mới ra khỏi Đảng %d tháng tính đến ngày %s; cần ít nhất %d tháng, tức từ ngày %s", since, dmy(f.On), r.MinMonths, dmy(from))
	}
	if f.Ground == GroundMinorConviction {
		switch {
		case f.RecordCleared.IsZero():
			wait = failing(RuleReadmissionWait, r.Source, "Bị kết án về tội ít nghiêm trọng: cần được xóa án tích và sau đó ít nhất %d tháng mới xét kết nạp lại; chưa có ngày xóa án tích", r.AfterMinorConvictionMonths)
		case calendar.WholeMonthsBetween(f.RecordCleared, f.On) < r.AfterMinorConvictionMonths:
			wait = failing(RuleReadmissionWait, r.Source, "Được xóa án tích ngày %s, mới %d tháng tính đến ngày %s; cần ít nhất %d tháng, tức từ ngày %s",
				dmy(f.RecordCleared), calendar.WholeMonthsBetween(f.RecordCleared, f.On), dmy(f.On), r.AfterMinorConvictionMonths,
				dmy(calendar.AddMonths(f.RecordCleared, r.AfterMinorConvictionMonths)))
		case since >= r.MinMonths:
			wait = pass(RuleReadmissionWait, r.Source, "Được xóa án tích ngày %s, đã đủ %d tháng; đã ra khỏi Đảng %d tháng (cần ít nhất %d tháng)",
				dmy(f.RecordCleared), r.AfterMinorConvictionMonths, since, r.MinMonths)
		}
	}
	out = append(out, wait)

	if r.OnlyOnce && f.ReadmittedBefore {
		out = append(out, failing(RuleReadmissionOnce, r.Source, "Đã được kết nạp lại một lần; chỉ xem xét kết nạp lại một lần"))
	} else {
		out = append(out, pass(RuleReadmissionOnce, r.Source, "Chưa được kết nạp lại lần nào"))
	}

	var have []Consent
	if f.ProvincialConsent {
		have = append(have, ConsentReadmission)
	}
	out = append(out, Consents(s, []Consent{ConsentReadmission}, have))
	return out
}
