package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"

	"github.com/xuri/excelize/v2"
)

// The Excel exports of the list and report pages: the same filters and
// scope as the page, every row (not one page), Vietnamese headers, rows
// tall enough for stacked diacritics (internal/xlsx), and a native chart
// where the page shows one.

// exportLimit bounds the rows of an export.
const exportLimit = 100_000

func (h *Handler) registerExports(mux *http.ServeMux) {
	mux.Handle("GET /tien-do.xlsx", h.page(h.progressXLSX))
	mux.Handle("GET /nguoi.xlsx", h.page(h.personalData("people", h.peopleXLSX)))
	mux.Handle("GET /ho-so.xlsx", h.page(h.personalData("cases", h.casesXLSX)))
	mux.Handle("GET /lop-hoc/bao-cao.xlsx", h.page(h.classReportXLSX))
	mux.Handle("GET /viec-can-lam.xlsx", h.page(h.personalData("todo", h.todoXLSX)))
	mux.Handle("GET /phan-tich.xlsx", h.page(h.analyticsXLSX))
	mux.Handle("GET /chi-tieu.xlsx", h.page(h.targetsXLSX))
	mux.Handle("GET /lop-hoc.xlsx", h.page(h.classesXLSX))
	mux.Handle("GET /lop-hoc/chua-cu-di-hoc.xlsx", h.page(h.personalData("people", h.classNotSentXLSX)))
	mux.Handle("GET /lop-hoc/giay-chung-nhan.xlsx", h.page(h.personalData("people", h.classHoldersXLSX)))
	for name, b := range boards {
		mux.Handle("GET "+b.path+".xlsx", h.page(h.personalData("cases", h.boardXLSX(name))))
	}
}

// progressXLSX exports the dashboard's table of children with the bar
// chart of their percent of quota (GET /tien-do.xlsx?org=&year=&asof=).
func (h *Handler) progressXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Progress(r.Context(), q)
	if err != nil {
		return err
	}
	s := report.UnitsSheet(p.Org.Name, p.Year, p.AsOf, report.UnitsOf(rank(p.Children)))
	s.Subtitle = append(s.Subtitle, fmt.Sprintf("Toàn đơn vị: đã kết nạp %s/%s, đạt %s chỉ tiêu, %s kế hoạch",
		vn.Int(p.Admitted), intOrPlaceholder(p.Quota), vn.PercentPtr(p.QuotaPercent), vn.PercentPtr(p.PlanPercent)))
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, []report.Chart{report.UnitsChart()}, s); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "tien-do", p.Org.Code, strconv.Itoa(p.Year)), mimeXlsx, buf.Bytes())
	return nil
}

func intOrPlaceholder(p *int) string {
	if p == nil {
		return vn.Placeholder
	}
	return vn.Int(*p)
}

// peopleXLSX exports the people list (GET /nguoi.xlsx?org=&stage=&q=):
// every row in the list's scope and order (at most exportLimit), read in
// one streaming query and written with excelize's StreamWriter in the
// layout of internal/xlsx and report.WriteWorkbook (title, scope, header
// row frozen, rows tall enough for stacked diacritics, A4 landscape one
// page wide). The CCCD is masked as on the page.
func (h *Handler) peopleXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	qv := r.URL.Query()
	pq := service.PeopleQuery{OrgCode: strings.TrimSpace(qv.Get("org")), Query: vn.Clean(qv.Get("q"))}
	if s := qv.Get("stage"); s != "" {
		pq.Stages = []string{s}
	}
	scope := "Toàn bộ phạm vi được xem"
	if pq.OrgCode != "" {
		o, err := h.svc.Org(ctx, pq.OrgCode)
		if err != nil {
			return err
		}
		scope = o.Name
	}
	sheet := xlsx.Sheet{Name: "Danh sách", Title: "DANH SÁCH QUẦN CHÚNG, ĐẢNG VIÊN", Subtitle: []string{scope},
		Headers: []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Trình độ học vấn", "Đơn vị", "Giai đoạn"},
		Widths:  []float64{6, 28, 12, 9, 16, 22, 44, 22}}
	sw, err := newSheetStream(sheet)
	if err != nil {
		return err
	}
	defer sw.close()
	n := 0
	err = h.svc.EachPerson(ctx, pq, exportLimit, func(p *domain.Person, unit string) error {
		n++
		sex := "Nam"
		if p.Sex == domain.Female {
			sex = "Nữ"
		}
		return sw.row(n, p.FullName, p.BirthDate, sex, vn.MaskCCCD(p.CCCD), domain.EducationName(p.Education), unit, domain.StageName(p.Stage))
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sw.finish(&buf); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "danh-sach", orDefault(pq.OrgCode, "tat-ca")), mimeXlsx, buf.Bytes())
	return nil
}

// sheetStream writes one table sheet row by row with excelize's
// StreamWriter, in the layout and the styles (xlsx.NewStyles) xlsx.Write
// and report.WriteWorkbook give a sheet built in memory.
type sheetStream struct {
	f          *excelize.File
	sw         *excelize.StreamWriter
	next       int // the next row number
	cell, date int // styles of the data cells
}

// newSheetStream starts the workbook of s (its rows are ignored): page
// set-up, column widths, title, subtitle lines and the frozen header row.
func newSheetStream(s xlsx.Sheet) (_ *sheetStream, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	if err := f.SetSheetName("Sheet1", s.Name); err != nil {
		return nil, err
	}
	a4, land, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetSheetProps(s.Name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	if err := f.SetPageLayout(s.Name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &land, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return nil, err
	}
	st, err := xlsx.NewStyles(f)
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return nil, err
	}
	x := &sheetStream{f: f, sw: sw, next: 1, cell: st.Cell, date: st.Date}
	if err := x.head(s, st); err != nil {
		return nil, err
	}
	return x, nil
}

// head writes what comes before the rows: the column widths, the frozen
// panes, the title and subtitle lines merged across the table, and the
// header row where report.HeaderRow puts it.
func (x *sheetStream) head(s xlsx.Sheet, st xlsx.Styles) error {
	for c, wd := range s.Widths {
		if wd > 0 {
			if err := x.sw.SetColWidth(c+1, c+1, wd); err != nil {
				return err
			}
		}
	}
	cols := max(len(s.Headers), 1)
	headRow := report.HeaderRow(s)
	if len(s.Headers) > 0 {
		if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: fmt.Sprintf("A%d", headRow+1), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	if s.Title != "" {
		if err := x.line(s.Title, st.Title, xlsx.TitleHeight, cols); err != nil {
			return err
		}
	}
	for _, l := range s.Subtitle {
		if err := x.line(l, st.Subtitle, xlsx.RowHeight, cols); err != nil {
			return err
		}
	}
	x.next = headRow
	if len(s.Headers) > 0 {
		cells := make([]any, len(s.Headers))
		for i, h := range s.Headers {
			cells[i] = excelize.Cell{StyleID: st.Header, Value: h}
		}
		if err := x.sw.SetRow(fmt.Sprintf("A%d", x.next), cells, excelize.RowOpts{Height: 2 * xlsx.RowHeight}); err != nil {
			return err
		}
		x.next++
	}
	return nil
}

// line writes a title or subtitle line in the first cell of the next row,
// merged across the table's cols columns.
func (x *sheetStream) line(text string, style int, height float64, cols int) error {
	cells := make([]any, cols)
	for i := range cells {
		cells[i] = excelize.Cell{StyleID: style}
	}
	cells[0] = excelize.Cell{StyleID: style, Value: text}
	a, _ := excelize.CoordinatesToCellName(1, x.next)
	if err := x.sw.SetRow(a, cells, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	if cols > 1 {
		b, _ := excelize.CoordinatesToCellName(cols, x.next)
		if err := x.sw.MergeCell(a, b); err != nil {
			return err
		}
	}
	x.next++
	return nil
}

// row writes the next data row; a time.Time is a date (dd/mm/yyyy, empty
// when zero).
func (x *sheetStream) row(values ...any) error {
	cells := make([]any, len(values))
	for i, v := range values {
		style := x.cell
		if t, ok := v.(time.Time); ok {
			style = x.date
			if t.IsZero() {
				v = nil
			}
		}
		cells[i] = excelize.Cell{StyleID: style, Value: v}
	}
	if err := x.sw.SetRow(fmt.Sprintf("A%d", x.next), cells, excelize.RowOpts{Height: xlsx.RowHeight}); err != nil {
		return err
	}
	x.next++
	return nil
}

// finish flushes the sheet and writes the workbook to w.
func (x *sheetStream) finish(w io.Writer) error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(w)
	return err
}

func (x *sheetStream) close() { x.f.Close() }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// casesXLSX exports the list of admission cases (GET
// /ho-so.xlsx?org=&stage=&overdue=1&all=1&q=).
func (h *Handler) casesXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	qv := r.URL.Query()
	cq := service.CaseQuery{OrgCode: strings.TrimSpace(qv.Get("org")), Open: qv.Get("all") == "", Overdue: qv.Get("overdue") != "",
		Query: vn.Clean(qv.Get("q")), PerPage: 200}
	if s := qv.Get("stage"); s != "" {
		cq.Stages = []string{s}
		cq.Open = cq.Open && !closedStages[s]
	}
	scope := "Toàn bộ phạm vi được xem"
	if cq.OrgCode != "" {
		o, err := h.svc.Org(ctx, cq.OrgCode)
		if err != nil {
			return err
		}
		scope = o.Name
	}
	var rows []caseRow
	var today time.Time
	for cq.Page = 1; len(rows) < exportLimit; cq.Page++ {
		res, err := h.svc.Cases(ctx, cq)
		if err != nil {
			return err
		}
		today = res.Today
		for _, c := range res.Cases {
			rows = append(rows, caseRow{CaseRow: c, NextOverdue: c.NextDue != nil && c.NextDue.Before(res.Today)})
		}
		if cq.Page >= res.Pages() {
			break
		}
	}
	s := xlsx.Sheet{Name: "Hồ sơ kết nạp", Title: "DANH SÁCH HỒ SƠ KẾT NẠP ĐẢNG", Subtitle: []string{scope + ", tính đến ngày " + vn.Date(today)},
		Headers: []string{"STT", "Họ và tên", "Ngày sinh", "Chi bộ", "Giai đoạn", "Ngày vào nguồn", "Việc tiếp theo", "Hạn", "Quá hạn"},
		Widths:  []float64{6, 28, 12, 40, 26, 14, 40, 12, 9}}
	for i, c := range rows {
		var due any
		if c.NextDue != nil {
			due = *c.NextDue
		}
		late := ""
		if c.NextOverdue {
			late = "Quá hạn"
		}
		s.Rows = append(s.Rows, []any{i + 1, c.FullName, c.BirthDate, c.OrgName, domain.CaseStageName(c.Stage), c.OpenedOn, c.NextAction, due, late})
	}
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, nil, s); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "ho-so", orDefault(cq.OrgCode, "tat-ca")), mimeXlsx, buf.Bytes())
	return nil
}

// classReportXLSX exports the classes report with a column chart of the
// learners and the passed per programme (GET /lop-hoc/bao-cao.xlsx with
// the page's parameters).
func (h *Handler) classReportXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := h.reportParams(r)
	if err != nil {
		return err
	}
	rep, err := h.svc.ClassReport(r.Context(), rq)
	if err != nil {
		return err
	}
	sub := []string{fmt.Sprintf("Năm %d, từ ngày %s đến ngày %s", rep.Year, vn.Date(rep.From), vn.Date(rep.To))}
	prog := xlsx.Sheet{Name: "Lớp bồi dưỡng", Title: "BÁO CÁO LỚP BỒI DƯỠNG — " + strings.ToUpper(rep.Org.Name), Subtitle: sub,
		Headers: []string{"Chương trình", "Số lớp", "Học viên", "Đạt", "Không đạt", "Vắng thi", "Dự dưới 80 %", "Chưa có kết quả"},
		Widths:  []float64{46, 10, 12, 10, 12, 12, 14, 16}}
	lines := []reportLine{{domain.ProgrammeName(domain.ProgAwareness), rep.Awareness}, {domain.ProgrammeName(domain.ProgNewMember), rep.NewMember}}
	if rep.Other.Classes > 0 {
		lines = append(lines, reportLine{domain.ProgrammeName(domain.ProgOther), rep.Other})
	}
	for _, l := range lines {
		c := l.C
		prog.Rows = append(prog.Rows, []any{l.Name, c.Classes, c.Learners, c.Passed, c.Failed, c.Absent, c.Ineligible, c.Pending})
	}
	alerts := xlsx.Sheet{Name: "Chưa cử đi học", Title: fmt.Sprintf("QUẦN CHÚNG ƯU TÚ CHƯA ĐƯỢC CỬ ĐI HỌC QUÁ %d THÁNG", rep.Months),
		Subtitle: []string{fmt.Sprintf("Vào danh sách từ ngày %s trở về trước: %s người; giấy chứng nhận còn hiệu lực, chưa kết nạp: %s; hết hạn trong %d ngày tới: %s",
			vn.Date(rep.Cutoff), vn.Int(rep.NotSent), vn.Int(rep.Certified), rep.LapseDays, vn.Int(rep.Lapsing))},
		Headers: []string{"Đơn vị", "Trực thuộc", "Mã", "Chưa cử đi học"}, Widths: []float64{44, 36, 32, 16}}
	for _, c := range rep.ByChapter {
		alerts.Rows = append(alerts.Rows, []any{c.Name, c.Parent, c.Code, c.Count})
	}
	chart := report.Chart{Sheet: prog.Name, Title: "Học viên theo chương trình", Series: "Học viên", Categories: 1, Values: 3}
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, []report.Chart{chart}, prog, alerts); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "bao-cao-lop", rep.Org.Code, strconv.Itoa(rep.Year)), mimeXlsx, buf.Bytes())
	return nil
}
