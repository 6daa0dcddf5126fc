package httpx

import "net/http"

// StatusWriter notes the status a handler answers with (200 when it
// writes a body without one): the metrics and the outbox keys read it.
type StatusWriter struct {
	http.ResponseWriter
	Code int
}

func (s *StatusWriter) WriteHeader(code int) {
	if s.Code == 0 {
		s.Code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *StatusWriter) Write(b []byte) (int, error) {
	if s.Code == 0 {
		s.Code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (s *StatusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
