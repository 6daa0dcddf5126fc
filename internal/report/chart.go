package report

import (
	"fmt"

	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// BarChart is a horizontal bar chart of the report: one bar a category, top
// to bottom in the order given, drawn natively in Word (chart_docx.go)
// and with PDF primitives (internal/pdf).
type BarChart struct {
	Caption string    // "Biểu đồ 1. …", under the chart
	Series  string    // the series' name ("% chỉ tiêu")
	Labels  []string  // the categories, top to bottom
	Values  []float64 // one a label
	Texts   []string  // the values as printed, Vietnamese ("23,17 %")
	Percent bool      // values are percents
	Mark    float64   // a reference line at this value (100 %); 0: none
	MarkTag string    // the reference line's label ("100 %")
	Note    string    // a line under the caption; "" for none
	id      int       // 1-based number of the chart in the Word package
}

// chartBars is the most bars the units chart shows: above it, the best
// and the worst half of them.
const chartBars = 24

// unitsChart is "Biểu đồ n": the children's percent of quota in the
// order of the report's unit table (ranked from the highest rate), with
// the 100 % line. Units without a quota have no rate and no bar; with
// more than chartBars units with a rate, the best and the worst
// chartBars/2 are shown. Nil when no unit has a rate.
func (c *Conference) unitsChart(n int) *BarChart {
	var rated []Unit
	for _, u := range c.Units {
		if u.QuotaPercent != nil {
			rated = append(rated, u)
		}
	}
	if len(rated) == 0 {
		return nil
	}
	ch := &BarChart{Series: "% chỉ tiêu", Percent: true, Mark: 100, MarkTag: "100 %",
		Caption: fmt.Sprintf("Biểu đồ %d. Tỷ lệ kết nạp đảng viên so với chỉ tiêu được giao của các đơn vị trực thuộc (tính đến ngày %s)", n, vn.Date(c.AsOf))}
	shown := rated
	if len(rated) > chartBars {
		half := chartBars / 2
		shown = append(append([]Unit{}, rated[:half]...), rated[len(rated)-half:]...)
		ch.Caption = fmt.Sprintf("Biểu đồ %d. Tỷ lệ kết nạp đảng viên so với chỉ tiêu: %d đơn vị có tỷ lệ cao nhất và %d đơn vị có tỷ lệ thấp nhất (tính đến ngày %s)",
			n, half, half, vn.Date(c.AsOf))
		ch.Note = fmt.Sprintf("Không thể hiện %d đơn vị có tỷ lệ ở khoảng giữa; xem bảng kết quả của các đơn vị.", len(rated)-chartBars)
	}
	if skipped := len(c.Units) - len(rated); skipped > 0 {
		if ch.Note != "" {
			ch.Note += " "
		}
		ch.Note += fmt.Sprintf("Không thể hiện %d đơn vị chưa được giao chỉ tiêu.", skipped)
	}
	for _, u := range shown {
		ch.Labels = append(ch.Labels, u.Name)
		ch.Values = append(ch.Values, *u.QuotaPercent)
		ch.Texts = append(ch.Texts, vn.Percent(*u.QuotaPercent))
	}
	return ch
}

// funnelChart is "Biểu đồ n": the cases open on the date by their stage
// (service.Funnel of the unit's subtree), from the sources to the
// probationary members. "Sent to a class" and "certified" are parts of
// the sources. Nil without the funnel or when it is empty.
func (c *Conference) funnelChart(n int) *BarChart {
	if c.Funnel == nil || c.Funnel.Unit == nil {
		return nil
	}
	ch := &BarChart{Series: "Số người",
		Caption: fmt.Sprintf("Biểu đồ %d. Nguồn và hồ sơ phát triển đảng viên theo từng bước (tính đến ngày %s)", n, vn.Date(c.AsOf)),
		Note:    "Số đã cử đi học và đã có giấy chứng nhận nằm trong số quần chúng ưu tú (nguồn); các bước sau tính các hồ sơ đang ở bước đó."}
	total := 0
	for _, s := range service.FunnelStages {
		v := c.Funnel.Unit.Counts[s.Key]
		total += v
		ch.Labels = append(ch.Labels, s.Label)
		ch.Values = append(ch.Values, float64(v))
		ch.Texts = append(ch.Texts, vn.Int(v))
	}
	if total == 0 {
		return nil
	}
	return ch
}
