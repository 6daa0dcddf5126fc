package rules

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
)

// contractExample is the input of CONTRACT "Dossier check", verbatim.
const contractExample = `{
  "rules": "2025",
  "birth_date": "2002-03-14",
  "education": "lower_secondary",
  "hardship_area": false,
  "village_elder": false,
  "youth_union_member": true,
  "youth_union_exists": true,
  "trade_union_member": false,
  "youth_union_resolution": true,
  "trade_union_resolution": false,
  "introducers": [{"official": true, "months_together": 14, "waived": false}],
  "certificate_date": "2023-10-20",
  "dossier_opened": "2024-01-15",
  "chapter_vote": {"date": "2024-05-03", "official_members": 12, "excluded": 1, "yes": 8},
  "committee_vote": {"date": "2024-05-20", "members": 9, "excluded": 0, "yes": 7},
  "decision": {"date": "2024-06-10", "received": "2024-06-12", "members": 5, "excluded": 0, "yes": 4,
               "authorised_grassroots": false},
  "ceremony_date": "2024-06-25",
  "consents": ["over_60"]
}`

func example(t *testing.T) CheckInput {
	t.Helper()
	var in CheckInput
	dec := json.NewDecoder(strings.NewReader(contractExample))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatal(err)
	}
	return in
}

func rulesOf(r CheckResult) []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.Rule)
	}
	return out
}

// The CONTRACT example. Its chapter vote (3/5/2024) falls under the 2021
// rules, but the example asks for "rules": "2025", and its deadlines follow
// the 2025 set: decision = 45 working days after 3/5/2024 = 4/7/2024 (the
// make-up Saturday 4/5/2024 counts), decision_extended = 45 + 15 = 60
// working days = 25/7/2024. Ceremony, probation end and recognition vote
// are the same in both sets. Its illustrative output shows chapter_vote
// failing, but 8 yes of 11 counting members (12 − 1 excluded) is ≥ 2/3
// (24 ≥ 22), so every check passes.
func TestCheckContractExample(t *testing.T) {
	in := example(t)
	res, err := Check(in, d("2024-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	want := DeadlineDays{Decision: "2024-07-04", DecisionExtended: "2024-07-25", Ceremony: "2024-07-24",
		ProbationEnd: "2025-06-25", RecognitionVote: "2025-08-06"}
	if res.Rules != "2025" || res.Deadlines != want {
		t.Errorf("rules %s deadlines %+v, want 2025 %+v", res.Rules, res.Deadlines, want)
	}
	if wantRules := []string{RuleAge, RuleEducation, RuleIntroducers, RuleCertificate, RuleDossierAge, RuleChapterVote,
		RuleCommitteeVote, RuleDecisionVote, RuleDecisionDeadline, RuleCeremonyDeadline, RuleConsent}; !reflect.DeepEqual(rulesOf(res), wantRules) {
		t.Errorf("checks %v, want %v", rulesOf(res), wantRules)
	}
	if !res.OK {
		t.Errorf("not ok: %+v", res.Checks)
	}
	if res.Checks[0].Message != "Đủ 22 tuổi 1 tháng tại ngày chi bộ xét" || res.Checks[0].Source != "QĐ294 §1.1; HD06 §1.1" {
		t.Errorf("age verdict %+v (CONTRACT: \"Đủ 22 tuổi 1 tháng tại ngày chi bộ xét\")", res.Checks[0])
	}

	// Without "rules", the set in force on 3/5/2024 is the 2021 one: 60 (+30)
	// working days, 25/7/2024 and 9/9/2024.
	in.Rules = ""
	res, err = Check(in, d("2024-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rules != "2021" || res.Deadlines.Decision != "2024-07-25" || res.Deadlines.DecisionExtended != "2024-09-09" ||
		res.Deadlines.Ceremony != "2024-07-24" || res.Deadlines.ProbationEnd != "2025-06-25" || res.Deadlines.RecognitionVote != "2025-08-06" {
		t.Errorf("2021: %s %+v", res.Rules, res.Deadlines)
	}
	if res.Checks[len(res.Checks)-3].Source != "QĐ24 §4.3.1" {
		t.Errorf("2021 deadline source %q", res.Checks[len(res.Checks)-3].Source)
	}
}

// The JSON shape of CONTRACT "Dossier check".
func TestCheckResultJSON(t *testing.T) {
	res, err := Check(example(t), d("2024-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var k []string
		for x := range m {
			k = append(k, x)
		}
		return k
	}
	if len(got) != 4 || got["rules"] != "2025" || got["ok"] != true {
		t.Errorf("top level %v", keys(got))
	}
	check := got["checks"].([]any)[0].(map[string]any)
	// The four fields of CONTRACT, and the two it allows adding: whether an
	// exception may waive the rule, and the source of that answer.
	if len(check) != 6 || check["rule"] != "age" || check["ok"] != true || check["message"] == nil || check["source"] == nil ||
		check["waivable"] != false || check["waiver_source"] != "Điều lệ Đ.1 k.2; QĐ294 §1.1, §4.4" {
		t.Errorf("check %v", check)
	}
	if dl := got["deadlines"].(map[string]any); len(dl) != 5 || dl["decision"] != "2024-07-04" || dl["recognition_vote"] != "2025-08-06" {
		t.Errorf("deadlines %v", dl)
	}
	// Nothing known: no checks (an empty list, not null), no deadlines, ok.
	res, _ = Check(CheckInput{}, d("2024-07-01"))
	b, _ = json.Marshal(res)
	if string(b) != `{"rules":"2021","ok":true,"checks":[],"deadlines":{}}` {
		t.Errorf("empty case %s", b)
	}
}

// A check appears only when the facts it needs are given; ok is true when
// every check is.
func TestCheckPresence(t *testing.T) {
	today := d("2025-09-10")
	for _, c := range []struct {
		name  string
		in    string
		rules []string
		ok    bool
		set   string
	}{
		{"birth only: age judged today, set in force today", `{"birth_date":"2000-01-01"}`, []string{RuleAge}, true, "2025"},
		{"over 60 without consent: age and consent fail", `{"birth_date":"1960-01-01","chapter_vote":{"date":"2025-08-01"}}`,
			[]string{RuleAge, RuleDecisionDeadline, RuleConsent}, false, "2025"},
		{"a Youth Union resolution alone is an introducer fact", `{"youth_union_resolution":true}`, []string{RuleIntroducers}, false, "2025"},
		{"an empty introducer list is a fact", `{"introducers":[]}`, []string{RuleIntroducers}, false, "2025"},
		{"vote date without counts: deadline only", `{"chapter_vote":{"date":"2025-06-30"}}`, []string{RuleDecisionDeadline}, true, "2021"},
		{"counts without date: vote only, set of today", `{"chapter_vote":{"official_members":9,"yes":6}}`, []string{RuleChapterVote}, true, "2025"},
		{"decision received, ceremony pending and overdue", `{"decision":{"received":"2025-07-01"}}`, []string{RuleCeremonyDeadline}, false, "2025"},
		{"literate elder: education and consent", `{"education":"literate","village_elder":true,"consents":["literate_only"]}`,
			[]string{RuleEducation, RuleConsent}, true, "2025"},
		{"explicit rules win over the date", `{"rules":"2021","chapter_vote":{"date":"2025-07-01"}}`, []string{RuleDecisionDeadline}, true, "2021"},
	} {
		var in CheckInput
		if err := json.Unmarshal([]byte(c.in), &in); err != nil {
			t.Fatal(err)
		}
		res, err := Check(in, today)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(rulesOf(res), c.rules) || res.OK != c.ok || res.Rules != c.set {
			t.Errorf("%s: %s %v %v, want %s %v %v (%+v)", c.name, res.Rules, rulesOf(res), res.OK, c.set, c.rules, c.ok, res.Checks)
		}
	}
}

// Resolutions on 30/6/2025 and 1/7/2025 through the check: the set changes
// with the date, and with it the deadline (QĐ24 §4.3.1 vs QĐ294 §4.3.1).
func TestCheckSwitchDate(t *testing.T) {
	for _, c := range []struct{ date, set, decision, extended string }{
		{"2025-06-30", "2021", "2025-09-24", "2025-11-05"},
		{"2025-07-01", "2025", "2025-09-04", "2025-09-25"},
	} {
		res, err := Check(CheckInput{ChapterVote: &ChapterVoteIn{Date: c.date}}, d("2025-07-02"))
		if err != nil || res.Rules != c.set || res.Deadlines.Decision != c.decision || res.Deadlines.DecisionExtended != c.extended {
			t.Errorf("%s: %s %+v %v", c.date, res.Rules, res.Deadlines, err)
		}
	}
}

// A chapter resolution in January 2025, before Tết, under the 2021 set
// (60 working days cross Tết and Giỗ Tổ): 17/4/2025.
func TestCheckAcrossTet(t *testing.T) {
	res, err := Check(CheckInput{ChapterVote: &ChapterVoteIn{Date: "2025-01-15"}, Decision: &DecisionIn{Date: "2025-04-18"}}, d("2025-05-01"))
	if err != nil || res.Deadlines.Decision != "2025-04-17" || res.OK != true {
		t.Fatalf("%+v %v", res, err)
	}
	if m := res.Checks[0].Message; !strings.Contains(m, "quá thời hạn 60 ngày làm việc (hạn 17/04/2025)") {
		t.Errorf("message %q", m)
	}
}

// Bad input is a domain error (EInvalid) naming the field, in Vietnamese.
func TestCheckBadInput(t *testing.T) {
	for _, c := range []struct {
		in, field, want string
	}{
		{`{"rules":"2016"}`, "rules", `rules không hợp lệ: "2016"`},
		{`{"birth_date":"14/03/2002"}`, "birth_date", "birth_date không hợp lệ"},
		{`{"certificate_date":"2023-02-30"}`, "certificate_date", "NNNN-TT-NN"},
		{`{"chapter_vote":{"date":"2024-5-3"}}`, "chapter_vote.date", "chapter_vote.date không hợp lệ"},
		{`{"decision":{"received":"x"}}`, "decision.received", "decision.received"},
		{`{"education":"phd"}`, "education", "education không hợp lệ"},
		{`{"consents":["over_60","mayor"]}`, "consents", `consents không hợp lệ: "mayor"`},
		{`{"chapter_vote":{"official_members":-1,"yes":0}}`, "chapter_vote.official_members", "không được âm"},
		{`{"chapter_vote":{"official_members":12,"excluded":-1,"yes":8}}`, "chapter_vote.excluded", "không được âm"},
		{`{"committee_vote":{"members":9,"yes":-2}}`, "committee_vote.yes", "không được âm"},
		{`{"chapter_vote":{"official_members":12,"excluded":1,"yes":12}}`, "chapter_vote.yes", "số phiếu tán thành (12) lớn hơn số người được tính (11 = 12 − 1)"},
		{`{"decision":{"members":5,"yes":6}}`, "decision.yes", "lớn hơn"},
		{`{"chapter_vote":{"official_members":3,"excluded":4}}`, "chapter_vote.excluded", "lớn hơn tổng số"},
		{`{"decision":{"yes":3}}`, "decision.members", "Thiếu decision.members"},
		{`{"introducers":[{"official":true,"months_together":-3}]}`, "introducers[0].months_together", "không được âm"},
		{`{"chapter_vote":{"date":"2020-12-01"}}`, "chapter_vote.date", "không tính được thời hạn theo ngày làm việc"},
	} {
		var in CheckInput
		if err := json.Unmarshal([]byte(c.in), &in); err != nil {
			t.Fatal(err)
		}
		_, err := Check(in, d("2025-01-01"))
		de, ok := errors.AsType[*domain.Error](err)
		if !ok || de.Code != domain.EInvalid || de.Field != c.field || !strings.Contains(de.Message, c.want) || !vietnamese(de.Message) {
			t.Errorf("%s: %#v, want EInvalid on %s with %q", c.in, err, c.field, c.want)
		}
	}
}

// CheckWith counts working days on the calendar it is given: a recorded
// schedule that gives Friday 5/7/2024 off leaves the CONTRACT example's
// decision deadline (4/7, before that day) and moves the extended one
// (60 working days) from 25/7 to 26/7.
func TestCheckWithCalendar(t *testing.T) {
	base, err := calendar.YearSchedule(2024)
	if err != nil {
		t.Fatal(err)
	}
	base.Days = append(base.Days, calendar.Day{Date: d("2024-07-05"), Kind: calendar.KindSwappedOff, Name: "Nghỉ thử"})
	cal, err := calendar.New(calendar.Options{Overrides: map[int]calendar.Schedule{2024: base}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := CheckWith(example(t), d("2024-07-01"), cal)
	if err != nil || res.Deadlines.Decision != "2024-07-04" || res.Deadlines.DecisionExtended != "2024-07-26" {
		t.Errorf("%+v %v", res.Deadlines, err)
	}
}
