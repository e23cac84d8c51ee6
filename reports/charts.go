package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is one chart of a report drawn as an SVG document (without the
// XML declaration, ready to inline in HTML).
type Chart struct {
	Title string
	SVG   string
}

// palette colours series in order; markColors the moments of a fault.
var (
	palette = []color.RGBA{
		{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
		{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff},
	}
	markColors = map[string]color.RGBA{
		"detect":   {0xd6, 0x27, 0x28, 0xff},
		"failover": {0x2c, 0xa0, 0x2c, 0xff},
		"failback": {0x94, 0x67, 0xbd, 0xff},
	}
	shade = color.NRGBA{0xff, 0xc8, 0x50, 0x59}
	// targetColor draws the fail-over target: the fault's start plus its
	// failover_within.
	targetColor = color.RGBA{0x22, 0x22, 0x22, 0xff}
)

// markKinds are the moments a chart marks, in legend order. Each kind
// draws its dashes in its own third of a 9-point cycle (markStyle), so
// two moments at one time (detect and fail-over in the same bucket)
// show as alternating colours rather than one line hiding the other.
var markKinds = []string{"detect", "failover", "failback"}

// chartFont is the face the charts measure text with: Liberation Sans,
// metric-compatible with Arial and Helvetica, which the SVG names after
// it (sansFamily) so the charts read in the page's sans-serif.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// sansFamily replaces the single family vgsvg writes, so a browser
// without Liberation Sans falls back to a metric-compatible sans-serif
// instead of its default serif.
const sansFamily = "font-family:Liberation Sans,Arial,Helvetica,sans-serif;"

// Charts draws the report's series: conversion against baseline, traffic
// share per provider (stacked), checkout latency p50/p99 and fault-hit
// rate, each with the fault windows shaded and the moments of detection,
// fail-over and fail-back marked. A report without series has no charts.
func Charts(r *Report) ([]Chart, error) {
	s := r.Series
	if s == nil || len(s.StartS) == 0 {
		return nil, nil
	}
	builders := []struct {
		title string
		build func(*plot.Plot, *plot.Legend, *Report) error
	}{
		{"Conversion against baseline", conversionChart},
		{"Traffic share per provider (first attempts, stacked)", shareChart},
		{"Checkout latency p50 / p99", latencyChart},
		{"Fault-hit rate", faultHitChart},
	}
	var out []Chart
	for _, b := range builders {
		p := newPlot()
		lg := plot.NewLegend()
		p.X.Label.Text = "time since start"
		p.X.Min, p.X.Max = 0, minutes(s.StartS[len(s.StartS)-1]+s.BucketS)
		p.X.Tick.Marker = minuteTicks{}
		p.Add(windows{r: r})
		if err := b.build(p, &lg, r); err != nil {
			return nil, fmt.Errorf("chart %q: %w", b.title, err)
		}
		ms := chartMarks(r)
		p.Add(marks(ms))
		addMarkLegend(&lg, ms)
		svg, err := toSVG(p, lg)
		if err != nil {
			return nil, fmt.Errorf("chart %q: %w", b.title, err)
		}
		out = append(out, Chart{Title: b.title, SVG: svg})
	}
	return out, nil
}

func conversionChart(p *plot.Plot, legend *plot.Legend, r *Report) error {
	s := r.Series
	// In %, as the summaries write conversion.
	p.Y.Label.Text = "conversion (%)"
	p.Y.Min, p.Y.Max = 0, 100
	if err := addLine(p, legend, "conversion", s.StartS, s.BucketS, percents(s.Conversion), palette[0], false); err != nil {
		return err
	}
	b := 100 * s.BaselineConversion
	base := []*float64{&b, &b}
	// Drawn at each point's middle: from the run's start to its end.
	xs := []float64{-s.BucketS / 2, s.StartS[len(s.StartS)-1] + s.BucketS/2}
	return addLine(p, legend, "baseline", xs, s.BucketS, base, palette[7], true)
}

func shareChart(p *plot.Plot, legend *plot.Legend, r *Report) error {
	s := r.Series
	p.Y.Label.Text = "share of first attempts"
	p.Y.Min, p.Y.Max = 0, 1
	// Each provider is a band between the sum of the shares before it and
	// that sum plus its own share (a point with no traffic counts as 0).
	lower := make([]float64, len(s.StartS))
	for i, ns := range s.Share {
		upper := make([]float64, len(lower))
		for j := range lower {
			upper[j] = lower[j]
			if v := ns.Values[j]; v != nil {
				upper[j] += *v
			}
		}
		var pts plotter.XYs
		for j, x := range s.StartS {
			pts = append(pts, plotter.XY{X: minutes(x + s.BucketS/2), Y: upper[j]})
		}
		for j := len(s.StartS) - 1; j >= 0; j-- {
			pts = append(pts, plotter.XY{X: minutes(s.StartS[j] + s.BucketS/2), Y: lower[j]})
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return err
		}
		c := palette[i%len(palette)]
		poly.Color = color.NRGBA{c.R, c.G, c.B, 0xcc}
		poly.LineStyle.Width = 0
		p.Add(poly)
		legend.Add(ns.Name, poly)
		lower = upper
	}
	return nil
}

func latencyChart(p *plot.Plot, legend *plot.Legend, r *Report) error {
	s := r.Series
	p.Y.Label.Text = "checkout latency (ms)"
	p.Y.Min = 0
	if err := addLine(p, legend, "p50", s.StartS, s.BucketS, s.LatencyP50Ms, palette[0], false); err != nil {
		return err
	}
	return addLine(p, legend, "p99", s.StartS, s.BucketS, s.LatencyP99Ms, palette[1], false)
}

func faultHitChart(p *plot.Plot, legend *plot.Legend, r *Report) error {
	s := r.Series
	p.Y.Label.Text = "share of attempts hit"
	for i, ns := range s.FaultHits {
		if err := addLine(p, legend, ns.Name, s.StartS, s.BucketS, ns.Values, palette[i%len(palette)], false); err != nil {
			return err
		}
	}
	// Scaled to the data, from 0 and at least to 5 %.
	p.Y.Min, p.Y.Max = 0, max(p.Y.Max, 0.05)
	return nil
}

// percents gives each share as a percentage; nil stays nil.
func percents(vals []*float64) []*float64 {
	out := make([]*float64, len(vals))
	for i, v := range vals {
		if v != nil {
			pc := 100 * *v
			out[i] = &pc
		}
	}
	return out
}

// addLine adds a line at the middle of each point; a null value breaks
// the line.
func addLine(p *plot.Plot, legend *plot.Legend, name string, starts []float64, width float64, vals []*float64, c color.RGBA, dashed bool) error {
	var seg plotter.XYs
	named := false
	flush := func() error {
		if len(seg) == 0 {
			return nil
		}
		l, err := plotter.NewLine(seg)
		if err != nil {
			return err
		}
		l.Color = c
		l.Width = vg.Points(1.2)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		if !named {
			legend.Add(name, l)
			named = true
		}
		seg = nil
		return nil
	}
	for i, v := range vals {
		if v == nil {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		seg = append(seg, plotter.XY{X: minutes(starts[i] + width/2), Y: *v})
	}
	return flush()
}

// windows shades each fault's window over the whole height.
type windows struct{ r *Report }

func (w windows) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, f := range w.r.Faults {
		x0, x1 := tx(minutes(f.StartS)), tx(minutes(f.EndS))
		y0, y1 := ty(p.Y.Min), ty(p.Y.Max)
		c.FillPolygon(shade, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
	}
}

// chartMarks is what the charts mark with vertical lines: the series'
// moments of detection, fail-over and fail-back, and per fault with a
// failover_within expectation its target (kind "target"): the fault's
// start plus the limit: the fail-over line should lie left of it.
func chartMarks(r *Report) []Mark {
	ms := slices.Clone(r.Series.Marks)
	s := r.Series
	end := s.StartS[len(s.StartS)-1] + s.BucketS
	for _, f := range r.Faults {
		for _, x := range r.Expectations {
			// A target after the run's end is not drawn (nor named).
			if x.Name == "failover_within" && x.Fault == f.Name && x.WantValue > 0 && f.StartS+x.WantValue <= end {
				ms = append(ms, Mark{Fault: f.Name, Kind: "target", AtS: f.StartS + x.WantValue})
			}
		}
	}
	return ms
}

// marks draws a vertical line at each mark.
type marks []Mark

func (m marks) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, mk := range m {
		x := tx(minutes(mk.AtS))
		st := markStyle(mk.Kind)
		c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x, Y: ty(p.Y.Min)}, {X: x, Y: ty(p.Y.Max)}})...)
	}
}

// markStyle draws the target solid and dark; the moments dotted in
// their colours, each in its own third of the dash cycle: on for 3 of 9
// points, starting 3 points after the kind before it.
func markStyle(kind string) draw.LineStyle {
	if kind == "target" {
		return draw.LineStyle{Color: targetColor, Width: vg.Points(1)}
	}
	const on = 3
	i := slices.Index(markKinds, kind)
	cycle := vg.Points(on * float64(len(markKinds)))
	// stroke-dashoffset o draws at path length d what the pattern has at
	// d+o: kind i is on from i*on to (i+1)*on.
	offs := vg.Length(0)
	if i > 0 {
		offs = cycle - vg.Points(on*float64(i))
	}
	return draw.LineStyle{Color: markColors[kind], Width: vg.Points(1.5),
		Dashes: []vg.Length{vg.Points(on), cycle - vg.Points(on)}, DashOffs: offs}
}

// addMarkLegend names the kinds of marks the chart has.
func addMarkLegend(legend *plot.Legend, ms []Mark) {
	for _, kind := range append(slices.Clone(markKinds), "target") {
		for _, mk := range ms {
			if mk.Kind == kind {
				name := kind
				if kind == "target" {
					name = "fail-over target"
				}
				legend.Add(name, legendLine{markStyle(kind)})
				break
			}
		}
	}
}

// minuteTicks labels the time axis (in minutes) every 1, 2, 5, 10, 15 or
// 30 minutes, or 1, 2, 3, 6, 12 or 24 hours: the smallest step giving at
// most 12 intervals. Labels are durations (10m, 1h, 1h30m).
type minuteTicks struct{}

func (minuteTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 0.0
	for _, st := range []float64{1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440} {
		step = st
		if (hi-lo)/st <= 12 {
			break
		}
	}
	for (hi-lo)/step > 12 {
		step *= 2
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		label := "0"
		if v != 0 {
			label = shortDur(v * 60)
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}

// newPlot is plot.New with every text in chartFont.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, st := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label} {
		st.Font = font.From(chartFont, st.Font.Size)
	}
	return p
}

type legendLine struct{ st draw.LineStyle }

func (l legendLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.st, c.Min.X, y, c.Max.X, y)
}

// legendWidth is the strip right of the plot that holds the legend.
const legendWidth = 1.5 * vg.Inch

func toSVG(p *plot.Plot, l plot.Legend) (string, error) {
	c := vgsvg.New(7.5*vg.Inch, 2.6*vg.Inch)
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, 0, -legendWidth, 0, 0))
	l.Top, l.Left = true, true
	l.TextStyle.Font = font.From(chartFont, vg.Points(10))
	l.Draw(draw.Crop(dc, dc.Max.X-legendWidth+vg.Points(8), 0, 0, -vg.Points(8)))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return strings.ReplaceAll(s, "font-family:Liberation Sans;", sansFamily), nil
}

func minutes(s float64) float64 { return s / 60 }
