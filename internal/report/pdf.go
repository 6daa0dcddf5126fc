package report

import (
	"io"
	"strings"

	"ketnap/internal/pdf"
)

// WritePDF writes the document as a PDF (internal/pdf, Liberation Serif).
func WritePDF(w io.Writer, d *Document) error {
	r := pdf.Report{Parent: d.Parent, Issuer: d.Issuer, Number: d.Number, DateLine: d.DateLine, Title: d.Title,
		Subtitle: d.Subtitle, Lead: d.Lead, Recipients: d.Recipients, SignFor: d.SignFor, SignerTitle: d.SignerTitle, Signer: d.Signer}
	for _, b := range d.Blocks {
		s := pdf.Section{Heading: b.Heading, Sub: b.Sub, Paras: keepAll(b.Paras), After: keepAll(b.After)}
		if t := b.Table; t != nil {
			total := 0.0
			for _, w := range t.Widths {
				total += w
			}
			pt := &pdf.Table{Total: keepAll(t.Total)}
			for _, r := range t.Rows {
				pt.Rows = append(pt.Rows, keepAll(r))
			}
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

// keepPercent joins a percent to its sign with a no-break space, so that
// a line never begins with "%" ("23,17 %" stays on one line).
func keepPercent(s string) string { return strings.ReplaceAll(s, " %", "\u00a0%") }

func keepAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = keepPercent(s)
	}
	return out
}
