package importer

import (
	"context"
	"errors"
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
const ProgressEvery = 5000

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

// Import checks the xlsx file data of the kind for the user of ctx and,
// unless a row is wrong (or opt.ValidOnly) or opt.DryRun, writes it in one
// transaction. File and row problems are in the result; the error is for
// failures that are not the file's fault (or a user who may not import).
func Import(ctx context.Context, svc *service.Service, kind string, data []byte, opt Options) (*Result, error) {
	cols := columns(kind)
	if cols == nil {
		return nil, domain.Errorf(domain.EInvalid, "Loại dữ liệu %q không hợp lệ (orgs, members, candidates hoặc targets)", kind)
	}
	me := service.UserFrom(ctx)
	if me == nil || !me.Active {
		return nil, domain.Errorf(domain.EUnauthorized, "Bạn cần đăng nhập")
	}
	area := "people"
	if kind == KindOrgs || kind == KindTargets {
		area = "org"
	}
	if !me.CanWrite(area) {
		return nil, domain.Errorf(domain.EForbidden, "Vai trò %s không được phép nhập %s", domain.RoleName(me.Role), strings.ToLower(KindName(kind)))
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
	for _, c := range cols {
		if _, ok := t.cols[key(c.Header)]; c.Required && !ok {
			res.Errors = append(res.Errors, Problem{Sheet: t.sheet, Row: t.headRow, Column: c.Header,
				Message: "Thiếu cột bắt buộc “" + c.Header + "” ở dòng tiêu đề (hãy dùng tệp mẫu: ketnap export template " + kind + ")"})
		}
	}
	if len(res.Errors) > 0 {
		return res, nil
	}
	im := &importer{ctx: ctx, svc: svc, me: me, t: t, res: res, opt: opt, cols: cols, orgs: map[string]*domain.Org{}}
	if err := im.loadScope(); err != nil {
		return nil, err
	}
	var write func() (int, error)
	var err error
	switch kind {
	case KindCandidates, KindMembers:
		write, err = im.people(kind)
	case KindOrgs:
		write, err = im.orgsKind()
	case KindTargets:
		write, err = im.targets()
	}
	if err != nil {
		return nil, err
	}
	byRow := func() { slices.SortStableFunc(res.Errors, func(a, b Problem) int { return a.Row - b.Row }) }
	byRow()
	// Stage facts are judged by replaying them (in a transaction that a
	// dry run or a refused row rolls back), so the writer runs then too.
	if !im.trial && (opt.DryRun || (len(res.Errors) > 0 && !opt.ValidOnly) || res.Valid == 0) {
		return res, nil
	}
	n, err := write()
	if err != nil {
		return nil, err
	}
	res.Imported = n
	byRow()
	return res, nil
}

type importer struct {
	ctx     context.Context
	svc     *service.Service
	me      *domain.User
	t       *table
	res     *Result
	opt     Options
	cols    []column
	orgs    map[string]*domain.Org        // code → organization, in the store, any scope (cache)
	missing map[string]bool               // codes not in the store
	folded  map[string]string             // cell value → key(value): values repeat, folding is costly
	members map[string][]domain.MemberRef // path → its official members (helpers, introducers)
	trial   bool                          // the writer judges rows too (stage facts): run it even on a dry run
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

func (im *importer) scopePath() string {
	if im.me.OrgPath == "" {
		return "/"
	}
	return im.me.OrgPath
}

// loadScope reads the user's subtree once.
func (im *importer) loadScope() error {
	orgs, err := im.svc.LegacyStore().Subtree(im.ctx, im.scopePath(), time.Time{})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		im.orgs[o.Code] = o
	}
	im.missing = map[string]bool{}
	return nil
}

// org finds an organization by code; msg explains when it cannot be used.
func (im *importer) org(code string) (o *domain.Org, msg string) {
	code = strings.ToLower(strings.TrimSpace(code))
	o = im.orgs[code]
	if o == nil && !im.missing[code] {
		x, err := im.svc.LegacyStore().GetOrgByCode(im.ctx, code)
		if err != nil {
			im.missing[code] = true
		} else {
			im.orgs[code], o = x, x
		}
	}
	if o == nil {
		return nil, fmt.Sprintf("Không có tổ chức mã %q (xem danh sách mã ở trang “%s” của tệp mẫu)", code, ListsSheet)
	}
	if !im.me.Sees(o.Path) {
		return nil, fmt.Sprintf("%s (mã %s) nằm ngoài phạm vi được giao cho tài khoản của bạn: không nhập được vào đơn vị này", o.Name, o.Code)
	}
	return o, ""
}

func (im *importer) problem(r dataRow, col, msg string) {
	im.res.Errors = append(im.res.Errors, Problem{Sheet: im.t.sheet, Row: r.num, Column: col, Message: msg})
}

func (im *importer) progress(phase string, done int) {
	if im.opt.Progress != nil && done%ProgressEvery == 0 && done > 0 {
		im.opt.Progress(phase, done, len(im.t.rows))
	}
}

func (im *importer) preview(r dataRow) {
	if len(im.res.Preview) >= previewRows {
		return
	}
	out := make([]string, len(im.cols))
	for i, c := range im.cols {
		out[i] = im.t.get(r, c.Header)
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
		if c.Required && im.t.get(r, c.Header) == "" {
			im.problem(r, c.Header, "Chưa nhập “"+c.Header+"” (cột bắt buộc)")
			ok = false
		}
	}
	return ok
}

// date reads a date cell: an Excel serial or dd/mm/yyyy text.
func (im *importer) date(r dataRow, col string) (time.Time, bool) {
	v := im.t.get(r, col)
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

// integer reads a whole number cell ("2024" or Excel's "2024.0").
func (im *importer) integer(r dataRow, col string) (int, bool) {
	v := im.t.get(r, col)
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, " ", ""), 64)
	if err != nil || f != float64(int(f)) {
		im.problem(r, col, fmt.Sprintf("“%s” không phải là số nguyên", v))
		return 0, false
	}
	return int(f), true
}

// cccd reads a citizen ID kept as text; a number that lost its leading
// zeros is explained.
func (im *importer) cccd(r dataRow) (string, bool) {
	v := strings.ReplaceAll(im.t.get(r, ColCCCD), " ", "")
	if v == "" {
		return "", true
	}
	if strings.ContainsAny(v, "Ee") && strings.ContainsAny(v, "+.") {
		im.problem(r, ColCCCD, fmt.Sprintf("Số CCCD “%s” đã bị Excel đổi thành số dạng khoa học nên mất chữ số. Hãy định dạng cột “Số CCCD” là Văn bản (Text) và nhập lại đủ 12 chữ số", v))
		return "", false
	}
	v = strings.TrimSuffix(v, ".0")
	if isDigits(v) && len(v) < 12 && len(v) >= 8 {
		im.problem(r, ColCCCD, fmt.Sprintf("Số CCCD “%s” chỉ có %d chữ số: có lẽ Excel đã bỏ số 0 ở đầu vì ô có kiểu Số (ví dụ 0%s). Hãy định dạng cột “Số CCCD” là Văn bản (Text) và nhập lại đủ 12 chữ số", v, len(v), v))
		return "", false
	}
	return v, true
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
func (im *importer) yesNo(r dataRow, col string) (bool, bool) {
	switch im.k(im.t.get(r, col)) {
	case "", "khong", "k", "0", "false", "no":
		return false, true
	case "co", "x", "1", "true", "yes":
		return true, true
	}
	im.problem(r, col, fmt.Sprintf("“%s”: nhập Có hoặc Không", im.t.get(r, col)))
	return false, false
}

// fieldColumns maps the fields of the service's errors to column headers.
var fieldColumns = map[string]string{
	"full_name": ColName, "birth_date": ColBirth, "sex": ColSex, "ethnicity": ColEthnicity, "religion": ColReligion,
	"cccd": ColCCCD, "education": ColEducation, "occupation": ColOccupation, "stage": ColStage,
	"decision_no": ColDecisionNo, "decision_date": ColDecision, "ceremony_date": ColCeremony,
	"recognition_date": ColRecognition, "admitted_org": ColOrg, "name": ColOrgName, "sector": ColSector,
	"valid_from": ColFounded, "valid_to": ColClosed, "year": ColYear, "value": ColValue, "deadline": ColDeadline, "code": ColOrg,
}

// serviceProblem records err (from the service's validation) on r.
func (im *importer) serviceProblem(r dataRow, err error, kindCol string) {
	col := ""
	if e, ok := errors.AsType[*domain.Error](err); ok {
		col = fieldColumns[e.Field]
		if e.Field == "kind" {
			col = kindCol
		}
	}
	im.problem(r, col, domain.ErrorMessage(err))
}
