package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
)

// smallDB is a store with a district and one chapter.
func smallDB(t *testing.T) string {
	t.Helper()
	db := testkit.DSN(t)
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, nil)
	ctx := service.WithUser(context.Background(), service.System)
	for _, o := range []service.OrgInput{
		{Code: "kp", Name: "Đảng bộ huyện Krông Pắc", Kind: domain.KindDistrict, Sector: "commune", ValidFrom: domain.Day(2020, 1, 1)},
		{Code: "kp-t1", Name: "Chi bộ thôn 1", Kind: domain.KindChapter, Sector: "commune", ParentCode: "kp", ValidFrom: domain.Day(2020, 1, 1)},
	} {
		if _, err := svc.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestExportTemplateAndImport(t *testing.T) {
	db := smallDB(t)
	tpl := filepath.Join(t.TempDir(), "mau.xlsx")
	if code, _, errs := runCLI(t, "", "export", "template", "candidates", "-o", tpl, "--db", db); code != 0 {
		t.Fatalf("export template: %d %s", code, errs)
	}
	f, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := f.GetRows("Dữ liệu")
	col := map[string]string{}
	for i, h := range head[0] {
		col[h], _ = excelize.ColumnNumberToName(i + 1)
	}
	set := func(row int, h, v string) {
		if err := f.SetCellStr("Dữ liệu", col[h]+string(rune('0'+row)), v); err != nil {
			t.Fatal(err)
		}
	}
	for row, r := range [][]string{
		{"Nguyễn Văn An", "15/03/1990", "Nam", "Kinh", "066090000001"},
		{"Hoàng Thị Bình", "02/02/1990", "Nữ", "Ê-đê", "066190000002"},
	} {
		set(row+2, "Họ và tên", r[0])
		set(row+2, "Ngày sinh", r[1])
		set(row+2, "Giới tính", r[2])
		set(row+2, "Dân tộc", r[3])
		set(row+2, "Số CCCD", r[4])
		set(row+2, "Trình độ học vấn", "Tiểu học")
		set(row+2, "Mã tổ chức", "kp-t1")
	}
	good := filepath.Join(t.TempDir(), "tot.xlsx")
	if err := f.SaveAs(good); err != nil {
		t.Fatal(err)
	}
	set(3, "Ngày sinh", "31/02/1990")
	bad := filepath.Join(t.TempDir(), "sai.xlsx")
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, out, _ := runCLI(t, "", "import", "candidates", bad, "--format", "json", "--db", db)
	var res struct {
		Imported int `json:"imported"`
		Errors   []struct {
			Sheet, Column, Message string
			Row                    int
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 1 || res.Imported != 0 || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != "Ngày sinh" || res.Errors[0].Sheet != "Dữ liệu" {
		t.Fatalf("broken file: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "import", "candidates", bad, "--valid-only", "--db", db); code != 0 || !strings.Contains(out, "Đã nhập 1 dòng") {
		t.Fatalf("--valid-only: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "import", "candidates", good, "--dry-run", "--db", db); code != 0 || !strings.Contains(out, "1 dòng mới hợp lệ, 1 dòng đã có") {
		t.Fatalf("--dry-run: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "import", "candidates", good, "--db", db); code != 0 || !strings.Contains(out, "Đã nhập 1 dòng; 1 dòng đã có") {
		t.Fatalf("import: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "import", "candidates", good, "--db", db); code != 0 || !strings.Contains(out, "Đã nhập 0 dòng; 2 dòng đã có") {
		t.Fatalf("re-import: %d %s", code, out)
	}
	pdf := filepath.Join(t.TempDir(), "danh-sach.xlsx")
	os.WriteFile(pdf, []byte("%PDF-1.4 not a workbook"), 0o600)
	if code, out, _ := runCLI(t, "", "import", "candidates", pdf, "--db", db); code != 1 || !strings.Contains(out, "đây là tệp PDF") {
		t.Fatalf("pdf: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, "", "import", "people", good); code != exitUsage {
		t.Fatalf("unknown kind: %d", code)
	}
	if code, _, _ := runCLI(t, "", "export", "nothing"); code != exitUsage {
		t.Fatalf("unknown export: %d", code)
	}
}

// ketnap export orgs|targets writes the data on the import's template;
// importing it back changes nothing.
func TestExportOrgsAndTargetsReadBack(t *testing.T) {
	db := smallDB(t)
	dir := t.TempDir()
	orgs, targets := filepath.Join(dir, "to-chuc.xlsx"), filepath.Join(dir, "chi-tieu.xlsx")
	if code, out, errs := runCLI(t, "", "export", "orgs", "-o", orgs, "--db", db); code != 0 || !strings.Contains(out, "theo mẫu nhập: "+orgs) {
		t.Fatalf("export orgs: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "", "import", "orgs", orgs, "--dry-run", "--db", db); code != 0 || !strings.Contains(out, "0 dòng mới hợp lệ, 2 dòng đã có, 0 lỗi") {
		t.Fatalf("orgs read back: %d %s", code, out)
	}
	if code, _, errs := runCLI(t, "", "export", "targets", "-o", targets, "--db", db); code != exitUsage || !strings.Contains(errs, "--year") {
		t.Fatalf("targets without a year: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "export", "targets", "--year", "2024", "--org", "khong-co", "-o", targets, "--db", db); code == 0 || errs == "" {
		t.Fatalf("targets of an unknown unit: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "export", "targets", "--year", "2024", "-o", targets, "--db", db); code != 0 {
		t.Fatalf("export targets: %d %s", code, errs)
	}
}
