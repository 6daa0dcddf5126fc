package web

import (
	"bytes"
	"net/http"
	"strconv"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/xlsx"
)

// targetsXLSX exports the target sheet of a unit and its children, with
// the gaps between the children's allocations and the unit's figures
// (GET /chi-tieu.xlsx?org=&year=).
func (h *Handler) targetsXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	q := r.URL.Query()
	v, err := h.targetSheet(r, u, q.Get("org"), q.Get("year"))
	if err != nil {
		return err
	}
	if v.Sheet == nil {
		return domain.Errorf(domain.ENotFound, "Chưa có tổ chức nào để xuất chỉ tiêu")
	}
	s := xlsx.Sheet{Name: "Chỉ tiêu", Title: "CHỈ TIÊU, KẾ HOẠCH KẾT NẠP ĐẢNG VIÊN NĂM " + strconv.Itoa(v.Year),
		Subtitle: append([]string{v.Org.Name}, v.Gaps...),
		Headers:  []string{"STT", "Đơn vị", "Mã", "Chỉ tiêu được giao", "Hạn chỉ tiêu", "Kế hoạch", "Hạn kế hoạch"},
		Widths:   []float64{6, 44, 30, 14, 14, 12, 14}}
	add := func(i any, t targetRow) {
		var qd, pd any
		if t.OrigQuotaDeadline != "" {
			qd = t.OrigQuotaDeadline
		}
		if t.OrigPlanDeadline != "" {
			pd = t.OrigPlanDeadline
		}
		s.Rows = append(s.Rows, []any{i, t.Org.Name, t.Org.Code, numOrEmpty(t.OrigQuota), qd, numOrEmpty(t.OrigPlan), pd})
	}
	for i, t := range v.Rows {
		if t.IsUnit {
			add("", t)
			continue
		}
		add(i, t)
	}
	s.Rows = append(s.Rows, []any{"", "Tổng các đơn vị trực thuộc", "", v.Sheet.QuotaSum, nil, v.Sheet.PlanSum, nil})
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, nil, s); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "chi-tieu", v.Org.Code, strconv.Itoa(v.Year)), mimeXlsx, buf.Bytes())
	return nil
}

// numOrEmpty gives a number cell for a stored figure, nothing when unset.
func numOrEmpty(s string) any {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return nil
}
