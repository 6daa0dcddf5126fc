package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/rules"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// classesXLSX exports the list of classes (GET
// /lop-hoc.xlsx?programme=&status=&year=&q=).
func (h *Handler) classesXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	cq := service.ClassQuery{Programme: q.Get("programme"), Status: q.Get("status"), Query: vn.Clean(q.Get("q")), PerPage: 200}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return domain.FieldError("year", "Năm %q không hợp lệ", s)
		}
		cq.Year = y
	}
	var classes []domain.ClassRow
	for cq.Page = 1; len(classes) < exportLimit; cq.Page++ {
		res, err := h.svc.Classes(ctx, cq)
		if err != nil {
			return err
		}
		classes = append(classes, res.Classes...)
		if cq.Page >= res.Pages() {
			break
		}
	}
	var ids []int64
	for _, c := range classes {
		ids = append(ids, c.OrgID)
	}
	orgs, err := h.svc.OrgsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	sub := "Tất cả chương trình"
	if cq.Programme != "" {
		sub = domain.ProgrammeName(cq.Programme)
	}
	if cq.Status != "" {
		sub += ", trạng thái " + domain.ClassStatusName(cq.Status)
	}
	if cq.Year != 0 {
		sub += ", khai giảng năm " + strconv.Itoa(cq.Year)
	}
	if cq.Query != "" {
		sub += ", tìm “" + cq.Query + "”"
	}
	s := xlsx.Sheet{Name: "Lớp bồi dưỡng", Title: "DANH SÁCH LỚP BỒI DƯỠNG", Subtitle: []string{sub},
		Headers: []string{"STT", "Mã lớp", "Tên lớp", "Chương trình", "Ngày khai giảng", "Ngày kết thúc", "Học viên", "Trạng thái", "Đơn vị tổ chức"},
		Widths:  []float64{6, 16, 40, 40, 14, 14, 10, 16, 40}}
	for i, c := range classes {
		unit := ""
		if o := orgs[c.OrgID]; o != nil {
			unit = o.Name
		}
		s.Rows = append(s.Rows, []any{i + 1, c.Code, c.Name, domain.ProgrammeName(c.Programme), c.StartDate, c.EndDate, c.Learners,
			domain.ClassStatusName(c.Status), unit})
	}
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, nil, s); err != nil {
		return err
	}
	name := "tat-ca"
	if cq.Year != 0 {
		name = strconv.Itoa(cq.Year)
	}
	sendFile(w, fileName("xlsx", "lop-boi-duong", name), mimeXlsx, buf.Bytes())
	return nil
}

// classNotSentXLSX exports the sources not sent to any class for more
// than N months (GET /lop-hoc/chua-cu-di-hoc.xlsx?org=&asof=&months=).
func (h *Handler) classNotSentXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := h.reportParams(r)
	if err != nil {
		return err
	}
	pq := service.PoolQuery{ReportQuery: rq.ReportQuery, Months: rq.Months, PerPage: 200}
	var rows []domain.PoolRow
	var res *service.SourcesNotSentPage
	for pq.Page = 1; len(rows) < exportLimit; pq.Page++ {
		res, err = h.svc.SourcesNotSent(r.Context(), pq)
		if err != nil {
			return err
		}
		rows = append(rows, res.People...)
		if pq.Page >= res.Pages() {
			break
		}
	}
	s := xlsx.Sheet{Name: "Chưa cử đi học", Title: "QUẦN CHÚNG ƯU TÚ CHƯA ĐƯỢC CỬ ĐI HỌC LỚP NHẬN THỨC VỀ ĐẢNG QUÁ " + strconv.Itoa(res.Months) + " THÁNG",
		Subtitle: []string{res.Org.Name, "Vào danh sách quần chúng ưu tú từ ngày " + vn.Date(res.Cutoff) +
			" trở về trước và chưa học lớp nào tính đến ngày " + vn.Date(res.AsOf)},
		Headers: []string{"STT", "Họ và tên", "Ngày sinh", "Giai đoạn", "Đơn vị", "Vào danh sách"},
		Widths:  []float64{6, 28, 12, 22, 44, 14}}
	for i, p := range rows {
		var since any
		if !p.Since.IsZero() {
			since = p.Since
		}
		s.Rows = append(s.Rows, []any{i + 1, p.FullName, p.BirthDate, domain.StageName(p.Stage), p.OrgName, since})
	}
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, nil, s); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "chua-cu-di-hoc", res.Org.Code), mimeXlsx, buf.Bytes())
	return nil
}

// classHoldersXLSX exports the holders of a valid awareness certificate,
// or those lapsing within lapse_days days
// (GET /lop-hoc/giay-chung-nhan.xlsx?org=&asof=&lapse_days=).
func (h *Handler) classHoldersXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := h.reportParams(r)
	if err != nil {
		return err
	}
	pq := service.PoolQuery{ReportQuery: rq.ReportQuery, LapseDays: rq.LapseDays, PerPage: 200}
	var rows []domain.CertRow
	var res *service.HoldersPage
	for pq.Page = 1; len(rows) < exportLimit; pq.Page++ {
		res, err = h.svc.AwarenessHolders(r.Context(), pq)
		if err != nil {
			return err
		}
		rows = append(rows, res.People...)
		if pq.Page >= res.Pages() {
			break
		}
	}
	title := "QUẦN CHÚNG CÓ GIẤY CHỨNG NHẬN NHẬN THỨC VỀ ĐẢNG CÒN HIỆU LỰC, CHƯA ĐƯỢC KẾT NẠP"
	lead := "Tính đến ngày " + vn.Date(res.AsOf)
	if rq.LapseDays > 0 {
		title = "GIẤY CHỨNG NHẬN NHẬN THỨC VỀ ĐẢNG SẮP HẾT HẠN"
		lead = "Hết hạn trong " + strconv.Itoa(rq.LapseDays) + " ngày, đến ngày " + vn.Date(res.Until)
	}
	s := xlsx.Sheet{Name: "Giấy chứng nhận", Title: title, Subtitle: []string{res.Org.Name, lead},
		Headers: []string{"STT", "Họ và tên", "Ngày sinh", "Giai đoạn", "Đơn vị", "Số giấy chứng nhận", "Ngày cấp", "Hết hạn"},
		Widths:  []float64{6, 28, 12, 22, 44, 18, 12, 12}}
	for i, p := range rows {
		var num string
		var issued, until any
		if c := p.Cert; c != nil {
			num, issued = c.Number, c.Issued
			if c.ValidUntil != nil {
				until = *c.ValidUntil
			}
		}
		s.Rows = append(s.Rows, []any{i + 1, p.FullName, p.BirthDate, domain.StageName(p.Stage), p.OrgName, num, issued, until})
	}
	var buf bytes.Buffer
	if err := report.WriteWorkbook(&buf, nil, s); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "giay-chung-nhan", res.Org.Code), mimeXlsx, buf.Bytes())
	return nil
}

// boardXLSX exports one of the case boards, every row in name order,
// with the board's own columns (GET /ho-so/quyet-dinh.xlsx,
// /ho-so/le-ket-nap.xlsx, /ho-so/du-bi.xlsx, /ho-so/cong-nhan.xlsx, each
// with ?org=).
func (h *Handler) boardXLSX(name string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, u *domain.User) error {
		ctx := r.Context()
		b := boards[name]
		orgCode := strings.TrimSpace(r.URL.Query().Get("org"))
		scope := "Toàn bộ phạm vi được xem"
		if orgCode != "" {
			o, err := h.svc.Org(ctx, orgCode)
			if err != nil {
				return err
			}
			scope = o.Name
		}
		cases, today, err := h.allCases(ctx, service.CaseQuery{OrgCode: orgCode, Stages: b.stages, Open: true, PerPage: 200})
		if err != nil {
			return err
		}
		headers, widths := boardColumns(name, b.due)
		s := xlsx.Sheet{Name: "Danh sách", Title: strings.ToUpper(b.title), Subtitle: []string{scope + ", tính đến ngày " + vn.Date(today)},
			Headers: headers, Widths: widths}
		for i, c := range cases {
			row, err := h.boardRow(ctx, name, i+1, c, today)
			if err != nil {
				return err
			}
			s.Rows = append(s.Rows, row)
		}
		var buf bytes.Buffer
		if err := report.WriteWorkbook(&buf, nil, s); err != nil {
			return err
		}
		sendFile(w, fileName("xlsx", strings.TrimPrefix(b.path, "/ho-so/"), orDefault(orgCode, "tat-ca")), mimeXlsx, buf.Bytes())
		return nil
	}
}

// allCases reads the cases of the query page after page, at most
// exportLimit of them (a page more at worst), with the day the service
// took as today.
func (h *Handler) allCases(ctx context.Context, cq service.CaseQuery) ([]domain.CaseRow, time.Time, error) {
	var cases []domain.CaseRow
	var today time.Time
	for cq.Page = 1; len(cases) < exportLimit; cq.Page++ {
		res, err := h.svc.Cases(ctx, cq)
		if err != nil {
			return nil, today, err
		}
		today = res.Today
		cases = append(cases, res.Cases...)
		if cq.Page >= res.Pages() {
			break
		}
	}
	return cases, today, nil
}

// boardColumns are the headers and the widths of the columns of a board's
// export: the person and the stage, the board's own columns (the decision
// for the ceremonies, the probation and the new-member certificate for
// the probation board), then the next step (due is its deadline's header).
func boardColumns(name, due string) ([]string, []float64) {
	headers := []string{"STT", "Họ và tên", "Ngày sinh", "Chi bộ", "Giai đoạn"}
	widths := []float64{6, 28, 12, 40, 26}
	switch name {
	case "ceremonies":
		headers = append(headers, "Số quyết định", "Ngày quyết định", "Ngày nhận quyết định")
		widths = append(widths, 18, 14, 14)
	case "probation":
		headers = append(headers, "Lễ kết nạp", "Hết dự bị", "Giấy chứng nhận lớp đảng viên mới", "Ngày cấp")
		widths = append(widths, 14, 14, 22, 12)
	}
	headers = append(headers, due, "Quá hạn", "Việc tiếp theo", "Người thực hiện", "Tạm dừng")
	widths = append(widths, 14, 9, 40, 22, 10)
	return headers, widths
}

// boardRow is the row n of a board's export for case c, in the columns of
// boardColumns.
func (h *Handler) boardRow(ctx context.Context, name string, n int, c domain.CaseRow, today time.Time) ([]any, error) {
	row := []any{n, c.FullName, c.BirthDate, c.OrgName, domain.CaseStageName(c.Stage)}
	switch name {
	case "ceremonies":
		row = append(row, c.DecisionNo, dateOrNil(c.DecisionDate), dateOrNil(c.DecisionReceived))
	case "probation":
		cells, err := h.probationCells(ctx, c)
		if err != nil {
			return nil, err
		}
		row = append(row, cells...)
	}
	late, paused := "", ""
	if c.NextDue != nil && c.NextDue.Before(today) {
		late = "Quá hạn"
	}
	if c.PausedOn != nil {
		paused = "Tạm dừng"
	}
	return append(row, dateOrNil(c.NextDue), late, c.NextAction, domain.OwnerNames[c.NextOwner], paused), nil
}

// probationCells are the probation board's own cells of case c: the
// ceremony, the end of the probation under the rules in force on the
// ceremony's day, and the number and date of the person's new-member
// certificate (the last one listed), or a note that there is none.
func (h *Handler) probationCells(ctx context.Context, c domain.CaseRow) ([]any, error) {
	var end *time.Time
	if c.CeremonyDate != nil {
		set := rules.InForce(*c.CeremonyDate)
		e := rules.ProbationEnd(&set, *c.CeremonyDate)
		end = &e
	}
	certs, err := h.svc.PersonCertificates(ctx, c.PersonID)
	if err != nil {
		return nil, err
	}
	var num string
	var issued any
	for _, k := range certs {
		if k.Programme == domain.ProgNewMember {
			num, issued = k.Number, k.Issued
		}
	}
	if num == "" && issued == nil {
		num = "Chưa có giấy chứng nhận"
	}
	return []any{dateOrNil(c.CeremonyDate), dateOrNil(end), num, issued}, nil
}

// dateOrNil gives a date cell, nothing when unset.
func dateOrNil(d *time.Time) any {
	if d == nil {
		return nil
	}
	return *d
}
