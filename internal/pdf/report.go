package pdf

import (
	"fmt"
	"io"
)

// Report is a report in the official party-document layout (HD
// 36-HD/VPTW): the committee above, the issuing committee, a star and the
// number on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place-date line on
// the right, the title, the sections, the recipients and the signature
// ("T/M BAN THƯỜNG VỤ", the position, room to sign, the name; A4
// portrait, 14 pt body).
type Report struct {
	Parent, Issuer, Number, DateLine string
	Title, Subtitle, Lead            string
	Sections                         []Section
	Recipients                       []string
	SignFor, SignerTitle, Signer     string
}

// Section is a heading (a part's when Sub), paragraphs, an optional table,
// charts and paragraphs after them.
type Section struct {
	Heading string
	Sub     bool
	Paras   []string
	Table   *Table
	Charts  []Chart
	After   []string
}

// TextWidth is the width of the A4 page between the report's margins, in
// mm (3 cm left, 2 cm right).
const TextWidth = 160.0

// The report's margins in mm: 3 cm left, 2 cm top and right.
const reportLeft, reportTop, reportRight = 30.0, 20.0, 20.0

// WriteReport writes the report; pages are numbered "Trang n/N".
func WriteReport(w io.Writer, r Report) error {
	d, err := New(A4, false, r.Title+" "+r.Subtitle)
	if err != nil {
		return err
	}
	f := d.f
	f.SetMargins(reportLeft, reportTop, reportRight)
	f.SetAutoPageBreak(true, 20)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-14)
		d.font(false, 10)
		d.text(0, 5, fmt.Sprintf("Trang %d/{nb}", f.PageNo()), Center)
	})
	f.AddPage()
	d.reportMasthead(r)
	d.reportTitle(r)
	for _, s := range r.Sections {
		d.reportSection(s)
	}
	d.reportSignature(r)
	return d.Write(w)
}

// reportMasthead draws the top of the first page: the committee above,
// the issuing committee and the number on the left; "ĐẢNG CỘNG SẢN VIỆT
// NAM", underlined, and the place-date line on the right. It leaves the
// position under the lower of the two columns.
func (d *Doc) reportMasthead(r Report) {
	f := d.f
	const left, top = reportLeft, reportTop
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
}

// reportTitle draws the title, the subtitle, the lead and a short rule,
// centred.
func (d *Doc) reportTitle(r Report) {
	f := d.f
	d.font(true, 16)
	d.text(TextWidth, 7, r.Title, Center)
	d.font(true, 14)
	f.SetX(reportLeft)
	d.para(TextWidth, 6.5, r.Subtitle, Center)
	if r.Lead != "" {
		f.SetX(reportLeft)
		d.font(false, 13)
		d.para(TextWidth, 6, r.Lead, Center)
	}
	f.SetX(reportLeft)
	d.text(TextWidth, 6, "-----", Center)
	f.Ln(2)
}

// reportSection draws a section: its heading (bold), its paragraphs, its
// table, its charts and the paragraphs after them.
func (d *Doc) reportSection(s Section) {
	f := d.f
	if s.Heading != "" {
		f.Ln(1)
		// a heading keeps at least two lines of its text under it
		if _, ph := f.GetPageSize(); f.GetY() > ph-20-25 {
			f.AddPage()
		}
		f.SetX(reportLeft)
		d.font(true, 14)
		d.para(TextWidth, 6.5, "        "+s.Heading, Left)
	}
	for _, p := range s.Paras {
		d.reportPara(p)
	}
	if s.Table != nil {
		f.Ln(1)
		f.SetX(reportLeft)
		d.table(*s.Table, 10)
		f.Ln(2)
	}
	for _, c := range s.Charts {
		d.chart(c)
	}
	for _, p := range s.After {
		d.reportPara(p)
	}
}

// reportPara writes a paragraph of the body, its first line indented.
func (d *Doc) reportPara(s string) {
	d.f.SetX(reportLeft)
	d.font(false, 14)
	d.para(TextWidth, 6.5, "        "+s, Left)
}

// reportSignature draws the end of the report, on a new page when less
// than 7 cm are left: the recipients on the left (the first line bold),
// the signature block on the right: the authority, the position, room to
// sign and seal, the name.
func (d *Doc) reportSignature(r Report) {
	f := d.f
	f.Ln(8)
	y := f.GetY()
	_, ph := f.GetPageSize()
	if y > ph-70 {
		f.AddPage()
		y = f.GetY()
	}
	half := TextWidth / 2
	for i, l := range r.Recipients {
		f.SetXY(reportLeft, y+float64(i)*5)
		d.font(i == 0, 11)
		d.text(half, 5, l, Left)
	}
	f.SetXY(reportLeft+half, y)
	d.font(true, 13)
	d.para(half, 6, r.SignFor, Center)
	if r.SignerTitle != "" {
		f.SetX(reportLeft + half)
		d.para(half, 6, r.SignerTitle, Center)
	}
	// room to sign and seal, then the name (or a line left blank to write it)
	f.SetXY(reportLeft+half, f.GetY()+24)
	if r.Signer != "" {
		d.para(half, 6, r.Signer, Center)
	}
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

// The sizes of a chart: the labels' font (pt), their line height, the gap
// above and below a label and the bars' thickness (mm).
const chartFont, chartLine, chartGap, chartBar = 9.0, 4.0, 1.2, 3.8

// chartLayout is where the parts of a chart go, in mm.
type chartLayout struct {
	left   float64    // the left margin, where the labels start
	labelW float64    // the labels' column
	plotX  float64    // the value axis's left end
	plotW  float64    // the plot's width
	plotH  float64    // the plot's height: the sum of rows
	lines  [][]string // each label's lines
	rows   []float64  // each bar's row height
	top    float64    // the top of the plot
	max    float64    // the value at the plot's right end
}

// x is the abscissa of value v, held within the plot.
func (l *chartLayout) x(v float64) float64 {
	return l.plotX + min(max(v, 0), l.max)/l.max*l.plotW
}

// chart draws c across the text width from the current position, on a
// new page when it does not fit.
func (d *Doc) chart(c Chart) {
	if len(c.Labels) == 0 || c.Max <= 0 {
		return
	}
	l := d.layOutChart(c)
	d.chartGrid(c, &l)
	d.chartBars(c, &l)
	d.chartAxes(c, &l)
	d.chartValues(c, &l)
	d.chartCaption(c, &l)
}

// layOutChart measures the labels and the values, wraps the labels, and
// finds the top of the plot: under the current position, or on a new
// page when the plot, the ticks, the caption and the note do not fit.
func (d *Doc) layOutChart(c Chart) chartLayout {
	f := d.f
	left, _, _, bottom := f.GetMargins()
	_, pageH := f.GetPageSize()
	d.font(false, chartFont)
	labelW := 0.0
	for _, l := range c.Labels {
		labelW = max(labelW, f.GetStringWidth(l))
	}
	labelW = min(labelW+3, 64) // SplitText and CellFormat keep 1 mm margins
	valueW := 4.0
	for _, t := range c.Texts {
		valueW = max(valueW, f.GetStringWidth(t)+3)
	}
	l := chartLayout{left: left, labelW: labelW, plotX: left + labelW + 2, plotW: TextWidth - labelW - 2 - valueW,
		lines: make([][]string, len(c.Labels)), rows: make([]float64, len(c.Labels)), max: c.Max}
	for i, s := range c.Labels {
		l.lines[i] = f.SplitText(s, labelW)
		l.rows[i] = max(float64(len(l.lines[i]))*chartLine, chartLine) + 2*chartGap
		l.plotH += l.rows[i]
	}
	d.font(true, 12)
	need := l.plotH + chartLine + 6 + float64(len(f.SplitText(c.Caption, TextWidth)))*5.5
	if c.Note != "" {
		d.font(false, 11)
		need += float64(len(f.SplitText(c.Note, TextWidth))) * 5
	}
	l.top = f.GetY() + 2
	if l.top+need > pageH-bottom {
		f.AddPage()
		l.top = f.GetY()
	}
	return l
}

// chartGrid draws the gridlines (light grey) and the ticks' labels under
// the plot.
func (d *Doc) chartGrid(c Chart, l *chartLayout) {
	f := d.f
	f.SetLineWidth(0.1)
	f.SetDrawColor(200, 200, 200)
	d.font(false, chartFont)
	for _, t := range c.Ticks {
		x := l.x(t.Value)
		f.Line(x, l.top, x, l.top+l.plotH)
		f.SetXY(x-15, l.top+l.plotH+0.8)
		d.text(30, chartLine, t.Text, Center)
	}
}

// chartBars draws the bars (blue; green at or over the mark when c.Reached)
// and their labels, right-aligned left of the plot. The axes, the
// reference line and the values come over them.
func (d *Doc) chartBars(c Chart, l *chartLayout) {
	f := d.f
	by := l.top
	for i, v := range c.Values {
		f.SetFillColor(47, 85, 151)
		if c.Reached && v >= c.Mark {
			f.SetFillColor(84, 130, 53)
		}
		if w := l.x(v) - l.plotX; w > 0 {
			f.Rect(l.plotX, by+(l.rows[i]-chartBar)/2, w, chartBar, "F")
		}
		ty := by + (l.rows[i]-float64(len(l.lines[i]))*chartLine)/2
		for j, s := range l.lines[i] {
			f.SetXY(l.left, ty+float64(j)*chartLine)
			d.text(l.labelW, chartLine, s, Right)
		}
		by += l.rows[i]
	}
}

// chartAxes draws the axes and the reference line (red dashes) at c.Mark.
func (d *Doc) chartAxes(c Chart, l *chartLayout) {
	f := d.f
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	f.Line(l.plotX, l.top, l.plotX, l.top+l.plotH)
	f.Line(l.plotX, l.top+l.plotH, l.plotX+l.plotW, l.top+l.plotH)
	if c.Mark > 0 {
		f.SetDrawColor(192, 0, 0)
		f.SetLineWidth(0.5)
		f.SetDashPattern([]float64{2, 1.2}, 0)
		x := l.x(c.Mark)
		f.Line(x, l.top-1, x, l.top+l.plotH)
		f.SetDashPattern(nil, 0)
	}
}

// chartValues prints the values right of the bars on a white ground, so
// that the reference line does not cross them.
func (d *Doc) chartValues(c Chart, l *chartLayout) {
	f := d.f
	f.SetFillColor(255, 255, 255)
	by := l.top
	for i, v := range c.Values {
		if i < len(c.Texts) {
			x, w := l.x(v)+0.8, f.GetStringWidth(c.Texts[i])+1
			f.Rect(x, by+(l.rows[i]-chartLine)/2+0.3, w, chartLine-0.6, "F")
			f.SetXY(x-0.5, by+(l.rows[i]-chartLine)/2)
			d.text(w+1, chartLine, c.Texts[i], Left)
		}
		by += l.rows[i]
	}
}

// chartCaption writes the caption (bold) and the note under the ticks,
// centred, and leaves a little space under them.
func (d *Doc) chartCaption(c Chart, l *chartLayout) {
	f := d.f
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	f.SetXY(l.left, l.top+l.plotH+chartLine+3)
	d.font(true, 12)
	d.para(TextWidth, 5.5, c.Caption, Center)
	if c.Note != "" {
		f.SetX(l.left)
		d.font(false, 11)
		d.para(TextWidth, 5, c.Note, Center)
	}
	f.Ln(3)
}
