package xlsx

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const vietnamese = "ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳýỷỹỵ Đđ ỀẾẢ"

// The workbook reads back with excelize: Vietnamese sheet names and cells,
// dates as dates, numbers as numbers, rows tall enough for stacked marks.
func TestWriteReadBack(t *testing.T) {
	var buf bytes.Buffer
	born := time.Date(2002, 3, 14, 0, 0, 0, 0, time.UTC)
	err := Write(&buf,
		Sheet{Name: "Danh sách học viên", Title: "DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG",
			Subtitle: []string{"Từ ngày 15/01/2024 đến ngày 18/01/2024"},
			Headers:  []string{"STT", "Họ và tên", "Ngày sinh", "Điểm"}, Widths: []float64{6, 30, 12, 8},
			Rows: [][]any{{1, "Nguyễn Thị Ánh " + vietnamese, born, 7.25}, {2, "Y Bhim Niê", time.Time{}, nil}}},
		Sheet{Name: "Điểm danh", Headers: []string{"Học viên"}, Rows: [][]any{{"Lê Văn Đức"}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Danh sách học viên" || got[1] != "Điểm danh" {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Danh sách học viên")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG" || rows[3][1] != "Họ và tên" {
		t.Errorf("title/header rows: %q", rows[:4])
	}
	if rows[4][1] != "Nguyễn Thị Ánh "+vietnamese || rows[4][2] != "14/03/2002" || rows[4][3] != "7.25" {
		t.Errorf("data row: %q", rows[4])
	}
	if v, _ := f.GetCellValue("Danh sách học viên", "C6"); v != "" {
		t.Errorf("a zero date is written as %q", v)
	}
	for _, r := range []int{1, 5, 6} {
		h, err := f.GetRowHeight("Danh sách học viên", r)
		if err != nil || h < RowHeight {
			t.Errorf("row %d height %v (%v): stacked diacritics would be clipped", r, h, err)
		}
	}
	if v, _ := f.GetCellValue("Điểm danh", "A2"); v != "Lê Văn Đức" {
		t.Errorf("second sheet A2 = %q", v)
	}
	if err := Write(&bytes.Buffer{}, Sheet{Name: "a/b"}); err == nil {
		t.Error("a sheet name with / was accepted")
	}
}
