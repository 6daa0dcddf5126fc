package importer

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Options change how a file is imported.
type Options struct {
	DryRun    bool // check only, write nothing
	ValidOnly bool // write the valid rows even when others are wrong
	// Progress, when set, is told how many rows are done of how many, in
	// the phase "kiểm tra" (checking) then "ghi" (writing).
	Progress func(phase string, done, total int)
}

// ProgressEvery is how many rows pass between two progress reports.
const ProgressEvery = service.ImportProgressEvery

// Result is what an import did, or would do with DryRun.
type Result struct {
	Kind      string    `json:"kind"`
	Rows      int       `json:"rows"`      // data rows read (blank rows ignored)
	Valid     int       `json:"valid"`     // rows without problems that are new
	Imported  int       `json:"imported"`  // records written
	Unchanged int       `json:"unchanged"` // rows already in the store, left as they are
	Updated   int       `json:"updated"`   // people already in the store whose admission case gained steps
	Steps     int       `json:"steps"`     // admission procedure steps recorded from the stage facts
	DryRun    bool      `json:"dry_run"`
	Errors    []Problem `json:"errors"` // the first MaxProblems problems, in row order
	// MoreErrors is how many problems there are besides those listed in
	// Errors (absent when none).
	MoreErrors int `json:"more_errors,omitempty"`
	// UpdatedRows are the rows whose person is already recorded and
	// differs: the columns the import changes (would change, on a dry run).
	UpdatedRows []RowUpdate `json:"updated_rows,omitempty"`
	Headers     []string    `json:"-"` // the columns of the preview
	Preview     [][]string  `json:"-"` // the first valid rows, as read
}

// RowUpdate is a row whose person the import updates: the columns
// changed, as the file names them.
type RowUpdate struct {
	Sheet   string   `json:"sheet"`
	Row     int      `json:"row"`
	Columns []string `json:"columns"`
}

// OK reports whether the file had no problem at all.
func (r *Result) OK() bool { return len(r.Errors) == 0 }

// ErrorCount is how many problems the file has, listed or not.
func (r *Result) ErrorCount() int { return len(r.Errors) + r.MoreErrors }

// previewRows is how many rows a result keeps for the upload page.
const previewRows = 20

// Import reads the xlsx file data of the kind into rows, has the service
// judge them for the user of ctx and, unless a row is wrong (or
// opt.ValidOnly) or opt.DryRun, write them in one transaction. The cells it
// cannot read are problems of their own; the service's problems come back
// on their row and column. File and row problems are in the result; the
// error is for failures that are not the file's fault (or a user who may
// not import). The rows are read one at a time into the service's rows:
// the workbook's cells are never all in memory.
func Import(ctx context.Context, svc *service.Service, kind string, data []byte, opt Options) (*Result, error) {
	cols := columns(kind)
	if cols == nil {
		return nil, unknownKind(kind)
	}
	if err := svc.MayImport(ctx, kind); err != nil {
		return nil, err
	}
	res := &Result{Kind: kind, DryRun: opt.DryRun, Errors: []Problem{}}
	for _, c := range cols {
		res.Headers = append(res.Headers, c.Header)
	}
	var want []string
	for _, c := range cols {
		if c.Required {
			want = append(want, c.Header)
		}
	}
	bk, probs := openData(data, want)
	if probs != nil {
		res.Errors = probs
		return res, nil
	}
	defer bk.close()
	im := &importer{t: bk.t, res: res, cols: cols, interned: map[string]map[string]string{}}
	// the rows' slice made at once to its size (growing it would copy it),
	// unless the file has more rows than it may: it is refused on the way
	capacity := max(bk.rowsHint-1, 0)
	if capacity > MaxRows {
		capacity = 0
	}
	add, judge := im.rowsOf(kind, capacity)
	missing := -1 // whether the header lacks a required column, once known
	if refused := bk.each(func(r dataRow) bool {
		if missing < 0 {
			missing = len(im.missingColumns(kind))
		}
		if missing == 0 {
			add(r)
		}
		return true
	}); refused != nil {
		refused.set(res)
		return res, nil
	}
	// The workbook is read: what excelize holds (an offset for every
	// shared string) goes before the service judges the rows.
	bk.close()
	res.Rows = bk.t.rows
	if ps := im.missingColumns(kind); len(ps) > 0 {
		res.Errors = ps
		return res, nil
	}
	fields := map[string]bool{}
	for _, c := range cols {
		if bk.t.has(c.Header) {
			fields[c.Field] = true
		}
	}
	rep, err := judge(ctx, svc, service.ImportOptions{DryRun: opt.DryRun, ValidOnly: opt.ValidOnly, Progress: opt.Progress, Unreadable: im.unreadable,
		Fields: fields})
	if err != nil {
		return nil, err
	}
	im.report(rep)
	return res, im.preview(data, rep)
}

// importer reads the data rows of one file.
type importer struct {
	t          *table
	res        *Result
	cols       []column
	probs      problemList                  // the cells that could not be read
	at         []int32                      // the file's row number of each row given to the service
	previews   [][]string                   // the preview of the first previewKept of those rows
	unreadable int                          // rows with a cell that could not be read
	folded     map[string]string            // cell value → key(value): values repeat, folding is costly
	interned   map[string]map[string]string // by column, the values kept once (intern)
}

// previewKept is how many rows keep their preview while the file is read:
// unless the service refuses more than previewKept-previewRows of them,
// the preview needs no second reading.
const previewKept = 200

// internCells bounds the values of a column kept once for all the rows
// that repeat them (an ethnic group, a unit's code, a workplace): the first
// ones met. A column of values that never repeat (names, citizen IDs)
// costs that many entries and no more.
const internCells = 20_000

// intern returns the copy of a value of the column kept for every row that
// has it.
func (im *importer) intern(col, s string) string {
	if len(s) > 256 {
		return s
	}
	m := im.interned[col]
	if m == nil {
		m = map[string]string{}
		im.interned[col] = m
	}
	if v, ok := m[s]; ok {
		return v
	}
	if len(m) < internCells {
		m[s] = s
	}
	return s
}

// given notes the data row r given to the service as its next row.
func (im *importer) given(r dataRow) {
	im.at = append(im.at, int32(r.num))
	if len(im.previews) < previewKept {
		im.previews = append(im.previews, im.previewRow(r))
	}
}

// missingColumns returns the problems of the required columns the header
// row lacks.
func (im *importer) missingColumns(kind string) []Problem {
	var out []Problem
	for _, c := range im.cols {
		if c.Required && !im.t.has(c.Header) {
			msg := "Thiếu cột bắt buộc “" + c.Header + "” ở dòng tiêu đề (hãy dùng tệp mẫu: ketnap export template " + kind + ")"
			if im.t.guessed {
				msg = fmt.Sprintf("Thiếu cột bắt buộc “%s” ở dòng tiêu đề: trong %d dòng đầu của trang “%s” không có dòng nào đủ các cột bắt buộc "+
					"(tên cột viết như ở mẫu của văn phòng cũng được, ví dụ “Họ và tên (*)”, “Số CCCD/CMND”; hoặc dùng tệp mẫu: ketnap export template %s)",
					c.Header, headerRows, im.t.sheet, kind)
			}
			out = append(out, Problem{Sheet: im.t.sheet, Row: im.t.headRow, Column: c.Header, Message: msg})
		}
	}
	return out
}

// rowsOf returns, for the kind, add, which reads a data row into the
// service's row as it comes, and judge, which has the service judge (and
// write) the rows read.
func (im *importer) rowsOf(kind string, capacity int) (add func(dataRow), judge func(context.Context, *service.Service, service.ImportOptions) (*service.ImportReport, error)) {
	switch kind {
	case KindOrgs:
		// Every row goes to the service, those with a cell that could not
		// be read marked Unreadable: a row below that refers to one of
		// their codes is told the row is wrong.
		rows := make([]service.OrgImportRow, 0, capacity)
		return func(r dataRow) {
				row, ok := readRow(im, r, im.orgRow)
				row.Unreadable = !ok
				rows = append(rows, row)
				im.given(r)
			}, func(ctx context.Context, svc *service.Service, opt service.ImportOptions) (*service.ImportReport, error) {
				return svc.ImportOrgRows(ctx, rows, opt)
			}
	case KindTargets:
		rows := make([]service.TargetImportRow, 0, capacity)
		return func(r dataRow) {
				if row, ok := readRow(im, r, im.targetRow); ok {
					rows = append(rows, row)
					im.given(r)
				}
			}, func(ctx context.Context, svc *service.Service, opt service.ImportOptions) (*service.ImportReport, error) {
				return svc.ImportTargetRows(ctx, rows, opt)
			}
	}
	rows := make([]service.PersonImportRow, 0, capacity)
	return func(r dataRow) {
			if row, ok := readRow(im, r, func(r dataRow) service.PersonImportRow { return im.personRow(kind, r) }); ok {
				rows = append(rows, row)
				im.given(r)
			}
		}, func(ctx context.Context, svc *service.Service, opt service.ImportOptions) (*service.ImportReport, error) {
			given := rows
			rows = nil // the service lets go of them once judged
			return svc.ImportPersonRows(ctx, kind, given, opt)
		}
}

// readRow reads r with read, reporting whether every cell could be read
// (a row with one that could not is counted unreadable).
func readRow[T any](im *importer, r dataRow, read func(r dataRow) T) (T, bool) {
	before := im.probs.total
	row := read(r)
	if im.probs.total > before {
		im.unreadable++
		return row, false
	}
	return row, true
}

// report puts the service's report into the result: its problems on the
// row and column of the file after the importer's own, in row order, and
// its counts.
func (im *importer) report(rep *service.ImportReport) {
	heads := map[string]string{"admitted_org": ColOrg} // a member is admitted in the row's unit
	for _, c := range im.cols {
		heads[c.Field] = c.Header
	}
	theirs := make([]Problem, len(rep.Problems))
	for i, p := range rep.Problems {
		theirs[i] = im.t.problem(int(im.at[p.Row]), heads[p.Field], p.Message)
	}
	r := im.res
	r.Errors = merge(im.probs.sorted(), theirs)
	r.MoreErrors = im.probs.total + len(rep.Problems) + rep.More - len(r.Errors)
	r.Valid, r.Imported, r.Unchanged, r.Updated, r.Steps = rep.Valid, rep.Imported, rep.Unchanged, rep.Updated, rep.Steps
	for _, ch := range rep.Changes {
		u := RowUpdate{Sheet: im.t.sheet, Row: int(im.at[ch.Row])}
		for _, f := range ch.Fields {
			h := heads[f]
			if f == "org" {
				h = ColOrg
			}
			col, _ := im.t.column(h)
			u.Columns = append(u.Columns, col)
		}
		r.UpdatedRows = append(r.UpdatedRows, u)
	}
}

// preview gives the result the first rows the service accepted, as read,
// for the upload page: from those kept while reading, or else by reading
// the file again up to the last of them.
func (im *importer) preview(data []byte, rep *service.ImportReport) error {
	accepted := rep.Accepted[:min(len(rep.Accepted), previewRows)]
	if len(accepted) == 0 {
		return nil
	}
	if last := accepted[len(accepted)-1]; last < len(im.previews) {
		for _, i := range accepted {
			im.res.Preview = append(im.res.Preview, im.previews[i])
		}
		return nil
	}
	want := make(map[int][]string, len(accepted))
	for _, i := range accepted {
		want[int(im.at[i])] = nil
	}
	bk, probs := openSheet(data, im.t.sheet)
	if probs != nil {
		return fmt.Errorf("importer: the file opened again for its preview: %s", probs[0].Message)
	}
	bk.t.want = im.t.want
	defer bk.close()
	found := 0
	if refused := bk.each(func(r dataRow) bool {
		if cells, ok := want[r.num]; ok && cells == nil {
			want[r.num] = im.previewRow(r)
			found++
		}
		return found < len(want)
	}); refused != nil {
		return fmt.Errorf("importer: the file read again for its preview: %s", refused.list[0].Message)
	}
	for _, i := range accepted {
		im.res.Preview = append(im.res.Preview, want[int(im.at[i])])
	}
	return nil
}

// k is key(v), remembered.
func (im *importer) k(v string) string {
	if f, ok := im.folded[v]; ok {
		return f
	}
	if im.folded == nil {
		im.folded = map[string]string{}
	}
	f := key(v)
	im.folded[v] = f
	return f
}

// get returns the cell of a row under the header col ("" when absent),
// one copy of it for every row that repeats it.
func (im *importer) get(r dataRow, col string) string { return im.intern(col, im.t.get(r, col)) }

func (im *importer) problem(r dataRow, col, msg string) {
	im.probs.add(im.t.problem(r.num, col, msg))
}

// previewRow is a row of the preview: the kind's columns, as read (the
// citizen ID masked).
func (im *importer) previewRow(r dataRow) []string {
	out := make([]string, len(im.cols))
	for i, c := range im.cols {
		out[i] = strings.Clone(im.get(r, c.Header))
		if c.Header == ColCCCD {
			out[i] = vn.MaskCCCD(out[i])
		}
	}
	return out
}

// required reports the required cells of r that are empty.
func (im *importer) required(r dataRow) bool {
	ok := true
	for _, c := range im.cols {
		if c.Required && im.get(r, c.Header) == "" {
			im.problem(r, c.Header, "Chưa nhập “"+c.Header+"” (cột bắt buộc)")
			ok = false
		}
	}
	return ok
}

// code reads a cell holding an organization's code.
func (im *importer) code(r dataRow, col string) string {
	return strings.ToLower(strings.TrimSpace(im.get(r, col)))
}

// date reads a date cell: an Excel serial or dd/mm/yyyy text.
func (im *importer) date(r dataRow, col string) (time.Time, bool) {
	v := im.get(r, col)
	if v == "" {
		return time.Time{}, true
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 1 || f > 2958465 {
			im.problem(r, col, fmt.Sprintf("“%s” không phải là ngày hợp lệ (nhập theo dạng ngày/tháng/năm, ví dụ 04/05/2024)", v))
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(f, im.t.date1904)
		if err != nil {
			im.problem(r, col, fmt.Sprintf("“%s” không phải là ngày hợp lệ", v))
			return time.Time{}, false
		}
		return domain.Day(t.Year(), t.Month(), t.Day()), true
	}
	t, err := parseDay(v)
	if err != nil {
		im.problem(r, col, col+": "+err.Error())
		return time.Time{}, false
	}
	return t, true
}

// parseDay reads a date written as text as offices write it: d/m/yyyy,
// dd-mm-yyyy or dd.mm.yyyy (and yyyy-mm-dd). A year of two digits is
// refused with a message asking for four: "4/5/99" is 1999 or 2099 only
// to a reader who knows the person.
func parseDay(v string) (time.Time, error) {
	s := strings.TrimSpace(v)
	for _, sep := range []string{"/", "-", "."} {
		parts := strings.Split(s, sep)
		if len(parts) != 3 || !isDigits(parts[0]) || !isDigits(parts[1]) || !isDigits(parts[2]) {
			continue
		}
		if len(parts[0]) == 4 && sep == "-" {
			break // yyyy-mm-dd
		}
		if len(parts[2]) <= 2 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
			return time.Time{}, fmt.Errorf("“%s”: năm chỉ có %d chữ số; hãy ghi năm đủ bốn chữ số, ví dụ %s/%s/19%02s hoặc %s/%s/20%02s",
				s, len(parts[2]), parts[0], parts[1], parts[2], parts[0], parts[1], parts[2])
		}
		s = strings.Join(parts, "/")
		break
	}
	return vn.ParseDate(s)
}

// datep reads a date cell that may be empty (nil).
func (im *importer) datep(r dataRow, col string) *time.Time {
	if d, ok := im.date(r, col); ok && !d.IsZero() {
		return &d
	}
	return nil
}

// integer reads a whole number cell ("2024" or Excel's "2024.0").
func (im *importer) integer(r dataRow, col string) (int, bool) {
	v := im.get(r, col)
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, " ", ""), 64)
	if err != nil || f != float64(int(f)) {
		im.problem(r, col, fmt.Sprintf("“%s” không phải là số nguyên", v))
		return 0, false
	}
	return int(f), true
}

// intp reads a whole number cell that may be empty (nil).
func (im *importer) intp(r dataRow, col string) *int {
	if im.get(r, col) == "" {
		return nil
	}
	if n, ok := im.integer(r, col); ok {
		return &n
	}
	return nil
}

// cccd reads a citizen ID kept as text; a number that lost its leading
// zeros is explained.
func (im *importer) cccd(r dataRow) string {
	v := strings.ReplaceAll(im.get(r, ColCCCD), " ", "")
	if v == "" {
		return ""
	}
	if strings.ContainsAny(v, "Ee") && strings.ContainsAny(v, "+.") {
		im.problem(r, ColCCCD, fmt.Sprintf("Số CCCD “%s” đã bị Excel đổi thành số dạng khoa học nên mất chữ số. Hãy định dạng cột “Số CCCD” là Văn bản (Text) và nhập lại đủ 12 chữ số", v))
		return ""
	}
	v = strings.TrimSuffix(v, ".0")
	if isDigits(v) && len(v) < 12 && len(v) >= 8 {
		im.problem(r, ColCCCD, fmt.Sprintf("Số CCCD “%s” chỉ có %d chữ số: có lẽ Excel đã bỏ số 0 ở đầu vì ô có kiểu Số (ví dụ 0%s). Hãy định dạng cột “Số CCCD” là Văn bản (Text) và nhập lại đủ 12 chữ số", v, len(v), v))
		return ""
	}
	return v
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// yesNo reads Có/Không.
func (im *importer) yesNo(r dataRow, col string) bool {
	switch im.k(im.get(r, col)) {
	case "", "khong", "k", "0", "false", "no":
		return false
	case "co", "x", "1", "true", "yes":
		return true
	}
	im.problem(r, col, fmt.Sprintf("“%s”: nhập Có hoặc Không", im.get(r, col)))
	return false
}

// yesNoBlank is yesNo, nil for an empty cell (or a column the file lacks).
func (im *importer) yesNoBlank(r dataRow, col string) *bool {
	if im.get(r, col) == "" {
		return nil
	}
	return new(im.yesNo(r, col))
}

// lookup reads a cell of a column with a list: the code of the value
// (its name or its code), "" and a problem when the list lacks it. An
// empty cell is "".
func (im *importer) lookup(r dataRow, col string, pairs []struct{ Code, Name string }) string {
	v := im.get(r, col)
	if v == "" {
		return ""
	}
	k := im.k(v)
	for _, p := range pairs {
		if im.k(p.Name) == k || strings.EqualFold(p.Code, v) {
			return p.Code
		}
	}
	var names []string
	seen := map[string]bool{}
	for _, p := range pairs {
		if !seen[p.Code] {
			seen[p.Code] = true
			names = append(names, p.Name)
		}
	}
	im.problem(r, col, fmt.Sprintf("%s “%s” không có trong danh mục (%s)", col, v, strings.Join(names, "; ")))
	return ""
}
