package importer_test

import (
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// Probationary members imported with their decision get a case opened at
// the decision (domain.CaseImported), so that the ceremony deadline (30
// working days, Điều lệ Đ.4 / HD06 §3.8) and the recognition vote after
// the 12 months of probation (Điều lệ Đ.5, QĐ294 §4) show for members
// decided before ketnap; official members and members of a unit that is
// not a chapter get none.
func TestImportedMembersOpenCases(t *testing.T) {
	svc, ctx := world(t)
	mh := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức",
		"Số quyết định kết nạp", "Ngày quyết định kết nạp", "Mã cấp quyết định", "Ngày lễ kết nạp", "Ngày công nhận chính thức"}
	data := book(t, mh,
		[]any{"H'Hen Mlô", "03/03/1995", "Nữ", "Ê Đê", "066195000011", "Trung học phổ thông", "eaphe-t1", "40-QĐ/HU", "10/03/2024", "kp", "25/03/2024", ""},
		[]any{"Y Tuân Êban", "04/04/1996", "Nam", "Ê Đê", "066096000012", "Trung học phổ thông", "eaphe-t1", "52-QĐ/HU", "20/05/2024", "kp", "", ""},
		[]any{"Y Bơ Niê", "02/02/1985", "Nam", "Ê Đê", "066085000010", "Trung học phổ thông", "eaphe-t1", "12-QĐ/HU", "10/01/2020", "kp", "20/01/2020", "25/01/2021"},
		[]any{"Lê Thị Mai", "05/05/1994", "Nữ", "Kinh", "066194000013", "Đại học", "eaphe", "53-QĐ/HU", "20/05/2024", "kp", "", ""})
	res := run(t, svc, ctx, importer.KindMembers, data, importer.Options{})
	if !res.OK() || res.Imported != 4 {
		t.Fatalf("%+v", res.Errors)
	}
	if n := count(t, svc, "cases"); n != 2 {
		t.Fatalf("%d cases; want 2 (the official member and the member of a grassroots committee get none)", n)
	}
	cal, err := svc.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set := rules.InForce(now)

	hen := personCase(t, svc, ctx, "H'Hen Mlô")
	end := rules.ProbationEnd(&set, domain.Day(2024, 3, 25))
	due, err := rules.RecognitionVoteDue(&set, cal, end)
	if err != nil {
		t.Fatal(err)
	}
	if hen.Kind != domain.CaseImported || hen.Stage != domain.CaseProbation || hen.NextDue == nil || !hen.NextDue.Equal(due) {
		t.Fatalf("H'Hen: %s %s next due %v; want probation, the recognition vote by %s", hen.Kind, hen.Stage, hen.NextDue, due.Format(domain.DateLayout))
	}
	for _, v := range hen.Verdicts {
		if v.Rule == rules.RuleIntroducers || v.Rule == rules.RuleCertificate || v.Rule == rules.RuleAge {
			t.Errorf("an imported case is judged on its admission, which is not on record: %+v", v)
		}
	}
	tuan := personCase(t, svc, ctx, "Y Tuân Êban")
	ceremonyDue, err := rules.CeremonyDue(&set, cal, domain.Day(2024, 5, 20))
	if err != nil {
		t.Fatal(err)
	}
	if tuan.Stage != domain.CaseDecided || tuan.NextDue == nil || !tuan.NextDue.Equal(ceremonyDue) || len(tuan.Deadlines) != 1 {
		t.Fatalf("Y Tuân: %s next due %v, deadlines %+v; want the ceremony by %s", tuan.Stage, tuan.NextDue, tuan.Deadlines, ceremonyDue.Format(domain.DateLayout))
	}
	// the ceremony is recorded on the case and written to the membership
	c, err := svc.HoldCeremony(ctx, tuan.ID, service.CeremonyInput{Date: domain.Day(2024, 5, 28), Version: tuan.Version})
	if err != nil || c.Stage != domain.CaseProbation {
		t.Fatalf("ceremony: %+v %v", c, err)
	}
	ms, err := storeOf(t, svc).Memberships(ctx, tuan.PersonID)
	if err != nil || len(ms) != 1 || ms[0].CeremonyDate == nil || !ms[0].CeremonyDate.Equal(domain.Day(2024, 5, 28)) {
		t.Fatalf("membership after the ceremony: %+v %v", ms, err)
	}
	// re-importing opens nothing more
	if res = run(t, svc, ctx, importer.KindMembers, data, importer.Options{}); res.Unchanged != 4 || count(t, svc, "cases") != 2 {
		t.Fatalf("re-import: %+v", res)
	}
}
