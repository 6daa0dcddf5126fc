package rules

import (
	"slices"
	"strings"
	"testing"
)

// allRules are the rules the procedure judges: those of the dossier check,
// of recognition and re-admission, and of the case.
var allRules = []string{RuleAge, RuleEducation, RuleIntroducers, RuleCertificate, RuleDossierAge, RuleChapterVote,
	RuleCommitteeVote, RuleDecisionVote, RuleDecisionDeadline, RuleCeremonyDeadline, RuleConsent, RuleRecognitionVote,
	RuleRecognitionDecision, RuleReadmissionGround, RuleReadmissionWait, RuleReadmissionOnce, RuleDocuments,
	RuleRecognitionDocuments, RuleSubcommitteeReview, RuleSameChapter}

// Each rule of a set says whether an exception may waive it, with the
// legal source of the answer. Age (đủ 18 at the chapter vote) and the
// re-admission grounds (the ineligible grounds, only once) are conditions
// of the person: an admission that breaks them is cancelled (QĐ294 §1.1,
// §3.5, §4.4; admission-rules.md §4.3 "wrong admissions"), so no
// exception can waive them; nor a vote threshold (QĐ294 §9.3). The rules
// of procedure and timing can be waived, with the grounds the texts give.
func TestWaivers(t *testing.T) {
	never := map[string]string{ // rule → what its source must cite
		RuleAge:                "§1.1, §4.4",
		RuleReadmissionGround:  "§3.5, §4.4",
		RuleReadmissionOnce:    "§3.5, §4.4",
		RuleChapterVote:        "§9.3",
		RuleCommitteeVote:      "§9.3",
		RuleSubcommitteeReview: "§9.3",
		RuleDecisionVote:       "§9.3",
	}
	for _, s := range National() {
		q := map[string]string{"2021": "QĐ24", "2025": "QĐ294"}[s.ID]
		if len(s.Waivers) != len(allRules) {
			t.Errorf("%s: %d waivers, want one per rule (%d)", s.ID, len(s.Waivers), len(allRules))
		}
		for _, rule := range allRules {
			w, ok := s.Waiver(rule)
			if !ok || w.Source == "" || !vietnamese(w.Note) {
				t.Errorf("%s %s: %+v %v", s.ID, rule, w, ok)
				continue
			}
			cite, absolute := never[rule]
			if w.Allowed == absolute {
				t.Errorf("%s %s: waivable %v, want %v", s.ID, rule, w.Allowed, !absolute)
			}
			if absolute && !strings.Contains(w.Source, cite) {
				t.Errorf("%s %s: source %q does not cite %s", s.ID, rule, w.Source, cite)
			}
			if !strings.Contains(w.Source, q) && !strings.Contains(w.Source, "HD") {
				t.Errorf("%s %s: source %q cites neither %s nor a guidance", s.ID, rule, w.Source, q)
			}
		}
		if !strings.HasPrefix(mustWaiver(t, &s, RuleAge).Source, "Điều lệ Đ.1 k.2; "+q+" §1.1, §4.4") {
			t.Errorf("%s age: %q", s.ID, mustWaiver(t, &s, RuleAge).Source)
		}
		// The service's former list of exceptable rules, less age and the
		// re-admission grounds, plus the new same-chapter rule.
		want := []string{RuleEducation, RuleIntroducers, RuleSameChapter, RuleCertificate, RuleDossierAge, RuleDocuments,
			RuleConsent, RuleDecisionDeadline, RuleCeremonyDeadline, RuleRecognitionVote, RuleRecognitionDecision,
			RuleRecognitionDocuments, RuleReadmissionWait}
		if got := s.Exceptable(); !slices.Equal(got, want) {
			t.Errorf("%s Exceptable = %v\nwant %v", s.ID, got, want)
		}
		if _, ok := s.Waiver("mayor"); ok || s.Waivable("mayor") {
			t.Errorf("%s: an unknown rule is waivable", s.ID)
		}
	}
}

func mustWaiver(t *testing.T, s *Set, rule string) Waiver {
	t.Helper()
	w, ok := s.Waiver(rule)
	if !ok {
		t.Fatalf("%s: no waiver for %s", s.ID, rule)
	}
	return w
}

// Every verdict of the judging functions carries the set's answer, so the
// dossier check, the case page and a refusal say it alike.
func TestVerdictsCarryTheWaiver(t *testing.T) {
	s := Set2025()
	cer, err := CeremonyTimely(&s, nil, d("2024-06-12"), dp("2024-09-25"), d("2024-10-01"))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := DecisionTimely(&s, nil, d("2024-05-03"), nil, d("2024-05-04"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := RecognitionVoteTimely(&s, nil, d("2024-06-25"), nil, d("2024-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	vs := []Verdict{
		Age(&s, d("2007-07-02"), vote("2025-07-01"), nil),
		Education(&s, EduPrimary, false, false, nil),
		Introducers(&s, IntroducerFacts{}),
		Certificate(&s, d("2019-01-01"), vote("2025-07-01")),
		DossierAge(&s, d("2024-01-01"), vote("2025-07-01")),
		ChapterVote(&s, Vote{Members: 12, Excluded: 1, Yes: 7}, Admission),
		CommitteeVote(&s, Vote{Members: 9, Yes: 7}, Admission),
		DecisionVote(&s, Vote{Members: 7, Yes: 3}, false, Admission),
		Consents(&s, []Consent{ConsentOver60}, nil),
		SameChapter(&s, "Chi bộ thôn 1", d("2025-07-01"), []Sponsor{{Name: "Lê Văn A", Helper: true, InChapter: true}}),
		cer, dec, rec,
	}
	vs = append(vs, Readmission(&s, ReadmissionFacts{Left: d("2020-01-01"), Ground: GroundResigned, On: d("2025-07-01")})...)
	seen := map[string]bool{}
	for _, v := range vs {
		w := mustWaiver(t, &s, v.Rule)
		if v.Waivable != w.Allowed || v.WaiverSource != w.Source {
			t.Errorf("%s: waivable %v %q, want %v %q", v.Rule, v.Waivable, v.WaiverSource, w.Allowed, w.Source)
		}
		seen[v.Rule] = true
	}
	for _, rule := range []string{RuleAge, RuleReadmissionGround, RuleReadmissionOnce, RuleChapterVote} {
		if !seen[rule] {
			t.Errorf("no verdict of %s judged", rule)
		}
	}
	if v := vs[0]; v.OK || v.Waivable {
		t.Errorf("a 17-year-old's age: %+v", v)
	}
}

// The dossier check says it for every check: the CONTRACT example's
// verdicts are unchanged, and each gains its rule's answer.
func TestCheckSaysWhetherWaivable(t *testing.T) {
	res, err := Check(example(t), d("2024-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	s := Set2025()
	for _, v := range res.Checks {
		if w := mustWaiver(t, &s, v.Rule); v.Waivable != w.Allowed || v.WaiverSource != w.Source {
			t.Errorf("%s: %v %q", v.Rule, v.Waivable, v.WaiverSource)
		}
	}
	if !res.OK || len(res.Checks) != 11 || res.Checks[0].Waivable || !res.Checks[2].Waivable {
		t.Errorf("%+v", res.Checks)
	}
}

// An overlay may change a rule's answer (a province stricter than the
// nation); the changed answer cites the overlay first, and the base set
// keeps its own.
func TestOverlayWaivers(t *testing.T) {
	const label = "HD02-HD/BTCTU Hà Nội"
	base := Set2025()
	hn := Overlay(base, "hanoi", label, func(s *Set) {
		for i := range s.Waivers {
			if s.Waivers[i].Rule == RuleCeremonyDeadline {
				s.Waivers[i].Allowed = false
			}
		}
	})
	fresh := Set2025()
	if hn.Waivable(RuleCeremonyDeadline) || !base.Waivable(RuleCeremonyDeadline) || !fresh.Waivable(RuleCeremonyDeadline) {
		t.Error("the overlay's answer, or its base's")
	}
	if w := mustWaiver(t, &hn, RuleCeremonyDeadline); w.Source != label+"; QĐ294 §4.1" {
		t.Errorf("changed answer's source %q", w.Source)
	}
	if w := mustWaiver(t, &hn, RuleAge); w != mustWaiver(t, &base, RuleAge) {
		t.Errorf("unchanged answer relabelled: %+v", w)
	}
	v, err := CeremonyTimely(&hn, nil, d("2025-07-01"), dp("2025-09-30"), d("2025-10-01"))
	if err != nil || v.OK || v.Waivable {
		t.Errorf("late ceremony under the overlay: %+v %v", v, err)
	}
}

// The helper and the introducers are official members of the candidate's
// chapter on the day (Điều lệ Đ.4 k.2, QĐ294 §3.1–3.2: "in the same
// unit"; HD38 I.1.1d); an exception may waive it where the texts foresee
// it (QĐ294 §3.4.1, HD06 §3.9a).
func TestSameChapter(t *testing.T) {
	const chapter = "Chi bộ thôn 1"
	on := d("2024-03-01")
	ok := SameChapter(&s2025, chapter, on, []Sponsor{{Name: "Lê Văn A", Helper: true, InChapter: true},
		{Name: "Trần Thị B", InChapter: true}, {Name: "Phạm Văn C", InChapter: true}})
	checkVerdict(t, "all in the chapter", ok, RuleSameChapter, true, "Điều lệ Đ.4 k.2; QĐ294 §3.1–3.2; HD38 I.1.1d",
		"Người giúp đỡ và 2 người giới thiệu là đảng viên chính thức của Chi bộ thôn 1", "01/03/2024")
	if !ok.Waivable || !strings.Contains(ok.WaiverSource, "QĐ294 §3.2.2, §3.4.1; HD06 §3.9a") {
		t.Errorf("waiver %v %q", ok.Waivable, ok.WaiverSource)
	}
	bad := SameChapter(&s2025, chapter, on, []Sponsor{{Name: "Lê Văn A", Helper: true, InChapter: true},
		{Name: "Trần Thị B", Unit: "Chi bộ thôn 2"}})
	checkVerdict(t, "an introducer of another chapter", bad, RuleSameChapter, false, "",
		"Trần Thị B (người giới thiệu) sinh hoạt ở Chi bộ thôn 2", "không phải đảng viên chính thức của Chi bộ thôn 1", "QĐ294 §3.2.2, §3.4.1; HD06 §3.9a")
	if strings.Contains(bad.Message, "Lê Văn A") {
		t.Errorf("the helper of the chapter is named: %s", bad.Message)
	}
	helper := SameChapter(&s2021, chapter, on, []Sponsor{{Name: "Lê Văn A", Helper: true, Unit: "Chi bộ Trường THPT"}})
	checkVerdict(t, "a helper of another unit (2021)", helper, RuleSameChapter, false, "Điều lệ Đ.4 k.2; QĐ24 §3.1–3.2; HD01",
		"Lê Văn A (người giúp đỡ) sinh hoạt ở Chi bộ Trường THPT", "QĐ24 §3.2.2, §3.4.1; HD01")
}
