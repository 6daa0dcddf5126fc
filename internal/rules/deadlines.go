package rules

import (
	"time"

	"ketnap/internal/calendar"
)

// Deadlines in working days are counted with a calendar: "N working days
// after D" is the N-th working day strictly after D (DOMAIN §8). A nil
// *calendar.Calendar is calendar.Default(). Working days exist from 2021;
// an anchor outside the calendar's range gives its error (a
// *calendar.Error with a Vietnamese message).

func useCal(c *calendar.Calendar) *calendar.Calendar {
	if c == nil {
		return calendar.Default()
	}
	return c
}

// due returns the deadline and the extended deadline of r from anchor.
func due(r DeadlineRule, c *calendar.Calendar, anchor time.Time) (base, extended time.Time, err error) {
	c = useCal(c)
	if base, err = c.AddWorkdays(anchor, r.Workdays); err != nil {
		return
	}
	extended, err = c.AddWorkdays(anchor, r.Workdays+r.Extension)
	return
}

// DecisionDue is the deadline of the admission decision counted from the
// chapter resolution, and the deadline with the largest extension:
// 45 (+15) working days under the 2025 set, 60 (+30) under 2021
// (QĐ294 §4.3.1, QĐ24 §4.3.1).
func DecisionDue(s *Set, c *calendar.Calendar, chapterResolution time.Time) (base, extended time.Time, err error) {
	return due(s.DecisionDeadline, c, chapterResolution)
}

// RecognitionDecisionDue is the deadline of the recognition decision
// counted from the chapter's resolution on recognition: 30 (+15) working
// days under 2025, 30 (+30) under 2021 (QĐ294 §4.3.1).
func RecognitionDecisionDue(s *Set, c *calendar.Calendar, recognitionResolution time.Time) (base, extended time.Time, err error) {
	return due(s.RecognitionDeadline, c, recognitionResolution)
}

// CeremonyDue is the last day for the ceremony: 30 working days after the
// chapter received the decision (QĐ294 §4.1).
func CeremonyDue(s *Set, c *calendar.Calendar, received time.Time) (time.Time, error) {
	return useCal(c).AddWorkdays(received, s.CeremonyDeadline.Workdays)
}

// ProbationEnd is the day the 12 months of probation are complete: the
// ceremony date plus 12 months, the last day of the month when that day does
// not exist (2024-02-29 → 2025-02-28) (Điều lệ Đ.5). Recognition takes
// effect on this day (QĐ294 §4.2).
func ProbationEnd(s *Set, ceremony time.Time) time.Time {
	return calendar.AddMonths(ceremony, s.Probation.Months)
}

// RecognitionVoteDue is the last day for the chapter's resolution on
// recognition: 30 working days after probation ends (QĐ294 §4.2).
func RecognitionVoteDue(s *Set, c *calendar.Calendar, probationEnd time.Time) (time.Time, error) {
	return useCal(c).AddWorkdays(probationEnd, s.RecognitionVote.Workdays)
}

// decisionWords are the words of a decision-deadline verdict.
type decisionWords struct {
	rule, what, anchor string
}

// timely judges a decision against its deadline from anchor; decision nil
// means none yet, judged against today. Within the extension the verdict
// passes with a warning: the texts allow the extension "in special cases"
// and the facts cannot say whether there was one.
func timely(w decisionWords, r DeadlineRule, c *calendar.Calendar, anchor time.Time, decision *time.Time, today time.Time) (Verdict, error) {
	base, ext, err := due(r, c, anchor)
	if err != nil {
		return Verdict{}, err
	}
	if decision == nil {
		switch {
		case !after(today, base):
			return pass(w.rule, r.Source, "Chưa có %s; cấp ủy có thẩm quyền phải xem xét, quyết định chậm nhất ngày %s (%d ngày làm việc kể từ ngày %s), trường hợp đặc biệt gia hạn tối đa đến ngày %s",
				w.what, dmy(base), r.Workdays, w.anchor, dmy(ext)), nil
		case !after(today, ext):
			return pass(w.rule, r.Source, "Chưa có %s và đã quá thời hạn %d ngày làm việc (%s); chỉ còn thời gian gia hạn cho trường hợp đặc biệt, đến hết ngày %s",
				w.what, r.Workdays, dmy(base), dmy(ext)), nil
		}
		return failing(w.rule, r.Source, "Đã quá thời hạn ra %s (hạn %s, gia hạn tối đa đến %s) mà chưa có quyết định; cấp ủy có thẩm quyền phải xem xét, quyết định ngay, thông báo kết quả cho chi bộ và kiểm điểm trách nhiệm trước cấp ủy cấp trên nếu không có lý do chính đáng",
			w.what, dmy(base), dmy(ext)), nil
	}
	d := *decision
	switch {
	case after(anchor, d):
		return failing(w.rule, r.Source, "Ngày %s (%s) trước ngày %s (%s); kiểm tra lại các ngày", w.what, dmy(d), w.anchor, dmy(anchor)), nil
	case !after(d, base):
		return pass(w.rule, r.Source, "Ra %s ngày %s, trong thời hạn %d ngày làm việc kể từ ngày %s (hạn %s)",
			w.what, dmy(d), r.Workdays, w.anchor, dmy(base)), nil
	case !after(d, ext):
		return pass(w.rule, r.Source, "Ra %s ngày %s, quá thời hạn %d ngày làm việc (hạn %s) nhưng còn trong thời gian gia hạn tối đa %d ngày làm việc (đến %s); việc gia hạn chỉ dành cho trường hợp đặc biệt và phải có lý do",
			w.what, dmy(d), r.Workdays, dmy(base), r.Extension, dmy(ext)), nil
	}
	return failing(w.rule, r.Source, "Ra %s ngày %s, quá thời hạn %d ngày làm việc kể từ ngày %s (hạn %s), kể cả gia hạn tối đa %d ngày làm việc (đến %s); nếu không có lý do chính đáng, cấp ủy có thẩm quyền phải kiểm điểm trách nhiệm trước cấp ủy cấp trên",
		w.what, dmy(d), r.Workdays, w.anchor, dmy(base), r.Extension, dmy(ext)), nil
}

// DecisionTimely judges the date of the admission decision against the
// deadline from the chapter resolution (QĐ294 §4.3.1); decision nil means
// none yet, and the deadline is judged against today.
func DecisionTimely(s *Set, c *calendar.Calendar, chapterResolution time.Time, decision *time.Time, today time.Time) (Verdict, error) {
	return s.markErr(timely(decisionWords{RuleDecisionDeadline, "quyết định kết nạp", "chi bộ có nghị quyết đề nghị kết nạp"},
		s.DecisionDeadline, c, chapterResolution, decision, today))
}

// RecognitionDecisionTimely judges the recognition decision against the
// deadline from the chapter's resolution on recognition (QĐ294 §4.3.1).
func RecognitionDecisionTimely(s *Set, c *calendar.Calendar, recognitionResolution time.Time, decision *time.Time, today time.Time) (Verdict, error) {
	return s.markErr(timely(decisionWords{RuleRecognitionDecision, "quyết định công nhận đảng viên chính thức", "chi bộ có nghị quyết đề nghị công nhận chính thức"},
		s.RecognitionDeadline, c, recognitionResolution, decision, today))
}

// CeremonyTimely judges the ceremony: within 30 working days of receiving
// the decision; later only when reported to and agreed by the directly
// superior committee (QĐ294 §4.1). ceremony nil means not held yet.
func CeremonyTimely(s *Set, c *calendar.Calendar, received time.Time, ceremony *time.Time, today time.Time) (v Verdict, err error) {
	defer s.mark(&v)
	r := s.CeremonyDeadline
	end, err := CeremonyDue(s, c, received)
	if err != nil {
		return Verdict{}, err
	}
	if ceremony == nil {
		if after(today, end) {
			return failing(RuleCeremonyDeadline, r.Source, "Đã quá thời hạn tổ chức lễ kết nạp (%d ngày làm việc kể từ ngày nhận quyết định %s, hạn %s) mà chưa tổ chức; chi bộ phải báo cáo và được cấp ủy cấp trên trực tiếp đồng ý mới tổ chức muộn",
				r.Workdays, dmy(received), dmy(end)), nil
		}
		return pass(RuleCeremonyDeadline, r.Source, "Chưa tổ chức lễ kết nạp; chi bộ phải tổ chức chậm nhất ngày %s (%d ngày làm việc kể từ ngày nhận quyết định %s)",
			dmy(end), r.Workdays, dmy(received)), nil
	}
	d := *ceremony
	switch {
	case after(received, d):
		return failing(RuleCeremonyDeadline, r.Source, "Lễ kết nạp (%s) trước ngày chi bộ nhận quyết định kết nạp (%s); kiểm tra lại các ngày", dmy(d), dmy(received)), nil
	case after(d, end):
		return failing(RuleCeremonyDeadline, r.Source, "Lễ kết nạp ngày %s, quá %d ngày làm việc kể từ ngày nhận quyết định %s (hạn %s); phải báo cáo và được cấp ủy cấp trên trực tiếp đồng ý",
			dmy(d), r.Workdays, dmy(received), dmy(end)), nil
	}
	return pass(RuleCeremonyDeadline, r.Source, "Lễ kết nạp ngày %s, trong %d ngày làm việc kể từ ngày nhận quyết định %s (hạn %s)",
		dmy(d), r.Workdays, dmy(received), dmy(end)), nil
}

// RecognitionVoteTimely judges the chapter's resolution on recognition: on
// or after the day probation ends and within 30 working days after it
// (QĐ294 §4.2). A late resolution does not move recognition, which takes
// effect on the day probation ends when the member qualifies. vote nil
// means not held yet.
func RecognitionVoteTimely(s *Set, c *calendar.Calendar, ceremony time.Time, vote *time.Time, today time.Time) (v Verdict, err error) {
	defer s.mark(&v)
	r := s.RecognitionVote
	end := ProbationEnd(s, ceremony)
	last, err := RecognitionVoteDue(s, c, end)
	if err != nil {
		return Verdict{}, err
	}
	if vote == nil {
		if after(today, last) {
			return failing(RuleRecognitionVote, r.Source, "Đã quá %d ngày làm việc sau khi hết 12 tháng dự bị (%s, hạn %s) mà chi bộ chưa xét công nhận chính thức; chi bộ phải xét ngay và giải trình lý do chậm; nếu đủ điều kiện, đảng viên vẫn được công nhận chính thức từ ngày %s",
				r.Workdays, dmy(end), dmy(last), dmy(end)), nil
		}
		return pass(RuleRecognitionVote, r.Source, "Hết 12 tháng dự bị ngày %s; chi bộ phải xét công nhận chính thức từ ngày đó đến chậm nhất ngày %s", dmy(end), dmy(last)), nil
	}
	d := *vote
	switch {
	case after(end, d):
		return failing(RuleRecognitionVote, r.Source, "Chi bộ xét công nhận chính thức ngày %s, trước khi hết 12 tháng dự bị (%s); chỉ được xét từ ngày %s", dmy(d), dmy(end), dmy(end)), nil
	case after(d, last):
		return failing(RuleRecognitionVote, r.Source, "Chi bộ xét công nhận chính thức ngày %s, quá %d ngày làm việc sau khi hết 12 tháng dự bị (hạn %s); nếu đủ điều kiện, đảng viên vẫn được công nhận chính thức từ ngày %s, chi bộ cần giải trình lý do chậm",
			dmy(d), r.Workdays, dmy(last), dmy(end)), nil
	}
	return pass(RuleRecognitionVote, r.Source, "Chi bộ xét công nhận chính thức ngày %s, trong %d ngày làm việc sau khi hết 12 tháng dự bị ngày %s (hạn %s)", dmy(d), r.Workdays, dmy(end), dmy(last)), nil
}
