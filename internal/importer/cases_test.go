package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// The candidates file with stage facts (issue 6 item 1, "candidates (with
// their stage facts)"): the facts are replayed through the procedure, so
// the rules of QĐ 24/HD 01 (chapter resolution before 1/7/2025) judge them.

// officials imports official members of eaphe-t1 (two share a name) and
// one of eakly-t2, as of the world's clock (1/6/2024).
func officials(t testing.TB, svc *service.Service, ctx context.Context) {
	t.Helper()
	mh := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức",
		"Số quyết định kết nạp", "Ngày quyết định kết nạp", "Ngày lễ kết nạp", "Ngày công nhận chính thức"}
	m := func(name, birth, id, org string) []any {
		sex := "Nam"
		if id[3] == '1' {
			sex = "Nữ"
		}
		return []any{name, birth, sex, "Kinh", id, "Trung học phổ thông", org, "10-QĐ/HU", "10/01/2015", "20/01/2015", "25/01/2016"}
	}
	res := run(t, svc, ctx, importer.KindMembers, book(t, mh,
		m("Lê Văn Cường", "02/02/1975", "066075000101", "eaphe-t1"),
		m("Phạm Thị Dung", "02/02/1976", "066176000102", "eaphe-t1"),
		m("Võ Văn Em", "02/02/1977", "066077000103", "eaphe-t1"),
		m("Đinh Văn Giàu", "02/02/1978", "066078000104", "eaphe-t1"),
		m("Đinh Văn Giàu", "02/02/1979", "066079000105", "eaphe-t1"),
		m("Lê Văn Cường", "02/02/1980", "066080000106", "eakly-t2")), importer.Options{})
	if !res.OK() || res.Imported != 6 {
		t.Fatalf("members: %+v", res)
	}
}

// factHeaders are the candidate columns plus the stage facts used here.
var factHeaders = append(append([]string{}, candHeaders...),
	importer.ColOpened, importer.ColHelper, importer.ColCertNo, importer.ColCertDate, importer.ColDossier,
	importer.ColVerifSent, importer.ColVerifReply, importer.ColOpinions, importer.ColIntro1, importer.ColIntro2, importer.ColMonths,
	importer.ColCVDate, importer.ColCVNo, importer.ColCVMembers, importer.ColCVPresent, importer.ColCVYes,
	importer.ColKVDate, importer.ColKVMembers, importer.ColKVPresent, importer.ColKVYes)

// facts is a candidate row with stage facts (26 cells; "" for none).
func facts(name, id, stage string, f ...any) []any {
	sex := "Nam"
	if id[3] == '1' {
		sex = "Nữ"
	}
	row := []any{name, "15/03/1990", sex, "Kinh", "", id, "Trung học phổ thông", "", "eaphe-t1", stage}
	row = append(row, f...)
	for len(row) < len(factHeaders) {
		row = append(row, "")
	}
	return row
}

// an is a candidate voted on by the chapter (5/5) and the commune's
// committee (8 of 9); binh is a dossier waiting for a verification reply.
func an() []any {
	return facts("Nguyễn Văn An", cccd(1), "",
		"10/01/2024", "Lê Văn Cường", "12/GCN-TTCT", "20/01/2024", "01/02/2024",
		"02/02/2024", "01/03/2024", "05/03/2024", "Phạm Thị Dung", "066077000103", 24,
		"15/03/2024", "03-NQ/CB", 5, 5, 5,
		"01/04/2024", 9, 8, 8)
}

func binh() []any {
	return facts("Trần Thị Bình", "066190000002", "Đang làm hồ sơ kết nạp",
		"", "Võ Văn Em", "13/GCN-TTCT", "20/01/2024", "10/05/2024", "20/05/2024")
}

func personCase(t *testing.T, svc *service.Service, ctx context.Context, name string) *service.CaseView {
	t.Helper()
	pg, err := svc.People(ctx, service.PeopleQuery{Query: name})
	if err != nil || len(pg.People) != 1 {
		t.Fatalf("%s: %+v %v", name, pg, err)
	}
	cs, err := svc.PersonCases(ctx, pg.People[0].ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("cases of %s: %+v %v", name, cs, err)
	}
	v, err := svc.Case(ctx, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestImportStageFacts(t *testing.T) {
	svc, ctx := world(t)
	officials(t, svc, ctx)
	data := book(t, factHeaders, an(), binh(), cand("Lý Văn Chung", "15/03/1990", cccd(3), "eaphe-t1"))

	// a dry run judges the facts and writes nothing
	people, cases := count(t, svc, "people"), count(t, svc, "cases")
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{DryRun: true})
	if !res.OK() || res.Valid != 3 || res.Imported != 0 || count(t, svc, "people") != people || count(t, svc, "cases") != cases {
		t.Fatalf("dry run: %+v", res)
	}

	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if !res.OK() || res.Imported != 3 || res.Steps < 15 {
		t.Fatalf("import: %+v", res)
	}
	a := personCase(t, svc, ctx, "Nguyễn Văn An")
	if a.Case.Stage != domain.CaseCommitteeVoted || !a.Case.OpenedOn.Equal(domain.Day(2024, 1, 10)) ||
		a.Case.CertificateNo != "12/GCN-TTCT" || a.Case.DossierOpened == nil || !a.Case.DossierOpened.Equal(domain.Day(2024, 2, 1)) {
		t.Fatalf("An's case: %+v", a.Case)
	}
	if a.Person.Stage != domain.StageCandidate || len(a.Introducers) != 2 || len(a.Verifications) != 1 ||
		a.Verifications[0].RepliedOn == nil || a.Verifications[0].Addressee != importer.DefaultAddressee {
		t.Fatalf("An: person %s, parts %+v", a.Person.Stage, a.Votes)
	}
	// the decision is due 60 working days after the chapter's resolution
	// of 15/3/2024 (QĐ 24 / HD 01 §3, the rules in force then)
	cal, err := svc.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	due, err := cal.AddWorkdays(domain.Day(2024, 3, 15), 60)
	if err != nil {
		t.Fatal(err)
	}
	if a.Case.NextDue == nil || !a.Case.NextDue.Equal(due) {
		t.Errorf("An's next due %v; want the decision deadline %s", a.Case.NextDue, due.Format(domain.DateLayout))
	}
	b := personCase(t, svc, ctx, "Trần Thị Bình")
	if b.Case.Stage != domain.CaseDossier || len(b.Verifications) != 1 || b.Verifications[0].RepliedOn != nil {
		t.Fatalf("Bình's case: %+v %+v", b.Case, b.Verifications)
	}
	// the reply is due 30 working days after the request (HD06 §3.4 / HD01)
	if want, err := cal.AddWorkdays(domain.Day(2024, 5, 20), 30); err != nil || !b.Verifications[0].Due.Equal(want) {
		t.Errorf("verification due %s; want %s", b.Verifications[0].Due.Format(domain.DateLayout), want.Format(domain.DateLayout))
	}
	chung := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Lý Văn Chung"}, 1)[0]
	if chung.Stage != domain.StageSource {
		t.Fatalf("Chung: %+v", chung)
	}
	if cs, err := svc.PersonCases(ctx, chung.ID); err != nil || len(cs) != 0 {
		t.Errorf("a row without facts opened a case: %+v %v", cs, err)
	}

	// re-importing the same file changes nothing
	audits, allCases := count(t, svc, "audit_log"), count(t, svc, "cases")
	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if !res.OK() || res.Imported != 0 || res.Unchanged != 3 || res.Steps != 0 || count(t, svc, "audit_log") != audits || count(t, svc, "cases") != allCases {
		t.Fatalf("re-import: %+v", res)
	}

	// a later file carries Bình's case further: the reply, opinions,
	// introducers and the chapter's resolution are added, nothing else
	later := binh()
	for i, v := range map[string]any{importer.ColVerifReply: "25/05/2024", importer.ColOpinions: "27/05/2024",
		importer.ColIntro1: "Phạm Thị Dung", importer.ColIntro2: "Lê Văn Cường", importer.ColMonths: 14,
		importer.ColCVDate: "30/05/2024", importer.ColCVMembers: 5, importer.ColCVPresent: 4, importer.ColCVYes: 4} {
		later[index(factHeaders, i)] = v
	}
	res = run(t, svc, ctx, importer.KindCandidates, book(t, factHeaders, an(), later), importer.Options{})
	if !res.OK() || res.Updated != 1 || res.Unchanged != 1 || res.Imported != 1 {
		t.Fatalf("later file: %+v", res)
	}
	if b = personCase(t, svc, ctx, "Trần Thị Bình"); b.Case.Stage != domain.CaseChapterVoted || len(b.Introducers) != 2 {
		t.Fatalf("Bình after the later file: %+v", b.Case)
	}
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	panic(s)
}

func TestStageFactsRefused(t *testing.T) {
	svc, ctx := world(t)
	officials(t, svc, ctx)
	set := func(row []any, kv map[string]any) []any {
		for k, v := range kv {
			row[index(factHeaders, k)] = v
		}
		return row
	}
	oneIntroducer := set(an(), map[string]any{importer.ColIntro2: ""})
	oneIntroducer[0], oneIntroducer[5] = "Mai Văn Một", cccd(11)
	ambiguous := set(binh(), map[string]any{importer.ColHelper: "Đinh Văn Giàu"})
	ambiguous[0], ambiguous[5] = "Mai Thị Hai", "066190000012"
	stranger := set(binh(), map[string]any{importer.ColHelper: "Lê Văn Cương"}) // no such member
	stranger[0], stranger[5] = "Mai Thị Ba", "066190000013"
	lowVote := set(an(), map[string]any{importer.ColCVYes: 3, importer.ColCVPresent: 4})
	lowVote[0], lowVote[5] = "Mai Văn Bốn", cccd(14)
	missing := set(an(), map[string]any{importer.ColCVPresent: ""})
	missing[0], missing[5] = "Mai Văn Năm", cccd(15)
	future := set(binh(), map[string]any{importer.ColDossier: "10/06/2024"})
	future[0], future[5] = "Mai Thị Sáu", "066190000016"
	stage := set(an(), map[string]any{})
	stage[0], stage[5], stage[9] = "Mai Văn Bảy", cccd(17), "Quần chúng ưu tú"
	good := an()

	data := book(t, factHeaders, oneIntroducer, ambiguous, stranger, lowVote, missing, future, stage, good)
	people, cases, audits := count(t, svc, "people"), count(t, svc, "cases"), count(t, svc, "audit_log")
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	want := []struct {
		row     int
		column  string
		message string
	}{
		{2, importer.ColCVDate, "Điều lệ"},            // two official members introduce (Điều lệ Đ.4)
		{3, importer.ColHelper, "Có 2 đảng viên"},     // ambiguous name
		{4, importer.ColHelper, "Không có đảng viên"}, // unknown name
		{5, importer.ColCVDate, "2/3"},                // 3 of 5 is below 2/3
		{6, importer.ColCVPresent, "thiếu"},
		{7, importer.ColDossier, "chưa đến"},
		{8, importer.ColStage, "Đang làm hồ sơ"},
	}
	if res.Imported != 0 || len(res.Errors) != len(want) || count(t, svc, "people") != people ||
		count(t, svc, "cases") != cases || count(t, svc, "audit_log") != audits {
		t.Fatalf("default import wrote or mis-reported: %+v", res)
	}
	for i, w := range want {
		e := res.Errors[i]
		if e.Row != w.row || e.Column != w.column || !strings.Contains(e.Message, w.message) || e.Sheet != importer.DataSheet {
			t.Errorf("problem %d: %+v; want row %d, column %q, message with %q", i, e, w.row, w.column, w.message)
		}
	}

	// the valid rows only: the good row, nothing of the refused ones
	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{ValidOnly: true})
	if res.Imported != 1 || len(res.Errors) != len(want) || count(t, svc, "people") != people+1 || count(t, svc, "cases") != cases+1 {
		t.Fatalf("valid only: %+v", res)
	}
	findPeople(t, svc, ctx, service.PeopleQuery{Query: "Mai"}, 0) // the refused rows are not written
}

func TestStageFactsBySecretary(t *testing.T) {
	svc, ctx := world(t)
	officials(t, svc, ctx)
	u, err := svc.CreateUser(ctx, service.NewUser{Username: "bithu", Role: domain.RoleSecretary, OrgCode: "eaphe-t1", Password: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	// the committee's resolution is the upper committee's to record
	res := run(t, svc, service.WithUser(ctx, u), importer.KindCandidates, book(t, factHeaders, an()), importer.Options{})
	if res.Imported != 0 || len(res.Errors) != 1 || res.Errors[0].Column != importer.ColKVDate ||
		!strings.Contains(res.Errors[0].Message, "cấp ủy cấp trên") {
		t.Fatalf("%+v", res)
	}
	// a person of another commune already in the store: their facts are
	// not the secretary's to record
	other := binh()
	other[8] = "eakly-t2"
	other[index(factHeaders, importer.ColHelper)] = ""
	other[index(factHeaders, importer.ColDossier)] = ""
	other[index(factHeaders, importer.ColVerifSent)] = ""
	other[9] = ""
	if res = run(t, svc, ctx, importer.KindCandidates, book(t, candHeaders, other[:len(candHeaders)]), importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("Bình in Ea Kly: %+v", res)
	}
	res = run(t, svc, service.WithUser(ctx, u), importer.KindCandidates, book(t, factHeaders, binh()), importer.Options{})
	if res.Imported != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "ngoài phạm vi") {
		t.Fatalf("facts of a person outside the scope: %+v", res)
	}
}

// Rows with stage facts are slow (each is replayed), so progress comes
// every 200 of them, not only every 5,000 rows.
func TestStageFactsProgress(t *testing.T) {
	svc, ctx := world(t)
	var rows [][]any
	for i := range 401 {
		row := facts(fmt.Sprintf("Nguyễn Văn An %d", i), fmt.Sprintf("066090%06d", 100+i), "")
		row[index(factHeaders, importer.ColOpened)] = "10/01/2024"
		rows = append(rows, row)
	}
	var seen []string
	res := run(t, svc, ctx, importer.KindCandidates, book(t, factHeaders, rows...), importer.Options{
		Progress: func(phase string, done, total int) {
			if phase == "ghi" {
				seen = append(seen, fmt.Sprint(done))
			}
		}})
	if !res.OK() || res.Imported != 401 || res.Steps != 401 || count(t, svc, "cases") != 401 {
		t.Fatalf("%+v", res.Errors)
	}
	if got := strings.Join(seen, ","); got != "200,400" {
		t.Errorf("progress after %s rows; want 200,400", got)
	}
}

// Re-importing a file never overrides what was recorded on the case page
// since: a case withdrawn there is not opened again, and a verification
// request added there does not get the file's reply.
func TestReimportKeepsThePagesRecords(t *testing.T) {
	svc, ctx := world(t)
	officials(t, svc, ctx)
	row := binh()
	row[index(factHeaders, importer.ColVerifReply)] = "25/05/2024"
	data := book(t, factHeaders, row, facts("Trần Thị Lan", "066190000031", "", "", "Võ Văn Em", "", "", "10/05/2024"))
	if res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{}); !res.OK() || res.Imported != 2 {
		t.Fatalf("first import: %+v", res)
	}
	b := personCase(t, svc, ctx, "Trần Thị Bình")
	// a second request, sent on the page after the file's
	c, err := svc.RequestVerification(ctx, b.ID, service.VerificationInput{Subject: "father", Addressee: "Đảng ủy xã Ea Kly",
		SentOn: domain.Day(2024, 5, 21), Version: b.Version})
	if err != nil {
		t.Fatal(err)
	}
	// Lan's case is withdrawn on the page
	lan := personCase(t, svc, ctx, "Trần Thị Lan")
	if _, err := svc.WithdrawCase(ctx, lan.ID, service.CloseInput{Date: domain.Day(2024, 5, 30), Reason: "Xin rút", Version: lan.Version}); err != nil {
		t.Fatal(err)
	}
	cases := count(t, svc, "cases")
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if !res.OK() || res.Imported != 0 || res.Unchanged != 2 || res.Steps != 0 || count(t, svc, "cases") != cases {
		t.Fatalf("re-import: %+v", res)
	}
	b = personCase(t, svc, ctx, "Trần Thị Bình")
	for _, v := range b.Verifications {
		if v.Subject == "father" && v.RepliedOn != nil {
			t.Errorf("the page's request got the file's reply: %+v", v)
		}
	}
	if b.Version != c.Version {
		t.Errorf("Bình's case changed: version %d → %d", c.Version, b.Version)
	}
}

// The facts the procedure's steps judge come back on their column with
// the step's own message: a certificate number without its date, and an
// introducer named by the citizen ID of a probationary member.
func TestStageFactsJudgedBySteps(t *testing.T) {
	svc, ctx := world(t)
	officials(t, svc, ctx)
	mh := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức",
		"Số quyết định kết nạp", "Ngày quyết định kết nạp", "Ngày lễ kết nạp"}
	if res := run(t, svc, ctx, importer.KindMembers, book(t, mh,
		[]any{"Hà Văn Dự", "02/02/1991", "Nam", "Kinh", "066091000201", "Trung học phổ thông", "eaphe-t1", "7-QĐ/HU", "10/01/2024", "20/01/2024"}),
		importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("the probationary member: %+v", res)
	}
	noDate := binh()
	noDate[index(factHeaders, importer.ColCertDate)] = ""
	probationary := an()
	probationary[0], probationary[5] = "Mai Văn Tám", cccd(18)
	probationary[index(factHeaders, importer.ColIntro2)] = "066091000201"
	people, cases := count(t, svc, "people"), count(t, svc, "cases")
	res := run(t, svc, ctx, importer.KindCandidates, book(t, factHeaders, noDate, probationary), importer.Options{})
	want := []struct{ column, message string }{
		{importer.ColCertDate, "Cần ngày"},
		{importer.ColIntro2, "Hà Văn Dự là đảng viên dự bị, không phải đảng viên chính thức (Điều lệ Đ.4)"},
	}
	if res.Imported != 0 || len(res.Errors) != len(want) || count(t, svc, "people") != people || count(t, svc, "cases") != cases {
		t.Fatalf("%+v", res)
	}
	for i, w := range want {
		if e := res.Errors[i]; e.Row != i+2 || e.Column != w.column || e.Message != w.message {
			t.Errorf("problem %d: %+v; want row %d, column %q, %q", i, e, i+2, w.column, w.message)
		}
	}
}

// Stage facts are dated on or before the date the pages open on: in the
// demo district (04/05/2024) a dossier opened on 10/05/2024 is refused on
// its column, whatever the clock says (issue 11).
func TestStageFactsDatedUpToTheDemosDate(t *testing.T) {
	svc, ctx := world(t) // the clock says 1/6/2024
	officials(t, svc, ctx)
	if err := svc.MarkDemo(ctx, domain.Day(2024, 5, 4)); err != nil {
		t.Fatal(err)
	}
	res := run(t, svc, ctx, importer.KindCandidates, book(t, factHeaders, an(), binh()), importer.Options{ValidOnly: true})
	if res.Imported != 1 || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != importer.ColDossier ||
		!strings.Contains(res.Errors[0].Message, "chưa đến") {
		t.Fatalf("import on the demo's date: %+v", res)
	}
}
