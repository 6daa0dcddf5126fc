package report

import (
	"io"

	"ketnap/internal/pdf"
)

// WritePDF writes the document as a PDF (internal/pdf, Liberation Serif).
func WritePDF(w io.Writer, d *Document) error {
	r := pdf.Report{Parent: d.Parent, Issuer: d.Issuer, Number: d.Number, DateLine: d.DateLine, Title: d.Title,
		Subtitle: d.Subtitle, Lead: d.Lead, Recipients: d.Recipients, SignFor: d.SignFor, SignNote: signNote, Signer: d.Signer}
	for _, b := range d.Blocks {
		s := pdf.Section{Heading: b.Heading, Paras: b.Paras, After: b.After}
		if t := b.Table; t != nil {
			total := 0.0
			for _, w := range t.Widths {
				total += w
			}
			pt := &pdf.Table{Rows: t.Rows}
			for i, h := range t.Headers {
				w := pdf.TextWidth / float64(len(t.Headers))
				if i < len(t.Widths) && total > 0 {
					w = t.Widths[i] / total * pdf.TextWidth
				}
				pt.Columns = append(pt.Columns, pdf.Column{Title: h, Width: w, Align: t.align(i)})
			}
			s.Table = pt
		}
		for _, ch := range b.Charts {
			s.Charts = append(s.Charts, pdfChart(ch))
		}
		r.Sections = append(r.Sections, s)
	}
	return pdf.WriteReport(w, r)
}

// signNote is the line under the signing authority.
const signNote = "(Ký, ghi rõ họ tên, đóng dấu)"
