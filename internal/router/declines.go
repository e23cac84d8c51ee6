package router

import (
	"math"
	"time"
)

// declines watches a provider's issuer declines (the buyer's bank said
// no): normally a steady share, but a provider whose acquirer or risk
// engine turns hostile shows it as a spike, or a slow creep, of soft
// declines that no retry may rescue. It compares the share over the last
// window with the provider's own history and calls it anomalous when the
// excess is both large (3 points) and far outside chance (a Poisson tail
// under one in a million).
// History learns only from windows that look normal, so a slow creep
// cannot teach it that the creep is normal.
type declines struct {
	win    window
	baseN  float64 // decayed counts of calls and declines
	baseD  float64
	probeN int // half-open probes answered
	probeD int
}

const (
	// declineMemory is how many calls history remembers (exponential decay).
	declineMemory = 20000
	// declineLearn is the fewest calls of history before judging.
	declineLearn = 500
	// declineSamples is the fewest calls in the window before judging.
	declineSamples = 50
	declineMin     = 0.03
	declineSigma   = 4.5
	declineAlpha   = 1e-6
	// declineProbes is how many half-open probes judge a return.
	declineProbes = 20
)

var logDeclineAlpha = math.Log(declineAlpha)

type probeVerdict uint8

const (
	probeWait probeVerdict = iota
	probeGood
	probeBad
)

func newDeclines(w time.Duration) declines { return declines{win: newWindow(w)} }

// base is the learned share of declines.
func (d *declines) base() float64 {
	if d.baseN == 0 {
		return 0
	}
	return d.baseD / d.baseN
}

// threshold is the largest share of n calls still taken for normal by a
// normal approximation (used for the learning band and for probes).
func (d *declines) threshold(n int, sigmas float64) float64 {
	return thresholdAt(d.base(), n, sigmas)
}

// thresholdAt is threshold for a learned share b.
func thresholdAt(b float64, n int, sigmas float64) float64 {
	return b + max(declineMin, sigmas*math.Sqrt(max(b*(1-b), 0.01)/float64(n)))
}

// anomalousAt reports whether f declines of n calls (share f/n) are both
// declineMin above the learned share b and improbable for it:
// P(Poisson(n·b) >= f) under declineAlpha (exact where a normal
// approximation fails, at low shares and few calls).
func anomalousAt(b float64, n, f int, share float64) bool {
	if share <= b+declineMin {
		return false
	}
	return logPoissonSF(f, max(float64(n)*b, 0.5)) < logDeclineAlpha
}

// logPoissonSF is log P(X >= k) for X ~ Poisson(lambda), for k > lambda:
// summed from the largest term (j = k) up, in log space.
func logPoissonSF(k int, lambda float64) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	sum, term := 1.0, 1.0
	for j := k + 1; ; j++ {
		term *= lambda / float64(j)
		sum += term
		if term < 1e-17 || j > k+10000 {
			break
		}
	}
	return -lambda + float64(k)*math.Log(lambda) - lg + math.Log(sum)
}

// add records one answered call; it reports an anomaly.
func (d *declines) add(now time.Duration, declined bool) bool {
	d.win.add(now, declined)
	n, f := d.win.counts(now)
	share := float64(f) / float64(max(n, 1))
	learned := d.baseN >= declineLearn
	judged := learned && n >= declineSamples
	var b float64
	if judged {
		// The learned share, once for both tests (share is f/n here).
		b = d.base()
		if anomalousAt(b, n, f, share) {
			return true
		}
	}
	// Learn only while the window looks normal (a third of the way to the
	// threshold): a creep stops teaching history early.
	if !judged || share <= b+(thresholdAt(b, n, declineSigma)-b)/3 {
		keep := 1 - 1.0/declineMemory
		d.baseN = d.baseN*keep + 1
		d.baseD *= keep
		if declined {
			d.baseD++
		}
	}
	return false
}

// probe records a half-open probe's answer and, after enough, judges.
func (d *declines) probe(declined bool) probeVerdict {
	d.probeN++
	if declined {
		d.probeD++
	}
	if d.probeN < declineProbes {
		return probeWait
	}
	share := float64(d.probeD) / float64(d.probeN)
	d.probeN, d.probeD = 0, 0
	if share <= d.threshold(declineProbes, 3) {
		return probeGood
	}
	return probeBad
}

// reset forgets the window and the probes, keeping the history.
func (d *declines) reset() {
	d.win.reset()
	d.probeN, d.probeD = 0, 0
}
