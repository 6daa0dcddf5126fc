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
