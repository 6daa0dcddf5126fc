package web

import (
	"log/slog"
	"mime"
	"net/http"

	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// outboxKeyField is the field the page script adds to a form it kept
// offline when it sends it (static/app.js).
const outboxKeyField = "outbox_key"

// postOnce runs a form's handler. A form kept offline carries a key: when
// the same form was saved before — sent again because its answer was lost
// on a weak connection — the user is sent on to the page the first save
// sent them to, and nothing is saved twice; otherwise the page a save
// sends the user on to (its redirect) is remembered under the key. Only
// urlencoded forms carry a key (never a file upload).
func (h *Handler) postOnce(w http.ResponseWriter, r *http.Request, run func(http.ResponseWriter) error) error {
	key := ""
	// a body of unknown or excessive length is left whole to the handler,
	// which reports it
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" && r.ContentLength > 0 && r.ContentLength <= 1<<20 {
		if err := r.ParseForm(); err == nil {
			key = r.PostForm.Get(outboxKeyField)
		}
	}
	if !service.ValidOutboxKey(key) {
		return run(w)
	}
	loc, err := h.svc.OutboxSent(r.Context(), key)
	if err != nil {
		return err
	}
	if loc != "" {
		h.flash(r, "Biểu mẫu này đã được gửi và lưu trước đó; không lưu lại lần nữa.")
		http.Redirect(w, r, loc, http.StatusSeeOther)
		return nil
	}
	kw := &httpx.StatusWriter{ResponseWriter: w}
	if err := run(kw); err != nil {
		return err
	}
	if kw.Code == http.StatusSeeOther || kw.Code == http.StatusFound {
		if err := h.svc.KeepOutboxSent(r.Context(), key, kw.Header().Get("Location")); err != nil {
			slog.Warn("web: keeping an outbox key", "err", err) // saved; only a resend would not be recognised
		}
	}
	return nil
}
