package service_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// reportWorld is a district under a province with two chapters, the
// district's 2023 and 2024 quotas, admissions on both sides of the demo
// dates used below, a source waiting since 2023 and a secretary of chapter A.
func reportWorld(t *testing.T) (*service.Service, context.Context, context.Context) {
	t.Helper()
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "tinh", "Đảng bộ tỉnh", domain.KindProvince, "")
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "tinh")
	mkOrg(t, svc, ctx, "cb-a", "Chi bộ A", domain.KindGrassChapter, "huyen")
	mkOrg(t, svc, ctx, "cb-b", "Chi bộ B", domain.KindGrassChapter, "huyen")
	setTarget(t, svc, ctx, "huyen", 2023, domain.TargetQuota, 4, dayp(2023, 12, 31))
	setTarget(t, svc, ctx, "huyen", 2024, domain.TargetQuota, 6, dayp(2024, 9, 30))
	for _, d := range []time.Time{day(2023, 3, 1), day(2023, 11, 20), day(2024, 2, 10), day(2024, 5, 20)} {
		admitAt(t, svc, ctx, "cb-a", d)
	}
	admitAt(t, svc, ctx, "cb-b", day(2024, 4, 2))
	mkPerson(t, svc, ctx, "cb-b", "Trần Thị Nguồn")
	_, sec := mkUser(t, svc, ctx, "bithu.a", domain.RoleSecretary, "cb-a")
	return svc, ctx, sec
}

// resolved is what a report says it is about.
type resolved struct {
	Org  string
	Year int
	AsOf time.Time
}

// reportsOf runs every report use case on the query and returns what
// each resolved it to (lists have no year: 0).
func reportsOf(t *testing.T, svc *service.Service, ctx context.Context, q service.ReportQuery) map[string]resolved {
	t.Helper()
	out := map[string]resolved{}
	must := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s(%+v): %v", name, q, err)
		}
	}
	p, err := svc.Progress(ctx, q)
	must("Progress", err)
	out["progress"] = resolved{p.Org.Code, p.Year, p.AsOf}
	b, err := svc.Breakdowns(ctx, q)
	must("Breakdowns", err)
	out["breakdowns"] = resolved{b.Org.Code, b.Year, b.AsOf}
	f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: q})
	must("Funnel", err)
	out["funnel"] = resolved{f.Org.Code, f.Year, f.AsOf}
	c, err := svc.ClassReport(ctx, service.ClassReportQuery{ReportQuery: q})
	must("ClassReport", err)
	out["classes"] = resolved{c.Org.Code, c.Year, c.AsOf}
	ns, err := svc.SourcesNotSent(ctx, service.PoolQuery{ReportQuery: q})
	must("SourcesNotSent", err)
	out["not-sent"] = resolved{ns.Org.Code, 0, ns.AsOf}
	h, err := svc.AwarenessHolders(ctx, service.PoolQuery{ReportQuery: q})
	must("AwarenessHolders", err)
	out["holders"] = resolved{h.Org.Code, 0, h.AsOf}
	ts, err := svc.Targets(ctx, q)
	must("Targets", err)
	out["targets"] = resolved{ts.Unit.Org.Code, ts.Year, time.Time{}}
	return out
}

// wantResolved checks that every report resolved the query to org, year, asof.
func wantResolved(t *testing.T, got map[string]resolved, org string, year int, asof time.Time) {
	t.Helper()
	for name, r := range got {
		want := resolved{org, year, asof}
		switch name {
		case "not-sent", "holders":
			want.Year = 0
		case "targets":
			want.AsOf = time.Time{}
		}
		if r != want {
			t.Errorf("%s resolved to %+v; want %+v", name, r, want)
		}
	}
}

// ReportQuery's defaults (issue 10): every report resolves an omitted
// unit to the user's home, an omitted date to the date the pages open on
// (today, or the demo's date once the demo is marked) and an omitted year
// to that date's; the answer is the one the explicit query gives.
func TestReportQueryDefaults(t *testing.T) {
	svc, ctx, sec := reportWorld(t)
	today := day(2024, 6, 1) // the services' clock

	// No demo: today, and the system actor's home is the first root.
	wantResolved(t, reportsOf(t, svc, ctx, service.ReportQuery{}), "tinh", 2024, today)
	wantResolved(t, reportsOf(t, svc, sec, service.ReportQuery{}), "cb-a", 2024, today)
	// A date without a year: that date's year; a year without a date: today.
	wantResolved(t, reportsOf(t, svc, ctx, service.ReportQuery{OrgCode: "huyen", AsOf: day(2023, 12, 31)}), "huyen", 2023, day(2023, 12, 31))
	wantResolved(t, reportsOf(t, svc, ctx, service.ReportQuery{OrgCode: "huyen", Year: 2023}), "huyen", 2023, today)

	omitted, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "huyen"})
	if err != nil {
		t.Fatal(err)
	}
	explicit := prog(t, svc, ctx, "huyen", 2024, today)
	if !reflect.DeepEqual(omitted, explicit) || explicit.Admitted != 3 {
		t.Errorf("omitted: %+v\nexplicit: %+v", omitted.Result, explicit.Result)
	}

	// The demo stands on 31/12/2023: every omitted date and year follows it.
	demoDay := day(2023, 12, 31)
	if err := svc.MarkDemo(ctx, demoDay); err != nil {
		t.Fatal(err)
	}
	wantResolved(t, reportsOf(t, svc, ctx, service.ReportQuery{}), "tinh", 2023, demoDay)
	wantResolved(t, reportsOf(t, svc, sec, service.ReportQuery{}), "cb-a", 2023, demoDay)
	omitted, err = svc.Progress(ctx, service.ReportQuery{OrgCode: "huyen"})
	if err != nil {
		t.Fatal(err)
	}
	explicit = prog(t, svc, ctx, "huyen", 2023, demoDay)
	if !reflect.DeepEqual(omitted, explicit) || explicit.Admitted != 2 || explicit.Quota == nil || *explicit.Quota != 4 {
		t.Errorf("omitted in the demo: %+v\nexplicit: %+v", omitted.Result, explicit.Result)
	}
	f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "huyen"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.StaleDays != service.DefaultStaleDays || f.Forecast == nil || f.Forecast.Admitted != 2 || f.Unit.Counts["sources"] != 1 {
		t.Errorf("funnel in the demo: stale %d, forecast %+v, counts %v", f.StaleDays, f.Forecast, f.Unit.Counts)
	}
}

// ReportQuery's refusals: one message per parameter, the same from every
// report use case.
func TestReportQueryRefusals(t *testing.T) {
	svc, ctx, sec := reportWorld(t)
	uses := map[string]func(context.Context, service.ReportQuery) error{
		"progress": func(c context.Context, q service.ReportQuery) error { _, err := svc.Progress(c, q); return err },
		"breakdowns": func(c context.Context, q service.ReportQuery) error {
			_, err := svc.Breakdowns(c, q)
			return err
		},
		"funnel": func(c context.Context, q service.ReportQuery) error {
			_, err := svc.Funnel(c, service.FunnelQuery{ReportQuery: q})
			return err
		},
		"classes": func(c context.Context, q service.ReportQuery) error {
			_, err := svc.ClassReport(c, service.ClassReportQuery{ReportQuery: q})
			return err
		},
		"not-sent": func(c context.Context, q service.ReportQuery) error {
			_, err := svc.SourcesNotSent(c, service.PoolQuery{ReportQuery: q})
			return err
		},
		"holders": func(c context.Context, q service.ReportQuery) error {
			_, err := svc.AwarenessHolders(c, service.PoolQuery{ReportQuery: q})
			return err
		},
		"not-sent-by-unit": func(c context.Context, q service.ReportQuery) error {
			_, err := svc.SourcesNotSentByUnit(c, q, 0)
			return err
		},
		"targets": func(c context.Context, q service.ReportQuery) error { _, err := svc.Targets(c, q); return err },
	}
	tests := []struct {
		name        string
		ctx         context.Context
		q           service.ReportQuery
		code, field string
		msg         string
	}{
		{"year", ctx, service.ReportQuery{Year: 1800}, domain.EInvalid, "year", "Năm 1800 không hợp lệ"},
		{"asof", ctx, service.ReportQuery{AsOf: day(2300, 1, 1)}, domain.EInvalid, "asof",
			"Ngày tính đến 01/01/2300 không hợp lệ: cần từ năm 1930 đến năm 2200"},
		{"unknown unit", ctx, service.ReportQuery{OrgCode: "khong-co"}, domain.ENotFound, "", "Không tìm thấy tổ chức khong-co"},
		{"outside the scope", sec, service.ReportQuery{OrgCode: "cb-b"}, domain.EForbidden, "", ""},
		{"signed out", context.Background(), service.ReportQuery{OrgCode: "huyen"}, domain.EUnauthorized, "", "Bạn cần đăng nhập"},
	}
	for _, tc := range tests {
		for name, use := range uses {
			e := wantErr(t, use(tc.ctx, tc.q), tc.code)
			if e.Field != tc.field || tc.msg != "" && e.Message != tc.msg {
				t.Errorf("%s, %s: %s %q; want %s %q", tc.name, name, e.Field, e.Message, tc.field, tc.msg)
			}
		}
	}
	// The reports over the tree of the day refuse a unit not open on it;
	// the others (classes, lists, targets) report on it as before.
	for _, name := range []string{"progress", "breakdowns", "funnel"} {
		e := wantErr(t, uses[name](ctx, service.ReportQuery{OrgCode: "huyen", AsOf: day(2019, 12, 31)}), domain.EInvalid)
		if e.Field != "asof" || e.Message != "Ngày 31/12/2019 tổ chức Đảng bộ huyện chưa thành lập hoặc đã giải thể" {
			t.Errorf("%s before the founding: %s %q", name, e.Field, e.Message)
		}
	}
	for _, stale := range []int{-1, 3651} {
		_, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "huyen"}, StaleDays: stale})
		if e := wantErr(t, err, domain.EInvalid); e.Field != "stale_days" {
			t.Errorf("stale days %d: field %q", stale, e.Field)
		}
	}

	// No organization at all: no home unit, said so.
	empty, sys := newService(t)
	_, err := empty.Progress(sys, service.ReportQuery{})
	if e := wantErr(t, err, domain.ENotFound); e.Message != "Chưa có tổ chức nào. Hãy tạo tổ chức cấp trên cùng hoặc nạp dữ liệu mẫu (ketnap demo)." {
		t.Errorf("empty store: %q", e.Message)
	}
}
