package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
)

var now = time.Date(2024, 6, 1, 3, 0, 0, 0, time.UTC)

// world is a district with two communes and a chapter in each.
func world(t testing.TB) (*service.Service, context.Context) {
	t.Helper()
	st := testkit.OpenStore(t)
	svc := service.New(st, nil)
	stores.Store(svc, st)
	svc.Now = func() time.Time { return now }
	ctx := service.WithUser(context.Background(), service.System)
	mk := func(code, name string, kind domain.OrgKind, parent string) {
		if _, err := svc.CreateOrg(ctx, service.OrgInput{Code: code, Name: name, Kind: kind, Sector: "commune",
			ParentCode: parent, ValidFrom: domain.Day(2020, 1, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	mk("kp", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, "")
	mk("eaphe", "Đảng bộ xã Ea Phê", domain.KindGrassroots, "kp")
	mk("eaphe-t1", "Chi bộ thôn 1", domain.KindChapter, "eaphe")
	mk("eakly", "Đảng bộ xã Ea Kly", domain.KindGrassroots, "kp")
	mk("eakly-t2", "Chi bộ thôn 2", domain.KindChapter, "eakly")
	return svc, ctx
}

// book builds an xlsx with the sheet "Dữ liệu": a header row and rows.
func book(t testing.TB, headers []string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", importer.DataSheet); err != nil {
		t.Fatal(err)
	}
	for i, h := range headers {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(importer.DataSheet, ref, h)
	}
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
				f.SetCellFormula(importer.DataSheet, ref, s[1:])
				continue
			}
			if s, ok := v.(string); ok {
				f.SetCellStr(importer.DataSheet, ref, s)
				continue
			}
			f.SetCellValue(importer.DataSheet, ref, v)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var candHeaders = []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD", "Trình độ học vấn",
	"Nơi cư trú", "Mã tổ chức", "Giai đoạn"}

// cccd returns a valid CCCD for a man born in 1990 (Đắk Lắk, 066).
func cccd(n int) string { return fmt.Sprintf("066090%06d", n) }

func cand(name, birth, id, org string) []any {
	return []any{name, birth, "Nam", "Kinh", "", id, "Trung học phổ thông", "", org, "Quần chúng ưu tú"}
}

// stores holds the store under each service a test opened (world), for
// the tests that count or read rows directly.
var stores sync.Map

func storeOf(t testing.TB, svc *service.Service) *store.Store {
	t.Helper()
	st, ok := stores.Load(svc)
	if !ok {
		t.Fatal("a service that world did not open")
	}
	return st.(*store.Store)
}

func count(t testing.TB, svc *service.Service, table string) int {
	t.Helper()
	var n int
	if err := storeOf(t, svc).DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// findPeople returns the people a query finds, failing the test on an
// error or when they are not want in number.
func findPeople(t testing.TB, svc *service.Service, ctx context.Context, q service.PeopleQuery, want int) []*domain.Person {
	t.Helper()
	pg, err := svc.People(ctx, q)
	if err != nil {
		t.Fatalf("people %+v: %v", q, err)
	}
	if len(pg.People) != want {
		t.Fatalf("people %+v: %d found, want %d: %+v", q, len(pg.People), want, pg.People)
	}
	return pg.People
}

// org returns the unit with the code, failing the test when there is none.
func org(t testing.TB, svc *service.Service, ctx context.Context, code string) *domain.Org {
	t.Helper()
	o, err := svc.Org(ctx, code)
	if err != nil {
		t.Fatalf("org %s: %v", code, err)
	}
	return o
}

// sheet reads the rows of a workbook's sheet, failing the test when the
// workbook or the sheet cannot be read or the sheet has no row.
func sheet(t testing.TB, data []byte, name string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatalf("sheet %s: %v", name, err)
	}
	if len(rows) == 0 {
		t.Fatalf("sheet %s is empty", name)
	}
	return rows
}

// firstError is the first problem of a result, failing the test when it
// has none.
func firstError(t testing.TB, res *importer.Result) importer.Problem {
	t.Helper()
	if len(res.Errors) == 0 {
		t.Fatalf("no problem reported: %+v", res)
	}
	return res.Errors[0]
}

func run(t testing.TB, svc *service.Service, ctx context.Context, kind string, data []byte, opt importer.Options) *importer.Result {
	t.Helper()
	res, err := importer.Import(ctx, svc, kind, data, opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

func TestTemplateCandidates(t *testing.T) {
	svc, ctx := world(t)
	var b bytes.Buffer
	if err := importer.Template(ctx, svc, importer.KindCandidates, &b); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), "|")
	for _, s := range []string{importer.DataSheet, importer.HelpSheet, importer.ListsSheet} {
		if !strings.Contains(sheets, s) {
			t.Errorf("sheets %s lack %s", sheets, s)
		}
	}
	head := strings.Join(sheet(t, data, importer.DataSheet)[0], "|")
	for _, h := range []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD", "Trình độ học vấn", "Nơi cư trú", "Mã tổ chức"} {
		if !strings.Contains(head, h) {
			t.Errorf("headers %s lack %s", head, h)
		}
	}
	dvs, err := f.GetDataValidations(importer.DataSheet)
	if err != nil || len(dvs) < 6 {
		t.Errorf("%d drop-downs; want one per coded column", len(dvs))
	}
	all := fmt.Sprint(sheet(t, data, importer.ListsSheet))
	for _, want := range []string{"eaphe-t1", "Ê-đê", "Nữ", "Trung học phổ thông", "Quần chúng ưu tú"} {
		if !strings.Contains(all, want) {
			t.Errorf("lists lack %q", want)
		}
	}
	// a secretary's template lists only their chapter
	u, err := svc.CreateUser(ctx, service.NewUser{Username: "bithu", Role: domain.RoleSecretary, OrgCode: "eaphe-t1", Password: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := importer.Template(service.WithUser(ctx, u), svc, importer.KindCandidates, &b); err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(sheet(t, b.Bytes(), importer.ListsSheet)); strings.Contains(s, "eakly") || !strings.Contains(s, "eaphe-t1") {
		t.Errorf("secretary's list: %s", s)
	}
	// every kind has a template that reads back without a missing column
	for _, k := range []string{importer.KindOrgs, importer.KindMembers, importer.KindTargets, importer.KindCandidates} {
		b.Reset()
		if err := importer.Template(ctx, svc, k, &b); err != nil {
			t.Fatal(err)
		}
		res := run(t, svc, ctx, k, b.Bytes(), importer.Options{})
		if !res.OK() || res.Rows != 0 {
			t.Errorf("%s: empty template reads as %+v", k, res)
		}
	}
}

func TestImportCandidatesIdempotent(t *testing.T) {
	svc, ctx := world(t)
	data := book(t, candHeaders,
		cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"),
		[]any{"Hoàng Thị Bình", 33000.0, "Nữ", "Ê Đê", "Công giáo", "066190000002", "Tiểu học", "", "eakly-t2", "Quần chúng ưu tú"},
		[]any{"", "", " "}, []any{" "}, // trailing empty rows
	)
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if !res.OK() || res.Imported != 2 {
		t.Fatalf("first import: %+v", res)
	}
	binh := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Bình"}, 1)[0]
	if binh.Stage != domain.StageSource || binh.CCCD != "066190000002" || !binh.BirthDate.Equal(domain.Day(1990, 5, 7)) || binh.Ethnicity == "01" {
		t.Fatalf("Bình: %+v", *binh)
	}
	before := count(t, svc, "people")
	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if !res.OK() || res.Imported != 0 || res.Unchanged != 2 || count(t, svc, "people") != before {
		t.Fatalf("re-import: %+v", res)
	}
}

// DOMAIN §4 "Nobody edits a stage": the stage column of a candidates file
// states what the stage facts give; "Đang làm hồ sơ kết nạp" without the
// date the dossier was opened would be a candidate without a case, and is
// refused on its column (with the date, the dossier step of the case
// makes the candidate: TestImportStageFacts).
func TestImportCandidateStageFollowsTheCase(t *testing.T) {
	svc, ctx := world(t)
	data := book(t, candHeaders,
		cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"),
		[]any{"Hoàng Thị Bình", "07/05/1990", "Nữ", "Ê Đê", "", "066190000002", "Tiểu học", "", "eakly-t2", "Đang làm hồ sơ kết nạp"})
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if res.Imported != 0 || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != importer.ColStage ||
		!strings.Contains(res.Errors[0].Message, "ghi ngày lập hồ sơ (cột “"+importer.ColDossier+"”)") || count(t, svc, "people") != 0 {
		t.Fatalf("a candidate without a dossier date: %+v", res)
	}
	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{ValidOnly: true})
	if res.Imported != 1 || count(t, svc, "people") != 1 || count(t, svc, "cases") != 0 {
		t.Fatalf("valid only: %+v", res)
	}
	if p := findPeople(t, svc, ctx, service.PeopleQuery{Query: "An"}, 1)[0]; p.Stage != domain.StageSource {
		t.Errorf("An: stage %s", p.Stage)
	}
}

func TestBrokenFiles(t *testing.T) {
	cases := []struct {
		name    string
		data    func(t testing.TB) []byte
		row     int
		column  string
		message string
	}{
		{"wrong date", func(t testing.TB) []byte {
			return book(t, candHeaders, cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"), cand("Lê Văn Bảo", "31/02/1990", cccd(2), "eaphe-t1"))
		}, 3, "Ngày sinh", "không có ngày 31/02/1990"},
		{"text date", func(t testing.TB) []byte {
			return book(t, candHeaders, cand("Lê Văn Bảo", "năm 1990", cccd(2), "eaphe-t1"))
		}, 2, "Ngày sinh", "không phải là ngày hợp lệ"},
		{"unknown org code", func(t testing.TB) []byte {
			return book(t, candHeaders, cand("Lê Văn Bảo", "15/03/1990", cccd(2), "xyz"))
		}, 2, "Mã tổ chức", "Không có tổ chức mã \"xyz\""},
		{"duplicate CCCD in the file", func(t testing.TB) []byte {
			return book(t, candHeaders, cand("Lê Văn Bảo", "15/03/1990", cccd(2), "eaphe-t1"), cand("Lê Văn Cường", "15/03/1990", cccd(2), "eaphe-t1"))
		}, 3, "Số CCCD", "trùng với dòng 2"},
		{"duplicate CCCD against the store", func(t testing.TB) []byte {
			return book(t, candHeaders, cand("Trần Văn Khác", "15/03/1990", cccd(99), "eaphe-t1"))
		}, 2, "Số CCCD", "đã có trong hệ thống, thuộc hồ sơ của Phạm Văn Có"},
		{"missing required column", func(t testing.TB) []byte {
			return book(t, []string{"Họ và tên", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức"},
				[]any{"Lê Văn Bảo", "Nam", "Kinh", cccd(2), "Tiểu học", "eaphe-t1"})
		}, 1, "Ngày sinh", "Thiếu cột bắt buộc “Ngày sinh”"},
		{"CCCD that lost its zeros", func(t testing.TB) []byte {
			return book(t, candHeaders, []any{"Lê Văn Bảo", "15/03/1990", "Nam", "Kinh", "", 66090000002, "Tiểu học", "", "eaphe-t1", ""})
		}, 2, "Số CCCD", "bỏ số 0 ở đầu"},
		{"formula", func(t testing.TB) []byte {
			return book(t, candHeaders, cand("Lê Văn Bảo", "=DATE(1990,3,15)", cccd(2), "eaphe-t1"))
		}, 2, "Ngày sinh", "chứa công thức"},
		{"unknown ethnicity", func(t testing.TB) []byte {
			return book(t, candHeaders, []any{"Lê Văn Bảo", "15/03/1990", "Nam", "Kinhh", "", cccd(2), "Tiểu học", "", "eaphe-t1", ""})
		}, 2, "Dân tộc", "không có trong danh mục 54 dân tộc"},
		{"renamed PDF", func(t testing.TB) []byte { return []byte("%PDF-1.7\n1 0 obj <<>> endobj\n") }, 0, "", "không phải là bảng tính Excel .xlsx (đây là tệp PDF)"},
		{"empty file", func(t testing.TB) []byte { return nil }, 0, "", "Tệp rỗng"},
		{"too large", func(t testing.TB) []byte { return make([]byte, importer.MaxSize+1) }, 0, "", "lớn hơn 20 MB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc, ctx := world(t)
			if _, err := svc.CreatePerson(ctx, service.PersonInput{FullName: "Phạm Văn Có", BirthDate: domain.Day(1990, 1, 1), Sex: domain.Male,
				Ethnicity: "Kinh", Education: "primary", CCCD: cccd(99), OrgCode: "eaphe-t1", Stage: domain.StageSource}); err != nil {
				t.Fatal(err)
			}
			before, audits := count(t, svc, "people"), count(t, svc, "audit_log")
			res := run(t, svc, ctx, importer.KindCandidates, c.data(t), importer.Options{})
			if res.OK() || res.Imported != 0 {
				t.Fatalf("no problem reported: %+v", res)
			}
			found := false
			for _, p := range res.Errors {
				if p.Row == c.row && p.Column == c.column && strings.Contains(p.Message, c.message) {
					found = true
				}
			}
			if !found {
				t.Errorf("problems %+v; want row %d column %q containing %q", res.Errors, c.row, c.column, c.message)
			}
			if e := firstError(t, res); c.row > 0 && e.Sheet != importer.DataSheet {
				t.Errorf("sheet %q", e.Sheet)
			}
			if count(t, svc, "people") != before || count(t, svc, "audit_log") != audits {
				t.Errorf("the store changed")
			}
		})
	}
}

func TestNFDAndValidOnly(t *testing.T) {
	svc, ctx := world(t)
	nfd := "Nguye\u0302\u0303n Thi\u0323 Hoa" // "Nguyễn Thị Hoa" decomposed
	data := book(t, candHeaders,
		[]any{nfd, "15/03/1990", "Nu\u031b\u0303", "Kinh", "", "066190000003", "Tiểu học", "", "eaphe-t1", ""},
		cand("Lê Văn Sai", "30/02/1990", cccd(4), "eaphe-t1"))
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
	if res.OK() || res.Imported != 0 || count(t, svc, "people") != 0 {
		t.Fatalf("default: %+v", res)
	}
	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{DryRun: true, ValidOnly: true})
	if res.Valid != 1 || res.Imported != 0 || count(t, svc, "people") != 0 {
		t.Fatalf("dry run: %+v", res)
	}
	res = run(t, svc, ctx, importer.KindCandidates, data, importer.Options{ValidOnly: true})
	if res.Imported != 1 || len(res.Errors) != 1 {
		t.Fatalf("valid only: %+v", res)
	}
	if p := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Nguyễn Thị Hoa"}, 1)[0]; p.FullName != "Nguyễn Thị Hoa" || p.Sex != domain.Female {
		t.Fatalf("NFD name not stored as NFC: %+v", p)
	}
}

func TestSecretaryOtherChapter(t *testing.T) {
	svc, ctx := world(t)
	u, err := svc.CreateUser(ctx, service.NewUser{Username: "bithu", Role: domain.RoleSecretary, OrgCode: "eaphe-t1", Password: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	sctx := service.WithUser(ctx, u)
	data := book(t, candHeaders, cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"), cand("Lê Văn Bảo", "15/03/1990", cccd(2), "eakly-t2"))
	res := run(t, svc, sctx, importer.KindCandidates, data, importer.Options{})
	if res.Imported != 0 || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != "Mã tổ chức" ||
		!strings.Contains(res.Errors[0].Message, "nằm ngoài phạm vi") || strings.Contains(res.Errors[0].Message, "thôn 2") || count(t, svc, "people") != 0 {
		t.Fatalf("%+v", res)
	}
	// an unknown code reads the same as one outside the scope
	unknown := run(t, svc, sctx, importer.KindCandidates, book(t, candHeaders, cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"),
		cand("Lê Văn Bảo", "15/03/1990", cccd(2), "khong-co")), importer.Options{})
	if len(unknown.Errors) != 1 || unknown.Errors[0] != res.Errors[0] {
		t.Errorf("unknown code: %+v; outside the scope: %+v", unknown.Errors, res.Errors)
	}
	// a secretary may not import targets at all
	if _, err := importer.Import(sctx, svc, importer.KindTargets, data, importer.Options{}); domain.ErrorCode(err) != domain.EForbidden {
		t.Fatalf("targets by a secretary: %v", err)
	}
	// nor members: their admission decisions are recorded from paper by
	// organizers and admins (DOMAIN §4)
	if _, err := importer.Import(sctx, svc, importer.KindMembers, data, importer.Options{}); domain.ErrorCode(err) != domain.EForbidden ||
		!strings.Contains(domain.ErrorMessage(err), "không được phép nhập danh sách đảng viên") {
		t.Fatalf("members by a secretary: %v", err)
	}
}

func TestImportMembersOrgsTargets(t *testing.T) {
	svc, ctx := world(t)
	orgs := book(t, []string{"Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Khối", "Mã tổ chức cấp trên", "Ngày thành lập"},
		[]any{"eaphe-t3", "Chi bộ thôn 3", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021"},
		[]any{"eaphe-cb", "Đảng bộ bộ phận khối cơ quan", "Đảng bộ bộ phận", "Cơ quan", "eaphe", "01/01/2021"},
		[]any{"eaphe-cb1", "Chi bộ cơ quan 1", "Chi bộ trực thuộc", "Cơ quan", "eaphe-cb", "01/01/2021"})
	before := count(t, svc, "orgs")
	res := run(t, svc, ctx, importer.KindOrgs, orgs, importer.Options{})
	if !res.OK() || res.Imported != 3 || count(t, svc, "orgs") != before+3 {
		t.Fatalf("orgs: %+v", res)
	}
	if o := org(t, svc, ctx, "eaphe-cb1"); !strings.HasPrefix(o.Path, "/1/2/") {
		t.Fatalf("eaphe-cb1: %+v", o)
	}
	if res = run(t, svc, ctx, importer.KindOrgs, orgs, importer.Options{}); !res.OK() || res.Unchanged != 3 || count(t, svc, "orgs") != before+3 {
		t.Fatalf("orgs again: %+v", res)
	}

	mh := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức",
		"Số quyết định kết nạp", "Ngày quyết định kết nạp", "Mã cấp quyết định", "Ngày lễ kết nạp", "Ngày công nhận chính thức"}
	members := book(t, mh,
		[]any{"Y Bơ Niê", "02/02/1985", "Nam", "Ê Đê", "066085000010", "Trung học phổ thông", "eaphe-t3", "12-QĐ/HU", "10/01/2020", "kp", "20/01/2020", "25/01/2021"},
		[]any{"H'Hen Mlô", "03/03/1995", "Nữ", "Ê Đê", "066195000011", "Trung học phổ thông", "eaphe-t3", "40-QĐ/HU", "10/03/2024", "kp", "", ""})
	res = run(t, svc, ctx, importer.KindMembers, members, importer.Options{})
	if !res.OK() || res.Imported != 2 || count(t, svc, "memberships") != 2 {
		t.Fatalf("members: %+v", res)
	}
	if p := findPeople(t, svc, ctx, service.PeopleQuery{Stages: []string{domain.StageOfficial}}, 1)[0]; p.FullName != "Y Bơ Niê" {
		t.Fatalf("official: %+v", p)
	} else if v, err := svc.Person(ctx, p.ID, false); err != nil || len(v.Memberships) != 1 || v.Memberships[0].Origin != domain.OriginImport {
		t.Fatalf("Y Bơ Niê's admission is not marked as imported: %+v, %v", v, err)
	}
	// the 2024 admission counts, among those recorded rather than reached through a case
	if p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "eaphe", Year: 2024, AsOf: domain.Day(2024, 5, 31)}); err != nil || p.Admitted != 1 || p.Recorded != 1 {
		t.Fatalf("progress after the members import: %+v, %v", p, err)
	}
	if res = run(t, svc, ctx, importer.KindMembers, members, importer.Options{}); res.Unchanged != 2 || count(t, svc, "memberships") != 2 {
		t.Fatalf("members again: %+v", res)
	}

	targets := book(t, []string{"Mã tổ chức", "Năm", "Loại", "Số lượng", "Hạn hoàn thành"},
		[]any{"eaphe", 2024, "Chỉ tiêu", 12, "30/11/2024"},
		[]any{"eaphe-t3", "2024", "Kế hoạch", 3, ""})
	if res = run(t, svc, ctx, importer.KindTargets, targets, importer.Options{}); !res.OK() || res.Imported != 2 || count(t, svc, "targets") != 2 {
		t.Fatalf("targets: %+v", res)
	}
	if res = run(t, svc, ctx, importer.KindTargets, targets, importer.Options{}); res.Unchanged != 2 || res.Imported != 0 {
		t.Fatalf("targets again: %+v", res)
	}
	bad := book(t, []string{"Mã tổ chức", "Năm", "Loại", "Số lượng", "Hạn hoàn thành"},
		[]any{"eaphe", 2024, "Chỉ tiêu", 12, "30/11/2025"})
	if res = run(t, svc, ctx, importer.KindTargets, bad, importer.Options{}); firstError(t, res).Column != "Hạn hoàn thành" {
		t.Fatalf("bad target: %+v", res)
	}
}

func TestProgress(t *testing.T) {
	svc, ctx := world(t)
	var seen []string
	res := run(t, svc, ctx, importer.KindCandidates, candidatesFile(t, importer.ProgressEvery+1), importer.Options{
		Progress: func(phase string, done, total int) { seen = append(seen, fmt.Sprintf("%s %d/%d", phase, done, total)) }})
	if !res.OK() || res.Imported != importer.ProgressEvery+1 {
		t.Fatalf("%+v", res.Errors[:min(3, len(res.Errors))])
	}
	want := fmt.Sprintf("kiểm tra %d/%d|ghi %d/%d", importer.ProgressEvery, importer.ProgressEvery+1, importer.ProgressEvery, importer.ProgressEvery+1)
	if got := strings.Join(seen, "|"); got != want {
		t.Errorf("progress %q; want %q", got, want)
	}
}

func TestBrokenOrgsMembersTargets(t *testing.T) {
	svc, ctx := world(t)
	oh := []string{"Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Khối", "Mã tổ chức cấp trên", "Ngày thành lập"}
	mh := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức",
		"Số quyết định kết nạp", "Ngày quyết định kết nạp"}
	th := []string{"Mã tổ chức", "Năm", "Loại", "Số lượng"}
	cases := []struct {
		kind        string
		data        []byte
		row         int
		column, msg string
	}{
		{importer.KindOrgs, book(t, oh, []any{"eaphe-t9", "Chi bộ thôn 9", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "khong-co", "01/01/2021"}),
			2, "Mã tổ chức cấp trên", `Không có tổ chức mã "khong-co"`},
		{importer.KindOrgs, book(t, oh, []any{"eaphe-t9", "Chi bộ thôn 9", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021"},
			[]any{"eaphe-t9", "Chi bộ thôn 9 mới", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021"}),
			3, "Mã tổ chức", "trùng với dòng 2"},
		{importer.KindOrgs, book(t, oh, []any{"eaphe-t1", "Chi bộ khác", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021"}),
			2, "Mã tổ chức", "đã được dùng cho Chi bộ thôn 1"},
		{importer.KindOrgs, book(t, oh, []any{"eaphe-t9", "Chi bộ thôn 9", "Chi bộ lớn", "Xã, phường, thị trấn", "eaphe", "01/01/2021"}),
			2, "Loại tổ chức", "không có trong danh mục"},
		{importer.KindMembers, book(t, mh, []any{"Y Bơ Niê", "02/02/1985", "Nam", "Ê-đê", "066085000010", "Tiểu học", "eaphe-t1", "", "10/01/2020"}),
			2, "Số quyết định kết nạp", "Chưa nhập"},
		{importer.KindMembers, book(t, mh, []any{"Y Bơ Niê", "02/02/1985", "Nam", "Ê-đê", "066085000010", "Tiểu học", "eaphe-t1", "1-QĐ", "10/01/2030"}),
			2, "Ngày quyết định kết nạp", "không được sau hôm nay"},
		{importer.KindTargets, book(t, th, []any{"eaphe", "hai nghìn", "Chỉ tiêu", 3}), 2, "Năm", "không phải là số nguyên"},
		{importer.KindTargets, book(t, th, []any{"eaphe", 2024, "Chỉ tiêu", 3}, []any{"eaphe", 2024, "Chỉ tiêu", 4}), 3, "Mã tổ chức", "trùng với dòng 2"},
	}
	for _, c := range cases {
		before := count(t, svc, "orgs") + count(t, svc, "people") + count(t, svc, "memberships") + count(t, svc, "targets")
		res := run(t, svc, ctx, c.kind, c.data, importer.Options{})
		found := false
		for _, p := range res.Errors {
			found = found || (p.Row == c.row && p.Column == c.column && strings.Contains(p.Message, c.msg))
		}
		if !found || res.Imported != 0 {
			t.Errorf("%s: %+v; want row %d column %q containing %q", c.kind, res.Errors, c.row, c.column, c.msg)
		}
		if after := count(t, svc, "orgs") + count(t, svc, "people") + count(t, svc, "memberships") + count(t, svc, "targets"); after != before {
			t.Errorf("%s: the store changed", c.kind)
		}
	}
}
