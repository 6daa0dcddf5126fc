package api

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/report"
)

func (a *API) registerReports(auth func(string, handlerFunc)) {
	auth("GET /api/v1/reports/conference", a.conferenceReport)
	auth("GET /api/v1/reports/conference/text", a.conferenceText)
	auth("PUT /api/v1/reports/conference/text", a.putConferenceText)
	auth("DELETE /api/v1/reports/conference/text", a.deleteConferenceText)
}

// conferenceOptions reads the report's query and its header and
// signature lines (number, place, parent, issuer, sign_for, signer_title,
// signer; draft=1 ignores the text saved for the report).
func conferenceOptions(r *http.Request) (report.Options, error) {
	rq, err := reportQuery(r)
	if err != nil {
		return report.Options{}, err
	}
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return report.Options{ReportQuery: rq, Number: get("number"), Place: get("place"), Parent: get("parent"), Issuer: get("issuer"),
		SignFor: get("sign_for"), SignerTitle: get("signer_title"), Signer: get("signer"), Draft: q.Get("draft") == "1" || q.Get("draft") == "true"}, nil
}

// conferenceReport sends the conference report as a file (GET
// /api/v1/reports/conference?org=&year=&asof=&format=docx|pdf|xlsx&number=&place=&…),
// with the text saved for it.
func (a *API) conferenceReport(w http.ResponseWriter, r *http.Request) error {
	o, err := conferenceOptions(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "docx"
	}
	mime := map[string]string{"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if mime == "" {
		return domain.FieldError("format", "Định dạng phải là docx, pdf hoặc xlsx")
	}
	c, err := report.Build(r.Context(), a.svc, o)
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
	w.Header().Set("Content-Disposition", `attachment; filename="`+report.FileName(c, format)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// conferenceFieldJSON is an editable part of the conference report.
type conferenceFieldJSON struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Value  string `json:"value"`
	Draft  string `json:"draft"`
	Edited bool   `json:"edited"`
}

// conferenceTextJSON is the editable text of a conference report: what it
// uses, the draft from the data, and who saved it last.
type conferenceTextJSON struct {
	Org       orgRef                `json:"org"`
	Year      int                   `json:"year"`
	AsOf      string                `json:"asof"`
	Edited    bool                  `json:"edited"`
	UpdatedBy *string               `json:"updated_by"`
	UpdatedAt *time.Time            `json:"updated_at"`
	Fields    []conferenceFieldJSON `json:"fields"`
}

func newConferenceTextJSON(c *report.Conference) conferenceTextJSON {
	out := conferenceTextJSON{Org: orgRef{Code: c.Org.Code, Name: c.Org.Name}, Year: c.Year, AsOf: c.AsOf.Format(domain.DateLayout),
		Edited: c.Saved.Edited(), Fields: []conferenceFieldJSON{}}
	if c.Saved != nil {
		out.UpdatedBy, out.UpdatedAt = &c.Saved.UpdatedByName, &c.Saved.UpdatedAt
	}
	for _, f := range c.EditFields() {
		out.Fields = append(out.Fields, conferenceFieldJSON{Key: f.Key, Label: f.Label, Value: f.Value, Draft: f.Draft, Edited: f.Saved})
	}
	return out
}

// conferenceText returns the editable parts of the conference report
// (GET /api/v1/reports/conference/text?org=&year=&asof=).
func (a *API) conferenceText(w http.ResponseWriter, r *http.Request) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	c, err := report.Build(r.Context(), a.svc, report.Options{ReportQuery: rq})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, newConferenceTextJSON(c))
	return nil
}

// putConferenceText keeps the edited parts of the conference report (PUT
// /api/v1/reports/conference/text?org=&year=&asof=, a JSON object of
// field keys to text): the whole text is replaced; a field absent, null,
// empty or equal to its draft follows the draft.
func (a *API) putConferenceText(w http.ResponseWriter, r *http.Request) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	var in map[string]*string
	if err := decode(w, r, &in); err != nil {
		return err
	}
	form := map[string]string{}
	var t domain.ReportText
	known := map[string]bool{}
	for _, f := range t.Fields() {
		known[f.Key] = true
	}
	for k, v := range in {
		if !known[k] {
			return domain.Errorf(domain.EInvalid, "Trường không được hỗ trợ: %q", k)
		}
		if v != nil {
			form[k] = *v
		}
	}
	c, err := report.Build(r.Context(), a.svc, report.Options{ReportQuery: rq})
	if err != nil {
		return err
	}
	if _, err := a.svc.SaveConferenceText(r.Context(), c.Progress.Query(), c.TextFrom(form)); err != nil {
		return err
	}
	if c, err = report.Build(r.Context(), a.svc, report.Options{ReportQuery: c.Progress.Query()}); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, newConferenceTextJSON(c))
	return nil
}

// deleteConferenceText forgets the edited parts: the report goes back to
// its draft (DELETE /api/v1/reports/conference/text?org=&year=&asof=).
func (a *API) deleteConferenceText(w http.ResponseWriter, r *http.Request) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	if err := a.svc.ResetConferenceText(r.Context(), rq); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
