package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The status noted is the first one sent, and 200 for a body without one.
func TestStatusWriter(t *testing.T) {
	w := &StatusWriter{ResponseWriter: httptest.NewRecorder()}
	w.Write([]byte("x"))
	if w.Code != http.StatusOK {
		t.Errorf("a body alone: %d, want 200", w.Code)
	}
	w = &StatusWriter{ResponseWriter: httptest.NewRecorder()}
	w.WriteHeader(http.StatusSeeOther)
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte("x"))
	if w.Code != http.StatusSeeOther {
		t.Errorf("a redirect: %d, want 303", w.Code)
	}
	if http.NewResponseController(w).Flush() != nil {
		t.Error("Unwrap does not reach the writer underneath")
	}
}
