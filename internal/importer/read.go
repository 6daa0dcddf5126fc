package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
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
	Column  string `json:"column"` // the column's header as the file writes it
	Message string `json:"message"`
	// Cell is the cell's reference in the file ("C7": the file's column
	// letter and row), when the problem is on a cell of a column the file has.
	Cell string `json:"cell,omitempty"`
}

// table is the data sheet of a workbook: its header row and what reading
// its rows found.
type table struct {
	sheet    string
	headRow  int
	heads    []string       // the header row's cells
	cols     map[string]int // headKey of the template's header → index
	byHead   map[string]int // header as asked by get → index (-1 when absent)
	rows     int            // data rows (blank rows ignored)
	date1904 bool
	// want are the headers the header row must hold (the kind's required
	// columns): the header is the first row within headerRows that holds
	// them all. With none, the first row that is not blank is the header.
	want []string
	// guessed: no row within headerRows held them all, the first row that
	// is not blank was taken (its missing columns are the problems).
	guessed bool
	skip    map[int]bool // the running-number columns (STT)
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
	rowsHint     int      // rows with a value, as the walk counted them: at least the header and the data rows
	named        bool     // the data sheet is the one named "Dữ liệu" (or the name asked)
	sheets       []string // the workbook's sheets, in order
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
	sheet, named := a.sheets[0].name, false
	var sheets []string
	for _, s := range a.sheets {
		sheets = append(sheets, s.name)
		if name == "" && key(s.name) == key(DataSheet) || name != "" && s.name == name {
			sheet, named = s.name, true
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
	b := &upload{f: f, t: &table{sheet: sheet}, formulas: sw.texts(), moreFormulas: sw.more, rowsHint: sw.valued,
		named: named, sheets: sheets}
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

// each reads the data sheet one row at a time, blank rows skipped. The
// header is the first row within headerRows that holds the columns of
// t.want (the rows above it, a title block, are passed over), or the first
// row that is not blank when t.want is empty or no row holds them
// (t.guessed). A numbering row right under the header ("(1) (2) …") and a
// row with nothing but its running number (STT) are skipped. Each data row
// goes to fn (which must not keep the slice of cells) until fn returns
// false. A row past a limit (MaxColumns, MaxCellBytes, MaxRows) stops the
// reading: the problems returned refuse the file, as do the formula cells
// of the data rows (listed once every row is read) and a sheet without a
// header.
func (b *upload) each(fn func(r dataRow) bool) (refused *problemList) {
	t := b.t
	rows, err := b.f.Rows(t.sheet)
	if err != nil {
		return one(Problem{Message: fmt.Sprintf("Không đọc được trang %q: %s", t.sheet, errText(err))})
	}
	defer rows.Close()
	var formulas problemList
	next := 0 // the first formula cell not yet passed
	n, count, header, first := 0, 0, false, true
	var above []dataRow // the rows not blank above the header, while it is looked for
	data := func(r dataRow) (stop bool, refused *problemList) {
		if t.blank(r.cells) {
			return false, nil
		}
		if first {
			first = false
			if numbering(r.cells) {
				return false, nil
			}
		}
		if count++; count > MaxRows {
			return true, one(Problem{Sheet: t.sheet, Row: r.num, Message: fmt.Sprintf("Trang “%s” có hơn %s dòng dữ liệu, quá giới hạn của một lần nhập: hãy chia thành nhiều tệp, mỗi tệp tối đa %s dòng",
				t.sheet, vn.Int(MaxRows), vn.Int(MaxRows))})
		}
		for ; next < len(b.formulas) && b.formulas[next].row <= r.num; next++ {
			if fc := b.formulas[next]; fc.row == r.num && fc.col-1 < len(r.cells) {
				formulas.add(t.formula(fc))
			}
		}
		return !fn(r), nil
	}
	// settle takes the first row above as the header (none held the
	// columns wanted) and the others as data rows.
	settle := func() (bool, *problemList) {
		header, t.guessed = true, len(t.want) > 0
		t.header(above[0].num, above[0].cells)
		rest := above[1:]
		above = nil
		for _, r := range rest {
			if stop, refused := data(r); stop {
				return true, refused
			}
		}
		return false, nil
	}
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
		case header:
			if stop, refused := data(dataRow{num: n, cells: cells}); stop {
				return refused
			}
		case len(t.want) == 0 || holds(cells, t.want):
			header, above = true, nil
			t.header(n, cells)
		case n <= headerRows:
			above = append(above, dataRow{num: n, cells: slices.Clone(cells)})
		default:
			above = append(above, dataRow{num: n, cells: cells})
			if stop, refused := settle(); stop {
				return refused
			}
		}
	}
	if err := rows.Error(); err != nil {
		return one(Problem{Sheet: t.sheet, Row: n + 1, Message: "Không đọc được dòng: " + errText(err)})
	}
	if !header && len(above) > 0 {
		if stop, refused := settle(); stop {
			return refused
		}
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

// probe reports whether a row within the first headerRows of the sheet
// holds the headers want (the sheet was walked within the limits when it
// was opened).
func (b *upload) probe(want []string) bool {
	rows, err := b.f.Rows(b.t.sheet)
	if err != nil {
		return false
	}
	defer rows.Close()
	for n := 1; n <= headerRows && rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return false
		}
		if len(cells) > MaxColumns {
			cells = cells[:MaxColumns]
		}
		if holds(cells, want) {
			return true
		}
	}
	return false
}

// maxProbed is how many sheets are looked at for a header when the
// workbook has no sheet "Dữ liệu".
const maxProbed = 10

// openData opens the data sheet of an import: the sheet named "Dữ liệu"
// when there is one, else the first sheet whose header (within its first
// headerRows rows) holds the columns want, else the first sheet (whose
// missing columns are then the problems).
func openData(data []byte, want []string) (*upload, []Problem) {
	b, probs := openBook(data)
	if probs != nil {
		return nil, probs
	}
	b.t.want = want
	if b.named || len(want) == 0 || len(b.sheets) < 2 || b.probe(want) {
		return b, nil
	}
	for _, name := range b.sheets[1:min(len(b.sheets), maxProbed)] {
		o, probs := openSheet(data, name)
		if probs != nil {
			continue // a sheet that breaks a limit is not the data
		}
		if o.probe(want) {
			b.close()
			o.t.want = want
			return o, nil
		}
		o.close()
	}
	return b, nil
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

// header reads the header row n: each header (by headKey, and a
// synonym by the template's header it stands for, unless the template's
// own is there too) to its column, the first of two alike; the STT
// columns are to skip.
func (t *table) header(n int, cells []string) {
	t.headRow = n
	t.heads = slices.Clone(cells)
	t.cols, t.skip = headerMap(cells)
}

// headerMap maps the headers of cells to their columns (headerRow) and
// notes the running-number columns.
func headerMap(cells []string) (map[string]int, map[int]bool) {
	cols := map[string]int{}
	var skip map[int]bool
	keys := make([]string, len(cells))
	for i, c := range cells {
		k := headKey(c)
		keys[i] = k
		if k == "" {
			continue
		}
		if sttHeaders[k] {
			if skip == nil {
				skip = map[int]bool{}
			}
			skip[i] = true
			continue
		}
		if _, dup := cols[k]; !dup {
			cols[k] = i
		}
	}
	for i, k := range keys {
		if canon, ok := synonymOf[k]; ok {
			if _, has := cols[canon]; !has {
				cols[canon] = i
			}
		}
	}
	return cols, skip
}

// holds reports whether the row cells holds every header of want.
func holds(cells []string, want []string) bool {
	n := 0
	for _, c := range cells {
		if c != "" {
			n++
		}
	}
	if n < len(want) {
		return false
	}
	cols, _ := headerMap(cells)
	for _, w := range want {
		if _, ok := cols[headKey(w)]; !ok {
			return false
		}
	}
	return true
}

// has reports whether the file has the column of the template's header.
func (t *table) has(header string) bool {
	_, ok := t.cols[headKey(header)]
	return ok
}

// blank reports whether a data row holds nothing but running numbers.
func (t *table) blank(cells []string) bool {
	for i, c := range cells {
		if c != "" && !t.skip[i] {
			return false
		}
	}
	return true
}

// column is the header of the template's column as the file writes it
// (the template's when the file lacks it) and the column's letter in the
// file ("" when it lacks it).
func (t *table) column(header string) (string, string) {
	i, ok := t.cols[headKey(header)]
	if !ok || i >= len(t.heads) {
		return header, ""
	}
	letter, _ := excelize.ColumnNumberToName(i + 1)
	if h := vn.Clean(t.heads[i]); h != "" {
		return h, letter
	}
	return header, letter
}

// problem is a problem of the row n on the template's column header
// ("" for the row as a whole), named as the file names it.
func (t *table) problem(n int, header, msg string) Problem {
	if header == "" {
		return Problem{Sheet: t.sheet, Row: n, Message: msg}
	}
	col, letter := t.column(header)
	p := Problem{Sheet: t.sheet, Row: n, Column: col, Message: msg}
	if letter != "" {
		p.Cell = letter + strconv.Itoa(n)
	}
	return p
}

// formula is the problem of a data cell that holds a formula: its value
// is computed by Excel and may hide what the user meant.
func (t *table) formula(fc formulaCell) Problem {
	ref, _ := excelize.CoordinatesToCellName(fc.col, fc.row)
	head := ""
	if fc.col-1 < len(t.heads) {
		head = vn.Clean(t.heads[fc.col-1])
	}
	letter, _ := excelize.ColumnNumberToName(fc.col)
	return Problem{Sheet: t.sheet, Row: fc.row, Column: head, Cell: letter + strconv.Itoa(fc.row),
		Message: fmt.Sprintf("Ô %s chứa công thức (=%s): ketnap không nhận công thức vì giá trị hiển thị có thể khác giá trị thật. Hãy sao chép và dán dạng giá trị (Paste Special → Values) rồi nhập lại", ref, fc.text)}
}

// get returns the cell of a row under the header, "" when absent.
func (t *table) get(r dataRow, header string) string {
	i, ok := t.byHead[header]
	if !ok {
		if i, ok = t.cols[headKey(header)]; !ok {
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
