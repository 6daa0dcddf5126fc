package importer_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

var orgHeaders = []string{"Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Khối", "Mã tổ chức cấp trên", "Ngày thành lập",
	importer.ColClosed, importer.ColSuccessor, importer.ColDecider, importer.ColAuthorised}

// An organizations file records closings with their successors (so that
// a closed unit's admissions roll up to its successor) and the body that
// decides admissions (DOMAIN §2: an authorised grassroots committee).
func TestImportOrgsClosingsAndAuthority(t *testing.T) {
	svc, ctx := world(t)
	// an authority from a past day (the company's founding): recorded by a
	// system admin with the reason (issue 13)
	data := book(t, append(slices.Clone(orgHeaders), importer.ColAuthorityReason),
		[]any{"eaphe-t3", "Chi bộ thôn 3", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "30/06/2023", "eaphe-t4", "", ""},
		[]any{"eaphe-t4", "Chi bộ thôn 3 và 4", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/07/2023", "", "", "", ""},
		[]any{"cty", "Đảng bộ Công ty cà phê", "Đảng bộ cơ sở", "Doanh nghiệp", "kp", "01/01/2020", "", "", "cty", "Có", "Ghi lại theo Quyết định ủy quyền năm 2020"},
		[]any{"cty-cb1", "Chi bộ Đội 1", "Chi bộ trực thuộc", "Doanh nghiệp", "cty", "01/01/2020", "", "", "", ""},
		// an organization already in the store closes into the new one
		[]any{"eaphe-t1", "Chi bộ thôn 1", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2020", "31/12/2023", "eaphe-t4", "", ""})
	res := run(t, svc, ctx, importer.KindOrgs, data, importer.Options{})
	if !res.OK() || res.Imported != 5 {
		t.Fatalf("import: %+v", res.Errors)
	}
	t3, t4, t1 := org(t, svc, ctx, "eaphe-t3"), org(t, svc, ctx, "eaphe-t4"), org(t, svc, ctx, "eaphe-t1")
	if t3.ValidTo == nil || !t3.ValidTo.Equal(domain.Day(2023, 6, 30)) || t3.SuccessorID != t4.ID {
		t.Errorf("eaphe-t3: closed %v, successor %d; want 30/06/2023 and %d", t3.ValidTo, t3.SuccessorID, t4.ID)
	}
	if t1.ValidTo == nil || !t1.ValidTo.Equal(domain.Day(2023, 12, 31)) || t1.SuccessorID != t4.ID {
		t.Errorf("eaphe-t1: closed %v, successor %d", t1.ValidTo, t1.SuccessorID)
	}
	cty, cb1 := org(t, svc, ctx, "cty"), org(t, svc, ctx, "cty-cb1")
	a, err := storeOf(t, svc).AuthorityOn(ctx, cb1, domain.Day(2024, 1, 1))
	if err != nil || a == nil || a.DeciderID != cty.ID || !a.Authorised || a.OrgID != cty.ID {
		t.Fatalf("authority of the company's chapters: %+v %v", a, err)
	}
	// re-importing changes nothing
	audits := count(t, svc, "audit_log")
	if res = run(t, svc, ctx, importer.KindOrgs, data, importer.Options{}); !res.OK() || res.Imported != 0 || res.Unchanged != 5 || count(t, svc, "audit_log") != audits {
		t.Fatalf("re-import: %+v", res)
	}
	// the export in the import's format carries the closings, successors,
	// authorities and Youth Union organisations (a company's units have none
	// by default), and reads back unchanged
	var b bytes.Buffer
	if err := importer.ExportOrgs(ctx, svc, "", &b); err != nil {
		t.Fatal(err)
	}
	rows := sheet(t, b.Bytes(), importer.DataSheet)
	if all := fmt.Sprint(rows); !strings.Contains(all, "[eaphe-t3 Chi bộ thôn 3 Chi bộ trực thuộc Xã, phường, thị trấn eaphe 01/01/2021 30/06/2023 eaphe-t4    Có]") ||
		!strings.Contains(all, "01/01/2020   cty Có 01/01/2020 Không]") || !strings.Contains(all, "01/07/2023      Có]") {
		t.Errorf("export: %v", rows)
	}
	if res = run(t, svc, ctx, importer.KindOrgs, b.Bytes(), importer.Options{}); !res.OK() || res.Unchanged != len(rows)-1 || res.Imported != 0 {
		t.Fatalf("export read back: %+v", res)
	}
}

// A unit records whether it has a Youth Union organisation: the column
// "Có tổ chức Đoàn" sets it; a blank cell gives a new unit the default of
// its kind and sector (yes for communes, agencies, schools) and keeps the
// answer of a unit in the store. The export writes it and reads back
// unchanged.
func TestImportOrgsYouthUnion(t *testing.T) {
	svc, ctx := world(t)
	headers := append(slices.Clone(orgHeaders), importer.ColAuthorityFrom, importer.ColYouthOrg)
	data := book(t, headers,
		[]any{"truong", "Chi bộ Trường THCS Ea Phê", "Chi bộ trực thuộc", "Trường học", "eaphe", "01/01/2021", "", "", "", "", "", ""},
		[]any{"cty", "Chi bộ Công ty TNHH Hòa Bình", "Chi bộ trực thuộc", "Doanh nghiệp", "eaphe", "01/01/2021", "", "", "", "", "", ""},
		[]any{"cty2", "Chi bộ Công ty cà phê", "Chi bộ trực thuộc", "Doanh nghiệp", "eaphe", "01/01/2021", "", "", "", "", "", "Có"},
		[]any{"thon5", "Chi bộ thôn 5", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "", "", "", "", "", "Không"},
		// a unit in the store: its answer changes; one left blank keeps it
		[]any{"eaphe-t1", "Chi bộ thôn 1", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2020", "", "", "", "", "", "Không"},
		[]any{"eakly-t2", "Chi bộ thôn 2", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eakly", "01/01/2020", "", "", "", "", "", ""})
	res := run(t, svc, ctx, importer.KindOrgs, data, importer.Options{})
	if !res.OK() || res.Imported != 5 || res.Unchanged != 1 {
		t.Fatalf("import: %+v %+v", res, res.Errors)
	}
	for code, want := range map[string]bool{"truong": true, "cty": false, "cty2": true, "thon5": false, "eaphe-t1": false, "eakly-t2": true} {
		if got := org(t, svc, ctx, code).YouthUnion; got != want {
			t.Errorf("%s: Youth Union organisation %v, want %v", code, got, want)
		}
	}
	if res = run(t, svc, ctx, importer.KindOrgs, data, importer.Options{}); !res.OK() || res.Imported != 0 || res.Unchanged != 6 {
		t.Fatalf("re-import: %+v", res)
	}
	var b bytes.Buffer
	if err := importer.ExportOrgs(ctx, svc, "", &b); err != nil {
		t.Fatal(err)
	}
	rows := sheet(t, b.Bytes(), importer.DataSheet)
	col := slices.Index(rows[0], importer.ColYouthOrg)
	if col < 0 {
		t.Fatalf("export headers %v", rows[0])
	}
	for _, r := range rows[1:] {
		want := "Có"
		if !org(t, svc, ctx, r[0]).YouthUnion {
			want = "Không"
		}
		if r[col] != want {
			t.Errorf("export %s: %q, want %q", r[0], r[col], want)
		}
	}
	if res = run(t, svc, ctx, importer.KindOrgs, b.Bytes(), importer.Options{}); !res.OK() || res.Unchanged != len(rows)-1 || res.Imported != 0 {
		t.Fatalf("export read back: %+v", res)
	}
	bad := book(t, headers, []any{"thon6", "Chi bộ thôn 6", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "", "", "", "", "", "Chắc có"})
	if res = run(t, svc, ctx, importer.KindOrgs, bad, importer.Options{}); res.OK() || len(res.Errors) != 1 || res.Errors[0].Column != importer.ColYouthOrg {
		t.Errorf("a bad cell: %+v", res.Errors)
	}
}

func TestImportOrgsClosingsRefused(t *testing.T) {
	svc, ctx := world(t)
	data := book(t, orgHeaders,
		[]any{"eaphe-t5", "Chi bộ thôn 5", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "", "eaphe-t1", "", ""},
		[]any{"eaphe-t6", "Chi bộ thôn 6", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "30/06/2023", "khong-co", "", ""},
		[]any{"eaphe-t7", "Chi bộ thôn 7", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "", "", "eakly", ""},
		[]any{"eaphe-t8", "Chi bộ thôn 8", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "", "", "eaphe-t8", "Có"},
		[]any{"eaphe-t9", "Chi bộ thôn 9", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2021", "01/01/2020", "", "", ""})
	before := count(t, svc, "orgs")
	res := run(t, svc, ctx, importer.KindOrgs, data, importer.Options{})
	want := []struct {
		row          int
		column, text string
	}{
		{2, importer.ColClosed, "có đơn vị kế thừa phải có ngày giải thể"},
		{3, importer.ColSuccessor, "khong-co"},
		{4, importer.ColDecider, "Cấp quyết định kết nạp của Chi bộ thôn 7 phải là chính tổ chức hoặc cấp trên của nó; Đảng bộ xã Ea Kly thì không"},
		{5, importer.ColAuthorised, "Chỉ đảng ủy cơ sở"},
		{6, importer.ColClosed, "sau ngày thành lập"},
	}
	if res.Imported != 0 || len(res.Errors) != len(want) || count(t, svc, "orgs") != before {
		t.Fatalf("%+v", res.Errors)
	}
	for i, w := range want {
		if e := res.Errors[i]; e.Row != w.row || e.Column != w.column || !strings.Contains(e.Message, w.text) {
			t.Errorf("problem %d: %+v; want row %d, column %q, text %q", i, e, w.row, w.column, w.text)
		}
	}
}

// Targets carry their breakdown lines ("Trong đó: Nữ" …); a file without
// those columns keeps the breakdown recorded on the page.
func TestImportTargetBreakdown(t *testing.T) {
	svc, ctx := world(t)
	heads := []string{"Mã tổ chức", "Năm", "Loại", "Số lượng", "Hạn hoàn thành", importer.BreakdownPrefix + "Nữ", importer.BreakdownPrefix + "Đoàn viên"}
	data := book(t, heads, []any{"eaphe", 2024, "Chỉ tiêu", 12, "", 5, ""}, []any{"eakly", 2024, "Chỉ tiêu", 4, "", 6, ""})
	res := run(t, svc, ctx, importer.KindTargets, data, importer.Options{})
	if res.OK() || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != importer.BreakdownPrefix+"Nữ" {
		t.Fatalf("breakdown above the value: %+v", res.Errors)
	}
	data = book(t, heads, []any{"eaphe", 2024, "Chỉ tiêu", 12, "", 5, 3})
	if res = run(t, svc, ctx, importer.KindTargets, data, importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("%+v", res)
	}
	eaphe := org(t, svc, ctx, "eaphe")
	got := func() map[string]int {
		ts, err := storeOf(t, svc).Targets(ctx, eaphe.Path, 2024)
		if err != nil || len(ts) != 1 {
			t.Fatalf("targets %+v %v", ts, err)
		}
		return ts[0].Breakdown
	}
	if b := got(); b["women"] != 5 || b["youth_union"] != 3 || len(b) != 2 {
		t.Fatalf("breakdown %v", b)
	}
	if res = run(t, svc, ctx, importer.KindTargets, data, importer.Options{}); res.Unchanged != 1 || res.Imported != 0 {
		t.Fatalf("re-import: %+v", res)
	}
	// the plain file (no breakdown columns) keeps the breakdown
	plain := book(t, heads[:5], []any{"eaphe", 2024, "Chỉ tiêu", 12, ""})
	if res = run(t, svc, ctx, importer.KindTargets, plain, importer.Options{}); res.Unchanged != 1 {
		t.Fatalf("plain file: %+v", res)
	}
	plain = book(t, heads[:5], []any{"eaphe", 2024, "Chỉ tiêu", 14, ""})
	if res = run(t, svc, ctx, importer.KindTargets, plain, importer.Options{}); res.Imported != 1 {
		t.Fatalf("plain file with a new value: %+v", res)
	}
	if b := got(); b["women"] != 5 || b["youth_union"] != 3 {
		t.Fatalf("breakdown lost by a file without its columns: %v", b)
	}
	// a file with one breakdown column changes that line only; an empty
	// cell of a column present clears its line
	women := book(t, heads[:6], []any{"eaphe", 2024, "Chỉ tiêu", 14, "", 6})
	if res = run(t, svc, ctx, importer.KindTargets, women, importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("women only: %+v", res)
	}
	if b := got(); b["women"] != 6 || b["youth_union"] != 3 {
		t.Fatalf("after a file with the women's column only: %v", b)
	}
	cleared := book(t, heads, []any{"eaphe", 2024, "Chỉ tiêu", 14, "", 6, ""})
	if res = run(t, svc, ctx, importer.KindTargets, cleared, importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("cleared: %+v", res)
	}
	if b := got(); b["women"] != 6 || len(b) != 1 {
		t.Fatalf("after clearing the Youth Union line: %v", b)
	}
	// a value below a recorded line the file does not show is explained on the row
	low := book(t, heads[:5], []any{"eaphe", 2024, "Chỉ tiêu", 4, ""})
	res = run(t, svc, ctx, importer.KindTargets, low, importer.Options{DryRun: true})
	if e := firstError(t, res); e.Column != "Số lượng" || !strings.Contains(e.Message, "“Nữ” đã ghi (6)") {
		t.Fatalf("value below a kept line: %+v", res.Errors)
	}
}

// An authority recorded from a date after a unit's founding round-trips:
// the export carries the date, the unchanged file writes nothing, and the
// ladder of the years before keeps the committee that decided then.
func TestImportAuthorityFromADate(t *testing.T) {
	svc, ctx := world(t)
	heads := append(append([]string{}, orgHeaders...), importer.ColAuthorityFrom, importer.ColAuthorityReason)
	row := []any{"eaphe", "Đảng bộ xã Ea Phê", "Đảng bộ cơ sở", "Xã, phường, thị trấn", "kp", "01/01/2020", "", "", "eaphe", "Có", "01/01/2023", ""}
	// a day before today: a system admin gives the reason (issue 13)
	if res := run(t, svc, ctx, importer.KindOrgs, book(t, heads, row), importer.Options{}); res.OK() || len(res.Errors) != 1 ||
		res.Errors[0].Column != importer.ColAuthorityReason || count(t, svc, "org_authority") != 0 {
		t.Fatalf("without a reason: %+v", res)
	}
	row[11] = "Nghị quyết ủy quyền số 5-NQ/HU"
	data := book(t, heads, row)
	if res := run(t, svc, ctx, importer.KindOrgs, data, importer.Options{}); !res.OK() || res.Imported != 1 {
		t.Fatalf("%+v", res)
	}
	eaphe, chapter := org(t, svc, ctx, "eaphe"), org(t, svc, ctx, "eaphe-t1")
	st := storeOf(t, svc)
	before, err := st.AuthorityOn(ctx, chapter, domain.Day(2022, 6, 1))
	if err != nil {
		t.Fatal(err)
	}
	after, err := st.AuthorityOn(ctx, chapter, domain.Day(2023, 6, 1))
	if err != nil {
		t.Fatal(err)
	}
	if before != nil || after == nil || after.DeciderID != eaphe.ID || !after.Authorised || !after.ValidFrom.Equal(domain.Day(2023, 1, 1)) {
		t.Fatalf("authority in 2022 %+v, in 2023 %+v", before, after)
	}
	var b bytes.Buffer
	if err := importer.ExportOrgs(ctx, svc, "", &b); err != nil {
		t.Fatal(err)
	}
	records := count(t, svc, "org_authority")
	res := run(t, svc, ctx, importer.KindOrgs, b.Bytes(), importer.Options{})
	if !res.OK() || res.Imported != 0 || count(t, svc, "org_authority") != records {
		t.Fatalf("the export read back: %+v", res)
	}
	if a, err := st.AuthorityOn(ctx, chapter, domain.Day(2022, 6, 1)); err != nil || a != nil {
		t.Errorf("the export's re-import backdated the authority: %+v %v", a, err)
	}
}

// A row whose cells cannot be read is not imported, and the rows that
// name its code as their parent say so.
func TestImportOrgsUnderAnUnreadableRow(t *testing.T) {
	svc, ctx := world(t)
	data := book(t, orgHeaders,
		[]any{"eaphe-cb", "Đảng bộ bộ phận khối cơ quan", "Đảng bộ bộ phận", "Cơ quan", "eaphe", "31/02/2021", "", "", "", ""},
		[]any{"eaphe-cb1", "Chi bộ cơ quan 1", "Chi bộ trực thuộc", "Cơ quan", "eaphe-cb", "01/03/2021", "", "", "", ""})
	before := count(t, svc, "orgs")
	res := run(t, svc, ctx, importer.KindOrgs, data, importer.Options{ValidOnly: true})
	if res.Imported != 0 || len(res.Errors) != 2 || count(t, svc, "orgs") != before {
		t.Fatalf("%+v", res)
	}
	if e := res.Errors[0]; e.Row != 2 || e.Column != importer.ColFounded || !strings.Contains(e.Message, "31/02/2021") {
		t.Errorf("the unreadable date: %+v", e)
	}
	if e := res.Errors[1]; e.Row != 3 || e.Column != importer.ColParent || e.Message != "Tổ chức cấp trên eaphe-cb ở dòng 2 có lỗi nên chưa nhập được" {
		t.Errorf("the row under it: %+v", e)
	}
}

// The import judges a row with the service's own rules: the message of a
// unit founded before its parent, and of a quota a unit sets itself, is
// the one the forms give.
func TestImportSaysWhatTheFormsSay(t *testing.T) {
	svc, ctx := world(t)
	_, formErr := svc.CreateOrg(ctx, service.OrgInput{Code: "eaphe-t9", Name: "Chi bộ thôn 9", Kind: domain.KindChapter, Sector: "commune",
		ParentCode: "eaphe", ValidFrom: domain.Day(2019, 1, 1)})
	if formErr == nil {
		t.Fatal("a unit founded before its parent was created")
	}
	res := run(t, svc, ctx, importer.KindOrgs, book(t, orgHeaders,
		[]any{"eaphe-t9", "Chi bộ thôn 9", "Chi bộ trực thuộc", "Xã, phường, thị trấn", "eaphe", "01/01/2019", "", "", "", ""}), importer.Options{})
	if e := firstError(t, res); e.Column != importer.ColFounded || e.Message != domain.ErrorMessage(formErr) {
		t.Errorf("import: %+v; the form says %q", e, domain.ErrorMessage(formErr))
	}

	u, err := svc.CreateUser(ctx, service.NewUser{Username: "tochuc", Role: domain.RoleOrganizer, OrgCode: "eaphe", Password: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	uctx := service.WithUser(ctx, u)
	formErr = svc.SetTarget(uctx, service.TargetInput{OrgCode: "eaphe", Year: 2024, Kind: domain.TargetQuota, Value: new(12)})
	if domain.ErrorCode(formErr) != domain.EForbidden {
		t.Fatalf("a quota set on one's own unit: %v", formErr)
	}
	res = run(t, svc, uctx, importer.KindTargets, book(t, []string{"Mã tổ chức", "Năm", "Loại", "Số lượng"},
		[]any{"eaphe", 2024, "Chỉ tiêu", 12}, []any{"eaphe-t1", 2024, "Chỉ tiêu", 3}), importer.Options{ValidOnly: true})
	if e := firstError(t, res); len(res.Errors) != 1 || e.Row != 2 || e.Column != importer.ColTargetKind || e.Message != domain.ErrorMessage(formErr) || res.Imported != 1 {
		t.Errorf("import: %+v; the form says %q", res, domain.ErrorMessage(formErr))
	}
}
