package measure

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// conversionSlack absorbs floating point rounding when a conversion is
// compared with baseline minus tolerance.
const conversionSlack = 1e-9

// FaultResult is what the analysis found for one fault. A nil time was never
// reached (or could not be judged: Note says why when the reason is not
// simply that the router never got there).
type FaultResult struct {
	// BaselineConversion and BaselineShare are the baseline figures; both
	// are 0 when BaselineOK is false.
	BaselineConversion, BaselineShare float64
	// ShareDuring is the share of first attempts sent to targeted providers
	// while the fault was on.
	ShareDuring float64
	BaselineOK  bool

	// Detect, Failover and Recover count from the fault's start, Failback
	// from its end.
	Detect, Failover, Recover, Failback *time.Duration

	// Hits and Attempts are the fault-hit and all matching attempts over
	// the fault's span.
	Hits, Attempts int64
	// ExcessFailed are failed orders beyond the baseline failure rate;
	// ExcessFailedAmount their money in minor units.
	ExcessFailed, ExcessFailedAmount int64

	// Note explains figures that could not be judged; empty when all could.
	Note string
}

// view is one fault's counters as prefix sums over the run's buckets.
type view struct {
	created, paid, failed, createdAmt, failedAmt prefix
	first, target, attempts, hits                prefix
}

func newView(f *FaultSeries, n int) *view {
	return &view{
		created:    newPrefix(f.Created, n),
		paid:       newPrefix(f.Paid, n),
		failed:     newPrefix(f.Failed, n),
		createdAmt: newPrefix(f.CreatedAmount, n),
		failedAmt:  newPrefix(f.FailedAmount, n),
		first:      newPrefix(f.First, n),
		target:     newPrefix(f.FirstToTarget, n),
		attempts:   newPrefix(f.Attempts, n),
		hits:       newPrefix(f.Hits, n),
	}
}

// recorded is the number of buckets the series holds data for: the longest
// of its order series and the fault's own series.
func recorded(s *Series, f *FaultSeries) int {
	n := len(s.Orders)
	for _, v := range [][]int64{f.Created, f.Paid, f.Failed, f.CreatedAmount, f.FailedAmount,
		f.First, f.FirstToTarget, f.Attempts, f.Hits} {
		n = max(n, len(v))
	}
	return n
}

// Analyze measures fault number fault of the series (the index into
// s.Faults) with the rules of the package documentation. runEnd is when the
// run ended; zero or less means the end of the series' recorded buckets.
// Analyze never panics: a missing series, fault or bucket width gives an
// empty result whose Note says why.
func Analyze(s *Series, fault int, p Params, runEnd time.Duration) FaultResult {
	var r FaultResult
	switch {
	case s == nil:
		r.Note = "no series to analyze"
		return r
	case fault < 0 || fault >= len(s.Faults):
		r.Note = fmt.Sprintf("the series has no fault %d (it has %d)", fault, len(s.Faults))
		return r
	case s.Bucket <= 0:
		r.Note = fmt.Sprintf("the series has no bucket width (%v)", s.Bucket)
		return r
	}
	f := &s.Faults[fault]
	b := s.Bucket
	nb := recorded(s, f)
	if runEnd <= 0 {
		runEnd = time.Duration(nb) * b
	}
	nb = min(nb, ceilDiv(runEnd, b))
	v := newView(f, nb)
	want := p.minSamples()

	start := max(f.Start, 0)
	end := min(max(f.End, start), runEnd)
	sb, eb := floorDiv(start, b), floorDiv(end, b)

	// What needs no baseline.
	spanEnd := max(ceilDiv(end, b), sb+1)
	r.Hits, r.Attempts = v.hits.sum(sb, spanEnd), v.attempts.sum(sb, spanEnd)
	during := max(eb, sb+1)
	r.ShareDuring = ratio(v.target.sum(sb, during), v.first.sum(sb, during))

	// Baseline.
	lo := v.created.back(max(sb-ceilDiv(p.Baseline, b), 0), sb, 0, want)
	created := v.created.sum(lo, sb)
	if created < want {
		r.Note = fmt.Sprintf("baseline unknown: %d matching orders created before the fault, %d needed", created, want)
		return r
	}
	r.BaselineOK = true
	r.BaselineConversion = ratio(v.paid.sum(lo, sb), created)
	r.BaselineShare = ratio(v.target.sum(lo, sb), v.first.sum(lo, sb))
	failFrac := ratio(v.failed.sum(lo, sb), created)
	failAmtFrac := ratio(v.failedAmt.sum(lo, sb), v.createdAmt.sum(lo, sb))

	if start >= runEnd {
		r.Note = fmt.Sprintf("the fault starts at %v, not before the run's end at %v: nothing to measure", start, runEnd)
		return r
	}
	var notes []string
	w := span(p.Window, b)
	half := r.BaselineShare / 2

	// Detect: the trailing share falls below half the baseline.
	if r.BaselineShare == 0 {
		r.Detect = ptr(0)
	} else if j, ok := v.trailing(sb, min(eb, nb), w, want, func(s float64) bool { return s < half }); ok {
		r.Detect = ptr(time.Duration(j)*b - start)
	}

	// Fail over and recover: a hold window inside the fault that passes.
	h := span(max(p.Hold, f.FlapPeriod), b)
	eMax := min(eb, nb)
	// Hold windows are small at low traffic: each is judged with room for
	// chance (three standard errors). The rest of the fault judged as one,
	// a large sample, gets none.
	hitsIn := func(lo, hi int, noise bool) bool {
		n := v.attempts.sum(lo, hi)
		limit := p.HitThreshold
		if noise && n > 0 {
			limit += 3 * math.Sqrt(p.HitThreshold*(1-p.HitThreshold)/float64(n))
		}
		return ratio(v.hits.sum(lo, hi), n) < limit
	}
	convIn := func(lo, hi int, noise bool) bool {
		c := v.created.sum(lo, hi)
		if c == 0 {
			return true
		}
		b := r.BaselineConversion
		limit := b - p.ConversionTolerance - conversionSlack
		if noise {
			limit -= 3 * math.Sqrt(b*(1-b)/float64(c))
		}
		return ratio(v.paid.sum(lo, hi), c) >= limit
	}
	hits := func(lo, hi int) bool { return hitsIn(lo, hi, true) }
	conv := func(lo, hi int) bool { return convIn(lo, hi, true) }
	rest := func(lo, hi int) bool { return hitsIn(lo, hi, false) && convIn(lo, hi, false) }
	restConv := func(lo, hi int) bool { return convIn(lo, hi, false) }
	switch {
	case sb+h > eb:
		notes = append(notes, fmt.Sprintf("the fault lasts %v, shorter than the %v hold window: it cannot fail over or recover",
			end-start, time.Duration(h)*b))
	case v.attempts.forward(sb, sb+h, eMax, want) < 0:
		notes = append(notes, fmt.Sprintf("the fault has %d matching attempts, fewer than the %d needed to judge fail over and recover",
			v.attempts.sum(sb, eMax), want))
	default:
		if j, ok := v.settle(sb, eMax, h, want, func(lo, hi int) bool { return hits(lo, hi) && conv(lo, hi) }, rest); ok {
			r.Failover = ptr(max(time.Duration(j)*b-start, 0))
			// Traffic cannot have moved before it was seen to move: a hold
			// window that starts inside the detecting bucket fails over at detection.
			if r.Detect != nil && *r.Failover < *r.Detect {
				r.Failover = ptr(*r.Detect)
			}
		}
		if j, ok := v.settle(sb, eMax, h, want, conv, restConv); ok {
			r.Recover = ptr(max(time.Duration(j)*b-start, 0))
		}
	}

	// Fail back: after the fault, the trailing share returns to half the baseline.
	if end < runEnd {
		if r.BaselineShare == 0 {
			r.Failback = ptr(0)
		} else if j, ok := v.trailing(eb, min(floorDiv(runEnd, b), nb), w, want, func(s float64) bool { return s >= half }); ok {
			r.Failback = ptr(time.Duration(j)*b - end)
		}
	}

	// Excess failures: orders created from the fault's start until a hold after its end.
	hiEx := min(floorDiv(min(end+max(p.Hold, 0), runEnd), b), nb)
	r.ExcessFailed = excess(v.failed.sum(sb, hiEx), failFrac, v.created.sum(sb, hiEx))
	r.ExcessFailedAmount = excess(v.failedAmt.sum(sb, hiEx), failAmtFrac, v.createdAmt.sum(sb, hiEx))

	r.Note = strings.Join(notes, "; ")
	return r
}

// trailing returns the first bucket end j (in buckets, floor < j <= last) at
// which the trailing share of first attempts to targeted providers passes
// ok. The window is the w buckets before j, never before floor, extended back
// to floor while it holds fewer than want first attempts; a window that still
// holds fewer does not judge.
func (v *view) trailing(floor, last, w int, want int64, ok func(share float64) bool) (int, bool) {
	for j := floor + 1; j <= last; j++ {
		lo := v.first.back(max(j-w, floor), j, floor, want)
		n := v.first.sum(lo, j)
		if n < want {
			continue
		}
		if ok(ratio(v.target.sum(lo, j), n)) {
			return j, true
		}
	}
	return 0, false
}

// settle returns the first bucket j >= floor from which the router stays
// moved: the span [j, last) is cut into consecutive hold windows of h
// buckets (each extended forward while it holds fewer than want
// attempts), every one of them passes ok, and the span judged as one
// passes rest. A tail too short or too sparse to be a window of its own is
// judged as the last full window before last (overlapping the one before,
// so a relapse is never averaged away). So a dip that relapses does not
// count, and a slow burn is not "failed over" merely because it started
// mild.
func (v *view) settle(floor, last, h int, want int64, ok, rest func(lo, hi int) bool) (int, bool) {
	if last <= floor {
		return 0, false
	}
	end := func(j int) int {
		if j+h > last {
			return -1
		}
		return v.attempts.forward(j, j+h, last, want)
	}
	tail := ok(v.attempts.back(max(last-h, floor), last, floor, want), last)
	stays := make([]bool, last-floor+1)
	first := -1
	for j := last - 1; j >= floor; j-- {
		e := end(j)
		switch {
		case e < 0:
			continue
		case e == last:
			stays[j-floor] = ok(j, e)
		case end(e) < 0:
			stays[j-floor] = ok(j, e) && tail
		default:
			stays[j-floor] = ok(j, e) && stays[e-floor]
		}
		if stays[j-floor] && rest(j, last) {
			first = j
		}
	}
	return first, first >= 0
}

// excess is got beyond frac of of, rounded, never negative.
func excess(got int64, frac float64, of int64) int64 {
	x := math.Round(float64(got) - frac*float64(of))
	if !(x > 0) {
		return 0
	}
	if x >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(x)
}

func ptr(d time.Duration) *time.Duration { return &d }
