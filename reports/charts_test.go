package reports

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// chartReport is an hour in 10-minute points with one fault at 15m whose
// target is 10m, detected and failed over in the same bucket, and a
// second fault whose target falls after the run.
func chartReport() *Report {
	f := func(v float64) *float64 { return &v }
	return &Report{
		Faults: []Fault{{Name: "alpha-frozen", StartS: 900, EndS: 2700}, {Name: "late", StartS: 3300, EndS: 3500}},
		Expectations: []Expectation{
			{Name: "failover_within", Fault: "alpha-frozen", WantValue: 600},
			{Name: "failover_within", Fault: "late", WantValue: 600},
			{Name: "lost", WantValue: 0},
		},
		Series: &Series{
			BucketS: 600, StartS: []float64{0, 600, 1200, 1800, 2400, 3000},
			Conversion:         []*float64{f(0.9), f(0.5), nil, f(0.8), f(0.9), f(0.9)},
			BaselineConversion: 0.9,
			Share:              []NamedSeries{{Name: "alpha", Values: []*float64{f(1), f(0.5), f(0), f(0), f(1), f(1)}}},
			LatencyP50Ms:       []*float64{f(300), f(300), f(300), f(300), f(300), f(300)},
			LatencyP99Ms:       []*float64{f(900), f(900), f(900), f(900), f(900), f(900)},
			Marks:              []Mark{{Fault: "alpha-frozen", Kind: "detect", AtS: 930}, {Fault: "alpha-frozen", Kind: "failover", AtS: 930}},
		},
	}
}

// TestChartMarksTarget: a fault with failover_within gets a target mark
// at its start plus the limit; one whose target falls after the run
// gets none.
func TestChartMarksTarget(t *testing.T) {
	got := chartMarks(chartReport())
	want := []Mark{{Fault: "alpha-frozen", Kind: "detect", AtS: 930}, {Fault: "alpha-frozen", Kind: "failover", AtS: 930},
		{Fault: "alpha-frozen", Kind: "target", AtS: 1500}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chartMarks (-want +got):\n%s", diff)
	}
}

// TestCoincidingMarksBothShow: two moments at one time draw the same
// vertical line; each kind's dots must fall where no other kind's do, so
// both colours show. Walks the dash cycle in steps of a tenth of a point.
func TestCoincidingMarksBothShow(t *testing.T) {
	on := func(kind string, d float64) bool {
		st := markStyle(kind)
		var cycle float64
		for _, l := range st.Dashes {
			cycle += l.Points()
		}
		pos := math.Mod(d+st.DashOffs.Points(), cycle)
		// Dashes alternate on, off.
		for i, l := range st.Dashes {
			if pos < l.Points() {
				return i%2 == 0
			}
			pos -= l.Points()
		}
		return false
	}
	shown := map[string]float64{}
	for d := 0.05; d < 36; d += 0.1 {
		var at []string
		for _, k := range markKinds {
			if on(k, d) {
				at = append(at, k)
				shown[k] += 0.1
			}
		}
		if len(at) > 1 {
			t.Fatalf("at %.2f points along the line %v all draw: one hides the other", d, at)
		}
	}
	for _, k := range markKinds {
		if shown[k] < 5 {
			t.Errorf("%s draws %.1f of 36 points: want a third", k, shown[k])
		}
	}
	if st := markStyle("target"); len(st.Dashes) != 0 || st.Width < vg.Points(1) {
		t.Errorf("target style %+v: want a solid line", st)
	}
}

// TestMinuteTicks: the time axis gets at most 12 intervals at a round
// step, labelled as durations.
func TestMinuteTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, tk := range ts {
			out = append(out, tk.Label)
		}
		return out
	}
	tests := []struct {
		lo, hi float64
		want   []string
	}{
		{0, 60, []string{"0", "5m", "10m", "15m", "20m", "25m", "30m", "35m", "40m", "45m", "50m", "55m", "1h"}},
		{0, 11, []string{"0", "1m", "2m", "3m", "4m", "5m", "6m", "7m", "8m", "9m", "10m", "11m"}},
		{0, 180, []string{"0", "15m", "30m", "45m", "1h", "1h15m", "1h30m", "1h45m", "2h", "2h15m", "2h30m", "2h45m", "3h"}},
		{0, 2880, []string{"0", "6h", "12h", "18h", "24h", "30h", "36h", "42h", "48h"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, labels(minuteTicks{}.Ticks(tt.lo, tt.hi))); diff != "" {
			t.Errorf("ticks %v..%v minutes (-want +got):\n%s", tt.lo, tt.hi, diff)
		}
	}
}

// TestChartsSansAndPercent: chart text is in a sans-serif family with
// fallbacks (never the serif gonum draws by default), conversion is
// drawn in %, and the target is named in the legend.
func TestChartsSansAndPercent(t *testing.T) {
	charts, err := Charts(chartReport())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		if strings.Contains(c.SVG, "Serif;") || !strings.Contains(c.SVG, sansFamily) {
			t.Errorf("chart %q: font families %q, want only %q", c.Title, families(c.SVG), sansFamily)
		}
		if !strings.Contains(c.SVG, ">fail-over target<") {
			t.Errorf("chart %q: no fail-over target in the legend", c.Title)
		}
	}
	if !strings.Contains(charts[0].SVG, ">conversion (%)<") {
		t.Errorf("conversion chart's axis is not labelled in %%")
	}
	p := newPlot()
	lg := plot.NewLegend()
	if err := conversionChart(p, &lg, chartReport()); err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0 || p.Y.Max != 100 {
		t.Errorf("conversion axis %v..%v, want 0..100", p.Y.Min, p.Y.Max)
	}
	half := 0.5
	if got := percents([]*float64{&half, nil}); *got[0] != 50 || got[1] != nil {
		t.Errorf("percents(0.5, nil) = %v, %v; want 50, nil", *got[0], got[1])
	}
}

func families(svg string) []string {
	var out []string
	for _, part := range strings.Split(svg, "font-family:")[1:] {
		f, _, _ := strings.Cut(part, ";")
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// TestAnswerNotJudged: a fault without a failover_within expectation
// says so beside its time, so "never" next to PASS reads as intended.
func TestAnswerNotJudged(t *testing.T) {
	r := chartReport()
	r.Expectations = r.Expectations[2:]
	got := Answers(r)
	want := []Answer{
		{Fault: "alpha-frozen", Text: "never failed over (not judged: failover_within off)"},
		{Fault: "late", Text: "never failed over (not judged: failover_within off)"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Answers without failover_within (-want +got):\n%s", diff)
	}
}
