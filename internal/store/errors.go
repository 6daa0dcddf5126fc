package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"ketnap/internal/domain"
)

// ErrDuplicate is a unique-constraint violation, whatever the engine.
// Callers that know which value clashed turn it into a domain conflict
// with a precise Vietnamese message.
type ErrDuplicate struct {
	Constraint string // the engine's text naming the constraint or column
}

func (e *ErrDuplicate) Error() string {
	return "Dữ liệu bị trùng với một bản ghi đã có (" + e.Constraint + ")"
}

// Is lets errors.Is(err, &ErrDuplicate{}) match any duplicate.
func (e *ErrDuplicate) Is(target error) bool {
	_, ok := target.(*ErrDuplicate)
	return ok
}

// On names the column or constraint fragment, e.g. "cccd".
func (e *ErrDuplicate) On(fragment string) bool { return strings.Contains(e.Constraint, fragment) }

// mapErr turns driver errors into engine-neutral ones: unique violations
// into *ErrDuplicate, foreign-key violations into a domain conflict, no
// rows stays sql.ErrNoRows.
func mapErr(err error) error {
	if err == nil || errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &ErrDuplicate{Constraint: se.Error()}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return domain.Errorf(domain.EConflict, "Bản ghi đang được dữ liệu khác tham chiếu hoặc tham chiếu tới bản ghi không tồn tại")
		}
		return err
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code {
		case "23505":
			return &ErrDuplicate{Constraint: pe.ConstraintName + " " + pe.Detail}
		case "23503":
			return domain.Errorf(domain.EConflict, "Bản ghi đang được dữ liệu khác tham chiếu hoặc tham chiếu tới bản ghi không tồn tại")
		}
	}
	return err
}

// notFound maps sql.ErrNoRows to a domain not-found error with msg.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENotFound, format, args...)
	}
	return mapErr(err)
}

// wrap names the store operation that failed in errors that are not the
// user's: a log line then says what broke ("store.GetCase(12): driver:
// bad connection"), not only the request's path. Application errors
// (*domain.Error: not found, conflicts) carry a message meant for the user
// and stay as they are; the chain is kept, so errors.Is(err, sql.ErrNoRows)
// and errors.As(err, &ErrDuplicate{}) still see through it.
func wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	if _, ok := errors.AsType[*domain.Error](*errp); ok {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}
