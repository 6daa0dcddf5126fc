package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/service"
)

// DOMAIN §4: "Admitted = people whose admission decision is dated within the
// year and on or before the as-of date".
func TestProgressYearBoundaries(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindChapter, "huyen")
	setTarget(t, svc, ctx, "huyen", 2023, domain.TargetQuota, 4, nil)
	for _, dt := range []time.Time{day(2022, 12, 31), day(2023, 1, 1), day(2023, 12, 31), day(2024, 1, 1)} {
		admitAt(t, svc, ctx, "cb", dt)
	}
	tests := []struct {
		year int
		asof time.Time
		want int
	}{
		{2023, day(2023, 12, 31), 2}, // 1/1 and 31/12 both in 2023
		{2023, day(2024, 6, 1), 2},   // after the year: still only 2023's
		{2022, day(2022, 12, 31), 1}, // 31/12/2022 only, not 1/1/2023
		{2024, day(2024, 6, 1), 1},   // 1/1/2024 only, not 31/12/2023
		{2023, day(2023, 1, 1), 1},   // the as-of day itself counts
		{2023, day(2023, 12, 30), 1}, // 31/12 not yet
		{2023, day(2022, 12, 31), 0}, // as of before 1/1 of the year: nothing, although a decision is dated that day
		{2021, day(2024, 6, 1), 0},   // a year without decisions
	}
	for _, tc := range tests {
		p := prog(t, svc, ctx, "huyen", tc.year, tc.asof)
		if p.Admitted != tc.want {
			t.Errorf("year %d as of %s: admitted %d; want %d", tc.year, tc.asof.Format(domain.DateLayout), p.Admitted, tc.want)
		}
		// The chapter's count rolls up to the district unchanged.
		if len(p.Children) != 1 || p.Children[0].Admitted != tc.want {
			t.Errorf("year %d as of %s: chapter row wrong", tc.year, tc.asof.Format(domain.DateLayout))
		}
	}
	// 2023 as of 31/12: 2 of 4 = 50 %.
	p := prog(t, svc, ctx, "huyen", 2023, day(2023, 12, 31))
	if p.QuotaPercent == nil || *p.QuotaPercent != 50 || p.Class != progress.ClassBelow {
		t.Errorf("2023: percent %s class %s; want 50, below", pct(p.QuotaPercent), p.Class)
	}
}

func TestProgressAsOfBeforeFirstDecision(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindGrassChapter, "")
	setTarget(t, svc, ctx, "cb", 2024, domain.TargetPlan, 2, nil)
	admitAt(t, svc, ctx, "cb", day(2024, 3, 10))
	p := prog(t, svc, ctx, "cb", 2024, day(2024, 3, 9))
	// A target and nobody admitted yet: 0 %, class "none" (DOMAIN §4).
	if p.Admitted != 0 || p.PlanPercent == nil || *p.PlanPercent != 0 || p.Class != progress.ClassNone {
		t.Errorf("as of 9/3: admitted %d percent %s class %s; want 0, 0, none", p.Admitted, pct(p.PlanPercent), p.Class)
	}
	p = prog(t, svc, ctx, "cb", 2024, day(2024, 3, 10))
	if p.Admitted != 1 || p.PlanPercent == nil || *p.PlanPercent != 50 {
		t.Errorf("as of 10/3: admitted %d percent %s; want 1, 50", p.Admitted, pct(p.PlanPercent))
	}
}

// DOMAIN §4 / CONTRACT "Progress": "no target or a zero target gives no
// percent (shown as —), never a division error".
func TestProgressNoAndZeroTarget(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "none", "Chi bộ không chỉ tiêu", domain.KindGrassChapter, "")
	mkOrg(t, svc, ctx, "zero", "Chi bộ chỉ tiêu không", domain.KindGrassChapter, "")
	setTarget(t, svc, ctx, "zero", 2024, domain.TargetQuota, 0, nil)
	setTarget(t, svc, ctx, "zero", 2024, domain.TargetPlan, 0, nil)
	for _, code := range []string{"none", "zero"} {
		admitAt(t, svc, ctx, code, day(2024, 2, 1))
		p := prog(t, svc, ctx, code, 2024, day(2024, 5, 4))
		if p.Admitted != 1 {
			t.Errorf("%s: admitted %d; want 1", code, p.Admitted)
		}
		if p.QuotaPercent != nil || p.PlanPercent != nil {
			t.Errorf("%s: percents %s / %s; want nil / nil", code, pct(p.QuotaPercent), pct(p.PlanPercent))
		}
		if p.Class != progress.ClassNoTarget || p.PaceNeeded != nil || p.Projection != nil {
			t.Errorf("%s: class %s pace %v projection %v; want no_target, nil, nil", code, p.Class, p.PaceNeeded, p.Projection)
		}
	}
	if p := prog(t, svc, ctx, "none", 2024, day(2024, 5, 4)); p.Quota != nil || p.Plan != nil {
		t.Errorf("no target: quota %v plan %v; want nil", p.Quota, p.Plan)
	}
}

// restructured builds the district of the restructuring tests:
//
//	huyen  quota 10 (deadline 30/9/2024)
//	├── xa-a  quota 6
//	│   ├── cb-old   2020 → closed 1/4/2024, successor cb-new; admitted 10/2 and 15/3
//	│   ├── cb-new   opened 1/4/2024; admitted 1/5
//	│   └── cb-gone  2020 → closed 1/4/2024, no successor; admitted 20/1
//	└── xa-b  quota 4
//	    └── cb-b     admitted 5/1, 5/2, 5/3
func restructured(t *testing.T) *service.Service {
	t.Helper()
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã A", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "xa-b", "Đảng bộ xã B", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "cb-old", "Chi bộ thôn Cũ", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "cb-gone", "Chi bộ thôn Giải thể", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "cb-new", "Chi bộ thôn Mới", domain.KindChapter, "xa-a", day(2024, 4, 1))
	mkOrg(t, svc, ctx, "cb-b", "Chi bộ thôn B", domain.KindChapter, "xa-b")
	dl := dayp(2024, 9, 30)
	setTarget(t, svc, ctx, "huyen", 2024, domain.TargetQuota, 10, dl)
	setTarget(t, svc, ctx, "xa-a", 2024, domain.TargetQuota, 6, dl)
	setTarget(t, svc, ctx, "xa-b", 2024, domain.TargetQuota, 4, dl)
	admitAt(t, svc, ctx, "cb-old", day(2024, 2, 10))
	admitAt(t, svc, ctx, "cb-old", day(2024, 3, 15))
	admitAt(t, svc, ctx, "cb-gone", day(2024, 1, 20))
	admitAt(t, svc, ctx, "cb-new", day(2024, 5, 1))
	for _, m := range []time.Month{1, 2, 3} {
		admitAt(t, svc, ctx, "cb-b", day(2024, m, 5))
	}
	closeOrg(t, svc, ctx, "cb-old", day(2024, 4, 1), "cb-new")
	closeOrg(t, svc, ctx, "cb-gone", day(2024, 4, 1), "")
	return svc
}

func childCodes(p *progress.Result) []string {
	var out []string
	for _, c := range p.Children {
		out = append(out, c.Code)
	}
	slices.Sort(out)
	return out
}

func child(t *testing.T, p *progress.Result, code string) *progress.Result {
	t.Helper()
	for _, c := range p.Children {
		if c.Code == code {
			return c
		}
	}
	t.Fatalf("%s has no child %s (children %v)", p.Code, code, childCodes(p))
	return nil
}

// DOMAIN §2: "Restructuring closes old nodes and opens new ones with
// successor links; history stays countable under the tree as it was on the
// report date". DOMAIN §4: admissions roll up "its ancestors (as the tree
// stood on the as-of date)". CONTRACT: "children are the direct children as
// the tree stood on the as-of date".
func TestProgressRestructuring(t *testing.T) {
	svc := restructured(t)
	ctx := service.WithUser(t.Context(), service.System)

	// As of 31/3/2024 the old chapters are open and cb-new is not.
	p := prog(t, svc, ctx, "xa-a", 2024, day(2024, 3, 31))
	if got := childCodes(p.Result); !slices.Equal(got, []string{"cb-gone", "cb-old"}) {
		t.Errorf("xa-a children on 31/3 = %v; want [cb-gone cb-old]", got)
	}
	if c := child(t, p.Result, "cb-old"); c.Admitted != 2 {
		t.Errorf("cb-old on 31/3: admitted %d; want 2", c.Admitted)
	}
	// xa-a: 2 (cb-old) + 1 (cb-gone) = 3 of 6 = 50 %.
	if p.Admitted != 3 || p.QuotaPercent == nil || *p.QuotaPercent != 50 {
		t.Errorf("xa-a on 31/3: admitted %d percent %s; want 3, 50", p.Admitted, pct(p.QuotaPercent))
	}

	// As of 1/6/2024: the closed chapters are gone from the list, cb-new is in.
	p = prog(t, svc, ctx, "xa-a", 2024, day(2024, 6, 1))
	if got := childCodes(p.Result); !slices.Equal(got, []string{"cb-new"}) {
		t.Errorf("xa-a children on 1/6 = %v; want [cb-new]", got)
	}
	// cb-new carries its predecessor's 2 plus its own 1.
	if c := child(t, p.Result, "cb-new"); c.Admitted != 3 {
		t.Errorf("cb-new on 1/6: admitted %d; want 3 (2 from cb-old + 1)", c.Admitted)
	}
	// xa-a keeps everything: 2 + 1 + 1 (cb-gone's, now counted at xa-a itself) = 4;
	// 4/6 = 66.666… → 66.67.
	if p.Admitted != 4 || p.QuotaPercent == nil || *p.QuotaPercent != 66.67 || p.Lost != 0 {
		t.Errorf("xa-a on 1/6: admitted %d percent %s lost %d; want 4, 66.67, 0", p.Admitted, pct(p.QuotaPercent), p.Lost)
	}

	// The district: children's percents (xa-a 66.67, xa-b 3/4 = 75) and its
	// own 7/10 = 70.
	p = prog(t, svc, ctx, "huyen", 2024, day(2024, 6, 1))
	if got := childCodes(p.Result); !slices.Equal(got, []string{"xa-a", "xa-b"}) {
		t.Errorf("huyen children = %v", got)
	}
	a, b := child(t, p.Result, "xa-a"), child(t, p.Result, "xa-b")
	if a.Admitted != 4 || a.QuotaPercent == nil || *a.QuotaPercent != 66.67 || a.Class != progress.ClassBelow {
		t.Errorf("xa-a row: %d, %s, %s; want 4, 66.67, below", a.Admitted, pct(a.QuotaPercent), a.Class)
	}
	if b.Admitted != 3 || b.QuotaPercent == nil || *b.QuotaPercent != 75 {
		t.Errorf("xa-b row: %d, %s; want 3, 75", b.Admitted, pct(b.QuotaPercent))
	}
	if p.Admitted != 7 || p.QuotaPercent == nil || *p.QuotaPercent != 70 || !p.QuotaOwn {
		t.Errorf("huyen: %d, %s own %v; want 7, 70, own", p.Admitted, pct(p.QuotaPercent), p.QuotaOwn)
	}
	// Own quota 10 vs children's 6 + 4 = 10.
	if p.ChildQuotaSum == nil || *p.ChildQuotaSum != 10 {
		t.Errorf("huyen child quota sum = %v; want 10", p.ChildQuotaSum)
	}
	if p.Deadline == nil || !p.Deadline.Equal(day(2024, 9, 30)) || p.PaceNeeded == nil {
		t.Errorf("huyen deadline %v pace %v; want 30/9/2024 and a pace", p.Deadline, p.PaceNeeded)
	}
	// A report is the unit and its direct children (CONTRACT "Progress"):
	// the children come without theirs, whose figures the counts maintained
	// per unit do not read; xa-a's own report lists cb-new (above).
	if got := childCodes(a); len(got) != 0 {
		t.Errorf("xa-a row carries grandchildren %v; want none", got)
	}

	// On 31/3 the district counts the same admissions dated ≤ 31/3:
	// cb-old 2 + cb-gone 1 + cb-b 3 = 6.
	p = prog(t, svc, ctx, "huyen", 2024, day(2024, 3, 31))
	if p.Admitted != 6 || p.QuotaPercent == nil || *p.QuotaPercent != 60 {
		t.Errorf("huyen on 31/3: %d, %s; want 6, 60", p.Admitted, pct(p.QuotaPercent))
	}

	// A unit closed before the as-of date shows its figures up to its
	// closing, with the day it closed and the successor that carries its
	// history (issue 12); a unit is not reported before it was founded.
	p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "cb-old", Year: 2024, AsOf: day(2024, 6, 1)})
	if err != nil || p.Admitted != 2 || p.ClosedOn == nil || !p.ClosedOn.Equal(day(2024, 4, 1)) || !p.TreeDay.Equal(day(2024, 3, 31)) ||
		len(p.Successors) != 1 || p.Successors[0].Code != "cb-new" || p.Pipeline != 0 {
		t.Errorf("cb-old on 1/6, closed on 1/4: %+v (%v); want 2 admitted to 31/3, closed 1/4/2024, successor cb-new", p, err)
	}
	_, err = svc.Progress(ctx, service.ReportQuery{OrgCode: "cb-new", Year: 2024, AsOf: day(2024, 3, 31)})
	wantErr(t, err, domain.EInvalid)
	_, err = svc.Progress(ctx, service.ReportQuery{OrgCode: "cb-old", Year: 2024, AsOf: day(2024, 3, 31)})
	if err != nil {
		t.Errorf("cb-old on its last day: %v", err)
	}
	_, err = svc.Progress(ctx, service.ReportQuery{OrgCode: "huyen", Year: 1800, AsOf: day(2024, 3, 31)})
	wantErr(t, err, domain.EInvalid)
	_, err = svc.Progress(ctx, service.ReportQuery{OrgCode: "khong-co", Year: 2024, AsOf: day(2024, 3, 31)})
	wantErr(t, err, domain.ENotFound)
}

// A unit's own report and its row in its parent's report are the same figure:
// cb-new's row in xa-a's report carries cb-old's 2 admissions (the successor
// rule above), so cb-new's own report must show 3 as well.
func TestProgressUnitMatchesItsRowInParent(t *testing.T) {
	svc := restructured(t)
	ctx := service.WithUser(t.Context(), service.System)
	asof := day(2024, 6, 1)
	parent := prog(t, svc, ctx, "xa-a", 2024, asof)
	for _, c := range parent.Children {
		own := prog(t, svc, ctx, c.Code, 2024, asof)
		if own.Admitted != c.Admitted {
			t.Errorf("%s: own report %d admitted, row in xa-a's report %d", c.Code, own.Admitted, c.Admitted)
		}
	}
}

// A chapter merged into a chapter of another commune: its history moves
// with it (DOMAIN §2), so every unit's own report equals its row in its
// parent's report, and the district total is unchanged.
func TestProgressMergeAcrossCommunes(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã A", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "xa-b", "Đảng bộ xã B", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "cb-a", "Chi bộ thôn A", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "cb-b", "Chi bộ thôn B", domain.KindChapter, "xa-b")
	admitAt(t, svc, ctx, "cb-a", day(2024, 2, 10))
	admitAt(t, svc, ctx, "cb-a", day(2024, 3, 10))
	admitAt(t, svc, ctx, "cb-b", day(2024, 3, 12))
	closeOrg(t, svc, ctx, "cb-a", day(2024, 4, 1), "cb-b")

	asof := day(2024, 6, 1)
	district := prog(t, svc, ctx, "huyen", 2024, asof)
	if district.Admitted != 3 {
		t.Errorf("district: %d admitted, want 3 (a merger loses nothing)", district.Admitted)
	}
	rows := map[string]int{}
	for _, c := range district.Children {
		rows[c.Code] = c.Admitted
	}
	// xa-a keeps nothing: its chapter's history went to cb-b in xa-b.
	if rows["xa-a"] != 0 || rows["xa-b"] != 3 {
		t.Errorf("rows %v, want xa-a 0 and xa-b 3", rows)
	}
	for code, n := range rows {
		if own := prog(t, svc, ctx, code, 2024, asof); own.Admitted != n {
			t.Errorf("%s: own report %d, row in the district's %d", code, own.Admitted, n)
		}
	}
	if own := prog(t, svc, ctx, "cb-b", 2024, asof); own.Admitted != 3 {
		t.Errorf("cb-b: own report %d, want 3 (its own 1 and the merged chapter's 2)", own.Admitted)
	}
	// Before the merger each commune counts its own.
	before := prog(t, svc, ctx, "xa-a", 2024, day(2024, 3, 31))
	if before.Admitted != 2 {
		t.Errorf("xa-a before the merger: %d, want 2", before.Admitted)
	}
}

// A unit cannot close while a child stays open after that date: the
// child's admissions would otherwise drop out of every ancestor's total.
func TestCloseParentWithOpenChildRefused(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã A", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "cb-a", "Chi bộ thôn A", domain.KindChapter, "xa-a")
	o, err := svc.Org(ctx, "xa-a")
	if err != nil {
		t.Fatal(err)
	}
	closing := day(2024, 4, 1)
	_, err = svc.UpdateOrg(ctx, "xa-a", service.OrgInput{Name: o.Name, Kind: o.Kind, Sector: o.Sector,
		ValidFrom: o.ValidFrom, ValidTo: &closing, Version: o.Version})
	if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), "Chi bộ thôn A") {
		t.Fatalf("closing a unit with an open child: %v, want EInvalid naming the child", err)
	}
	if after, _ := svc.Org(ctx, "xa-a"); after.ValidTo != nil {
		t.Errorf("the refused change was stored")
	}
	closeOrg(t, svc, ctx, "cb-a", closing, "")
	o, _ = svc.Org(ctx, "xa-a")
	if _, err := svc.UpdateOrg(ctx, "xa-a", service.OrgInput{Name: o.Name, Kind: o.Kind, Sector: o.Sector,
		ValidFrom: o.ValidFrom, ValidTo: &closing, Version: o.Version}); err != nil {
		t.Errorf("closing after its child closed: %v", err)
	}
}
