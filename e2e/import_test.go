package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// fillCandidates writes rows into a template's data sheet under its headers.
func fillCandidates(t *testing.T, tpl []byte, rows ...map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, _ := f.GetRows("Dữ liệu")
	for r, row := range rows {
		for c, h := range head[0] {
			if v, ok := row[h]; ok {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+2)
				f.SetCellStr("Dữ liệu", ref, v)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type importJSON struct {
	Imported, Valid, Unchanged, Rows int
	Errors                           []struct {
		Sheet, Column, Message string
		Row                    int
	}
}

// The import checks the demo's units without writing: a newcomer exports
// the template, fills it and checks it (--dry-run); a secretary cannot
// import into another chapter, and is told which row and which unit.
func TestImportAgainstTheDemo(t *testing.T) {
	dir := t.TempDir()
	tplPath := filepath.Join(dir, "mau.xlsx")
	if c, _, e := run(context.Background(), "", "export", "template", "candidates", "-o", tplPath, "--db", app.db); c != 0 {
		t.Fatalf("export template: %s", e)
	}
	tpl, err := os.ReadFile(tplPath)
	if err != nil {
		t.Fatal(err)
	}
	lhp := map[string]string{"Họ và tên": "Phan Thị Mai Anh", "Ngày sinh": "12/10/2006", "Giới tính": "Nữ", "Dân tộc": "Kinh",
		"Số CCCD": "066306987651", "Trình độ học vấn": "Trung học phổ thông", "Nghề nghiệp": "Học sinh trung học phổ thông",
		"Mã tổ chức": "krongpac-thpt-lehongphong", "Đoàn viên": "Có"}
	other := map[string]string{"Họ và tên": "Y Sơn Êban", "Ngày sinh": "01/01/1990", "Giới tính": "Nam", "Dân tộc": "Ê-đê",
		"Số CCCD": "066090987652", "Trình độ học vấn": "Tiểu học", "Mã tổ chức": "krongpac-eayong"}
	data := fillCandidates(t, tpl, lhp, other)
	file := filepath.Join(dir, "ds.xlsx")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c, out, e := run(context.Background(), "", "import", "candidates", file, "--dry-run", "--format", "json", "--db", app.db)
	var res importJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil || c != 0 || res.Valid != 2 || res.Imported != 0 || len(res.Errors) != 0 {
		t.Fatalf("dry run: %d %s %s", c, out, e)
	}

	// the secretary of the Lê Hồng Phong school chapter, through the API
	cl := login(t, secretary)
	req, _ := http.NewRequest("POST", app.base+"/api/v1/import/candidates?dry_run=1", bytes.NewReader(data))
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	res = importJSON{}
	if err := json.Unmarshal(body, &res); err != nil || resp.StatusCode != 422 || res.Valid != 1 || len(res.Errors) != 1 ||
		res.Errors[0].Row != 3 || res.Errors[0].Column != "Mã tổ chức" || !strings.Contains(res.Errors[0].Message, "nằm ngoài phạm vi") {
		t.Fatalf("secretary: %d %s", resp.StatusCode, body)
	}
	// the secretary's template lists their own unit's codes only
	resp, err = cl.Get(app.base + "/api/v1/import/candidates/template")
	if err != nil {
		t.Fatal(err)
	}
	tplSec, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(tplSec))
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := f.GetCols("Danh mục")
	f.Close()
	var codes []string
	for _, col := range lists {
		if len(col) > 0 && col[0] == "Mã tổ chức" {
			codes = col[1:]
		}
	}
	if len(codes) == 0 || codes[0] != "krongpac-thpt-lehongphong" || strings.Contains(strings.Join(codes, " "), "krongpac-eayong") {
		t.Fatalf("the secretary's codes: %v", codes)
	}
}
