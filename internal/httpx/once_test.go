package httpx

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A handler that panics before answering gets one 500 (JSON under /api/)
// instead of a connection cut short; one that panics after answering keeps
// its answer; what follows a session error is dropped.
func TestOneBody(t *testing.T) {
	for _, c := range []struct {
		name, path string
		h          http.HandlerFunc
		status     int
		body       string
	}{
		{"panic before answering", "/api/v1/x", func(w http.ResponseWriter, r *http.Request) { panic("boom") },
			500, `{"error":{"code":"internal","message":"Lỗi hệ thống, yêu cầu chưa được thực hiện: hãy thử lại sau ít phút"}}` + "\n"},
		{"panic on a page", "/nguoi", func(w http.ResponseWriter, r *http.Request) { panic("boom") },
			500, "Lỗi hệ thống, yêu cầu chưa được thực hiện: hãy thử lại sau ít phút\n"},
		{"panic after answering", "/api/v1/x", func(w http.ResponseWriter, r *http.Request) {
			WriteJSON(w, 200, map[string]int{"n": 1})
			panic("boom")
		}, 200, `{"n":1}` + "\n"},
		{"written after a session error", "/api/v1/x", func(w http.ResponseWriter, r *http.Request) {
			SessionError(w, r, errors.New("database is locked"))
			WriteJSON(w, 200, map[string]int{"n": 1})
		}, 500, `{"error":{"code":"internal","message":"Lỗi hệ thống, yêu cầu chưa được thực hiện: hãy thử lại sau ít phút"}}` + "\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			OneBody(c.h).ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
			if rec.Code != c.status || rec.Body.String() != c.body {
				t.Errorf("%d %q; want %d %q", rec.Code, rec.Body.String(), c.status, c.body)
			}
		})
	}
	// http.ErrAbortHandler still aborts
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Errorf("recovered %v; want http.ErrAbortHandler to go on", p)
		}
	}()
	OneBody(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	t.Error("not reached")
}
