package web

import (
	"math"
	"slices"
	"strings"

	"ketnap/internal/progress"
	"ketnap/internal/vn"
)

// chart is the geometry of the horizontal bar chart of the children's
// quota percents, drawn as inline SVG by the dashboard template. Its
// coordinates are in the SVG's own units (viewBox 0 0 Width Height).
type chart struct {
	Width, Height int
	Bars          []bar
	Ticks         []tick
	AxisY         int     // y of the axis line
	RefX          float64 // x of the 100 % line
	Top           int
	// With many children only the highest and the lowest percents are
	// drawn; the page links to the whole chart.
	Total    int // the children
	Hidden   int // the children not drawn
	Shown    int // the children drawn
	Middle   int // the children between the highest and the lowest, not drawn
	GapY     int // baseline of the "… N đơn vị ở giữa …" row
	NoTarget int // the children without a quota, not drawn
	NoteY    int // baseline of the row that counts them
}

type bar struct {
	Code   string
	Name   string
	Label  string // the name, shortened to fit
	Class  string
	Y      int     // top of the row
	LabelY int     // baseline of the name
	BarY   int     // top of the bar
	W      float64 // bar width, 0 when no percent
	ValueX float64
	ValueY int
	Value  string // "233,33 %" or "chưa giao chỉ tiêu"
	HasPct bool
}

type tick struct {
	X      float64
	Label  string
	Anchor string // text-anchor: the 0 % tick starts at the axis, so that it is not cut
}

const (
	chartWidth = 400
	chartLeft  = 4
	chartRight = 70 // room for the value after the longest bar
	rowHeight  = 40
	barHeight  = 14
	chartTop   = 34
	// chartMaxRows is how many children the chart draws unless all are
	// asked for: the chartEnds highest and the chartEnds lowest.
	chartMaxRows = 12
	chartEnds    = 5
)

// newChart lays out one bar per child: percent of quota on an axis from
// 0 to at least 100 %. Of more than chartMaxRows children, unless all,
// only the highest and the lowest are drawn (the scale is the same).
func newChart(ranked []*progress.Result, all bool) chart {
	top := 0.0
	for _, c := range ranked {
		if c.QuotaPercent != nil {
			top = math.Max(top, *c.QuotaPercent)
		}
	}
	step := 25.0
	switch {
	case top > 400:
		step = math.Ceil(top/5/100) * 100
	case top > 200:
		step = 100
	case top > 100:
		step = 50
	}
	scaleMax := math.Max(100, math.Ceil(top/step)*step)
	span := float64(chartWidth - chartLeft - chartRight)
	x := func(p float64) float64 { return chartLeft + math.Round(p/scaleMax*span*10)/10 }

	ch := chart{Width: chartWidth, Top: chartTop, RefX: x(100), Total: len(ranked)}
	drawn := ranked
	if !all && len(ranked) > chartMaxRows {
		var withPct []*progress.Result // in rank order
		for _, c := range ranked {
			if c.QuotaPercent != nil {
				withPct = append(withPct, c)
			}
		}
		drawn = withPct
		if len(withPct) > 2*chartEnds {
			drawn = append(slices.Clone(withPct[:chartEnds]), withPct[len(withPct)-chartEnds:]...)
			ch.Middle = len(withPct) - 2*chartEnds
		}
		ch.NoTarget = len(ranked) - len(withPct)
		ch.Hidden = len(ranked) - len(drawn)
	}
	ch.Shown = len(drawn)
	rows := 0
	for i, c := range drawn {
		if ch.Middle > 0 && i == chartEnds { // the row that stands for the middle
			ch.GapY = chartTop + rows*rowHeight + 24
			rows++
		}
		y := chartTop + rows*rowHeight
		rows++
		b := bar{Code: c.Code, Name: c.Name, Label: shorten(c.Name, 52), Class: c.Class, Y: y, LabelY: y + 13, BarY: y + 18, ValueY: y + 30}
		if c.QuotaPercent != nil {
			b.HasPct = true
			b.W = x(math.Max(*c.QuotaPercent, 0)) - chartLeft
			b.Value = vn.Percent(*c.QuotaPercent)
		} else {
			b.Value = "chưa giao chỉ tiêu"
		}
		b.ValueX = chartLeft + b.W + 4
		ch.Bars = append(ch.Bars, b)
	}
	if ch.NoTarget > 0 && ch.Hidden > 0 {
		ch.NoteY = chartTop + rows*rowHeight + 24
		rows++
	}
	ch.AxisY = chartTop + rows*rowHeight + 4
	ch.Height = ch.AxisY + 24
	for p := 0.0; p <= scaleMax+0.001; p += step {
		t := tick{X: x(p), Label: vn.Int(int(p)) + " %", Anchor: "middle"}
		if p == 0 {
			t.Anchor = "start"
		}
		ch.Ticks = append(ch.Ticks, t)
	}
	return ch
}

// shorten cuts a name to at most n runes, ending it with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
