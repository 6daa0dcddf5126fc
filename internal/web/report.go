package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// registerReports adds the conference report's downloads and the Excel
// exports of the list and report pages.
func (h *Handler) registerReports(mux *http.ServeMux) {
	mux.Handle("GET /bao-cao/hoi-nghi.docx", h.page(h.personalData("report", h.conferenceFile("docx"))))
	mux.Handle("GET /bao-cao/hoi-nghi.pdf", h.page(h.personalData("report", h.conferenceFile("pdf"))))
	mux.Handle("GET /bao-cao/hoi-nghi.xlsx", h.page(h.personalData("report", h.conferenceFile("xlsx"))))
	h.registerExports(mux)
}

const (
	mimeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// reportQuery reads a report page's ?org=&year=&asof= (the date as
// dd/mm/yyyy or yyyy-mm-dd), each left at its zero value when absent: the
// service resolves the defaults (the user's home unit, the date the pages
// open on, its year), as it does for the API and the CLI.
func reportQuery(r *http.Request) (service.ReportQuery, error) {
	q := r.URL.Query()
	rq := service.ReportQuery{OrgCode: strings.TrimSpace(q.Get("org"))}
	if s := q.Get("asof"); s != "" {
		d, err := vn.ParseDate(s)
		if err != nil {
			return rq, domain.FieldError("asof", "Ngày tính đến: %s", err.Error())
		}
		rq.AsOf = d
	}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return rq, domain.FieldError("year", "Năm %q không hợp lệ", s)
		}
		rq.Year = y
	}
	return rq, nil
}

// conferenceFile sends the conference report of a unit (GET
// /bao-cao/hoi-nghi.docx|.pdf|.xlsx?org=&year=&asof=&so=&noi=), scoped
// to what the user may read.
func (h *Handler) conferenceFile(kind string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, u *domain.User) error {
		rq, err := reportQuery(r)
		if err != nil {
			return err
		}
		q := r.URL.Query()
		c, err := report.Build(r.Context(), h.svc, report.Options{ReportQuery: rq,
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
		sendFile(w, fileName(c.Org.Code, "bao-cao-hoi-nghi-"+strconv.Itoa(c.Year), kind), mime, buf.Bytes())
		return nil
	}
}
