// Package pdf writes ketnap's printable documents (certificates, class
// rosters) with an embedded Liberation Serif 2 font, metric-compatible
// with Times New Roman and covering every Vietnamese letter
// (go-stack.md, "PDF" and "Font"). It keeps github.com/go-pdf/fpdf, pinned
// at v0.9.0 and archived upstream, behind this small API so that it can be
// replaced without touching its callers.
package pdf

import (
	"embed"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// The fonts: Liberation Serif 2.1.5 from Debian's fonts-liberation2, SIL
// Open Font License 1.1 (fonts/LICENSE).
//
//go:embed fonts/LiberationSerif-Regular.ttf fonts/LiberationSerif-Bold.ttf
var fonts embed.FS

const family = "LiberationSerif"

// Page sizes.
const (
	A4 = "A4"
	A5 = "A5"
)

// Align values for table columns.
const (
	Left   = "L"
	Center = "C"
	Right  = "R"
)

// Doc is a document being written.
type Doc struct {
	f *fpdf.Fpdf
}

// New starts a document of the size ("A4" or "A5"), landscape or not.
func New(size string, landscape bool, title string) (*Doc, error) {
	if size != A4 && size != A5 {
		return nil, fmt.Errorf("pdf: page size %q", size)
	}
	orient := "P"
	if landscape {
		orient = "L"
	}
	f := fpdf.New(orient, "mm", size, "")
	for _, x := range []struct{ style, file string }{{"", "fonts/LiberationSerif-Regular.ttf"}, {"B", "fonts/LiberationSerif-Bold.ttf"}} {
		b, err := fonts.ReadFile(x.file)
		if err != nil {
			return nil, err
		}
		f.AddUTF8FontFromBytes(family, x.style, b)
	}
	f.SetTitle(title, true)
	f.SetCreator("ketnap", true)
	f.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	f.SetModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	f.SetFont(family, "", 12)
	return &Doc{f: f}, f.Error()
}

// Write finishes the document into w.
func (d *Doc) Write(w io.Writer) error {
	if err := d.f.Error(); err != nil {
		return err
	}
	return d.f.Output(w)
}

// font sets the font: bold or not, size in points.
func (d *Doc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.f.SetFont(family, style, size)
}

// text writes one line of text across width w (0: to the right margin) aligned.
func (d *Doc) text(w, h float64, s, align string) {
	d.f.CellFormat(w, h, s, "", 1, align, false, 0, "")
}

// para writes wrapped text across width w.
func (d *Doc) para(w, h float64, s, align string) {
	d.f.MultiCell(w, h, s, "", align, false)
}

// Column is a column of a table.
type Column struct {
	Title string
	Width float64 // mm
	Align string
}

// Table is a bordered table whose header repeats on every page.
type Table struct {
	Columns []Column
	Rows    [][]string
}

// table draws t from the current position, breaking pages as needed.
func (d *Doc) table(t Table, size float64) {
	f := d.f
	const lh = 5.0 // line height, mm
	left, _, _, bottom := f.GetMargins()
	_, pageH := f.GetPageSize()
	header := func() {
		d.font(true, size)
		d.row(t.Columns, titles(t.Columns), lh, true)
		d.font(false, size)
	}
	header()
	for _, r := range t.Rows {
		h := d.rowHeight(t.Columns, r, lh)
		if f.GetY()+h > pageH-bottom {
			f.AddPage()
			f.SetX(left)
			header()
		}
		d.row(t.Columns, r, lh, false)
	}
}

func titles(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// rowHeight is the height of a row whose cells wrap in their columns.
func (d *Doc) rowHeight(cols []Column, cells []string, lh float64) float64 {
	n := 1
	for i, c := range cols {
		if i < len(cells) {
			n = max(n, len(d.f.SplitText(cells[i], c.Width-2)))
		}
	}
	return float64(n)*lh + 1
}

// row draws one row of bordered cells of equal height.
func (d *Doc) row(cols []Column, cells []string, lh float64, header bool) {
	f := d.f
	h := d.rowHeight(cols, cells, lh)
	x, y := f.GetXY()
	for i, c := range cols {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		f.Rect(x, y, c.Width, h, "D")
		lines := f.SplitText(s, c.Width-2)
		align := c.Align
		if header {
			align = Center
		}
		ty := y + 0.5 + (h-1-float64(len(lines))*lh)/2
		for j, line := range lines {
			f.SetXY(x+1, ty+float64(j)*lh)
			f.CellFormat(c.Width-2, lh, line, "", 0, align, false, 0, "")
		}
		x += c.Width
	}
	f.SetXY(x-sum(cols), y+h)
}

func sum(cols []Column) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.Width
	}
	return w
}

// upper is strings.ToUpper for headings ("Đảng bộ" → "ĐẢNG BỘ").
func upper(s string) string { return strings.ToUpper(s) }
