package report

import (
	"ketnap/internal/pdf"
	"ketnap/internal/vn"
)

// pdfChart is a BarChart for internal/pdf: the same axis as the Word
// chart, ticks at every half major unit for percents ("50 %", "100 %")
// and every major unit for counts, in Vietnamese number formats.
func pdfChart(ch *BarChart) pdf.Chart {
	top, unit := axisMax(ch)
	step := unit
	if ch.Percent {
		step = unit / 2
	}
	out := pdf.Chart{Caption: ch.Caption, Note: ch.Note, Labels: ch.Labels, Values: ch.Values, Texts: ch.Texts,
		Max: top, Mark: ch.Mark, Reached: ch.Mark > 0}
	for i := 0; float64(i)*step <= top+1e-9; i++ {
		v := float64(i) * step
		text := vn.Int(int(v))
		if ch.Percent {
			text += " %"
		}
		out.Ticks = append(out.Ticks, pdf.Tick{Value: v, Text: text})
	}
	return out
}
