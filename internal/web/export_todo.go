package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// todoXLSX exports "Việc cần làm" with the page's filters (GET
// /viec-can-lam.xlsx?org=&kind=&overdue=1&days=&asof=), every row.
func (h *Handler) todoXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	tq := service.TodoQuery{OrgCode: strings.TrimSpace(q.Get("org")), Overdue: q.Get("overdue") != "", Days: todoDays, PerPage: 200}
	if k := q.Get("kind"); k != "" {
		tq.Kinds = []string{k}
	}
	if s := q.Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return domain.FieldError("days", "Số ngày %q không hợp lệ", s)
		}
		tq.Days = n
	}
	if s := q.Get("asof"); s != "" {
		d, err := vn.ParseDate(s)
		if err != nil {
			return domain.FieldError("asof", "Ngày tính đến: %s", err.Error())
		}
		tq.AsOf = d
	}
	scope := "Toàn bộ phạm vi được xem"
	if tq.OrgCode != "" {
		o, err := h.svc.Org(ctx, tq.OrgCode)
		if err != nil {
			return err
		}
		scope = o.Name
	}
	var items []service.TodoItem
	var page *service.TodoPage
	for tq.Page = 1; len(items) < exportLimit; tq.Page++ {
		res, err := h.svc.Todo(ctx, tq)
		if err != nil {
			return err
		}
		page = res
		items = append(items, res.Items...)
		if tq.Page >= res.Pages() {
			break
		}
	}
	s := xlsx.Sheet{Name: "Việc cần làm", Title: "VIỆC CẦN LÀM CỦA HỒ SƠ KẾT NẠP",
		Subtitle: []string{fmt.Sprintf("%s — quá hạn và đến hạn từ ngày %s đến ngày %s", scope, vn.Date(page.Today), vn.Date(page.Until))},
		Headers:  []string{"STT", "Họ và tên", "Chi bộ", "Việc", "Hạn", "Quá hạn", "Người thực hiện", "Giai đoạn", "Việc tiếp theo"},
		Widths:   []float64{6, 28, 40, 36, 12, 9, 24, 24, 40}}
	for i, it := range items {
		late := ""
		if it.Overdue {
			late = "Quá hạn"
		}
		label := it.Label
		if label == "" {
			label = domain.DeadlineNames[it.Kind]
		}
		s.Rows = append(s.Rows, []any{i + 1, it.FullName, it.OrgName, label, it.Due, late, it.OwnerName, domain.CaseStageName(it.Stage), it.NextAction})
	}
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, nil, s); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "viec-can-lam", orDefault(tq.OrgCode, "tat-ca")), mimeXlsx, buf.Bytes())
	return nil
}
