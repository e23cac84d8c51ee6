package router

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// feedDeclines plays calls every gap with decline share p(t) until end and
// returns when add first reported an anomaly (-1: never).
func feedDeclines(d *declines, r *rand.Rand, gap, end time.Duration, p func(time.Duration) float64) time.Duration {
	for now := time.Duration(0); now < end; now += gap {
		if d.add(now, r.Float64() < p(now)) {
			return now
		}
	}
	return -1
}

func TestDeclinesQuietOnSteadyShare(t *testing.T) {
	for _, tt := range []struct {
		share float64
		gap   time.Duration
	}{{0.07, 70 * time.Millisecond}, {0.2, 20 * time.Millisecond}, {0.01, time.Second}} {
		d := newDeclines(time.Minute)
		r := rand.New(rand.NewPCG(1, 2))
		if at := feedDeclines(&d, r, tt.gap, 24*time.Hour, func(time.Duration) float64 { return tt.share }); at >= 0 {
			t.Errorf("steady %.0f%% declines every %v: anomaly at %v, want none in 24h", 100*tt.share, tt.gap, at)
		}
	}
}

func TestDeclinesCatchSpikeAndCreep(t *testing.T) {
	start := 20 * time.Minute
	tests := []struct {
		name   string
		p      func(time.Duration) float64
		within time.Duration
	}{
		{"spike to 40%", func(t time.Duration) float64 {
			if t >= start {
				return 0.4
			}
			return 0.07
		}, 15 * time.Second},
		{"creep of a point a minute", func(t time.Duration) float64 {
			if t < start {
				return 0.07
			}
			return 0.07 + 0.01*(t-start).Minutes()
		}, 10 * time.Minute},
	}
	for _, tt := range tests {
		d := newDeclines(time.Minute)
		r := rand.New(rand.NewPCG(3, 4))
		at := feedDeclines(&d, r, 70*time.Millisecond, 2*time.Hour, tt.p)
		if at < start || at > start+tt.within {
			t.Errorf("%s from %v: anomaly at %v, want within %v of the start", tt.name, start, at, tt.within)
		}
	}
}

func TestDeclinesProbesJudgeAReturn(t *testing.T) {
	d := newDeclines(time.Minute)
	r := rand.New(rand.NewPCG(5, 6))
	feedDeclines(&d, r, 70*time.Millisecond, 30*time.Minute, func(time.Duration) float64 { return 0.07 })
	verdict := func(share float64) probeVerdict {
		var v probeVerdict
		for i := range declineProbes {
			v = d.probe(float64(i) < share*declineProbes)
		}
		return v
	}
	if v := verdict(0.5); v != probeBad {
		t.Errorf("probes with 50%% declines: %v, want bad", v)
	}
	if v := verdict(0.05); v != probeGood {
		t.Errorf("probes with 5%% declines: %v, want good", v)
	}
}

func TestLogPoissonSF(t *testing.T) {
	tests := []struct {
		k      int
		lambda float64
		want   float64 // P(X >= k)
	}{
		{1, 1, 1 - math.Exp(-1)},
		{3, 1, 1 - math.Exp(-1)*(1+1+0.5)},
		{5, 0.6, 1 - math.Exp(-0.6)*(1+0.6+0.18+0.036+0.0054)},
	}
	for _, tt := range tests {
		if got := math.Exp(logPoissonSF(tt.k, tt.lambda)); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("P(Poisson(%v) >= %d) = %g, want %g", tt.lambda, tt.k, got, tt.want)
		}
	}
}
