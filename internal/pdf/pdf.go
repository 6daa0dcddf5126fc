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
	"slices"
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

// Table is a bordered table whose header repeats on every page; Total,
// when set, is a last row in bold.
type Table struct {
	Columns []Column
	Rows    [][]string
	Total   []string
}

// The smallest size a table's header may shrink to so that its words fit
// their columns, in points.
const minHeaderSize = 7.0

// table draws t from the current position, breaking pages as needed. The
// header's lines break between words only: its font shrinks (down to
// minHeaderSize) until every word fits its column, and a column whose
// word still does not fit is widened at the expense of the widest column.
func (d *Doc) table(t Table, size float64) {
	f := d.f
	const lh = 5.0 // line height, mm
	left, _, _, bottom := f.GetMargins()
	_, pageH := f.GetPageSize()
	cols := slices.Clone(t.Columns)
	hsize := d.fitHeader(cols, size)
	header := func() {
		d.font(true, hsize)
		d.row(cols, titles(cols), lh*hsize/size, true)
		d.font(false, size)
	}
	rows := t.Rows
	if t.Total != nil {
		rows = append(slices.Clip(rows), t.Total)
	}
	// the header and the first rows (three at most) start on the same page
	d.font(true, hsize)
	start := d.rowHeight(cols, titles(cols), lh*hsize/size)
	d.font(false, size)
	for _, r := range rows[:min(3, len(rows))] {
		start += d.rowHeight(cols, r, lh)
	}
	if f.GetY()+start > pageH-bottom {
		f.AddPage()
		f.SetX(left)
	}
	header()
	for i, r := range rows {
		total := t.Total != nil && i == len(rows)-1
		d.font(total, size)
		h := d.rowHeight(cols, r, lh)
		if f.GetY()+h > pageH-bottom {
			f.AddPage()
			f.SetX(left)
			header()
			d.font(total, size)
		}
		d.row(cols, r, lh, false)
	}
	d.font(false, size)
}

// fitHeader finds the size, at most size, at which every word of the
// columns' titles fits its column in bold, and widens the columns whose
// words do not fit even at minHeaderSize, taking the room from the widest
// column. It returns the size.
func (d *Doc) fitHeader(cols []Column, size float64) float64 {
	widest := func(s float64) []float64 {
		d.font(true, s)
		out := make([]float64, len(cols))
		for i, c := range cols {
			for _, w := range strings.Fields(c.Title) {
				out[i] = max(out[i], d.f.GetStringWidth(w)+cellPad+2*d.f.GetCellMargin())
			}
		}
		return out
	}
	s := size
	for ; s > minHeaderSize; s -= 0.5 {
		fits := true
		for i, w := range widest(s) {
			if w > cols[i].Width {
				fits = false
			}
		}
		if fits {
			return s
		}
	}
	s = minHeaderSize
	need := widest(s)
	for i, w := range need {
		if w <= cols[i].Width {
			continue
		}
		donor := -1
		for j := range cols {
			if j != i && (donor < 0 || cols[j].Width-need[j] > cols[donor].Width-need[donor]) {
				donor = j
			}
		}
		if donor < 0 {
			continue
		}
		give := min(w-cols[i].Width, max(0, cols[donor].Width-need[donor]))
		cols[i].Width += give
		cols[donor].Width -= give
	}
	return s
}

// cellPad is the room SplitText and CellFormat leave in a cell: 1 mm each side.
const cellPad = 2.0

func titles(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// lines wraps s to width w in the current font, between words, for a
// CellFormat of width w (which keeps its cell margin on both sides); a
// single word wider than that (a long code in a data cell) is split where
// it must be.
func (d *Doc) lines(s string, w float64) []string {
	var out []string
	room := w - 2*d.f.GetCellMargin()
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if d.f.GetStringWidth(try) <= room {
				line = try
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			line = word
			for d.f.GetStringWidth(line) > room {
				parts := d.f.SplitText(line, w)
				if len(parts) < 2 {
					break
				}
				out = append(out, parts[0])
				line = strings.TrimSpace(strings.TrimPrefix(line, parts[0]))
			}
		}
		out = append(out, line)
	}
	return out
}

// rowHeight is the height of a row whose cells wrap in their columns.
func (d *Doc) rowHeight(cols []Column, cells []string, lh float64) float64 {
	n := 1
	for i, c := range cols {
		if i < len(cells) {
			n = max(n, len(d.lines(cells[i], c.Width-cellPad)))
		}
	}
	return float64(n)*lh + 1
}

// row draws one row of bordered cells of equal height in the current font.
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
		lines := d.lines(s, c.Width-cellPad)
		align := c.Align
		if header {
			align = Center
		}
		ty := y + 0.5 + (h-1-float64(len(lines))*lh)/2
		for j, line := range lines {
			f.SetXY(x+1, ty+float64(j)*lh)
			f.CellFormat(c.Width-cellPad, lh, line, "", 0, align, false, 0, "")
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
