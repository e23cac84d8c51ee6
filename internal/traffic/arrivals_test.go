package traffic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// processes used by the statistical tests; window is how long to run.
var statCases = []struct {
	name   string
	a      scenario.Arrivals
	window time.Duration
}{
	{"poisson 50/s", scenario.Arrivals{Type: "poisson", Rate: 50}, time.Hour},
	{"poisson 1/h", scenario.Arrivals{Type: "poisson", Rate: 1.0 / 3600}, 2000 * time.Hour},
	{"poisson 10000/s", scenario.Arrivals{Type: "poisson", Rate: 10000}, time.Minute},
	{"ramp", scenario.Arrivals{Type: "ramp", Stages: []scenario.Stage{
		{For: dur("10m"), To: 200}, {For: dur("5m"), To: 200}, {For: dur("5m"), To: 0},
		{For: dur("10m"), To: 0}, {For: dur("10m"), To: 20},
	}}, time.Hour},
	{"diurnal", scenario.Arrivals{Type: "diurnal", Rate: 2, Amplitude: 1, Period: dur("1h"), Peak: dur("15m")}, 4 * time.Hour},
	{"spike", scenario.Arrivals{Type: "spike", Rate: 5, Spikes: []scenario.Spike{
		{At: dur("10m"), For: dur("1m"), Rate: 200},
		{At: dur("20m"), For: dur("5m")}, // no traffic
		{At: dur("40m"), For: dur("10m"), Factor: 4},
	}}, time.Hour},
}

// TestPoissonCountsWithinFiveSigma checks that Poisson arrivals land within
// 5 sigma of Mean, over the whole window and in each of 12 buckets (so the
// shape of the rate is followed, not only its total).
func TestPoissonCountsWithinFiveSigma(t *testing.T) {
	const buckets = 12
	for i, c := range statCases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewArrivals(c.a, rand.New(rand.NewPCG(uint64(i), 42)))
			if err != nil {
				t.Fatal(err)
			}
			width := c.window / buckets
			counts := make([]int, buckets)
			total := 0
			for {
				at, ok := a.Next()
				if !ok || at >= c.window {
					break
				}
				counts[at/width]++
				total++
			}
			check := func(what string, got int, mean float64) {
				t.Helper()
				if sigma := math.Sqrt(mean); math.Abs(float64(got)-mean) > 5*sigma+1e-9 {
					t.Errorf("%s: %d arrivals, mean %.1f: off by %.1f sigma", what, got, mean, (float64(got)-mean)/sigma)
				}
			}
			check("window", total, a.Mean(0, c.window))
			for b, n := range counts {
				from := time.Duration(b) * width
				check(fmt.Sprintf("bucket [%v, %v)", from, from+width), n, a.Mean(from, from+width))
			}
		})
	}
}

// TestPoissonDispersion tells a Poisson process from even spacing: counts in
// 1s buckets of a homogeneous process have variance equal to their mean.
func TestPoissonDispersion(t *testing.T) {
	a, err := NewArrivals(scenario.Arrivals{Type: "poisson", Rate: 10}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	counts := make([]float64, n)
	for {
		at, _ := a.Next()
		if at >= n*time.Second {
			break
		}
		counts[at/time.Second]++
	}
	mean, sq := 0.0, 0.0
	for _, c := range counts {
		mean += c
	}
	mean /= n
	for _, c := range counts {
		sq += (c - mean) * (c - mean)
	}
	index := sq / (n - 1) / mean
	// The dispersion index has a standard error of sqrt(2/(n-1)) = 0.032.
	if math.Abs(index-1) > 0.16 {
		t.Errorf("dispersion index of 1s counts = %.3f, want 1 ± 0.16 (mean %.2f)", index, mean)
	}
}

func TestConstantSpacingIsExact(t *testing.T) {
	for _, rate := range []float64{20, 3, 10000, 1.0 / 3600} {
		a, err := NewArrivals(scenario.Arrivals{Type: "constant", Rate: scenario.Rate(rate)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k := 1; k <= 10000; k++ {
			got, ok := a.Next()
			want := time.Duration(math.Round(float64(k) * 1e9 / rate))
			if !ok || got != want {
				t.Fatalf("rate %v/s: arrival %d at %v (ok %v), want %v", rate, k, got, ok, want)
			}
		}
	}
	a, _ := NewArrivals(scenario.Arrivals{Type: "constant", Rate: 20}, nil)
	prev, _ := a.Next()
	for range 1000 {
		at, _ := a.Next()
		if at-prev != 50*time.Millisecond {
			t.Fatalf("constant 20/s: gap %v after %v, want exactly 50ms", at-prev, prev)
		}
		prev = at
	}
}

// TestConstantSpacingFollowsRate checks process: constant on varying rates:
// the k-th arrival is where the expected count reaches k.
func TestConstantSpacingFollowsRate(t *testing.T) {
	for _, c := range statCases[3:] {
		t.Run(c.name, func(t *testing.T) {
			a := c.a
			a.Process = "constant"
			arr, err := NewArrivals(a, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k := 1; ; k++ {
				at, ok := arr.Next()
				if !ok || at >= c.window {
					if mean := arr.Mean(0, c.window); math.Abs(float64(k-1)-mean) > 1 {
						t.Errorf("%d arrivals in %v, want Mean = %v to within 1", k-1, c.window, mean)
					}
					break
				}
				if got := arr.Mean(0, at); math.Abs(got-float64(k)) > 1e-6*float64(k) {
					t.Fatalf("arrival %d at %v: Mean(0, t) = %.9f, want %d", k, at, got, k)
				}
			}
		})
	}
}

func TestArrivalsNonDecreasingAndZeroStretches(t *testing.T) {
	for i, c := range statCases {
		a, _ := NewArrivals(c.a, rand.New(rand.NewPCG(uint64(i), 7)))
		p, _ := NewProcess(c.a)
		prev := time.Duration(0)
		for range 20000 {
			at, ok := a.Next()
			if !ok {
				t.Fatalf("%s: arrivals ended at %v", c.name, prev)
			}
			if at < prev {
				t.Fatalf("%s: arrival %v before the previous one %v", c.name, at, prev)
			}
			if p.Rate(at) == 0 && p.Rate(at-time.Nanosecond) == 0 {
				t.Fatalf("%s: arrival at %v inside a stretch of rate 0", c.name, at)
			}
			prev = at
		}
	}
}

func TestArrivalsEndWhenRateStaysZero(t *testing.T) {
	ramp := scenario.Arrivals{Type: "ramp", Stages: []scenario.Stage{{For: dur("1m"), To: 100}, {For: dur("1m"), To: 0}}}
	for _, process := range []string{"poisson", "constant"} {
		ramp.Process = process
		a, err := NewArrivals(ramp, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			at, ok := a.Next()
			if !ok {
				break
			}
			if at > 2*time.Minute {
				t.Fatalf("%s: arrival at %v after the rate fell to 0 at 2m", process, at)
			}
			n++
		}
		if _, ok := a.Next(); ok {
			t.Errorf("%s: Next after the end returned an arrival", process)
		}
		if mean := a.Mean(0, time.Hour); math.Abs(float64(n)-mean) > 5*math.Sqrt(mean)+1 {
			t.Errorf("%s: %d arrivals, mean %.1f", process, n, mean)
		}
	}
	a, _ := NewArrivals(scenario.Arrivals{Type: "poisson"}, rand.New(rand.NewPCG(1, 2)))
	if at, ok := a.Next(); ok {
		t.Errorf("rate 0: got an arrival at %v", at)
	}
}

// TestMeanIsIntegralOfRate checks Mean's closed forms against a midpoint
// sum of Rate on a 1ms grid.
func TestMeanIsIntegralOfRate(t *testing.T) {
	for _, c := range statCases {
		a, _ := NewArrivals(c.a, rand.New(rand.NewPCG(1, 1)))
		from, to := c.window/7, c.window/7+10*time.Minute
		const h = time.Millisecond
		sum := 0.0
		for x := from; x < to; x += h {
			sum += a.Rate(x+h/2) * h.Seconds()
		}
		if got := a.Mean(from, to); math.Abs(got-sum) > 1e-6*max(sum, 1) {
			t.Errorf("%s: Mean(%v, %v) = %.9g, integral of Rate = %.9g", c.name, from, to, got, sum)
		}
	}
}

func TestArrivalsNextDoesNotAllocate(t *testing.T) {
	for _, c := range statCases {
		a, _ := NewArrivals(c.a, rand.New(rand.NewPCG(1, 1)))
		if n := testing.AllocsPerRun(1000, func() { a.Next() }); n != 0 {
			t.Errorf("%s: Next allocates %v times", c.name, n)
		}
	}
}

func BenchmarkArrivalsNext(b *testing.B) {
	for _, c := range append(statCases, struct {
		name   string
		a      scenario.Arrivals
		window time.Duration
	}{"constant 20/s", scenario.Arrivals{Type: "constant", Rate: 20}, 0}, struct {
		name   string
		a      scenario.Arrivals
		window time.Duration
	}{"diurnal constant spacing", scenario.Arrivals{Type: "diurnal", Process: "constant", Rate: 2, Amplitude: 1, Period: dur("1h")}, 0}) {
		b.Run(c.name, func(b *testing.B) {
			a, _ := NewArrivals(c.a, rand.New(rand.NewPCG(1, 1)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := a.Next(); !ok { // past 292 years
					a, _ = NewArrivals(c.a, rand.New(rand.NewPCG(1, 1)))
				}
			}
		})
	}
}
