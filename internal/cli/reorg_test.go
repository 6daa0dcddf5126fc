package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ketnap/internal/store"
)

// demoPlan merges two of the demo's communes into a new one under the
// province, moves a school's chapter there and renames a commune, the day
// after the demo's last day (its own reorganisation of 1/7/2025 has made
// the province the top unit and the six new communes its units).
const demoPlan = `{"date": "2026-12-01", "decision": "Quyết định số 1234-QĐ/TU ngày 25/11/2026",
 "create": [{"code": "eaphe-moi", "name": "Đảng bộ xã Ea Phê", "kind": "commune", "parent": "daklak"}],
 "merge":  [{"from": ["daklak-eaphe", "daklak-eaknuec"], "into": "eaphe-moi"}],
 "move":   [{"unit": "krongpac-thpt-lehongphong", "to": "eaphe-moi"}],
 "rename": [{"unit": "daklak-vubon", "name": "Đảng bộ xã Vụ Bổn Krông Pắc"}]}`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// rowCount counts the rows of a table of the database.
func rowCount(t *testing.T, db, table string) int {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReorgApplyCLI(t *testing.T) {
	db := demoDB(t)
	plan := writeFile(t, "phuong-an.json", demoPlan)
	for _, args := range [][]string{
		{"reorg"}, {"reorg", "split"}, {"reorg", "apply"}, {"reorg", "apply", "--dry-run"},
		{"reorg", "apply", plan, "--format", "xml"}, {"reorg", "apply", plan, "other.json"}, {"reorg", "apply", plan, "--nope"},
	} {
		if code, _, errs := runCLI(t, "", append(args, "--db", db)...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d (%q); want 2 with the usage", args, code, errs)
		}
	}
	if code, out, _ := runCLI(t, "", "reorg", "--help"); code != 0 || !strings.Contains(out, "ketnap reorg apply TỆP") {
		t.Errorf("help: %d %q", code, out)
	}

	audits, plans := rowCount(t, db, "audit_log"), rowCount(t, db, "reorg_plans") // the demo's own plan of 1/7/2025
	code, out, errs := runCLI(t, "", "reorg", "apply", "--dry-run", plan, "--db", db)
	if code != 0 {
		t.Fatalf("dry run: %d %s %s", code, out, errs)
	}
	for _, want := range []string{
		"Phương án: Quyết định số 1234-QĐ/TU ngày 25/11/2026; hiệu lực từ ngày 01/12/2026",
		"Thành lập Đảng bộ xã Ea Phê (eaphe-moi) trực thuộc Đảng bộ tỉnh Đắk Lắk (daklak)",
		"Đổi tên Đảng bộ xã Vụ Bổn (daklak-vubon) thành Đảng bộ xã Vụ Bổn Krông Pắc",
		"Sáp nhập Đảng bộ xã Ea Phê (daklak-eaphe) vào Đảng bộ xã Ea Phê (eaphe-moi): 49 đơn vị, 1.491 người, 128 hồ sơ đang mở, 37 thôn/buôn/tổ dân phố",
		"Chuyển Chi bộ Trường THPT Lê Hồng Phong (krongpac-thpt-lehongphong) về trực thuộc Đảng bộ xã Ea Phê (eaphe-moi): 1 đơn vị, 49 người",
		"Tổng cộng chuyển: 89 đơn vị, 2.834 người, 262 hồ sơ đang mở",
		"Kiểm tra xong, không có lỗi (chưa ghi gì)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run lacks %q:\n%s", want, out)
		}
	}
	if rowCount(t, db, "reorg_plans") != plans || rowCount(t, db, "audit_log") != audits {
		t.Fatal("the dry run wrote")
	}

	// every problem at once, exit 1, nothing written
	bad := strings.Replace(strings.Replace(demoPlan, `"daklak-eaknuec"`, `"daklak-khongco"`, 1), `"to": "eaphe-moi"`, `"to": "daklak-eaphe"`, 1)
	code, out, errs = runCLI(t, "", "reorg", "apply", writeFile(t, "sai.json", bad), "--db", db)
	if code != 1 || !strings.Contains(errs, "phương án có 2 lỗi; không ghi gì") ||
		!strings.Contains(out, "Sáp nhập, mục 1 (daklak-khongco): Không tìm thấy tổ chức mã daklak-khongco") ||
		!strings.Contains(out, "Chuyển trực thuộc, mục 1 (daklak-eaphe): daklak-eaphe bị sáp nhập hoặc giải thể trong chính phương án này") {
		t.Errorf("a wrong plan: exit %d\n%s\n%s", code, out, errs)
	}
	if rowCount(t, db, "reorg_plans") != plans || rowCount(t, db, "audit_log") != audits {
		t.Fatal("a wrong plan wrote")
	}
	code, _, errs = runCLI(t, "", "reorg", "apply", writeFile(t, "x.json", `{"date": "2025-07-01", "decison": "QĐ"}`), "--db", db)
	if code != 1 || !strings.Contains(errs, `Trường không được hỗ trợ trong phương án sắp xếp: "decison"`) {
		t.Errorf("an unknown field: %d %s", code, errs)
	}
	if code, _, errs = runCLI(t, "", "reorg", "apply", filepath.Join(t.TempDir(), "khong-co.json"), "--db", db); code != 1 || !strings.Contains(errs, "không mở được tệp") {
		t.Errorf("a missing file: %d %s", code, errs)
	}
	// the empty template: the date, the decision and the operations are missing
	tpl := filepath.Join(t.TempDir(), "mau.xlsx")
	if code, _, errs := runCLI(t, "", "export", "template", "reorg", "-o", tpl, "--db", db); code != 0 {
		t.Fatalf("export template reorg: %d %s", code, errs)
	}
	code, out, _ = runCLI(t, "", "reorg", "apply", tpl, "--dry-run", "--db", db)
	if code != 1 || !strings.Contains(out, "Trang “Quyết định”, cột “Ngày hiệu lực”: Cần ngày hiệu lực") ||
		!strings.Contains(out, "Phương án không có thao tác nào") {
		t.Errorf("the empty template: %d\n%s", code, out)
	}

	code, out, errs = runCLI(t, "", "reorg", "apply", plan, "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("apply: %d %s %s", code, out, errs)
	}
	var res struct {
		Applied  bool
		PlanID   int64 `json:"plan_id"`
		Problems []any
		Totals   struct {
			People         int
			CasesRefreshed int `json:"cases_refreshed"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Applied || res.PlanID != int64(plans+1) || len(res.Problems) != 0 ||
		res.Totals.People != 2834 || res.Totals.CasesRefreshed != 262 {
		t.Errorf("apply --format json: %v %+v\n%s", err, res, out)
	}
	if rowCount(t, db, "reorg_plans") != plans+1 || rowCount(t, db, "audit_log") != audits+1 {
		t.Error("the plan is not recorded once with one audit record")
	}
	code, out, errs = runCLI(t, "", "reorg", "apply", plan, "--db", db)
	if code != 1 || !strings.Contains(out, "Phương án này đã được áp dụng lúc") || !strings.Contains(out, fmt.Sprintf("(phương án số %d, Quyết định số 1234-QĐ/TU", plans+1)) {
		t.Errorf("re-run: %d\n%s\n%s", code, out, errs)
	}
}
