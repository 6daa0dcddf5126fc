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
