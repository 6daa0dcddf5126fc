package rules

import (
	"errors"
	"testing"

	"ketnap/internal/calendar"
)

// Deadlines in working days, strictly after the anchor (DOMAIN §8), on the
// official schedules of the calendar package.
func TestDecisionDue(t *testing.T) {
	for _, c := range []struct {
		name           string
		set            *Set
		anchor         string
		base, extended string
	}{
		// CONTRACT example: Friday 3/5/2024; Saturday 4/5/2024 was a make-up
		// working day, so 45 working days end on Thursday 4/7 (not Friday 5/7)
		// and 60 on 25/7.
		{"QĐ294 §4.3.1: CONTRACT example under the 2025 set", &s2025, "2024-05-03", "2024-07-04", "2024-07-25"},
		{"QĐ24 §4.3.1: the same vote under the 2021 set it really fell in", &s2021, "2024-05-03", "2024-07-25", "2024-09-09"},
		// Tết 2025: Monday 27/1 to Friday 31/1 off. From Wednesday 15/1: 7
		// working days to 24/1, none in Tết week, then 45 end on Wednesday 26/3
		// (19/3 without Tết).
		{"QĐ294 §4.3.1: crossing Tết 2025 (45 wd)", &s2025, "2025-01-15", "2025-03-26", "2025-04-17"},
		// 60 working days cross Tết and Giỗ Tổ (Monday 7/4/2025) too.
		{"QĐ24 §4.3.1: crossing Tết 2025 (60 wd)", &s2021, "2025-01-15", "2025-04-17", "2025-06-02"},
		// The switch: a resolution on Monday 30/6/2025 is under the 2021 rules
		// (60 wd, to 24/9), one on Tuesday 1/7/2025 under the 2025 rules (45 wd
		// to 4/9: 43 working days in July–August, then 1/9 and 2/9 off, 3/9
		// and 4/9).
		{"QĐ24 §4.3.1: chapter resolution on 30/6/2025", &s2021, "2025-06-30", "2025-09-24", "2025-11-05"},
		{"QĐ294 §4.3.1: chapter resolution on 1/7/2025", &s2025, "2025-07-01", "2025-09-04", "2025-09-25"},
	} {
		base, ext, err := DecisionDue(c.set, nil, d(c.anchor))
		if err != nil || iso(base) != c.base || iso(ext) != c.extended {
			t.Errorf("%s: %s %s %v, want %s %s", c.name, iso(base), iso(ext), err, c.base, c.extended)
		}
	}
	// The set in force on each side of the switch gives those numbers.
	for _, c := range []struct{ anchor, base string }{{"2025-06-30", "2025-09-24"}, {"2025-07-01", "2025-09-04"}} {
		s := InForce(d(c.anchor))
		if base, _, _ := DecisionDue(&s, nil, d(c.anchor)); iso(base) != c.base {
			t.Errorf("in force on %s: %s, want %s", c.anchor, iso(base), c.base)
		}
	}
	// Working days exist from 2021: an older anchor is refused, not guessed.
	if _, _, err := DecisionDue(&s2021, nil, d("2020-12-01")); !errors.Is(err, calendar.ErrOutOfRange) {
		t.Errorf("2020 anchor: %v", err)
	}
}

func TestCeremonyProbationRecognitionDue(t *testing.T) {
	// QĐ294 §4.1: 30 working days after receiving the decision (CONTRACT example).
	if got, err := CeremonyDue(&s2025, nil, d("2024-06-12")); err != nil || iso(got) != "2024-07-24" {
		t.Errorf("ceremony due %s %v", iso(got), err)
	}
	// QĐ294 §4.1 across Tết 2026 (16–20/2 off): from Tuesday 10/2/2026, 30
	// working days end on Tuesday 31/3.
	if got, _ := CeremonyDue(&s2025, nil, d("2026-02-10")); iso(got) != "2026-03-31" {
		t.Errorf("ceremony due across Tết 2026: %s", iso(got))
	}
	// Điều lệ Đ.5: 12 months from the ceremony, the last day of the month when
	// the day does not exist.
	for _, c := range []struct{ ceremony, end string }{
		{"2024-06-25", "2025-06-25"}, // CONTRACT example
		{"2024-02-29", "2025-02-28"},
		{"2024-01-31", "2025-01-31"},
		{"2025-03-31", "2026-03-31"},
	} {
		if got := ProbationEnd(&s2025, d(c.ceremony)); iso(got) != c.end {
			t.Errorf("ProbationEnd(%s) = %s, want %s", c.ceremony, iso(got), c.end)
		}
	}
	// QĐ294 §4.2: the chapter considers recognition within 30 working days
	// after probation ends (CONTRACT example: 25/6/2025 → 6/8/2025).
	if got, err := RecognitionVoteDue(&s2025, nil, d("2025-06-25")); err != nil || iso(got) != "2025-08-06" {
		t.Errorf("recognition vote due %s %v", iso(got), err)
	}
	// QĐ294 §4.3.1: recognition decision 30 (+15); QĐ24 §4.3.1: 30 (+30).
	b, e, _ := RecognitionDecisionDue(&s2025, nil, d("2025-07-01"))
	b21, e21, _ := RecognitionDecisionDue(&s2021, nil, d("2025-07-01"))
	if iso(b) != "2025-08-12" || iso(e) != "2025-09-04" || iso(b21) != "2025-08-12" || iso(e21) != "2025-09-25" {
		t.Errorf("recognition decision due %s %s / %s %s", iso(b), iso(e), iso(b21), iso(e21))
	}
}

func TestDecisionTimely(t *testing.T) {
	chapter := d("2025-07-01") // due 4/9/2025, extended 25/9/2025 under the 2025 set
	for _, c := range []struct {
		name     string
		decision string
		today    string
		ok       bool
		want     string
	}{
		{"QĐ294 §4.3.1: on the last day", "2025-09-04", "2025-10-01", true, "trong thời hạn 45 ngày làm việc"},
		{"QĐ294 §4.3.1: the day after, within the extension", "2025-09-05", "2025-10-01", true, "còn trong thời gian gia hạn tối đa 15 ngày làm việc (đến 25/09/2025)"},
		{"QĐ294 §4.3.1: last day of the extension", "2025-09-25", "2025-10-01", true, "gia hạn"},
		{"QĐ294 §4.3.1: past the extension", "2025-09-26", "2025-10-01", false, "kiểm điểm trách nhiệm"},
		{"decision before the chapter resolution", "2025-06-20", "2025-10-01", false, "kiểm tra lại các ngày"},
		{"QĐ294 §4.3.1: none yet, in time", "", "2025-08-01", true, "chậm nhất ngày 04/09/2025"},
		{"QĐ294 §4.3.1: none yet, in the extension", "", "2025-09-10", true, "đã quá thời hạn 45 ngày làm việc (04/09/2025)"},
		{"QĐ294 §4.3.1: none yet, overdue", "", "2025-09-26", false, "Đã quá thời hạn ra quyết định kết nạp"},
	} {
		v, err := DecisionTimely(&s2025, nil, chapter, dp(c.decision), d(c.today))
		if err != nil {
			t.Fatal(err)
		}
		checkVerdict(t, c.name, v, RuleDecisionDeadline, c.ok, "QĐ294 §4.3.1", c.want)
	}
	// QĐ24 §4.3.1: under the 2021 set, 25/9/2025 (the end of the 2025
	// extension) is the 60th working day, in time.
	v, _ := DecisionTimely(&s2021, nil, chapter, dp("2025-09-25"), d("2025-10-01"))
	checkVerdict(t, "QĐ24 §4.3.1: 60 working days", v, RuleDecisionDeadline, true, "QĐ24 §4.3.1", "trong thời hạn 60 ngày làm việc")
	// The recognition decision uses its own deadline (QĐ294 §4.3.1: 30 wd).
	v, _ = RecognitionDecisionTimely(&s2025, nil, chapter, dp("2025-08-13"), d("2025-10-01"))
	checkVerdict(t, "QĐ294 §4.3.1: recognition decision a day late", v, RuleRecognitionDecision, true, "", "gia hạn")
}

func TestCeremonyTimely(t *testing.T) {
	received := d("2024-06-12") // due 24/7/2024
	for _, c := range []struct {
		name, ceremony, today string
		ok                    bool
		want                  string
	}{
		{"QĐ294 §4.1: CONTRACT example", "2024-06-25", "2024-08-01", true, "trong 30 ngày làm việc"},
		{"QĐ294 §4.1: on the last day", "2024-07-24", "2024-08-01", true, "hạn 24/07/2024"},
		{"QĐ294 §4.1: a day late needs the upper committee's consent", "2024-07-25", "2024-08-01", false, "được cấp ủy cấp trên trực tiếp đồng ý"},
		{"ceremony before receiving the decision", "2024-06-11", "2024-08-01", false, "kiểm tra lại"},
		{"QĐ294 §4.1: not held yet, in time", "", "2024-07-24", true, "chậm nhất ngày 24/07/2024"},
		{"QĐ294 §4.1: not held yet, overdue", "", "2024-07-25", false, "Đã quá thời hạn tổ chức lễ kết nạp"},
	} {
		v, err := CeremonyTimely(&s2025, nil, received, dp(c.ceremony), d(c.today))
		if err != nil {
			t.Fatal(err)
		}
		checkVerdict(t, c.name, v, RuleCeremonyDeadline, c.ok, "QĐ294 §4.1; HD06 §3.8", c.want)
	}
}

// QĐ294 §4.2: the chapter considers recognition within 30 working days
// after the 12 months; recognition still dates from the 12-month day.
func TestRecognitionVoteTimely(t *testing.T) {
	ceremony := d("2024-06-25") // probation ends 25/6/2025, vote due 6/8/2025
	for _, c := range []struct {
		name, vote, today string
		ok                bool
		want              string
	}{
		{"QĐ294 §4.2: on the day probation ends", "2025-06-25", "2025-09-01", true, "trong 30 ngày làm việc"},
		{"QĐ294 §4.2: before the 12 months", "2025-06-24", "2025-09-01", false, "trước khi hết 12 tháng dự bị"},
		{"QĐ294 §4.2: last day", "2025-08-06", "2025-09-01", true, ""},
		{"QĐ294 §4.2.2: late, recognition still dates from 25/6/2025", "2025-08-07", "2025-09-01", false, "vẫn được công nhận chính thức từ ngày 25/06/2025"},
		{"QĐ294 §4.2: pending", "", "2025-07-01", true, "chậm nhất ngày 06/08/2025"},
		{"QĐ294 §4.2: pending, overdue", "", "2025-08-07", false, "chi bộ chưa xét công nhận chính thức"},
	} {
		got, err := RecognitionVoteTimely(&s2025, nil, ceremony, dp(c.vote), d(c.today))
		if err != nil {
			t.Fatal(err)
		}
		checkVerdict(t, c.name, got, RuleRecognitionVote, c.ok, "QĐ294 §4.2", c.want)
	}
}
