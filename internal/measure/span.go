package measure

import "time"

// Span is a time figure with the precision the observed orders allow. The
// change it measures happened after Low and by High; At is the figure
// itself, the middle of the two. All three count from the fault's start
// (its end for fail back). At low traffic Low and High are the two orders
// around the change; at high traffic they are as close as the recorded
// first-attempt times allow (the bucket's edges when a series has none).
type Span struct {
	At, Low, High time.Duration
	// Orders is how many matching first attempts the figure rests on:
	// from the fault's start (end) up to High, counted by whole buckets,
	// the last being the one that holds the attempt at High (when High is
	// a bucket's end standing for an attempt in it, not the next bucket).
	Orders int64
	// Confirmed is when the rule had the samples it needs to say so (the
	// end of its first judging window); at or after High.
	Confirmed time.Duration
}

// Width is High - Low: the figure's precision.
func (s Span) Width() time.Duration { return s.High - s.Low }

// newSpan makes the span [lo, hi] of absolute times relative to ref, with
// At in the middle; neither bound is before ref.
func newSpan(lo, hi, ref time.Duration) Span {
	lo, hi = max(lo, ref)-ref, max(hi, ref)-ref
	if hi < lo {
		hi = lo
	}
	return Span{At: lo + (hi-lo)/2, Low: lo, High: hi}
}

// events reads where, inside buckets, first attempts of matching orders
// went to a targeted provider or elsewhere.
type events struct {
	b                            time.Duration
	n                            int
	target, first                prefix
	tFirst, tLast, aFirst, aLast []time.Duration
}

func newEvents(f *FaultSeries, v *view, b time.Duration, n int) *events {
	return &events{b: b, n: n, target: v.target, first: v.first,
		tFirst: f.TargetFirstAt, tLast: f.TargetLastAt, aFirst: f.AwayFirstAt, aLast: f.AwayLastAt}
}

// stamp is the event time stored at bucket i, if one is.
func stamp(s []time.Duration, i int) (time.Duration, bool) {
	if i >= 0 && i < len(s) && s[i] > 0 {
		return s[i] - 1, true
	}
	return 0, false
}

// kind picks the count and the time series of one kind of first attempt.
func (e *events) kind(toTarget bool, i int) (count int64, first, last []time.Duration) {
	t := e.target.sum(i, i+1)
	if toTarget {
		return t, e.tFirst, e.tLast
	}
	return e.first.sum(i, i+1) - t, e.aFirst, e.aLast
}

// lastBefore is a lower bound on the latest first attempt of the kind
// strictly before t, not looking before bucket floor: exact where the
// bucket recorded its times, the bucket's start where it did not.
func (e *events) lastBefore(t time.Duration, toTarget bool, floor int) (time.Duration, bool) {
	if t <= 0 {
		return 0, false
	}
	for i := min(int((t-1)/e.b), e.n-1); i >= max(floor, 0); i-- {
		c, fs, ls := e.kind(toTarget, i)
		if c == 0 {
			continue
		}
		if l, ok := stamp(ls, i); ok && l < t {
			return l, true
		}
		f, ok := stamp(fs, i)
		if ok && f < t {
			return f, true // the last one before t is at f or later
		}
		if !ok {
			return time.Duration(i) * e.b, true
		}
	}
	return 0, false
}

// firstFrom is an upper bound on the earliest first attempt of the kind at
// or after t, not looking at or past bucket ceil: exact where the bucket
// recorded its times, the bucket's end where it did not; and the bucket
// that holds the attempt.
func (e *events) firstFrom(t time.Duration, toTarget bool, ceil int) (time.Duration, int, bool) {
	for i := max(int(t/e.b), 0); i < min(ceil, e.n); i++ {
		c, fs, ls := e.kind(toTarget, i)
		if c == 0 {
			continue
		}
		f, ok := stamp(fs, i)
		if ok && f >= t {
			return f, i, true
		}
		if l, lok := stamp(ls, i); lok && l >= t {
			return l, i, true // the first one from t is at l or earlier
		}
		if !ok {
			return time.Duration(i+1) * e.b, i, true
		}
	}
	return 0, 0, false
}

// lastAny and firstAny look at first attempts of both kinds.
func (e *events) lastAny(t time.Duration, floor int) (time.Duration, bool) {
	a, aok := e.lastBefore(t, true, floor)
	b, bok := e.lastBefore(t, false, floor)
	switch {
	case aok && bok:
		return max(a, b), true
	case aok:
		return a, true
	}
	return b, bok
}

func (e *events) firstAny(t time.Duration, ceil int) (time.Duration, int, bool) {
	a, ai, aok := e.firstFrom(t, true, ceil)
	b, bi, bok := e.firstFrom(t, false, ceil)
	switch {
	case aok && bok:
		// The earlier attempt is never in the later bucket.
		return min(a, b), min(ai, bi), true
	case aok:
		return a, ai, true
	}
	return b, bi, bok
}

// bucketOf is the bucket holding moment t.
func (e *events) bucketOf(t time.Duration) int { return floorDiv(t, e.b) }

// changePoint returns the bucket boundary k in [lo, hi] that maximises
// sign × Σ over buckets [lo, k) of x - c·n: with sign 1, where a stream of
// events that were x at a rate above c turns into one below it; with
// sign -1 the other way round (a CUSUM estimate of the change). Ties go
// to the earliest k.
func changePoint(x, n prefix, lo, hi int, c, sign float64) int {
	best, bestK := 0.0, lo
	for k := lo + 1; k <= hi; k++ {
		s := sign * (float64(x.sum(lo, k)) - c*float64(n.sum(lo, k)))
		if s > best+1e-12 {
			best, bestK = s, k
		}
	}
	return bestK
}
