package domain

import (
	"testing"
	"time"
)

// FuzzParseISODate (issue 13, item 8): the dates of the API, the CLI and
// the dossier check (YYYY-MM-DD). Any text either is refused with an
// EInvalid error naming the field, or is a day at midnight UTC written
// back exactly as it was given. Run with
// go test -run='^$' -fuzz=FuzzParseISODate ./internal/domain
func FuzzParseISODate(f *testing.F) {
	for _, s := range []string{"2024-05-04", "2024-02-29", "2023-02-29", "2024-5-4", "0000-01-01", "9999-12-31", "2024-05-04T00:00:00Z",
		" 2024-05-04", "", "04/05/2024", "+2024-05-04", "2024-13-01", "2024-00-10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseISODate("birth_date", s)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Code != EInvalid || e.Field != "birth_date" || e.Message == "" {
				t.Fatalf("ParseISODate(%q): %#v", s, err)
			}
			return
		}
		if d.Location() != time.UTC || !d.Equal(DateOf(d)) {
			t.Fatalf("ParseISODate(%q) = %v: not a day at midnight UTC", s, d)
		}
		if back := d.Format(DateLayout); back != s {
			t.Fatalf("ParseISODate(%q) = %v, written back %q", s, d, back)
		}
	})
}
