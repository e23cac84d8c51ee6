package router

import (
	"math"
	"time"
)

// silence detects an async provider whose payments stopped being paid:
// a silent freeze (buyers cannot pay) or a notification blackout.
//
// It counts payments accepted and later paid by the bin of their
// acceptance, and learns from matured history (bins at least `mature`
// old, so that slow payers are not missing from what it learned) G(a),
// the share of payments paid within a of acceptance. Then it asks, for
// every recent stretch of bins, whether so few payments were paid that a
// healthy provider would almost never do it: with E = Σ accepted·G(age)
// payments expected paid by now and O observed, it suspects the provider
// when O < E/3 and P(Poisson(E) <= O) < alpha. The test adapts to traffic: a busy
// provider is caught in seconds, a quiet one takes as long as the
// evidence needs.
type silence struct {
	bins     [silenceBins]sbin
	delays   [delayBins]int64 // paid delays of matured bins, log-spaced
	matAcc   int64            // accepted in matured bins
	matPaid  int64            // of those, paid (within the horizon)
	nextEval time.Duration
}

type sbin struct {
	epoch     int64 // bin number since run start, +1 (0 = empty)
	acc, paid int32
	folded    bool // its delays are in the learned history
	delays    [delayBins]int32
}

const (
	silenceBin  = 5 * time.Second
	silenceBins = 180 // a 15-minute horizon
	// mature is the age at which a bin's payments join the learned history.
	mature     = 10 * time.Minute
	delayBins  = 64
	delayBase  = float64(time.Second)
	delayRatio = 1.15
	// alpha is the false-alarm probability of one test.
	alpha = 1e-5
	// warmup is the fewest matured paid payments before the test runs.
	warmup = 30
	// silenceShortfall: a stretch is suspect only when fewer than a third
	// of the payments expected paid were.
	silenceShortfall = 3
)

var logAlpha = math.Log(alpha)

func newSilence() silence { return silence{} }

// binEdges[i] is the upper edge of delay bin i.
var binEdges = func() (e [delayBins]float64) {
	for i := range e {
		e[i] = delayBase * math.Pow(delayRatio, float64(i))
	}
	return e
}()

// interpolate reads the cumulative g at age, linearly between bin edges
// (reading a bin's upper edge would make every age look up to 15% older).
func interpolate(g *[delayBins]float64, age time.Duration) float64 {
	i := delayBin(age)
	if i == 0 || i == delayBins-1 {
		return g[i]
	}
	lo, hi := binEdges[i-1], binEdges[i]
	f := (float64(age) - lo) / (hi - lo)
	return g[i-1] + f*(g[i]-g[i-1])
}

func delayBin(d time.Duration) int {
	if float64(d) <= delayBase {
		return 0
	}
	b := int(math.Log(float64(d)/delayBase)/math.Log(delayRatio)) + 1
	return min(b, delayBins-1)
}

func (s *silence) accepted(now time.Duration) {
	e := int64(now/silenceBin) + 1
	b := &s.bins[e%silenceBins]
	if b.epoch != e {
		s.fold(b)
		*b = sbin{epoch: e}
	}
	b.acc++
}

func (s *silence) paid(now, age time.Duration) {
	e := int64((now-age)/silenceBin) + 1
	if b := &s.bins[e%silenceBins]; b.epoch == e {
		b.paid++
		b.delays[delayBin(age)]++
	}
}

// fold adds a bin's payments to the learned history once, if it matured.
func (s *silence) fold(b *sbin) {
	if b.epoch == 0 || b.folded {
		return
	}
	b.folded = true
	s.matAcc += int64(b.acc)
	s.matPaid += int64(b.paid)
	for i, n := range b.delays {
		s.delays[i] += int64(n)
	}
}

// forget drops the evidence in the horizon (after an ejection or a
// restore), keeping what was learned from matured bins.
func (s *silence) forget() {
	for i := range s.bins {
		s.bins[i] = sbin{}
	}
}

// suspect runs the test, at most once a second.
func (s *silence) suspect(now time.Duration) bool {
	if now < s.nextEval {
		return false
	}
	s.nextEval = now + time.Second
	cur := int64(now/silenceBin) + 1
	for k := int64(0); k < silenceBins; k++ {
		e := cur - k
		if e <= 0 {
			break
		}
		if b := &s.bins[e%silenceBins]; b.epoch == e && !b.folded && now-time.Duration(e)*silenceBin >= mature {
			s.fold(b)
		}
	}
	if s.matPaid < warmup || s.matAcc == 0 {
		return false
	}
	// G(a): share of matured payments paid within a.
	var g [delayBins]float64
	run := 0.0
	for i, n := range s.delays {
		run += float64(n)
		g[i] = run / float64(s.matAcc)
	}
	expected, observed := 0.0, 0
	for k := int64(0); k < silenceBins; k++ {
		e := cur - k
		if e <= 0 {
			break
		}
		b := &s.bins[e%silenceBins]
		if b.epoch != e {
			continue
		}
		age := now - (time.Duration(e-1)*silenceBin + silenceBin/2)
		if age > 0 {
			expected += float64(b.acc) * interpolate(&g, age)
		}
		observed += int(b.paid)
		// The learned G is an estimate: a provider's buyers pay a little
		// slower some hours than others. Asking for a third of what is
		// expected, not merely fewer, keeps the test honest on busy
		// providers, where any bias would otherwise be "significant".
		if expected > 8 && float64(observed) < expected/silenceShortfall && logPoissonCDF(observed, expected) < logAlpha {
			return true
		}
	}
	return false
}

// logPoissonCDF is log P(X <= k) for X ~ Poisson(lambda), for k < lambda:
// summed from the largest term (j = k) down, in log space.
func logPoissonCDF(k int, lambda float64) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	sum, term := 1.0, 1.0
	for j := k; j >= 1; j-- {
		term *= float64(j) / lambda
		sum += term
		if term < 1e-17 {
			break
		}
	}
	return -lambda + float64(k)*math.Log(lambda) - lg + math.Log(sum)
}
