package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/report"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// registerReports adds the conference report's page and downloads and the
// Excel exports of the list and report pages.
func (h *Handler) registerReports(mux *http.ServeMux) {
	mux.Handle("GET /bao-cao/hoi-nghi", h.page(h.conferencePage))
	mux.Handle("POST /bao-cao/hoi-nghi", h.page(h.conferenceSave))
	mux.Handle("POST /bao-cao/hoi-nghi/ban-nhap", h.page(h.conferenceReset))
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
	return reportQueryOf(r.URL.Query())
}

func reportQueryOf(q url.Values) (service.ReportQuery, error) {
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
// to what the user may read, with the text the office saved for it on
// the report's page.
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
		sendFile(w, report.FileName(c, kind), mime, buf.Bytes())
		return nil
	}
}

// conferenceView is the conference report's page: the figures it is
// built on, and the parts the office may edit before downloading it.
type conferenceView struct {
	Org      *domain.Org
	Year     int
	AsOf     time.Time
	Crumbs   []*domain.Org
	P        *service.Progress
	Head     []report.EditField // the header's lines
	Sign     []report.EditField // the signature and the recipients
	Texts    []report.EditField // sections II and III
	Saved    *domain.ReportText
	CanEdit  bool
	Errors   errs
	Notice   string // "saved", "reset"
	Unsaved  bool   // the form shows what was typed, refused
	Query    service.ReportQuery
	Draft    bool // the report uses the draft throughout
	Sections []string
}

// conferencePage shows the conference report's editable parts, drafted
// from the data or as the office saved them (GET
// /bao-cao/hoi-nghi?org=&year=&asof=).
func (h *Handler) conferencePage(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	c, err := report.Build(r.Context(), h.svc, report.Options{ReportQuery: rq})
	if err != nil {
		return err
	}
	v, err := h.conferenceView(r, u, c)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("xong") {
	case "luu":
		v.Notice = "saved"
	case "nhap":
		v.Notice = "reset"
	}
	return h.renderConference(w, r, http.StatusOK, v)
}

func (h *Handler) conferenceView(r *http.Request, u *domain.User, c *report.Conference) (*conferenceView, error) {
	crumbs, err := h.svc.Ancestors(r.Context(), c.Org)
	if err != nil {
		return nil, err
	}
	v := &conferenceView{Org: c.Org, Year: c.Year, AsOf: c.AsOf, Crumbs: crumbs, P: c.Progress, Saved: c.Saved,
		CanEdit: service.CanEditReport(u), Errors: errs{}, Query: c.Progress.Query(), Draft: !c.Saved.Edited()}
	for _, f := range c.EditFields() {
		switch f.Key {
		case "parent", "issuer", "number", "place":
			v.Head = append(v.Head, f)
		case "weaknesses", "tasks":
			v.Texts = append(v.Texts, f)
		default:
			v.Sign = append(v.Sign, f)
		}
	}
	// the parts of section I, which the data writes
	for _, b := range c.Document().Blocks {
		if strings.HasPrefix(b.Heading, "II.") {
			break
		}
		if b.Sub {
			v.Sections = append(v.Sections, b.Heading)
		}
	}
	return v, nil
}

func (h *Handler) renderConference(w http.ResponseWriter, r *http.Request, status int, v *conferenceView) error {
	return h.render(w, r, status, "conference", "Báo cáo hội nghị: "+v.Org.Name, "dashboard", v)
}

// conferenceSave keeps what the office edited of the report (POST
// /bao-cao/hoi-nghi): a field left empty or as drafted follows the draft.
// A refused field comes back with what was typed and its message.
func (h *Handler) conferenceSave(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	rq, err := reportQueryOf(r.PostForm)
	if err != nil {
		return err
	}
	c, err := report.Build(r.Context(), h.svc, report.Options{ReportQuery: rq})
	if err != nil {
		return err
	}
	form := map[string]string{}
	var t domain.ReportText
	for _, f := range t.Fields() {
		if vals, ok := r.PostForm[f.Key]; ok && len(vals) > 0 {
			form[f.Key] = vals[0]
		}
	}
	text := c.TextFrom(form)
	if _, err := h.svc.SaveConferenceText(r.Context(), c.Progress.Query(), text); err != nil {
		if !isUserError(err) || domain.ErrorCode(err) == domain.EForbidden {
			return err
		}
		v, verr := h.conferenceView(r, u, c)
		if verr != nil {
			return verr
		}
		keys := []string{}
		for _, f := range t.Fields() {
			keys = append(keys, f.Key)
		}
		v.Errors.add(err, keys...)
		v.Unsaved = true
		for _, list := range [][]report.EditField{v.Head, v.Sign, v.Texts} {
			for i := range list {
				if typed, ok := form[list[i].Key]; ok {
					list[i].Value = typed
				}
			}
		}
		return h.renderConference(w, r, statusOf(err), v)
	}
	http.Redirect(w, r, conferenceURL(c.Progress.Query(), "luu"), http.StatusSeeOther)
	return nil
}

// conferenceReset forgets what the office edited: the report goes back to
// its draft from the data (POST /bao-cao/hoi-nghi/ban-nhap).
func (h *Handler) conferenceReset(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	rq, err := reportQueryOf(r.PostForm)
	if err != nil {
		return err
	}
	p, err := h.svc.Progress(r.Context(), rq)
	if err != nil {
		return err
	}
	if err := h.svc.ResetConferenceText(r.Context(), p.Query()); err != nil {
		return err
	}
	http.Redirect(w, r, conferenceURL(p.Query(), "nhap"), http.StatusSeeOther)
	return nil
}

// conferenceURL is the report's page, with what was just done.
func conferenceURL(q service.ReportQuery, done string) string {
	v := url.Values{"org": {q.OrgCode}, "year": {strconv.Itoa(q.Year)}, "asof": {iso(q.AsOf)}}
	if done != "" {
		v.Set("xong", done)
	}
	return "/bao-cao/hoi-nghi?" + v.Encode()
}

// confFieldView is one field of the report's form as its template draws it.
type confFieldView struct {
	F    report.EditField
	E    errs
	Edit bool
	Rows int
}

func init() {
	funcs["confField"] = func(f report.EditField, e errs, edit bool) confFieldView {
		rows := 4
		if f.Key == "weaknesses" || f.Key == "tasks" {
			rows = 18
		}
		return confFieldView{F: f, E: e, Edit: edit, Rows: rows}
	}
}
