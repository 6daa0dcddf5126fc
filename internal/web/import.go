package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// Excel import (issue 6, item 1): a page to download a template and upload
// a file, checked first (dry run) or imported, with every problem listed
// by sheet, row and column and a preview of the first rows.

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
}

// KindName is the Vietnamese name of the view's kind.
func (v *importView) KindName() string { return importer.KindName(v.Kind) }

// registerImport adds the import page, its upload and the templates.
func (h *Handler) registerImport(mux *http.ServeMux) {
	mux.Handle("GET /nhap", h.page(h.importForm))
	mux.Handle("POST /nhap", h.importPage(h.importUpload))
	mux.Handle("GET /nhap/mau/{kind}", h.page(h.importTemplate))
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

func (h *Handler) newImportView(u *domain.User, kind string) *importView {
	v := &importView{Kinds: importer.Kinds, Kind: kind, CanWrite: map[string]bool{}}
	for _, k := range importer.Kinds {
		area := "people"
		if k.Code == importer.KindOrgs || k.Code == importer.KindTargets {
			area = "org"
		}
		v.CanWrite[k.Code] = u.CanWrite(area)
	}
	if importer.KindName(v.Kind) == "" {
		v.Kind = importer.KindCandidates
	}
	return v
}

// importForm shows the page (GET /nhap?kind=).
func (h *Handler) importForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.render(w, r, http.StatusOK, "import", "Nhập dữ liệu từ Excel", "import", h.newImportView(u, r.URL.Query().Get("kind")))
}

// importTemplate sends a template (GET /nhap/mau/{kind}.xlsx).
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	kind := strings.TrimSuffix(r.PathValue("kind"), ".xlsx")
	if importer.KindName(kind) == "" {
		return domain.Errorf(domain.ENotFound, "Không có tệp mẫu %q", kind)
	}
	var b bytes.Buffer
	if err := importer.Template(r.Context(), h.svc, kind, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="mau-nhap-`+kind+`.xlsx"`)
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
	v := h.newImportView(u, r.FormValue("kind"))
	v.ValidOnly = r.FormValue("valid_only") != ""
	v.Checked = r.FormValue("action") != "import"
	file, hdr, err := r.FormFile("file")
	if err != nil {
		v.Error = "Cần chọn tệp Excel (.xlsx) để nhập"
		return h.render(w, r, http.StatusUnprocessableEntity, "import", "Nhập dữ liệu từ Excel", "import", v)
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
	}
	status := http.StatusOK
	if !v.Result.OK() && (!v.ValidOnly || v.Checked) {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, "import", "Nhập dữ liệu từ Excel", "import", v)
}
