package domain

import (
	"time"

	"ketnap/internal/vn"
)

// Dates are time.Time values at UTC midnight. These helpers keep that
// convention in one place.

// DateLayout is the ISO layout used in the API, the CLI and the store.
const DateLayout = "2006-01-02"

// Day returns the date y-m-d at UTC midnight.
func Day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf truncates t to its calendar date (in t's own location) at UTC midnight.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Day(y, m, d)
}

// ParseISODate parses YYYY-MM-DD, returning an EInvalid error naming field.
func ParseISODate(field, s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, FieldError(field, "%s không hợp lệ: %q (cần dạng NNNN-TT-NN, ví dụ 2024-05-04)", field, vn.Echo(s))
	}
	return t, nil
}

// Vietnam is the UTC+7 zone in which "today" is decided.
var Vietnam = time.FixedZone("ICT", 7*3600)

// Today returns the current date in Vietnam for the clock now.
func Today(now func() time.Time) time.Time {
	return DateOf(now().In(Vietnam))
}
