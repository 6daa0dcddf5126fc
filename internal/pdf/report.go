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

// Section is a heading, paragraphs, an optional table and paragraphs
// after the table.
type Section struct {
	Heading string
	Paras   []string
	Table   *Table
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
