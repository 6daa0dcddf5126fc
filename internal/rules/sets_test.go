package rules

import (
	"strings"
	"testing"
)

// The set in force is chosen by the date of the chapter resolution:
// QĐ 294 is in force from 1/7/2025 (admission-rules.md §1.1, CONTRACT
// "Dossier check"); the 2021 set stands in for anything earlier.
func TestInForce(t *testing.T) {
	for _, c := range []struct {
		date, want string
		workdays   int
		extension  int
	}{
		{"2025-06-30", "2021", 60, 30}, // QĐ24 §4.3.1: the last day of the 2021 rules
		{"2025-07-01", "2025", 45, 15}, // QĐ294 §4.3.1: the first day of the 2025 rules
		{"2024-05-03", "2021", 60, 30}, // the CONTRACT example's vote date
		{"2021-07-30", "2021", 60, 30}, // QĐ24 signed and in force
		{"2019-01-10", "2021", 60, 30}, // before QĐ24: the earliest set stands in (QĐ29 had 60 (+30) too)
		{"2030-01-01", "2025", 45, 15},
	} {
		s := InForce(d(c.date))
		if s.ID != c.want || s.DecisionDeadline.Workdays != c.workdays || s.DecisionDeadline.Extension != c.extension {
			t.Errorf("InForce(%s) = %s %d+%d, want %s %d+%d", c.date, s.ID, s.DecisionDeadline.Workdays, s.DecisionDeadline.Extension, c.want, c.workdays, c.extension)
		}
	}
}

// The parameters of both sets, with the sources of admission-rules.md §0
// and §1.2.
func TestSetParameters(t *testing.T) {
	for _, s := range National() {
		if s.Age.MinMonths != 216 || s.Age.MaxMonths != 720 { // QĐ294 §1.1 / QĐ24 §1.1: đủ 18 to đủ 60, in months
			t.Errorf("%s age %+v", s.ID, s.Age)
		}
		if s.Introducers.Members != 2 || s.Introducers.MonthsTogether != 12 || s.Introducers.YouthAge != 30 { // Điều lệ Đ.4; QĐ294 §3.2.1
			t.Errorf("%s introducers %+v", s.ID, s.Introducers)
		}
		if s.Certificate.Months != 60 || s.DossierAge.Months != 12 || s.Probation.Months != 12 { // HD06 §5.4; Điều lệ Đ.5
			t.Errorf("%s periods %+v %+v %+v", s.ID, s.Certificate, s.DossierAge, s.Probation)
		}
		if s.CeremonyDeadline.Workdays != 30 || s.RecognitionVote.Workdays != 30 || s.RecognitionDeadline.Workdays != 30 { // QĐ294 §4.1, §4.2, §4.3.1
			t.Errorf("%s deadlines %+v %+v %+v", s.ID, s.CeremonyDeadline, s.RecognitionVote, s.RecognitionDeadline)
		}
		if s.ChapterVote.Fraction != (Fraction{2, 3, false}) || s.Committee.Fraction != (Fraction{2, 3, false}) ||
			s.Decision.Fraction != (Fraction{1, 2, true}) || s.AuthorisedGC.Fraction != (Fraction{2, 3, false}) { // QĐ294 §9.3.4; HD06 §3.7a
			t.Errorf("%s votes", s.ID)
		}
		if s.Readmission != (ReadmissionRule{36, 60, true, s.Readmission.Source}) { // QĐ294 §3.5
			t.Errorf("%s readmission %+v", s.ID, s.Readmission)
		}
		if s.Forms[FormApplication] != "1-KNĐ" || s.Forms[FormDecision] != "9-KNĐ" || len(s.Forms) != 18 { // admission-rules.md §10.1
			t.Errorf("%s forms %v", s.ID, s.Forms)
		}
	}
	// admission-rules.md §1.2: 60/30 wd, extension ≤ 30 (2021) → 45/30 wd, extension ≤ 15 (2025).
	if s2021.RecognitionDeadline.Extension != 30 || s2025.RecognitionDeadline.Extension != 15 {
		t.Errorf("recognition extensions %d %d", s2021.RecognitionDeadline.Extension, s2025.RecognitionDeadline.Extension)
	}
	if !strings.HasPrefix(s2025.DecisionDeadline.Source, "QĐ294") || !strings.HasPrefix(s2021.DecisionDeadline.Source, "QĐ24") {
		t.Errorf("sources %q %q", s2025.DecisionDeadline.Source, s2021.DecisionDeadline.Source)
	}
	if s, ok := ByID("2016"); ok {
		t.Errorf("ByID(2016) = %s", s.ID)
	}
}

// A province's stricter limits are an overlay: Hà Nội's HD 02-HD/BTCTU
// (admission-rules.md §4.3) decides recognition in 15 (+15) working days.
func TestOverlay(t *testing.T) {
	const label = "HD02-HD/BTCTU Hà Nội"
	base := Set2025()
	hn := Overlay(base, "hanoi", label, func(s *Set) {
		s.RecognitionDeadline.Workdays = 15
		s.Forms[FormDecision] = "9A-KNĐ"
	})
	if hn.ID != "2025+hanoi" || hn.Label != label || !strings.Contains(hn.Name, label) {
		t.Errorf("overlay identity %q %q %q", hn.ID, hn.Label, hn.Name)
	}
	if hn.RecognitionDeadline.Workdays != 15 || hn.RecognitionDeadline.Extension != 15 {
		t.Errorf("overlay deadline %+v", hn.RecognitionDeadline)
	}
	if hn.RecognitionDeadline.Source != label+"; QĐ294 §4.3.1" {
		t.Errorf("changed parameter's source %q, want the overlay's label first", hn.RecognitionDeadline.Source)
	}
	if hn.DecisionDeadline.Source != "QĐ294 §4.3.1" || hn.Age.Source != base.Age.Source {
		t.Errorf("unchanged parameters were relabelled: %q %q", hn.DecisionDeadline.Source, hn.Age.Source)
	}
	if base.RecognitionDeadline.Workdays != 30 || base.Forms[FormDecision] != "9-KNĐ" || Set2025().Forms[FormDecision] != "9-KNĐ" {
		t.Error("the overlay changed its base")
	}
	// The overlay is a set like the others: it can be chosen by date.
	if got := Select([]Set{Set2021(), hn}, d("2025-08-01")); got.ID != "2025+hanoi" {
		t.Errorf("Select = %s", got.ID)
	}
	// From Friday 1/8/2025: 15 working days end on Friday 22/8; 30 cross the
	// National Day (Mon 1/9 and Tue 2/9 off) and end on Tuesday 16/9.
	due, ext, err := RecognitionDecisionDue(&hn, nil, d("2025-08-01"))
	if err != nil || iso(due) != "2025-08-22" || iso(ext) != "2025-09-16" {
		t.Errorf("Hà Nội recognition decision due %s %s %v", iso(due), iso(ext), err)
	}
}

// Vote thresholds in integers (QĐ294 §9.3.4): exactly 2/3 passes "≥ 2/3",
// exactly 1/2 fails "> 1/2".
func TestFraction(t *testing.T) {
	two3, half := Fraction{2, 3, false}, Fraction{1, 2, true}
	for _, c := range []struct {
		f          Fraction
		yes, denom int
		met        bool
		needed     int
	}{
		{two3, 8, 12, true, 8},  // exactly 2/3
		{two3, 7, 12, false, 8}, // 7/12 = 0.583
		{two3, 7, 11, false, 8}, // 7/11 = 0.636 < 2/3: 21 < 22
		{two3, 8, 11, true, 8},  // 24 ≥ 22
		{two3, 2, 3, true, 2},   // the smallest chapter
		{two3, 6, 9, true, 6},
		{two3, 5, 9, false, 6},
		{two3, 0, 1, false, 1},
		{half, 3, 5, true, 3},
		{half, 2, 4, false, 3}, // exactly half is not more than half
		{half, 3, 4, true, 3},
		{half, 4, 7, true, 4},
		{half, 3, 7, false, 4},
	} {
		if got := c.f.Met(c.yes, c.denom); got != c.met {
			t.Errorf("%s: %d/%d met = %v", c.f, c.yes, c.denom, got)
		}
		if got := c.f.Needed(c.denom); got != c.needed {
			t.Errorf("%s of %d needs %d, want %d", c.f, c.denom, got, c.needed)
		}
		// Needed is the least yes that meets the threshold.
		if !c.f.Met(c.f.Needed(c.denom), c.denom) || c.f.Met(c.f.Needed(c.denom)-1, c.denom) {
			t.Errorf("%s of %d: Needed is not the least passing count", c.f, c.denom)
		}
	}
	if two3.String() != "ít nhất 2/3" || half.String() != "quá 1/2" {
		t.Errorf("%q %q", two3, half)
	}
}
