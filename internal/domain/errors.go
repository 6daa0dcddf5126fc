// Package domain holds ketnap's entities, value types and the application
// error type. It imports neither database/sql nor net/http.
package domain

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to one HTTP status at the edge
// (internal/api) and to exit status 1 in the CLI.
const (
	EInvalid      = "invalid"      // 422: a field's value is wrong
	EBadRequest   = "bad_request"  // 400: the request itself is malformed
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // 409: duplicate, or changed by someone else
	EUnauthorized = "unauthorized" // 401: no or bad credentials
	EForbidden    = "forbidden"    // 403: outside the user's subtree or role
	ETooLarge     = "too_large"    // 413
	EInternal     = "internal"     // 500: anything else; details are logged only
)

// Error is an error whose Message is safe to show to a user (in Vietnamese).
type Error struct {
	Code    string
	Message string
	Field   string // the input field at fault, when there is one
	// Fields, when a form had several fields at fault, holds every one of
	// them in the form's order; Field and Message are then the first's.
	Fields []FieldMessage
}

// FieldMessage is one field's problem of an error that names several.
type FieldMessage struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors collects the field errors of one form so that a user sees
// them all at once rather than one per attempt.
type FieldErrors struct {
	list []FieldMessage
	seen map[string]bool
}

// Add records err, a field error (*Error with a Field); the first error of
// a field is kept. It returns false for any other error, which the caller
// returns as it is.
func (f *FieldErrors) Add(err error) bool {
	e, ok := errors.AsType[*Error](err)
	if !ok || e.Field == "" || e.Code != EInvalid {
		return false
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if !f.seen[e.Field] {
		f.seen[e.Field] = true
		f.list = append(f.list, FieldMessage{Field: e.Field, Message: e.Message})
	}
	return true
}

// Has reports whether the field has an error.
func (f *FieldErrors) Has(field string) bool { return f.seen[field] }

// Err returns nil when no field is at fault, else one EInvalid error
// whose Field and Message are the first field's and Fields all of them.
func (f *FieldErrors) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Field: f.list[0].Field, Message: f.list[0].Message, Fields: f.list}
}

// FieldMessages returns every field's problem of err: its Fields, or the
// one field it names; nil for an error that names no field.
func FieldMessages(err error) []FieldMessage {
	e, ok := errors.AsType[*Error](err)
	if !ok {
		return nil
	}
	if len(e.Fields) > 0 {
		return e.Fields
	}
	if e.Field != "" {
		return []FieldMessage{{Field: e.Field, Message: e.Message}}
	}
	return nil
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted Vietnamese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EInvalid error naming the field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or EInternal.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err: the message of an
// application error, or a generic Vietnamese "internal error" text.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return "Đã xảy ra lỗi hệ thống. Vui lòng thử lại hoặc báo cho quản trị viên."
}

// Wrap annotates *errp with the operation when it is not nil, keeping the
// chain intact so that application errors still surface (pkgsite's derrors).
//
//	defer domain.Wrap(&err, "store.CreatePerson(%q)", p.FullName)
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
