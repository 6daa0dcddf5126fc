package rules

import "testing"

// Re-admission (QĐ294 §3.5): ≥ 36 months after leaving, ≥ 60 months after a
// cleared minor conviction, excluded grounds, only once, provincial consent.
func TestReadmission(t *testing.T) {
	base := ReadmissionFacts{Left: d("2021-03-10"), Ground: GroundStruckOff, ProvincialConsent: true, On: d("2024-03-10")}
	type want struct {
		rule string
		ok   bool
		text string
	}
	for _, c := range []struct {
		name string
		edit func(*ReadmissionFacts)
		want []want
	}{
		{"QĐ294 §3.5b: exactly 36 months", func(*ReadmissionFacts) {}, []want{
			{RuleReadmissionGround, true, "không thuộc các trường hợp"}, {RuleReadmissionWait, true, "36 tháng"},
			{RuleReadmissionOnce, true, ""}, {RuleConsent, true, "kết nạp lại"}}},
		{"QĐ294 §3.5b: one day short of 36 months", func(f *ReadmissionFacts) { f.On = d("2024-03-09") }, []want{
			{RuleReadmissionWait, false, "Mới ra khỏi Đảng 35 tháng tính đến ngày 09/03/2024; cần ít nhất 36 tháng, tức từ ngày 10/03/2024"}}},
		{"QĐ294 §3.5b: minor conviction, record cleared 60 months ago", func(f *ReadmissionFacts) {
			f.Ground, f.Left, f.RecordCleared = GroundMinorConviction, d("2015-01-01"), d("2019-03-10")
		}, []want{{RuleReadmissionGround, true, ""}, {RuleReadmissionWait, true, "đã đủ 60 tháng"}}},
		{"QĐ294 §3.5b: minor conviction, cleared 59 months ago", func(f *ReadmissionFacts) {
			f.Ground, f.Left, f.RecordCleared = GroundMinorConviction, d("2015-01-01"), d("2019-03-11")
		}, []want{{RuleReadmissionWait, false, "tức từ ngày 11/03/2024"}}},
		{"QĐ294 §3.5b: minor conviction, record not cleared", func(f *ReadmissionFacts) { f.Ground = GroundMinorConviction },
			[]want{{RuleReadmissionWait, false, "chưa có ngày xóa án tích"}}},
		{"QĐ294 §3.5: corruption conviction is excluded", func(f *ReadmissionFacts) { f.Ground = GroundCorruption },
			[]want{{RuleReadmissionGround, false, "bị kết án về tội tham nhũng"}}},
		{"QĐ294 §3.5: voluntary resignation is excluded", func(f *ReadmissionFacts) { f.Ground = GroundResigned },
			[]want{{RuleReadmissionGround, false, "tự nguyện xin ra khỏi Đảng"}}},
		{"QĐ294 §3.5: resignation for family hardship is not", func(f *ReadmissionFacts) { f.Ground = GroundResignedHardship },
			[]want{{RuleReadmissionGround, true, "hoàn cảnh gia đình"}}},
		{"QĐ294 §3.5: self-abandoned, disunity, serious crime", func(f *ReadmissionFacts) { f.Ground = GroundSeriousCrime },
			[]want{{RuleReadmissionGround, false, "nghiêm trọng trở lên"}}},
		{"QĐ294 §3.5: population policy follows the Ban Bí thư", func(f *ReadmissionFacts) { f.Ground = GroundPopulationPolicy },
			[]want{{RuleReadmissionGround, true, "Ban Bí thư"}}},
		{"unknown ground", func(f *ReadmissionFacts) { f.Ground = "x" }, []want{{RuleReadmissionGround, false, "không xác định"}}},
		{"QĐ294 §3.5: only once", func(f *ReadmissionFacts) { f.ReadmittedBefore = true },
			[]want{{RuleReadmissionOnce, false, "chỉ xem xét kết nạp lại một lần"}}},
		{"QĐ294 §3.5d: provincial consent missing", func(f *ReadmissionFacts) { f.ProvincialConsent = false },
			[]want{{RuleConsent, false, "Thiếu văn bản đồng ý"}}},
	} {
		f := base
		c.edit(&f)
		vs := Readmission(&s2025, f)
		if len(vs) != 4 {
			t.Fatalf("%s: %d verdicts", c.name, len(vs))
		}
		for _, w := range c.want {
			found := false
			for _, v := range vs {
				if v.Rule == w.rule {
					found = true
					checkVerdict(t, c.name, v, w.rule, w.ok, "", w.text)
				}
			}
			if !found {
				t.Errorf("%s: no %s verdict", c.name, w.rule)
			}
		}
	}
	for _, g := range []Ground{GroundAbandoned, GroundDisunity} {
		if v := Readmission(&s2025, ReadmissionFacts{Left: d("2015-01-01"), Ground: g, On: d("2024-01-01")}); v[0].OK {
			t.Errorf("%s should be excluded", g)
		}
	}
	if v := Readmission(&s2021, base); v[0].Source != "QĐ24 §3.5" {
		t.Errorf("2021 source %q", v[0].Source)
	}
}
