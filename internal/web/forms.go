package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// errs holds a form's error messages by field; "" is the whole form's.
type errs map[string]string

// add records err at its field when the form shows that field, else at the top.
func (e errs) add(err error, fields ...string) {
	f := fieldOf(err)
	if !slices.Contains(fields, f) {
		f = ""
	}
	if _, dup := e[f]; !dup {
		e[f] = domain.ErrorMessage(err)
	}
}

// addAll records every field's problem of err (domain.FieldErrors), each
// at its field when the form shows it, else at the top; an error naming no
// field goes to the top. A field keeps the first message it got.
func (e errs) addAll(err error, fields ...string) {
	ms := domain.FieldMessages(err)
	if len(ms) == 0 {
		e.add(err, fields...)
		return
	}
	for _, m := range ms {
		f := m.Field
		if !slices.Contains(fields, f) {
			f = ""
		}
		if _, dup := e[f]; !dup {
			e[f] = m.Message
		}
	}
}

// date parses an optional date field typed by the user (the browser's
// YYYY-MM-DD or dd/mm/yyyy); an empty value is nil.
func (e errs) date(field, label, s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	d, err := vn.ParseDate(s)
	if err != nil {
		e[field] = label + ": " + err.Error()
		return nil
	}
	return &d
}

// int parses an optional whole number; an empty value is nil.
func (e errs) int(field, label, s string) *int {
	s = strings.TrimSpace(strings.ReplaceAll(s, ".", ""))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		e[field] = label + ": " + strconv.Quote(s) + " không phải là số nguyên"
		return nil
	}
	return &n
}

func derefDate(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
