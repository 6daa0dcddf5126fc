package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean prepares free text typed by a user for storage: it normalises to
// Unicode NFC, trims leading and trailing white space and collapses every
// internal run of white space (including tabs, new lines and no-break spaces)
// to a single ASCII space.
//
// NFC matters for Vietnamese: a decomposed (NFD) "Nguyễn", as produced by some
// keyboards and by macOS file names, is 10 bytes while the composed form is 8,
// and the two are not equal as bytes, so equality checks, unique indexes and
// byte-ordered keys would all treat them as different names. After Clean both
// are byte-identical.
func Clean(s string) string {
	if clean(s) {
		return s // most text is already clean: no copy
	}
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// clean reports whether Clean would return s unchanged: NFC, no white
// space at either end, no white space but single ASCII spaces inside (the
// white space strings.Fields splits on), valid UTF-8.
func clean(s string) bool {
	space, ascii := true, true // space: the previous character was one (or none yet)
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch b {
			case '\t', '\n', '\v', '\f', '\r':
				return false
			case ' ':
				if space {
					return false
				}
				space = true
			default:
				space = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsSpace(r) {
			return false
		}
		ascii, space = false, false
		i += size
	}
	if space && s != "" {
		return false
	}
	return ascii || norm.NFC.IsNormalString(s)
}

// foldMap maps the letters that Unicode decomposition does not reduce to a
// plain Latin letter. Đ/đ (U+0110/U+0111) is a letter of its own, not "d" plus
// a combining mark, so NFD leaves it alone. Ð/ð (U+00D0/U+00F0, Icelandic eth)
// is included because legacy font conversions (VNI, TCVN3) often produce it in
// place of Đ.
func foldMap(r rune) rune {
	switch r {
	case 'đ', 'Đ', 'ð', 'Ð':
		return 'd'
	}
	return r
}

// Fold returns the search form of s: decomposed, stripped of every combining
// mark (tones and the hat, breve and horn of â ă ê ô ơ ư), with đ/Đ mapped to
// d, lower-cased and with white space trimmed and collapsed. It is meant to be
// stored next to the original (for example in a name_fold column) and applied
// to the search query, so that "nguyen van duc" finds "NGUYỄN VĂN ĐỨC".
//
// Fold is lossy by design and must never be shown to users or used for
// ordering.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(foldMap(r)))
	}
	return strings.Join(strings.Fields(norm.NFC.String(b.String())), " ")
}

// EchoMax is how many characters of a value a message repeats back.
const EchoMax = 60

// Echo returns s cut to its first EchoMax characters, with "…" when cut,
// for a message that repeats what the user typed: a pasted page of text
// must not come back as a page-wide message.
func Echo(s string) string {
	n := 0
	for i := range s {
		if n == EchoMax {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
