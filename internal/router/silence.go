package router

import (
	"math"
	"time"
)

// silence detects an async provider whose payments stopped being paid:
// a silent freeze (buyers cannot pay) or a notification blackout.
//
// It counts payments accepted and later paid by the bin of their
// acceptance, learns from history how long buyers take to pay (an
// empirical distribution F) and what share pay at all (c), and asks, for
// every recent stretch of bins, whether so few payments were paid that a
// healthy provider would almost never do it: with E = Σ accepted·c·F(age)
// payments expected paid by now and O observed, it suspects the provider
// when P(Poisson(E) <= O) < alpha. The test adapts to traffic: a busy
// provider is caught in seconds, a quiet one takes as long as the
// evidence needs.
type silence struct {
	bins     [silenceBins]sbin
	delays   [delayBins]int64 // paid delays, log-spaced bins
	paidN    int64
	matAcc   int64 // accepted in bins that left the horizon
	matPaid  int64
	nextEval time.Duration
}

type sbin struct {
	epoch     int64 // bin number since run start, +1 (0 = empty)
	acc, paid int32
}

const (
	silenceBin  = 5 * time.Second
	silenceBins = 180 // a 15-minute horizon
	delayBins   = 64
	delayBase   = float64(time.Second)
	delayRatio  = 1.15
	// alpha is the false-alarm probability of one test.
	alpha = 1e-5
	// warmup is the fewest paid payments seen before the test runs.
	warmup = 30
	// priorPaid is the share paid assumed before enough history.
	priorPaid = 0.5
)

var logAlpha = math.Log(alpha)

func newSilence() silence { return silence{} }

func delayBin(d time.Duration) int {
	if float64(d) <= delayBase {
		return 0
	}
	b := int(math.Log(float64(d)/delayBase)/math.Log(delayRatio)) + 1
	return min(b, delayBins-1)
}

func (s *silence) bin(t time.Duration) *sbin {
	e := int64(t/silenceBin) + 1
	b := &s.bins[e%silenceBins]
	if b.epoch != e {
		if b.epoch != 0 {
			s.matAcc += int64(b.acc)
			s.matPaid += int64(b.paid)
		}
		*b = sbin{epoch: e}
	}
	return b
}

func (s *silence) accepted(now time.Duration) { s.bin(now).acc++ }

func (s *silence) paid(now, age time.Duration) {
	s.delays[delayBin(age)]++
	s.paidN++
	e := int64((now-age)/silenceBin) + 1
	if b := &s.bins[e%silenceBins]; b.epoch == e {
		b.paid++
	} else {
		s.matPaid++
	}
}

// forget drops the evidence in the horizon (after an ejection or a
// restore), keeping what was learned about delays and completion.
func (s *silence) forget() {
	for i := range s.bins {
		if b := &s.bins[i]; b.epoch != 0 {
			s.matAcc += int64(b.acc)
			s.matPaid += int64(b.paid)
			*b = sbin{}
		}
	}
}

// suspect runs the test at most once a second.
func (s *silence) suspect(now time.Duration) bool {
	if now < s.nextEval || s.paidN < warmup {
		return false
	}
	s.nextEval = now + time.Second
	var cdf [delayBins]float64
	run := 0.0
	for i, n := range s.delays {
		run += float64(n)
		cdf[i] = run / float64(s.paidN)
	}
	c := priorPaid
	if s.matAcc >= 50 {
		c = min(1, float64(s.matPaid)/float64(s.matAcc))
	}
	cur := int64(now/silenceBin) + 1
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
		f := 0.0
		if age > 0 {
			f = cdf[delayBin(age)]
		}
		expected += float64(b.acc) * c * f
		observed += int(b.paid)
		if expected > 8 && float64(observed) < expected/2 && logPoissonCDF(observed, expected) < logAlpha {
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
