package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

var streamRE = regexp.MustCompile(`(?s)<<([^>]*(?:>[^>][^>]*)*)>>\s*stream\r?\n`)

// Text extracts the text of a document this package wrote, one shown
// string a line: the literal strings of Tj/TJ in the inflated content
// streams, UTF-16BE under the embedded font's identity CMap, a no-break
// space read as a space. It is for tests and checks, not a general PDF
// reader.
func Text(doc []byte) (string, error) {
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		return "", errors.New("pdf: not a PDF")
	}
	var out strings.Builder
	for _, m := range streamRE.FindAllSubmatchIndex(doc, -1) {
		dict := string(doc[m[2]:m[3]])
		start := m[1]
		end := bytes.Index(doc[start:], []byte("endstream"))
		if end < 0 {
			return "", errors.New("pdf: stream without endstream")
		}
		data := doc[start : start+end]
		if strings.Contains(dict, "FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				continue // a font program or an image
			}
			if data, err = io.ReadAll(zr); err != nil {
				return "", err
			}
		}
		if len(data) == 256*256*2 || !(bytes.Contains(data, []byte("Tj")) || bytes.Contains(data, []byte("TJ"))) {
			continue
		}
		for _, s := range pdfLiterals(data) {
			u := make([]uint16, 0, len(s)/2)
			for i := 0; i+1 < len(s); i += 2 {
				u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
			}
			out.WriteString(strings.ReplaceAll(string(utf16.Decode(u)), "\u00a0", " "))
			out.WriteByte('\n')
		}
	}
	return out.String(), nil
}

// pdfLiterals returns the literal strings "(...)" of a content stream.
func pdfLiterals(b []byte) [][]byte {
	var out [][]byte
	esc := map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f'}
	for i := 0; i < len(b); i++ {
		if b[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		for i++; i < len(b) && depth > 0; i++ {
			c := b[i]
			switch {
			case c == '\\' && i+1 < len(b):
				i++
				e := b[i]
				if r, ok := esc[e]; ok {
					s = append(s, r)
				} else if e >= '0' && e <= '7' {
					v := 0
					for n := 0; n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; n++ {
						v = v*8 + int(b[i]-'0')
						i++
					}
					i--
					s = append(s, byte(v))
				} else {
					s = append(s, e)
				}
			case c == '(':
				depth++
				s = append(s, c)
			case c == ')':
				depth--
				if depth > 0 {
					s = append(s, c)
				}
			default:
				s = append(s, c)
			}
		}
		i--
		out = append(out, s)
	}
	return out
}
