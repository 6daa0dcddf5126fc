package service_test

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// DOMAIN §3: "citizen ID (CCCD: 12 digits, unique when present)". The
// structure (vn.ValidCCCDFor, Thông tư 59/2021/TT-BCA art. 7): digits 1–3
// province, 4 century and sex (0 male / 1 female born 1900–1999, 2/3 born
// 2000–2099), 5–6 the year of birth. DESIGN: "Bad input gets a clear
// Vietnamese message naming the field … and changes nothing."
func TestCreatePersonCCCDValidation(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindGrassChapter, "")
	bad := []struct {
		why  string
		cccd string
	}{
		{"11 digits", "06609000012"},
		{"13 digits", "0660900001234"},
		{"a letter", "06609000012a"},
		{"unknown province 003", "003090000123"},
		{"province 000", "000090000123"},
		{"century digit 2 (born 2000–2099) for a man born 1990", "066290000123"},
		{"sex digit 1 (woman) for a man", "066190000123"},
		{"year digits 91 for a birth in 1990", "066091000123"},
	}
	for _, tc := range bad {
		in := personIn("cb", "Nguyễn Văn An")
		in.CCCD = tc.cccd
		_, err := svc.CreatePerson(ctx, in)
		if err == nil {
			t.Errorf("%s (%s): accepted", tc.why, tc.cccd)
			continue
		}
		e := wantErr(t, err, domain.EInvalid)
		if e.Field != "cccd" || !strings.Contains(e.Message, "CCCD") {
			t.Errorf("%s: field %q message %q; want field cccd and a Vietnamese message", tc.why, e.Field, e.Message)
		}
	}
	if n := countTable(t, svc, "people"); n != 0 {
		t.Errorf("%d people stored after invalid input", n)
	}
	if n := countTable(t, svc, "audit_log"); n != 1 { // only the org's creation
		t.Errorf("%d audit records; want 1 (the org)", n)
	}
	// The right digits pass: man born 1990 → 0 90; woman born 1995 → 1 95;
	// man born 2001 → 2 01. Spaces inside are dropped.
	good := []struct {
		cccd   string
		female bool
		year   int
	}{
		{"066 090 000 123", false, 1990},
		{"001195000456", true, 1995},
		{"079201000789", false, 2001},
	}
	for _, g := range good {
		in := personIn("cb", "Trần Văn Bình")
		in.CCCD, in.BirthDate = g.cccd, day(g.year, 3, 15)
		if g.female {
			in.Sex = domain.Female
		}
		p, err := svc.CreatePerson(ctx, in)
		if err != nil {
			t.Errorf("%s: %v", g.cccd, err)
			continue
		}
		if want := strings.ReplaceAll(g.cccd, " ", ""); p.CCCD != want {
			t.Errorf("stored CCCD %q; want %q", p.CCCD, want)
		}
	}
	// Duplicate: a conflict naming the CCCD, and still one record.
	in := personIn("cb", "Lê Văn Cường")
	in.CCCD = "066090000123"
	_, err := svc.CreatePerson(ctx, in)
	e := wantErr(t, err, domain.EConflict)
	if !strings.Contains(e.Message, "CCCD") {
		t.Errorf("duplicate message %q", e.Message)
	}
	if n := countTable(t, svc, "people"); n != 3 {
		t.Errorf("people = %d; want 3", n)
	}
}

func TestCreatePersonOtherValidation(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindGrassChapter, "")
	tests := []struct {
		field string
		edit  func(*service.PersonInput)
	}{
		{"full_name", func(in *service.PersonInput) { in.FullName = "   " }},
		{"full_name", func(in *service.PersonInput) { in.FullName = "An" }}, // one word: no family name
		{"birth_date", func(in *service.PersonInput) { in.BirthDate = day(2024, 6, 2) }},
		{"sex", func(in *service.PersonInput) { in.Sex = "x" }},
		{"ethnicity", func(in *service.PersonInput) { in.Ethnicity = "Klingon" }},
		{"education", func(in *service.PersonInput) { in.Education = "phd" }},
		{"stage", func(in *service.PersonInput) { in.Stage = "hero" }},
	}
	for _, tc := range tests {
		in := personIn("cb", "Nguyễn Văn An")
		tc.edit(&in)
		_, err := svc.CreatePerson(ctx, in)
		if e := wantErr(t, err, domain.EInvalid); e.Field != tc.field {
			t.Errorf("field %q; want %q (%s)", e.Field, tc.field, e.Message)
		}
	}
	// Born today is allowed (today in Vietnam is 1/6/2024 on the test clock).
	in := personIn("cb", "Nguyễn Văn Mới")
	in.BirthDate = day(2024, 6, 1)
	if _, err := svc.CreatePerson(ctx, in); err != nil {
		t.Errorf("born today: %v", err)
	}
	// An ethnic group by its other name: "Ê Đê" is code 12.
	in = personIn("cb", "H' Hen Niê")
	in.Ethnicity, in.Sex = "Ê Đê", domain.Female
	p, err := svc.CreatePerson(ctx, in)
	if err != nil || p.Ethnicity != "12" || p.Religion != "none" {
		t.Errorf("Ê Đê: %+v, %v; want ethnicity 12, religion none", p, err)
	}
	_, err = svc.CreatePerson(ctx, personIn("khong-co", "Nguyễn Văn An"))
	wantErr(t, err, domain.ENotFound)
}

// DESIGN "Text in: NFC-normalise and trim; store a folded copy for search".
// DOMAIN §3: "full name (NFC-normalised)".
func TestCreatePersonStoresNFC(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindGrassChapter, "")
	nfc := "Nguyễn Văn Đức"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("test setup: NFD form equals NFC")
	}
	p, err := svc.CreatePerson(ctx, personIn("cb", "  "+strings.ReplaceAll(nfd, " ", " \t ")+"  "))
	if err != nil {
		t.Fatal(err)
	}
	v, err := svc.Person(ctx, p.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if v.FullName != nfc {
		t.Errorf("stored name %q (% x); want NFC %q", v.FullName, v.FullName, nfc)
	}
	if v.NameFold != "nguyen van duc" {
		t.Errorf("fold %q", v.NameFold)
	}
	// Both forms of the query find it.
	for _, q := range []string{nfc, nfd, "nguyen van duc", "ĐỨC"} {
		page, err := svc.People(ctx, service.PeopleQuery{Query: q})
		if err != nil || page.Total != 1 {
			t.Errorf("search %q: %v, %v", q, page, err)
		}
	}
}

func TestUpdatePersonVersion(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindGrassChapter, "")
	p := mkPerson(t, svc, ctx, "cb", "Nguyễn Văn An")
	first := personIn("cb", "Nguyễn Văn An")
	first.Workplace, first.Version = "Trường THPT Lê Hồng Phong", p.Version
	second := first
	second.Workplace = "Hợp tác xã"
	if _, err := svc.UpdatePerson(ctx, p.ID, first); err != nil {
		t.Fatal(err)
	}
	_, err := svc.UpdatePerson(ctx, p.ID, second)
	wantErr(t, err, domain.EConflict)
	v, _ := svc.Person(ctx, p.ID, false)
	if v.Workplace != "Trường THPT Lê Hồng Phong" {
		t.Errorf("workplace %q; want the first edit's", v.Workplace)
	}
}

// DOMAIN §3: "Sensitive fields (CCCD…) are masked in lists and their reveal
// is recorded." DESIGN: "Every write … writes an audit record."
func TestAuditRecords(t *testing.T) {
	svc, sys := newService(t)
	mkOrg(t, svc, sys, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, sys, "xa", "Đảng bộ xã", domain.KindCommune, "huyen")
	org, ctx := mkUser(t, svc, sys, "tochuc", domain.RoleOrganizer, "xa")

	cb, err := svc.CreateOrg(ctx, service.OrgInput{Code: "cb", Name: "Chi bộ thôn 1", Kind: domain.KindChapter, Sector: "commune", ParentCode: "xa", ValidFrom: day(2024, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	in := personIn("cb", "Nguyễn Văn An")
	in.CCCD = "066090000123"
	p, err := svc.CreatePerson(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordMembership(ctx, p.ID, service.MembershipInput{DecisionNo: "12-QĐ/ĐU", DecisionDate: day(2024, 5, 20), DecidedByCode: "xa"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetTarget(ctx, service.TargetInput{OrgCode: "cb", Year: 2024, Kind: domain.TargetQuota, Value: intp(2)}); err != nil {
		t.Fatal(err)
	}

	check := func(entity string, id int64, actions ...string) {
		t.Helper()
		entries, err := service.StoreOf(svc).AuditFor(t.Context(), entity, id, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action)
			if e.UserID != org.ID {
				t.Errorf("%s %d %s by user %d; want %d", entity, id, e.Action, e.UserID, org.ID)
			}
			if !e.At.Equal(now) {
				t.Errorf("%s %d %s at %v; want the service clock %v", entity, id, e.Action, e.At, now)
			}
		}
		if strings.Join(got, ",") != strings.Join(actions, ",") {
			t.Errorf("audit of %s %d = %v; want %v (newest first)", entity, id, got, actions)
		}
	}
	check("org", cb.ID, "target", "create")
	check("person", p.ID, "admit", "create")
	entries, _ := service.StoreOf(svc).AuditFor(t.Context(), "org", cb.ID, 10)
	if len(entries) == 2 && !strings.Contains(entries[1].Detail, `"code":"cb"`) {
		t.Errorf("org create detail %q should name the code", entries[1].Detail)
	}

	// Reading with the CCCD masked writes nothing; revealing it is recorded.
	v, err := svc.Person(ctx, p.ID, false)
	if err != nil || v.CCCDShown != "066******123" {
		t.Errorf("masked CCCD %q, %v", v.CCCDShown, err)
	}
	check("person", p.ID, "admit", "create")
	v, err = svc.Person(ctx, p.ID, true)
	if err != nil || v.CCCDShown != "066090000123" {
		t.Errorf("revealed CCCD %q, %v", v.CCCDShown, err)
	}
	check("person", p.ID, "reveal_cccd", "admit", "create")

	// The user created by the system is audited too (system actor: user 0).
	entries, _ = service.StoreOf(svc).AuditFor(t.Context(), "user", org.ID, 10)
	if len(entries) != 1 || entries[0].Action != "create" || entries[0].UserID != 0 {
		t.Errorf("user audit = %+v", entries)
	}
	// A refused write leaves no audit record.
	before := countTable(t, svc, "audit_log")
	_, err = svc.CreatePerson(ctx, in) // duplicate CCCD
	wantErr(t, err, domain.EConflict)
	if n := countTable(t, svc, "audit_log"); n != before {
		t.Errorf("audit %d → %d after a refused create", before, n)
	}
}

// RecordMembership: the decision's own checks (DOMAIN §5 step 6 facts).
func TestRecordMembershipValidation(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "cb", "Chi bộ A", domain.KindGrassChapter, "")
	p := mkPerson(t, svc, ctx, "cb", "Nguyễn Văn An")
	tests := []struct {
		field string
		in    service.MembershipInput
	}{
		{"decision_no", service.MembershipInput{DecisionDate: day(2024, 5, 1)}},
		{"decision_date", service.MembershipInput{DecisionNo: "1"}},
		{"decision_date", service.MembershipInput{DecisionNo: "1", DecisionDate: day(2024, 6, 2)}},  // after today
		{"decision_date", service.MembershipInput{DecisionNo: "1", DecisionDate: day(1990, 3, 15)}}, // not after birth
		{"ceremony_date", service.MembershipInput{DecisionNo: "1", DecisionDate: day(2024, 5, 1), CeremonyDate: dayp(2024, 4, 30)}},
	}
	for _, tc := range tests {
		_, err := svc.RecordMembership(ctx, p.ID, tc.in)
		if e := wantErr(t, err, domain.EInvalid); e.Field != tc.field {
			t.Errorf("field %q; want %q (%s)", e.Field, tc.field, e.Message)
		}
	}
	if n := countTable(t, svc, "memberships"); n != 0 {
		t.Errorf("%d memberships after invalid input", n)
	}
	m, err := svc.RecordMembership(ctx, p.ID, service.MembershipInput{DecisionNo: "1", DecisionDate: day(2024, 6, 1), DecidedByCode: "cb"})
	if err != nil {
		t.Fatalf("decision dated today: %v", err)
	}
	if m.Status != domain.StageProbationary {
		t.Errorf("status %q", m.Status)
	}
	v, _ := svc.Person(ctx, p.ID, false)
	if v.Stage != domain.StageProbationary || len(v.Memberships) != 1 || v.Memberships[0].AdmittedOrgID != v.OrgID {
		t.Errorf("after admission: stage %q, %d memberships", v.Stage, len(v.Memberships))
	}
}
