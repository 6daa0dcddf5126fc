package httpx

import (
	"encoding/json"
	"net/http"

	"ketnap/internal/domain"
)

// WriteJSON writes v with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// ErrorBody is the JSON error shape of CONTRACT "HTTP".
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// WriteJSONError writes err as {"error": {"code", "message"}} with its status.
func WriteJSONError(w http.ResponseWriter, err error) {
	code := domain.ErrorCode(err)
	d := ErrorDetail{Code: code, Message: domain.ErrorMessage(err)}
	if e, ok := err.(*domain.Error); ok {
		d.Field = e.Field
	}
	WriteJSON(w, Status(code), ErrorBody{Error: d})
}
