package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/report"
)

func (a *API) registerReports(auth func(string, handlerFunc)) {
	auth("GET /api/v1/reports/conference", a.conferenceReport)
}

// conferenceReport sends the conference report as a file (GET
// /api/v1/reports/conference?org=&year=&asof=&format=docx|pdf|xlsx&number=&place=).
func (a *API) conferenceReport(w http.ResponseWriter, r *http.Request) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "docx"
	}
	mime := map[string]string{"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if mime == "" {
		return domain.FieldError("format", "Định dạng phải là docx, pdf hoặc xlsx")
	}
	c, err := report.Build(r.Context(), a.svc, report.Options{ReportQuery: rq,
		Number: strings.TrimSpace(q.Get("number")), Place: strings.TrimSpace(q.Get("place"))})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case "docx":
		err = report.WriteDocx(&buf, c.Document())
	case "pdf":
		err = report.WritePDF(&buf, c.Document())
	default:
		err = report.WriteXLSX(&buf, c)
	}
	if err != nil {
		return err
	}
	// the report lists the overdue candidates by name: personal data
	if err := a.svc.RecordDownload(r.Context(), "report", 0, map[string]any{"path": r.URL.Path, "query": r.URL.RawQuery, "bytes": buf.Len()}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bao-cao-hoi-nghi-%d-%s.%s"`, c.Year, strings.NewReplacer(`"`, "", "/", "-").Replace(c.Org.Code), format))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
