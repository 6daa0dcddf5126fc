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

// Write gives each part of a table the style of NewStyles: the title
// bold 14 pt, the subtitle centred, the header bold and shaded, the cells
// framed and wrapped, the dates dd/mm/yyyy.
func TestWriteStyles(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, Sheet{Name: "Trang", Title: "TIÊU ĐỀ", Subtitle: []string{"Phụ đề"}, Headers: []string{"Họ và tên", "Ngày sinh"},
		Rows: [][]any{{"Y Bhim Niê", time.Date(2002, 3, 14, 0, 0, 0, 0, time.UTC)}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	style := func(cell string) (int, *excelize.Style) {
		id, err := f.GetCellStyle("Trang", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st == nil || st.Font == nil {
			t.Fatalf("%s: style %d %+v (%v)", cell, id, st, err)
		}
		return id, st
	}
	ids := map[int]string{}
	for _, c := range []string{"A1", "A2", "A4", "A5", "B5"} {
		id, _ := style(c)
		ids[id] = c
	}
	if len(ids) != 5 {
		t.Errorf("title, subtitle, header, cell and date share styles: %v", ids)
	}
	if _, st := style("A1"); !st.Font.Bold || st.Font.Size != 14 || st.Font.Family != "Times New Roman" {
		t.Errorf("title font %+v", st.Font)
	}
	if _, st := style("A2"); st.Font.Bold || st.Alignment == nil || st.Alignment.Horizontal != "center" || len(st.Border) != 0 {
		t.Errorf("subtitle style %+v", st)
	}
	if _, st := style("A4"); !st.Font.Bold || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "EDEDED" || len(st.Border) != 4 {
		t.Errorf("header style %+v", st)
	}
	if _, st := style("A5"); st.Font.Bold || st.Alignment == nil || !st.Alignment.WrapText || len(st.Border) != 4 {
		t.Errorf("cell style %+v", st)
	}
	if _, st := style("B5"); st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy" || len(st.Border) != 4 {
		t.Errorf("date style %+v", st)
	}
}
