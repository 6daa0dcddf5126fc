package pdf

import (
	"fmt"
	"io"
)

// Report is a report in the official party-document layout: the issuing
// committee and the number on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the
// place-date line on the right, the title, the sections, the recipients
// and the signature (A4 portrait, 14 pt body).
type Report struct {
	Parent, Issuer, Number, DateLine string
	Title, Subtitle, Lead            string
	Sections                         []Section
	Recipients                       []string
	SignFor, SignNote, Signer        string
}

// Section is a heading, paragraphs, an optional table, charts and
// paragraphs after them.
type Section struct {
	Heading string
	Paras   []string
	Table   *Table
	Charts  []Chart
	After   []string
}

// TextWidth is the width of the A4 page between the report's margins, in
// mm (3 cm left, 2 cm right).
const TextWidth = 160.0

// WriteReport writes the report; pages are numbered "Trang n/N".
func WriteReport(w io.Writer, r Report) error {
	d, err := New(A4, false, r.Title+" "+r.Subtitle)
	if err != nil {
		return err
	}
	f := d.f
	const left, top, right = 30.0, 20.0, 20.0
	f.SetMargins(left, top, right)
	f.SetAutoPageBreak(true, 20)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-14)
		d.font(false, 10)
		d.text(0, 5, fmt.Sprintf("Trang %d/{nb}", f.PageNo()), Center)
	})
	f.AddPage()
	lw, rw := 70.0, TextWidth-70.0
	d.font(false, 13)
	if r.Parent != "" {
		d.para(lw, 6, r.Parent, Center)
		f.SetX(left)
	}
	d.font(true, 13)
	d.para(lw, 6, r.Issuer, Center)
	f.SetX(left)
	d.font(false, 13)
	d.text(lw, 5, "*", Center)
	f.SetX(left)
	d.text(lw, 6, r.Number, Center)
	endY := f.GetY()
	f.SetXY(left+lw, top)
	d.font(true, 14)
	d.text(rw, 6, "ĐẢNG CỘNG SẢN VIỆT NAM", Right)
	x := left + lw + rw - f.GetStringWidth("ĐẢNG CỘNG SẢN VIỆT NAM")
	f.Line(x, top+5.6, left+lw+rw, top+5.6)
	f.SetXY(left+lw, top+13)
	d.font(false, 13)
	f.SetFont(family, "", 13)
	d.text(rw, 6, r.DateLine, Right)
	f.SetXY(left, max(endY, f.GetY())+8)
	d.font(true, 16)
	d.text(TextWidth, 7, r.Title, Center)
	d.font(true, 14)
	f.SetX(left)
	d.para(TextWidth, 6.5, r.Subtitle, Center)
	if r.Lead != "" {
		f.SetX(left)
		d.font(false, 13)
		d.para(TextWidth, 6, r.Lead, Center)
	}
	f.SetX(left)
	d.text(TextWidth, 6, "-----", Center)
	f.Ln(2)
	para := func(s string) {
		f.SetX(left)
		d.font(false, 14)
		d.para(TextWidth, 6.5, "        "+s, Left)
	}
	for _, s := range r.Sections {
		if s.Heading != "" {
			f.Ln(1)
			f.SetX(left)
			d.font(true, 14)
			d.para(TextWidth, 6.5, "        "+s.Heading, Left)
		}
		for _, p := range s.Paras {
			para(p)
		}
		if s.Table != nil {
			f.Ln(1)
			f.SetX(left)
			d.table(*s.Table, 10)
			f.Ln(2)
		}
		for _, c := range s.Charts {
			d.chart(c)
		}
		for _, p := range s.After {
			para(p)
		}
	}
	f.Ln(8)
	y := f.GetY()
	_, ph := f.GetPageSize()
	if y > ph-70 {
		f.AddPage()
		y = f.GetY()
	}
	half := TextWidth / 2
	for i, l := range r.Recipients {
		f.SetXY(left, y+float64(i)*5)
		d.font(i == 0, 11)
		d.text(half, 5, l, Left)
	}
	f.SetXY(left+half, y)
	d.font(true, 13)
	d.para(half, 6, r.SignFor, Center)
	if r.SignNote != "" {
		f.SetX(left + half)
		d.font(false, 12)
		d.para(half, 6, r.SignNote, Center)
	}
	if r.Signer != "" {
		f.SetXY(left+half, f.GetY()+22)
		d.font(true, 13)
		d.para(half, 6, r.Signer, Center)
	}
	return d.Write(w)
}

// Chart is a horizontal bar chart: one bar a label, top to bottom, the
// printed value right of the bar, the ticks under the plot, an optional
// reference line (red dashes) and the caption and note under it.
type Chart struct {
	Caption, Note string
	Labels        []string
	Values        []float64
	Texts         []string // the printed values
	Max           float64  // the value at the right end of the plot
	Ticks         []Tick
	Mark          float64 // the reference line's value; 0: none
	Reached       bool    // bars at or over Mark in another colour
}

// Tick is a gridline of the value axis and its label.
type Tick struct {
	Value float64
	Text  string
}

// chart draws c across the text width from the current position, on a
// new page when it does not fit.
func (d *Doc) chart(c Chart) {
	f := d.f
	if len(c.Labels) == 0 || c.Max <= 0 {
		return
	}
	const size, lh, gap, bar = 9.0, 4.0, 1.2, 3.8 // label font (pt), line height, gap around a label, bar thickness (mm)
	left, _, _, bottom := f.GetMargins()
	_, pageH := f.GetPageSize()
	d.font(false, size)
	labelW := 0.0
	for _, l := range c.Labels {
		labelW = max(labelW, f.GetStringWidth(l))
	}
	labelW = min(labelW+3, 64) // SplitText and CellFormat keep 1 mm margins
	valueW := 4.0
	for _, t := range c.Texts {
		valueW = max(valueW, f.GetStringWidth(t)+3)
	}
	plotX := left + labelW + 2
	plotW := TextWidth - labelW - 2 - valueW
	lines := make([][]string, len(c.Labels))
	rows := make([]float64, len(c.Labels))
	plotH := 0.0
	for i, l := range c.Labels {
		lines[i] = f.SplitText(l, labelW)
		rows[i] = max(float64(len(lines[i]))*lh, lh) + 2*gap
		plotH += rows[i]
	}
	d.font(true, 12)
	need := plotH + lh + 6 + float64(len(f.SplitText(c.Caption, TextWidth)))*5.5
	if c.Note != "" {
		d.font(false, 11)
		need += float64(len(f.SplitText(c.Note, TextWidth))) * 5
	}
	y := f.GetY() + 2
	if y+need > pageH-bottom {
		f.AddPage()
		y = f.GetY()
	}
	xOf := func(v float64) float64 { return plotX + min(max(v, 0), c.Max)/c.Max*plotW }
	// gridlines and ticks
	f.SetLineWidth(0.1)
	f.SetDrawColor(200, 200, 200)
	d.font(false, size)
	for _, t := range c.Ticks {
		x := xOf(t.Value)
		f.Line(x, y, x, y+plotH)
		f.SetXY(x-15, y+plotH+0.8)
		d.text(30, lh, t.Text, Center)
	}
	// bars and labels, the axes, the reference line over the bars, then
	// the values on a white ground so that the line does not cross them
	by := y
	for i, v := range c.Values {
		f.SetFillColor(47, 85, 151)
		if c.Reached && v >= c.Mark {
			f.SetFillColor(84, 130, 53)
		}
		if w := xOf(v) - plotX; w > 0 {
			f.Rect(plotX, by+(rows[i]-bar)/2, w, bar, "F")
		}
		ty := by + (rows[i]-float64(len(lines[i]))*lh)/2
		for j, l := range lines[i] {
			f.SetXY(left, ty+float64(j)*lh)
			d.text(labelW, lh, l, Right)
		}
		by += rows[i]
	}
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	f.Line(plotX, y, plotX, y+plotH)
	f.Line(plotX, y+plotH, plotX+plotW, y+plotH)
	if c.Mark > 0 {
		f.SetDrawColor(192, 0, 0)
		f.SetLineWidth(0.5)
		f.SetDashPattern([]float64{2, 1.2}, 0)
		x := xOf(c.Mark)
		f.Line(x, y-1, x, y+plotH)
		f.SetDashPattern(nil, 0)
	}
	f.SetFillColor(255, 255, 255)
	by = y
	for i, v := range c.Values {
		if i < len(c.Texts) {
			x, w := xOf(v)+0.8, f.GetStringWidth(c.Texts[i])+1
			f.Rect(x, by+(rows[i]-lh)/2+0.3, w, lh-0.6, "F")
			f.SetXY(x-0.5, by+(rows[i]-lh)/2)
			d.text(w+1, lh, c.Texts[i], Left)
		}
		by += rows[i]
	}
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	f.SetXY(left, y+plotH+lh+3)
	d.font(true, 12)
	d.para(TextWidth, 5.5, c.Caption, Center)
	if c.Note != "" {
		f.SetX(left)
		d.font(false, 11)
		d.para(TextWidth, 5, c.Note, Center)
	}
	f.Ln(3)
}
