package service_test

import (
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// DOMAIN §4: per organization and year a quota and a plan, "each with a
// deadline … and an optional breakdown". Bad input names the field and
// changes nothing (DESIGN "Rules of the house").
func TestSetTargetValidation(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	tests := []struct {
		field string
		in    service.TargetInput
	}{
		{"kind", service.TargetInput{Year: 2024, Kind: "wish", Value: intp(3)}},
		{"year", service.TargetInput{Year: 1800, Kind: domain.TargetQuota, Value: intp(3)}},
		{"value", service.TargetInput{Year: 2024, Kind: domain.TargetQuota, Value: intp(-1)}},
		{"deadline", service.TargetInput{Year: 2024, Kind: domain.TargetQuota, Value: intp(3), Deadline: dayp(2025, 1, 31)}},
		{"breakdown", service.TargetInput{Year: 2024, Kind: domain.TargetQuota, Value: intp(3), Breakdown: map[string]int{"aliens": 1}}},
		{"breakdown", service.TargetInput{Year: 2024, Kind: domain.TargetQuota, Value: intp(3), Breakdown: map[string]int{"women": 4}}},
		{"breakdown", service.TargetInput{Year: 2024, Kind: domain.TargetQuota, Value: intp(3), Breakdown: map[string]int{"women": -1}}},
	}
	for _, tc := range tests {
		tc.in.OrgCode = "huyen"
		err := svc.SetTarget(ctx, tc.in)
		if e := wantErr(t, err, domain.EInvalid); e.Field != tc.field {
			t.Errorf("%+v: field %q; want %q (%s)", tc.in, e.Field, tc.field, e.Message)
		}
	}
	if n := countTable(t, svc, "targets"); n != 0 {
		t.Errorf("%d targets stored after invalid input", n)
	}
	err := svc.SetTarget(ctx, service.TargetInput{OrgCode: "khong-co", Year: 2024, Kind: domain.TargetQuota, Value: intp(1)})
	wantErr(t, err, domain.ENotFound)

	// Valid: set, replace, remove.
	dl := dayp(2024, 9, 30)
	if err := svc.SetTarget(ctx, service.TargetInput{OrgCode: "huyen", Year: 2024, Kind: domain.TargetQuota, Value: intp(246), Deadline: dl,
		Breakdown: map[string]int{"women": 100, "student_high": 20}}); err != nil {
		t.Fatal(err)
	}
	setTarget(t, svc, ctx, "huyen", 2024, domain.TargetPlan, 275, dl)
	sheet, err := svc.Targets(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	q, p := sheet.Unit.Quota, sheet.Unit.Plan
	if q == nil || q.Value != 246 || q.Deadline == nil || !q.Deadline.Equal(*dl) || q.Breakdown["women"] != 100 || p == nil || p.Value != 275 {
		t.Fatalf("sheet unit = %+v / %+v", q, p)
	}
	// CONTRACT "Progress": 57 admitted of 246 and 275 → 23.17 and 20.73.
	mkOrg(t, svc, ctx, "cb", "Chi bộ", domain.KindChapter, "huyen")
	for i := 0; i < 57; i++ {
		admitAt(t, svc, ctx, "cb", day(2024, time.Month(1+i%4), 1+i%28))
	}
	pr := prog(t, svc, ctx, "huyen", 2024, day(2024, 5, 4))
	if pr.Admitted != 57 || pr.QuotaPercent == nil || *pr.QuotaPercent != 23.17 || pr.PlanPercent == nil || *pr.PlanPercent != 20.73 {
		t.Errorf("article figures: %d, %s, %s; want 57, 23.17, 20.73", pr.Admitted, pct(pr.QuotaPercent), pct(pr.PlanPercent))
	}
	if err := svc.SetTarget(ctx, service.TargetInput{OrgCode: "huyen", Year: 2024, Kind: domain.TargetQuota, Value: nil}); err != nil {
		t.Fatal(err)
	}
	sheet, _ = svc.Targets(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024})
	if sheet.Unit.Quota != nil || sheet.Unit.Plan == nil {
		t.Errorf("after removing the quota: %+v / %+v", sheet.Unit.Quota, sheet.Unit.Plan)
	}
}

// DOMAIN §4: "the product shows where children's allocations do not add up
// to the parent's".
func TestTargetsSheetGap(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã A", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "xa-b", "Đảng bộ xã B", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "xa-c", "Đảng bộ xã C", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "cb", "Chi bộ", domain.KindChapter, "xa-a")
	// A commune dissolved before 2024 is not on the 2024 sheet.
	mkOrg(t, svc, ctx, "xa-cu", "Đảng bộ xã Cũ", domain.KindCommune, "huyen")
	closeOrg(t, svc, ctx, "xa-cu", day(2023, 1, 1), "")

	setTarget(t, svc, ctx, "huyen", 2024, domain.TargetQuota, 10, nil)
	setTarget(t, svc, ctx, "xa-a", 2024, domain.TargetQuota, 4, nil)
	setTarget(t, svc, ctx, "xa-b", 2024, domain.TargetQuota, 5, nil)
	setTarget(t, svc, ctx, "huyen", 2024, domain.TargetPlan, 12, nil)
	setTarget(t, svc, ctx, "xa-a", 2024, domain.TargetPlan, 6, nil)
	setTarget(t, svc, ctx, "xa-b", 2024, domain.TargetPlan, 6, nil)
	// Grandchildren and other years do not enter the sums.
	setTarget(t, svc, ctx, "cb", 2024, domain.TargetQuota, 100, nil)
	setTarget(t, svc, ctx, "xa-c", 2023, domain.TargetQuota, 100, nil)

	sheet, err := svc.Targets(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Children) != 3 {
		t.Errorf("children %d; want xa-a, xa-b, xa-c", len(sheet.Children))
	}
	// Quota 10 vs 4 + 5 = 9 (xa-c has none): short by 1.
	if sheet.QuotaSum != 9 || sheet.QuotaGap == nil || *sheet.QuotaGap != 1 {
		t.Errorf("quota sum %d gap %v; want 9, 1", sheet.QuotaSum, sheet.QuotaGap)
	}
	// Plan 12 vs 6 + 6: adds up, no gap.
	if sheet.PlanSum != 12 || sheet.PlanGap != nil {
		t.Errorf("plan sum %d gap %v; want 12, none", sheet.PlanSum, sheet.PlanGap)
	}
	// Over-allocation is a negative gap.
	setTarget(t, svc, ctx, "xa-c", 2024, domain.TargetQuota, 3, nil)
	sheet, _ = svc.Targets(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024})
	if sheet.QuotaSum != 12 || sheet.QuotaGap == nil || *sheet.QuotaGap != -2 {
		t.Errorf("after xa-c's 3: sum %d gap %v; want 12, -2", sheet.QuotaSum, sheet.QuotaGap)
	}
	// xa-a: quota 4 against its chapter's 100 → −96; no child has a plan,
	// so there is no plan gap to show.
	sheet, _ = svc.Targets(ctx, service.ReportQuery{OrgCode: "xa-a", Year: 2024})
	if sheet.QuotaGap == nil || *sheet.QuotaGap != -96 || sheet.PlanGap != nil {
		t.Errorf("xa-a: quota gap %v plan gap %v; want -96, none", sheet.QuotaGap, sheet.PlanGap)
	}
	// A unit without its own quota has nothing to compare with.
	sheet, _ = svc.Targets(ctx, service.ReportQuery{OrgCode: "xa-c", Year: 2024})
	if sheet.QuotaGap != nil {
		t.Errorf("xa-c quota gap %v; want none", *sheet.QuotaGap)
	}
	// And the progress roll-up agrees on what the children add up to.
	pr := prog(t, svc, ctx, "huyen", 2024, day(2024, 6, 1))
	if pr.ChildQuotaSum == nil || *pr.ChildQuotaSum != 12 || pr.Quota == nil || *pr.Quota != 10 {
		t.Errorf("progress child quota sum %v quota %v; want 12, 10", pr.ChildQuotaSum, pr.Quota)
	}
}
