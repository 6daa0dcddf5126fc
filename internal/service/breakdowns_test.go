package service_test

import (
	"fmt"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// breakdownWorld: a district with two communes; every admitted person's
// facts are chosen so that each count below is known.
//
//	huyen
//	├── xa-a ── cb-a (thôn 1's chapter), cb-thpt (Trường THPT A's chapter)
//	│           villages: Thôn 1 (chapter cb-a), Buôn Yếu (no chapter, nobody)
//	└── xa-b ── cb-b
func breakdownWorld(t *testing.T) (*service.Service, map[string]time.Time) {
	t.Helper()
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã A", domain.KindCommune, "huyen")
	mkOrg(t, svc, ctx, "xa-b", "Đảng bộ xã B", domain.KindCommune, "huyen")
	cbA := mkOrg(t, svc, ctx, "cb-a", "Chi bộ thôn 1", domain.KindChapter, "xa-a")
	thpt := mkOrg(t, svc, ctx, "cb-thpt", "Chi bộ Trường THPT A", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "cb-b", "Chi bộ thôn B", domain.KindChapter, "xa-b")
	xaA, err := svc.Org(ctx, "xa-a")
	if err != nil {
		t.Fatal(err)
	}
	thon := &domain.ResidentialUnit{Code: "thon-1", Name: "Thôn 1", Kind: "thon", CommuneID: xaA.ID, ChapterID: cbA.ID}
	weak := &domain.ResidentialUnit{Code: "buon-yeu", Name: "Buôn Yếu", Kind: "buon", CommuneID: xaA.ID}
	for _, u := range []*domain.ResidentialUnit{thon, weak} {
		if err := service.StoreOf(svc).CreateResidentialUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	sc := &domain.School{Code: "thpt-a", Name: "Trường THPT A", Level: "high_school", OrgID: thpt.ID, CommuneID: xaA.ID}
	if err := service.StoreOf(svc).CreateSchool(ctx, sc); err != nil {
		t.Fatal(err)
	}
	if err := service.StoreOf(svc).SetEnrolment(ctx, domain.Enrolment{SchoolID: sc.ID, SchoolYear: 2023, Students: 400}); err != nil {
		t.Fatal(err)
	}
	type admit struct {
		org, sex, eth, rel, edu, occ string
		youth                        bool
		born, decided                time.Time
		residence                    int64
	}
	list := []admit{
		// cb-a: a Kinh woman of 25, Youth Union, living in Thôn 1.
		{"cb-a", domain.Female, "Kinh", "none", "upper_secondary", "farmer", true, day(1999, 1, 10), day(2024, 2, 1), thon.ID},
		// cb-a: an Ê Đê Protestant man of 30 (his birthday not yet reached: 30, not 31).
		{"cb-a", domain.Male, "Ê Đê", "protestantism", "lower_secondary", "private_enterprise", false, day(1993, 6, 1), day(2024, 3, 1), thon.ID},
		// cb-thpt: two high-school students of 18, an Ê Đê girl and a Kinh boy.
		{"cb-thpt", domain.Female, "Ê Đê", "none", "upper_secondary", "student_high", true, day(2005, 9, 1), day(2024, 3, 20), 0},
		{"cb-thpt", domain.Male, "Kinh", "catholicism", "upper_secondary", "student_high", true, day(2006, 1, 2), day(2024, 4, 2), 0},
		// cb-b: a Tày university student of 22 and a Kinh man of 61.
		{"cb-b", domain.Female, "Tày", "buddhism", "higher", "student_univ", true, day(2002, 5, 5), day(2024, 4, 10), 0},
		{"cb-b", domain.Male, "Kinh", "none", "higher", "civil_servant", false, day(1962, 1, 1), day(2024, 4, 20), 0},
		// Outside the window: 2023, and after the as-of date.
		{"cb-b", domain.Female, "Kinh", "none", "higher", "teacher", false, day(1990, 1, 1), day(2023, 12, 31), 0},
		{"cb-a", domain.Female, "Kinh", "none", "higher", "teacher", false, day(1990, 1, 1), day(2024, 5, 5), thon.ID},
	}
	for i, a := range list {
		in := service.PersonInput{FullName: fmt.Sprintf("Nguyễn Thị Số%d", i), BirthDate: a.born, Sex: a.sex, Ethnicity: a.eth,
			Religion: a.rel, Education: a.edu, Occupation: a.occ, YouthUnion: a.youth, ResidenceID: a.residence, OrgCode: a.org, Stage: domain.StageSource}
		p, err := svc.CreatePerson(ctx, in)
		if err != nil {
			t.Fatalf("CreatePerson %d: %v", i, err)
		}
		if _, err := svc.RecordMembership(ctx, p.ID, service.MembershipInput{DecisionNo: fmt.Sprintf("%d-QĐ/HU", i+1), DecisionDate: a.decided,
			DecidedByCode: topOf(t, svc, ctx, a.org)}); err != nil {
			t.Fatalf("RecordMembership %d: %v", i, err)
		}
	}
	return svc, nil
}

func parts(b *service.Breakdowns, key string) map[string]int {
	out := map[string]int{}
	for _, p := range b.Part(key).Parts {
		out[p.Key] = p.N
	}
	return out
}

// DOMAIN §7: each breakdown of a small store where every count is known;
// DOMAIN §4's window (the year up to the as-of date).
func TestBreakdownsKnownCounts(t *testing.T) {
	svc, _ := breakdownWorld(t)
	ctx := service.WithUser(t.Context(), service.System)
	b, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024, AsOf: day(2024, 5, 4)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Admitted != 6 {
		t.Fatalf("admitted %d; want 6", b.Admitted)
	}
	check := func(key string, want map[string]int) {
		t.Helper()
		got := parts(b, key)
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s[%s] = %d; want %d (all: %v)", key, k, got[k], n, got)
			}
		}
	}
	check("sex", map[string]int{"female": 3, "male": 3})
	check("ethnicity", map[string]int{"minority": 3, "kinh": 3})
	check("minority_groups", map[string]int{"12": 2, "02": 1})
	check("religion", map[string]int{"religious": 3, "none": 3})
	check("religions", map[string]int{"protestantism": 1, "catholicism": 1, "buddhism": 1})
	check("youth_union", map[string]int{"yes": 4, "no": 2})
	check("groups", map[string]int{"student_high": 2, "student_univ": 1, "private_enterprise": 1})
	check("age", map[string]int{"0-30": 5, "31-40": 0, "61-0": 1, "51-60": 0})
	check("education", map[string]int{"upper_secondary": 3, "lower_secondary": 1, "higher": 2})
	// Ages 25, 30, 18, 18, 21 (22 on 5 May), 62: average 29.
	if b.AverageAge == nil || *b.AverageAge != 29 {
		t.Errorf("average age %v; want 29", b.AverageAge)
	}
	age := parts(b, "age")
	if age["0-30"] != 5 || age["61-0"] != 1 {
		t.Errorf("ages %v", age)
	}
	// Residence: two admitted live in Thôn 1, four elsewhere; Buôn Yếu is weak.
	if len(b.Residence) != 2 || b.Residence[0].Admitted+b.Residence[1].Admitted != 2 || b.AdmittedElsewhere != 4 {
		t.Errorf("residence %+v, elsewhere %d", b.Residence, b.AdmittedElsewhere)
	}
	if len(b.Weak) != 1 || b.Weak[0].Code != "buon-yeu" {
		t.Errorf("weak %+v; want Buôn Yếu", b.Weak)
	}
	// The school: 2 of 400 in 2023–2024 = 0,5 %.
	if len(b.Schools) != 1 || b.Schools[0].Admitted != 2 || b.Schools[0].Students != 400 || b.Schools[0].Percent == nil || *b.Schools[0].Percent != 0.5 {
		t.Errorf("schools %+v", b.Schools)
	}

	// As of 5 May the late decision counts too; 2023 has only its own.
	b5, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2024, AsOf: day(2024, 5, 5)})
	if err != nil || b5.Admitted != 7 || parts(b5, "occupation")["teacher"] != 1 {
		t.Errorf("as of 5 May: %v %v", b5, err)
	}
	b23, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: "huyen", Year: 2023, AsOf: day(2024, 5, 4)})
	if err != nil || b23.Admitted != 1 || parts(b23, "sex")["female"] != 1 {
		t.Errorf("2023: %v %v", b23, err)
	}
	// A commune sees only its own.
	bb, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: "xa-b", Year: 2024, AsOf: day(2024, 5, 4)})
	if err != nil || bb.Admitted != 2 || len(bb.Residence) != 0 || len(bb.Schools) != 0 {
		t.Errorf("xa-b: %+v %v", bb, err)
	}
}

// DOMAIN §1 scope: a chapter secretary sees only their chapter's numbers.
func TestBreakdownsScope(t *testing.T) {
	svc, _ := breakdownWorld(t)
	sys := service.WithUser(t.Context(), service.System)
	_, sec := mkUser(t, svc, sys, "bithu-b", domain.RoleSecretary, "cb-b")
	b, err := svc.Breakdowns(sec, service.ReportQuery{OrgCode: "cb-b", Year: 2024, AsOf: day(2024, 5, 4)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Admitted != 2 || parts(b, "groups")["student_univ"] != 1 {
		t.Errorf("cb-b: %d admitted", b.Admitted)
	}
	for _, code := range []string{"huyen", "xa-a", "cb-a"} {
		_, err := svc.Breakdowns(sec, service.ReportQuery{OrgCode: code, Year: 2024, AsOf: day(2024, 5, 4)})
		wantErr(t, err, domain.EForbidden)
		_, err = svc.Funnel(sec, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: code, AsOf: day(2024, 5, 4)}})
		wantErr(t, err, domain.EForbidden)
	}
	// A source recorded without a case counts in the funnel's sources.
	mkPerson(t, svc, sys, "cb-b", "Lê Văn Nguồn")
	f, err := svc.Funnel(sec, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "cb-b", AsOf: day(2024, 5, 4)}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Unit.Counts["sources"] != 1 || f.Unit.Counts["dossier"] != 0 || f.Unit.Overdue != 0 {
		t.Errorf("funnel of cb-b: %v", f.Unit.Counts)
	}
}
