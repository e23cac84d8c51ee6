package sweep

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/scenario"
)

// d is a time reached; never is nil.
func d(s string) *time.Duration {
	v, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &v
}

func ds(xs ...string) []*time.Duration {
	out := make([]*time.Duration, len(xs))
	for i, x := range xs {
		if x != "never" {
			out[i] = d(x)
		}
	}
	return out
}

func show(t *time.Duration) string {
	if t == nil {
		return "never"
	}
	return t.String()
}

func TestMedianWorst(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in            []string
		median, worst string
	}{
		{in: nil, median: "never", worst: "never"},
		{in: []string{"30s"}, median: "30s", worst: "30s"},
		{in: []string{"never"}, median: "never", worst: "never"},
		{in: []string{"3m0s", "1m0s", "2m0s"}, median: "2m0s", worst: "3m0s"},
		// Even count: the lower of the two middle values.
		{in: []string{"4m0s", "1m0s", "3m0s", "2m0s"}, median: "2m0s", worst: "4m0s"},
		// Never is worse than any time.
		{in: []string{"never", "10s", "20s"}, median: "20s", worst: "never"},
		{in: []string{"10s", "never"}, median: "10s", worst: "never"},
		{in: []string{"never", "never", "10s"}, median: "never", worst: "never"},
		{in: []string{"never", "10s", "never", "20s"}, median: "20s", worst: "never"},
	} {
		in := ds(tc.in...)
		before := cmp.Diff(in, ds(tc.in...))
		if got := show(Median(in)); got != tc.median {
			t.Errorf("Median(%q) = %s, want %s", tc.in, got, tc.median)
		}
		if got := show(Worst(in)); got != tc.worst {
			t.Errorf("Worst(%q) = %s, want %s", tc.in, got, tc.worst)
		}
		if before != "" || !cmp.Equal(in, ds(tc.in...)) {
			t.Errorf("Median/Worst(%q) reordered their input to %v", tc.in, in)
		}
	}
}

func TestMeets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		worst  *time.Duration
		target time.Duration
		want   bool
	}{
		{d("9m59s"), 10 * time.Minute, true},
		{d("10m"), 10 * time.Minute, true}, // within: the limit itself counts
		{d("10m10s"), 10 * time.Minute, false},
		{nil, 10 * time.Minute, false},
		{nil, time.Hour, false},
		{d("0s"), time.Minute, true},
	} {
		if got := Meets(tc.worst, tc.target); got != tc.want {
			t.Errorf("Meets(%s, %v) = %v, want %v", show(tc.worst), tc.target, got, tc.want)
		}
	}
}

func TestMeetsFrom(t *testing.T) {
	t.Parallel()
	rows := func(meets ...bool) []Row {
		var out []Row
		for i, m := range meets {
			out = append(out, Row{RatePerS: float64(i + 1), Meets: m})
		}
		return out
	}
	for _, tc := range []struct {
		rows []Row
		want int
	}{
		{rows(), -1},
		{rows(true), 0},
		{rows(false), -1},
		{rows(false, false, true, true), 2},
		{rows(true, true, true), 0},
		// A higher rate that fails again breaks the run: from the last stretch only.
		{rows(false, true, false, true), 3},
		{rows(true, true, false), -1},
	} {
		var meets []bool
		for _, r := range tc.rows {
			meets = append(meets, r.Meets)
		}
		if got := MeetsFrom(tc.rows); got != tc.want {
			t.Errorf("MeetsFrom(%v) = %d, want %d", meets, got, tc.want)
		}
	}
}

// handMade is a sweep of two rates by two routers over three seeds, with
// two faults; the second fault has its own 2m target.
func handMade() *Result {
	return &Result{
		Scenario: "drill",
		Faults:   []Fault{{Name: "a-frozen", Type: "suspend", Target: 10 * time.Minute}, {Name: "b-silent", Type: "silent", Target: 2 * time.Minute}},
		Seeds:    []uint64{7, 8, 9},
		Cells: []Cell{
			{Rate: scenario.Rate(1.0 / 60), Router: "health",
				Detect:   [][]*time.Duration{ds("5m", "never", "6m"), ds("1m", "1m", "1m")},
				Failover: [][]*time.Duration{ds("12m", "never", "8m"), ds("1m", "3m", "1m")}},
			{Rate: scenario.Rate(1.0 / 60), Router: "static",
				Detect:   [][]*time.Duration{ds("never", "never", "never"), ds("never", "never", "never")},
				Failover: [][]*time.Duration{ds("never", "never", "never"), ds("never", "never", "never")}},
			{Rate: 1, Router: "health",
				Detect:   [][]*time.Duration{ds("10s", "20s", "10s"), ds("30s", "40s", "50s")},
				Failover: [][]*time.Duration{ds("20s", "30s", "1m"), ds("1m", "2m", "1m30s")}},
			{Rate: 1, Router: "static",
				Detect:   [][]*time.Duration{ds("never", "never", "never"), ds("never", "never", "never")},
				Failover: [][]*time.Duration{ds("never", "never", "never"), ds("never", "never", "never")}},
		},
	}
}

func f(v float64) *float64 { return &v }

func TestSummary(t *testing.T) {
	t.Parallel()
	tb := Summary(handMade(), 0)
	type brief struct {
		Fault, Rate, Router           string
		DetectMedian, DetectWorst     *float64
		FailoverMedian, FailoverWorst *float64
		Target                        float64
		Meets                         bool
	}
	var got []brief
	for _, r := range tb.Rows {
		got = append(got, brief{r.Fault, r.Rate, r.Router, r.DetectMedianS, r.DetectWorstS, r.FailoverMedianS, r.FailoverWorstS, r.TargetS, r.Meets})
	}
	want := []brief{
		{"a-frozen", "1/min", "health", f(360), nil, f(720), nil, 600, false},
		{"a-frozen", "1/min", "static", nil, nil, nil, nil, 600, false},
		{"a-frozen", "1/s", "health", f(10), f(20), f(30), f(60), 600, true},
		{"a-frozen", "1/s", "static", nil, nil, nil, nil, 600, false},
		{"b-silent", "1/min", "health", f(60), f(60), f(60), f(180), 120, false},
		{"b-silent", "1/min", "static", nil, nil, nil, nil, 120, false},
		{"b-silent", "1/s", "health", f(40), f(50), f(90), f(120), 120, true},
		{"b-silent", "1/s", "static", nil, nil, nil, nil, 120, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summary rows (-want +got):\n%s", diff)
	}
	wantFrom := []From{
		{Fault: "a-frozen", Router: "health", TargetS: 600, Rate: strp("1/s"), RatePerS: f(1)},
		{Fault: "a-frozen", Router: "static", TargetS: 600},
		{Fault: "b-silent", Router: "health", TargetS: 120, Rate: strp("1/s"), RatePerS: f(1)},
		{Fault: "b-silent", Router: "static", TargetS: 120},
	}
	if diff := cmp.Diff(wantFrom, tb.MeetsFrom); diff != "" {
		t.Errorf("Summary meets_from (-want +got):\n%s", diff)
	}
	if r := tb.Rows[0]; !cmp.Equal(r.FailoverS, []*float64{f(720), nil, f(480)}) || !cmp.Equal(r.Seeds, []uint64{7, 8, 9}) {
		t.Errorf("row 0 per seed: failover_s %v, seeds %v; want [720 null 480], [7 8 9]", r.FailoverS, r.Seeds)
	}

	// A target given overrides every fault's own: within 1h health meets
	// b-silent at 1/min too, but not a-frozen, where one seed never failed over.
	tb = Summary(handMade(), time.Hour)
	if tb.Rows[0].Meets || !tb.Rows[4].Meets || tb.Rows[4].TargetS != 3600 {
		t.Errorf("Summary with a 1h target: rows 0 and 4 meet %v, %v (target %g); want false (a seed never failed over), true, 3600",
			tb.Rows[0].Meets, tb.Rows[4].Meets, tb.Rows[4].TargetS)
	}
	if got := tb.MeetsFrom[2].Rate; got == nil || *got != "1/min" {
		t.Errorf("Summary with a 1h target: health meets b-silent from %v, want 1/min", got)
	}
}

// An interrupted cell never meets, whatever its partial times say.
func TestSummaryInterrupted(t *testing.T) {
	t.Parallel()
	r := handMade()
	r.Cells[2].Interrupted, r.Interrupted = true, true
	tb := Summary(r, 0)
	if !tb.Interrupted || !tb.Rows[2].Interrupted || tb.Rows[2].Meets {
		t.Errorf("interrupted cell: table interrupted %v, row interrupted %v, meets %v; want true, true, false",
			tb.Interrupted, tb.Rows[2].Interrupted, tb.Rows[2].Meets)
	}
	if tb.MeetsFrom[0].Rate != nil {
		t.Errorf("interrupted cell: health meets a-frozen from %v, want never", *tb.MeetsFrom[0].Rate)
	}
}

func strp(s string) *string { return &s }
