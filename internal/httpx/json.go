package httpx

import (
	"encoding/json"
	"errors"
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
	// Fields lists every field at fault, in the form's order, whenever
	// Field is set (the first is also in Field and Message).
	Fields []domain.FieldMessage `json:"fields,omitempty"`
}

// WriteJSONError writes err as {"error": {"code", "message"}} with its status.
func WriteJSONError(w http.ResponseWriter, err error) {
	code := domain.ErrorCode(err)
	d := ErrorDetail{Code: code, Message: domain.ErrorMessage(err)}
	if e, ok := errors.AsType[*domain.Error](err); ok {
		d.Field = e.Field
		d.Fields = domain.FieldMessages(e)
	}
	WriteJSON(w, Status(code), ErrorBody{Error: d})
}
