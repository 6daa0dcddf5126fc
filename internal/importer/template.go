package importer

import (
	"context"
	"fmt"
	"io"
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
func Template(ctx context.Context, svc *service.Service, kind string, w io.Writer) (err error) {
	return writeBook(ctx, svc, kind, nil, w)
}

// writeBook writes the template of a kind with rows (cells in the order of
// the kind's columns) on its data sheet: an export that imports back.
func writeBook(ctx context.Context, svc *service.Service, kind string, rows [][]any, w io.Writer) (err error) {
	cols := columns(kind)
	if cols == nil {
		return domain.Errorf(domain.EInvalid, "Loại dữ liệu %q không hợp lệ (orgs, members, candidates hoặc targets)", kind)
	}
	me := service.UserFrom(ctx)
	if me == nil {
		return domain.Errorf(domain.EUnauthorized, "Bạn cần đăng nhập")
	}
	path := me.OrgPath
	if path == "" {
		path = "/"
	}
	orgs, err := svc.LegacyStore().Subtree(ctx, path, domain.Today(svc.Now))
	if err != nil {
		return err
	}
	places, err := svc.LegacyStore().ResidentialUnits(ctx, path)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	font := func(bold bool, color string) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: 12, Bold: bold, Color: color}
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	head := func(color string) (int, error) {
		return f.NewStyle(&excelize.Style{Font: font(true, color), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	}
	reqStyle, err := head("C00000")
	if err != nil {
		return err
	}
	optStyle, err := head("000000")
	if err != nil {
		return err
	}
	textFmt := "@"
	textStyle, err := f.NewStyle(&excelize.Style{Font: font(false, ""), CustomNumFmt: &textFmt})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{Font: font(false, ""), CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	plain, err := f.NewStyle(&excelize.Style{Font: font(false, "")})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", DataSheet); err != nil {
		return err
	}
	// The lists sheet: one list a column, referred to by the drop-downs.
	if _, err := f.NewSheet(ListsSheet); err != nil {
		return err
	}
	lists := map[string][]string{}
	for _, c := range cols {
		if c.List == "" || lists[c.List] != nil {
			continue
		}
		switch c.List {
		case "orgs":
			for _, o := range orgs {
				lists["orgs"] = append(lists["orgs"], o.Code)
			}
		case "residence":
			for _, p := range places {
				lists["residence"] = append(lists["residence"], p.Code)
			}
		default:
			lists[c.List] = fixedList(c.List)
		}
	}
	listRef := map[string]string{}
	names := make([]string, 0, len(lists))
	for n := range lists {
		names = append(names, n)
	}
	slices.Sort(names)
	col := 1
	for _, n := range names {
		vals := lists[n]
		letter, _ := excelize.ColumnNumberToName(col)
		title := listTitle(n)
		if err := f.SetCellValue(ListsSheet, letter+"1", title); err != nil {
			return err
		}
		for i, v := range vals {
			if err := f.SetCellStr(ListsSheet, fmt.Sprintf("%s%d", letter, i+2), v); err != nil {
				return err
			}
		}
		// the organization list shows names next to codes
		if n == "orgs" || n == "residence" {
			next, _ := excelize.ColumnNumberToName(col + 1)
			if err := f.SetCellValue(ListsSheet, next+"1", "Tên"); err != nil {
				return err
			}
			for i := range vals {
				name := ""
				if n == "orgs" {
					name = orgs[i].Name
				} else {
					name = places[i].Name
				}
				if err := f.SetCellStr(ListsSheet, fmt.Sprintf("%s%d", next, i+2), name); err != nil {
					return err
				}
			}
			if err := f.SetColWidth(ListsSheet, next, next, 40); err != nil {
				return err
			}
			col++
		}
		if err := f.SetColWidth(ListsSheet, letter, letter, 26); err != nil {
			return err
		}
		if len(vals) > 0 {
			listRef[n] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", ListsSheet, letter, letter, len(vals)+1)
		}
		col++
	}
	// The data sheet.
	for i, c := range cols {
		letter, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(DataSheet, letter+"1", c.Header); err != nil {
			return err
		}
		st := optStyle
		if c.Required {
			st = reqStyle
		}
		if err := f.SetCellStyle(DataSheet, letter+"1", letter+"1", st); err != nil {
			return err
		}
		if err := f.SetColWidth(DataSheet, letter, letter, max(c.Width, 12)); err != nil {
			return err
		}
		cs := plain
		if c.Text {
			cs = textStyle
		} else if c.Date {
			cs = dateStyle
		}
		if err := f.SetColStyle(DataSheet, letter, cs); err != nil {
			return err
		}
		if ref := listRef[c.List]; ref != "" {
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
	if err := f.SetPanes(DataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// The instructions sheet.
	if _, err := f.NewSheet(HelpSheet); err != nil {
		return err
	}
	help := [][]string{
		{"Mẫu nhập " + KindName(kind) + " — ketnap", ""},
		{"Tạo ngày " + vn.Date(domain.Today(time.Now)) + " cho tài khoản " + me.Username, ""},
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
	for _, c := range cols {
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
	bold, err := f.NewStyle(&excelize.Style{Font: font(true, "")})
	if err != nil {
		return err
	}
	for _, r := range []int{1, 4, 12} {
		ref := fmt.Sprintf("A%d", r)
		if err := f.SetCellStyle(HelpSheet, ref, fmt.Sprintf("B%d", r), bold); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(HelpSheet, 1, xlsx.TitleHeight); err != nil {
		return err
	}
	if err := f.SetColWidth(HelpSheet, "A", "A", 28); err != nil {
		return err
	}
	if err := f.SetColWidth(HelpSheet, "B", "B", 110); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
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
