package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/importer"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Excel import (issue 6, item 1): a page to download a template and upload
// a file, checked first (dry run) or imported, with every problem listed
// by sheet, row and column and a preview of the first rows. A checked file
// is kept on the server (table pending_imports, for service.PendingImportTTL) under a
// random token that the confirm form posts back, so that importing it does
// not mean choosing the file again.

// importTitle is the title of the import page.
const importTitle = "Nhập dữ liệu từ Excel"

// importLimit is the largest request body of an import: the file and the
// form's few fields.
const importLimit = importer.MaxSize + 1<<20

type importView struct {
	Kinds     []struct{ Code, Name string }
	Kind      string
	ValidOnly bool
	CanWrite  map[string]bool
	Result    *importer.Result
	Checked   bool // the result is a dry run
	FileName  string
	Error     string
	Token     string    // the kept file's token, for the confirm form
	KeptUntil time.Time // when the kept file is dropped
	Year      int       // the year of the targets export
}

// KeptUntilText is when the kept file is dropped, as "12:00 ngày 04/05/2024"
// in Vietnam's time.
func (v *importView) KeptUntilText() string { return vnTime(v.KeptUntil) }

// vnTime formats t as "10:00 ngày 04/05/2024" in Vietnam's time.
func vnTime(t time.Time) string { return vn.DateTime(t) }

// KindName is the Vietnamese name of the view's kind.
func (v *importView) KindName() string { return importer.KindName(v.Kind) }

// registerImport adds the import page, its upload and the templates.
func (h *Handler) registerImport(mux *http.ServeMux) {
	mux.Handle("GET /nhap", h.page(h.importForm))
	mux.Handle("POST /nhap", h.importPage(h.importUpload))
	mux.Handle("POST /nhap/ghi", h.page(h.importConfirm))
	mux.Handle("GET /nhap/mau/{kind}", h.page(h.importTemplate))
	mux.Handle("GET /nhap/xuat/{kind}", h.page(h.importExport))
}

// importExport sends the organizations or the targets of a year of the
// user's subtree in the import's format (GET /nhap/xuat/orgs.xlsx?org=,
// /nhap/xuat/targets.xlsx?year=&org=), to edit and import back.
func (h *Handler) importExport(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	kind := strings.TrimSuffix(r.PathValue("kind"), ".xlsx")
	q := r.URL.Query()
	var b bytes.Buffer
	name := importer.ExportFileName(kind, q.Get("org"))
	switch kind {
	case importer.KindOrgs:
		if err := importer.ExportOrgs(r.Context(), h.svc, q.Get("org"), &b); err != nil {
			return err
		}
	case importer.KindTargets:
		year := h.svc.DefaultAsOf(r.Context()).Year()
		if s := q.Get("year"); s != "" {
			y, err := strconv.Atoi(s)
			if err != nil {
				return domain.FieldError("year", "Năm %q không hợp lệ", s)
			}
			year = y
		}
		if err := importer.ExportTargets(r.Context(), h.svc, q.Get("org"), year, &b); err != nil {
			return err
		}
		name = importer.ExportFileName(kind, q.Get("org"), strconv.Itoa(year))
	default:
		return importer.NoExport(kind)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write(b.Bytes())
	return err
}

// importPage is uploadPage with room in the body for an import file (20 MB
// rather than a scan's 10 MB): the same security headers and sign-in check.
func (h *Handler) importPage(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		if h.opts.Secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		r.Body = http.MaxBytesReader(w, r.Body, importLimit)
		u := service.UserFrom(r.Context())
		if u == nil {
			toLogin(w, r)
			return
		}
		if err := fn(w, r, u); err != nil {
			h.fail(w, r, err)
		}
	})
}

func (h *Handler) newImportView(ctx context.Context, u *domain.User, kind string) *importView {
	v := &importView{Kind: kind, CanWrite: map[string]bool{}, Year: h.svc.DefaultAsOf(ctx).Year()}
	// only the kinds the role may import are offered, templates included
	for _, k := range importer.Kinds {
		if v.CanWrite[k.Code] = service.CanImport(u, k.Code); v.CanWrite[k.Code] {
			v.Kinds = append(v.Kinds, k)
		}
	}
	if !v.CanWrite[v.Kind] {
		v.Kind = importer.KindCandidates
		if !v.CanWrite[v.Kind] && len(v.Kinds) > 0 {
			v.Kind = v.Kinds[0].Code
		}
	}
	return v
}

// importForm shows the page (GET /nhap?kind=).
func (h *Handler) importForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.render(w, r, http.StatusOK, "import", importTitle, "import", h.newImportView(r.Context(), u, r.URL.Query().Get("kind")))
}

// importTemplate sends a template (GET /nhap/mau/{kind}.xlsx).
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	kind := strings.TrimSuffix(r.PathValue("kind"), ".xlsx")
	var b bytes.Buffer
	if err := importer.Template(r.Context(), h.svc, kind, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+importer.TemplateFileName(kind)+`"`)
	_, err := w.Write(b.Bytes())
	return err
}

// importUpload checks or imports an uploaded file (POST /nhap, multipart
// with kind, file, action=check|import and valid_only).
func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return domain.Errorf(domain.ETooLarge, "Tệp quá lớn; tối đa %d MB", importer.MaxSize>>20)
		}
		return domain.Errorf(domain.EBadRequest, "Cần gửi tệp bằng biểu mẫu tải lên (multipart/form-data)")
	}
	defer r.MultipartForm.RemoveAll()
	v := h.newImportView(r.Context(), u, r.FormValue("kind"))
	v.ValidOnly = r.FormValue("valid_only") != ""
	v.Checked = r.FormValue("action") != "import"
	file, hdr, err := r.FormFile("file")
	if err != nil {
		v.Error = "Cần chọn tệp Excel (.xlsx) để nhập"
		return h.render(w, r, http.StatusUnprocessableEntity, "import", importTitle, "import", v)
	}
	defer file.Close()
	v.FileName = hdr.Filename
	data, probs, err := importer.ReadAll(io.Reader(file))
	if err != nil {
		return err
	}
	if probs != nil {
		v.Result = &importer.Result{Kind: v.Kind, Errors: probs}
	} else {
		res, err := importer.Import(r.Context(), h.svc, v.Kind, data, importer.Options{DryRun: v.Checked, ValidOnly: v.ValidOnly})
		if err != nil {
			return err
		}
		v.Result = res
		if !written(v.Result, v.Checked, v.ValidOnly) && v.Result.Valid > 0 {
			h.keep(r, v, data)
		}
	}
	return h.renderImport(w, r, v)
}

// renderImport shows the page with a check's or an import's result.
func (h *Handler) renderImport(w http.ResponseWriter, r *http.Request, v *importView) error {
	status := http.StatusOK
	if !v.Result.OK() && (!v.ValidOnly || v.Checked) {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, "import", importTitle, "import", v)
}

// written reports whether an import ran to its end: it wrote the new rows
// (or had none), rather than being a check or refused for wrong rows.
func written(res *importer.Result, dryRun, validOnly bool) bool {
	return !dryRun && (res.OK() || validOnly)
}

// keep stores the file data that v's result describes for the user, so
// that the confirm form imports it without a new upload. A failure to keep
// it is logged and the page goes on without the confirm form: the check's
// result is still worth showing, and choosing the file again still works.
func (h *Handler) keep(r *http.Request, v *importView, data []byte) {
	p, err := h.svc.KeepImport(r.Context(), v.Kind, v.FileName, data)
	if err != nil {
		httpx.LogError(r, fmt.Errorf("web: keep the import file: %w", err))
		return
	}
	v.Token, v.KeptUntil = p.Token, p.CreatedAt.Add(service.PendingImportTTL)
}

// importConfirm imports a file kept by a check (POST /nhap/ghi with token,
// kind and valid_only). The import checks every row again: the data may
// have changed since. The file is dropped once imported; when wrong rows
// stop the import it stays, so that the user may still choose to import
// only the valid rows.
func (h *Handler) importConfirm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	kind := r.FormValue("kind")
	v := h.newImportView(r.Context(), u, kind)
	v.ValidOnly = r.FormValue("valid_only") != ""
	p, err := h.svc.PendingImport(r.Context(), r.FormValue("token"), kind)
	if gone, ok := errors.AsType[*service.GoneError](err); ok {
		v.Error = gone.Message
		return h.render(w, r, http.StatusGone, "import", importTitle, "import", v)
	}
	if err != nil {
		return err
	}
	v.FileName = p.FileName
	res, err := importer.Import(r.Context(), h.svc, p.Kind, p.Data, importer.Options{ValidOnly: v.ValidOnly})
	if err != nil {
		return err
	}
	v.Result = res
	if written(res, false, v.ValidOnly) {
		if err := h.svc.DropImport(r.Context(), p.Token); err != nil {
			// The rows are written; a file left behind is purged later and
			// importing it again changes nothing.
			httpx.LogError(r, fmt.Errorf("web: drop the imported file: %w", err))
		}
	} else if res.Valid > 0 {
		v.Token, v.KeptUntil = p.Token, p.CreatedAt.Add(service.PendingImportTTL)
	}
	return h.renderImport(w, r, v)
}
