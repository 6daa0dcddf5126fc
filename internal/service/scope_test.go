package service_test

import (
	"context"
	"slices"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// scopeWorld: a district with two communes, one chapter each, and people in
// both chapters. DOMAIN §1: "Every user is bound to an organization subtree
// and sees and changes nothing outside it."
//
//	huyen
//	├── xa-a ── cb-a   Nguyễn Văn An, Trần Thị Bích
//	└── xa-b ── cb-b   Lê Văn Cường (search target "cuong"), Nguyễn Văn Bảo
type scopeWorld struct {
	svc        *service.Service
	sys        context.Context
	personA    *domain.Person
	personB    *domain.Person
	secretaryA context.Context
}

func newScopeWorld(t *testing.T) *scopeWorld {
	t.Helper()
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã A", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "xa-b", "Đảng bộ xã B", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "cb-a", "Chi bộ thôn A", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "cb-b", "Chi bộ thôn B", domain.KindChapter, "xa-b")
	w := &scopeWorld{svc: svc, sys: ctx}
	w.personA = mkPerson(t, svc, ctx, "cb-a", "Nguyễn Văn An")
	mkPerson(t, svc, ctx, "cb-a", "Trần Thị Bích")
	w.personB = mkPerson(t, svc, ctx, "cb-b", "Lê Văn Cường")
	mkPerson(t, svc, ctx, "cb-b", "Nguyễn Văn Bảo")
	_, w.secretaryA = mkUser(t, svc, ctx, "bithu-a", domain.RoleSecretary, "cb-a")
	return w
}

func TestSecretaryScope(t *testing.T) {
	w := newScopeWorld(t)
	svc, ctx := w.svc, w.secretaryA

	// Own chapter: allowed.
	if _, err := svc.Org(ctx, "cb-a"); err != nil {
		t.Errorf("Org(cb-a): %v", err)
	}
	if _, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "cb-a", Year: 2024, AsOf: day(2024, 6, 1)}); err != nil {
		t.Errorf("Progress(cb-a): %v", err)
	}
	if _, err := svc.Person(ctx, w.personA.ID, false); err != nil {
		t.Errorf("Person(A): %v", err)
	}

	// Another chapter, and the units above: forbidden.
	for _, code := range []string{"cb-b", "xa-b", "xa-a", "huyen"} {
		_, err := svc.Org(ctx, code)
		wantErr(t, err, domain.EForbidden)
		_, err = svc.Progress(ctx, service.ReportQuery{OrgCode: code, Year: 2024, AsOf: day(2024, 6, 1)})
		wantErr(t, err, domain.EForbidden)
		_, err = svc.People(ctx, service.PeopleQuery{OrgCode: code})
		wantErr(t, err, domain.EForbidden)
	}
	_, err := svc.Person(ctx, w.personB.ID, false)
	wantErr(t, err, domain.EForbidden)
	_, err = svc.Person(ctx, w.personB.ID, true)
	wantErr(t, err, domain.EForbidden)

	// People without an org: only chapter A's, also when searching for B's
	// person by name, and the totals exclude B.
	for _, q := range []service.PeopleQuery{{}, {Query: "nguyen van"}, {Query: "cuong"}, {Query: "Lê Văn Cường"}, {PerPage: 1}} {
		page, err := svc.People(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.People {
			if p.ID == w.personB.ID || p.FullName == "Nguyễn Văn Bảo" {
				t.Errorf("query %+v returned %s of chapter B", q, p.FullName)
			}
		}
		var want int
		switch q.Query {
		case "":
			want = 2 // An and Bích
		case "nguyen van":
			want = 1 // An, not Bảo
		default:
			want = 0
		}
		if page.Total != want {
			t.Errorf("query %+v: total %d; want %d (B's people excluded)", q, page.Total, want)
		}
	}
	// The same search as the district's admin finds B's person: the
	// secretary's empty result is the scope, not a broken search.
	page, err := svc.People(w.sys, service.PeopleQuery{Query: "cuong"})
	if err != nil || page.Total != 1 {
		t.Errorf("admin search cuong: %v, %v", page, err)
	}

	// Writes outside: refused, and nothing is stored.
	before := countTable(t, svc, "people")
	_, err = svc.CreatePerson(ctx, personIn("cb-b", "Phạm Văn Ngoài"))
	wantErr(t, err, domain.EForbidden)
	_, err = svc.UpdatePerson(ctx, w.personB.ID, personIn("cb-b", "Lê Văn Cường Sửa"))
	wantErr(t, err, domain.EForbidden)
	_, err = svc.RecordMembership(ctx, w.personB.ID, service.MembershipInput{DecisionNo: "1-QĐ", DecisionDate: day(2024, 5, 1)})
	wantErr(t, err, domain.EForbidden)
	// Moving one's own person into B is refused too.
	_, err = svc.UpdatePerson(ctx, w.personA.ID, personIn("cb-b", "Nguyễn Văn An"))
	wantErr(t, err, domain.EForbidden)
	if n := countTable(t, svc, "people"); n != before {
		t.Errorf("people %d → %d after refused writes", before, n)
	}
	if n := countTable(t, svc, "memberships"); n != 0 {
		t.Errorf("%d memberships after a refused admission", n)
	}
	got, _ := svc.Person(w.sys, w.personB.ID, false)
	if got.FullName != "Lê Văn Cường" {
		t.Errorf("B's person renamed to %q", got.FullName)
	}

	// A secretary writes people, not the tree nor the targets.
	_, err = svc.CreateOrg(ctx, service.OrgInput{Code: "to-1", Name: "Tổ đảng 1", Kind: domain.KindChapter, Sector: "commune", ParentCode: "cb-a", ValidFrom: day(2024, 1, 1)})
	wantErr(t, err, domain.EForbidden)
	err = svc.SetTarget(ctx, service.TargetInput{OrgCode: "cb-a", Year: 2024, Kind: domain.TargetPlan, Value: intp(2)})
	wantErr(t, err, domain.EForbidden)
	// But people in their own chapter, yes.
	if _, err := svc.CreatePerson(ctx, personIn("cb-a", "Võ Thị Duyên")); err != nil {
		t.Errorf("secretary creating in own chapter: %v", err)
	}
}

func TestViewerCannotWrite(t *testing.T) {
	w := newScopeWorld(t)
	_, ctx := mkUser(t, w.svc, w.sys, "lanhdao", domain.RoleViewer, "huyen")
	// A viewer reads the whole district…
	page, err := w.svc.People(ctx, service.PeopleQuery{})
	if err != nil || page.Total != 4 {
		t.Fatalf("viewer People: %v, %v; want 4", page, err)
	}
	if _, err := w.svc.Progress(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024, AsOf: day(2024, 6, 1)}); err != nil {
		t.Errorf("viewer Progress: %v", err)
	}
	// …and changes nothing.
	_, err = w.svc.CreatePerson(ctx, personIn("cb-a", "Phạm Văn Xem"))
	wantErr(t, err, domain.EForbidden)
	_, err = w.svc.UpdatePerson(ctx, w.personA.ID, personIn("cb-a", "Nguyễn Văn An"))
	wantErr(t, err, domain.EForbidden)
	err = w.svc.SetTarget(ctx, service.TargetInput{OrgCode: "xa-a", Year: 2024, Kind: domain.TargetQuota, Value: intp(2)})
	wantErr(t, err, domain.EForbidden)
	_, err = w.svc.CreateUser(ctx, service.NewUser{Username: "moi", Role: domain.RoleViewer, OrgCode: "xa-a", Password: "mật khẩu dài"})
	wantErr(t, err, domain.EForbidden)
	if n := countTable(t, w.svc, "people"); n != 4 {
		t.Errorf("people = %d after a viewer's refused create", n)
	}
}

// DOMAIN §4: the quota is "assigned from above"; the unit sets its own plan.
func TestOrganizerOfCommune(t *testing.T) {
	w := newScopeWorld(t)
	svc := w.svc
	_, ctx := mkUser(t, svc, w.sys, "tochuc-a", domain.RoleOrganizer, "xa-a")

	// A child unit under its own commune.
	o, err := svc.CreateOrg(ctx, service.OrgInput{Code: "cb-a2", Name: "Chi bộ thôn A2", Kind: domain.KindChapter,
		Sector: "commune", ParentCode: "xa-a", ValidFrom: day(2024, 1, 1)})
	if err != nil {
		t.Fatalf("organizer CreateOrg under own commune: %v", err)
	}
	if o.Path == "" || o.ParentID == 0 {
		t.Errorf("created org %+v", o)
	}
	// Not under the neighbour, not a new root.
	_, err = svc.CreateOrg(ctx, service.OrgInput{Code: "cb-b2", Name: "Chi bộ thôn B2", Kind: domain.KindChapter,
		Sector: "commune", ParentCode: "xa-b", ValidFrom: day(2024, 1, 1)})
	wantErr(t, err, domain.EForbidden)
	_, err = svc.CreateOrg(ctx, service.OrgInput{Code: "tinh", Name: "Đảng bộ tỉnh", Kind: domain.KindProvince,
		Sector: "commune", ValidFrom: day(2024, 1, 1)})
	wantErr(t, err, domain.EForbidden)
	// A child cannot open before its parent.
	_, err = svc.CreateOrg(ctx, service.OrgInput{Code: "cb-a3", Name: "Chi bộ thôn A3", Kind: domain.KindChapter,
		Sector: "commune", ParentCode: "xa-a", ValidFrom: day(2019, 1, 1)})
	e := wantErr(t, err, domain.EInvalid)
	if e.Field != "valid_from" {
		t.Errorf("field %q; want valid_from", e.Field)
	}

	// Targets for the children: quota and plan.
	for _, code := range []string{"cb-a", "cb-a2"} {
		for _, kind := range []string{domain.TargetQuota, domain.TargetPlan} {
			if err := svc.SetTarget(ctx, service.TargetInput{OrgCode: code, Year: 2024, Kind: kind, Value: intp(2)}); err != nil {
				t.Errorf("SetTarget(%s, %s): %v", code, kind, err)
			}
		}
	}
	// Its own plan, yes; its own quota, no (neither set nor removed).
	if err := svc.SetTarget(ctx, service.TargetInput{OrgCode: "xa-a", Year: 2024, Kind: domain.TargetPlan, Value: intp(5)}); err != nil {
		t.Errorf("own plan: %v", err)
	}
	err = svc.SetTarget(ctx, service.TargetInput{OrgCode: "xa-a", Year: 2024, Kind: domain.TargetQuota, Value: intp(5)})
	wantErr(t, err, domain.EForbidden)
	setTarget(t, svc, w.sys, "xa-a", 2024, domain.TargetQuota, 4, nil) // the district sets it
	err = svc.SetTarget(ctx, service.TargetInput{OrgCode: "xa-a", Year: 2024, Kind: domain.TargetQuota, Value: nil})
	wantErr(t, err, domain.EForbidden)
	// Nor anything of the neighbour.
	err = svc.SetTarget(ctx, service.TargetInput{OrgCode: "cb-b", Year: 2024, Kind: domain.TargetPlan, Value: intp(1)})
	wantErr(t, err, domain.EForbidden)

	sheet, err := svc.Targets(w.sys, service.ReportQuery{OrgCode: "xa-a", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Unit.Quota == nil || sheet.Unit.Quota.Value != 4 || sheet.Unit.Plan == nil || sheet.Unit.Plan.Value != 5 {
		t.Errorf("xa-a own targets: %+v / %+v; want quota 4 (district's), plan 5", sheet.Unit.Quota, sheet.Unit.Plan)
	}
	if sheet.QuotaSum != 4 || sheet.PlanSum != 4 || sheet.QuotaGap != nil {
		t.Errorf("children sums: quota %d plan %d gap %v; want 4, 4, none", sheet.QuotaSum, sheet.PlanSum, sheet.QuotaGap)
	}
	// Plan 5 vs children's 2 + 2 = 4: a gap of +1.
	if sheet.PlanGap == nil || *sheet.PlanGap != 1 {
		t.Errorf("plan gap %v; want 1", sheet.PlanGap)
	}
}

func TestNoUserIsUnauthorized(t *testing.T) {
	w := newScopeWorld(t)
	svc := w.svc
	for _, ctx := range []context.Context{
		t.Context(), // nobody
		service.WithUser(t.Context(), &domain.User{ID: 99, Username: "khoa", Role: domain.RoleAdmin, Active: false}), // locked
	} {
		_, err := svc.Org(ctx, "cb-a")
		wantErr(t, err, domain.EUnauthorized)
		_, err = svc.Progress(ctx, service.ReportQuery{OrgCode: "cb-a", Year: 2024, AsOf: day(2024, 6, 1)})
		wantErr(t, err, domain.EUnauthorized)
		_, err = svc.People(ctx, service.PeopleQuery{})
		wantErr(t, err, domain.EUnauthorized)
		_, err = svc.Person(ctx, w.personA.ID, false)
		wantErr(t, err, domain.EUnauthorized)
		_, err = svc.CreatePerson(ctx, personIn("cb-a", "Phạm Văn Lạ"))
		wantErr(t, err, domain.EUnauthorized)
		_, err = svc.CreateOrg(ctx, service.OrgInput{Code: "x", Name: "X", Kind: domain.KindChapter, Sector: "commune", ValidFrom: day(2024, 1, 1)})
		wantErr(t, err, domain.EUnauthorized)
		err = svc.SetTarget(ctx, service.TargetInput{OrgCode: "cb-a", Year: 2024, Kind: domain.TargetPlan, Value: intp(1)})
		wantErr(t, err, domain.EUnauthorized)
		_, _, err = svc.CreateToken(ctx, service.TokenInput{Username: "bithu-a", Name: "x"})
		wantErr(t, err, domain.EUnauthorized)
	}
	if n := countTable(t, svc, "people"); n != 4 {
		t.Errorf("people = %d", n)
	}
}

// A whole-system admin sees every unit; the list is in Vietnamese name order.
func TestAdminSeesAllInNameOrder(t *testing.T) {
	w := newScopeWorld(t)
	page, err := w.svc.People(w.sys, service.PeopleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range page.People {
		got = append(got, p.FullName)
	}
	// Given names An < Bảo < Bích < Cường (a < ă < â; "bao" < "bich").
	want := []string{"Nguyễn Văn An", "Nguyễn Văn Bảo", "Trần Thị Bích", "Lê Văn Cường"}
	if !slices.Equal(got, want) || page.Total != 4 {
		t.Errorf("People = %q (total %d); want %q", got, page.Total, want)
	}
	// Paging: 3 per page gives 2 pages.
	page, _ = w.svc.People(w.sys, service.PeopleQuery{PerPage: 3, Page: 2})
	if page.Total != 4 || len(page.People) != 1 || page.People[0].FullName != "Lê Văn Cường" || page.Pages() != 2 {
		t.Errorf("page 2 of 3: %d people, total %d, pages %d", len(page.People), page.Total, page.Pages())
	}
	// Direct: only the people of exactly that unit.
	page, _ = w.svc.People(w.sys, service.PeopleQuery{OrgCode: "xa-a"})
	direct, _ := w.svc.People(w.sys, service.PeopleQuery{OrgCode: "xa-a", Direct: true})
	if page.Total != 2 || direct.Total != 0 {
		t.Errorf("xa-a subtree %d, direct %d; want 2, 0", page.Total, direct.Total)
	}
	_, err = w.svc.People(w.sys, service.PeopleQuery{Stages: []string{"bogus"}})
	wantErr(t, err, domain.EInvalid)
}
