package vn

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseDate (issue 13, item 8): any text either is refused with a
// Vietnamese message or is a real day at midnight UTC that reads back the
// same once written the Vietnamese way (dd/mm/yyyy) or the ISO way.
// Run with go test -run='^$' -fuzz=FuzzParseDate ./internal/vn
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"04/05/2024", "4/5/2024", "2024-05-04", "2024-5-4", " 29/02/2024 ", "29/02/2023", "31/04/2024",
		"00/01/2024", "01/13/2024", "1/1/0000", "01/01/9999", "", "năm 1990", "1990", "12/12/12", "2024/05/04", "٠٤/٠٥/٢٠٢٤"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if msg := err.Error(); msg == "" || !strings.ContainsAny(msg, "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ") {
				t.Fatalf("ParseDate(%q): %q is not a Vietnamese message", s, msg)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 || d.Year() < 1 || d.Year() > 9999 {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
		for _, again := range []string{Date(d), d.Format("2006-01-02")} {
			if back, err := ParseDate(again); err != nil || !back.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, written %q reads %v, %v", s, d, again, back, err)
			}
		}
	})
}
