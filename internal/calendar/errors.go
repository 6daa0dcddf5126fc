package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Every error returned by this package is an *Error that
// wraps one of them, so callers can test the category with errors.Is and
// show Error() (a Vietnamese sentence) to the user.
var (
	// ErrOutOfRange: a date, or a result, outside 1968-01-01..2100-12-31.
	ErrOutOfRange = errors.New("Ngày nằm ngoài phạm vi hỗ trợ (1968–2100)")
	// ErrInvalidLunarDate: a lunar date that does not exist (no such leap
	// month, day 30 of a 29-day month, month outside 1..12).
	ErrInvalidLunarDate = errors.New("Ngày âm lịch không hợp lệ")
	// ErrInvalidSchedule: a schedule of days off that cannot be used.
	ErrInvalidSchedule = errors.New("Lịch nghỉ không hợp lệ")
)

// Error is the error type of the package. Msg is a complete Vietnamese
// sentence for end users; Err is the sentinel it belongs to.
type Error struct {
	Err error
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the sentinel, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

func newError(kind error, format string, args ...any) *Error {
	return &Error{Err: kind, Msg: fmt.Sprintf(format, args...)}
}

// vnDate formats a date the Vietnamese way, 04/05/2024.
func vnDate(t time.Time) string { return t.Format("02/01/2006") }

func outOfRange(t time.Time) *Error {
	return newError(ErrOutOfRange, "Ngày %s nằm ngoài phạm vi hỗ trợ (01/01/%d–31/12/%d)",
		vnDate(t), MinYear, MaxYear)
}
