package vn

import (
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// slowClean is Clean without its fast path.
func slowClean(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

// Clean returns text that is already clean as it is (no copy), and
// anything else exactly as before it had that shortcut.
func TestCleanShortcut(t *testing.T) {
	for _, s := range []string{"", " ", "a", "Nguyễn Văn An", "Nguye\u0302\u0303n", " a", "a ", "a  b", "a\tb", "a\u00a0b",
		"a\u2003b", "a\u0085b", "\u00a0", "Đặng\u3000Thị", "\xff", "a\xc3", "Hoà", "Hòa", "ABC-12/QĐ", "x\u200by"} {
		if got, want := Clean(s), slowClean(s); got != want {
			t.Errorf("Clean(%q) = %q; want %q", s, got, want)
		}
	}
	s := strings.Clone("Nguyễn Thị Minh Khai")
	if c := Clean(s); unsafe.StringData(c) != unsafe.StringData(s) {
		t.Errorf("Clean copied a clean name (%q): an import of 200,000 rows copies every name", c)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", " a  b ", "a\u00a0b", "Nguye\u0302\u0303n", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), slowClean(s); got != want {
			t.Errorf("Clean(%q) = %q; want %q", s, got, want)
		}
	})
}
