package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/importer"
)

// registerImport adds the Excel import and its templates:
//
//	GET  /api/v1/import/{kind}/template   the .xlsx template
//	POST /api/v1/import/{kind}?dry_run=1&valid_only=1   body: the .xlsx file
//	GET  /api/v1/import/{orgs|targets}/export?org=&year=   the data in the import's format
//
// The answer is {"imported": n, "errors": [{"sheet","row","column","message"}], …},
// with status 422 when nothing was written because of errors.
func (a *API) registerImport(auth func(string, handlerFunc)) {
	auth("GET /api/v1/import/{kind}/template", a.importTemplate)
	auth("POST /api/v1/import/{kind}", a.importFile)
	auth("GET /api/v1/import/{kind}/export", a.importExport)
}

// importExport sends the organizations (?org=) or the targets of a year
// (?year=&org=) in the import's format: GET /api/v1/import/{kind}/export.
func (a *API) importExport(w http.ResponseWriter, r *http.Request) error {
	kind, q := r.PathValue("kind"), r.URL.Query()
	var b bytes.Buffer
	name := importer.ExportFileName(kind, q.Get("org"))
	switch kind {
	case importer.KindOrgs:
		if err := importer.ExportOrgs(r.Context(), a.svc, q.Get("org"), &b); err != nil {
			return err
		}
	case importer.KindTargets:
		year, err := strconv.Atoi(q.Get("year"))
		if err != nil {
			return domain.FieldError("year", "Cần năm (year), ví dụ year=2024")
		}
		if err := importer.ExportTargets(r.Context(), a.svc, q.Get("org"), year, &b); err != nil {
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

func (a *API) importTemplate(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	var b bytes.Buffer
	if err := importer.Template(r.Context(), a.svc, kind, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+importer.TemplateFileName(kind)+`"`)
	_, err := w.Write(b.Bytes())
	return err
}

func flag(r *http.Request, name string) bool {
	v := strings.ToLower(r.URL.Query().Get(name))
	return v == "1" || v == "true" || v == "yes"
}

func (a *API) importFile(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	if importer.KindName(kind) == "" {
		return domain.Errorf(domain.ENotFound, "Không nhập được loại %q (orgs, members, candidates, targets)", kind)
	}
	data, probs, err := importer.ReadAll(r.Body)
	if err != nil {
		return domain.Errorf(domain.EBadRequest, "Không đọc được tệp gửi lên")
	}
	res := &importer.Result{Kind: kind, Errors: probs}
	if probs == nil {
		if res, err = importer.Import(r.Context(), a.svc, kind, data, importer.Options{DryRun: flag(r, "dry_run"), ValidOnly: flag(r, "valid_only")}); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if !res.OK() && (res.Imported == 0 || res.DryRun) {
		status = http.StatusUnprocessableEntity
	}
	httpx.WriteJSON(w, status, res)
	return nil
}
