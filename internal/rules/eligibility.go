package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
)

// AgeMonths is the age in whole months of a person born on birth, on the
// day on (calendar.WholeMonthsBetween: born 2006-05-04, 216 months on
// 2024-05-04 and 215 on 2024-05-03).
func AgeMonths(birth, on time.Time) int { return calendar.WholeMonthsBetween(birth, on) }

// hasConsent reports whether c is among cs.
func hasConsent(cs []Consent, c Consent) bool { return slices.Contains(cs, c) }

// Age judges the age rule: đủ 18 to đủ 60, in whole months, on the chapter
// vote date; over 60 only with the provincial consent (QĐ294 §1.1,
// HD06 §1.1). 60 years and some days is still "đủ 60" (720 whole months).
func Age(s *Set, birth time.Time, at At, consents []Consent) (v Verdict) {
	defer s.mark(&v)
	r := s.Age
	if after(birth, at.Date) {
		return failing(RuleAge, r.Source, "Ngày sinh (%s) sau %s; kiểm tra lại ngày sinh", dmy(birth), at.noun())
	}
	m := AgeMonths(birth, at.Date)
	switch {
	case m < r.MinMonths:
		from := calendar.AddMonths(birth, r.MinMonths)
		if at.Vote {
			return failing(RuleAge, r.Source, "Chưa đủ %d tuổi %s (%s); cần đợi đến ngày %s",
				r.MinMonths/12, at.phrase(), ageText(m), dmy(from))
		}
		return failing(RuleAge, r.Source, "Chưa đủ %d tuổi %s (%s); chi bộ chỉ được xét kết nạp từ ngày %s",
			r.MinMonths/12, at.phrase(), ageText(m), dmy(from))
	case m <= r.MaxMonths:
		return pass(RuleAge, r.Source, "Đủ %s %s", ageText(m), at.phrase())
	case hasConsent(consents, ConsentOver60):
		return pass(RuleAge, s.Consents.Over60, "Trên %d tuổi %s (%s): trường hợp đặc biệt, đã có văn bản đồng ý của Ban Thường vụ tỉnh ủy",
			r.MaxMonths/12, at.phrase(), ageText(m))
	}
	return failing(RuleAge, s.Consents.Over60, "Quá %d tuổi %s (%s): chỉ xét kết nạp trong trường hợp đặc biệt (có sức khỏe và uy tín, công tác hoặc cư trú ở nơi chưa có tổ chức đảng, chưa có đảng viên, hoặc do yêu cầu đặc biệt) và phải có văn bản đồng ý của Ban Thường vụ tỉnh ủy trước khi cấp ủy có thẩm quyền ra quyết định kết nạp",
		r.MaxMonths/12, at.phrase(), ageText(m))
}

// Education judges the education rule (QĐ294 §1.2, HD06 §1.2): a
// lower-secondary diploma; primary school in the hardship areas and for
// fishermen; reading and writing quốc ngữ for village elders there, with the
// provincial consent. A village elder is by definition of those areas
// (CONTRACT: "già làng, trưởng bản, người có uy tín there").
func Education(s *Set, level string, hardship, elder bool, consents []Consent) (v Verdict) {
	defer s.mark(&v)
	r := s.Education
	rank, name := educationRank(level), strings.ToLower(domain.EducationName(level))
	hardship = hardship || elder
	switch {
	case rank >= educationRank(r.General):
		return pass(RuleEducation, r.Source, "Trình độ học vấn (%s) đạt yêu cầu tốt nghiệp trung học cơ sở trở lên", name)
	case hardship && rank >= educationRank(r.Hardship):
		return pass(RuleEducation, r.Source, "Trình độ học vấn (%s) đạt theo ngoại lệ cho người sinh sống ở %s (tối thiểu học xong tiểu học)", name, r.Areas)
	case elder && rank >= educationRank(r.Elder) && hasConsent(consents, ConsentLiterateOnly):
		return pass(RuleEducation, r.Source, "Biết đọc, biết viết chữ quốc ngữ: già làng, trưởng bản, người có uy tín, đã có văn bản đồng ý của Ban Thường vụ tỉnh ủy")
	case elder && rank >= educationRank(r.Elder):
		return failing(RuleEducation, r.Source, "Chỉ biết đọc, biết viết chữ quốc ngữ: già làng, trưởng bản, người có uy tín chỉ được xét kết nạp khi có văn bản đồng ý của Ban Thường vụ tỉnh ủy trước khi ra quyết định kết nạp; chưa có văn bản này")
	case hardship:
		return failing(RuleEducation, r.Source, "Trình độ học vấn (%s) chưa đạt: người sinh sống ở %s cần tối thiểu học xong tiểu học; riêng già làng, trưởng bản, người có uy tín ở đó cần biết đọc, biết viết chữ quốc ngữ và có văn bản đồng ý của Ban Thường vụ tỉnh ủy", name, r.Areas)
	}
	return failing(RuleEducation, r.Source, "Trình độ học vấn (%s) chưa đạt: cần bằng tốt nghiệp trung học cơ sở trở lên (chỉ người sinh sống ở %s được xét với trình độ tiểu học)", name, r.Areas)
}

// Introducer is one official member who introduces the candidate.
type Introducer struct {
	Official       bool `json:"official"`        // an official (not probationary) member
	MonthsTogether int  `json:"months_together"` // months of shared work, study or residence
	Waived         bool `json:"waived"`          // the 12-month condition waived (the introducer or the candidate moved)
}

// IntroducerFacts are the facts the introducer rule needs.
type IntroducerFacts struct {
	Introducers []Introducer
	// Youth: within the youth age on the vote day; nil when the birth date
	// is unknown, and then a Youth Union member is taken to be of youth age.
	Youth                *bool
	YouthUnionMember     bool
	YouthUnionExists     bool
	TradeUnionMember     bool
	YouthUnionResolution bool
	TradeUnionResolution bool
}

// IsYouth reports whether an age in whole months is within the youth age
// of the set: "up to 30" is until the 31st birthday.
func IsYouth(s *Set, ageMonths int) bool { return ageMonths < (s.Introducers.YouthAge+1)*12 }

// Introducers judges who introduces the candidate (Điều lệ Đ.4 k.2,
// QĐ294 §3.1–3.2): two official members who shared work, study or residence
// with the candidate for 12 months (waived when one of them moves); where a
// Youth Union exists, a candidate of youth age must be a member and be
// introduced by its resolution plus one official member; where there is no
// Youth Union, a trade-union member may be introduced by the trade union's
// resolution plus one official member.
func Introducers(s *Set, f IntroducerFacts) (v Verdict) {
	defer s.mark(&v)
	r := s.Introducers
	qualified, waived := 0, 0
	var problems []string
	for i, in := range f.Introducers {
		switch {
		case !in.Official:
			problems = append(problems, fmt.Sprintf("người giới thiệu thứ %d chưa là đảng viên chính thức", i+1))
		case in.MonthsTogether < r.MonthsTogether && !in.Waived:
			problems = append(problems, fmt.Sprintf("người giới thiệu thứ %d mới cùng công tác, học tập hoặc sinh hoạt nơi cư trú với người vào Đảng %d tháng (cần ít nhất %d tháng, trừ khi được miễn vì người giới thiệu hoặc người vào Đảng chuyển nơi)",
				i+1, in.MonthsTogether, r.MonthsTogether))
		default:
			qualified++
			if in.MonthsTogether < r.MonthsTogether {
				waived++
			}
		}
	}
	src := r.Source
	note := ""
	if waived > 0 {
		src += "; " + r.WaiverSource
		note = fmt.Sprintf(" (%d người được miễn điều kiện %d tháng)", waived, r.MonthsTogether)
	}
	youth := f.YouthUnionMember
	if f.Youth != nil {
		youth = *f.Youth
	}

	if youth && f.YouthUnionExists {
		var missing []string
		if !f.YouthUnionMember {
			missing = append(missing, fmt.Sprintf("người vào Đảng trong độ tuổi thanh niên (đến %d tuổi) ở nơi có tổ chức Đoàn phải là đoàn viên Đoàn TNCS Hồ Chí Minh", r.YouthAge))
		}
		if !f.YouthUnionResolution {
			missing = append(missing, "thiếu nghị quyết giới thiệu đoàn viên vào Đảng của Ban Chấp hành Đoàn cơ sở (hoặc tập thể chi đoàn cơ sở)")
		}
		if qualified < 1 {
			missing = append(missing, "cần một đảng viên chính thức giới thiệu")
		}
		if len(missing) == 0 {
			return pass(RuleIntroducers, src, "Đoàn viên trong độ tuổi thanh niên: có nghị quyết giới thiệu của Ban Chấp hành Đoàn cơ sở và %d đảng viên chính thức giới thiệu đủ điều kiện%s", qualified, note)
		}
		return failing(RuleIntroducers, src+"; "+r.YouthAgeSource, "%s", sentence(append(missing, problems...)))
	}

	if qualified >= r.Members {
		return pass(RuleIntroducers, src, "Có %d đảng viên chính thức giới thiệu, cùng công tác, học tập hoặc sinh hoạt nơi cư trú với người vào Đảng ít nhất %d tháng%s", qualified, r.MonthsTogether, note)
	}
	tradeRoute := f.TradeUnionMember && !f.YouthUnionExists
	if tradeRoute && f.TradeUnionResolution && qualified >= 1 {
		return pass(RuleIntroducers, src, "Có nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở (nơi không có tổ chức Đoàn) và %d đảng viên chính thức giới thiệu đủ điều kiện%s", qualified, note)
	}
	msg := []string{fmt.Sprintf("chưa đủ người giới thiệu: cần %d đảng viên chính thức giới thiệu (hiện có %d người đủ điều kiện)", r.Members, qualified)}
	if tradeRoute {
		msg[0] += ", hoặc nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở và một đảng viên chính thức"
	}
	if f.YouthUnionResolution {
		msg = append(msg, fmt.Sprintf("nghị quyết của Đoàn chỉ thay một người giới thiệu cho đoàn viên trong độ tuổi thanh niên (đến %d tuổi) ở nơi có tổ chức Đoàn", r.YouthAge))
	}
	if f.TradeUnionResolution && !tradeRoute {
		msg = append(msg, "nghị quyết của công đoàn chỉ thay một người giới thiệu cho đoàn viên công đoàn ở nơi không có tổ chức Đoàn")
	}
	return failing(RuleIntroducers, src, "%s", sentence(append(msg, problems...)))
}

// Certificate judges the awareness-class certificate: valid 60 months until
// the chapter vote. HD06 §5.4b: retake the class when "quá 60 tháng", so the
// vote may fall on the 60-month day itself, not on the day after.
func Certificate(s *Set, issued time.Time, at At) (v Verdict) {
	defer s.mark(&v)
	r := s.Certificate
	until := calendar.AddMonths(issued, r.Months)
	switch {
	case after(issued, at.Date):
		return failing(RuleCertificate, r.Source, "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng cấp ngày %s, sau %s; chi bộ chỉ xét khi đã có giấy chứng nhận", dmy(issued), at.noun())
	case after(at.Date, until):
		return failing(RuleCertificate, r.Source, "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng cấp ngày %s đã quá %d tháng %s (chỉ còn giá trị đến hết ngày %s); người vào Đảng phải học lại lớp bồi dưỡng nhận thức về Đảng",
			dmy(issued), r.Months, at.phrase(), dmy(until))
	}
	return pass(RuleCertificate, r.Source, "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng cấp ngày %s còn giá trị %s (đến hết ngày %s)", dmy(issued), at.phrase(), dmy(until))
}

// DossierAge judges the freshness of the dossier (HD06 §5.4a): when the
// chapter has not voted more than 12 months after the dossier was opened,
// the introductions, the Youth Union or trade-union resolution, the
// verification and the opinions are redone. The 12-month day itself is in
// time.
func DossierAge(s *Set, opened time.Time, at At) (v Verdict) {
	defer s.mark(&v)
	r := s.DossierAge
	until := calendar.AddMonths(opened, r.Months)
	switch {
	case after(opened, at.Date):
		return failing(RuleDossierAge, r.Source, "Ngày lập hồ sơ (%s) sau %s; kiểm tra lại các ngày", dmy(opened), at.noun())
	case after(at.Date, until):
		return failing(RuleDossierAge, r.Source, "Hồ sơ lập ngày %s đã quá %d tháng mà chi bộ chưa xét (hạn %s); phải làm lại giấy giới thiệu của đảng viên chính thức và nghị quyết giới thiệu của Đoàn hoặc công đoàn, thẩm tra bổ sung lý lịch nếu có thay đổi, bổ sung ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú",
			dmy(opened), r.Months, dmy(until))
	}
	return pass(RuleDossierAge, r.Source, "Hồ sơ lập ngày %s, chưa quá %d tháng %s (chi bộ cần xét chậm nhất ngày %s)", dmy(opened), r.Months, at.phrase(), dmy(until))
}

// RequiredConsents lists the provincial consents the facts call for: over
// 60 on the vote day (ageMonths nil when unknown), a village elder who only
// reads and writes.
func RequiredConsents(s *Set, ageMonths *int, level string, elder bool) []Consent {
	var req []Consent
	if ageMonths != nil && *ageMonths > s.Age.MaxMonths {
		req = append(req, ConsentOver60)
	}
	if rank := educationRank(level); elder && rank >= educationRank(s.Education.Elder) && rank < educationRank(s.Education.Hardship) {
		req = append(req, ConsentLiterateOnly)
	}
	return req
}

// Consents judges the provincial consent step: every consent the case
// needs must be on file before the competent committee decides
// (HD06 §1.1, §1.2, §3.7c; QĐ294 §3.5). Consents on file that the facts do
// not call for are noted, not refused: the political standard and
// re-admission are outside the facts of the dossier check.
func Consents(s *Set, required, have []Consent) Verdict {
	var srcs []string
	addSrc := func(c Consent) {
		if src := s.Consents.source(c); src != "" && !slices.Contains(srcs, src) {
			srcs = append(srcs, src)
		}
	}
	var missing, present, extra []string
	for _, c := range required {
		addSrc(c)
		if hasConsent(have, c) {
			present = append(present, ConsentName(c))
		} else {
			missing = append(missing, ConsentName(c))
		}
	}
	for _, c := range have {
		if !hasConsent(required, c) && !slices.Contains(extra, ConsentName(c)) {
			addSrc(c)
			extra = append(extra, ConsentName(c))
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "thiếu văn bản đồng ý của Ban Thường vụ tỉnh ủy (cấp ủy trực thuộc Trung ương) về "+strings.Join(missing, ", ")+"; phải có trước khi cấp ủy có thẩm quyền ra quyết định kết nạp")
	}
	if len(present) > 0 {
		parts = append(parts, "đã có văn bản đồng ý của Ban Thường vụ tỉnh ủy về "+strings.Join(present, ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "đã ghi nhận văn bản đồng ý về "+strings.Join(extra, ", ")+" (các dữ kiện đã nhập không đòi hỏi hoặc không đủ để kiểm tra văn bản này)")
	}
	if len(parts) == 0 {
		parts = append(parts, "hồ sơ không cần văn bản đồng ý của Ban Thường vụ tỉnh ủy")
	}
	return s.Mark(Verdict{Rule: RuleConsent, OK: len(missing) == 0, Message: sentence(parts), Source: strings.Join(srcs, "; ")})
}

// sentence joins clauses with "; " and capitalises the first letter.
func sentence(parts []string) string {
	s := join(parts)
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
