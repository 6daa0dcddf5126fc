package importer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// A reorganisation plan (CONTRACT "Reorganisation plan") comes as the
// contract's JSON or as the workbook of `ketnap export template reorg`:
// the sheet "Quyết định" with the date and the decision, and a sheet per
// operation (Thành lập, Sáp nhập, Chuyển trực thuộc, Đổi tên, Giải thể),
// one row per unit. The parser reads either into the same
// domain.ReorgPlan, its items carrying their rows; the service judges it.

// KindReorg is the template kind of a reorganisation plan.
const KindReorg = "reorg"

// Sheet and column names of the reorganisation workbook.
const (
	ReorgDecisionSheet = "Quyết định"
	ColReorgItem       = "Nội dung"
	ColReorgValue      = "Giá trị"
	ReorgDateLabel     = "Ngày hiệu lực"
	ReorgDecisionLabel = "Số, ngày quyết định"
	ColFromUnit        = "Mã tổ chức bị sáp nhập"
	ColIntoUnit        = "Mã tổ chức nhận sáp nhập"
	ColNewParent       = "Mã tổ chức cấp trên mới"
	ColNewName         = "Tên mới"
)

// reorgSheet is an operation's sheet: its columns, each filling a field of
// the operation (the service's problems name the field).
type reorgSheet struct {
	op   string
	cols []column
}

func reorgSheets() []reorgSheet {
	return []reorgSheet{
		{domain.ReorgOpCreate, []column{
			{Header: ColOrg, Field: "code", Required: true, Text: true, Width: 18, Note: "Mã của đơn vị mới: chữ thường không dấu, chữ số, dấu gạch ngang (ví dụ eaphe-moi)."},
			{Header: ColOrgName, Field: "name", Required: true, Width: 36, Note: "Tên đầy đủ, ví dụ Đảng bộ xã Ea Phê."},
			{Header: ColOrgKind, Field: "kind", Required: true, List: "orgkind", Width: 24, Note: "Chọn trong danh sách."},
			{Header: ColSector, Field: "sector", List: "sector", Width: 22, Note: "Có thể để trống: đảng bộ tỉnh, huyện, xã là Xã, phường, thị trấn; đơn vị khác theo cấp trên."},
			{Header: ColParent, Field: "parent", List: "orgs", Text: true, Width: 18, Note: "Mã đơn vị cấp trên: đã có, hoặc cũng thành lập trong phương án này. Để trống chỉ khi lập tổ chức cấp trên cùng."},
		}},
		{domain.ReorgOpMerge, []column{
			{Header: ColFromUnit, Field: "from", Required: true, List: "orgs", Text: true, Width: 24, Note: "Mỗi dòng một đơn vị bị sáp nhập: đơn vị này thôi hoạt động từ ngày hiệu lực."},
			{Header: ColIntoUnit, Field: "into", Required: true, List: "orgs", Text: true, Width: 24, Note: "Đơn vị nhận (đã có, hoặc thành lập trong phương án): nhận các đơn vị trực thuộc, đảng viên, quần chúng, hồ sơ đang mở, thôn, buôn, tổ dân phố, trường học và tài khoản của đơn vị bị sáp nhập."},
		}},
		{domain.ReorgOpMove, []column{
			{Header: ColOrg, Field: "unit", Required: true, List: "orgs", Text: true, Width: 18, Note: "Đơn vị chuyển trực thuộc: giữ mã, lịch sử và các đơn vị trực thuộc của nó."},
			{Header: ColNewParent, Field: "to", Required: true, List: "orgs", Text: true, Width: 22, Note: "Cấp trên mới từ ngày hiệu lực (đã có, hoặc thành lập trong phương án)."},
		}},
		{domain.ReorgOpRename, []column{
			{Header: ColOrg, Field: "unit", Required: true, List: "orgs", Text: true, Width: 18},
			{Header: ColNewName, Field: "name", Required: true, Width: 36},
		}},
		{domain.ReorgOpClose, []column{
			{Header: ColOrg, Field: "unit", Required: true, List: "orgs", Text: true, Width: 18, Note: "Đơn vị giải thể: mọi đơn vị trực thuộc phải được sáp nhập hoặc chuyển đi trong phương án; không còn người sinh hoạt, hồ sơ đang mở."},
			{Header: ColSuccessor, Field: "successor", List: "orgs", Text: true, Width: 22, Note: "Đơn vị kế thừa lịch sử; có thể để trống."},
		}},
	}
}

// reorgSheetName is the sheet of an operation.
func reorgSheetName(op string) string {
	if op == domain.ReorgOpPlan {
		return ReorgDecisionSheet
	}
	return domain.ReorgOpNames[op]
}

// ReadReorgPlan reads a plan from a file: JSON (a name ending in .json,
// or content starting with "{") or the reorganisation workbook. A file
// that cannot be read at all gives its problems (a workbook's missing
// sheet or column, a formula); JSON that is not the contract's gives an
// error (EInvalid, EBadRequest).
func ReadReorgPlan(name string, data []byte) (*domain.ReorgPlan, []domain.ReorgProblem, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if strings.HasSuffix(strings.ToLower(name), ".json") || bytes.HasPrefix(trimmed, []byte("{")) {
		if len(data) > MaxSize {
			return nil, nil, domain.Errorf(domain.ETooLarge, "Tệp lớn hơn %d MB", MaxSize>>20)
		}
		p, err := domain.DecodeReorgPlan(bytes.NewReader(trimmed))
		return p, nil, err
	}
	p, probs := readReorgBook(data)
	return p, probs, nil
}

// ApplyReorgFile reads a plan file and has the service apply it (or, with
// DryRun, judge it) for the user of ctx.
func ApplyReorgFile(ctx context.Context, svc *service.Service, name string, data []byte, opt service.ReorgOptions) (*service.ReorgResult, error) {
	if err := svc.MayReorg(ctx); err != nil {
		return nil, err
	}
	p, probs, err := ReadReorgPlan(name, data)
	if err != nil {
		return nil, err
	}
	if probs != nil {
		return service.RefusedReorg(probs, opt.DryRun), nil
	}
	res, err := svc.ApplyReorg(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	headerOfFields(res.Problems)
	return res, nil
}

// headerOfFields names, on the problems of a workbook's rows, the column
// rather than the field.
func headerOfFields(probs []domain.ReorgProblem) {
	heads := map[string]map[string]string{domain.ReorgOpPlan: {"date": ReorgDateLabel, "decision": ReorgDecisionLabel}}
	for _, sh := range reorgSheets() {
		heads[sh.op] = map[string]string{}
		for _, c := range sh.cols {
			heads[sh.op][c.Field] = c.Header
		}
	}
	for i, p := range probs {
		if p.Sheet != "" && p.Field != "" {
			if h := heads[p.Operation][p.Field]; h != "" {
				probs[i].Field = h
			}
		}
	}
}

func reorgFileProblem(sheet string, row int, col, format string, args ...any) domain.ReorgProblem {
	return domain.ReorgProblem{Operation: domain.ReorgOpPlan, Sheet: sheet, Row: row, Field: col, Message: fmt.Sprintf(format, args...)}
}

// readReorgBook reads the workbook of a plan: each sheet within the
// limits of every upload (openSheet), one row at a time.
func readReorgBook(data []byte) (*domain.ReorgPlan, []domain.ReorgProblem) {
	a, probs := openArchive(data)
	if probs != nil {
		return nil, reorgProblems(probs)
	}
	sheets := map[string]string{} // folded name → name in the file
	for _, s := range a.sheets {
		sheets[key(s.name)] = s.name
	}
	p := &domain.ReorgPlan{Sheets: map[string]string{domain.ReorgOpPlan: ReorgDecisionSheet}}
	rb := &reorgBook{data: data, p: p}
	name, ok := sheets[key(ReorgDecisionSheet)]
	if !ok {
		return nil, []domain.ReorgProblem{reorgFileProblem(ReorgDecisionSheet, 0, "", "Tệp thiếu trang “%s” (ngày hiệu lực và số, ngày quyết định): hãy dùng tệp mẫu (ketnap export template reorg)", ReorgDecisionSheet)}
	}
	rb.decision(name)
	for _, sh := range reorgSheets() {
		if name, ok := sheets[key(reorgSheetName(sh.op))]; ok {
			p.Sheets[sh.op] = name
			rb.operations(name, sh)
		}
	}
	if len(rb.probs) > 0 {
		return nil, rb.probs
	}
	p.Normalise()
	return p, nil
}

// reorgProblems are the reader's problems as a plan's.
func reorgProblems(probs []Problem) []domain.ReorgProblem {
	out := make([]domain.ReorgProblem, len(probs))
	for i, p := range probs {
		out[i] = reorgFileProblem(p.Sheet, p.Row, p.Column, "%s", p.Message)
	}
	return out
}

// reorgBook is a plan's workbook being read.
type reorgBook struct {
	data  []byte
	p     *domain.ReorgPlan
	probs []domain.ReorgProblem
}

// table reads a sheet whole (a plan's sheets are short): its header and
// rows, or nil (with its problems) when it cannot be read, has a formula
// or lacks a required column. An operation's sheet left empty, header
// and all, is no operation.
func (rb *reorgBook) table(sheet string, cols []column) (*table, []dataRow) {
	b, probs := openSheet(rb.data, sheet)
	if probs != nil {
		rb.probs = append(rb.probs, reorgProblems(probs)...)
		return nil, nil
	}
	defer b.close()
	for _, c := range cols {
		if c.Required {
			b.t.want = append(b.t.want, c.Header)
		}
	}
	var rows []dataRow
	if refused := b.each(func(r dataRow) bool {
		rows = append(rows, dataRow{num: r.num, cells: slices.Clone(r.cells)})
		return true
	}); refused != nil {
		if b.t.cols == nil && len(cols) > 0 && cols[0].Header != ColReorgItem {
			return nil, nil
		}
		rb.probs = append(rb.probs, reorgProblems(refused.sorted())...)
		return nil, nil
	}
	t := b.t
	ok := true
	for _, c := range cols {
		if c.Required && !t.has(c.Header) {
			rb.probs = append(rb.probs, reorgFileProblem(sheet, t.headRow, c.Header, "Thiếu cột bắt buộc “%s” ở dòng tiêu đề (hãy dùng tệp mẫu: ketnap export template reorg)", c.Header))
			ok = false
		}
	}
	if !ok {
		return nil, nil
	}
	return t, rows
}

// decision reads the date and the decision.
func (rb *reorgBook) decision(sheet string) {
	t, rows := rb.table(sheet, []column{{Header: ColReorgItem, Required: true}, {Header: ColReorgValue, Required: true}})
	if t == nil {
		return
	}
	for _, r := range rows {
		switch key(t.get(r, ColReorgItem)) {
		case key(ReorgDateLabel):
			rb.p.Date = rb.date(t, r)
		case key(ReorgDecisionLabel):
			rb.p.Decision = t.get(r, ColReorgValue)
		}
	}
}

// date reads the effective date as YYYY-MM-DD: an Excel date, or
// dd/mm/yyyy or yyyy-mm-dd text. What is not a date is kept as typed,
// for the service to refuse with the value.
func (rb *reorgBook) date(t *table, r dataRow) string {
	v := t.get(r, ColReorgValue)
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f <= 2958465 {
		if d, err := excelize.ExcelDateToTime(f, t.date1904); err == nil {
			return domain.Day(d.Year(), d.Month(), d.Day()).Format(domain.DateLayout)
		}
	}
	if d, err := vn.ParseDate(v); err == nil {
		return d.Format(domain.DateLayout)
	}
	return v
}

// operations reads the rows of an operation's sheet.
func (rb *reorgBook) operations(sheet string, sh reorgSheet) {
	t, rows := rb.table(sheet, sh.cols)
	if t == nil {
		return
	}
	p := rb.p
	get := func(r dataRow, i int) string { return t.get(r, sh.cols[i].Header) }
	code := func(r dataRow, i int) string { return strings.ToLower(strings.TrimSpace(get(r, i))) }
	into := map[string]int{} // merge: the unit merged into → its merge
	for _, r := range rows {
		switch sh.op {
		case domain.ReorgOpCreate:
			p.Create = append(p.Create, domain.ReorgCreate{Code: code(r, 0), Name: get(r, 1), Kind: domain.OrgKind(listCode(get(r, 2), kindPairs())),
				Sector: domain.Sector(listCode(get(r, 3), sectorPairs())), Parent: code(r, 4), Row: r.num})
		case domain.ReorgOpMerge:
			to := code(r, 1)
			i, ok := into[to]
			if !ok || to == "" {
				i = len(p.Merge)
				into[to] = i
				p.Merge = append(p.Merge, domain.ReorgMerge{Into: to, Row: r.num})
			}
			p.Merge[i].From = append(p.Merge[i].From, code(r, 0))
			p.Merge[i].FromRows = append(p.Merge[i].FromRows, r.num)
		case domain.ReorgOpMove:
			p.Move = append(p.Move, domain.ReorgMove{Unit: code(r, 0), To: code(r, 1), Row: r.num})
		case domain.ReorgOpRename:
			p.Rename = append(p.Rename, domain.ReorgRename{Unit: code(r, 0), Name: get(r, 1), Row: r.num})
		case domain.ReorgOpClose:
			p.Close = append(p.Close, domain.ReorgClose{Unit: code(r, 0), Successor: code(r, 1), Row: r.num})
		}
	}
}

// listCode is the code of a list's value given by its name or its code;
// a value the list lacks is kept as typed (the service refuses it naming it).
func listCode(v string, pairs []struct{ Code, Name string }) string {
	k := key(v)
	for _, p := range pairs {
		if key(p.Name) == k || strings.EqualFold(p.Code, v) {
			return p.Code
		}
	}
	return v
}

// ReorgTemplate writes the workbook of a reorganisation plan for the user
// of ctx: the decision's sheet, a sheet per operation with Vietnamese
// headers (required ones in red) and drop-downs of the units of the
// user's subtree, kinds and sectors, an instructions sheet and the lists.
func ReorgTemplate(ctx context.Context, svc *service.Service, w io.Writer) (err error) {
	orgs, _, err := svc.ImportLists(ctx)
	if err != nil {
		return err
	}
	me := service.UserFrom(ctx)
	b := &book{f: excelize.NewFile(), kind: KindReorg,
		cols: []column{{List: "orgs"}, {List: "orgkind"}, {List: "sector"}}}
	defer func() {
		if cerr := b.f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := b.styles(); err != nil {
		return err
	}
	if err := b.f.SetSheetName("Sheet1", ReorgDecisionSheet); err != nil {
		return err
	}
	if err := b.decisionSheet(); err != nil {
		return err
	}
	for _, sh := range reorgSheets() {
		if _, err := b.f.NewSheet(reorgSheetName(sh.op)); err != nil {
			return err
		}
	}
	refs, err := b.lists(orgs, nil)
	if err != nil {
		return err
	}
	for _, sh := range reorgSheets() {
		if err := b.operationSheet(reorgSheetName(sh.op), sh.cols, refs); err != nil {
			return err
		}
	}
	if err := b.reorgHelp(me.Username); err != nil {
		return err
	}
	b.f.SetActiveSheet(0)
	_, err = b.f.WriteTo(w)
	return err
}

// decisionSheet writes the sheet of the date and the decision.
func (b *book) decisionSheet() error {
	f, s := b.f, ReorgDecisionSheet
	for ref, v := range map[string]string{"A1": ColReorgItem, "B1": ColReorgValue, "A2": ReorgDateLabel, "A3": ReorgDecisionLabel} {
		if err := f.SetCellStr(s, ref, v); err != nil {
			return err
		}
	}
	for _, x := range []struct {
		ref   string
		style int
	}{{"A1", b.st.required}, {"B1", b.st.required}, {"A2", b.st.bold}, {"A3", b.st.bold}, {"B2", b.st.date}, {"B3", b.st.plain}} {
		if err := f.SetCellStyle(s, x.ref, x.ref, x.style); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(s, "A", "A", 26); err != nil {
		return err
	}
	if err := f.SetColWidth(s, "B", "B", 60); err != nil {
		return err
	}
	for r := 1; r <= 3; r++ {
		if err := f.SetRowHeight(s, r, xlsx.RowHeight); err != nil {
			return err
		}
	}
	return nil
}

// operationSheet writes an operation's headers, column formats and drop-downs.
func (b *book) operationSheet(sheet string, cols []column, refs map[string]string) error {
	f := b.f
	for i, c := range cols {
		letter, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.header(sheet, letter, c); err != nil {
			return err
		}
		if ref := refs[c.List]; ref != "" {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", letter, letter, 1001))
			dv.SetSqrefDropList(ref)
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header, "Giá trị không có trong danh mục")
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetRowHeight(sheet, 1, 2*xlsx.RowHeight); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// reorgHelp writes the instructions of the plan's workbook.
func (b *book) reorgHelp(username string) error {
	f := b.f
	if _, err := f.NewSheet(HelpSheet); err != nil {
		return err
	}
	help := [][]string{
		{"Phương án sắp xếp tổ chức — ketnap", ""},
		{"Tạo cho tài khoản " + username, ""},
		{"", ""},
		{"Cách điền", ""},
		{"1.", "Một tệp là một quyết định: ghi ngày hiệu lực và số, ngày quyết định ở trang “" + ReorgDecisionSheet + "”."},
		{"2.", "Mỗi thao tác một trang, mỗi dòng một đơn vị: " + strings.Join([]string{domain.ReorgOpNames[domain.ReorgOpCreate], domain.ReorgOpNames[domain.ReorgOpMerge], domain.ReorgOpNames[domain.ReorgOpMove], domain.ReorgOpNames[domain.ReorgOpRename], domain.ReorgOpNames[domain.ReorgOpClose]}, ", ") + ". Trang không dùng thì để trống."},
		{"3.", "Thứ tự thực hiện, dù điền thế nào: thành lập (cấp trên trước), đổi tên, chuyển trực thuộc, sáp nhập, giải thể."},
		{"4.", "Sáp nhập: đơn vị bị sáp nhập thôi hoạt động từ ngày hiệu lực, đơn vị nhận là đơn vị kế thừa; các đơn vị trực thuộc, người, hồ sơ đang mở, thôn, buôn, tổ dân phố, trường học và tài khoản của nó chuyển sang đơn vị nhận. Hồ sơ chuyển theo không phải chuyển sinh hoạt cá nhân: giữ nguyên các bước đã làm, người giúp đỡ và thời hạn."},
		{"5.", "Chuyển trực thuộc: đơn vị giữ mã, lịch sử và các đơn vị trực thuộc; trước ngày hiệu lực số liệu của nó tính cho cấp trên cũ, từ ngày đó cho cấp trên mới."},
		{"6.", "Giải thể: chỉ khi mọi đơn vị trực thuộc đã được sáp nhập hoặc chuyển đi trong phương án và không còn người sinh hoạt, hồ sơ đang mở, thôn, buôn, trường học."},
		{"7.", "Kiểm tra trước (ketnap reorg apply TỆP --dry-run, hoặc nút Kiểm tra trên trang Sắp xếp tổ chức): mọi lỗi được báo cùng lúc theo trang và dòng; có lỗi thì không ghi gì. Một phương án chỉ áp dụng một lần."},
		{"", ""},
		{"Trang, cột", "Ý nghĩa"},
		{ReorgDecisionSheet + ": " + ReorgDateLabel, "(bắt buộc) Ngày các thay đổi có hiệu lực, ngày/tháng/năm, ví dụ 01/07/2025; không sau hôm nay."},
		{ReorgDecisionSheet + ": " + ReorgDecisionLabel, "(bắt buộc) Ví dụ: Quyết định số 1234-QĐ/TU ngày 25/6/2025 của Ban Thường vụ Tỉnh ủy."},
	}
	for _, sh := range reorgSheets() {
		for _, c := range sh.cols {
			note := c.Note
			if c.Required {
				note = strings.TrimSpace("(bắt buộc) " + note)
			}
			help = append(help, []string{reorgSheetName(sh.op) + ": " + c.Header, note})
		}
	}
	for i, r := range help {
		for j, v := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(HelpSheet, ref, v); err != nil {
				return err
			}
		}
		if err := f.SetRowHeight(HelpSheet, i+1, xlsx.RowHeight); err != nil {
			return err
		}
	}
	for _, r := range []int{1, 4, 13} {
		if err := f.SetCellStyle(HelpSheet, fmt.Sprintf("A%d", r), fmt.Sprintf("B%d", r), b.st.bold); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(HelpSheet, "A", "A", 40); err != nil {
		return err
	}
	return f.SetColWidth(HelpSheet, "B", "B", 110)
}
