package importer

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// templateRows is how many rows of the data sheet carry the drop-downs.
const templateRows = 5000

// Template writes the Excel template of a kind for the user of ctx: the data
// sheet with Vietnamese headers (required ones in red), drop-down lists on
// coded columns, the CCCD and code columns as text; an instructions sheet;
// and a lists sheet with the codes of the organizations in the user's subtree.
// A kind that has no template is not found.
func Template(ctx context.Context, svc *service.Service, kind string, w io.Writer) (err error) {
	if kind == KindReorg {
		return ReorgTemplate(ctx, svc, w)
	}
	if KindName(kind) == "" {
		return domain.Errorf(domain.ENotFound, "Không có tệp mẫu %q", kind)
	}
	return writeBook(ctx, svc, kind, nil, w)
}

// NoExport is the error for a kind that has no export in the import's
// format (only orgs and targets have).
func NoExport(kind string) error {
	return domain.Errorf(domain.ENotFound, "Không xuất được %q theo mẫu nhập (chỉ orgs, targets)", kind)
}

// book is a template being written.
type book struct {
	f    *excelize.File
	kind string
	cols []column
	st   styles
}

// styles are the cell styles of a template.
type styles struct {
	required, optional, text, date, plain, bold int
}

// writeBook writes the template of a kind with rows (cells in the order of
// the kind's columns) on its data sheet: an export that imports back.
func writeBook(ctx context.Context, svc *service.Service, kind string, rows [][]any, w io.Writer) (err error) {
	cols := columns(kind)
	if cols == nil {
		return unknownKind(kind)
	}
	orgs, places, err := svc.ImportLists(ctx) // refuses a user not signed in
	if err != nil {
		return err
	}
	me := service.UserFrom(ctx)
	b := &book{f: excelize.NewFile(), kind: kind, cols: cols}
	defer func() {
		if cerr := b.f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := b.styles(); err != nil {
		return err
	}
	if err := b.f.SetSheetName("Sheet1", DataSheet); err != nil {
		return err
	}
	refs, err := b.lists(orgs, places)
	if err != nil {
		return err
	}
	if err := b.data(refs, rows); err != nil {
		return err
	}
	if err := b.help(me.Username); err != nil {
		return err
	}
	b.f.SetActiveSheet(0)
	_, err = b.f.WriteTo(w)
	return err
}

func font(bold bool, color string) *excelize.Font {
	return &excelize.Font{Family: "Times New Roman", Size: 12, Bold: bold, Color: color}
}

// styles makes the cell styles: headers (required ones in red), text,
// dates, plain and bold cells.
func (b *book) styles() error {
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	head := func(color string) *excelize.Style {
		return &excelize.Style{Font: font(true, color), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
	}
	textFmt, dateFmt := "@", "dd/mm/yyyy"
	for _, x := range []struct {
		to *int
		st *excelize.Style
	}{
		{&b.st.required, head("C00000")},
		{&b.st.optional, head("000000")},
		{&b.st.text, &excelize.Style{Font: font(false, ""), CustomNumFmt: &textFmt}},
		{&b.st.date, &excelize.Style{Font: font(false, ""), CustomNumFmt: &dateFmt}},
		{&b.st.plain, &excelize.Style{Font: font(false, "")}},
		{&b.st.bold, &excelize.Style{Font: font(true, "")}},
	} {
		id, err := b.f.NewStyle(x.st)
		if err != nil {
			return err
		}
		*x.to = id
	}
	return nil
}

// lists writes the lists sheet: one list a column (the organizations and
// residential units with their names beside), and returns the range of
// each list for the drop-downs.
func (b *book) lists(orgs []*domain.Org, places []domain.ResidentialUnit) (map[string]string, error) {
	f := b.f
	if _, err := f.NewSheet(ListsSheet); err != nil {
		return nil, err
	}
	lists := map[string][]string{}
	names := map[string][]string{} // the names beside the codes
	for _, c := range b.cols {
		if c.List == "" || lists[c.List] != nil {
			continue
		}
		switch c.List {
		case "orgs":
			for _, o := range orgs {
				lists["orgs"] = append(lists["orgs"], o.Code)
				names["orgs"] = append(names["orgs"], o.Name)
			}
		case "residence":
			for _, p := range places {
				lists["residence"] = append(lists["residence"], p.Code)
				names["residence"] = append(names["residence"], p.Name)
			}
		default:
			lists[c.List] = fixedList(c.List)
		}
	}
	refs := map[string]string{}
	col := 1
	for _, n := range slices.Sorted(maps.Keys(lists)) {
		vals := lists[n]
		letter, _ := excelize.ColumnNumberToName(col)
		if err := b.column(letter, listTitle(n), vals, 26); err != nil {
			return nil, err
		}
		if n == "orgs" || n == "residence" {
			col++
			next, _ := excelize.ColumnNumberToName(col)
			if err := b.column(next, "Tên", names[n], 40); err != nil {
				return nil, err
			}
		}
		if len(vals) > 0 {
			refs[n] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", ListsSheet, letter, letter, len(vals)+1)
		}
		col++
	}
	return refs, nil
}

// column writes a column of the lists sheet: its title, then the values.
func (b *book) column(letter, title string, vals []string, width float64) error {
	if err := b.f.SetCellValue(ListsSheet, letter+"1", title); err != nil {
		return err
	}
	for i, v := range vals {
		if err := b.f.SetCellStr(ListsSheet, fmt.Sprintf("%s%d", letter, i+2), v); err != nil {
			return err
		}
	}
	return b.f.SetColWidth(ListsSheet, letter, letter, width)
}

// data writes the data sheet: the headers, the columns' formats and
// drop-downs (refs, by list), and the rows.
func (b *book) data(refs map[string]string, rows [][]any) error {
	f := b.f
	for i, c := range b.cols {
		letter, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.header(DataSheet, letter, c); err != nil {
			return err
		}
		if ref := refs[c.List]; ref != "" {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", letter, letter, templateRows+1))
			dv.SetSqrefDropList(ref)
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header, "Giá trị không có trong danh mục")
			if err := f.AddDataValidation(DataSheet, dv); err != nil {
				return err
			}
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(DataSheet, cell, &row); err != nil {
			return err
		}
	}
	// rows tall enough for capitals with stacked marks (Ề, Ế, Ả) as people type them
	rowHeight := float64(xlsx.RowHeight)
	if err := f.SetSheetProps(DataSheet, &excelize.SheetPropsOptions{DefaultRowHeight: &rowHeight, CustomHeight: &[]bool{true}[0]}); err != nil {
		return err
	}
	if err := f.SetRowHeight(DataSheet, 1, 2*xlsx.RowHeight); err != nil {
		return err
	}
	return f.SetPanes(DataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// header writes a column's header on the sheet and sets its width and
// format.
func (b *book) header(sheet, letter string, c column) error {
	f := b.f
	if err := f.SetCellStr(sheet, letter+"1", c.Header); err != nil {
		return err
	}
	st := b.st.optional
	if c.Required {
		st = b.st.required
	}
	if err := f.SetCellStyle(sheet, letter+"1", letter+"1", st); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, letter, letter, max(c.Width, 12)); err != nil {
		return err
	}
	cs := b.st.plain
	if c.Text {
		cs = b.st.text
	} else if c.Date {
		cs = b.st.date
	}
	return f.SetColStyle(sheet, letter, cs)
}

// help writes the instructions sheet for the user.
func (b *book) help(username string) error {
	f, kind := b.f, b.kind
	if _, err := f.NewSheet(HelpSheet); err != nil {
		return err
	}
	help := [][]string{
		{"Mẫu nhập " + KindName(kind) + " — ketnap", ""},
		{"Tạo ngày " + vn.Date(domain.Today(time.Now)) + " cho tài khoản " + username, ""},
		{"", ""},
		{"Cách điền", ""},
		{"1.", "Nhập mỗi dòng một " + rowNoun(kind) + " vào trang “" + DataSheet + "”, bắt đầu từ dòng 2; không đổi tên các cột ở dòng 1."},
		{"2.", "Cột có tiêu đề màu đỏ là bắt buộc. Các cột có danh sách thả xuống: chọn trong danh sách (xem trang “" + ListsSheet + "”)."},
		{"3.", "Ngày nhập theo dạng ngày/tháng/năm (04/05/2024) hoặc dùng ô ngày của Excel."},
		{"4.", "Số CCCD và các mã nhập dạng văn bản để giữ số 0 ở đầu. Không dùng công thức: hãy dán giá trị (Paste Special → Values)."},
		{"5.", "Khi nhập, mọi lỗi được báo theo trang, dòng và cột; nếu có dòng sai thì không dòng nào được nhập, trừ khi chọn “chỉ nhập các dòng hợp lệ”."},
		{"6.", "Nhập lại cùng tệp không tạo bản ghi trùng: " + matchRule(kind) + "."},
		{"", ""},
		{"Cột", "Ý nghĩa"},
	}
	for _, c := range b.cols {
		note := c.Note
		if c.Required {
			note = "(bắt buộc) " + note
		}
		help = append(help, []string{c.Header, note})
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
	for _, r := range []int{1, 4, 12} {
		if err := f.SetCellStyle(HelpSheet, fmt.Sprintf("A%d", r), fmt.Sprintf("B%d", r), b.st.bold); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(HelpSheet, 1, xlsx.TitleHeight); err != nil {
		return err
	}
	if err := f.SetColWidth(HelpSheet, "A", "A", 28); err != nil {
		return err
	}
	return f.SetColWidth(HelpSheet, "B", "B", 110)
}

func listTitle(n string) string {
	switch n {
	case "sex":
		return ColSex
	case "yesno":
		return "Có/Không"
	case "ethnicity":
		return ColEthnicity
	case "religion":
		return ColReligion
	case "education":
		return ColEducation
	case "occupation":
		return ColOccupation
	case "stage":
		return ColStage
	case "orgkind":
		return ColOrgKind
	case "sector":
		return ColSector
	case "targetkind":
		return "Loại chỉ tiêu"
	case "orgs":
		return ColOrg
	case "residence":
		return "Mã thôn, buôn, tổ dân phố"
	}
	return n
}

func rowNoun(kind string) string {
	switch kind {
	case KindOrgs:
		return "tổ chức"
	case KindTargets:
		return "chỉ tiêu hoặc kế hoạch của một đơn vị trong một năm"
	case KindMembers:
		return "đảng viên"
	}
	return "người"
}

func matchRule(kind string) string {
	switch kind {
	case KindOrgs:
		return "tổ chức được nhận ra theo mã"
	case KindTargets:
		return "chỉ tiêu được nhận ra theo mã tổ chức, năm và loại, và được ghi đè"
	}
	return "người được nhận ra theo số CCCD"
}
