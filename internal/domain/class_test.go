package domain

import (
	"testing"
	"time"
)

func ip(n int) *int { return &n }

// QĐ1147: attendance of at least 80 % of the lessons to sit the essay.
func TestAttendanceOK(t *testing.T) {
	for _, c := range []struct {
		attended, total int
		ok              bool
	}{
		{16, 20, true}, {15, 20, false}, // exactly 80 % and just below
		{20, 25, true}, {19, 25, false},
		{8, 10, true}, {7, 10, false},
		{33, 41, true}, // 80,49 %
		{32, 41, false},
		{0, 0, false}, {20, 20, true},
	} {
		if got := AttendanceOK(c.attended, c.total); got != c.ok {
			t.Errorf("AttendanceOK(%d, %d) = %v, want %v", c.attended, c.total, got, c.ok)
		}
		if c.total > 0 {
			if got := MissedTooMany(c.total-c.attended, c.total); got == c.ok {
				t.Errorf("MissedTooMany(%d, %d) = %v, want %v", c.total-c.attended, c.total, got, !c.ok)
			}
		}
	}
}

// QĐ1147: pass at 5.0, grades Trung bình 5–<7, Khá 7–<8, Giỏi 8–<9,
// Xuất sắc 9–10 on the mean of the two graders (admission-rules §7.4).
func TestGradeBands(t *testing.T) {
	for _, c := range []struct {
		s1, s2 int
		grade  string
		mean   string
	}{
		{500, 500, "Trung bình", "5"},
		{499, 500, "", "4,995"}, // just below the pass mark: never rounded up
		{450, 550, "Trung bình", "5"},
		{0, 0, "", "0"},
		{699, 700, "Trung bình", "6,995"},
		{700, 700, "Khá", "7"},
		{650, 750, "Khá", "7"},
		{799, 800, "Khá", "7,995"},
		{800, 800, "Giỏi", "8"},
		{899, 900, "Giỏi", "8,995"},
		{900, 900, "Xuất sắc", "9"},
		{875, 925, "Xuất sắc", "9"},
		{1000, 1000, "Xuất sắc", "10"},
		{625, 650, "Trung bình", "6,375"},
	} {
		_, g := GradeOf(c.s1 + c.s2)
		if g != c.grade {
			t.Errorf("GradeOf(%d+%d) = %q, want %q", c.s1, c.s2, g, c.grade)
		}
		if m := FormatMean(c.s1 + c.s2); m != c.mean {
			t.Errorf("FormatMean(%d) = %q, want %q", c.s1+c.s2, m, c.mean)
		}
		l := &Learner{Status: EnrolActive, Attended: 20, Score1: ip(c.s1), Score2: ip(c.s2)}
		l.Evaluate(20, 20, Day(2024, 1, 18))
		want := OutcomeFail
		if c.grade != "" {
			want = OutcomePass
		}
		if l.Outcome != want || l.Total != c.s1+c.s2 {
			t.Errorf("Evaluate(%d, %d) = %s %d, want %s", c.s1, c.s2, l.Outcome, l.Total, want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	exam := Day(2024, 1, 18)
	retake := Day(2024, 1, 20)
	for _, c := range []struct {
		name            string
		l               Learner
		total, recorded int
		outcome         string
		sum             int
		resultDate      *time.Time
	}{
		{"no results yet", Learner{Attended: 15}, 20, 15, OutcomePending, 0, nil},
		{"80 % reached", Learner{Attended: 16, Score1: ip(600), Score2: ip(700)}, 20, 20, OutcomePass, 1300, &exam},
		{"four lessons missed, one session to go", Learner{Attended: 11}, 20, 15, OutcomePending, 0, nil},
		{"five lessons missed: ineligible at once", Learner{Attended: 10}, 20, 15, OutcomeIneligible, 0, &exam},
		{"absent from the essay", Learner{Attended: 20, Absent: true}, 20, 20, OutcomeAbsent, 0, &exam},
		{"retake replaces a fail", Learner{Attended: 20, Score1: ip(400), Score2: ip(450), RetakeDate: &retake,
			Retake1: ip(550), Retake2: ip(600)}, 20, 20, OutcomePass, 1150, &retake},
		{"retake after absence, failed", Learner{Attended: 20, Absent: true, RetakeDate: &retake,
			Retake1: ip(400), Retake2: ip(450)}, 20, 20, OutcomeFail, 850, &retake},
		{"withdrawn", Learner{Status: EnrolWithdrawn, Attended: 20}, 20, 20, OutcomeWithdrawn, 0, nil},
	} {
		l := c.l
		if l.Status == "" {
			l.Status = EnrolActive
		}
		l.Evaluate(c.total, c.recorded, exam)
		if l.Outcome != c.outcome || l.Total != c.sum || !sameDay(l.ResultDate, c.resultDate) {
			t.Errorf("%s: %s %d %v, want %s %d %v", c.name, l.Outcome, l.Total, l.ResultDate, c.outcome, c.sum, c.resultDate)
		}
	}
}

func sameDay(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// QĐ1147: one retake, within 3 days of the essay, only after a fail or an absence.
func TestCheckRetake(t *testing.T) {
	exam := Day(2024, 1, 18)
	failed := func() *Learner {
		l := &Learner{Status: EnrolActive, Attended: 20, Score1: ip(400), Score2: ip(500)}
		l.Evaluate(20, 20, exam)
		return l
	}
	for _, c := range []struct {
		day time.Time
		ok  bool
	}{
		{exam, false}, {exam.AddDate(0, 0, 1), true}, {exam.AddDate(0, 0, 3), true}, {exam.AddDate(0, 0, 4), false},
		{exam.AddDate(0, 0, -1), false},
	} {
		err := failed().CheckRetake(exam, c.day)
		if (err == nil) != c.ok {
			t.Errorf("retake on %s: %v, want ok=%v", c.day.Format(DateLayout), err, c.ok)
		}
	}
	l := failed()
	d := exam.AddDate(0, 0, 2)
	l.RetakeDate, l.Retake1, l.Retake2 = &d, ip(450), ip(450)
	l.Evaluate(20, 20, exam)
	if err := l.CheckRetake(exam, exam.AddDate(0, 0, 3)); err == nil {
		t.Error("a second retake was allowed")
	}
	passed := &Learner{Status: EnrolActive, Attended: 20, Score1: ip(500), Score2: ip(500)}
	passed.Evaluate(20, 20, exam)
	if err := passed.CheckRetake(exam, exam.AddDate(0, 0, 1)); err == nil {
		t.Error("a retake after a pass was allowed")
	}
	absent := &Learner{Status: EnrolActive, Attended: 20, Absent: true}
	absent.Evaluate(20, 20, exam)
	if err := absent.CheckRetake(exam, exam.AddDate(0, 0, 1)); err != nil {
		t.Errorf("retake after an absence: %v", err)
	}
	inel := &Learner{Status: EnrolActive, Attended: 15, Absent: true}
	inel.Evaluate(20, 20, exam)
	if err := inel.CheckRetake(exam, exam.AddDate(0, 0, 1)); err == nil {
		t.Error("a retake for a learner below 80 % was allowed")
	}
}

// QĐ1147: the certificate within 15 days of the completion decision.
func TestCheckCertificateDate(t *testing.T) {
	done := Day(2024, 4, 26)
	for _, c := range []struct {
		d      time.Time
		reason string
		ok     bool
	}{
		{done, "", true}, {done.AddDate(0, 0, 15), "", true}, {done.AddDate(0, 0, 16), "", false},
		{done.AddDate(0, 0, 16), "Chờ phôi giấy chứng nhận", true}, {done.AddDate(0, 0, -1), "lý do", false},
	} {
		if err := CheckCertificateDate(done, c.d, c.reason); (err == nil) != c.ok {
			t.Errorf("certificate on %s (%q): %v, want ok=%v", c.d.Format(DateLayout), c.reason, err, c.ok)
		}
	}
}

// HD06 §5.4b: the awareness certificate is valid 60 months; on its
// 60-month day it still is, the day after it is not.
func TestCertificateValidity(t *testing.T) {
	for _, c := range []struct {
		issued, last time.Time
	}{
		{Day(2019, 5, 4), Day(2024, 5, 4)},
		{Day(2020, 2, 29), Day(2025, 2, 28)},
		{Day(2019, 3, 31), Day(2024, 3, 31)},
		{Day(2019, 12, 31), Day(2024, 12, 31)},
	} {
		k := &Certificate{Programme: ProgAwareness, Issued: c.issued, ValidUntil: CertificateValidUntil(ProgAwareness, c.issued)}
		if k.ValidUntil == nil || !k.ValidUntil.Equal(c.last) {
			t.Fatalf("valid until of %s = %v, want %s", c.issued.Format(DateLayout), k.ValidUntil, c.last.Format(DateLayout))
		}
		if !k.ValidOn(c.last) || k.ValidOn(c.last.AddDate(0, 0, 1)) || !k.ValidOn(c.issued) || k.ValidOn(c.issued.AddDate(0, 0, -1)) {
			t.Errorf("certificate of %s: validity boundaries wrong", c.issued.Format(DateLayout))
		}
	}
	if CertificateValidUntil(ProgNewMember, Day(2024, 3, 20)) != nil {
		t.Error("the new-member certificate has no time limit")
	}
}

func TestParseScore(t *testing.T) {
	for in, want := range map[string]int{"7": 700, "6,75": 675, "6.5": 650, "10": 1000, "0": 0, "9,9": 990, " 8,25 ": 825} {
		got, err := ParseScore("s", in)
		if err != nil || got == nil || *got != want {
			t.Errorf("ParseScore(%q) = %v, %v; want %d", in, got, err, want)
		}
		if s := FormatScore(want); s != FormatScore(*got) {
			t.Errorf("FormatScore(%d) = %q", want, s)
		}
	}
	for _, bad := range []string{"10,5", "11", "-1", "7,125", "abc", ",", "+5"} {
		if _, err := ParseScore("s", bad); err == nil {
			t.Errorf("ParseScore(%q) accepted", bad)
		}
	}
	if v, err := ParseScore("s", ""); v != nil || err != nil {
		t.Errorf("empty score: %v %v", v, err)
	}
	if FormatScore(675) != "6,75" || FormatScore(700) != "7" || FormatScore(650) != "6,5" {
		t.Error("FormatScore")
	}
}

func TestClassValidate(t *testing.T) {
	ok := Class{Code: "NT-2024/01", Name: "Lớp nhận thức", Programme: ProgAwareness, OrgID: 1,
		StartDate: Day(2024, 1, 15), EndDate: Day(2024, 1, 18), UnitIDs: []int64{2}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*Class){
		"code":      func(c *Class) { c.Code = "lớp 1" },
		"programme": func(c *Class) { c.Programme = "x" },
		"dates":     func(c *Class) { c.EndDate = Day(2024, 1, 14) },
		"units":     func(c *Class) { c.UnitIDs = nil },
		"capacity":  func(c *Class) { c.Capacity = -1 },
		"exam":      func(c *Class) { e := Day(2024, 1, 1); c.ExamDate = &e },
	} {
		c := ok
		mut(&c)
		if err := c.Validate(); err == nil || ErrorCode(err) != EInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	a := ok
	b := ok
	b.StartDate, b.EndDate = Day(2024, 1, 18), Day(2024, 1, 20)
	if !a.Overlaps(&b) {
		t.Error("classes sharing 18/1 do not overlap")
	}
	b.StartDate = Day(2024, 1, 19)
	if a.Overlaps(&b) {
		t.Error("consecutive classes overlap")
	}
}
