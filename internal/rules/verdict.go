package rules

import (
	"fmt"
	"strings"
	"time"
)

// Rule names, as in CONTRACT "Dossier check". The functions that the
// check does not run (recognition, striking off, re-admission) use names of
// their own, listed after these.
const (
	RuleAge              = "age"
	RuleEducation        = "education"
	RuleIntroducers      = "introducers"
	RuleCertificate      = "certificate"
	RuleDossierAge       = "dossier_age"
	RuleChapterVote      = "chapter_vote"
	RuleCommitteeVote    = "committee_vote"
	RuleDecisionVote     = "decision_vote"
	RuleDecisionDeadline = "decision_deadline"
	RuleCeremonyDeadline = "ceremony_deadline"
	RuleConsent          = "consent"

	RuleRecognitionVote     = "recognition_vote"
	RuleRecognitionDecision = "recognition_decision"
	RuleReadmissionGround   = "readmission_ground"
	RuleReadmissionWait     = "readmission_wait"
	RuleReadmissionOnce     = "readmission_once"
)

// ruleNames are the Vietnamese names of the rules a case is judged by.
var ruleNames = map[string]string{
	RuleAge:                  "Tuổi đời",
	RuleEducation:            "Trình độ học vấn",
	RuleIntroducers:          "Người giới thiệu",
	RuleSameChapter:          "Người giới thiệu, người giúp đỡ cùng chi bộ",
	RuleCertificate:          "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
	RuleDossierAge:           "Thời hạn hồ sơ (12 tháng)",
	RuleChapterVote:          "Biểu quyết của chi bộ",
	RuleCommitteeVote:        "Biểu quyết của cấp ủy",
	RuleDecisionVote:         "Biểu quyết của cấp có thẩm quyền",
	RuleDecisionDeadline:     "Thời hạn ra quyết định kết nạp",
	RuleCeremonyDeadline:     "Thời hạn tổ chức lễ kết nạp",
	RuleConsent:              "Văn bản đồng ý của Ban Thường vụ Tỉnh ủy",
	RuleRecognitionVote:      "Thời hạn xét công nhận chính thức",
	RuleRecognitionDecision:  "Thời hạn quyết định công nhận chính thức",
	RuleReadmissionGround:    "Lý do ra khỏi Đảng (kết nạp lại)",
	RuleReadmissionWait:      "Thời gian chờ kết nạp lại",
	RuleReadmissionOnce:      "Chỉ kết nạp lại một lần",
	RuleDocuments:            "Hồ sơ kết nạp",
	RuleRecognitionDocuments: "Hồ sơ công nhận chính thức",
	RuleSubcommitteeReview:   "Thẩm định của đảng ủy bộ phận",
}

// RuleName is the Vietnamese name of a rule (the code when unknown).
func RuleName(rule string) string {
	if n, ok := ruleNames[rule]; ok {
		return n
	}
	return rule
}

// Verdict is the outcome of one rule for one case. Message is Vietnamese:
// it states the facts that decided, and when OK is false, what to do.
//
// Waivable and WaiverSource are the rule set's answer on waiving the rule
// (Waiver): whether an exception may let it pass on a case, and the legal
// source of that answer. Every judging function of the package sets them;
// a verdict built elsewhere gets them from Set.Mark.
type Verdict struct {
	Rule         string `json:"rule"`
	OK           bool   `json:"ok"`
	Message      string `json:"message"`
	Source       string `json:"source"`
	Waivable     bool   `json:"waivable"`
	WaiverSource string `json:"waiver_source"`
}

func pass(rule, source, format string, args ...any) Verdict {
	return Verdict{Rule: rule, OK: true, Message: fmt.Sprintf(format, args...), Source: source}
}

func failing(rule, source, format string, args ...any) Verdict {
	return Verdict{Rule: rule, OK: false, Message: fmt.Sprintf(format, args...), Source: source}
}

// At is the day on which a condition tied to the chapter vote is judged:
// the vote's date, or today while the chapter has not voted yet.
type At struct {
	Date time.Time
	Vote bool // Date is the chapter vote's date
}

// phrase names the day in a message.
func (a At) phrase() string {
	if a.Vote {
		return "tại ngày chi bộ xét"
	}
	return "tính đến hôm nay " + dmy(a.Date) + ", khi chi bộ chưa xét"
}

// noun names the day as the object of a comparison.
func (a At) noun() string {
	if a.Vote {
		return "ngày chi bộ xét (" + dmy(a.Date) + ")"
	}
	return "hôm nay (" + dmy(a.Date) + ")"
}

// dmy is the Vietnamese date format, 14/03/2020.
func dmy(t time.Time) string { return t.Format("02/01/2006") }

// ageText renders whole months as "17 tuổi 11 tháng" (or "18 tuổi").
func ageText(months int) string {
	if months%12 == 0 {
		return fmt.Sprintf("%d tuổi", months/12)
	}
	return fmt.Sprintf("%d tuổi %d tháng", months/12, months%12)
}

// after reports whether the calendar day a is after b.
func after(a, b time.Time) bool { return day(a).After(day(b)) }

// day is the calendar date of t at UTC midnight.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// join joins Vietnamese clauses with "; ".
func join(parts []string) string { return strings.Join(parts, "; ") }
