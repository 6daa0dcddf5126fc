package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// The reorganisation page (issue 12, item 2), for administrators: the
// plan's template, an upload checked first (the dry run lists what moves
// per unit and every problem) and applied from a confirm form without a
// new upload (the checked file is kept like an import's, kind "reorg"),
// and the plans applied so far.

const reorgTitle = "Sắp xếp tổ chức"

// reorgKeepKind is the kind under which a checked plan file is kept.
const reorgKeepKind = importer.KindReorg

type reorgView struct {
	Result    *service.ReorgResult
	Checked   bool // the result is a dry run
	FileName  string
	Error     string
	Token     string    // the kept file's token, for the confirm form
	KeptUntil time.Time // when the kept file is dropped
	Plans     []service.AppliedReorgView
}

// KeptUntilText is when the kept file is dropped, in Vietnam's time.
func (v *reorgView) KeptUntilText() string { return vnTime(v.KeptUntil) }

// registerReorg adds the reorganisation page.
func (h *Handler) registerReorg(mux *http.ServeMux) {
	mux.Handle("GET /sap-xep", h.page(h.reorgForm))
	mux.Handle("POST /sap-xep", h.importPage(h.reorgUpload))
	mux.Handle("POST /sap-xep/ap-dung", h.page(h.reorgConfirm))
	mux.Handle("GET /sap-xep/mau.xlsx", h.page(h.reorgTemplate))
}

// newReorgView refuses a user who may not reorganise and loads the plans
// applied.
func (h *Handler) newReorgView(r *http.Request) (*reorgView, error) {
	plans, err := h.svc.ReorgPlans(r.Context(), 20)
	if err != nil {
		return nil, err
	}
	return &reorgView{Plans: plans}, nil
}

// reorgForm shows the page (GET /sap-xep).
func (h *Handler) reorgForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	v, err := h.newReorgView(r)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "reorg", reorgTitle, "reorg", v)
}

// reorgTemplate sends the plan's workbook (GET /sap-xep/mau.xlsx).
func (h *Handler) reorgTemplate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := h.svc.MayReorg(r.Context()); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := importer.ReorgTemplate(r.Context(), h.svc, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="mau-sap-xep-to-chuc.xlsx"`)
	_, err := w.Write(b.Bytes())
	return err
}

// reorgUpload checks or applies an uploaded plan (POST /sap-xep,
// multipart with file and action=check|apply).
func (h *Handler) reorgUpload(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	v, err := h.newReorgView(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return domain.Errorf(domain.ETooLarge, "Tệp quá lớn; tối đa %d MB", importer.MaxSize>>20)
		}
		return domain.Errorf(domain.EBadRequest, "Cần gửi tệp bằng biểu mẫu tải lên (multipart/form-data)")
	}
	defer r.MultipartForm.RemoveAll()
	v.Checked = r.FormValue("action") != "apply"
	file, hdr, err := r.FormFile("file")
	if err != nil {
		v.Error = "Cần chọn tệp phương án (.json hoặc .xlsx)"
		return h.render(w, r, http.StatusUnprocessableEntity, "reorg", reorgTitle, "reorg", v)
	}
	defer file.Close()
	v.FileName = hdr.Filename
	data, probs, err := importer.ReadAll(io.Reader(file))
	if err != nil {
		return err
	}
	if probs != nil {
		v.Error = probs[0].Message
		return h.render(w, r, http.StatusRequestEntityTooLarge, "reorg", reorgTitle, "reorg", v)
	}
	if err := h.runReorg(r, v, data); err != nil {
		return h.reorgError(w, r, v, err)
	}
	if v.Checked && v.Result.OK() {
		p, err := h.svc.KeepImport(r.Context(), reorgKeepKind, v.FileName, data)
		if err != nil {
			httpx.LogError(r, fmt.Errorf("web: keep the plan file: %w", err))
		} else {
			v.Token, v.KeptUntil = p.Token, p.CreatedAt.Add(service.PendingImportTTL)
		}
	}
	return h.renderReorg(w, r, v)
}

// runReorg judges (or applies) the plan file and puts the result in v.
func (h *Handler) runReorg(r *http.Request, v *reorgView, data []byte) error {
	res, err := importer.ApplyReorgFile(r.Context(), h.svc, v.FileName, data, service.ReorgOptions{DryRun: v.Checked})
	if err != nil {
		return err
	}
	v.Result = res
	if res.Applied {
		plans, err := h.svc.ReorgPlans(r.Context(), 20)
		if err != nil {
			return err
		}
		v.Plans = plans
	}
	return nil
}

// reorgError shows a file that is not a plan (bad JSON, unknown fields) on
// the page; any other error is the error page.
func (h *Handler) reorgError(w http.ResponseWriter, r *http.Request, v *reorgView, err error) error {
	if !isUserError(err) {
		return err
	}
	v.Error = domain.ErrorMessage(err)
	return h.render(w, r, statusOf(err), "reorg", reorgTitle, "reorg", v)
}

// renderReorg shows the page with a result, with its status (422 when the
// plan has problems, 403 outside the scope, 409 applied before).
func (h *Handler) renderReorg(w http.ResponseWriter, r *http.Request, v *reorgView) error {
	return h.render(w, r, v.Result.Status(), "reorg", reorgTitle, "reorg", v)
}

// reorgConfirm applies a plan kept by a check (POST /sap-xep/ap-dung with
// the token). The plan is judged again: the data may have changed since.
func (h *Handler) reorgConfirm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	v, err := h.newReorgView(r)
	if err != nil {
		return err
	}
	p, err := h.svc.PendingImport(r.Context(), r.FormValue("token"), reorgKeepKind)
	if gone, ok := errors.AsType[*service.GoneError](err); ok {
		v.Error = gone.Message
		return h.render(w, r, http.StatusGone, "reorg", reorgTitle, "reorg", v)
	}
	if err != nil {
		return err
	}
	v.FileName = p.FileName
	if err := h.runReorg(r, v, p.Data); err != nil {
		return h.reorgError(w, r, v, err)
	}
	if v.Result.Applied {
		if err := h.svc.DropImport(r.Context(), p.Token); err != nil {
			// applied; a file left behind is purged later, and applying it
			// again is refused
			httpx.LogError(r, fmt.Errorf("web: drop the applied plan file: %w", err))
		}
	}
	return h.renderReorg(w, r, v)
}

// OpName is an operation's Vietnamese name.
func (v *reorgView) OpName(op string) string { return domain.ReorgOpNames[op] }

// When writes an instant as "10:00 ngày 04/05/2024" in Vietnam's time.
func (v *reorgView) When(t time.Time) string { return vnTime(t) }
