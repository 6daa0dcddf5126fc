package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"ketnap/internal/vn"
)

// MaxSize is the largest file accepted, in bytes.
const MaxSize = 20 << 20

// Problem is one thing wrong with a file: its sheet, Excel row number,
// column header and a Vietnamese message. A problem with the whole file
// has row 0 and no column.
type Problem struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// table is the data sheet of a workbook: its header row and data rows, raw
// (dates as Excel serials, numbers unformatted), NFC-normalised.
type table struct {
	sheet    string
	headRow  int
	cols     map[string]int // folded header → index
	byHead   map[string]int // header as asked by get → index (-1 when absent)
	rows     []dataRow
	date1904 bool
}

type dataRow struct {
	num   int // Excel row number
	cells []string
}

func fileProblem(msg string, args ...any) []Problem {
	return []Problem{{Message: fmt.Sprintf(msg, args...)}}
}

func tooLarge() []Problem {
	return fileProblem("Tệp lớn hơn %d MB: hãy chia thành nhiều tệp nhỏ hơn", MaxSize>>20)
}

// ReadAll reads r whole, refusing more than MaxSize bytes.
func ReadAll(r io.Reader) ([]byte, []Problem, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxSize {
		return nil, tooLarge(), nil
	}
	return data, nil, nil
}

// notXLSX is the problem of a file that is not an xlsx workbook, with why.
const notXLSX = "Tệp không phải là bảng tính Excel .xlsx (%s). Hãy mở tệp bằng Excel và lưu lại dạng “Excel Workbook (.xlsx)”, hoặc dùng tệp mẫu tải từ ketnap"

// readTable opens data as an xlsx workbook and returns its data sheet
// (the sheet named "Dữ liệu", or the first one).
func readTable(data []byte) (*table, []Problem) {
	formulas, probs := sniff(data)
	if probs != nil {
		return nil, probs
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, fileProblem(notXLSX, "không đọc được: "+err.Error())
	}
	defer f.Close()
	t, probs := dataSheet(f)
	if probs != nil {
		return nil, probs
	}
	if probs := t.read(f); probs != nil {
		return nil, probs
	}
	if formulas {
		if ps := formulaCells(f, t); len(ps) > 0 {
			return nil, ps
		}
	}
	return t, nil
}

// sniff refuses what is not an xlsx workbook (empty, too large, a PDF, an
// old .xls, a broken archive) before excelize reads it, and reports
// whether a worksheet holds a formula.
func sniff(data []byte) (formulas bool, probs []Problem) {
	if len(data) == 0 {
		return false, fileProblem("Tệp rỗng (0 byte): hãy chọn tệp Excel .xlsx đã điền dữ liệu")
	}
	if len(data) > MaxSize {
		return false, tooLarge()
	}
	switch {
	case bytes.HasPrefix(data, []byte("%PDF")):
		return false, fileProblem(notXLSX, "đây là tệp PDF")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return false, fileProblem(notXLSX, "đây là tệp Excel 97–2003 .xls hoặc tệp Office cũ")
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return false, fileProblem(notXLSX, "nội dung không phải tệp Office Open XML")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false, fileProblem(notXLSX, "tệp nén bị hỏng")
	}
	hasWorkbook := false
	for _, zf := range zr.File {
		if zf.Name == "xl/workbook.xml" {
			hasWorkbook = true
		}
		if strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml") {
			b, err := unzip(zf)
			if err != nil {
				return false, fileProblem(notXLSX, "tệp nén bị hỏng")
			}
			if bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) {
				formulas = true
			}
		}
	}
	if !hasWorkbook {
		return false, fileProblem(notXLSX, "tệp nén không chứa bảng tính")
	}
	return formulas, nil
}

// unzip reads a file of the archive, at most 500 MB.
func unzip(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 500<<20))
}

// dataSheet picks the data sheet of a workbook: the one named "Dữ liệu",
// or the first.
func dataSheet(f *excelize.File) (*table, []Problem) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileProblem("Tệp không có trang tính nào")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if key(s) == key(DataSheet) {
			sheet = s
		}
	}
	t := &table{sheet: sheet}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		t.date1904 = true
	}
	return t, nil
}

// read reads the sheet one row at a time (blank rows skipped): the first
// row is the header, the others the data rows, their cells NFC-normalised.
func (t *table) read(f *excelize.File) []Problem {
	rows, err := f.Rows(t.sheet)
	if err != nil {
		return fileProblem("Không đọc được trang %q: %v", t.sheet, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return []Problem{{Sheet: t.sheet, Row: n, Message: "Không đọc được dòng: " + err.Error()}}
		}
		blank := true
		for i, c := range cells {
			if c != "" {
				cells[i] = clean(c)
				blank = blank && cells[i] == ""
			}
		}
		switch {
		case blank:
		case t.cols == nil:
			t.header(n, cells)
		default:
			t.rows = append(t.rows, dataRow{num: n, cells: cells})
		}
	}
	if t.cols == nil {
		return []Problem{{Sheet: t.sheet, Message: "Trang “" + t.sheet + "” không có dữ liệu (chưa có dòng tiêu đề)"}}
	}
	return nil
}

// header reads the header row n: each folded header to its column (the
// first of two alike).
func (t *table) header(n int, cells []string) {
	t.headRow = n
	t.cols = map[string]int{}
	for i, c := range cells {
		if k := key(c); k != "" {
			if _, dup := t.cols[k]; !dup {
				t.cols[k] = i
			}
		}
	}
}

// formulaCells reports each cell of the data rows that holds a formula:
// its value is computed by Excel and may hide what the user meant.
func formulaCells(f *excelize.File, t *table) []Problem {
	heads := map[int]string{}
	for _, r := range []int{t.headRow} {
		cells, _ := f.GetRows(t.sheet)
		if r-1 < len(cells) {
			for i, h := range cells[r-1] {
				heads[i] = vn.Clean(h)
			}
		}
	}
	var out []Problem
	for _, r := range t.rows {
		for i := range r.cells {
			ref, _ := excelize.CoordinatesToCellName(i+1, r.num)
			if fm, err := f.GetCellFormula(t.sheet, ref); err == nil && fm != "" {
				out = append(out, Problem{Sheet: t.sheet, Row: r.num, Column: heads[i],
					Message: fmt.Sprintf("Ô %s chứa công thức (=%s): ketnap không nhận công thức vì giá trị hiển thị có thể khác giá trị thật. Hãy sao chép và dán dạng giá trị (Paste Special → Values) rồi nhập lại", ref, fm)})
			}
		}
	}
	return out
}

// get returns the cell of a row under the header, "" when absent.
func (t *table) get(r dataRow, header string) string {
	i, ok := t.byHead[header]
	if !ok {
		if i, ok = t.cols[key(header)]; !ok {
			i = -1
		}
		if t.byHead == nil {
			t.byHead = map[string]int{}
		}
		t.byHead[header] = i
	}
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// clean is vn.Clean with a fast path for the common cell that is already
// NFC with single inner spaces (most of a large file).
func clean(s string) string {
	prevSpace, checked := true, false
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 0x80 {
			if !checked && !norm.NFC.IsNormalString(s) {
				return vn.Clean(s)
			}
			checked = true
			continue
		}
		space := b == ' ' || (b >= '\t' && b <= '\r')
		if space && (prevSpace || b != ' ') {
			return vn.Clean(s)
		}
		prevSpace = space
	}
	if prevSpace {
		return vn.Clean(s)
	}
	return s
}
