package service_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// reorgWorld is the case world (district "huyen", grassroots committee
// "xa-eakly" with its village chapters, the high school's chapter) that a
// plan reorganises on 1/7/2025 into the two-level structure (reference
// §9): the province "tinh" and the commune "xa-moi", into which xa-eakly
// merges and the school's chapter moves; the district closes.
func straddlePlan() *domain.ReorgPlan {
	return &domain.ReorgPlan{Date: "2025-07-01", Decision: "Quyết định số 1-QĐ/TU ngày 25/6/2025",
		Create: []domain.ReorgCreate{{Code: "tinh", Name: "Đảng bộ tỉnh Thử", Kind: "province"},
			{Code: "xa-moi", Name: "Đảng bộ xã Mới", Kind: "commune", Parent: "tinh"}},
		Merge: []domain.ReorgMerge{{From: []string{"xa-eakly"}, Into: "xa-moi"}},
		Move:  []domain.ReorgMove{{Unit: "cb-thpt", To: "xa-moi"}},
		Close: []domain.ReorgClose{{Unit: "huyen", Successor: "tinh"}}}
}

func applyReorg(t *testing.T, w *caseWorld) {
	t.Helper()
	w.clock(2025, 7, 1)
	res, err := w.svc.ApplyReorg(w.ctx, straddlePlan(), service.ReorgOptions{})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("ApplyReorg: %v %+v", err, res)
	}
}

func deadline(v *service.CaseView, kind string) time.Time {
	for _, d := range v.Deadlines {
		if d.Kind == kind {
			return d.Due
		}
	}
	return time.Time{}
}

// A case that straddles the reorganisation (issue 12, items 3 and 5): its
// chapter resolution of 20/6/2025 and the grassroots committee's of 25/6
// were taken under the district; after 1/7/2025 the new commune's standing
// committee decides (the step's own day chooses the ladder), within the
// 60 (+30) working days of QĐ24 that the resolution's day chose. A case
// whose chapter votes on 1/7/2025 has no grassroots step and 45 (+15)
// working days (QĐ294 §4.3.1).
func TestCaseStraddlingTheReorganisation(t *testing.T) {
	w := newCaseWorld(t)
	a := w.dossier(w.person("cb-thon1", domain.StageSource, day(1998, 5, 5)), day(2025, 3, 3), 2)
	b := w.dossier(w.person("cb-thon1", domain.StageSource, day(1999, 6, 6)), day(2025, 3, 3), 2)
	w.clock(2025, 6, 20)
	a = w.must(w.svc.Vote(w.ctx, a.ID, domain.PurposeAdmission, chapterVote(day(2025, 6, 20), 10, a.Version)))
	w.clock(2025, 6, 25)
	a = w.must(w.svc.Vote(w.ctx, a.ID, domain.PurposeAdmission, committeeVote(day(2025, 6, 25), 8, a.Version)))
	if v := w.view(a.ID); v.Decider == nil || v.Decider.Code != "huyen" || v.RulesID != "2021" {
		t.Fatalf("before the reorganisation: decider %v, rules %s; want huyen, 2021", v.Decider, v.RulesID)
	}
	cal, err := w.svc.Calendar(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want60, _ := cal.AddWorkdays(day(2025, 6, 20), 60)
	if got := deadline(w.view(a.ID), domain.DeadlineDecision); !got.Equal(want60) {
		t.Errorf("decision due %s; want %s, 60 working days from 20/6/2025 (QĐ24 §4.3.1)", got.Format(domain.DateLayout), want60.Format(domain.DateLayout))
	}

	applyReorg(t, w)
	w.clock(2025, 8, 1)
	va := w.view(a.ID)
	if va.Decider == nil || va.Decider.Code != "xa-moi" || va.Committee || va.OrgID != w.org("cb-thon1").ID {
		t.Errorf("after the reorganisation: decider %v committee %v; want the new commune, no grassroots step", va.Decider, va.Committee)
	}
	if !strings.Contains(va.NextAction, "quyết định kết nạp") || va.NextOwner != domain.OwnerBoard {
		t.Errorf("next step after the reorganisation: %q (%s)", va.NextAction, va.NextOwner)
	}
	if got := deadline(va, domain.DeadlineDecision); !got.Equal(want60) {
		t.Errorf("the move changed the decision's term: %s, want %s", got.Format(domain.DateLayout), want60.Format(domain.DateLayout))
	}
	w.clock(2025, 8, 15)
	received := day(2025, 8, 18)
	w.clock(2025, 8, 18)
	a = w.must(w.svc.Decide(w.ctx, a.ID, domain.PurposeAdmission, decision("77-QĐ/ĐU", day(2025, 8, 15), &received, 6, a.Version)))
	ms, err := service.StoreOf(w.svc).Memberships(w.ctx, a.PersonID)
	if err != nil || len(ms) != 1 || ms[0].DecidedByID != w.org("xa-moi").ID {
		t.Errorf("the decision of 15/8/2025: %+v (%v); want decided by the new commune", ms, err)
	}

	// A chapter resolution of 1/7/2025: the commune decides, no grassroots
	// step, 45 working days.
	w.clock(2025, 7, 1)
	b = w.must(w.svc.Vote(w.ctx, b.ID, domain.PurposeAdmission, chapterVote(day(2025, 7, 1), 10, b.Version)))
	vb := w.view(b.ID)
	want45, _ := cal.AddWorkdays(day(2025, 7, 1), 45)
	if vb.Committee || vb.Decider == nil || vb.Decider.Code != "xa-moi" || vb.RulesID != "2025" || !deadline(vb, domain.DeadlineDecision).Equal(want45) {
		t.Errorf("voted on 1/7/2025: committee %v, decider %v, rules %s, due %s; want none, xa-moi, 2025, %s",
			vb.Committee, vb.Decider, vb.RulesID, deadline(vb, domain.DeadlineDecision).Format(domain.DateLayout), want45.Format(domain.DateLayout))
	}
	_, err = w.svc.Vote(w.ctx, b.ID, domain.PurposeAdmission, committeeVote(day(2025, 7, 1), 8, vb.Version))
	if e := wantErr(t, err, domain.EInvalid); e.Field != "level" {
		t.Errorf("a grassroots vote after the reorganisation: %v", err)
	}
}

// Nothing new is recorded on a closed unit after its closing (DOMAIN §2):
// a chapter closed with a successor but its case left there accepts a step
// dated before its closing and refuses one dated after, naming the
// successor; a person cannot be placed in it, nor an admission decided in
// it after the closing.
func TestClosedUnitRefusesLaterSteps(t *testing.T) {
	w := newCaseWorld(t)
	c := w.dossier(w.person("cb-thon2", domain.StageSource, day(1998, 5, 5)), day(2025, 3, 3), 2)
	w.clock(2025, 7, 20)
	thon2 := w.org("cb-thon2")
	closed := day(2025, 7, 10)
	if _, err := w.svc.UpdateOrg(w.ctx, "cb-thon2", service.OrgInput{Name: thon2.Name, Kind: thon2.Kind, Sector: thon2.Sector,
		ValidFrom: thon2.ValidFrom, ValidTo: &closed, Successor: "cb-thon1", Version: thon2.Version}); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2025, 7, 15), 10, c.Version))
	e := wantErr(t, err, domain.EInvalid)
	if e.Field != "date" || !strings.Contains(e.Message, "Chi bộ thôn 1") || !strings.Contains(e.Message, "10/07/2025") {
		t.Errorf("a vote after the closing: %q (field %s); want the successor named", e.Message, e.Field)
	}
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2025, 7, 9), 10, c.Version)))
	if c.Stage != domain.CaseChapterVoted {
		t.Errorf("a vote on the chapter's last day: %s", c.Stage)
	}

	in := personIn("cb-thon2", "Trần Thị Đến Sau")
	_, err = w.svc.CreatePerson(w.ctx, in)
	if e := wantErr(t, err, domain.EInvalid); e.Field != "org" || !strings.Contains(e.Message, "cb-thon1") {
		t.Errorf("a person placed in the closed chapter: %v", err)
	}
	p := w.person("cb-thon1", domain.StageSource, day(1970, 1, 1))
	_, err = w.svc.RecordMembership(w.ctx, p.ID, service.MembershipInput{DecisionNo: "9-QĐ/HU", DecisionDate: day(2025, 7, 12),
		DecidedByCode: "huyen", AdmittedOrgCode: "cb-thon2"})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "admitted_org" {
		t.Errorf("an admission decided in the closed chapter: %v", err)
	}
}

// Counting across the reorganisation (issue 12, item 4): a finished year
// is counted on its own tree, so the district's 2024 does not change when
// its units move in 2025; the district closed on 1/7/2025 shows its 2025
// figures to its last day with its successor; the new commune counts the
// history of the chapters that moved into it, from 1 January.
func TestYearCountedOnItsTree(t *testing.T) {
	w := newCaseWorld(t)
	for i, d := range []time.Time{day(2024, 5, 6), day(2024, 11, 20), day(2025, 3, 10)} {
		p := w.person("cb-thon1", domain.StageSource, day(1990, 1, 1+i))
		w.clock(d.Year(), d.Month(), d.Day())
		if _, err := w.svc.RecordMembership(w.ctx, p.ID, service.MembershipInput{DecisionNo: "1" + d.Format("0102") + "-QĐ/HU",
			DecisionDate: d, DecidedByCode: "huyen"}); err != nil {
			t.Fatal(err)
		}
	}
	q := service.ReportQuery{OrgCode: "huyen", Year: 2024, AsOf: day(2025, 12, 31)}
	w.clock(2025, 6, 30)
	before, err := w.svc.Progress(w.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	applyReorg(t, w)
	w.clock(2026, 1, 5)
	after, err := w.svc.Progress(w.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if before.Admitted != 2 || after.Admitted != 2 || !after.TreeDay.Equal(day(2024, 12, 31)) || len(after.Children) != len(before.Children) {
		t.Errorf("the district's 2024 as of 31/12/2025: %d before, %d after the reorganisation (tree of %s, %d children, was %d); want 2 both times, on 31/12/2024",
			before.Admitted, after.Admitted, after.TreeDay.Format(domain.DateLayout), len(after.Children), len(before.Children))
	}

	h, err := w.svc.Progress(w.ctx, service.ReportQuery{OrgCode: "huyen", Year: 2025, AsOf: day(2025, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if h.ClosedOn == nil || !h.ClosedOn.Equal(day(2025, 7, 1)) || !h.TreeDay.Equal(day(2025, 6, 30)) || h.Admitted != 1 ||
		len(h.Successors) != 1 || h.Successors[0].Code != "tinh" {
		t.Errorf("the district's 2025: closed %v, tree %s, admitted %d, successors %v; want 1/7/2025, 30/6, 1, tinh",
			h.ClosedOn, h.TreeDay.Format(domain.DateLayout), h.Admitted, h.Successors)
	}
	x, err := w.svc.Progress(w.ctx, service.ReportQuery{OrgCode: "xa-moi", Year: 2025, AsOf: day(2025, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if x.Admitted != 1 || len(x.Children) != 3 {
		t.Errorf("the new commune's 2025: %d admitted, %d children; want the moved chapter's March admission, 3 chapters", x.Admitted, len(x.Children))
	}
	// The rule set of a step's clock is the step's: the dossier check
	// says the same (CONTRACT "Dossier check").
	if s := rules.InForce(day(2025, 6, 30)); s.DecisionDeadline.Workdays != 60 {
		t.Errorf("the set in force on 30/6/2025 gives %d working days", s.DecisionDeadline.Workdays)
	}
}

// org is the unit with the code, as it is now.
func (w *caseWorld) org(code string) *domain.Org {
	w.t.Helper()
	o, err := w.svc.Org(w.ctx, code)
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}
