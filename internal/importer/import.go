package importer

import (
	"context"
	"fmt"
	"slices"
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
	Kind      string     `json:"kind"`
	Rows      int        `json:"rows"`      // data rows read (blank rows ignored)
	Valid     int        `json:"valid"`     // rows without problems that are new
	Imported  int        `json:"imported"`  // records written
	Unchanged int        `json:"unchanged"` // rows already in the store, left as they are
	Updated   int        `json:"updated"`   // people already in the store whose admission case gained steps
	Steps     int        `json:"steps"`     // admission procedure steps recorded from the stage facts
	DryRun    bool       `json:"dry_run"`
	Errors    []Problem  `json:"errors"`
	Headers   []string   `json:"-"` // the columns of the preview
	Preview   [][]string `json:"-"` // the first valid rows, as read
}

// OK reports whether the file had no problem at all.
func (r *Result) OK() bool { return len(r.Errors) == 0 }

// previewRows is how many rows a result keeps for the upload page.
const previewRows = 20

// Import reads the xlsx file data of the kind into rows, has the service
// judge them for the user of ctx and, unless a row is wrong (or
// opt.ValidOnly) or opt.DryRun, write them in one transaction. The cells it
// cannot read are problems of their own; the service's problems come back
// on their row and column. File and row problems are in the result; the
// error is for failures that are not the file's fault (or a user who may
// not import).
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
	t, probs := readTable(data)
	if probs != nil {
		res.Errors = probs
		return res, nil
	}
	res.Rows = len(t.rows)
	im := &importer{t: t, res: res, cols: cols}
	if im.missingColumns(kind); !res.OK() {
		return res, nil
	}
	rep, at, err := im.judge(ctx, svc, kind, service.ImportOptions{DryRun: opt.DryRun, ValidOnly: opt.ValidOnly, Progress: opt.Progress})
	if err != nil {
		return nil, err
	}
	im.report(rep, at)
	return res, nil
}

// importer reads the data rows of one file.
type importer struct {
	t          *table
	res        *Result
	cols       []column
	unreadable int               // rows with a cell that could not be read
	folded     map[string]string // cell value → key(value): values repeat, folding is costly
}

// missingColumns reports the required columns the header row lacks.
func (im *importer) missingColumns(kind string) {
	for _, c := range im.cols {
		if _, ok := im.t.cols[key(c.Header)]; c.Required && !ok {
			im.res.Errors = append(im.res.Errors, Problem{Sheet: im.t.sheet, Row: im.t.headRow, Column: c.Header,
				Message: "Thiếu cột bắt buộc “" + c.Header + "” ở dòng tiêu đề (hãy dùng tệp mẫu: ketnap export template " + kind + ")"})
		}
	}
}

// judge reads the rows of the kind and has the service judge (and write)
// them. at[i] is the data row of the service's row i.
func (im *importer) judge(ctx context.Context, svc *service.Service, kind string, opt service.ImportOptions) (*service.ImportReport, []dataRow, error) {
	var rep *service.ImportReport
	var at []dataRow
	var err error
	switch kind {
	case KindOrgs:
		var rows []service.OrgImportRow
		rows, at = im.orgRows()
		opt.Unreadable = im.unreadable
		rep, err = svc.ImportOrgRows(ctx, rows, opt)
	case KindTargets:
		var rows []service.TargetImportRow
		rows, at = im.targetRows()
		opt.Unreadable = im.unreadable
		rep, err = svc.ImportTargetRows(ctx, rows, opt)
	default:
		var rows []service.PersonImportRow
		rows, at = im.personRows(kind)
		opt.Unreadable = im.unreadable
		rep, err = svc.ImportPersonRows(ctx, kind, rows, opt)
	}
	return rep, at, err
}

// report puts the service's report into the result: its problems on the
// row and column of the file, its counts and the first accepted rows.
func (im *importer) report(rep *service.ImportReport, at []dataRow) {
	heads := map[string]string{"admitted_org": ColOrg} // a member is admitted in the row's unit
	for _, c := range im.cols {
		heads[c.Field] = c.Header
	}
	for _, p := range rep.Problems {
		im.problem(at[p.Row], heads[p.Field], p.Message)
	}
	slices.SortStableFunc(im.res.Errors, func(a, b Problem) int { return a.Row - b.Row })
	r := im.res
	r.Valid, r.Imported, r.Unchanged, r.Updated, r.Steps = rep.Valid, rep.Imported, rep.Unchanged, rep.Updated, rep.Steps
	for _, i := range rep.Accepted[:min(len(rep.Accepted), previewRows)] {
		im.preview(at[i])
	}
}

// readRows reads every data row with read, keeping the rows whose cells
// could all be read (or, with all, every row: mark marks the others).
func readRows[T any](im *importer, all bool, read func(r dataRow) T, mark func(*T)) ([]T, []dataRow) {
	out := make([]T, 0, len(im.t.rows))
	at := make([]dataRow, 0, len(im.t.rows))
	for _, r := range im.t.rows {
		before := len(im.res.Errors)
		row := read(r)
		if len(im.res.Errors) > before {
			im.unreadable++
			if !all {
				continue
			}
			mark(&row)
		}
		out = append(out, row)
		at = append(at, r)
	}
	return out, at
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

func (im *importer) get(r dataRow, col string) string { return im.t.get(r, col) }

func (im *importer) problem(r dataRow, col, msg string) {
	im.res.Errors = append(im.res.Errors, Problem{Sheet: im.t.sheet, Row: r.num, Column: col, Message: msg})
}

func (im *importer) preview(r dataRow) {
	out := make([]string, len(im.cols))
	for i, c := range im.cols {
		out[i] = im.get(r, c.Header)
		if c.Header == ColCCCD {
			out[i] = vn.MaskCCCD(out[i])
		}
	}
	im.res.Preview = append(im.res.Preview, out)
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
	t, err := vn.ParseDate(v)
	if err != nil {
		im.problem(r, col, col+": "+err.Error())
		return time.Time{}, false
	}
	return t, true
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
