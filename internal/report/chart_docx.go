package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Native Word charts: each BarChart becomes a DrawingML chart part
// word/charts/chartN.xml holding its values as the series' cached values
// (no embedded workbook: Word and LibreOffice draw the cache), referenced
// from document.xml by a wp:inline graphic with c:chart r:id="rIdChartN",
// the relationship in word/_rels/document.xml.rels and the part's
// content type in [Content_Types].xml.

const (
	chartContentType = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
	chartRelType     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
	emuPerCm         = 360000
)

// docxCharts numbers the document's charts from 1, in order.
func docxCharts(d *Document) []*BarChart {
	var out []*BarChart
	for _, b := range d.Blocks {
		for _, ch := range b.Charts {
			out = append(out, ch)
			ch.id = len(out)
		}
	}
	return out
}

func chartPart(id int) string { return fmt.Sprintf("word/charts/chart%d.xml", id) }
func chartRel(id int) string  { return fmt.Sprintf("rIdChart%d", id) }

// chartTypes adds the charts' content types to [Content_Types].xml.
func chartTypes(types []byte, charts []*BarChart) []byte {
	var b strings.Builder
	for _, ch := range charts {
		fmt.Fprintf(&b, `<Override PartName="/%s" ContentType="%s"/>`, chartPart(ch.id), chartContentType)
	}
	return []byte(strings.Replace(string(types), "</Types>", b.String()+"</Types>", 1))
}

// chartRels adds the charts' relationships to word/_rels/document.xml.rels.
func chartRels(rels []byte, charts []*BarChart) []byte {
	var b strings.Builder
	for _, ch := range charts {
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s" Target="charts/chart%d.xml"/>`, chartRel(ch.id), chartRelType, ch.id)
	}
	return []byte(strings.Replace(string(rels), "</Relationships>", b.String()+"</Relationships>", 1))
}

// chartHeight is the chart's height in cm: 0.75 cm a bar and room for
// the value axis, at least 6 cm.
func chartHeight(ch *BarChart) float64 {
	return max(6, 0.75*float64(len(ch.Labels))+2)
}

// docxChart renders the paragraphs of a chart in document.xml: the
// inline chart, its caption and its note.
func docxChart(ch *BarChart) string {
	var b strings.Builder
	cx, cy := 16*emuPerCm, int(chartHeight(ch)*emuPerCm)
	fmt.Fprintf(&b, `<w:p><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:effectExtent l="0" t="0" r="0" b="0"/>`+
		`<wp:docPr id="%d" name="Biểu đồ %d"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">`+
		`<c:chart r:id="%s"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`, cx, cy, ch.id, ch.id, chartRel(ch.id))
	keep := ""
	if ch.Note != "" {
		keep = "<w:keepNext/>"
	}
	fmt.Fprintf(&b, `<w:p><w:pPr>%s<w:spacing w:after="60"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p>`,
		keep, esc(ch.Caption))
	if ch.Note != "" {
		fmt.Fprintf(&b, `<w:p><w:pPr><w:spacing w:after="120"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:i/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p>`,
			esc(ch.Note))
	}
	return b.String()
}

// axisMax is the value axis' maximum and major unit: for percents, a
// multiple of 100 (at least 100 % + a margin for the labels) so that the
// 100 % line is a major gridline; for counts, a round number.
func axisMax(ch *BarChart) (top, unit float64) {
	hi := 0.0
	for _, v := range ch.Values {
		hi = max(hi, v)
	}
	if ch.Percent {
		unit = 100
		if hi > 500 {
			unit = math.Ceil(hi/500) * 100
		}
		return math.Ceil(max(hi*1.15, ch.Mark*1.1)/unit) * unit, unit
	}
	hi = max(hi*1.15, 1)
	step := math.Pow(10, math.Floor(math.Log10(hi)))
	for _, m := range []float64{1, 2, 5, 10} {
		if hi/(step*m) <= 6 {
			unit = step * m
			break
		}
	}
	unit = max(unit, 1)
	return math.Ceil(hi/unit) * unit, unit
}

// Colours: bars at or over the reference line, under it, and plain.
const (
	colourReached = "548235"
	colourBelow   = "2F5597"
	colourMark    = "C00000"
)

func solid(rgb string) string {
	return `<c:spPr><a:solidFill><a:srgbClr val="` + rgb + `"/></a:solidFill></c:spPr>`
}

func line(w int, rgb, dash string) string {
	d := ""
	if dash != "" {
		d = `<a:prstDash val="` + dash + `"/>`
	}
	return fmt.Sprintf(`<c:spPr><a:ln w="%d"><a:solidFill><a:srgbClr val="%s"/></a:solidFill>%s</a:ln></c:spPr>`, w, rgb, d)
}

// txPr is a text body of the size (hundredths of a point), Times New Roman.
func txPr(size int, bold bool) string {
	b := "0"
	if bold {
		b = "1"
	}
	return fmt.Sprintf(`<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="%d" b="%s"><a:latin typeface="Times New Roman"/><a:cs typeface="Times New Roman"/></a:defRPr></a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr>`, size, b)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// chartXML is the chart part of a BarChart: a clustered horizontal bar
// chart, categories top to bottom, one label a bar with the Vietnamese
// text of its value, and for a reference line the major gridlines in red
// dashes on its multiples.
func chartXML(ch *BarChart) []byte {
	var b strings.Builder
	n := len(ch.Labels)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<c:date1904 val="0"/><c:lang val="vi-VN"/><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>` +
		`<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>` +
		`<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>` + esc(ch.Series) + `</c:v></c:tx>`)
	b.WriteString(solid(colourBelow) + `<c:invertIfNegative val="0"/>`)
	if ch.Mark > 0 {
		for i, v := range ch.Values {
			if v >= ch.Mark {
				fmt.Fprintf(&b, `<c:dPt><c:idx val="%d"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>%s</c:dPt>`, i, solid(colourReached))
			}
		}
	}
	b.WriteString(`<c:dLbls>`)
	for i, s := range ch.Texts {
		fmt.Fprintf(&b, `<c:dLbl><c:idx val="%d"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="vi-VN" sz="900"><a:latin typeface="Times New Roman"/><a:cs typeface="Times New Roman"/></a:rPr><a:t>%s</a:t></a:r></a:p></c:rich></c:tx>`+
			`<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbl>`, i, esc(s))
	}
	b.WriteString(txPr(900, false) + `<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>`)
	fmt.Fprintf(&b, `<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$%d</c:f><c:strCache><c:ptCount val="%d"/>`, n+1, n)
	for i, s := range ch.Labels {
		fmt.Fprintf(&b, `<c:pt idx="%d"><c:v>%s</c:v></c:pt>`, i, esc(s))
	}
	fmt.Fprintf(&b, `</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B$%d</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="%d"/>`, n+1, n)
	for i, v := range ch.Values {
		fmt.Fprintf(&b, `<c:pt idx="%d"><c:v>%s</c:v></c:pt>`, i, num(v))
	}
	b.WriteString(`</c:numCache></c:numRef></c:val></c:ser><c:gapWidth val="40"/><c:axId val="500100"/><c:axId val="500200"/></c:barChart>`)
	// The category axis, first category at the top.
	b.WriteString(`<c:catAx><c:axId val="500100"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>` +
		`<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>` +
		line(9525, "000000", "") + txPr(1000, false) + `<c:crossAx val="500200"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`)
	// The value axis, at the bottom (crossing the reversed categories at their maximum).
	top, unit := axisMax(ch)
	grid, format := line(6350, "BFBFBF", ""), "#,##0"
	minor := ""
	if ch.Mark > 0 {
		grid = line(19050, colourMark, "dash")
		minor = `<c:minorGridlines>` + line(6350, "D9D9D9", "") + `</c:minorGridlines>`
	}
	if ch.Percent {
		format = `0" %"`
	}
	fmt.Fprintf(&b, `<c:valAx><c:axId val="500200"/><c:scaling><c:orientation val="minMax"/><c:max val="%s"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>`+
		`<c:majorGridlines>%s</c:majorGridlines>%s`, num(top), grid, minor)
	if ch.Mark > 0 {
		fmt.Fprintf(&b, `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900" b="0"/></a:pPr><a:r><a:rPr lang="vi-VN" sz="900" b="0"><a:latin typeface="Times New Roman"/><a:cs typeface="Times New Roman"/></a:rPr><a:t>%s</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`,
			esc("Tỷ lệ "+ch.Series+" (đường đỏ nét đứt: mỗi "+ch.MarkTag+")"))
	}
	fmt.Fprintf(&b, `<c:numFmt formatCode="%s" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>%s%s`+
		`<c:crossAx val="500100"/><c:crosses val="max"/><c:crossBetween val="between"/><c:majorUnit val="%s"/><c:minorUnit val="%s"/></c:valAx>`,
		esc(format), line(9525, "000000", ""), txPr(900, false), num(unit), num(unit/4))
	b.WriteString(`<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
		`<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>` + txPr(1000, false) + `</c:chartSpace>`)
	return []byte(b.String())
}
