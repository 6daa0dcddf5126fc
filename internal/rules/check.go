package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
)

// CheckInput is one case as CONTRACT "Dossier check" gives it. An absent
// field is a fact not yet known; the checks that need it are left out.
// Dates are YYYY-MM-DD strings, parsed by Check so that an error names the
// field.
type CheckInput struct {
	Rules                string           `json:"rules,omitempty"`
	BirthDate            string           `json:"birth_date,omitempty"`
	Education            string           `json:"education,omitempty"`
	HardshipArea         *bool            `json:"hardship_area,omitempty"`
	VillageElder         *bool            `json:"village_elder,omitempty"`
	YouthUnionMember     *bool            `json:"youth_union_member,omitempty"`
	YouthUnionExists     *bool            `json:"youth_union_exists,omitempty"`
	TradeUnionMember     *bool            `json:"trade_union_member,omitempty"`
	YouthUnionResolution *bool            `json:"youth_union_resolution,omitempty"`
	TradeUnionResolution *bool            `json:"trade_union_resolution,omitempty"`
	Introducers          []Introducer     `json:"introducers,omitempty"`
	CertificateDate      string           `json:"certificate_date,omitempty"`
	DossierOpened        string           `json:"dossier_opened,omitempty"`
	ChapterVote          *ChapterVoteIn   `json:"chapter_vote,omitempty"`
	CommitteeVote        *CommitteeVoteIn `json:"committee_vote,omitempty"`
	Decision             *DecisionIn      `json:"decision,omitempty"`
	CeremonyDate         string           `json:"ceremony_date,omitempty"`
	Consents             []string         `json:"consents,omitempty"`
}

// ChapterVoteIn is the chapter's vote on the admission.
type ChapterVoteIn struct {
	Date            string `json:"date,omitempty"`
	OfficialMembers *int   `json:"official_members,omitempty"`
	Excluded        int    `json:"excluded,omitempty"`
	Yes             *int   `json:"yes,omitempty"`
}

// CommitteeVoteIn is the grassroots committee's vote.
type CommitteeVoteIn struct {
	Date     string `json:"date,omitempty"`
	Members  *int   `json:"members,omitempty"`
	Excluded int    `json:"excluded,omitempty"`
	Yes      *int   `json:"yes,omitempty"`
}

// DecisionIn is the competent committee's decision and its vote.
type DecisionIn struct {
	Date                 string `json:"date,omitempty"`
	Received             string `json:"received,omitempty"`
	Members              *int   `json:"members,omitempty"`
	Excluded             int    `json:"excluded,omitempty"`
	Yes                  *int   `json:"yes,omitempty"`
	AuthorisedGrassroots bool   `json:"authorised_grassroots,omitempty"`
}

// CheckResult is the answer of CONTRACT "Dossier check".
type CheckResult struct {
	Rules     string       `json:"rules"`
	OK        bool         `json:"ok"`
	Checks    []Verdict    `json:"checks"`
	Deadlines DeadlineDays `json:"deadlines"`
}

// DeadlineDays are the deadlines whose anchors are given, as YYYY-MM-DD.
type DeadlineDays struct {
	Decision         string `json:"decision,omitempty"`
	DecisionExtended string `json:"decision_extended,omitempty"`
	Ceremony         string `json:"ceremony,omitempty"`
	ProbationEnd     string `json:"probation_end,omitempty"`
	RecognitionVote  string `json:"recognition_vote,omitempty"`
}

// facts is a validated CheckInput.
type facts struct {
	birth, cert, opened, ceremony *time.Time
	chapterDate, decisionDate     *time.Time
	received                      *time.Time
	chapter, committee, decision  *Vote
	authorised                    bool
	consents                      []Consent
	hardship, elder               bool
	youthMember, youthExists      bool
	tradeMember                   bool
	youthRes, tradeRes            bool
	introducersGiven              bool
}

// Check evaluates one case without storing anything (CONTRACT "Dossier
// check"), with the built-in calendar (calendar.Default()). today is the
// date in Vietnam; it chooses the rule set while the chapter has not voted
// and is then the day judged. Bad input gives a *domain.Error (EInvalid)
// naming the field.
func Check(in CheckInput, today time.Time) (CheckResult, error) { return CheckWith(in, today, nil) }

// CheckWith is Check on the given calendar (for a province's recorded
// holiday schedules); nil is calendar.Default().
func CheckWith(in CheckInput, today time.Time, cal *calendar.Calendar) (CheckResult, error) {
	f, err := in.validate()
	if err != nil {
		return CheckResult{}, err
	}
	today = day(today)
	at := At{Date: today}
	if f.chapterDate != nil {
		at = At{Date: *f.chapterDate, Vote: true}
	}
	set := InForce(at.Date)
	if in.Rules != "" {
		set, _ = ByID(in.Rules)
	}
	cal = useCal(cal)
	res := CheckResult{Rules: set.ID}
	res.Checks = f.eligibility(&set, in, at)
	more, err := f.procedure(&set, in, at, cal, today)
	if err != nil {
		return CheckResult{}, err
	}
	res.Checks = append(res.Checks, more...)
	if res.Deadlines, err = f.deadlines(&set, cal); err != nil {
		return CheckResult{}, err
	}
	res.OK = !slices.ContainsFunc(res.Checks, func(v Verdict) bool { return !v.OK })
	return res, nil
}

// ageMonths is the candidate's age in whole months on the day judged, nil
// when the birth date is unknown or after that day.
func (f *facts) ageMonths(at At) *int {
	if f.birth == nil || after(*f.birth, at.Date) {
		return nil
	}
	m := AgeMonths(*f.birth, at.Date)
	return &m
}

// eligibility judges the candidate and the dossier on the day judged: age,
// education, introducers, certificate, dossier age; each when its facts
// are given.
func (f *facts) eligibility(set *Set, in CheckInput, at At) []Verdict {
	out := []Verdict{}
	if f.birth != nil {
		out = append(out, Age(set, *f.birth, at, f.consents))
	}
	if in.Education != "" {
		out = append(out, Education(set, in.Education, f.hardship, f.elder, f.consents))
	}
	if f.introducersGiven {
		ff := IntroducerFacts{Introducers: in.Introducers, YouthUnionMember: f.youthMember, YouthUnionExists: f.youthExists,
			TradeUnionMember: f.tradeMember, YouthUnionResolution: f.youthRes, TradeUnionResolution: f.tradeRes}
		if m := f.ageMonths(at); m != nil {
			y := IsYouth(set, *m)
			ff.Youth = &y
		}
		out = append(out, Introducers(set, ff))
	}
	if f.cert != nil {
		out = append(out, Certificate(set, *f.cert, at))
	}
	if f.opened != nil {
		out = append(out, DossierAge(set, *f.opened, at))
	}
	return out
}

// procedure judges the votes, the timeliness of the decision and the
// ceremony, and the provincial consents; each when its facts are given.
func (f *facts) procedure(set *Set, in CheckInput, at At, cal *calendar.Calendar, today time.Time) ([]Verdict, error) {
	var out []Verdict
	if f.chapter != nil {
		out = append(out, ChapterVote(set, *f.chapter, Admission))
	}
	if f.committee != nil {
		out = append(out, CommitteeVote(set, *f.committee, Admission))
	}
	if f.decision != nil {
		out = append(out, DecisionVote(set, *f.decision, f.authorised, Admission))
	}
	if f.chapterDate != nil {
		v, err := DecisionTimely(set, cal, *f.chapterDate, f.decisionDate, today)
		if err != nil {
			return nil, workdayError("chapter_vote.date", err)
		}
		out = append(out, v)
	}
	if f.received != nil {
		v, err := CeremonyTimely(set, cal, *f.received, f.ceremony, today)
		if err != nil {
			return nil, workdayError("decision.received", err)
		}
		out = append(out, v)
	}
	if req := RequiredConsents(set, f.ageMonths(at), in.Education, f.elder); len(req) > 0 || len(f.consents) > 0 {
		out = append(out, Consents(set, req, f.consents))
	}
	return out, nil
}

// deadlines are the working-day deadlines whose anchors are given.
func (f *facts) deadlines(set *Set, cal *calendar.Calendar) (DeadlineDays, error) {
	var dl DeadlineDays
	if f.chapterDate != nil {
		base, ext, err := DecisionDue(set, cal, *f.chapterDate)
		if err != nil {
			return dl, workdayError("chapter_vote.date", err)
		}
		dl.Decision, dl.DecisionExtended = iso(base), iso(ext)
	}
	if f.received != nil {
		d, err := CeremonyDue(set, cal, *f.received)
		if err != nil {
			return dl, workdayError("decision.received", err)
		}
		dl.Ceremony = iso(d)
	}
	if f.ceremony != nil {
		end := ProbationEnd(set, *f.ceremony)
		dl.ProbationEnd = iso(end)
		d, err := RecognitionVoteDue(set, cal, end)
		if err != nil {
			return dl, workdayError("ceremony_date", err)
		}
		dl.RecognitionVote = iso(d)
	}
	return dl, nil
}

func iso(t time.Time) string { return t.Format(domain.DateLayout) }

// workdayError turns a calendar error on an anchor date into an input error
// naming the field.
func workdayError(field string, err error) error {
	if ce, ok := errors.AsType[*calendar.Error](err); ok {
		return domain.FieldError(field, "%s: không tính được thời hạn theo ngày làm việc. %s", field, ce.Msg)
	}
	return err
}

// knownConsents are the consents CONTRACT "Dossier check" accepts.
var knownConsents = []Consent{ConsentOver60, ConsentLiterateOnly, ConsentPolitical, ConsentReadmission}

// validate checks and parses the input; the first error found is returned.
func (in CheckInput) validate() (facts, error) {
	var f facts
	if in.Rules != "" {
		if _, ok := ByID(in.Rules); !ok {
			return f, domain.FieldError("rules", "rules không hợp lệ: %q (chỉ nhận \"2021\" hoặc \"2025\")", in.Rules)
		}
	}
	if in.Education != "" && educationRank(in.Education) < 0 {
		return f, domain.FieldError("education", "education không hợp lệ: %q (chỉ nhận %s)", in.Education, strings.Join(educationOrder, ", "))
	}
	for _, c := range in.Consents {
		if !slices.Contains(knownConsents, Consent(c)) {
			return f, domain.FieldError("consents", "consents không hợp lệ: %q (chỉ nhận over_60, literate_only, political, readmission)", c)
		}
		f.consents = append(f.consents, Consent(c))
	}
	for i, p := range in.Introducers {
		if p.MonthsTogether < 0 {
			field := fmt.Sprintf("introducers[%d].months_together", i)
			return f, domain.FieldError(field, "%s không hợp lệ: số tháng không được âm (%d)", field, p.MonthsTogether)
		}
	}

	var err error
	parse := func(field, s string, dst **time.Time) {
		if err != nil || s == "" {
			return
		}
		t, e := domain.ParseISODate(field, s)
		if e != nil {
			err = e
			return
		}
		*dst = &t
	}
	var committeeDate *time.Time // validated, not used by any check
	parse("birth_date", in.BirthDate, &f.birth)
	parse("certificate_date", in.CertificateDate, &f.cert)
	parse("dossier_opened", in.DossierOpened, &f.opened)
	parse("ceremony_date", in.CeremonyDate, &f.ceremony)
	if v := in.ChapterVote; v != nil {
		parse("chapter_vote.date", v.Date, &f.chapterDate)
	}
	if v := in.CommitteeVote; v != nil {
		parse("committee_vote.date", v.Date, &committeeDate)
	}
	if v := in.Decision; v != nil {
		parse("decision.date", v.Date, &f.decisionDate)
		parse("decision.received", v.Received, &f.received)
	}
	if err != nil {
		return f, err
	}

	if v := in.ChapterVote; v != nil {
		if f.chapter, err = voteCounts("chapter_vote", "official_members", v.OfficialMembers, v.Excluded, v.Yes); err != nil {
			return f, err
		}
	}
	if v := in.CommitteeVote; v != nil {
		if f.committee, err = voteCounts("committee_vote", "members", v.Members, v.Excluded, v.Yes); err != nil {
			return f, err
		}
	}
	if v := in.Decision; v != nil {
		if f.decision, err = voteCounts("decision", "members", v.Members, v.Excluded, v.Yes); err != nil {
			return f, err
		}
		f.authorised = v.AuthorisedGrassroots
	}

	flag := func(b *bool) bool { return b != nil && *b }
	f.hardship, f.elder = flag(in.HardshipArea), flag(in.VillageElder)
	f.youthMember, f.youthExists, f.tradeMember = flag(in.YouthUnionMember), flag(in.YouthUnionExists), flag(in.TradeUnionMember)
	f.youthRes, f.tradeRes = flag(in.YouthUnionResolution), flag(in.TradeUnionResolution)
	f.introducersGiven = in.Introducers != nil || in.YouthUnionResolution != nil || in.TradeUnionResolution != nil
	return f, nil
}

// voteCounts validates the counts of one vote (obj.members, obj.excluded,
// obj.yes); it returns nil when the counts the vote check needs (members
// and yes) are not both given.
func voteCounts(obj, membersName string, members *int, excluded int, yes *int) (*Vote, error) {
	neg := func(name string, n int) error {
		field := obj + "." + name
		return domain.FieldError(field, "%s không hợp lệ: số người không được âm (%d)", field, n)
	}
	if members != nil && *members < 0 {
		return nil, neg(membersName, *members)
	}
	if excluded < 0 {
		return nil, neg("excluded", excluded)
	}
	if yes != nil && *yes < 0 {
		return nil, neg("yes", *yes)
	}
	if members == nil {
		if yes != nil {
			field := obj + "." + membersName
			return nil, domain.FieldError(field, "Thiếu %s: cần tổng số người để tính tỷ lệ phiếu tán thành", field)
		}
		return nil, nil
	}
	if excluded > *members {
		field := obj + ".excluded"
		return nil, domain.FieldError(field, "%s không hợp lệ: số người không tính vào mẫu số (%d) lớn hơn tổng số (%s = %d)", field, excluded, membersName, *members)
	}
	if yes == nil {
		return nil, nil
	}
	if *yes > *members-excluded {
		field := obj + ".yes"
		return nil, domain.FieldError(field, "%s không hợp lệ: số phiếu tán thành (%d) lớn hơn số người được tính (%d = %d − %d)", field, *yes, *members-excluded, *members, excluded)
	}
	return &Vote{Members: *members, Excluded: excluded, Yes: *yes}, nil
}
