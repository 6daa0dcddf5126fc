package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/xlsx"
)

// The audit page (issue 13): the hash-chained audit log for admins, filtered
// by user, entity and dates, 50 records a page, exported to Excel; an
// admin of the whole system also checks the chain from here.

func (h *Handler) registerAudit(mux *http.ServeMux) {
	mux.Handle("GET /nhat-ky", h.page(h.auditList))
	mux.Handle("GET /nhat-ky.xlsx", h.page(h.auditXLSX))
	mux.Handle("POST /nhat-ky/kiem-tra", h.page(h.auditVerify))
}

const auditPerPage = 50

type auditView struct {
	User, Entity, From, To string
	Entities               [][2]string
	Page                   *service.AuditPage
	Errors                 errs
	Verdict                *service.AuditVerdict
	CanVerify              bool
}

// auditQuery reads the filters of the page and the export.
func auditQuery(r *http.Request, v *auditView) service.AuditQuery {
	qv := r.URL.Query()
	v.User, v.Entity = strings.TrimSpace(qv.Get("user")), strings.TrimSpace(qv.Get("entity"))
	v.From, v.To = strings.TrimSpace(qv.Get("from")), strings.TrimSpace(qv.Get("to"))
	v.Errors = errs{}
	q := service.AuditQuery{Username: v.User, Entity: v.Entity}
	q.From = derefDate(v.Errors.date("from", "Từ ngày", v.From))
	q.To = derefDate(v.Errors.date("to", "Đến ngày", v.To))
	q.Page, _ = strconv.Atoi(qv.Get("page"))
	q.PerPage = auditPerPage
	return q
}

// auditList shows a page of the audit log (GET /nhat-ky?user=&entity=&from=&to=&page=).
func (h *Handler) auditList(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.renderAudit(w, r, u, nil)
}

func (h *Handler) renderAudit(w http.ResponseWriter, r *http.Request, u *domain.User, verdict *service.AuditVerdict) error {
	v := auditView{Entities: service.AuditEntities(), Verdict: verdict,
		CanVerify: u.Role == domain.RoleAdmin && u.OrgPath == ""}
	q := auditQuery(r, &v)
	status := http.StatusOK
	if len(v.Errors) == 0 {
		page, err := h.svc.Audit(r.Context(), q)
		switch {
		case err == nil:
			v.Page = page
		case domain.ErrorCode(err) == domain.EInvalid || fieldOf(err) == "user":
			v.Errors.add(err, "user", "from", "to")
			status = statusOf(err)
		default:
			return err
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, "audit", "Nhật ký hệ thống", "audit", v)
}

// auditXLSX exports the records the filters select, at most
// service.MaxAuditExport (GET /nhat-ky.xlsx?…); the export is itself
// recorded.
func (h *Handler) auditXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	var v auditView
	q := auditQuery(r, &v)
	for _, msg := range v.Errors {
		return domain.Errorf(domain.EInvalid, "%s", msg)
	}
	scope := []string{"Lọc: " + auditFilterText(v)}
	sheet := xlsx.Sheet{Name: "Nhật ký", Title: "NHẬT KÝ HỆ THỐNG", Subtitle: scope,
		Headers: []string{"Số", "Thời điểm", "Người thực hiện", "Việc", "Đối tượng", "Mã đối tượng", "Chi tiết", "Mã băm (SHA-256)"},
		Widths:  []float64{9, 18, 22, 20, 20, 12, 60, 30}}
	sw, err := newSheetStream(sheet)
	if err != nil {
		return err
	}
	defer sw.close()
	n := 0
	err = h.svc.EachAudit(r.Context(), q, func(e service.AuditEntry) error {
		n++
		who := e.Username
		if who == "" {
			who = "hệ thống (dòng lệnh)"
		}
		var id any
		if e.EntityID != 0 {
			id = e.EntityID
		}
		return sw.row(int(e.ID), e.At.In(domain.Vietnam).Format("02/01/2006 15:04:05"), who, service.AuditActionName(e.Action),
			service.AuditEntityName(e.Entity), id, e.Detail, e.Hash)
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sw.finish(&buf); err != nil {
		return err
	}
	sendFile(w, "nhat-ky-"+time.Now().In(domain.Vietnam).Format("20060102")+".xlsx", mimeXlsx, buf.Bytes())
	return nil
}

func auditFilterText(v auditView) string {
	var parts []string
	if v.User != "" {
		parts = append(parts, "người dùng "+v.User)
	}
	if v.Entity != "" {
		parts = append(parts, "đối tượng "+service.AuditEntityName(v.Entity))
	}
	if v.From != "" {
		parts = append(parts, "từ ngày "+isoToVN(v.From))
	}
	if v.To != "" {
		parts = append(parts, "đến ngày "+isoToVN(v.To))
	}
	if len(parts) == 0 {
		return "tất cả bản ghi trong phạm vi được xem"
	}
	return strings.Join(parts, ", ")
}

// auditVerify checks the hash chain and shows the verdict on the page
// (POST /nhat-ky/kiem-tra; admins of the whole system).
func (h *Handler) auditVerify(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	v, err := h.svc.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	return h.renderAudit(w, r, u, v)
}

// personalData records the download of a file with personal data (an
// export with names, a class roster, a certificate, the conference report
// with its overdue list) in the audit log before the file leaves: the
// handler's answer is held until the record is written; when the handler
// fails, nothing is recorded and the error page is shown.
func (h *Handler) personalData(entity string, fn pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, u *domain.User) error {
		hold := &heldResponse{header: http.Header{}}
		if err := fn(hold, r, u); err != nil {
			return err
		}
		if hold.status == 0 {
			hold.status = http.StatusOK
		}
		if hold.status < 300 {
			var id int64
			if s := r.PathValue("id"); s != "" {
				id, _ = strconv.ParseInt(s, 10, 64)
			}
			detail := map[string]any{"path": r.URL.Path, "query": r.URL.RawQuery, "bytes": hold.body.Len()}
			if err := h.svc.RecordDownload(r.Context(), entity, id, detail); err != nil {
				return err
			}
		}
		for k, vs := range hold.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(hold.status)
		_, _ = w.Write(hold.body.Bytes()) // the client may have gone
		return nil
	}
}

// heldResponse holds a handler's answer until it may leave.
type heldResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if h.status == 0 {
		h.status = status
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}
