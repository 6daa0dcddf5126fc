package report

import (
	"bytes"
	"strings"
	"testing"

	"ketnap/internal/pdf"
)

// headerDrawn reports whether the words of a table header appear in the
// PDF's text as consecutive shown strings, each made of whole words of it:
// a header broken inside a word ("Kế hoạc" / "h") does not.
func headerDrawn(lines []string, header string) bool {
	want := strings.Join(strings.Fields(header), " ")
	for i := range lines {
		got := ""
		for j := i; j < len(lines) && len(got) < len(want); j++ {
			got = strings.TrimSpace(got + " " + strings.Join(strings.Fields(lines[j]), " "))
			if got == want {
				return true
			}
			if !strings.HasPrefix(want, got+" ") {
				break
			}
		}
	}
	return false
}

// TestPDFHeadersWhole: every table header of the demo's conference report
// is drawn with its words whole, however narrow its column ("Kế hoạch",
// "Đã kết nạp", "% kế hoạch", "Dự dưới 80 %").
func TestPDFHeadersWhole(t *testing.T) {
	c := demoReport(t)
	d := c.Document()
	var buf bytes.Buffer
	if err := WritePDF(&buf, d); err != nil {
		t.Fatal(err)
	}
	text, err := pdf.Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(text, "\n")
	n := 0
	for _, b := range d.Blocks {
		if b.Table == nil {
			continue
		}
		for _, h := range b.Table.Headers {
			n++
			if !headerDrawn(lines, h) {
				t.Errorf("the header %q is not drawn whole (split inside a word?)", h)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d headers checked", n)
	}
	for _, l := range lines {
		if l == "h" || strings.HasSuffix(l, "hoạc") {
			t.Errorf("a word broken across lines: %q", l)
		}
	}
}

// The check itself fails on a header broken inside a word.
func TestHeaderDrawnCatchesSplits(t *testing.T) {
	if headerDrawn([]string{"STT", "Kế", "hoạc", "h", "Đơn vị"}, "Kế hoạch") {
		t.Error("a split header passes")
	}
	if !headerDrawn([]string{"STT", "Kế", "hoạch", "Đơn vị"}, "Kế hoạch") || !headerDrawn([]string{"Đã kết", "nạp"}, "Đã kết nạp") {
		t.Error("a whole header fails")
	}
}
