package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// Chart is a native Excel bar chart over one data column of a sheet
// written by xlsx.Write: a category per row, bars from the value column.
type Chart struct {
	Sheet      string
	Title      string
	Series     string // the series' name
	Categories int    // 1-based column of the row labels
	Values     int    // 1-based column of the values
	Horizontal bool   // bars across (Excel's "bar"), else columns
	Column     int    // where the chart's top-left corner goes: this column …
	Total      bool   // the sheet's last row is a total, left out of the chart
}

// HeaderRow is the row of a sheet's headers as xlsx.Write lays it out:
// the title, the subtitle lines and an empty row come first.
func HeaderRow(s xlsx.Sheet) int {
	row := 1
	if s.Title != "" {
		row++
	}
	row += len(s.Subtitle)
	if s.Title != "" || len(s.Subtitle) > 0 {
		row++
	}
	return row
}

// WriteWorkbook writes the sheets with xlsx.Write, adds the charts, each
// next to its sheet's table, and sets every sheet to print on A4
// landscape, one page wide.
func WriteWorkbook(w io.Writer, charts []Chart, sheets ...xlsx.Sheet) error {
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, sheets...); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return err
	}
	defer f.Close()
	// Print on A4 landscape, every column on one page across.
	a4, land, wide, tall, fit := 9, "landscape", 1, 0, true
	for _, s := range sheets {
		if err := f.SetSheetProps(s.Name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
			return err
		}
		if err := f.SetPageLayout(s.Name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &land, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
			return err
		}
	}
	for _, c := range charts {
		var s *xlsx.Sheet
		for i := range sheets {
			if sheets[i].Name == c.Sheet {
				s = &sheets[i]
			}
		}
		if s == nil || len(s.Rows) == 0 {
			continue
		}
		head := HeaderRow(*s)
		first, last := head+1, head+len(s.Rows)
		if c.Total && last > first {
			last--
		}
		cat, _ := excelize.ColumnNumberToName(c.Categories)
		val, _ := excelize.ColumnNumberToName(c.Values)
		at, _ := excelize.ColumnNumberToName(max(c.Column, len(s.Headers)+2))
		q := "'" + c.Sheet + "'!"
		typ := excelize.Col
		height := uint(360)
		if c.Horizontal {
			typ = excelize.Bar
			height = uint(max(360, 22*len(s.Rows)+80))
		}
		zero, vary := 0.0, false
		err := f.AddChart(c.Sheet, fmt.Sprintf("%s%d", at, head), &excelize.Chart{
			Type:       typ,
			VaryColors: &vary,
			Series: []excelize.ChartSeries{{Name: c.Series, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2F5597"}},
				Categories: fmt.Sprintf("%s$%s$%d:$%s$%d", q, cat, first, cat, last),
				Values:     fmt.Sprintf("%s$%s$%d:$%s$%d", q, val, first, val, last)}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title, Font: &excelize.Font{Family: "Times New Roman", Size: 12, Bold: true}}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: 640, Height: height},
			XAxis:     excelize.ChartAxis{ReverseOrder: c.Horizontal, Font: excelize.Font{Family: "Times New Roman", Size: 9}},
			YAxis:     excelize.ChartAxis{Minimum: &zero, MajorGridLines: true, Font: excelize.Font{Family: "Times New Roman", Size: 9}},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true},
		})
		if err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// pctCell is a percent as a number for Excel (23.17), or nil.
func pctCell(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func intCell(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// UnitsSheetName is the name of the children's sheet of the conference workbook.
const UnitsSheetName = "Đơn vị trực thuộc"

// WriteXLSX writes the conference report's tables as an Excel workbook:
// the headline figures, the children with a native bar chart of their
// percent of quota, the classes and the deadlines.
func WriteXLSX(w io.Writer, c *Conference) error {
	p := c.Progress
	sub := []string{fmt.Sprintf("Năm %d, tính đến ngày %s", c.Year, vn.Date(c.AsOf))}
	summary := xlsx.Sheet{Name: "Tổng hợp", Title: "KẾT QUẢ PHÁT TRIỂN ĐẢNG VIÊN — " + upper(c.Org.Name), Subtitle: sub,
		Headers: []string{"Chỉ số", "Giá trị"}, Widths: []float64{52, 24}}
	add := func(k string, v any) { summary.Rows = append(summary.Rows, []any{k, v}) }
	add("Đã kết nạp", p.Admitted)
	add("Chỉ tiêu", intCell(p.Quota))
	add("Kế hoạch", intCell(p.Plan))
	add("Đã kết nạp/chỉ tiêu", fmt.Sprintf("%s/%s", vn.Int(p.Admitted), intOrDash(p.Quota)))
	add("Trong số đã kết nạp: ghi từ hồ sơ giấy (không qua hồ sơ kết nạp trên hệ thống)", p.Recorded)
	add("% chỉ tiêu", pctCell(p.QuotaPercent))
	add("% kế hoạch", pctCell(p.PlanPercent))
	var deadline any
	if p.Deadline != nil {
		deadline = *p.Deadline
	}
	add("Hạn hoàn thành", deadline)
	var pace any
	if p.PaceNeeded != nil {
		pace = vn.Round1(*p.PaceNeeded)
	}
	add("Cần kết nạp mỗi tháng để kịp hạn", pace)
	add("Nhịp độ hiện tại (người/tháng)", vn.Round1(p.PaceCurrent))
	add("Dự kiến đến hạn (đã kết nạp + theo nhịp độ hiện tại + hồ sơ đã qua chi bộ)", intCell(p.Projection))
	if p.Projection != nil {
		add("  kết nạp thêm nếu giữ nhịp độ hiện tại đến hạn", p.AtPace())
		add("  hồ sơ chi bộ đã đề nghị kết nạp, chưa có quyết định", p.Pipeline)
	}
	add("Số đơn vị vượt chỉ tiêu", len(c.Above))
	add("Số đơn vị đạt chỉ tiêu", len(c.On))
	add("Số đơn vị chưa kết nạp được đảng viên nào", len(c.None))
	if b := c.Make; b != nil {
		if len(b.VillageChapters) > 0 {
			add("Chi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên nào/tổng số", fmt.Sprintf("%s/%s", vn.Int(len(b.VillageChaptersIdle())), vn.Int(len(b.VillageChapters))))
		}
		if t := b.SchoolsTotal; t.Schools > 0 {
			add("Học sinh THPT được kết nạp/số học sinh", fmt.Sprintf("%s/%s", vn.Int(t.Admitted), vn.Int(t.Students)))
			add("Tỷ lệ học sinh THPT được kết nạp (%)", pctCell(t.Percent))
		}
	}
	if r := c.Classes; r != nil {
		add(fmt.Sprintf("Quần chúng ưu tú chưa được cử đi học quá %d tháng", r.Months), r.NotSent)
		add("Số chi bộ có quần chúng ưu tú chưa được cử đi học", len(r.ByChapter))
	}
	units := UnitsSheet(c.Org.Name, c.Year, c.AsOf, c.Units)
	sheets := []xlsx.Sheet{summary, textSheet(c), units}
	if r := c.Classes; r != nil {
		cl := xlsx.Sheet{Name: "Lớp bồi dưỡng", Title: "CÔNG TÁC BỒI DƯỠNG — " + upper(c.Org.Name),
			Subtitle: []string{fmt.Sprintf("Từ ngày %s đến ngày %s", vn.Date(r.From), vn.Date(r.To))},
			Headers:  []string{"Chương trình", "Số lớp", "Học viên", "Đạt", "Không đạt", "Vắng thi", "Dự dưới 80 %", "Chưa có kết quả"},
			Widths:   []float64{46, 10, 12, 10, 12, 12, 14, 16}}
		for _, x := range []struct {
			code string
			n    [7]int
		}{{domain.ProgAwareness, [7]int{r.Awareness.Classes, r.Awareness.Learners, r.Awareness.Passed, r.Awareness.Failed, r.Awareness.Absent, r.Awareness.Ineligible, r.Awareness.Pending}},
			{domain.ProgNewMember, [7]int{r.NewMember.Classes, r.NewMember.Learners, r.NewMember.Passed, r.NewMember.Failed, r.NewMember.Absent, r.NewMember.Ineligible, r.NewMember.Pending}}} {
			row := []any{domain.ProgrammeName(x.code)}
			for _, n := range x.n {
				row = append(row, n)
			}
			cl.Rows = append(cl.Rows, row)
		}
		sheets = append(sheets, cl)
		if len(r.ByChapter) > 0 {
			ns := xlsx.Sheet{Name: "Chưa cử đi học", Title: fmt.Sprintf("QUẦN CHÚNG ƯU TÚ CHƯA ĐƯỢC CỬ ĐI HỌC QUÁ %d THÁNG — %s", r.Months, upper(c.Org.Name)),
				Subtitle: sub, Headers: []string{"STT", "Chi bộ", "Thuộc", "Mã", "Số quần chúng"}, Widths: []float64{6, 40, 36, 28, 14}}
			for i, x := range r.ByChapter {
				ns.Rows = append(ns.Rows, []any{i + 1, x.Name, x.Parent, x.Code, x.Count})
			}
			ns.Rows = append(ns.Rows, []any{nil, "Tổng cộng", nil, nil, r.NotSent})
			sheets = append(sheets, ns)
		}
	}
	dl := xlsx.Sheet{Name: "Thời hạn", Title: "CÁC THỜI HẠN CẦN CHÚ Ý — " + upper(c.Org.Name), Subtitle: sub,
		Headers: []string{"Loại việc", "Quá hạn", fmt.Sprintf("Đến hạn trong %d ngày (kể cả quá hạn)", c.Days)}, Widths: []float64{50, 12, 24}}
	for _, t := range c.Todo {
		dl.Rows = append(dl.Rows, []any{t.Name, t.Overdue, t.Due})
	}
	sheets = append(sheets, dl)
	if len(c.Late) > 0 {
		late := xlsx.Sheet{Name: "Việc quá hạn", Title: "CÁC VIỆC ĐÃ QUÁ HẠN — " + upper(c.Org.Name), Subtitle: sub,
			Headers: []string{"Họ và tên", "Đơn vị", "Việc", "Hạn"}, Widths: []float64{28, 40, 40, 14}}
		for _, l := range c.Late {
			late.Rows = append(late.Rows, []any{l.Name, l.Unit, l.Kind, l.Due})
		}
		sheets = append(sheets, late)
	}
	if b := c.Make; b != nil {
		mk := xlsx.Sheet{Name: "Cơ cấu", Title: "CƠ CẤU ĐẢNG VIÊN MỚI KẾT NẠP — " + upper(c.Org.Name), Subtitle: sub,
			Headers: []string{"Tiêu chí", "Nhóm", "Số lượng", "Tỷ lệ so với số kết nạp (%)"}, Widths: []float64{36, 44, 12, 18}}
		for _, part := range b.Parts {
			for _, x := range part.Parts {
				var pct any
				if p, ok := progress.Percent(x.N, &b.Admitted); ok {
					pct = p
				}
				mk.Rows = append(mk.Rows, []any{part.Title, x.Label, x.N, pct})
			}
		}
		sheets = append(sheets, mk)
		if len(b.VillageChapters) > 0 {
			vc := xlsx.Sheet{Name: "Chi bộ thôn, buôn, TDP", Title: "CHI BỘ THÔN, BUÔN, TỔ DÂN PHỐ — " + upper(c.Org.Name), Subtitle: sub,
				Headers: []string{"Chi bộ", "Mã", "Thôn, buôn, tổ dân phố", "Đảng bộ xã, thị trấn", "Đã kết nạp"}, Widths: []float64{30, 30, 26, 34, 12}}
			for _, v := range b.VillageChapters {
				vc.Rows = append(vc.Rows, []any{v.Name, v.Code, v.Place, v.Commune, v.Admitted})
			}
			vc.Rows = append(vc.Rows, []any{fmt.Sprintf("Chưa kết nạp được đảng viên nào: %s/%s chi bộ", vn.Int(len(b.VillageChaptersIdle())), vn.Int(len(b.VillageChapters))), nil, nil, nil, nil})
			sheets = append(sheets, vc)
		}
		if len(b.Schools) > 0 {
			sc := xlsx.Sheet{Name: "Trường THPT", Title: fmt.Sprintf("KẾT NẠP HỌC SINH THPT SO VỚI SỐ HỌC SINH (NĂM HỌC %d–%d)", b.SchoolYear, b.SchoolYear+1),
				Subtitle: sub, Headers: []string{"Trường", "Số học sinh", "Đã kết nạp", "Tỷ lệ (%)"}, Widths: []float64{40, 14, 12, 12}}
			sc.Rows = append(sc.Rows, schoolRows(b)...)
			sheets = append(sheets, sc)
		}
	}
	return WriteWorkbook(w, []Chart{UnitsChart()}, sheets...)
}

// UnitsSheet is the table of a unit's children: ranked, with their
// figures as numbers (percent columns hold 23.17 for 23,17 %).
func UnitsSheet(org string, year int, asof time.Time, units []Unit) xlsx.Sheet {
	s := xlsx.Sheet{Name: UnitsSheetName, Title: "TIẾN ĐỘ KẾT NẠP CỦA CÁC ĐƠN VỊ TRỰC THUỘC — " + upper(org),
		Subtitle: []string{fmt.Sprintf("Năm %d, tính đến ngày %s; xếp theo tỷ lệ đạt chỉ tiêu", year, vn.Date(asof))},
		Headers:  []string{"STT", "Đơn vị", "Mã", "Đã kết nạp", "Chỉ tiêu", "Kế hoạch", "% chỉ tiêu", "% kế hoạch", "Đánh giá"},
		Widths:   []float64{6, 48, 26, 11, 10, 10, 11, 11, 22}}
	for i, u := range units {
		s.Rows = append(s.Rows, []any{i + 1, u.Name, u.Code, u.Admitted, intCell(u.Quota), intCell(u.Plan),
			pctCell(u.QuotaPercent), pctCell(u.PlanPercent), progress.ClassNames[u.Class]})
	}
	return s
}

// UnitsChart is the bar chart of UnitsSheet's percent of quota.
func UnitsChart() Chart {
	return Chart{Sheet: UnitsSheetName, Title: "Tỷ lệ đạt chỉ tiêu (%)", Series: "% chỉ tiêu", Categories: 2, Values: 7, Horizontal: true}
}

// UnitsOf turns progress results into report units, in their order.
func UnitsOf(rs []*progress.Result) []Unit {
	out := make([]Unit, len(rs))
	for i, r := range rs {
		out[i] = Unit{Code: r.Code, Name: r.Name, Admitted: r.Admitted, Quota: r.Quota, Plan: r.Plan,
			QuotaPercent: r.QuotaPercent, PlanPercent: r.PlanPercent, Class: r.Class}
	}
	return out
}

// SchoolRows are the high schools' rows of a sheet (no enrolment: empty)
// and their total.
func SchoolRows(b *service.Breakdowns) [][]any { return schoolRows(b) }

func schoolRows(b *service.Breakdowns) [][]any {
	var rows [][]any
	for _, l := range b.Schools {
		var students any
		if l.Students > 0 {
			students = l.Students
		}
		rows = append(rows, []any{l.Name, students, l.Admitted, pctCell(l.Percent)})
	}
	t := b.SchoolsTotal
	return append(rows, []any{fmt.Sprintf("Tổng cộng (%d trường)", t.Schools), t.Students, t.Admitted, pctCell(t.Percent)})
}

// textSheet is sections II and III of the report as they are used (the
// text the office saved, or the draft), one paragraph a row.
func textSheet(c *Conference) xlsx.Sheet {
	s := xlsx.Sheet{Name: "Hạn chế, nhiệm vụ", Title: "HẠN CHẾ, NGUYÊN NHÂN VÀ NHIỆM VỤ, GIẢI PHÁP — " + upper(c.Org.Name),
		Subtitle: []string{fmt.Sprintf("Năm %d, tính đến ngày %s", c.Year, vn.Date(c.AsOf))}, Headers: []string{"Phần", "Nội dung"}, Widths: []float64{30, 110}}
	for _, part := range []struct{ name, text string }{{"II. Hạn chế, nguyên nhân", c.Fields.Weaknesses}, {"III. Nhiệm vụ, giải pháp", c.Fields.Tasks}} {
		for _, l := range strings.Split(part.text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				s.Rows = append(s.Rows, []any{part.name, l})
			}
		}
	}
	return s
}
