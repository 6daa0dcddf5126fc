package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"ketnap/internal/domain"
)

// One response per request (issue 13, item 5). The session manager saves
// a changed session when the handler starts its answer; when saving failed
// (SQLITE_BUSY, in the issue) its error function wrote "Internal Server
// Error" as plain text, and the handler's JSON followed in the same body.
// OneBody, around the session manager, lets the first complete answer
// stand: SessionError writes the failure (JSON under /api/) and whatever
// the handler writes after it is dropped. A panic gets the same answer,
// when nothing was written yet.

// onceWriter drops what is written after the answer was closed.
type onceWriter struct {
	http.ResponseWriter
	started bool // a status was written
	closed  bool
}

func (o *onceWriter) WriteHeader(code int) {
	if o.closed || o.started {
		return
	}
	o.started = true
	o.ResponseWriter.WriteHeader(code)
}

func (o *onceWriter) Write(b []byte) (int, error) {
	if o.closed {
		return len(b), nil
	}
	o.started = true
	return o.ResponseWriter.Write(b)
}

func (o *onceWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

// OneBody lets a request have one answer: the first one, whole (see
// SessionError), and a 500 when the handler panics before answering.
func OneBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ow := &onceWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			slog.Error("request panicked", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
			if !ow.started {
				failWith(ow, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(ow, r)
	})
}

// SessionError is the session manager's error function: the session could
// not be loaded or saved. It answers 500 (JSON under /api/, a short page
// elsewhere) and closes the answer, so that what the handler goes on
// writing is dropped.
func SessionError(w http.ResponseWriter, r *http.Request, err error) {
	slog.Error("session", "method", r.Method, "path", r.URL.Path, "err", err)
	ow, _ := w.(*onceWriter)
	if ow != nil && ow.started {
		ow.closed = true // too late for another status: end the answer here
		return
	}
	failWith(w, r, err)
}

// failWith writes the internal error's answer and, when it can, closes it.
func failWith(w http.ResponseWriter, r *http.Request, err error) {
	internal := domain.Errorf(domain.EInternal, "Lỗi hệ thống, yêu cầu chưa được thực hiện: hãy thử lại sau ít phút")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		WriteJSONError(w, internal)
	} else {
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(domain.ErrorMessage(internal) + "\n"))
	}
	if ow, ok := w.(*onceWriter); ok {
		ow.closed = true
	}
}
