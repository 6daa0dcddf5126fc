package importer_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// Issue 14, item 1: files as district offices keep them.

// officeHeaders are the headers of a list of outstanding non-members as
// an office writes them: an STT column, "(*)" on the required ones, a
// line break, the office's own wordings.
var officeHeaders = []string{"STT", "Họ và tên (*)", "Ngày, tháng,\nnăm sinh", "Giới tính", "Dân tộc", "Số CCCD/CMND",
	"TRÌNH ĐỘ VĂN HÓA", "Đơn vị công tác", "Mã chi bộ"}

// officeBook builds a workbook as an office sends it: a first sheet of
// notes, then the list on a sheet of its own name with a title block
// (merged cells) above the header on row head, a numbering row under it,
// and rows (any cell may be a time.Time: an Excel date cell).
func officeBook(t *testing.T, head int, headers []string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Ghi chú"); err != nil {
		t.Fatal(err)
	}
	f.SetCellStr("Ghi chú", "A1", "Danh sách gửi Ban Tổ chức Huyện ủy trước ngày 15/5")
	const sh = "DS QCUT"
	if _, err := f.NewSheet(sh); err != nil {
		t.Fatal(err)
	}
	last, _ := excelize.ColumnNumberToName(len(headers))
	title := []string{"ĐẢNG BỘ HUYỆN KRÔNG PẮC", "ĐẢNG ỦY XÃ EA PHÊ", "DANH SÁCH QUẦN CHÚNG ƯU TÚ NĂM 2024"}
	for i := 0; i < head-2 && i < len(title); i++ {
		f.SetCellStr(sh, fmt.Sprintf("A%d", i+1), title[i])
		if err := f.MergeCell(sh, fmt.Sprintf("A%d", i+1), fmt.Sprintf("%s%d", last, i+1)); err != nil {
			t.Fatal(err)
		}
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for c, h := range headers {
		ref, _ := excelize.CoordinatesToCellName(c+1, head)
		f.SetCellStr(sh, ref, h)
		ref, _ = excelize.CoordinatesToCellName(c+1, head+1)
		f.SetCellStr(sh, ref, fmt.Sprintf("(%d)", c+1))
	}
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, head+2+r)
			switch v := v.(type) {
			case string:
				f.SetCellStr(sh, ref, v)
			case time.Time:
				f.SetCellValue(sh, ref, v)
				f.SetCellStyle(sh, ref, ref, date)
			default:
				f.SetCellValue(sh, ref, v)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func officeRow(stt int, name string, birth any, id, workplace, org string) []any {
	return []any{stt, name, birth, "Nam", "Kinh", id, "12/12", workplace, org}
}

func TestOfficeShapedFiles(t *testing.T) {
	for _, head := range []int{4, 5} {
		t.Run(fmt.Sprintf("header on row %d", head), func(t *testing.T) {
			svc, ctx := world(t)
			data := officeBook(t, head, officeHeaders,
				officeRow(1, "Nguyễn Văn An", "4/5/1990", cccd(1), "Trường THCS Ea Phê", "eaphe-t1"),
				officeRow(2, "Trần Văn Bình", "04-05-1990", cccd(2), "", "eaphe-t1"),
				[]any{3}, // a numbered row left empty
				officeRow(4, "Lê Văn Cường", "04.05.1990", cccd(3), "", "eakly-t2"),
				officeRow(5, "Phạm Văn Dũng", time.Date(1990, 5, 4, 0, 0, 0, 0, time.UTC), cccd(4), "", "eakly-t2"))
			res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{})
			if !res.OK() || res.Imported != 4 || res.Rows != 4 || count(t, svc, "people") != 4 {
				t.Fatalf("%+v", res)
			}
			for _, p := range findPeople(t, svc, ctx, service.PeopleQuery{}, 4) {
				if !p.BirthDate.Equal(domain.Day(1990, 5, 4)) || p.Education != "upper_secondary" {
					t.Errorf("%s: born %s, education %s; want 04/05/1990, upper_secondary", p.FullName, p.BirthDate, p.Education)
				}
			}
			if a := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Nguyễn Văn An"}, 1)[0]; a.Workplace != "Trường THCS Ea Phê" {
				t.Errorf("workplace from “Đơn vị công tác”: %q", a.Workplace)
			}
			// a two-digit year: refused on the file's row and column, asking for four digits
			bad := officeBook(t, head, officeHeaders, officeRow(1, "Võ Văn Em", "4/5/99", cccd(5), "", "eaphe-t1"))
			res = run(t, svc, ctx, importer.KindCandidates, bad, importer.Options{DryRun: true})
			e := firstError(t, res)
			if len(res.Errors) != 1 || e.Sheet != "DS QCUT" || e.Row != head+2 || e.Column != "Ngày, tháng, năm sinh" ||
				e.Cell != fmt.Sprintf("C%d", head+2) || !strings.Contains(e.Message, "bốn chữ số") || !strings.Contains(e.Message, "1999") {
				t.Fatalf("two-digit year: %+v", res.Errors)
			}
		})
	}
}

// A sheet named "Dữ liệu" is the data even when another comes first; a
// header with no row holding the required columns names what is missing.
func TestOfficeHeaderNotFound(t *testing.T) {
	svc, ctx := world(t)
	headers := slices.Clone(officeHeaders)
	headers[5] = "Số điện thoại" // no citizen ID column
	res := run(t, svc, ctx, importer.KindCandidates, officeBook(t, 4, headers, officeRow(1, "Nguyễn Văn An", "4/5/1990", cccd(1), "", "eaphe-t1")), importer.Options{})
	e := firstError(t, res)
	if e.Sheet != "Ghi chú" || !slices.ContainsFunc(res.Errors, func(p importer.Problem) bool { return p.Column == importer.ColCCCD }) ||
		!strings.Contains(e.Message, "20 dòng đầu") || count(t, svc, "people") != 0 {
		t.Fatalf("%+v", res.Errors)
	}
	// the template's own sheet wins
	data := book(t, candHeaders, cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"))
	if res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{DryRun: true}); !res.OK() || res.Valid != 1 {
		t.Fatalf("template: %+v", res)
	}
}

// Issue 14, item 2: a re-imported person who differs is updated, on the
// columns the file has; the procedure's own facts are refused on their
// column with the step to record.
func TestReimportUpdates(t *testing.T) {
	svc, ctx := world(t)
	first := officeBook(t, 4, officeHeaders,
		officeRow(1, "Nguyễn Văn An", "4/5/1990", cccd(1), "Trường THCS Ea Phê", "eaphe-t1"),
		officeRow(2, "Trần Văn Bình", "4/5/1990", cccd(2), "", "eaphe-t1"))
	if res := run(t, svc, ctx, importer.KindCandidates, first, importer.Options{}); !res.OK() || res.Imported != 2 {
		t.Fatalf("first: %+v", res)
	}
	moved := officeBook(t, 4, officeHeaders,
		officeRow(1, "Nguyễn Văn An", "4/5/1990", cccd(1), "Trường THPT Krông Pắc", "eakly-t2"),
		officeRow(2, "Trần Văn Bình", "4/5/1990", cccd(2), "", "eaphe-t1"))
	before := count(t, svc, "audit_log")
	res := run(t, svc, ctx, importer.KindCandidates, moved, importer.Options{DryRun: true})
	wantCols := []string{"Đơn vị công tác", "Mã chi bộ"}
	if !res.OK() || res.Updated != 1 || res.Unchanged != 1 || len(res.UpdatedRows) != 1 || res.UpdatedRows[0].Row != 6 ||
		!slices.Equal(res.UpdatedRows[0].Columns, wantCols) || count(t, svc, "audit_log") != before {
		t.Fatalf("dry run: %+v", res)
	}
	if a := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Nguyễn Văn An"}, 1)[0]; a.OrgID != org(t, svc, ctx, "eaphe-t1").ID {
		t.Fatalf("the dry run moved An")
	}
	res = run(t, svc, ctx, importer.KindCandidates, moved, importer.Options{})
	if !res.OK() || res.Updated != 1 || res.Unchanged != 1 || len(res.UpdatedRows) != 1 || !slices.Equal(res.UpdatedRows[0].Columns, wantCols) {
		t.Fatalf("real run: %+v", res)
	}
	a := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Nguyễn Văn An"}, 1)[0]
	if a.OrgID != org(t, svc, ctx, "eakly-t2").ID || a.Workplace != "Trường THPT Krông Pắc" {
		t.Fatalf("An after the update: %+v", a)
	}
	var detail string
	if err := storeOf(t, svc).DB().QueryRow(`SELECT detail FROM audit_log WHERE entity = 'person' AND action = 'update' AND entity_id = $1`, a.ID).Scan(&detail); err != nil ||
		!strings.Contains(detail, `"field":"org","old":"eaphe-t1","new":"eakly-t2"`) || !strings.Contains(detail, `"field":"workplace"`) {
		t.Fatalf("audit of the update: %q, %v", detail, err)
	}
	// the same file again: identical, unchanged
	if res := run(t, svc, ctx, importer.KindCandidates, moved, importer.Options{}); !res.OK() || res.Unchanged != 2 || res.Updated != 0 || len(res.UpdatedRows) != 0 {
		t.Fatalf("again: %+v", res)
	}

	// the stage is the procedure's: refused on its column with the step
	stage := book(t, candHeaders, []any{"Nguyễn Văn An", "04/05/1990", "Nam", "Kinh", "", cccd(1), "Trung học phổ thông", "", "eakly-t2", "Đang làm hồ sơ kết nạp"})
	for _, dry := range []bool{true, false} {
		res := run(t, svc, ctx, importer.KindCandidates, stage, importer.Options{DryRun: dry})
		if e := firstError(t, res); e.Row != 2 || e.Column != importer.ColStage || !strings.Contains(e.Message, "lập hồ sơ") || res.Updated != 0 {
			t.Fatalf("stage (dry %v): %+v", dry, res.Errors)
		}
	}

	// a secretary moving a person out of her chapter: refused on the unit's
	// column, nothing of the other unit named
	u, err := svc.CreateUser(ctx, service.NewUser{Username: "bithu", Role: domain.RoleSecretary, OrgCode: "eaphe-t1", Password: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	out := officeBook(t, 4, officeHeaders, officeRow(2, "Trần Văn Bình", "4/5/1990", cccd(2), "", "eakly-t2"))
	res = run(t, svc, service.WithUser(ctx, u), importer.KindCandidates, out, importer.Options{})
	if e := firstError(t, res); e.Row != 6 || e.Column != "Mã chi bộ" || !strings.Contains(e.Message, "ngoài phạm vi") ||
		strings.Contains(e.Message, "Chi bộ thôn 2") || strings.Contains(e.Message, "Ea Kly") {
		t.Fatalf("out of scope: %+v", res.Errors)
	}
	if b := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Trần Văn Bình"}, 1)[0]; b.OrgID != org(t, svc, ctx, "eaphe-t1").ID {
		t.Fatalf("Bình moved out of scope")
	}
}

// A members file: a member's unit moves; the admission decision is the
// procedure's.
func TestReimportMembers(t *testing.T) {
	svc, ctx := world(t)
	mh := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức",
		"Số quyết định kết nạp", "Ngày vào Đảng", "Ngày lễ kết nạp", "Ngày công nhận chính thức"}
	row := func(org, no, recognised string) []any {
		return []any{"Y Bơ Niê", "02/02/1985", "Nam", "Ê Đê", "066085000010", "Trung học phổ thông", org, no, "10/01/2020", "20/01/2020", recognised}
	}
	if res := run(t, svc, ctx, importer.KindMembers, book(t, mh, row("eaphe-t1", "12-QĐ/HU", "25/01/2021")), importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("first: %+v", res)
	}
	res := run(t, svc, ctx, importer.KindMembers, book(t, mh, row("eakly-t2", "12-QĐ/HU", "25/01/2021")), importer.Options{})
	if !res.OK() || res.Updated != 1 || len(res.UpdatedRows) != 1 || !slices.Equal(res.UpdatedRows[0].Columns, []string{importer.ColOrg}) {
		t.Fatalf("moved: %+v", res)
	}
	if p := findPeople(t, svc, ctx, service.PeopleQuery{Query: "Y Bơ Niê"}, 1)[0]; p.OrgID != org(t, svc, ctx, "eakly-t2").ID {
		t.Fatalf("not moved: %+v", p)
	}
	for _, tc := range []struct {
		row        []any
		col, words string
	}{
		{row("eakly-t2", "99-QĐ/HU", "25/01/2021"), importer.ColDecisionNo, "12-QĐ/HU"},
		{row("eakly-t2", "12-QĐ/HU", "25/02/2021"), importer.ColRecognition, "đính chính"},
		{row("eakly-t2", "12-QĐ/HU", ""), importer.ColRecognition, "Không sửa trực tiếp giai đoạn"},
	} {
		for _, dry := range []bool{true, false} {
			res := run(t, svc, ctx, importer.KindMembers, book(t, mh, tc.row), importer.Options{DryRun: dry})
			if e := firstError(t, res); e.Row != 2 || e.Column != tc.col || !strings.Contains(e.Message, tc.words) {
				t.Fatalf("%v (dry %v): %+v", tc.row, dry, res.Errors)
			}
		}
	}
}

// Issue 14, item 3: closing a unit that still has open units under it is
// found by the dry run, and the real run reports it on its row and column
// (it used to fail with a bare error).
func TestImportOrgsClosingWithOpenChildren(t *testing.T) {
	svc, ctx := world(t)
	data := book(t, orgHeaders,
		[]any{"eaphe-t3", "Chi bộ thôn 3", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "", "", "", ""},
		[]any{"eakly", "Đảng bộ xã Ea Kly", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "kp", "01/01/2020", "31/05/2024", "eaphe", "", ""})
	before := count(t, svc, "orgs")
	for _, opt := range []importer.Options{{DryRun: true}, {}} {
		res := run(t, svc, ctx, importer.KindOrgs, data, opt)
		e := firstError(t, res)
		if len(res.Errors) != 1 || e.Sheet != importer.DataSheet || e.Row != 3 || e.Column != importer.ColClosed || e.Cell != "G3" ||
			!strings.Contains(e.Message, "Chi bộ thôn 2") || res.Imported != 0 || res.Valid != 1 || count(t, svc, "orgs") != before {
			t.Fatalf("%+v: %+v", opt, res)
		}
	}
	// with --valid-only the other row is written
	res := run(t, svc, ctx, importer.KindOrgs, data, importer.Options{ValidOnly: true})
	if len(res.Errors) != 1 || res.Imported != 1 || count(t, svc, "orgs") != before+1 || org(t, svc, ctx, "eakly").ValidTo != nil {
		t.Fatalf("valid only: %+v", res)
	}
}
