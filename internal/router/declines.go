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
// excess is both large (5 points) and far outside chance (5 sigma).
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
	declineMemory = 4000
	// declineLearn is the fewest calls of history before judging.
	declineLearn = 500
	// declineSamples is the fewest calls in the window before judging.
	declineSamples = 50
	declineMin     = 0.05
	declineSigma   = 5
	// declineProbes is how many half-open probes judge a return.
	declineProbes = 20
)

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

// threshold is the largest share of n calls still taken for normal.
func (d *declines) threshold(n int, sigmas float64) float64 {
	b := d.base()
	return b + max(declineMin, sigmas*math.Sqrt(max(b*(1-b), 0.01)/float64(n)))
}

// add records one answered call; it reports an anomaly.
func (d *declines) add(now time.Duration, declined bool) bool {
	d.win.add(now, declined)
	n, f := d.win.counts(now)
	share := float64(f) / float64(max(n, 1))
	learned := d.baseN >= declineLearn
	if learned && n >= declineSamples && share > d.threshold(n, declineSigma) {
		return true
	}
	// Learn only while the window looks normal (half way to the threshold).
	if !learned || n < declineSamples || share <= d.base()+(d.threshold(n, declineSigma)-d.base())/2 {
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
