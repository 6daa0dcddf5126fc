package web

import (
	"math"
	"net/http"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The analytics page (/phan-tich): the breakdowns of the admitted as bar
// charts, the villages without member or chapter, high-school students
// against enrolment, the pipeline funnel with its stalled cases and the
// forecast (DOMAIN §7), all drawn server-side as SVG.

func (h *Handler) registerBreakdowns(mux *http.ServeMux) {
	mux.Handle("GET /phan-tich", h.page(h.breakdowns))
}

// countRight is the room after the longest bar for "35 (61,40 %)".
const countRight = 110

// countChart is a horizontal bar chart of counts on an axis from 0.
type countChart struct {
	ID     string
	Title  string
	Desc   string
	Width  int
	Height int
	Top    int
	AxisY  int
	Bars   []countBar
	Ticks  []tick
	NoAxis bool // a funnel: centred bars, no axis
}

type countBar struct {
	Label  string
	X      float64
	Y      int
	LabelY int
	BarY   int
	W      float64
	ValueX float64
	ValueY int
	Value  string
}

// newCountChart lays out one bar per row; value labels show the count
// and, with total > 0, its share.
func newCountChart(id, title string, labels []string, counts []int, total int) countChart {
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	step := niceStep(top)
	scaleMax := math.Max(step, math.Ceil(float64(top)/step)*step)
	span := float64(chartWidth - chartLeft - countRight)
	x := func(v float64) float64 { return chartLeft + math.Round(v/scaleMax*span*10)/10 }
	ch := countChart{ID: id, Title: title, Width: chartWidth, Top: chartTop - 20}
	ch.Desc = "Biểu đồ thanh: " + title
	for i, l := range labels {
		y := ch.Top + i*rowHeight
		b := countBar{Label: shorten(l, 52), X: chartLeft, Y: y, LabelY: y + 13, BarY: y + 18, ValueY: y + 30}
		b.W = round1(x(float64(counts[i])) - chartLeft)
		b.ValueX = round1(chartLeft + b.W + 4)
		b.Value = vn.Int(counts[i])
		if total > 0 {
			if p, ok := percentOf(counts[i], total); ok {
				b.Value += " (" + vn.Percent(p) + ")"
			}
		}
		ch.Desc += "; " + l + ": " + b.Value
		ch.Bars = append(ch.Bars, b)
	}
	ch.AxisY = ch.Top + len(labels)*rowHeight + 4
	ch.Height = ch.AxisY + 24
	for v := 0.0; v <= scaleMax+0.001; v += step {
		ch.Ticks = append(ch.Ticks, tick{X: x(v), Label: vn.Int(int(v))})
	}
	return ch
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// niceStep is the tick step for an axis from 0 to at least top.
func niceStep(top int) float64 {
	if top <= 5 {
		return 1
	}
	raw := float64(top) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

func percentOf(n, total int) (float64, bool) {
	if total <= 0 {
		return 0, false
	}
	return math.Round(float64(n)*10000/float64(total)) / 100, true
}

type breakdownsView struct {
	Org      *domain.Org
	Year     int
	AsOf     time.Time
	Crumbs   []*domain.Org
	Units    []option
	B        *service.Breakdowns
	Charts   []countChart
	Schools  countChart
	Funnel   *service.Funnel
	FunChart countChart
	Stages   []stageHead
	// The long lists, cut to what a page can hold on a province or the
	// country (the Excel export and a unit further down have them whole):
	// their rows shown and how many more there are.
	Communes      []service.CommuneChapters
	CommunesMore  int
	Weak          []service.ResidenceLine
	WeakMore      int
	Residence     []service.ResidenceLine
	ResidenceMore int
	Rows          []funnelRow
	Forecast      *service.Forecast
}

type stageHead struct{ Key, Label, Short string }

type funnelRow struct {
	Code, Name string
	Counts     []int
	NotSent    int
	Overdue    int
	Stalled    int
	Unit       bool
}

// breakdowns shows the analytics page of a unit (GET /phan-tich?org=&year=&asof=).
func (h *Handler) breakdowns(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	b, err := h.svc.Breakdowns(ctx, q)
	if err != nil {
		return err
	}
	f, err := h.svc.Funnel(ctx, service.FunnelQuery{ReportQuery: b.Query()})
	if err != nil {
		return err
	}
	crumbs, err := h.svc.Ancestors(ctx, b.Org)
	if err != nil {
		return err
	}
	v := breakdownsView{Org: b.Org, Year: b.Year, AsOf: b.AsOf, Crumbs: crumbs, B: b, Funnel: f, Forecast: f.Forecast,
		Charts: breakdownCharts(b), Schools: schoolsChart(b), FunChart: funnelChart(f), Rows: funnelRows(f)}
	v.Communes, v.CommunesMore = firstOf(b.VillageChaptersByCommune(), pageCommunes)
	v.Weak, v.WeakMore = firstOf(b.Weak, pageWeak)
	v.Residence, v.ResidenceMore = firstOf(b.Residence, pageResidence)
	for i, c := range crumbs {
		v.Units = append(v.Units, option{Code: c.Code, Name: c.Name, Indent: i > 0})
	}
	for _, c := range f.Unit.Children {
		v.Units = append(v.Units, option{Code: c.Org.Code, Name: c.Org.Name, Indent: true})
	}
	for _, s := range service.FunnelStages {
		v.Stages = append(v.Stages, stageHead{s.Key, s.Label, s.Short})
	}
	return h.render(w, r, http.StatusOK, "breakdowns", "Phân tích kết nạp: "+b.Org.Name, "breakdowns", v)
}

// How many rows of each long list the analytics page shows: a district
// or a commune fits whole (the demo district: 16 communes, 192 villages),
// a province or the country (16.873 villages at a tenth of its size) is
// cut, with a note.
var (
	pageCommunes  = 200
	pageWeak      = 300
	pageResidence = 500
)

// firstOf is the first n of list and how many more there are.
func firstOf[T any](list []T, n int) ([]T, int) {
	if len(list) <= n {
		return list, 0
	}
	return list[:n], len(list) - n
}

// breakdownCharts is a bar chart per breakdown that has parts, each bar
// with its share of the admitted.
func breakdownCharts(b *service.Breakdowns) []countChart {
	var charts []countChart
	for _, x := range b.Parts {
		var labels []string
		var counts []int
		for _, p := range x.Parts {
			labels = append(labels, p.Label)
			counts = append(counts, p.N)
		}
		if len(labels) == 0 {
			continue
		}
		charts = append(charts, newCountChart("chart-"+x.Key, x.Title, labels, counts, b.Admitted))
	}
	return charts
}

// schoolsChart is the bar chart of the high schools' admitted students,
// empty without a high school.
func schoolsChart(b *service.Breakdowns) countChart {
	if len(b.Schools) == 0 {
		return countChart{}
	}
	var labels []string
	var counts []int
	for _, s := range b.Schools {
		labels = append(labels, s.Name+" ("+vn.Int(s.Admitted)+"/"+vn.Int(s.Students)+")")
		counts = append(counts, s.Admitted)
	}
	return newCountChart("chart-schools", "Học sinh THPT được kết nạp", labels, counts, 0)
}

// funnelChart is the funnel of the unit's stages: each stage's bar
// centred under the widest, no axis.
func funnelChart(f *service.Funnel) countChart {
	var labels []string
	var counts []int
	for _, s := range service.FunnelStages {
		labels = append(labels, s.Label)
		counts = append(counts, f.Unit.Counts[s.Key])
	}
	ch := newCountChart("chart-funnel", "Các bước kết nạp", labels, counts, 0)
	span := float64(chartWidth - chartLeft - countRight)
	for i := range ch.Bars {
		b := &ch.Bars[i]
		b.X = round1(chartLeft + (span-b.W)/2)
		b.ValueX = round1(b.X + b.W + 4)
	}
	ch.NoAxis, ch.Ticks = true, nil
	return ch
}

// funnelRows is the funnel table: the unit, then each direct child.
func funnelRows(f *service.Funnel) []funnelRow {
	row := func(l *service.FunnelLine, unit bool) funnelRow {
		fr := funnelRow{Code: l.Org.Code, Name: l.Org.Name, NotSent: l.NotSent, Overdue: l.Overdue, Stalled: l.Stalled, Unit: unit}
		for _, s := range service.FunnelStages {
			fr.Counts = append(fr.Counts, l.Counts[s.Key])
		}
		return fr
	}
	rows := []funnelRow{row(f.Unit, true)}
	for _, c := range f.Unit.Children {
		rows = append(rows, row(c, false))
	}
	return rows
}
