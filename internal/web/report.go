package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/vn"
)

// registerReports adds the conference report's downloads and the Excel
// exports of the list and report pages.
func (h *Handler) registerReports(mux *http.ServeMux) {
	mux.Handle("GET /bao-cao/hoi-nghi.docx", h.page(h.conferenceFile("docx")))
	mux.Handle("GET /bao-cao/hoi-nghi.pdf", h.page(h.conferenceFile("pdf")))
	mux.Handle("GET /bao-cao/hoi-nghi.xlsx", h.page(h.conferenceFile("xlsx")))
	h.registerExports(mux)
}

const (
	mimeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// progressQuery reads ?org=&year=&asof= as the dashboard does: the
// user's home unit, the date pages open on and its year by default.
func (h *Handler) progressQuery(r *http.Request) (code string, year int, asof time.Time, err error) {
	q := r.URL.Query()
	code = strings.TrimSpace(q.Get("org"))
	asof = h.svc.DefaultAsOf(r.Context())
	if s := q.Get("asof"); s != "" {
		if asof, err = vn.ParseDate(s); err != nil {
			return "", 0, asof, domain.FieldError("asof", "Ngày tính đến: %s", err.Error())
		}
	}
	year = asof.Year()
	if s := q.Get("year"); s != "" {
		if year, err = strconv.Atoi(s); err != nil {
			return "", 0, asof, domain.FieldError("year", "Năm %q không hợp lệ", s)
		}
	}
	return code, year, asof, nil
}

// conferenceFile sends the conference report of a unit (GET
// /bao-cao/hoi-nghi.docx|.pdf|.xlsx?org=&year=&asof=&so=&noi=), scoped
// to what the user may read.
func (h *Handler) conferenceFile(kind string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, u *domain.User) error {
		code, year, asof, err := h.progressQuery(r)
		if err != nil {
			return err
		}
		q := r.URL.Query()
		c, err := report.Build(r.Context(), h.svc, report.Options{OrgCode: code, Year: year, AsOf: asof,
			Number: strings.TrimSpace(q.Get("so")), Place: strings.TrimSpace(q.Get("noi"))})
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		mime := mimeDocx
		switch kind {
		case "docx":
			err = report.WriteDocx(&buf, c.Document())
		case "pdf":
			mime = "application/pdf"
			err = report.WritePDF(&buf, c.Document())
		default:
			mime = mimeXlsx
			err = report.WriteXLSX(&buf, c)
		}
		if err != nil {
			return err
		}
		sendFile(w, fileName(c.Org.Code, "bao-cao-hoi-nghi-"+strconv.Itoa(year), kind), mime, buf.Bytes())
		return nil
	}
}
