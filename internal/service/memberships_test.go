package service_test

import (
	"math"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// DOMAIN §4: "A decision enters the count only through the case's decision
// step recorded by the deciding body, or as a member admitted before the
// system recorded from paper by that body's organizer (marked as such, and
// counted separately)". The case world's chapters under Đảng ủy xã Ea Kly
// are decided by the district (its authority since 2020).
func TestRecordFromPaperOnlyByTheDecidingBodysOrganizer(t *testing.T) {
	w := newCaseWorld(t)
	w.clock(2024, 3, 1)
	_, sec := mkUser(t, w.svc, w.ctx, "bithu", domain.RoleSecretary, "cb-thon1")
	_, xa := mkUser(t, w.svc, w.ctx, "tochuc-xa", domain.RoleOrganizer, "xa-eakly")
	_, huyen := mkUser(t, w.svc, w.ctx, "tochuc-huyen", domain.RoleOrganizer, "huyen")
	p := w.person("cb-thon1", domain.StageSource, day(1990, 1, 1))
	paper := service.MembershipInput{DecisionNo: "12-QĐ/HU", DecisionDate: day(2024, 2, 1)}
	counted := func() (admitted, recorded int) {
		t.Helper()
		g := prog(t, w.svc, w.ctx, "huyen", 2024, day(2024, 3, 1))
		return g.Admitted, g.Recorded
	}

	// The chapter's secretary: refused, saying where decisions are recorded.
	_, err := w.svc.RecordMembership(sec, p.ID, paper)
	if e := wantErr(t, err, domain.EForbidden); !strings.Contains(e.Message, "bước “Quyết định kết nạp” của hồ sơ kết nạp") {
		t.Errorf("secretary's refusal %q does not name the decision step", e.Message)
	}
	// The commune's organizer: the district decides there, not the commune.
	_, err = w.svc.RecordMembership(xa, p.ID, paper)
	if e := wantErr(t, err, domain.EForbidden); !strings.Contains(e.Message, "Đảng bộ huyện Krông Pắc") {
		t.Errorf("commune organizer's refusal %q does not name the deciding body", e.Message)
	}
	// A deciding body below the admitted unit is no deciding body.
	_, err = w.svc.RecordMembership(huyen, p.ID, service.MembershipInput{DecisionNo: "12-QĐ/HU", DecisionDate: day(2024, 2, 1), DecidedByCode: "cb-thon2"})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "decided_by" {
		t.Errorf("decider cb-thon2: field %q (%s)", e.Field, e.Message)
	}
	if a, r := counted(); a != 0 || r != 0 || countTable(t, w.svc, "memberships") != 0 {
		t.Fatalf("after the refusals: admitted %d, recorded %d, %d memberships", a, r, countTable(t, w.svc, "memberships"))
	}

	// The district's organizer records it: marked as recorded from paper.
	m, err := w.svc.RecordMembership(huyen, p.ID, paper)
	if err != nil {
		t.Fatal(err)
	}
	if m.Origin != domain.OriginPaper || !m.Recorded() || m.Status != domain.StageProbationary {
		t.Errorf("membership origin %q status %q; want recorded from paper, probationary", m.Origin, m.Status)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if pv.Stage != domain.StageProbationary || len(pv.Memberships) != 1 || pv.Memberships[0].Origin != domain.OriginPaper {
		t.Errorf("person %s %+v", pv.Stage, pv.Memberships)
	}
	if a, r := counted(); a != 1 || r != 1 {
		t.Errorf("admitted %d, of them recorded %d; want 1, 1", a, r)
	}
	g := prog(t, w.svc, w.ctx, "huyen", 2024, day(2024, 3, 1))
	for _, c := range g.Children {
		if want := map[string]int{"xa-eakly": 1}[c.Code]; c.Recorded != want || c.Admitted != want {
			t.Errorf("%s: admitted %d recorded %d; want %d, %d", c.Code, c.Admitted, c.Recorded, want, want)
		}
	}
	// A member already: refused, naming the decision on record.
	_, err = w.svc.RecordMembership(huyen, p.ID, service.MembershipInput{DecisionNo: "13-QĐ/HU", DecisionDate: day(2024, 2, 2)})
	if e := wantErr(t, err, domain.EConflict); !strings.Contains(e.Message, "12-QĐ/HU") {
		t.Errorf("member's refusal %q", e.Message)
	}

	// A person with an open case: the case's decision step records it.
	q := w.person("cb-thon1", domain.StageSource, day(1995, 1, 1))
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: q.ID, HelperID: w.member("cb-thon1").ID}))
	_, err = w.svc.RecordMembership(huyen, q.ID, paper)
	if e := wantErr(t, err, domain.EConflict); !strings.Contains(e.Message, "đang có hồ sơ kết nạp") || !strings.Contains(e.Message, "“Quyết định kết nạp”") {
		t.Errorf("open case's refusal %q", e.Message)
	}
	if w.svc.MayRecordFromPaper(huyen, q) || w.svc.MayRecordFromPaper(huyen, pv.Person) || w.svc.MayRecordFromPaper(sec, q) {
		t.Error("the form is offered for a person with an open case, a member, or to a secretary")
	}
	w.must(w.svc.WithdrawCase(w.ctx, c.ID, service.CloseInput{Date: day(2024, 3, 1), Reason: "Chuyển công tác", Version: c.Version}))
	if !w.svc.MayRecordFromPaper(huyen, q) || w.svc.MayRecordFromPaper(sec, q) {
		t.Error("after the withdrawal the district's organizer may record from paper, the secretary may not")
	}
	// The audit trail says where the decision came from.
	entries, err := service.StoreOf(w.svc).AuditFor(w.ctx, "person", p.ID, 5)
	if err != nil || len(entries) == 0 || entries[0].Action != "admit" || !strings.Contains(entries[0].Detail, `"origin":"paper"`) {
		t.Errorf("audit %+v, %v", entries, err)
	}
}

// The case's decision step is recorded by a user whose scope holds the
// deciding body; the membership it writes is marked as reached through
// the procedure and is not among the recorded ones.
func TestDecisionStepByTheDecidingBody(t *testing.T) {
	w := newCaseWorld(t)
	_, xa := mkUser(t, w.svc, w.ctx, "tochuc-xa", domain.RoleOrganizer, "xa-eakly")
	_, huyen := mkUser(t, w.svc, w.ctx, "tochuc-huyen", domain.RoleOrganizer, "huyen")
	p := w.person("cb-thon1", domain.StageSource, day(1999, 5, 5))
	c := w.dossier(p, day(2023, 9, 1), 2)
	w.clock(2023, 11, 16)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 11, 16), 9, c.Version)))
	w.clock(2023, 12, 5)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, committeeVote(day(2023, 12, 5), 8, c.Version)))
	w.clock(2024, 1, 10)
	before := countTable(t, w.svc, "memberships") // the helper's and the introducers', from paper
	_, err := w.svc.Decide(xa, c.ID, domain.PurposeAdmission, decision("141-QĐ/HU", day(2024, 1, 10), nil, 5, c.Version))
	if e := wantErr(t, err, domain.EForbidden); !strings.Contains(e.Message, "Đảng bộ huyện Krông Pắc") {
		t.Errorf("commune organizer's refusal %q", e.Message)
	}
	if n := countTable(t, w.svc, "memberships"); n != before {
		t.Errorf("%d memberships after the refusal; want %d", n, before)
	}
	if c = w.must(w.svc.Decide(huyen, c.ID, domain.PurposeAdmission, decision("141-QĐ/HU", day(2024, 1, 10), nil, 5, c.Version))); c.Stage != domain.CaseDecided {
		t.Errorf("stage %s after the district's decision", c.Stage)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if len(pv.Memberships) != 1 || pv.Memberships[0].Origin != domain.OriginCase || pv.Memberships[0].Recorded() {
		t.Fatalf("memberships %+v; want one reached through the case", pv.Memberships)
	}
	if g := prog(t, w.svc, w.ctx, "huyen", 2024, day(2024, 1, 31)); g.Admitted != 1 || g.Recorded != 0 {
		t.Errorf("progress: admitted %d recorded %d; want 1, 0", g.Admitted, g.Recorded)
	}
}

// DOMAIN §4 "Nobody edits a stage": the person form and API keep the
// stage, or refuse a different one with the step to record instead; a new
// person is a source.
func TestStageIsNotEdited(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thon1", domain.StageSource, day(1990, 1, 1))
	in := personIn("cb-thon1", p.FullName)
	in.BirthDate, in.Version = p.BirthDate, p.Version
	for _, tc := range []struct {
		stage, want string
	}{
		{domain.StageOfficial, "bước “Công nhận đảng viên chính thức”"},
		{domain.StageProbationary, "bước “Quyết định kết nạp”"},
		{domain.StageCandidate, "bước “Lập hồ sơ”"},
	} {
		in.Stage = tc.stage
		_, err := w.svc.UpdatePerson(w.ctx, p.ID, in)
		if e := wantErr(t, err, domain.EInvalid); e.Field != "stage" || !strings.Contains(e.Message, tc.want) {
			t.Errorf("to %s: field %q message %q; want stage, naming %s", tc.stage, e.Field, e.Message, tc.want)
		}
	}
	// Without a stage (or with the same one) the edit keeps it.
	in.Stage, in.Workplace = "", "Hợp tác xã Ea Kly"
	q, err := w.svc.UpdatePerson(w.ctx, p.ID, in)
	if err != nil || q.Stage != domain.StageSource || q.Workplace != "Hợp tác xã Ea Kly" {
		t.Fatalf("edit without a stage: %+v, %v", q, err)
	}
	// An outdated edit is a conflict, not a stage change.
	in.Stage = domain.StageOfficial
	_, err = w.svc.UpdatePerson(w.ctx, p.ID, in)
	wantErr(t, err, domain.EConflict)

	// A new person is a source, whatever the input claims.
	n := personIn("cb-thon1", "Trần Văn Mới")
	n.Stage = domain.StageOfficial
	_, err = w.svc.CreatePerson(w.ctx, n)
	if e := wantErr(t, err, domain.EInvalid); e.Field != "stage" || !strings.Contains(e.Message, "quyết định kết nạp") {
		t.Errorf("create official: %q %q", e.Field, e.Message)
	}
	n.Stage = ""
	if x, err := w.svc.CreatePerson(w.ctx, n); err != nil || x.Stage != domain.StageSource {
		t.Errorf("create without a stage: %+v, %v", x, err)
	}
	if pv, _ := w.svc.Person(w.ctx, p.ID, false); pv.Stage != domain.StageSource {
		t.Errorf("stage %s after the refused edits", pv.Stage)
	}
}

// DOMAIN §4: "a projection at the current pace plus the pipeline that is
// already past the chapter vote"; the funnel's forecast is the same
// figure. Past the vote: a passed chapter resolution, no decision, not
// closed, and no failed vote (which goes to the deciding body).
func TestProjectionCountsThePipeline(t *testing.T) {
	w := newCaseWorld(t)
	dl := day(2024, 9, 30)
	setTarget(t, w.svc, w.ctx, "huyen", 2024, domain.TargetQuota, 20, &dl)
	// A: the school's chapter voted on 15/1/2024: past the vote.
	ca := w.dossier(w.person("cb-thpt", domain.StageSource, day(1998, 4, 4)), day(2023, 9, 1), 2)
	w.clock(2024, 1, 15)
	w.must(w.svc.Vote(w.ctx, ca.ID, domain.PurposeAdmission, chapterVote(day(2024, 1, 15), 9, ca.Version)))
	// B: a village chapter, then the commune's committee: past the vote.
	cb := w.dossier(w.person("cb-thon1", domain.StageSource, day(1999, 5, 5)), day(2023, 9, 1), 2)
	w.clock(2024, 1, 16)
	cb = w.must(w.svc.Vote(w.ctx, cb.ID, domain.PurposeAdmission, chapterVote(day(2024, 1, 16), 9, cb.Version)))
	w.clock(2024, 2, 1)
	w.must(w.svc.Vote(w.ctx, cb.ID, domain.PurposeAdmission, committeeVote(day(2024, 2, 1), 8, cb.Version)))
	// C: decided on 10/2/2024: admitted, no longer in the pipeline.
	cc := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 6, 6)), day(2023, 9, 1), 2)
	w.clock(2023, 12, 1)
	cc = w.must(w.svc.Vote(w.ctx, cc.ID, domain.PurposeAdmission, chapterVote(day(2023, 12, 1), 9, cc.Version)))
	w.clock(2024, 2, 10)
	w.must(w.svc.Decide(w.ctx, cc.ID, domain.PurposeAdmission, decision("150-QĐ/HU", day(2024, 2, 10), nil, 5, cc.Version)))
	// D: the chapter voted against: not past the vote.
	cd := w.dossier(w.person("cb-thon2", domain.StageSource, day(2001, 7, 7)), day(2023, 9, 2), 2)
	w.clock(2024, 1, 20)
	w.must(w.svc.Vote(w.ctx, cd.ID, domain.PurposeAdmission, chapterVote(day(2024, 1, 20), 5, cd.Version)))
	// E: in the dossier: not yet.
	w.dossier(w.person("cb-thon2", domain.StageSource, day(2002, 8, 8)), day(2023, 10, 2), 2)
	// F: a member admitted before ketnap, recorded from paper in 2024.
	asof := day(2024, 3, 1)
	w.clock(2024, 3, 1)
	admitAt(t, w.svc, w.ctx, "cb-thon2", day(2024, 1, 25))

	p := prog(t, w.svc, w.ctx, "huyen", 2024, asof)
	if p.Admitted != 2 || p.Recorded != 1 || p.Pipeline != 2 {
		t.Fatalf("admitted %d (recorded %d), past the vote %d; want 2 (1), 2", p.Admitted, p.Recorded, p.Pipeline)
	}
	monthsLeft := dl.Sub(asof).Hours() / 24 / (365.2425 / 12)
	want := p.Admitted + 2 + int(math.Round(p.PaceCurrent*monthsLeft))
	if p.Projection == nil || *p.Projection != want {
		t.Fatalf("projection %v; want admitted 2 + past the vote 2 + the pace %.2f over %.2f months = %d", p.Projection, p.PaceCurrent, monthsLeft, want)
	}
	for _, c := range p.Children {
		if wantPipe := map[string]int{"cb-thpt": 1, "xa-eakly": 1}[c.Code]; c.Pipeline != wantPipe {
			t.Errorf("%s: past the vote %d; want %d", c.Code, c.Pipeline, wantPipe)
		}
	}
	f, err := w.svc.Funnel(w.ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "huyen", Year: 2024, AsOf: asof}})
	if err != nil {
		t.Fatal(err)
	}
	fc := f.Forecast
	if fc.Projection == nil || *fc.Projection != *p.Projection || fc.PastVote != 2 || fc.AtPace == nil || *fc.AtPace != want-2 || f.Unit.PastVote != 2 {
		t.Errorf("funnel forecast %v (at pace %v + past the vote %d, line %d); want progress's %d", fc.Projection, fc.AtPace, fc.PastVote, f.Unit.PastVote, want)
	}
	// Before A's vote only C (then undecided) was past the vote.
	if p := prog(t, w.svc, w.ctx, "huyen", 2024, day(2024, 1, 14)); p.Pipeline != 1 {
		t.Errorf("as of 14/1/2024: past the vote %d; want 1 (C)", p.Pipeline)
	}
}
