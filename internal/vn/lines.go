package vn

import "strings"

// CleanLines is Clean for a text of paragraphs, one a line: every line
// cleaned, line breaks of any system ("\r\n", "\r") made "\n", at most one
// empty line kept between paragraphs and none at the ends.
func CleanLines(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var lines []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = Clean(l)
		if l == "" {
			blank = len(lines) > 0
			continue
		}
		if blank {
			lines = append(lines, "")
			blank = false
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}
