package rules

import (
	"testing"
)

// Age: đủ 18 to đủ 60, counted in months, on the day the chapter votes
// (QĐ294 §1.1.1; QĐ24 §1.1.1); over 60 only with the provincial consent
// (QĐ294 §1.1.2; HD06 §1.1).
func TestAge(t *testing.T) {
	const src25, src21 = "QĐ294 §1.1; HD06 §1.1", "QĐ24 §1.1; HD01"
	for _, c := range []struct {
		name     string
		set      *Set
		birth    string
		at       At
		consents []Consent
		ok       bool
		source   string
		want     []string
	}{
		{"QĐ294 §1.1: turns 18 on the vote day", &s2025, "2007-07-01", vote("2025-07-01"), nil, true, src25, []string{"Đủ 18 tuổi tại ngày chi bộ xét"}},
		{"QĐ294 §1.1: the day before turning 18", &s2025, "2007-07-02", vote("2025-07-01"), nil, false, src25,
			[]string{"Chưa đủ 18 tuổi tại ngày chi bộ xét (17 tuổi 11 tháng); cần đợi đến ngày 02/07/2025"}},
		{"QĐ24 §1.1: the issue's example, one day short", &s2021, "2002-03-14", vote("2020-03-13"), nil, false, src21,
			[]string{"Chưa đủ 18 tuổi tại ngày chi bộ xét (17 tuổi 11 tháng); cần đợi đến ngày 14/03/2020"}},
		{"QĐ24 §1.1: the issue's example on the day", &s2021, "2002-03-14", vote("2020-03-14"), nil, true, src21, []string{"Đủ 18 tuổi"}},
		{"QĐ294 §1.1: born 29/2, 18 on 28/2 of a common year", &s2025, "2008-02-29", vote("2026-02-28"), nil, true, src25, []string{"Đủ 18 tuổi"}},
		{"QĐ294 §1.1: born 29/2, one day earlier", &s2025, "2008-02-29", vote("2026-02-27"), nil, false, src25, []string{"cần đợi đến ngày 28/02/2026"}},
		{"QĐ294 §1.1: the CONTRACT example", &s2025, "2002-03-14", vote("2024-05-03"), nil, true, src25, []string{"Đủ 22 tuổi 1 tháng tại ngày chi bộ xét"}},
		{"QĐ294 §1.1: đủ 60 on the day", &s2025, "1965-07-10", vote("2025-07-10"), nil, true, src25, []string{"Đủ 60 tuổi tại"}},
		{"QĐ294 §1.1: 60 years and some days is still đủ 60 (720 months)", &s2025, "1965-07-10", vote("2025-08-09"), nil, true, src25, []string{"Đủ 60 tuổi tại"}},
		{"HD06 §1.1: 60 years 1 month without consent", &s2025, "1965-07-10", vote("2025-08-10"), nil, false, "QĐ294 §1.1.2; HD06 §1.1",
			[]string{"Quá 60 tuổi tại ngày chi bộ xét (60 tuổi 1 tháng)", "văn bản đồng ý của Ban Thường vụ tỉnh ủy"}},
		{"HD06 §1.1: over 60 with the over_60 consent", &s2025, "1960-01-01", vote("2025-08-10"), []Consent{ConsentOver60}, true, "QĐ294 §1.1.2; HD06 §1.1",
			[]string{"Trên 60 tuổi", "65 tuổi 7 tháng", "đã có văn bản đồng ý"}},
		{"HD06 §1.1: another consent does not cover age", &s2025, "1960-01-01", vote("2025-08-10"), []Consent{ConsentPolitical}, false, "", nil},
		{"QĐ294 §1.1: before the vote, judged today", &s2025, "2008-01-15", At{Date: d("2025-12-01")}, nil, false, src25,
			[]string{"tính đến hôm nay 01/12/2025, khi chi bộ chưa xét (17 tuổi 10 tháng)", "17 tuổi 10 tháng", "chi bộ chỉ được xét kết nạp từ ngày 15/01/2026"}},
		{"born after the vote", &s2025, "2026-01-01", vote("2025-12-01"), nil, false, src25, []string{"Ngày sinh (01/01/2026) sau ngày chi bộ xét (01/12/2025)"}},
	} {
		v := Age(c.set, d(c.birth), c.at, c.consents)
		checkVerdict(t, c.name, v, RuleAge, c.ok, c.source, c.want...)
	}
}

// Education (QĐ294 §1.2; HD06 §1.2): lower secondary; primary in the
// hardship areas and for fishermen; literate village elders with the
// provincial consent.
func TestEducation(t *testing.T) {
	const src = "QĐ294 §1.2; HD06 §1.2"
	for _, c := range []struct {
		name            string
		level           string
		hardship, elder bool
		consents        []Consent
		ok              bool
		want            string
	}{
		{"QĐ294 §1.2.1: lower secondary", EduLowerSecondary, false, false, nil, true, "(trung học cơ sở) đạt yêu cầu"},
		{"QĐ294 §1.2.1: higher", EduHigher, false, false, nil, true, "đạt yêu cầu"},
		{"QĐ294 §1.2.1: primary outside the hardship areas", EduPrimary, false, false, nil, false, "cần bằng tốt nghiệp trung học cơ sở trở lên"},
		{"HD06 §1.2a: primary in a hardship area or a fisherman", EduPrimary, true, false, nil, true, "ngoại lệ"},
		{"HD06 §1.2a: literate in a hardship area, not an elder", EduLiterate, true, false, nil, false, "tối thiểu học xong tiểu học"},
		{"HD06 §1.2b: literate village elder without consent", EduLiterate, true, true, nil, false, "chưa có văn bản này"},
		{"HD06 §1.2b: literate village elder with consent", EduLiterate, true, true, []Consent{ConsentLiterateOnly}, true, "đã có văn bản đồng ý"},
		{"HD06 §1.2b: an elder is of the area even without the flag", EduLiterate, false, true, []Consent{ConsentLiterateOnly}, true, "già làng"},
		{"HD06 §1.2b: an elder with primary needs no consent", EduPrimary, false, true, nil, true, "ngoại lệ"},
		{"HD06 §1.2: illiterate elder, no consent helps", EduNone, true, true, []Consent{ConsentLiterateOnly}, false, "chưa biết chữ"},
		{"QĐ294 §1.2: illiterate", EduNone, false, false, nil, false, "chưa đạt"},
	} {
		v := Education(&s2025, c.level, c.hardship, c.elder, c.consents)
		checkVerdict(t, c.name, v, RuleEducation, c.ok, src, c.want)
	}
}

// Introducers (Điều lệ Đ.4 k.2; QĐ294 §3.1–3.2; HD06 §3.9a).
func TestIntroducers(t *testing.T) {
	good := Introducer{Official: true, MonthsTogether: 12}
	short := Introducer{Official: true, MonthsTogether: 11}
	waived := Introducer{Official: true, MonthsTogether: 3, Waived: true}
	probationary := Introducer{Official: false, MonthsTogether: 24}
	yes, no := bp(true), bp(false)
	for _, c := range []struct {
		name string
		f    IntroducerFacts
		ok   bool
		want []string
	}{
		{"Điều lệ Đ.4: two official members, exactly 12 months", IntroducerFacts{Introducers: []Introducer{good, good}}, true, []string{"Có 2 đảng viên chính thức giới thiệu"}},
		{"QĐ294 §3.2.1: 11 months is short", IntroducerFacts{Introducers: []Introducer{good, short}}, false,
			[]string{"hiện có 1 người đủ điều kiện", "người giới thiệu thứ 2 mới cùng công tác, học tập hoặc sinh hoạt nơi cư trú với người vào Đảng 11 tháng"}},
		{"QĐ294 §3.2.2: 12 months waived when the introducer moves", IntroducerFacts{Introducers: []Introducer{good, waived}}, true,
			[]string{"1 người được miễn điều kiện 12 tháng"}},
		{"Điều lệ Đ.4: a probationary member cannot introduce", IntroducerFacts{Introducers: []Introducer{good, probationary}}, false,
			[]string{"người giới thiệu thứ 2 chưa là đảng viên chính thức"}},
		{"Điều lệ Đ.4: none", IntroducerFacts{Introducers: []Introducer{}}, false, []string{"Chưa đủ người giới thiệu"}},
		{"Điều lệ Đ.4: youth, Youth Union resolution + 1", IntroducerFacts{Introducers: []Introducer{good}, Youth: yes,
			YouthUnionMember: true, YouthUnionExists: true, YouthUnionResolution: true}, true, []string{"nghị quyết giới thiệu của Ban Chấp hành Đoàn cơ sở"}},
		{"Điều lệ Đ.4: youth where a Youth Union exists must go through it", IntroducerFacts{Introducers: []Introducer{good, good}, Youth: yes,
			YouthUnionMember: true, YouthUnionExists: true}, false, []string{"Thiếu nghị quyết giới thiệu đoàn viên vào Đảng"}},
		{"Điều lệ Đ.4: youth where a Youth Union exists must be a member", IntroducerFacts{Introducers: []Introducer{good}, Youth: yes,
			YouthUnionExists: true, YouthUnionResolution: true}, false, []string{"phải là đoàn viên Đoàn TNCS Hồ Chí Minh"}},
		{"Điều lệ Đ.4: Youth Union resolution without any member", IntroducerFacts{Introducers: nil, Youth: yes,
			YouthUnionMember: true, YouthUnionExists: true, YouthUnionResolution: true}, false, []string{"Cần một đảng viên chính thức giới thiệu"}},
		{"Điều lệ Đ.4: past youth age, the Youth Union resolution does not count", IntroducerFacts{Introducers: []Introducer{good}, Youth: no,
			YouthUnionMember: true, YouthUnionExists: true, YouthUnionResolution: true}, false, []string{"nghị quyết của Đoàn chỉ thay một người giới thiệu"}},
		{"Điều lệ Đ.4: past youth age, two members", IntroducerFacts{Introducers: []Introducer{good, good}, Youth: no,
			YouthUnionMember: true, YouthUnionExists: true}, true, nil},
		{"Điều lệ Đ.4: youth where no Youth Union exists, two members", IntroducerFacts{Introducers: []Introducer{good, good}, Youth: yes}, true, nil},
		{"Điều lệ Đ.4: age unknown, a Youth Union member is taken as youth", IntroducerFacts{Introducers: []Introducer{good, good},
			YouthUnionMember: true, YouthUnionExists: true}, false, []string{"Thiếu nghị quyết"}},
		{"Điều lệ Đ.4: trade union resolution + 1 where there is no Youth Union", IntroducerFacts{Introducers: []Introducer{good}, Youth: no,
			TradeUnionMember: true, TradeUnionResolution: true}, true, []string{"Ban Chấp hành công đoàn cơ sở"}},
		{"Điều lệ Đ.4: trade union resolution where a Youth Union exists", IntroducerFacts{Introducers: []Introducer{good}, Youth: no,
			TradeUnionMember: true, YouthUnionExists: true, TradeUnionResolution: true}, false, []string{"nghị quyết của công đoàn chỉ thay"}},
		{"Điều lệ Đ.4: trade union member without the resolution is told of it", IntroducerFacts{Introducers: []Introducer{good}, Youth: no,
			TradeUnionMember: true}, false, []string{"hoặc nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở"}},
	} {
		v := Introducers(&s2025, c.f)
		checkVerdict(t, c.name, v, RuleIntroducers, c.ok, "", c.want...)
	}
	// Youth age "up to 30" on the vote day (admission-rules.md §4.1, default 30).
	for _, c := range []struct {
		months int
		youth  bool
	}{{30 * 12, true}, {31*12 - 1, true}, {31 * 12, false}, {18 * 12, true}} {
		if got := IsYouth(&s2025, c.months); got != c.youth {
			t.Errorf("IsYouth(%s) = %v", ageText(c.months), got)
		}
	}
}

// The awareness certificate is valid 60 months until the chapter vote;
// HD06 §5.4b says "quá 60 tháng", so the 60-month day is still valid and the
// day after is not.
func TestCertificate(t *testing.T) {
	const src = "HD06 §3.1, §5.4b"
	for _, c := range []struct {
		name, issued string
		at           At
		ok           bool
		want         string
	}{
		{"HD06 §5.4b: on its 60-month day", "2019-05-03", vote("2024-05-03"), true, "đến hết ngày 03/05/2024"},
		{"HD06 §5.4b: the day after", "2019-05-03", vote("2024-05-04"), false, "phải học lại lớp bồi dưỡng nhận thức về Đảng"},
		{"HD06 §5.4b: issued 29/2, ends 28/2", "2020-02-29", vote("2025-02-28"), true, "đến hết ngày 28/02/2025"},
		{"HD06 §5.4b: issued 29/2, 1/3 is late", "2020-02-29", vote("2025-03-01"), false, "đã quá 60 tháng"},
		{"HD06 §5.4b: issued 31/8, ends 31/8", "2019-08-31", vote("2024-08-31"), true, ""},
		{"HD06 §3.1: the CONTRACT example", "2023-10-20", vote("2024-05-03"), true, "đến hết ngày 20/10/2028"},
		{"HD06 §3.1: issued after the vote", "2024-05-10", vote("2024-05-03"), false, "sau ngày chi bộ xét (03/05/2024)"},
		{"HD06 §5.4b: before the vote, judged today", "2019-05-03", At{Date: d("2024-06-01")}, false, "tính đến hôm nay 01/06/2024, khi chi bộ chưa xét"},
	} {
		checkVerdict(t, c.name, Certificate(&s2025, d(c.issued), c.at), RuleCertificate, c.ok, src, c.want)
	}
}

// Documents older than 12 months without a chapter vote are redone
// (HD06 §5.4a).
func TestDossierAge(t *testing.T) {
	const src = "HD06 §5.4a"
	for _, c := range []struct {
		name, opened string
		at           At
		ok           bool
		want         string
	}{
		{"HD06 §5.4a: voted on the 12-month day", "2024-01-15", vote("2025-01-15"), true, "chậm nhất ngày 15/01/2025"},
		{"HD06 §5.4a: one day late", "2024-01-15", vote("2025-01-16"), false, "phải làm lại giấy giới thiệu"},
		{"HD06 §5.4a: not voted, lapsed today", "2024-01-15", At{Date: d("2025-03-01")}, false, "đã quá 12 tháng mà chi bộ chưa xét"},
		{"HD06 §5.4a: not voted, in time today", "2024-01-15", At{Date: d("2024-03-01")}, true, "tính đến hôm nay"},
		{"HD06 §5.4a: opened after the vote", "2024-06-01", vote("2024-05-03"), false, "kiểm tra lại"},
	} {
		checkVerdict(t, c.name, DossierAge(&s2025, d(c.opened), c.at), RuleDossierAge, c.ok, src, c.want)
	}
}

// The provincial consent step (HD06 §1.1, §1.2, §3.7c; QĐ294 §3.5).
func TestConsents(t *testing.T) {
	over := 61 * 12
	young := 25 * 12
	if got := RequiredConsents(&s2025, &over, EduLiterate, true); len(got) != 2 || got[0] != ConsentOver60 || got[1] != ConsentLiterateOnly {
		t.Errorf("RequiredConsents(61, literate elder) = %v", got)
	}
	if got := RequiredConsents(&s2025, &young, EduLiterate, false); len(got) != 0 {
		t.Errorf("a literate non-elder needs no consent (education fails instead): %v", got)
	}
	if got := RequiredConsents(&s2025, nil, EduPrimary, true); len(got) != 0 {
		t.Errorf("an elder with primary school needs no consent: %v", got)
	}
	for _, c := range []struct {
		name           string
		required, have []Consent
		ok             bool
		source         string
		want           string
	}{
		{"HD06 §1.1: over 60 missing", []Consent{ConsentOver60}, nil, false, "QĐ294 §1.1.2; HD06 §1.1", "Thiếu văn bản đồng ý của Ban Thường vụ tỉnh ủy (cấp ủy trực thuộc Trung ương) về kết nạp người trên 60 tuổi"},
		{"HD06 §1.1: over 60 on file", []Consent{ConsentOver60}, []Consent{ConsentOver60}, true, "QĐ294 §1.1.2; HD06 §1.1", "Đã có văn bản đồng ý"},
		{"HD06 §1.2: literate elder, one of two missing", []Consent{ConsentOver60, ConsentLiterateOnly}, []Consent{ConsentOver60}, false,
			"QĐ294 §1.1.2; HD06 §1.1; HD06 §1.2", "chỉ biết đọc"},
		{"HD06 §3.7c: a consent the facts cannot check is noted", nil, []Consent{ConsentPolitical}, true, "HD06 §3.7c", "Đã ghi nhận văn bản đồng ý về vấn đề tiêu chuẩn chính trị"},
	} {
		checkVerdict(t, c.name, Consents(&s2025, c.required, c.have), RuleConsent, c.ok, c.source, c.want)
	}
}
