package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/pdf"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// wantUnitBars is the units chart the model calls for, worked out here
// from c.Units: the units with a percent of quota in the table's order,
// the best and worst twelve when there are more than 24.
func wantUnitBars(c *Conference) (names []string, values []float64) {
	var rated []Unit
	for _, u := range c.Units {
		if u.QuotaPercent != nil {
			rated = append(rated, u)
		}
	}
	if len(rated) > 24 {
		rated = append(rated[:12:12], rated[len(rated)-12:]...)
	}
	for _, u := range rated {
		names = append(names, u.Name)
		values = append(values, *u.QuotaPercent)
	}
	return names, values
}

// chartCache reads a chart part's categories, values and data labels.
func chartCache(t *testing.T, b []byte) (cats []string, vals []float64, labels []string) {
	t.Helper()
	var cs struct {
		Ser struct {
			Labels []string `xml:"dLbls>dLbl>tx>rich>p>r>t"`
			Cats   []string `xml:"cat>strRef>strCache>pt>v"`
			Vals   []string `xml:"val>numRef>numCache>pt>v"`
		} `xml:"chart>plotArea>barChart>ser"`
	}
	if err := xml.Unmarshal(b, &cs); err != nil {
		t.Fatalf("chart XML: %v", err)
	}
	for _, v := range cs.Ser.Vals {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("cached value %q: %v", v, err)
		}
		vals = append(vals, f)
	}
	return cs.Ser.Cats, vals, cs.Ser.Labels
}

func TestConferenceDocxCharts(t *testing.T) {
	c := demoReport(t)
	var buf bytes.Buffer
	if err := WriteDocx(&buf, c.Document()); err != nil {
		t.Fatal(err)
	}
	text := docxText(t, buf.Bytes())
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, _ := f.Open()
		parts[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	names, values := wantUnitBars(c)
	if len(names) == 0 || len(names) > 24 {
		t.Fatalf("the demo gives %d bars", len(names))
	}
	var stages []string
	var counts []float64
	for _, s := range service.FunnelStages {
		stages = append(stages, s.Label)
		counts = append(counts, float64(c.Funnel.Unit.Counts[s.Key]))
	}
	for i, want := range []struct {
		caption string
		cats    []string
		vals    []float64
		label   func(float64) string
	}{
		{"Biểu đồ 1. Tỷ lệ kết nạp đảng viên so với chỉ tiêu", names, values, vn.Percent},
		{"Biểu đồ 2. Nguồn và hồ sơ phát triển đảng viên", stages, counts, func(v float64) string { return vn.Int(int(v)) }},
	} {
		id := i + 1
		part := fmt.Sprintf("word/charts/chart%d.xml", id)
		if parts[part] == nil {
			t.Fatalf("%s missing from the package", part)
		}
		override := fmt.Sprintf(`<Override PartName="/%s" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`, part)
		if !bytes.Contains(parts["[Content_Types].xml"], []byte(override)) {
			t.Errorf("[Content_Types].xml lacks %s", override)
		}
		rel := fmt.Sprintf(`<Relationship Id="rIdChart%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="charts/chart%d.xml"/>`, id, id)
		if !bytes.Contains(parts["word/_rels/document.xml.rels"], []byte(rel)) {
			t.Errorf("document.xml.rels lacks %s", rel)
		}
		if ref := fmt.Sprintf(`<c:chart r:id="rIdChart%d"/>`, id); !bytes.Contains(parts["word/document.xml"], []byte(ref)) {
			t.Errorf("document.xml does not place %s", ref)
		}
		if !strings.Contains(text, want.caption) {
			t.Errorf("caption %q missing from the Word document", want.caption)
		}
		cats, vals, labels := chartCache(t, parts[part])
		if strings.Join(cats, "|") != strings.Join(want.cats, "|") {
			t.Errorf("chart %d categories\n%q\nwant\n%q", id, cats, want.cats)
		}
		if fmt.Sprint(vals) != fmt.Sprint(want.vals) {
			t.Errorf("chart %d values %v, want %v", id, vals, want.vals)
		}
		for j, v := range want.vals {
			if j >= len(labels) || labels[j] != want.label(v) {
				t.Errorf("chart %d label %d: %q, want %q", id, j, labels, want.label(v))
				break
			}
		}
	}
	if !bytes.Contains(parts["word/charts/chart1.xml"], []byte(`<c:barDir val="bar"/>`)) {
		t.Error("chart 1 is not a horizontal bar chart")
	}
}

// TestDocxWithoutCharts: a document without charts has no chart part,
// override or relationship.
func TestDocxWithoutCharts(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDocx(&buf, &Document{Title: "BÁO CÁO", Blocks: []Block{{Heading: "I."}}}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("charts/chart")) {
		t.Error("a chart part in a document without charts")
	}
	docxText(t, buf.Bytes())
}

var pageFooter = regexp.MustCompile(`^Trang [0-9]+/[0-9]+$`)

// pdfCount writes d as a PDF and counts the occurrences of a string in
// its text, lines joined.
func pdfCount(t *testing.T, d *Document) func(string) int {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, d); err != nil {
		t.Fatal(err)
	}
	text, err := pdf.Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// the page footers out, so that a line broken across pages reads on
	var kept []string
	for _, l := range strings.Split(text, "\n") {
		if !pageFooter.MatchString(l) {
			kept = append(kept, l)
		}
	}
	flat := strings.Join(kept, " ")
	return func(s string) int { return strings.Count(flat, s) }
}

func TestConferencePDFCharts(t *testing.T) {
	c := demoReport(t)
	d := c.Document()
	with := pdfCount(t, d)
	bare := *d
	bare.Blocks = nil
	for _, b := range d.Blocks {
		b.Charts = nil
		bare.Blocks = append(bare.Blocks, b)
	}
	without := pdfCount(t, &bare)
	for _, s := range []string{"Biểu đồ 1. Tỷ lệ kết nạp đảng viên so với chỉ tiêu", "Biểu đồ 2. Nguồn và hồ sơ phát triển đảng viên", "100 %"} {
		if with(s) == 0 {
			t.Errorf("%q missing from the PDF", s)
		}
	}
	// Each bar's unit and value is printed once more than the tables print them.
	names, values := wantUnitBars(c)
	bars := map[string]int{}
	for i, n := range names {
		bars[n]++
		bars[vn.Percent(values[i])]++
	}
	for _, s := range service.FunnelStages {
		bars[s.Label]++
	}
	for s, n := range bars {
		if got, base := with(s), without(s); got < base+n {
			t.Errorf("%q printed %d times with the charts, %d without: the chart lacks it", s, got, base)
		}
	}
}

// TestUnitsChartSelects: over 24 units with a rate, the best and the
// worst twelve in the table's order; units without a quota are left out
// and said so.
func TestUnitsChartSelects(t *testing.T) {
	c := &Conference{}
	for i := range 30 {
		p := float64(300 - 10*i)
		c.Units = append(c.Units, Unit{Name: fmt.Sprintf("Chi bộ %02d", i), QuotaPercent: &p})
	}
	c.Units = append(c.Units, Unit{Name: "Chi bộ không chỉ tiêu"}, Unit{Name: "Chi bộ mới"})
	ch := c.unitsChart(1)
	if len(ch.Labels) != 24 || ch.Labels[0] != "Chi bộ 00" || ch.Labels[11] != "Chi bộ 11" || ch.Labels[12] != "Chi bộ 18" || ch.Labels[23] != "Chi bộ 29" {
		t.Errorf("bars %q", ch.Labels)
	}
	if ch.Values[0] != 300 || ch.Texts[23] != "10,00 %" || ch.Mark != 100 {
		t.Errorf("values %v texts %q mark %v", ch.Values, ch.Texts, ch.Mark)
	}
	for _, s := range []string{"6 đơn vị", "2 đơn vị chưa được giao chỉ tiêu"} {
		if !strings.Contains(ch.Note, s) {
			t.Errorf("note %q lacks %q", ch.Note, s)
		}
	}
	if (&Conference{Units: []Unit{{Name: "A"}}}).unitsChart(1) != nil {
		t.Error("a chart without any rate")
	}
	top, unit := axisMax(ch)
	if top != 400 || unit != 100 {
		t.Errorf("axis %v by %v, want 400 by 100", top, unit)
	}
}
