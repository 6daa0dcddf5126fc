package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/report"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// analyticsXLSX exports the analytics page's breakdowns (GET
// /phan-tich.xlsx?org=&year=&asof=): a sheet per breakdown with a native
// bar chart, as the page draws one; the villages without member or
// chapter; the high schools against their enrolment; the pipeline
// funnel with its chart and per unit.
func (h *Handler) analyticsXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	b, err := h.svc.Breakdowns(r.Context(), q)
	if err != nil {
		return err
	}
	b.DropResidence() // not in the workbook
	f, err := h.svc.Funnel(r.Context(), service.FunnelQuery{ReportQuery: b.Query()})
	if err != nil {
		return err
	}
	name := fileName("xlsx", "phan-tich", b.Org.Code, strconv.Itoa(b.Year))
	book := &analyticsBook{used: map[string]bool{}}
	book.breakdowns(b)
	book.funnel(f)
	// from here the rows are all that is written: the breakdowns are
	// garbage while the workbook is laid out (the country's village chapters)
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, book.charts, book.sheets...); err != nil {
		return err
	}
	sendFile(w, name, mimeXlsx, buf.Bytes())
	return nil
}

// analyticsBook is the workbook of the analytics page being laid out.
type analyticsBook struct {
	sheets []xlsx.Sheet
	charts []report.Chart
	used   map[string]bool // the sheets' names
}

// breakdowns adds a sheet and a chart per breakdown, the villages without
// member or chapter, and the high schools with their chart.
func (k *analyticsBook) breakdowns(b *service.Breakdowns) {
	sub := []string{fmt.Sprintf("%s — năm %d, tính đến ngày %s; %s đảng viên mới kết nạp", b.Org.Name, b.Year, vn.Date(b.AsOf), vn.Int(b.Admitted))}
	for _, part := range b.Parts {
		if len(part.Parts) == 0 {
			continue
		}
		name := sheetName(part.Title, k.used)
		s := xlsx.Sheet{Name: name, Title: strings.ToUpper(part.Title), Subtitle: sub,
			Headers: []string{part.Title, "Số lượng", "Tỷ lệ so với số kết nạp (%)"}, Widths: []float64{44, 12, 18}}
		for _, x := range part.Parts {
			var pct any
			if p, ok := progress.Percent(x.N, &b.Admitted); ok {
				pct = p
			}
			s.Rows = append(s.Rows, []any{x.Label, x.N, pct})
		}
		k.sheets = append(k.sheets, s)
		k.charts = append(k.charts, report.Chart{Sheet: name, Title: part.Title, Series: "Số lượng", Categories: 1, Values: 2, Horizontal: true})
	}
	weak := xlsx.Sheet{Name: sheetName("Thôn, buôn chưa có đảng viên", k.used), Title: "THÔN, BUÔN, TỔ DÂN PHỐ CHƯA CÓ ĐẢNG VIÊN VÀ CHƯA CÓ CHI BỘ",
		Subtitle: sub, Headers: []string{"Tên", "Loại", "Xã, thị trấn"}, Widths: []float64{32, 18, 36}}
	for _, l := range b.Weak {
		weak.Rows = append(weak.Rows, []any{l.Name, l.KindName, l.Commune})
	}
	k.sheets = append(k.sheets, weak)
	if len(b.VillageChapters) > 0 {
		idle := b.VillageChaptersIdle()
		vc := xlsx.Sheet{Name: sheetName("Chi bộ thôn, buôn, TDP", k.used), Title: "CHI BỘ THÔN, BUÔN, TỔ DÂN PHỐ CHƯA KẾT NẠP ĐƯỢC ĐẢNG VIÊN NÀO",
			Subtitle: append(sub, fmt.Sprintf("%s/%s chi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên nào", vn.Int(len(idle)), vn.Int(len(b.VillageChapters)))),
			Headers:  []string{"Chi bộ", "Mã", "Thôn, buôn, tổ dân phố", "Đảng bộ xã, thị trấn"}, Widths: []float64{30, 30, 26, 34}}
		vc.Rows = make([][]any, 0, len(idle))
		for _, v := range idle {
			vc.Rows = append(vc.Rows, []any{v.Name, v.Code, v.Place, v.Commune})
		}
		k.sheets = append(k.sheets, vc)
	}
	if len(b.Schools) == 0 {
		return
	}
	name := sheetName("Trường THPT", k.used)
	s := xlsx.Sheet{Name: name, Title: fmt.Sprintf("KẾT NẠP HỌC SINH THPT SO VỚI SỐ HỌC SINH (NĂM HỌC %d–%d)", b.SchoolYear, b.SchoolYear+1),
		Subtitle: sub, Headers: []string{"Trường", "Số học sinh", "Đã kết nạp", "Tỷ lệ (%)"}, Widths: []float64{40, 14, 12, 12}}
	s.Rows = report.SchoolRows(b)
	k.sheets = append(k.sheets, s)
	k.charts = append(k.charts, report.Chart{Sheet: name, Title: "Học sinh THPT được kết nạp", Series: "Đã kết nạp", Categories: 1, Values: 3, Horizontal: true, Total: true})
}

// funnel adds the funnel's stages with their chart, and the funnel per unit.
func (k *analyticsBook) funnel(f *service.Funnel) {
	fsub := []string{fmt.Sprintf("%s — tính đến ngày %s", f.Org.Name, vn.Date(f.AsOf))}
	steps := xlsx.Sheet{Name: sheetName("Các bước kết nạp", k.used), Title: "CÁC BƯỚC KẾT NẠP (PHỄU)", Subtitle: fsub,
		Headers: []string{"Bước", "Số người"}, Widths: []float64{44, 12}}
	units := xlsx.Sheet{Name: sheetName("Phễu theo đơn vị", k.used), Title: "CÁC BƯỚC KẾT NẠP THEO ĐƠN VỊ", Subtitle: fsub,
		Headers: []string{"Đơn vị", "Mã"}, Widths: []float64{44, 26}}
	for _, st := range service.FunnelStages {
		steps.Rows = append(steps.Rows, []any{st.Label, f.Unit.Counts[st.Key]})
		units.Headers = append(units.Headers, st.Label)
		units.Widths = append(units.Widths, 14)
	}
	units.Headers = append(units.Headers, "Chưa cử đi học", "Quá hạn", "Đứng yên lâu")
	units.Widths = append(units.Widths, 12, 10, 12)
	for _, l := range append([]*service.FunnelLine{f.Unit}, f.Unit.Children...) {
		row := []any{l.Org.Name, l.Org.Code}
		for _, st := range service.FunnelStages {
			row = append(row, l.Counts[st.Key])
		}
		units.Rows = append(units.Rows, append(row, l.NotSent, l.Overdue, l.Stalled))
	}
	k.sheets = append(k.sheets, steps, units)
	k.charts = append(k.charts, report.Chart{Sheet: steps.Name, Title: "Các bước kết nạp", Series: "Số người", Categories: 1, Values: 2, Horizontal: true})
}

// sheetName makes a tab's name from a title: at most 31 characters,
// none of []:*?/\, and not used before in the workbook.
func sheetName(title string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, title)
	rs := []rune(clean)
	name := strings.TrimSpace(string(rs[:min(len(rs), 31)]))
	for i := 2; used[name]; i++ {
		name = strings.TrimSpace(string(rs[:min(len(rs), 28)])) + " " + strconv.Itoa(i)
	}
	used[name] = true
	return name
}
