package service_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// leaks are the names and codes of commune B's side of the scope world
// (and the class there): no refusal to commune A's organizer may name them.
var leaks = []string{"Lê Văn Cường", "Nguyễn Văn Bảo", "xã B", "thôn B", "xa-b", "cb-b", "LOP-B"}

// auditTotal is how many audit records there are: a refusal writes none.
func auditTotal(t *testing.T, svc *service.Service, sys context.Context) int {
	t.Helper()
	p, err := svc.Audit(sys, service.AuditQuery{PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

// sameRefusal fails unless out (naming something of commune B) and unknown
// (naming nothing that exists) are the one out-of-scope answer: 403, the
// same field and message, naming nobody.
func sameRefusal(t *testing.T, name string, out, unknown error) {
	t.Helper()
	a := wantErr(t, out, domain.EForbidden)
	b := wantErr(t, unknown, domain.EForbidden)
	if !reflect.DeepEqual(*a, *b) {
		t.Errorf("%s: outside the scope %+v; unknown %+v", name, *a, *b)
	}
	if !strings.HasPrefix(a.Message, "Không truy cập được") {
		t.Errorf("%s: message %q", name, a.Message)
	}
	for _, l := range leaks {
		if strings.Contains(a.Message, l) {
			t.Errorf("%s: the message names %q: %s", name, l, a.Message)
		}
	}
}

// Issue 13: an organizer of commune A naming, in a request, anything of
// commune B (a unit, a person, a case, a class) gets the same answer as
// for an id or code that does not exist, and nothing is written.
func TestScopeOnWrites(t *testing.T) {
	w := newScopeWorld(t)
	svc, sys := w.svc, w.sys
	_, orgA := mkUser(t, svc, sys, "tochuc-a", domain.RoleOrganizer, "xa-a")
	const none = 987654 // an id nothing has
	classA, err := svc.CreateClass(orgA, service.ClassInput{Code: "LOP-A", Name: "Lớp xã A", Programme: domain.ProgAwareness, OrgCode: "xa-a",
		StartDate: day(2024, 7, 1), Sessions: 2, UnitCodes: []string{"cb-a"}})
	if err != nil {
		t.Fatal(err)
	}
	classB, err := svc.CreateClass(sys, service.ClassInput{Code: "LOP-B", Name: "Lớp xã B", Programme: domain.ProgAwareness, OrgCode: "xa-b",
		StartDate: day(2024, 7, 1), Sessions: 2, UnitCodes: []string{"cb-b"}})
	if err != nil {
		t.Fatal(err)
	}
	caseA, err := svc.OpenCase(orgA, service.OpenCaseInput{PersonID: w.personA.ID})
	if err != nil {
		t.Fatal(err)
	}
	caseB, err := svc.OpenCase(sys, service.OpenCaseInput{PersonID: w.personB.ID})
	if err != nil {
		t.Fatal(err)
	}
	free := mkPerson(t, svc, sys, "cb-a", "Đỗ Văn Mở") // no case
	before := auditTotal(t, svc, sys)

	type pair struct {
		name string
		try  func(id int64, code string) error
	}
	person := func(org string) service.PersonInput { return personIn(org, "Phạm Văn Mới") }
	for _, p := range []pair{
		{"class owner", func(_ int64, code string) error {
			_, err := svc.CreateClass(orgA, service.ClassInput{Code: "LOP-X", Name: "Lớp", Programme: domain.ProgAwareness, OrgCode: code,
				StartDate: day(2024, 7, 1), Sessions: 2})
			return err
		}},
		{"class units", func(_ int64, code string) error {
			_, err := svc.CreateClass(orgA, service.ClassInput{Code: "LOP-X", Name: "Lớp", Programme: domain.ProgAwareness, OrgCode: "xa-a",
				StartDate: day(2024, 7, 1), Sessions: 2, UnitCodes: []string{"cb-a", code}})
			return err
		}},
		{"class units above the scope", func(_ int64, code string) error {
			if code == "xa-b" {
				code = "huyen" // the whole district
			}
			_, err := svc.CreateClass(orgA, service.ClassInput{Code: "LOP-X", Name: "Lớp", Programme: domain.ProgAwareness, OrgCode: "xa-a",
				StartDate: day(2024, 7, 1), Sessions: 2, UnitCodes: []string{code}})
			return err
		}},
		{"class units on edit", func(_ int64, code string) error {
			_, err := svc.UpdateClass(orgA, classA.ID, service.ClassInput{Name: "Lớp xã A", Programme: domain.ProgAwareness,
				StartDate: day(2024, 7, 1), Sessions: 2, UnitCodes: []string{code}, Version: classA.Version})
			return err
		}},
		{"enrolled person", func(id int64, _ string) error {
			_, err := svc.Enrol(orgA, classA.ID, []int64{w.personA.ID, id}, "")
			return err
		}},
		{"enrolled chapter", func(_ int64, code string) error {
			_, err := svc.Enrol(orgA, classA.ID, nil, code)
			return err
		}},
		{"new person's unit", func(_ int64, code string) error { _, err := svc.CreatePerson(orgA, person(code)); return err }},
		{"person edited", func(id int64, _ string) error { _, err := svc.UpdatePerson(orgA, id, person("cb-a")); return err }},
		{"case opened", func(id int64, _ string) error {
			_, err := svc.OpenCase(orgA, service.OpenCaseInput{PersonID: id})
			return err
		}},
		{"helper at opening", func(id int64, _ string) error {
			_, err := svc.OpenCase(orgA, service.OpenCaseInput{PersonID: free.ID, HelperID: id})
			return err
		}},
		{"helper", func(id int64, _ string) error {
			_, err := svc.AssignHelper(orgA, caseA.ID, service.HelperInput{PersonID: id, Version: caseA.Version})
			return err
		}},
		{"introducer", func(id int64, _ string) error {
			_, err := svc.AddIntroducer(orgA, caseA.ID, service.IntroducerInput{PersonID: id, MonthsTogether: 12, Version: caseA.Version})
			return err
		}},
		{"transfer target", func(_ int64, code string) error {
			_, err := svc.TransferCase(orgA, caseA.ID, service.TransferInput{ToOrgCode: code, Date: day(2024, 5, 1), Version: caseA.Version})
			return err
		}},
		{"case step", func(id int64, _ string) error {
			if id != none {
				id = caseB.ID
			}
			_, err := svc.AssignHelper(orgA, id, service.HelperInput{PersonID: w.personA.ID, Version: caseB.Version})
			return err
		}},
		{"admission from paper", func(id int64, _ string) error {
			_, err := svc.RecordMembership(orgA, id, service.MembershipInput{DecisionNo: "1-QĐ", DecisionDate: day(2024, 1, 1)})
			return err
		}},
		{"admitted unit", func(_ int64, code string) error {
			_, err := svc.RecordMembership(orgA, free.ID, service.MembershipInput{DecisionNo: "1-QĐ", DecisionDate: day(2024, 1, 1), AdmittedOrgCode: code})
			return err
		}},
		{"deciding body", func(_ int64, code string) error {
			_, err := svc.RecordMembership(orgA, free.ID, service.MembershipInput{DecisionNo: "1-QĐ", DecisionDate: day(2024, 1, 1), DecidedByCode: code})
			return err
		}},
		{"parent", func(_ int64, code string) error {
			_, err := svc.CreateOrg(orgA, service.OrgInput{Code: "cb-moi", Name: "Chi bộ mới", Kind: domain.KindChapter, Sector: "commune",
				ParentCode: code, ValidFrom: day(2024, 1, 1)})
			return err
		}},
		{"successor", func(_ int64, code string) error {
			o, err := svc.Org(orgA, "cb-a")
			if err != nil {
				return err
			}
			_, err = svc.UpdateOrg(orgA, "cb-a", service.OrgInput{Name: o.Name, Kind: o.Kind, Sector: o.Sector, ValidFrom: o.ValidFrom,
				ValidTo: dayp(2024, 5, 1), Successor: code, Version: o.Version})
			return err
		}},
		{"authority's unit", func(_ int64, code string) error {
			if code == "xa-b" {
				code = "cb-b"
			}
			return svc.SetAuthority(orgA, code, domain.Authority{ValidFrom: day(2024, 7, 1)}, "huyen", "")
		}},
		{"authority's decider", func(_ int64, code string) error {
			return svc.SetAuthority(orgA, "cb-a", domain.Authority{ValidFrom: day(2024, 7, 1)}, code, "")
		}},
		{"residential unit's commune", func(_ int64, code string) error {
			_, err := svc.AddResidentialUnit(orgA, code, domain.ResidentialUnit{Code: "thon-moi", Name: "Thôn Mới", Kind: "thon"}, "")
			return err
		}},
		{"residential unit's chapter", func(_ int64, code string) error {
			if code == "xa-b" {
				code = "cb-b"
			}
			_, err := svc.AddResidentialUnit(orgA, "xa-a", domain.ResidentialUnit{Code: "thon-moi", Name: "Thôn Mới", Kind: "thon"}, code)
			return err
		}},
		{"target", func(_ int64, code string) error {
			v := 3
			return svc.SetTarget(orgA, service.TargetInput{OrgCode: code, Year: 2024, Kind: domain.TargetPlan, Value: &v})
		}},
		{"class edited", func(id int64, _ string) error {
			if id != none {
				id = classB.ID
			}
			_, err := svc.UpdateClass(orgA, id, service.ClassInput{Name: "Lớp", Programme: domain.ProgAwareness, StartDate: day(2024, 7, 1), Sessions: 2})
			return err
		}},
		{"learner withdrawn", func(id int64, _ string) error { return svc.Withdraw(orgA, id, 1) }},
	} {
		id, code := w.personB.ID, "xa-b"
		out := p.try(id, code)
		unknown := p.try(none, "khong-co")
		if p.name == "learner withdrawn" {
			continue // checked below with a learner of class B
		}
		sameRefusal(t, p.name, out, unknown)
	}
	if after := auditTotal(t, svc, sys); after != before {
		t.Errorf("refusals wrote %d audit records", after-before)
	}

	// class B's learner, withdrawn by commune A's organizer
	ls, err := svc.Enrol(sys, classB.ID, []int64{w.personB.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	before = auditTotal(t, svc, sys)
	sameRefusal(t, "learner withdrawn", svc.Withdraw(orgA, ls[0].ID, ls[0].Version), svc.Withdraw(orgA, none, 1))
	_, errOut := svc.RecordRetake(orgA, ls[0].ID, day(2024, 5, 1), intp(800), intp(800), ls[0].Version)
	_, errNone := svc.RecordRetake(orgA, none, day(2024, 5, 1), intp(800), intp(800), 1)
	sameRefusal(t, "retake", errOut, errNone)
	if after := auditTotal(t, svc, sys); after != before {
		t.Errorf("refusals wrote %d audit records", after-before)
	}
	if _, err := svc.ClassID(sys, "LOP-X"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("a refused class was created: %v", err)
	}
	if p, err := svc.Person(sys, w.personB.ID, false); err != nil || p.FullName != "Lê Văn Cường" {
		t.Errorf("person B: %+v %v", p, err)
	}
}

// Reads by id or code: unknown and outside the scope are the same answer
// for a user bound to a unit; a system admin gets 404 for an unknown id.
func TestScopeOnReads(t *testing.T) {
	w := newScopeWorld(t)
	svc, sys := w.svc, w.sys
	_, orgA := mkUser(t, svc, sys, "tochuc-a", domain.RoleOrganizer, "xa-a")
	const none = 987654
	classB, err := svc.CreateClass(sys, service.ClassInput{Code: "LOP-B", Name: "Lớp xã B", Programme: domain.ProgAwareness, OrgCode: "xa-b",
		StartDate: day(2024, 7, 1), Sessions: 2, UnitCodes: []string{"cb-b"}})
	if err != nil {
		t.Fatal(err)
	}
	caseB, err := svc.OpenCase(sys, service.OpenCaseInput{PersonID: w.personB.ID})
	if err != nil {
		t.Fatal(err)
	}
	errOf := func(_ any, err error) error { return err }
	for _, r := range []struct {
		name          string
		out, unknown  error
		adminNotFound error
	}{
		{"person", errOf(svc.Person(orgA, w.personB.ID, false)), errOf(svc.Person(orgA, none, false)), errOf(svc.Person(sys, none, false))},
		{"unit", errOf(svc.Org(orgA, "xa-b")), errOf(svc.Org(orgA, "khong-co")), errOf(svc.Org(sys, "khong-co"))},
		{"case", errOf(svc.Case(orgA, caseB.ID)), errOf(svc.Case(orgA, none)), errOf(svc.Case(sys, none))},
		{"class", errOf(svc.Class(orgA, classB.ID)), errOf(svc.Class(orgA, none)), errOf(svc.Class(sys, none))},
		{"class code", errOf(svc.ClassID(orgA, "LOP-B")), errOf(svc.ClassID(orgA, "khong-co")), errOf(svc.ClassID(sys, "khong-co"))},
		{"person's cases", errOf(svc.PersonCases(orgA, w.personB.ID)), errOf(svc.PersonCases(orgA, none)), errOf(svc.PersonCases(sys, none))},
		{"person's certificates", errOf(svc.PersonCertificates(orgA, w.personB.ID)), errOf(svc.PersonCertificates(orgA, none)), errOf(svc.PersonCertificates(sys, none))},
		// no certificate has the id: the same answer as a person outside
		{"certificate", errOf(svc.Person(orgA, w.personB.ID, false)), errOf(svc.Certificate(orgA, none)), errOf(svc.Certificate(sys, none))},
		{"case file", errOf(svc.CaseFile(orgA, caseB.ID, 1)), errOf(svc.CaseFile(orgA, none, 1)), errOf(svc.CaseFile(sys, none, 1))},
	} {
		sameRefusal(t, r.name, r.out, r.unknown)
		wantErr(t, r.adminNotFound, domain.ENotFound)
	}
}

// Issue 13: only the level above a unit records its admission authority,
// from today on; an earlier day only by a system admin giving a reason,
// which the audit record keeps.
func TestAuthorityFromAbove(t *testing.T) {
	w := newScopeWorld(t)
	svc, sys := w.svc, w.sys
	_, orgA := mkUser(t, svc, sys, "tochuc-a", domain.RoleOrganizer, "xa-a")
	_, district := mkUser(t, svc, sys, "tochuc-huyen", domain.RoleOrganizer, "huyen")
	today := domain.Today(svc.Now)
	yesterday := today.AddDate(0, 0, -1)

	// the unit's own organizer: refused, nothing written
	e := wantErr(t, svc.SetAuthority(orgA, "xa-a", domain.Authority{ValidFrom: today, GrassrootsLevel: true}, "huyen", ""), domain.EForbidden)
	if !strings.Contains(e.Message, "cấp ủy cấp trên") {
		t.Errorf("own unit: %q", e.Message)
	}
	if a, err := svc.Authorities(sys, "xa-a"); err != nil || len(a) != 0 {
		t.Fatalf("own unit wrote %+v %v", a, err)
	}
	// the level above: recorded, from today
	if err := svc.SetAuthority(district, "xa-a", domain.Authority{ValidFrom: today, GrassrootsLevel: true}, "huyen", ""); err != nil {
		t.Fatalf("the district: %v", err)
	}
	// the commune for its chapter (its own unit deciding, and the
	// district above its scope)
	if err := svc.SetAuthority(orgA, "cb-a", domain.Authority{ValidFrom: today}, "xa-a", ""); err != nil {
		t.Errorf("the commune for its chapter: %v", err)
	}
	if err := svc.SetAuthority(orgA, "cb-a", domain.Authority{ValidFrom: today.AddDate(0, 0, 1)}, "huyen", ""); err != nil {
		t.Errorf("the commune for its chapter, the district deciding: %v", err)
	}
	// ... but not authorise itself
	e = wantErr(t, svc.SetAuthority(orgA, "cb-a", domain.Authority{ValidFrom: today, Authorised: true}, "xa-a", ""), domain.EInvalid)
	if e.Field != "authorised" {
		t.Errorf("self-authorised: %+v", e)
	}
	// backdated: refused to an organizer, with or without a reason
	for _, reason := range []string{"", "nhập bù"} {
		e = wantErr(t, svc.SetAuthority(district, "xa-b", domain.Authority{ValidFrom: yesterday}, "huyen", reason), domain.EInvalid)
		if e.Field != "valid_from" || !strings.Contains(e.Message, "quản trị hệ thống") {
			t.Errorf("backdated by the district (%q): %+v", reason, e)
		}
	}
	// a system admin: only with a reason, kept in the audit record
	e = wantErr(t, svc.SetAuthority(sys, "xa-b", domain.Authority{ValidFrom: yesterday}, "huyen", " "), domain.EInvalid)
	if e.Field != "reason" {
		t.Errorf("backdated by the admin without a reason: %+v", e)
	}
	if a, err := svc.Authorities(sys, "xa-b"); err != nil || len(a) != 0 {
		t.Fatalf("refusals wrote %+v %v", a, err)
	}
	const why = "Ghi bổ sung theo Quyết định 12-QĐ/HU ngày 31/5/2024"
	if err := svc.SetAuthority(sys, "xa-b", domain.Authority{ValidFrom: yesterday}, "huyen", why); err != nil {
		t.Fatalf("backdated by the admin with a reason: %v", err)
	}
	if a, err := svc.Authorities(sys, "xa-b"); err != nil || len(a) != 1 || !a[0].ValidFrom.Equal(yesterday) {
		t.Fatalf("authorities of xa-b: %+v %v", a, err)
	}
	xb, _ := svc.Org(sys, "xa-b")
	p, err := svc.Audit(sys, service.AuditQuery{Entity: "org", EntityID: xb.ID})
	if err != nil || len(p.Entries) == 0 || p.Entries[0].Action != "authority" || !strings.Contains(p.Entries[0].Detail, why) {
		t.Errorf("audit of the backdated authority: %+v %v", p, err)
	}
}
