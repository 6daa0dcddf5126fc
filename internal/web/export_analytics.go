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
	code, year, asof, err := h.progressQuery(r)
	if err != nil {
		return err
	}
	if code == "" {
		home, err := h.svc.HomeOrg(r.Context())
		if err != nil {
			return err
		}
		code = home.Code
	}
	b, err := h.svc.Breakdowns(r.Context(), code, year, asof)
	if err != nil {
		return err
	}
	sub := []string{fmt.Sprintf("%s — năm %d, tính đến ngày %s; %s đảng viên mới kết nạp", b.Org.Name, year, vn.Date(asof), vn.Int(b.Admitted))}
	var sheets []xlsx.Sheet
	var charts []report.Chart
	used := map[string]bool{}
	for _, part := range b.Parts {
		if len(part.Parts) == 0 {
			continue
		}
		name := sheetName(part.Title, used)
		s := xlsx.Sheet{Name: name, Title: strings.ToUpper(part.Title), Subtitle: sub,
			Headers: []string{part.Title, "Số lượng", "Tỷ lệ so với số kết nạp (%)"}, Widths: []float64{44, 12, 18}}
		for _, x := range part.Parts {
			var pct any
			if p, ok := progress.Percent(x.N, &b.Admitted); ok {
				pct = p
			}
			s.Rows = append(s.Rows, []any{x.Label, x.N, pct})
		}
		sheets = append(sheets, s)
		charts = append(charts, report.Chart{Sheet: name, Title: part.Title, Series: "Số lượng", Categories: 1, Values: 2, Horizontal: true})
	}
	weak := xlsx.Sheet{Name: sheetName("Thôn, buôn chưa có đảng viên", used), Title: "THÔN, BUÔN, TỔ DÂN PHỐ CHƯA CÓ ĐẢNG VIÊN VÀ CHƯA CÓ CHI BỘ",
		Subtitle: sub, Headers: []string{"Tên", "Loại", "Xã, thị trấn"}, Widths: []float64{32, 18, 36}}
	for _, l := range b.Weak {
		weak.Rows = append(weak.Rows, []any{l.Name, l.KindName, l.Commune})
	}
	sheets = append(sheets, weak)
	if len(b.Schools) > 0 {
		name := sheetName("Trường THPT", used)
		s := xlsx.Sheet{Name: name, Title: fmt.Sprintf("KẾT NẠP HỌC SINH THPT SO VỚI SỐ HỌC SINH (NĂM HỌC %d–%d)", b.SchoolYear, b.SchoolYear+1),
			Subtitle: sub, Headers: []string{"Trường", "Số học sinh", "Đã kết nạp", "Tỷ lệ (%)"}, Widths: []float64{40, 14, 12, 12}}
		for _, l := range b.Schools {
			var students any
			if l.Students > 0 {
				students = l.Students
			}
			var pct any
			if l.Percent != nil {
				pct = *l.Percent
			}
			s.Rows = append(s.Rows, []any{l.Name, students, l.Admitted, pct})
		}
		sheets = append(sheets, s)
		charts = append(charts, report.Chart{Sheet: name, Title: "Học sinh THPT được kết nạp", Series: "Đã kết nạp", Categories: 1, Values: 3, Horizontal: true})
	}
	f, err := h.svc.Funnel(r.Context(), b.Org.Code, asof, 0)
	if err != nil {
		return err
	}
	fsub := []string{fmt.Sprintf("%s — tính đến ngày %s", b.Org.Name, vn.Date(asof))}
	steps := xlsx.Sheet{Name: sheetName("Các bước kết nạp", used), Title: "CÁC BƯỚC KẾT NẠP (PHỄU)", Subtitle: fsub,
		Headers: []string{"Bước", "Số người"}, Widths: []float64{44, 12}}
	units := xlsx.Sheet{Name: sheetName("Phễu theo đơn vị", used), Title: "CÁC BƯỚC KẾT NẠP THEO ĐƠN VỊ", Subtitle: fsub,
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
	sheets = append(sheets, steps, units)
	charts = append(charts, report.Chart{Sheet: steps.Name, Title: "Các bước kết nạp", Series: "Số người", Categories: 1, Values: 2, Horizontal: true})
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, charts, sheets...); err != nil {
		return err
	}
	sendFile(w, fileName(b.Org.Code, "phan-tich-"+strconv.Itoa(year), "xlsx"), mimeXlsx, buf.Bytes())
	return nil
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
