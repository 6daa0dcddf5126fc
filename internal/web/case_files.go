package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The scans of a case: upload (multipart, PDF, JPEG or PNG by content, at
// most 10 MB) and download.

// uploadLimit is the largest request body of an upload: the scan and the
// form's few fields.
const uploadLimit = service.MaxFileSize + 1<<20

// uploadPage is h.page for a multipart upload: the same security headers
// and sign-in check, with room in the body for a scan (h.secure caps the
// body of every other POST at 1 MB).
func (h *Handler) uploadPage(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		if h.opts.Secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		r.Body = http.MaxBytesReader(w, r.Body, uploadLimit)
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

// caseUpload attaches a scan to the case (POST /ho-so/{id}/tep, multipart
// with file, kind and version).
func (h *Handler) caseUpload(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return domain.Errorf(domain.ETooLarge, "Tệp quá lớn; tối đa 10 MB")
		}
		return domain.Errorf(domain.EBadRequest, "Cần gửi tệp bằng biểu mẫu tải lên (multipart/form-data)")
	}
	defer r.MultipartForm.RemoveAll()
	return h.caseRun(w, r, u, "tep", "upload", []string{"file", "kind"}, func(ctx context.Context, id, ver int64, f *postForm) error {
		file, hdr, err := r.FormFile("file")
		if err != nil {
			f.e["file"] = "Cần chọn tệp bản quét (PDF, JPEG hoặc PNG)"
			return nil
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, service.MaxFileSize+1))
		if err != nil {
			return err
		}
		_, err = h.svc.AttachFile(ctx, id, service.FileInput{Kind: f.s("kind"), Name: hdr.Filename, Data: data, Version: ver})
		return err
	})
}

// caseDownload sends a scan as an attachment (GET /ho-so/{id}/tep/{fid});
// the service records the reading.
func (h *Handler) caseDownload(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil || fid <= 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy tệp %q", r.PathValue("fid"))
	}
	f, err := h.svc.CaseFile(r.Context(), id, fid)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	hd.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	hd.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.Data)
	return nil
}
