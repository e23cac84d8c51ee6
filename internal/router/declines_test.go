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
		if got := math.Exp(logPoissonSF(tt.k, tt.lambda)); !(math.Abs(got-tt.want) <= 1e-9) { // NaN fails
			t.Errorf("P(Poisson(%v) >= %d) = %g, want %g", tt.lambda, tt.k, got, tt.want)
		}
	}
}

// withBase is a declines whose learned share is d/n (n calls of history).
func withBase(n, d float64) declines {
	x := newDeclines(time.Minute)
	x.baseN, x.baseD = n, d
	return x
}

// An anomaly is a share more than declineMin above the learned one and
// improbable for it: however many calls show it, a rise of 3 points or
// less is not one; a small rise over a few calls is chance.
func TestDeclinesAnomalous(t *testing.T) {
	for _, tt := range []struct {
		name      string
		n, f      int
		base      [2]float64 // calls, declines of history
		anomalous bool
	}{
		{"2 points over a million calls", 1000000, 270000, [2]float64{4, 1}, false},
		{"exactly 3 points over a million calls", 1000000, 280000, [2]float64{4, 1}, false},
		{"4 points over a million calls", 1000000, 290000, [2]float64{4, 1}, true},
		{"7% to 40% over 60 calls", 60, 24, [2]float64{100, 7}, true},
		{"7% to 15% over 60 calls", 60, 9, [2]float64{100, 7}, false},
	} {
		d := withBase(tt.base[0], tt.base[1])
		if got := anomalousAt(d.base(), tt.n, tt.f, float64(tt.f)/float64(tt.n)); got != tt.anomalous {
			t.Errorf("%s (%v declines of %v calls, base %v/%v): anomalous = %v, want %v",
				tt.name, tt.f, tt.n, tt.base[1], tt.base[0], got, tt.anomalous)
		}
	}
}

// Probes judge a return against the learned share plus 3 standard
// deviations of a share of declineProbes calls (sqrt(b(1-b)/20)), at least
// declineMin above it; the deviation uses a share of at least 1% (b(1-b)
// >= 0.01) so that a clean history is not judged by zero.
func TestDeclinesProbeThreshold(t *testing.T) {
	for _, tt := range []struct {
		name     string
		base     [2]float64
		declined int // of declineProbes
		want     probeVerdict
	}{
		// 7%: 0.07 + 3·sqrt(0.07·0.93/20) = 0.241.
		{"7% history, 4 of 20 declined", [2]float64{100, 7}, 4, probeGood},
		{"7% history, 5 of 20 declined", [2]float64{100, 7}, 5, probeBad},
		// 0%: 0 + 3·sqrt(0.01/20) = 0.067: one decline of 20 (0.05) passes, two do not.
		{"clean history, 1 of 20 declined", [2]float64{100, 0}, 1, probeGood},
		{"clean history, 2 of 20 declined", [2]float64{100, 0}, 2, probeBad},
	} {
		d := withBase(tt.base[0], tt.base[1])
		var v probeVerdict
		for i := range declineProbes {
			v = d.probe(i < tt.declined)
		}
		if v != tt.want {
			t.Errorf("%s: verdict %v, want %v", tt.name, v, tt.want)
		}
		if d.probeN != 0 || d.probeD != 0 {
			t.Errorf("%s: %d probes (%d declined) kept after the verdict, want none", tt.name, d.probeN, d.probeD)
		}
	}
}

// A window is judged once it holds declineSamples calls and the history
// declineLearn calls: every call declined, at a 7% history.
func TestDeclinesJudgeFromSamplesAndHistory(t *testing.T) {
	for _, tt := range []struct {
		name    string
		history float64 // calls learned
		before  int     // calls already in the window, all declined
		want    bool
	}{
		{"the 50th call, 500 learned", declineLearn, declineSamples - 1, true},
		{"the 49th call, 500 learned", declineLearn, declineSamples - 2, false},
		{"the 50th call, just under 500 learned", declineLearn - 0.01, declineSamples - 1, false},
	} {
		d := withBase(tt.history, 0.07*tt.history)
		for k := range tt.before {
			d.win.add(time.Duration(k)*time.Millisecond, true)
		}
		if got := d.add(time.Second, true); got != tt.want {
			t.Errorf("%s: anomaly = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// History learns from a full window only while its share is within a
// third of the way from the learned share to the learning threshold
// (at 7% over 50 calls: 0.07 + 4.5·sqrt(0.07·0.93/50)/3 = 0.124), so a
// creep stops teaching it early.
func TestDeclinesLearnOnlyNormalWindows(t *testing.T) {
	keep := 1 - 1.0/declineMemory
	for _, tt := range []struct {
		name     string
		declined int // of the window's 50 calls, the last one declined
		learns   bool
	}{
		{"5 of 50 declined", 5, true},
		{"8 of 50 declined", 8, false},
		{"10 of 50 declined", 10, false},
	} {
		d := withBase(1000, 70)
		for k := range declineSamples - 1 {
			d.win.add(time.Duration(k)*time.Millisecond, k < tt.declined-1)
		}
		if d.add(time.Second, true) {
			t.Fatalf("%s: an anomaly", tt.name)
		}
		n, f := 1000.0, 70.0
		if tt.learns {
			n, f = n*keep+1, f*keep+1
		}
		if math.Abs(d.baseN-n) > 1e-9 || math.Abs(d.baseD-f) > 1e-9 {
			t.Errorf("%s: history %v calls, %v declined; want %v, %v", tt.name, d.baseN, d.baseD, n, f)
		}
	}
}
