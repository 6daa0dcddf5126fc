package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
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

// table is the data sheet of a workbook: its header row and what reading
// its rows found.
type table struct {
	sheet    string
	headRow  int
	heads    []string       // the header row's cells
	cols     map[string]int // folded header → index
	byHead   map[string]int // header as asked by get → index (-1 when absent)
	rows     int            // data rows (blank rows ignored)
	date1904 bool
}

// dataRow is a data row as read: raw (dates as Excel serials, numbers
// unformatted), NFC-normalised.
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

// upload is a file opened as a workbook, its archive checked and its
// data sheet (the sheet named "Dữ liệu", or the first one) walked, for
// reading one row at a time.
type upload struct {
	f *excelize.File
	t *table
	// the data sheet's formula cells (by row and column), and how many
	// more there were than the walk noted
	formulas     []formulaCell
	moreFormulas int
	rowsHint     int // rows with a value, as the walk counted them: at least the header and the data rows
}

// openBook checks data as an xlsx workbook within the limits (openArchive,
// then a walk of its shared strings and of its data sheet) and opens it
// with excelize, which unzips a large worksheet to a temporary file rather
// than into memory. close removes those files.
func openBook(data []byte) (*upload, []Problem) { return openSheet(data, "") }

// openSheet is openBook for the named sheet ("" for the data sheet: the
// one named "Dữ liệu", or the first).
func openSheet(data []byte, name string) (*upload, []Problem) {
	a, probs := openArchive(data)
	if probs != nil {
		return nil, probs
	}
	if len(a.sheets) == 0 {
		return nil, fileProblem("Tệp không có trang tính nào")
	}
	sheet := a.sheets[0].name
	for _, s := range a.sheets {
		if name == "" && key(s.name) == key(DataSheet) || name != "" && s.name == name {
			sheet = s.name
		}
	}
	if a.sharedPath != "" {
		if probs := walkPart(a.parts[a.sharedPath], &sharedWalk{siAt: -1}, sheet); probs != nil {
			return nil, probs
		}
	}
	sw := &sheetWalk{sheet: sheet, cellAt: -1}
	if zf := a.parts[a.sheetPart(sheet)]; zf != nil {
		if probs := walkPart(zf, sw, sheet); probs != nil {
			return nil, probs
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: inMemoryXML})
	if err != nil {
		return nil, fileProblem(notXLSX, "không đọc được: "+errText(err))
	}
	b := &upload{f: f, t: &table{sheet: sheet}, formulas: sw.texts(), moreFormulas: sw.more, rowsHint: sw.valued}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		b.t.date1904 = true
	}
	return b, nil
}

// close removes what excelize unzipped and lets go of what it holds.
func (b *upload) close() {
	if b.f != nil {
		b.f.Close()
		b.f = nil
	}
}

// walkPart walks a part of the archive with w: a limit it breaks is its
// problem, a part that does not unzip a broken archive.
func walkPart(zf *zip.File, w walker, sheet string) []Problem {
	rc, err := zf.Open()
	if err != nil {
		return fileProblem(notXLSX, "tệp nén bị hỏng")
	}
	defer rc.Close()
	var tooLong func(int64) error
	switch w := w.(type) {
	case *sheetWalk:
		tooLong = w.tooLong
	case *sharedWalk:
		tooLong = w.tooLong
	}
	err = walkXML(rc, w, tooLong)
	if e, ok := errors.AsType[*errWalk](err); ok {
		return []Problem{e.p}
	}
	if err != nil {
		return fileProblem(notXLSX, "tệp nén bị hỏng")
	}
	return nil
}

// each reads the data sheet one row at a time, blank rows skipped: the
// first row is the header, each other goes to fn (which must not keep the
// slice of cells) until fn returns false. A row past a limit (MaxColumns,
// MaxCellBytes, MaxRows) stops the reading: the problems returned refuse
// the file, as do the formula cells of the data rows (listed once every row
// is read) and a sheet without a header.
func (b *upload) each(fn func(r dataRow) bool) (refused *problemList) {
	t := b.t
	rows, err := b.f.Rows(t.sheet)
	if err != nil {
		return one(Problem{Message: fmt.Sprintf("Không đọc được trang %q: %s", t.sheet, errText(err))})
	}
	defer rows.Close()
	var formulas problemList
	next := 0 // the first formula cell not yet passed
	n, count, header := 0, 0, false
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return one(Problem{Sheet: t.sheet, Row: n, Message: "Không đọc được dòng: " + errText(err)})
		}
		if len(cells) > MaxColumns {
			for i := MaxColumns; i < len(cells); i++ {
				if cells[i] != "" {
					return one(tooWide(t.sheet, n, i))
				}
			}
			cells = cells[:MaxColumns]
		}
		blank := true
		for i, c := range cells {
			if c != "" {
				if len(c) > MaxCellBytes {
					return one(tooLong(t.sheet, n, i, len(c)))
				}
				cells[i] = clean(c)
				blank = blank && cells[i] == ""
			}
		}
		switch {
		case blank:
			continue
		case !header:
			header = true
			if t.cols == nil {
				t.header(n, cells)
			}
			continue
		}
		if count++; count > MaxRows {
			return one(Problem{Sheet: t.sheet, Row: n, Message: fmt.Sprintf("Trang “%s” có hơn %s dòng dữ liệu, quá giới hạn của một lần nhập: hãy chia thành nhiều tệp, mỗi tệp tối đa %s dòng",
				t.sheet, vn.Int(MaxRows), vn.Int(MaxRows))})
		}
		for ; next < len(b.formulas) && b.formulas[next].row <= n; next++ {
			if fc := b.formulas[next]; fc.row == n && fc.col-1 < len(cells) {
				formulas.add(t.formula(fc))
			}
		}
		if !fn(dataRow{num: n, cells: cells}) {
			return nil
		}
	}
	if err := rows.Error(); err != nil {
		return one(Problem{Sheet: t.sheet, Row: n + 1, Message: "Không đọc được dòng: " + errText(err)})
	}
	if !header {
		return one(Problem{Sheet: t.sheet, Message: "Trang “" + t.sheet + "” không có dữ liệu (chưa có dòng tiêu đề)"})
	}
	t.rows = count
	if formulas.total > 0 {
		formulas.total += b.moreFormulas
		return &formulas
	}
	return nil
}

// errText is an error of excelize or of the XML decoder for a message: it
// may quote bytes of the file, which need not be UTF-8 (found by
// FuzzSheetXML).
func errText(err error) string { return strings.ToValidUTF8(err.Error(), "\uFFFD") }

// one is a refusal with one problem.
func one(p Problem) *problemList {
	return &problemList{list: []Problem{p}, total: 1}
}

func tooWide(sheet string, n, i int) Problem {
	ref, _ := excelize.CoordinatesToCellName(i+1, n)
	last, _ := excelize.ColumnNumberToName(MaxColumns)
	return Problem{Sheet: sheet, Row: n, Message: fmt.Sprintf("Ô %s có dữ liệu ở cột thứ %s, nhưng tệp nhập chỉ được dùng %d cột đầu (A đến %s): hãy xóa dữ liệu ở các cột thừa rồi nhập lại",
		ref, vn.Int(i+1), MaxColumns, last)}
}

func tooLong(sheet string, n, i, size int) Problem {
	ref, _ := excelize.CoordinatesToCellName(i+1, n)
	return Problem{Sheet: sheet, Row: n, Message: fmt.Sprintf("Ô %s dài %s byte, quá giới hạn %d KB của một ô: hãy rút ngắn nội dung ô rồi nhập lại",
		ref, vn.Int(size), MaxCellBytes>>10)}
}

// header reads the header row n: each folded header to its column (the
// first of two alike).
func (t *table) header(n int, cells []string) {
	t.headRow = n
	t.heads = slices.Clone(cells)
	t.cols = map[string]int{}
	for i, c := range cells {
		if k := key(c); k != "" {
			if _, dup := t.cols[k]; !dup {
				t.cols[k] = i
			}
		}
	}
}

// formula is the problem of a data cell that holds a formula: its value
// is computed by Excel and may hide what the user meant.
func (t *table) formula(fc formulaCell) Problem {
	ref, _ := excelize.CoordinatesToCellName(fc.col, fc.row)
	head := ""
	if fc.col-1 < len(t.heads) {
		head = vn.Clean(t.heads[fc.col-1])
	}
	return Problem{Sheet: t.sheet, Row: fc.row, Column: head,
		Message: fmt.Sprintf("Ô %s chứa công thức (=%s): ketnap không nhận công thức vì giá trị hiển thị có thể khác giá trị thật. Hãy sao chép và dán dạng giá trị (Paste Special → Values) rồi nhập lại", ref, fc.text)}
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
