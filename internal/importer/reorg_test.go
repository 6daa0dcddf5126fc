package importer_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// reorgBook fills the plan's template: cells by sheet, "A2" → value (a
// string starting with "=" is a formula).
func reorgBook(t *testing.T, tpl []byte, cells map[string]map[string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sheet, m := range cells {
		for ref, v := range m {
			if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
				if err := f.SetCellFormula(sheet, ref, s[1:]); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The workbook of `ketnap export template reorg`, filled in, is read into
// the same plan as the contract's JSON (the same plan: applying one
// refuses the other), and the service's problems come back on their
// sheet, row and column.
func TestReorgWorkbook(t *testing.T) {
	svc, ctx := world(t)
	svc.Now = func() time.Time { return time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC) }
	var tpl bytes.Buffer
	if err := importer.Template(ctx, svc, importer.KindReorg, &tpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), "|"); got != "Quyết định|Thành lập|Sáp nhập|Chuyển trực thuộc|Đổi tên|Giải thể|Danh mục|Hướng dẫn" {
		t.Errorf("sheets: %s", got)
	}
	head, _ := f.GetRows("Sáp nhập")
	lists, _ := f.GetRows("Danh mục")
	f.Close()
	if len(head) == 0 || strings.Join(head[0], "|") != "Mã tổ chức bị sáp nhập|Mã tổ chức nhận sáp nhập" {
		t.Errorf("merge sheet's headers: %v", head)
	}
	if !strings.Contains(strings.Join(flatten(lists), "|"), "eakly-t2") {
		t.Errorf("the lists lack the units: %v", lists)
	}

	cells := map[string]map[string]any{
		"Quyết định": {"B2": time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), "B3": "QĐ số 1234-QĐ/TU ngày 25/6/2025"},
		"Thành lập":  {"A2": "EAPHE-MOI", "B2": "Đảng bộ xã Ea Phê", "C2": "Đảng bộ xã, phường, đặc khu", "E2": "kp"},
		"Sáp nhập":   {"A2": "eaphe", "B2": "eaphe-moi", "A3": "eakly", "B3": "eaphe-moi"},
		"Đổi tên":    {"A2": "eakly-t2", "B2": "Chi bộ thôn 2 Ea Kly"},
	}
	data := reorgBook(t, tpl.Bytes(), cells)
	p, probs, err := importer.ReadReorgPlan("phuong-an.xlsx", data)
	if err != nil || probs != nil {
		t.Fatalf("read: %v %v", err, probs)
	}
	const contract = `{"date":"2025-07-01","decision":"QĐ số 1234-QĐ/TU ngày 25/6/2025",` +
		`"create":[{"code":"eaphe-moi","name":"Đảng bộ xã Ea Phê","kind":"commune","parent":"kp"}],` +
		`"merge":[{"from":["eaphe","eakly"],"into":"eaphe-moi"}],"rename":[{"unit":"eakly-t2","name":"Chi bộ thôn 2 Ea Kly"}]}`
	if got := string(p.Canonical()); got != contract {
		t.Errorf("the workbook reads as\n%s\nwant\n%s", got, contract)
	}
	if p.Merge[0].FromRows[1] != 3 || p.Create[0].Row != 2 {
		t.Errorf("rows: merge %v create %d", p.Merge[0].FromRows, p.Create[0].Row)
	}
	res, err := importer.ApplyReorgFile(ctx, svc, "phuong-an.xlsx", data, service.ReorgOptions{})
	if err != nil || !res.Applied {
		t.Fatalf("apply: %v %+v", err, res)
	}
	if o := org(t, svc, ctx, "eakly-t2"); o.Name != "Chi bộ thôn 2 Ea Kly" || o.ParentID != org(t, svc, ctx, "eaphe-moi").ID {
		t.Errorf("eakly-t2 after the plan: %q under %d", o.Name, o.ParentID)
	}
	again, err := importer.ApplyReorgFile(ctx, svc, "phuong-an.json", []byte(contract), service.ReorgOptions{DryRun: true})
	if err != nil || again.OK() || !strings.Contains(again.Problems[0].Message, "đã được áp dụng") {
		t.Errorf("the same plan as JSON: %v %+v", err, again)
	}

	// problems on their sheet, row and column
	cells["Sáp nhập"]["A3"] = "khong-co"
	cells["Quyết định"]["B2"] = "31/06/2025"
	cells["Thành lập"]["C2"] = "Đảng bộ phường"
	res, err = importer.ApplyReorgFile(ctx, svc, "sai.xlsx", reorgBook(t, tpl.Bytes(), cells), service.ReorgOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	got := problems(res)
	for _, want := range []string{
		`Trang “Quyết định”, cột “Ngày hiệu lực”: Ngày hiệu lực "31/06/2025" không hợp lệ`,
		`Trang “Thành lập”, dòng 2, cột “Loại tổ chức” (eaphe-moi): Loại tổ chức "Đảng bộ phường" không hợp lệ`,
		`Trang “Sáp nhập”, dòng 3, cột “Mã tổ chức bị sáp nhập” (khong-co): Không tìm thấy tổ chức mã khong-co`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

// A workbook that cannot be read as a plan says why, and nothing is judged.
func TestReorgBrokenWorkbooks(t *testing.T) {
	svc, ctx := world(t)
	var tpl bytes.Buffer
	if err := importer.ReorgTemplate(ctx, svc, &tpl); err != nil {
		t.Fatal(err)
	}
	noDecision := func() []byte {
		f, _ := excelize.OpenReader(bytes.NewReader(tpl.Bytes()))
		defer f.Close()
		f.SetSheetName("Quyết định", "QĐ")
		var b bytes.Buffer
		f.WriteTo(&b)
		return b.Bytes()
	}()
	noColumn := reorgBook(t, tpl.Bytes(), map[string]map[string]any{"Sáp nhập": {"B1": "Ghi chú", "A2": "eaphe"}})
	formula := reorgBook(t, tpl.Bytes(), map[string]map[string]any{"Đổi tên": {"A2": "eakly-t2", "B2": `="Chi bộ "&"thôn 2"`}})
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"pdf":         {[]byte("%PDF-1.4"), "đây là tệp PDF"},
		"no decision": {noDecision, "Tệp thiếu trang “Quyết định”"},
		"no column":   {noColumn, "Trang “Sáp nhập”, dòng 1, cột “Mã tổ chức nhận sáp nhập”: Thiếu cột bắt buộc"},
		"formula":     {formula, "Trang “Đổi tên”, dòng 2, cột “Tên mới”: Ô B2 chứa công thức"},
	} {
		res, err := importer.ApplyReorgFile(ctx, svc, name+".xlsx", tc.data, service.ReorgOptions{DryRun: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := problems(res); res.OK() || !strings.Contains(got, tc.want) {
			t.Errorf("%s: problems\n%s\nwant %q", name, got, tc.want)
		}
	}
	// JSON that is not the contract's is an error, not a plan's problem
	for name, tc := range map[string]struct {
		data, want string
	}{
		"unknown field": {`{"date": "2025-07-01", "decision": "QĐ", "split": []}`, `Trường không được hỗ trợ trong phương án sắp xếp: "split"`},
		"wrong type":    {`{"date": "2025-07-01", "merge": {"from": "a"}}`, `Trường "merge" có kiểu dữ liệu không đúng`},
		"not JSON":      {`{"date": `, "JSON không hợp lệ"},
		"two plans":     {`{"date": "2025-07-01"} {}`, "Chỉ gửi một phương án"},
	} {
		_, err := importer.ApplyReorgFile(ctx, svc, "p.json", []byte(tc.data), service.ReorgOptions{DryRun: true})
		if err == nil || !strings.Contains(domain.ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v; want %q", name, err, tc.want)
		}
	}
}

func problems(res *service.ReorgResult) string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, p.Text())
	}
	return strings.Join(out, "\n")
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
