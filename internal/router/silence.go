package router

import (
	"math"
	"math/bits"
	"time"
)

// silence detects an async provider whose pay pages stopped being paid:
// a silent freeze (buyers cannot pay) or a notification blackout. It is a
// change-point test on unpaid pay pages; docs/health.md derives it and
// states what no detector can beat.
//
// Learning. It counts pay pages accepted and later paid (by notification)
// by the 5-second bin of their acceptance, and folds a bin into the
// learned history once it is `mature` old, so that slow payers are not
// missing from what it learned. From that history it reads G(a), the
// share of pages paid within a of acceptance, conservatively: the paid
// share with one paid and one unpaid page of prior, and the delay
// distribution shifted down by half a standard error, so that a short
// history makes the test slower, never jumpier. The table of
// -ln(1-G(a)) is rebuilt only when the history grew by 2% (not per test).
//
// Test. Two change points are weighed. "Pages accepted after τ are never
// paid" (a freeze of the merchant: every new page is dead): for a healthy
// provider a page still unpaid at age a has probability 1-G(a), so the
// log-likelihood ratio is Σ -ln(1-G(a_i)) over the pages accepted after
// τ, and -∞ once one of them was paid: its largest over τ is over the
// pages accepted after the latest-accepted page that was paid. "No
// payment is notified after τ" (a blackout, or a freeze seen through
// notifications): a page accepted at c and not notified by τ stays so,
// where a healthy provider keeps it so with probability
// (1-G(now-c))/(1-G(τ-c)); the largest ratio over τ is at the latest
// notification. Under a healthy provider each such ratio is a martingale
// of mean 1, so it ever reaches e^b with probability at most e^-b
// (Ville's inequality); with N pages a day there are at most 2N candidate
// change points, and an alarm at b = ln(2N/A) raises at most A false
// alarms a day. A is the budget (HealthParams.FalseAlarms). Busy
// providers are caught in seconds; a provider with one page a minute
// after four or five pages go unpaid, as the evidence needs.
type silence struct {
	// bins is the ring of the horizon's bins, binDelays their paid
	// delays apart: the test reads every bin's counts each second, and
	// 24 bytes a bin stay in a few cache lines where 280 did not.
	bins      [silenceBins]sbin
	binDelays [silenceBins][delayBins]int32
	delays    [delayBins]int64 // paid delays of matured pages, log-spaced
	matAcc    int64            // pages in matured bins
	matPaid   int64            // of those, paid (within the horizon)

	ev       [delayBins]float64 // -ln(1-G) at the bins' upper edges
	evPaid   int64              // matPaid when ev was built (-1: never)
	rebuilds int                // times ev was built

	// old holds the unpaid pages of bins that left the ring (at most
	// oldBins, the oldest dropped first): a page still unpaid past the
	// horizon is the strongest evidence there is, and at a few pages an
	// hour the horizon alone would forget it before enough pages came.
	old  [oldBins]stale
	nOld int

	lastPaid time.Duration // when the latest notification came
	lastAcc  time.Duration // acceptance of the latest-accepted notified page

	first    time.Duration // first page accepted (+1; 0 = none yet)
	total    int64         // pages accepted, for the rate of change points
	nextEval time.Duration
	// matured is the latest bin number the test looked at for folding:
	// bins mature in order, so each is looked at once.
	matured int64
}

// stale is a bin that left the ring with pages still unpaid.
type stale struct {
	epoch  int64
	unpaid int32
}

type sbin struct {
	epoch     int64 // bin number since run start, +1 (0 = empty)
	acc, paid int32
	folded    bool // its delays (binDelays, same slot) are in the learned history
}

const (
	silenceBin  = 5 * time.Second
	silenceBins = 180 // a 15-minute horizon
	// oldBins bounds the bins kept past the horizon for their unpaid pages.
	oldBins = 64
	// mature is the age at which a bin's payments join the learned history.
	mature     = 10 * time.Minute
	delayBins  = 64
	delayBase  = float64(time.Second)
	delayRatio = 1.15
	// warmup is the fewest matured paid pages before the test runs.
	warmup = 5
	// day is the period of the false-alarm budget.
	day = 24 * time.Hour
)

func newSilence() silence { return silence{evPaid: -1} }

// binEdges[i] is the upper edge of delay bin i.
var binEdges = func() (e [delayBins]float64) {
	for i := range e {
		e[i] = delayBase * math.Pow(delayRatio, float64(i))
	}
	return e
}()

// interpolate reads the table g at age, linearly between bin edges
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

// delayBin is the log-spaced bin of delay d: 0 up to delayBase, then
// int(log_ratio(d/base))+1, capped. It reads the bin from binStarts
// (no logarithm per call), which gives what delayBinLog gives for every d.
func delayBin(d time.Duration) int {
	if d < binStarts[1] {
		return 0
	}
	n := bits.Len64(uint64(d))
	b := int(binGuess[n][(uint64(d)>>(n-guessBits-1))&(1<<guessBits-1)])
	for b < delayBins-1 && binStarts[b+1] <= d {
		b++
	}
	return b
}

// delayBinLog is delayBin's definition, by logarithm.
func delayBinLog(d time.Duration) int {
	if float64(d) <= delayBase {
		return 0
	}
	b := int(math.Log(float64(d)/delayBase)/math.Log(delayRatio)) + 1
	return min(b, delayBins-1)
}

// binStarts[b] is the least delay delayBinLog puts in bin b or above
// (found by bisection: delayBinLog never decreases as d grows), and
// binGuess[n][m] the bin of the least delay of n bits whose guessBits
// bits after the leading one are m, where delayBin starts its walk up:
// such delays span a ratio under 1 + 2^-guessBits < 1.15, so at most one
// bin edge, and the walk takes at most one step.
var binStarts, binGuess = func() (starts [delayBins]time.Duration, guess [65][1 << guessBits]uint8) {
	starts[0] = math.MinInt64
	for b := 1; b < delayBins; b++ {
		lo, hi := time.Duration(0), time.Duration(math.MaxInt64)
		for lo < hi {
			mid := lo + (hi-lo)/2
			if delayBinLog(mid) >= b {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		starts[b] = lo
	}
	for n := guessBits + 1; n < 64; n++ {
		for m := range 1 << guessBits {
			least := time.Duration((1<<guessBits | uint64(m)) << (n - guessBits - 1))
			for b := range delayBins {
				if starts[b] <= least {
					guess[n][m] = uint8(b)
				}
			}
		}
	}
	return starts, guess
}()

// guessBits is how many bits after the leading one binGuess reads.
const guessBits = 3

func (s *silence) accepted(now time.Duration) {
	e := int64(now/silenceBin) + 1
	k := e % silenceBins
	b := &s.bins[k]
	if b.epoch != e {
		s.fold(k)
		s.retire(b)
		*b = sbin{epoch: e}
		s.binDelays[k] = [delayBins]int32{}
	}
	b.acc++
	if s.first == 0 {
		s.first = now + 1
	}
	s.total++
}

// paid records a notified payment of a page accepted age ago.
func (s *silence) paid(now, age time.Duration) {
	at := now - age
	e := int64(at/silenceBin) + 1
	if k := e % silenceBins; s.bins[k].epoch == e {
		s.bins[k].paid++
		s.binDelays[k][delayBin(age)]++
	} else {
		for i := range s.nOld {
			if o := &s.old[i]; o.epoch == e && o.unpaid > 0 {
				o.unpaid--
				break
			}
		}
	}
	s.lastPaid = max(s.lastPaid, now)
	s.lastAcc = max(s.lastAcc, at)
}

// fold adds the payments of the bin in ring slot k to the learned
// history once, if it matured.
func (s *silence) fold(k int64) {
	b := &s.bins[k]
	if b.epoch == 0 || b.folded {
		return
	}
	b.folded = true
	s.matAcc += int64(b.acc)
	s.matPaid += int64(b.paid)
	for i, n := range s.binDelays[k] {
		s.delays[i] += int64(n)
	}
}

// retire keeps the unpaid pages of a bin leaving the ring.
func (s *silence) retire(b *sbin) {
	if b.epoch == 0 || b.acc <= b.paid {
		return
	}
	if s.nOld == oldBins {
		copy(s.old[:], s.old[1:])
		s.nOld--
	}
	s.old[s.nOld] = stale{epoch: b.epoch, unpaid: b.acc - b.paid}
	s.nOld++
}

// forget drops the evidence in the horizon (after an ejection or a
// restore), keeping what was learned from matured bins: pages accepted
// around a fault never teach the history that silence is normal.
func (s *silence) forget(now time.Duration) {
	s.bins = [silenceBins]sbin{} // a slot's delays are cleared when it is taken again
	s.nOld = 0
	s.lastPaid, s.lastAcc = now, now
}

// learned reports whether the history is long enough to test.
func (s *silence) learned() bool { return s.matPaid >= warmup }

// table rebuilds -ln(1-G) when the history grew by 2% since it was built.
func (s *silence) table() {
	if s.evPaid >= 0 && float64(s.matPaid-s.evPaid) < 0.02*float64(s.evPaid) {
		return
	}
	s.evPaid = s.matPaid
	s.rebuilds++
	n := float64(s.matPaid)
	// Paid share, with one paid and one unpaid page of prior.
	p := (n + 1) / (float64(s.matAcc) + 2)
	shift := 0.5 * math.Sqrt(n)
	run := 0.0
	for i, c := range s.delays {
		run += float64(c)
		f := max(0, run-shift) / (n + 1)
		s.ev[i] = -math.Log1p(-p * f)
	}
}

// threshold is b = ln(2N/A): N the pages a day at the rate seen so far
// (each a candidate change point of either kind), A the false alarms a
// day allowed.
func (s *silence) threshold(now time.Duration, budget float64) float64 {
	span := max(now-(s.first-1), time.Minute)
	perDay := float64(s.total) * float64(day) / float64(span)
	return math.Log(2 * max(perDay, 1) / budget)
}

// evidence is the larger of the two log-likelihood ratios (see the type),
// over every page in the ring and those kept past it.
func (s *silence) evidence(now time.Duration) float64 {
	s.table()
	var sum evidenceSum
	cur := int64(now/silenceBin) + 1
	for k := int64(0); k < silenceBins; k++ {
		e := cur - k
		if e <= 0 {
			break
		}
		if b := &s.bins[e%silenceBins]; b.epoch == e && b.acc > b.paid {
			sum.add(s, now, e, b.acc-b.paid)
		}
	}
	// Bins past the horizon still in the ring (no page came to take their
	// slot), then those that left it.
	for i := range s.bins {
		if b := &s.bins[i]; b.epoch > 0 && b.epoch <= cur-silenceBins && b.acc > b.paid {
			sum.add(s, now, b.epoch, b.acc-b.paid)
		}
	}
	for _, o := range s.old[:s.nOld] {
		if o.unpaid > 0 {
			sum.add(s, now, o.epoch, o.unpaid)
		}
	}
	return max(sum.created, sum.stopped)
}

// evidenceSum accumulates the two log-likelihood ratios, bin by bin.
type evidenceSum struct{ created, stopped float64 }

// add counts the unpaid pages of bin e (accepted around its middle).
func (v *evidenceSum) add(s *silence, now time.Duration, e int64, unpaid int32) {
	c := time.Duration(e-1)*silenceBin + silenceBin/2
	g := interpolate(&s.ev, now-c)
	if time.Duration(e-1)*silenceBin > s.lastAcc {
		v.created += float64(unpaid) * g
	}
	if s.lastPaid > c {
		g -= interpolate(&s.ev, s.lastPaid-c)
	}
	v.stopped += float64(unpaid) * g
}

// suspect runs the test, at most once a second.
func (s *silence) suspect(now time.Duration, budget float64) bool {
	if now < s.nextEval {
		return false
	}
	s.nextEval = now + time.Second
	// Fold the bins that matured since the last test (bin e matures when
	// now - e·silenceBin >= mature), those still in the ring: a bin that
	// matured earlier was folded then, or was not in the ring, and no
	// page joins a bin that old.
	if now >= mature {
		cur := int64(now/silenceBin) + 1
		last := int64((now - mature) / silenceBin)
		for e := max(s.matured+1, cur-silenceBins+1, 1); e <= last; e++ {
			if k := e % silenceBins; s.bins[k].epoch == e {
				s.fold(k)
			}
		}
		s.matured = max(s.matured, last)
	}
	if !s.learned() {
		return false
	}
	return s.evidence(now) >= s.threshold(now, budget)
}

// quantile is the age by which a share q of the paid pages were paid, per
// the learned history; def when nothing was learned.
func (s *silence) quantile(q float64, def time.Duration) time.Duration {
	if s.matPaid < warmup {
		return def
	}
	want, run := q*float64(s.matPaid), 0.0
	for i, c := range s.delays {
		run += float64(c)
		if run >= want {
			return time.Duration(binEdges[i])
		}
	}
	return time.Duration(binEdges[delayBins-1])
}
