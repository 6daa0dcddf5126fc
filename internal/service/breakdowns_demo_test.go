package service_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit/demodb"
)

var (
	demoOnce sync.Once
	demoSvc  *service.Service
	demoErr  error
)

// demoWorld loads the demo district once for the breakdown tests (it is
// only read).
func demoWorld(t *testing.T) (*service.Service, context.Context) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the demo")
	}
	demoOnce.Do(func() {
		ctx := service.WithUser(context.Background(), service.System)
		if demoDir, demoErr = os.MkdirTemp("", "ketnap-breakdowns"); demoErr != nil {
			return
		}
		var dsn string
		if dsn, demoDrop, demoErr = demodb.Shared(demoDir); demoErr != nil {
			return
		}
		st, err := store.Open(ctx, dsn)
		if err != nil {
			demoErr = err
			return
		}
		demoSvc = service.New(st, nil)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoSvc, service.WithUser(t.Context(), service.System)
}

var demoAsOf = domain.Day(2024, 5, 4)

// DOMAIN §7 "Breakdowns of the admitted": the demo's 57 admitted of 2024
// as of 4 May split so that every partition adds up to the total that
// Progress counts (DOMAIN §4).
func TestBreakdownsOfTheDemoAddUp(t *testing.T) {
	svc, ctx := demoWorld(t)
	p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demoAsOf})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demoAsOf})
	if err != nil {
		t.Fatal(err)
	}
	if b.Admitted != 57 || p.Admitted != 57 {
		t.Fatalf("admitted %d, progress %d; want 57", b.Admitted, p.Admitted)
	}
	sex := b.Part("sex")
	if sex.Parts[0].N+sex.Parts[1].N != 57 || len(sex.Parts) != 2 || sex.Parts[0].N == 0 {
		t.Errorf("women + men = %v; want 57", sex.Parts)
	}
	for _, x := range b.Parts {
		if x.Partition && x.Sum() != b.Admitted {
			t.Errorf("%s: parts %v add up to %d; want %d", x.Key, x.Parts, x.Sum(), b.Admitted)
		}
	}
	eth := b.Part("ethnicity")
	if eth.Parts[0].Key != "minority" || eth.Parts[0].N == 0 || eth.Parts[0].N+eth.Parts[1].N != 57 {
		t.Errorf("minority + Kinh: %v", eth.Parts)
	}
	if b.Part("minority_groups").Sum() != eth.Parts[0].N {
		t.Errorf("the minority groups add up to %d; want %d", b.Part("minority_groups").Sum(), eth.Parts[0].N)
	}
	if b.Part("religions").Sum() != b.Part("religion").Parts[0].N {
		t.Errorf("religions %d; believers %d", b.Part("religions").Sum(), b.Part("religion").Parts[0].N)
	}
	groups := b.Part("groups")
	occ := map[string]int{}
	for _, x := range b.Part("occupation").Parts {
		occ[x.Key] = x.N
	}
	for _, g := range groups.Parts {
		if g.N != occ[g.Key] {
			t.Errorf("%s: %d; occupation says %d", g.Key, g.N, occ[g.Key])
		}
	}
	if b.AverageAge == nil || *b.AverageAge < 18 || *b.AverageAge > 60 {
		t.Errorf("average age %v", b.AverageAge)
	}
	// Per child, the breakdown's total is the child's row in Progress.
	for _, c := range p.Children {
		cb, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: c.Code, Year: 2024, AsOf: demoAsOf})
		if err != nil {
			t.Fatal(err)
		}
		if cb.Admitted != c.Admitted || cb.Part("sex").Sum() != c.Admitted {
			t.Errorf("%s: breakdown %d; progress %d", c.Code, cb.Admitted, c.Admitted)
		}
	}

	// By residential unit: the admitted living in the district's villages
	// plus those elsewhere are the total; the weak villages (buôn without
	// chapter or member) are listed.
	sum := b.AdmittedElsewhere
	for _, r := range b.Residence {
		sum += r.Admitted
		if r.Weak && (r.Members != 0 || r.HasChapter || r.Admitted != 0) {
			t.Errorf("%s: weak with %d members, chapter %v, %d admitted", r.Name, r.Members, r.HasChapter, r.Admitted)
		}
	}
	if sum != 57 {
		t.Errorf("residence adds up to %d", sum)
	}
	if len(b.Weak) < 3 || len(b.Weak) > 8 {
		t.Errorf("%d weak villages; want the demo's 3–8", len(b.Weak))
	}
	for _, w := range b.Weak {
		if w.Kind != "buon" {
			t.Errorf("weak %s is a %s", w.Name, w.Kind)
		}
	}

	// High schools: Lê Hồng Phong's admitted students against its 2023–2024 enrolment.
	if b.SchoolYear != 2023 {
		t.Errorf("school year %d; want 2023", b.SchoolYear)
	}
	var lhp *service.SchoolLine
	for i := range b.Schools {
		if b.Schools[i].Code == "thpt-lehongphong" {
			lhp = &b.Schools[i]
		}
	}
	if lhp == nil {
		t.Fatal("no Lê Hồng Phong")
	}
	if lhp.Students != 1236 || lhp.Admitted == 0 || lhp.Percent == nil {
		t.Errorf("Lê Hồng Phong: %d of %d (%v)", lhp.Admitted, lhp.Students, lhp.Percent)
	}
	if high := occ["student_high"]; lhp.Admitted > high {
		t.Errorf("Lê Hồng Phong %d students admitted; the district %d", lhp.Admitted, high)
	}
}

// DOMAIN §7 "Pipeline funnel per unit; candidates stalled in a stage;
// sources not sent to a class": the demo as of 4 May 2024 (8 overdue
// decisions, 10 ceremonies due, the classes report's sources not sent).
func TestFunnelOfTheDemo(t *testing.T) {
	svc, ctx := demoWorld(t)
	f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", AsOf: demoAsOf}})
	if err != nil {
		t.Fatal(err)
	}
	u := f.Unit
	if u.Counts["decided"] != 10 {
		t.Errorf("decided, awaiting the ceremony: %d; want 10", u.Counts["decided"])
	}
	rep, err := svc.ClassReport(ctx, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demoAsOf}})
	if err != nil {
		t.Fatal(err)
	}
	// The funnel's "not sent" is the classes report's alert (more than six
	// months in the pool, never enrolled); it is part of the sources never
	// enrolled in a class that started by the date.
	if u.NotSent != rep.NotSent || u.NotSent == 0 || u.NotSent > u.Counts["sources"]-u.Counts["in_class"] {
		t.Errorf("not sent %d; classes report %d; sources %v", u.NotSent, rep.NotSent, u.Counts)
	}
	todo, err := svc.TodoCounts(ctx, "krongpac", 30, demoAsOf)
	if err != nil {
		t.Fatal(err)
	}
	late, decisions := 0, -1
	for _, c := range todo {
		if c.Kind == domain.DeadlineDecision {
			decisions = c.Overdue
		}
		late += c.Overdue
	}
	if decisions != 8 {
		t.Errorf("todo: %d overdue decisions (-1: no line); want 8", decisions)
	}
	if u.Overdue == 0 || u.Overdue > late || u.Overdue < 8 {
		t.Errorf("overdue cases %d; overdue deadlines %d", u.Overdue, late)
	}
	if u.Stalled < u.Overdue {
		t.Errorf("stalled %d < overdue %d", u.Stalled, u.Overdue)
	}
	if u.PastVote != u.Counts["chapter_voted"]+u.Counts["committee_voted"] || u.PastVote == 0 {
		t.Errorf("past the vote %d; counts %v", u.PastVote, u.Counts)
	}
	if u.Counts["certified"] > u.Counts["sources"] || u.Counts["in_class"] > u.Counts["sources"] {
		t.Errorf("sources %v", u.Counts)
	}
	// The children add up to the unit (no case of the demo sits at the district itself).
	sum := map[string]int{}
	notSent := 0
	for _, c := range u.Children {
		for k, n := range c.Counts {
			sum[k] += n
		}
		notSent += c.NotSent
	}
	for _, s := range service.FunnelStages {
		if sum[s.Key] != u.Counts[s.Key] {
			t.Errorf("%s: children %d; unit %d", s.Key, sum[s.Key], u.Counts[s.Key])
		}
	}
	if notSent != u.NotSent {
		t.Errorf("not sent: children %d; unit %d", notSent, u.NotSent)
	}
	t.Logf("funnel %v overdue %d stalled %d not sent %d", u.Counts, u.Overdue, u.Stalled, u.NotSent)

	p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demoAsOf})
	if err != nil {
		t.Fatal(err)
	}
	// The forecast comes with the funnel, for the funnel's year (the as-of
	// date's, omitted here): progress's pace plus the cases past the vote.
	fc := f.Forecast
	if f.Year != 2024 || fc == nil || fc.Admitted != p.Admitted || fc.Admitted != 57 || fc.PaceCurrent != p.PaceCurrent {
		t.Fatalf("year %d, forecast %+v; progress %d admitted", f.Year, fc, p.Admitted)
	}
	if fc.Projection == nil || fc.AtPace == nil || *fc.Projection != *fc.AtPace+u.PastVote || *fc.AtPace < 57 {
		t.Errorf("forecast %+v", fc)
	}
	if fc.Deadline == nil || fc.PaceNeeded == nil || fc.Reaches == nil {
		t.Errorf("forecast %+v", fc)
	}
}
