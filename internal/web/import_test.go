package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
)

// importBook builds a candidates file for the tree of newEnv.
func importBook(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Dữ liệu")
	head := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức"}
	for r, row := range append([][]string{head}, rows...) {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellStr("Dữ liệu", ref, v)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportPage(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	pg := c.get("/nhap")
	wantIn(t, pg, "Nhập dữ liệu từ Excel", `href="/nhap/mau/candidates.xlsx"`, `enctype="multipart/form-data"`)
	if strings.Contains(pg.body, `<option value="targets"`) {
		t.Error("a secretary is offered the targets import")
	}
	tpl := c.get("/nhap/mau/candidates.xlsx")
	if tpl.status != 200 || !strings.HasPrefix(tpl.body, "PK") {
		t.Fatalf("template: %d", tpl.status)
	}
	f, err := excelize.OpenReader(strings.NewReader(tpl.body))
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := f.GetRows("Danh mục")
	f.Close()
	if s := strings.Join(func() []string {
		var out []string
		for _, r := range lists {
			out = append(out, r...)
		}
		return out
	}(), "|"); !strings.Contains(s, "kp-a") || strings.Contains(s, "kp-b") {
		t.Errorf("the secretary's template lists %s", s)
	}

	good := []string{"Phạm Văn Tư", "04/04/1994", "Nam", "Kinh", "066094000777", "Tiểu học", "kp-a"}
	other := []string{"Đinh Văn Năm", "05/05/1995", "Nam", "Kinh", "066095000778", "Tiểu học", "kp-b"}
	data := importBook(t, good, other)
	pg = c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}})
	wantIn(t, pg, "1 dòng mới hợp lệ", "Chưa ghi gì", "Chi bộ Buôn Hai (mã kp-b) nằm ngoài phạm vi", `id="import-preview"`, "Phạm Văn Tư")
	if pg.status != 422 {
		t.Errorf("status %d", pg.status)
	}
	pg = c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"import"}})
	wantIn(t, pg, "Không nhập dòng nào vì có 1 lỗi")
	pg = c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"import"}, "valid_only": {"1"}})
	wantIn(t, pg, "Đã nhập 1 dòng")
	pg = c.upload("/nhap", "ds.pdf.xlsx", []byte("%PDF-1.4"), url.Values{"kind": {"candidates"}, "action": {"check"}})
	wantIn(t, pg, "đây là tệp PDF")
}
