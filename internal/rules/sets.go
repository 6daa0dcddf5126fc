package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Education levels in increasing order (CONTRACT "Dossier check",
// domain.EducationLevels).
const (
	EduNone           = "none"
	EduLiterate       = "literate"
	EduPrimary        = "primary"
	EduLowerSecondary = "lower_secondary"
	EduUpperSecondary = "upper_secondary"
	EduHigher         = "higher"
)

var educationOrder = []string{EduNone, EduLiterate, EduPrimary, EduLowerSecondary, EduUpperSecondary, EduHigher}

// educationRank is the position of a level in educationOrder, or -1.
func educationRank(code string) int { return slices.Index(educationOrder, code) }

// Consent is a written consent of the standing committee of the provincial
// party committee (ban thường vụ cấp ủy trực thuộc Trung ương) on file.
type Consent string

// The provincial consents of CONTRACT "Dossier check".
const (
	ConsentOver60       Consent = "over_60"       // a candidate over 60 (HD06 §1.1)
	ConsentLiterateOnly Consent = "literate_only" // a village elder who only reads and writes (HD06 §1.2)
	ConsentPolitical    Consent = "political"     // a political-standard issue beyond the committee (HD06 §3.7c)
	ConsentReadmission  Consent = "readmission"   // re-admission (QĐ294 §3.5)
)

// ConsentName is the Vietnamese name of a consent.
func ConsentName(c Consent) string {
	switch c {
	case ConsentOver60:
		return "kết nạp người trên 60 tuổi"
	case ConsentLiterateOnly:
		return "kết nạp người chỉ biết đọc, biết viết chữ quốc ngữ (già làng, trưởng bản, người có uy tín)"
	case ConsentPolitical:
		return "vấn đề tiêu chuẩn chính trị vượt thẩm quyền của cấp ủy"
	case ConsentReadmission:
		return "kết nạp lại"
	}
	return string(c)
}

// Fraction is a vote threshold: yes/denominator ≥ Num/Den, or > Num/Den
// when Strict. It is evaluated in integers, never in floating point.
type Fraction struct {
	Num, Den int
	Strict   bool
}

// Met reports whether yes votes out of denom reach the threshold.
func (f Fraction) Met(yes, denom int) bool {
	if f.Strict {
		return yes*f.Den > f.Num*denom
	}
	return yes*f.Den >= f.Num*denom
}

// Needed is the least number of yes votes out of denom that reaches it.
func (f Fraction) Needed(denom int) int {
	if f.Strict {
		return f.Num*denom/f.Den + 1
	}
	return (f.Num*denom + f.Den - 1) / f.Den
}

// String renders the threshold in Vietnamese: "ít nhất 2/3", "quá 1/2".
func (f Fraction) String() string {
	if f.Strict {
		return fmt.Sprintf("quá %d/%d", f.Num, f.Den)
	}
	return fmt.Sprintf("ít nhất %d/%d", f.Num, f.Den)
}

// AgeRule is the candidate's age in whole months on the chapter vote date.
type AgeRule struct {
	MinMonths, MaxMonths int // đủ 18 .. đủ 60: 216 .. 720
	Source               string
}

// EducationRule is the minimum education, with the area exceptions.
type EducationRule struct {
	General  string // everyone: lower_secondary
	Hardship string // in the hardship areas and for fishermen: primary
	Elder    string // village elders there, with a provincial consent: literate
	Areas    string // the hardship areas, in Vietnamese
	Source   string
}

// IntroducerRule says who introduces the candidate.
type IntroducerRule struct {
	Members        int // official members in the general case
	MonthsTogether int // shared work, study or residence with the candidate
	YouthAge       int // the Youth Union route applies up to this age (in years) on the vote date
	Source         string
	WaiverSource   string // the 12-month condition is waived when the introducer or the candidate moves
	YouthAgeSource string
	// ChapterSource: the introducers and the helper are official members of
	// the candidate's own chapter (SameChapter).
	ChapterSource string
}

// PeriodRule is a period in calendar months.
type PeriodRule struct {
	Months int
	Source string
}

// VoteRule is a vote threshold with its source.
type VoteRule struct {
	Fraction
	Source string
}

// DeadlineRule is a deadline in working days with its possible extension.
type DeadlineRule struct {
	Workdays  int
	Extension int
	Source    string
}

// ConsentRule holds the sources of the provincial consents.
type ConsentRule struct {
	Over60, LiterateOnly, Political, Readmission string
}

// source returns the source of one consent.
func (c ConsentRule) source(k Consent) string {
	switch k {
	case ConsentOver60:
		return c.Over60
	case ConsentLiterateOnly:
		return c.LiterateOnly
	case ConsentPolitical:
		return c.Political
	case ConsentReadmission:
		return c.Readmission
	}
	return ""
}

// ReadmissionRule says who may be admitted again and when.
type ReadmissionRule struct {
	MinMonths                  int  // since leaving the Party
	AfterMinorConvictionMonths int  // since the record of a minor conviction was cleared
	OnlyOnce                   bool // re-admission happens at most once
	Source                     string
}

// Form kinds: the documents of the procedure, whose codes (form labels) a
// rule set carries in Set.Forms.
const (
	FormCertificate           = "awareness_certificate"
	FormApplication           = "application"
	FormPersonalHistory       = "personal_history"
	FormIntroduction          = "introduction"
	FormYouthUnionResolution  = "youth_union_resolution"
	FormTradeUnionResolution  = "trade_union_resolution"
	FormOpinions              = "opinions"
	FormChapterResolution     = "chapter_resolution"
	FormSubcommitteeReport    = "subcommittee_report"
	FormCommitteeResolution   = "committee_resolution"
	FormDecision              = "decision"
	FormSelfReview            = "self_review"
	FormHelperAssessment      = "helper_assessment"
	FormProbationOpinions     = "probation_opinions"
	FormRecognitionResolution = "recognition_chapter_resolution"
	FormRecognitionReport     = "recognition_subcommittee_report"
	FormRecognitionCommittee  = "recognition_committee_resolution"
	FormRecognitionDecision   = "recognition_decision"
)

// centralForms is the central numbering of HD 12-HD/BTCTW (2022), which the
// 2025 guidance (HD 38-HD/BTCTW) still cites; its own annex was not
// available (admission-rules.md §10.1), so the codes are labels to adjust.
func centralForms() map[string]string {
	return map[string]string{
		FormCertificate:           "Mẫu 6.1 (QĐ1147)",
		FormApplication:           "1-KNĐ",
		FormPersonalHistory:       "2-KNĐ",
		FormIntroduction:          "3-KNĐ",
		FormYouthUnionResolution:  "4-KNĐ",
		FormTradeUnionResolution:  "4A-KNĐ",
		FormOpinions:              "5-KNĐ",
		FormChapterResolution:     "6-KNĐ",
		FormSubcommitteeReport:    "7-KNĐ",
		FormCommitteeResolution:   "8-KNĐ",
		FormDecision:              "9-KNĐ",
		FormSelfReview:            "10-KNĐ",
		FormHelperAssessment:      "11-KNĐ",
		FormProbationOpinions:     "12-KNĐ",
		FormRecognitionResolution: "13-KNĐ",
		FormRecognitionReport:     "14-KNĐ",
		FormRecognitionCommittee:  "15-KNĐ",
		FormRecognitionDecision:   "16-KNĐ",
	}
}

// Set is one version of the admission rules: every parameter the judging
// functions use, each group with its source.
type Set struct {
	ID    string    // "2021", "2025"; an overlay appends its own id: "2025+hanoi"
	Name  string    // the documents, in Vietnamese
	From  time.Time // in force for chapter resolutions dated from this day
	Label string    // an overlay's source label; empty for a national set

	Age          AgeRule
	Education    EducationRule
	Introducers  IntroducerRule
	Certificate  PeriodRule // awareness-class certificate, valid until the chapter vote
	DossierAge   PeriodRule // documents without a chapter vote must be redone after this
	ChapterVote  VoteRule   // of the official members that count
	Committee    VoteRule   // grassroots committee, of its members that count
	Decision     VoteRule   // standing committee of the competent committee
	AuthorisedGC VoteRule   // an authorised grassroots committee, of all its members

	DecisionDeadline    DeadlineRule // admission decision, from the chapter resolution
	RecognitionDeadline DeadlineRule // recognition decision, from the chapter resolution on recognition
	CeremonyDeadline    DeadlineRule // ceremony, from receiving the decision
	Probation           PeriodRule   // from the ceremony
	RecognitionVote     DeadlineRule // chapter resolution on recognition, after probation ends
	StrikeOffSource     string       // striking off a probationary member: the same vote ladder

	Consents    ConsentRule
	Readmission ReadmissionRule
	Forms       map[string]string // form kind → code label

	// Waivers says, for every rule the procedure judges, whether an
	// exception may let it pass, with the legal source (waivers.go).
	Waivers []Waiver
}

// hardshipAreas are the areas of the education exception. HD06 §1.2 names
// them; the copies of HD01 (2021) seen name the same ones, although
// admission-rules.md §1.2 says HD06 added border areas and fishermen.
const hardshipAreas = "miền núi, biên giới, hải đảo, vùng đồng bào dân tộc thiểu số, vùng có điều kiện kinh tế – xã hội đặc biệt khó khăn, hoặc ngư dân thường xuyên làm việc trên biển, đảo"

// Set2021 is QĐ 24-QĐ/TW (30/7/2021) with HD 01-HD/TW (28/9/2021), the
// rules until 30/6/2025. QĐ 24 shares the numbering of QĐ 29 and QĐ 294
// (§1.1 age … §4.3.1 deadlines); HD 01's points are cited without a number
// where admission-rules.md gives none. The 60-month certificate and the
// 12-month dossier rule are carried over from HD06 (admission-rules.md §4.2
// marks them unconfirmed for 2021).
func Set2021() Set {
	return Set{
		ID:   "2021",
		Name: "Quy định 24-QĐ/TW ngày 30/7/2021 và Hướng dẫn 01-HD/TW ngày 28/9/2021",
		From: time.Date(2021, 7, 30, 0, 0, 0, 0, time.UTC),

		Age:       AgeRule{MinMonths: 18 * 12, MaxMonths: 60 * 12, Source: "QĐ24 §1.1; HD01"},
		Education: EducationRule{General: EduLowerSecondary, Hardship: EduPrimary, Elder: EduLiterate, Areas: hardshipAreas, Source: "QĐ24 §1.2; HD01"},
		Introducers: IntroducerRule{Members: 2, MonthsTogether: 12, YouthAge: 30,
			Source: "Điều lệ Đ.4; QĐ24 §3.1–3.2", WaiverSource: "QĐ24 §3.2.2; HD01",
			YouthAgeSource: "Luật Thanh niên 2020 (thanh niên từ 16 đến 30 tuổi)",
			ChapterSource:  "Điều lệ Đ.4 k.2; QĐ24 §3.1–3.2; HD01"},
		Certificate:  PeriodRule{Months: 60, Source: "HD01"},
		DossierAge:   PeriodRule{Months: 12, Source: "HD01"},
		ChapterVote:  VoteRule{Fraction{2, 3, false}, "Điều lệ Đ.4; HD01"},
		Committee:    VoteRule{Fraction{2, 3, false}, "HD01"},
		Decision:     VoteRule{Fraction{1, 2, true}, "QĐ24 §4.3.2; HD01"},
		AuthorisedGC: VoteRule{Fraction{2, 3, false}, "QĐ24 §4.3.2a; HD01"},

		DecisionDeadline:    DeadlineRule{Workdays: 60, Extension: 30, Source: "QĐ24 §4.3.1"},
		RecognitionDeadline: DeadlineRule{Workdays: 30, Extension: 30, Source: "QĐ24 §4.3.1"},
		CeremonyDeadline:    DeadlineRule{Workdays: 30, Source: "QĐ24 §4.1"},
		Probation:           PeriodRule{Months: 12, Source: "Điều lệ Đ.5"},
		RecognitionVote:     DeadlineRule{Workdays: 30, Source: "QĐ24 §4.2"},
		StrikeOffSource:     "Điều lệ Đ.5; QĐ24 §4.2.1; HD01",

		Consents:    ConsentRule{Over60: "QĐ24 §1.1.2; HD01", LiterateOnly: "QĐ24 §1.2.2; HD01", Political: "QĐ24 §3.3; HD01", Readmission: "QĐ24 §3.5"},
		Readmission: ReadmissionRule{MinMonths: 36, AfterMinorConvictionMonths: 60, OnlyOnce: true, Source: "QĐ24 §3.5"},
		Forms:       centralForms(),
		Waivers:     waivers("QĐ24", func(string) string { return "HD01" }),
	}
}

// Set2025 is QĐ 294-QĐ/TW (26/5/2025, in force 1/7/2025) with HD 06-HD/TW
// (9/6/2025). HD 06 took effect on signing, but CONTRACT switches the whole
// set on 1/7/2025, the date of QĐ 294.
func Set2025() Set {
	return Set{
		ID:   "2025",
		Name: "Quy định 294-QĐ/TW ngày 26/5/2025 và Hướng dẫn 06-HD/TW ngày 09/6/2025",
		From: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),

		Age:       AgeRule{MinMonths: 18 * 12, MaxMonths: 60 * 12, Source: "QĐ294 §1.1; HD06 §1.1"},
		Education: EducationRule{General: EduLowerSecondary, Hardship: EduPrimary, Elder: EduLiterate, Areas: hardshipAreas, Source: "QĐ294 §1.2; HD06 §1.2"},
		Introducers: IntroducerRule{Members: 2, MonthsTogether: 12, YouthAge: 30,
			Source: "Điều lệ Đ.4; QĐ294 §3.1–3.2", WaiverSource: "QĐ294 §3.2.2; HD06 §3.9a",
			YouthAgeSource: "Luật Thanh niên 2020 (thanh niên từ 16 đến 30 tuổi)",
			ChapterSource:  "Điều lệ Đ.4 k.2; QĐ294 §3.1–3.2; HD38 I.1.1d"},
		Certificate:  PeriodRule{Months: 60, Source: "HD06 §3.1, §5.4b"},
		DossierAge:   PeriodRule{Months: 12, Source: "HD06 §5.4a"},
		ChapterVote:  VoteRule{Fraction{2, 3, false}, "Điều lệ Đ.4; HD06 §3.6b; QĐ294 §9.3.2"},
		Committee:    VoteRule{Fraction{2, 3, false}, "HD06 §3.6c; QĐ294 §9.3.3"},
		Decision:     VoteRule{Fraction{1, 2, true}, "HD06 §3.7a; QĐ294 §4.3.2, §9.3.4"},
		AuthorisedGC: VoteRule{Fraction{2, 3, false}, "HD06 §3.7a; QĐ294 §4.3.2a"},

		DecisionDeadline:    DeadlineRule{Workdays: 45, Extension: 15, Source: "QĐ294 §4.3.1"},
		RecognitionDeadline: DeadlineRule{Workdays: 30, Extension: 15, Source: "QĐ294 §4.3.1"},
		CeremonyDeadline:    DeadlineRule{Workdays: 30, Source: "QĐ294 §4.1; HD06 §3.8"},
		Probation:           PeriodRule{Months: 12, Source: "Điều lệ Đ.5"},
		RecognitionVote:     DeadlineRule{Workdays: 30, Source: "QĐ294 §4.2"},
		StrikeOffSource:     "Điều lệ Đ.5; QĐ294 §4.2.1; HD06 §4.6",

		Consents:    ConsentRule{Over60: "QĐ294 §1.1.2; HD06 §1.1", LiterateOnly: "HD06 §1.2", Political: "HD06 §3.7c", Readmission: "QĐ294 §3.5"},
		Readmission: ReadmissionRule{MinMonths: 36, AfterMinorConvictionMonths: 60, OnlyOnce: true, Source: "QĐ294 §3.5"},
		Forms:       centralForms(),
		Waivers:     waivers("QĐ294", func(point string) string { return "HD06 " + point }),
	}
}

// National returns the national rule sets, oldest first. Each call returns
// fresh copies that the caller may change.
func National() []Set { return []Set{Set2021(), Set2025()} }

// ByID returns the national set with that id ("2021" or "2025").
func ByID(id string) (Set, bool) {
	for _, s := range National() {
		if s.ID == id {
			return s, true
		}
	}
	return Set{}, false
}

// InForce returns the national set in force on d (the date of the chapter
// resolution, or today before it): the 2025 set from 2025-07-01, the 2021
// set before. The 2021 set also stands in for earlier dates, whose rules
// (QĐ 29 / HD 01 of 2016) had the same numbers for everything checked here
// except the wording of the education and introducer rules.
func InForce(d time.Time) Set { return Select(National(), d) }

// Select returns, among sets, the latest one whose From is not after d, or
// the earliest when d precedes them all. sets must not be empty.
func Select(sets []Set, d time.Time) Set {
	best, earliest := -1, 0
	for i, s := range sets {
		if after(sets[earliest].From, s.From) {
			earliest = i
		}
		if !after(s.From, d) && (best < 0 || after(s.From, sets[best].From)) {
			best = i
		}
	}
	if best < 0 {
		best = earliest
	}
	return sets[best].clone()
}

func (s Set) clone() Set {
	s.Forms = maps.Clone(s.Forms)
	s.Waivers = slices.Clone(s.Waivers)
	return s
}

// Overlay returns a local rule set: a copy of base changed by edit, with the
// id base.ID+"+"+id and its own source label. Every group of parameters
// that edit changes gets label in front of its source, so a verdict under a
// stricter provincial limit cites the province first ("HD02-HD/BTCTU Hà
// Nội; QĐ294 §4.3.1"). base is not modified.
func Overlay(base Set, id, label string, edit func(*Set)) Set {
	s := base.clone()
	edit(&s)
	s.ID = base.ID + "+" + id
	s.Label = label
	s.Name = base.Name + "; " + label
	mark := func(changed bool, src *string) {
		if changed && !strings.HasPrefix(*src, label) {
			*src = label + "; " + *src
		}
	}
	mark(s.Age != base.Age, &s.Age.Source)
	mark(s.Education != base.Education, &s.Education.Source)
	mark(s.Introducers != base.Introducers, &s.Introducers.Source)
	mark(s.Certificate != base.Certificate, &s.Certificate.Source)
	mark(s.DossierAge != base.DossierAge, &s.DossierAge.Source)
	mark(s.ChapterVote != base.ChapterVote, &s.ChapterVote.Source)
	mark(s.Committee != base.Committee, &s.Committee.Source)
	mark(s.Decision != base.Decision, &s.Decision.Source)
	mark(s.AuthorisedGC != base.AuthorisedGC, &s.AuthorisedGC.Source)
	mark(s.DecisionDeadline != base.DecisionDeadline, &s.DecisionDeadline.Source)
	mark(s.RecognitionDeadline != base.RecognitionDeadline, &s.RecognitionDeadline.Source)
	mark(s.CeremonyDeadline != base.CeremonyDeadline, &s.CeremonyDeadline.Source)
	mark(s.Probation != base.Probation, &s.Probation.Source)
	mark(s.RecognitionVote != base.RecognitionVote, &s.RecognitionVote.Source)
	mark(s.Readmission != base.Readmission, &s.Readmission.Source)
	for i := range s.Waivers {
		w := &s.Waivers[i]
		old, ok := base.Waiver(w.Rule)
		mark(!ok || *w != old, &w.Source)
	}
	return s
}
