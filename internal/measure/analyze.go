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
	// BaselineConversionLow and High are the 95% Wilson interval of the
	// baseline conversion, over BaselineOrders matching orders.
	BaselineConversionLow, BaselineConversionHigh float64
	BaselineOrders                                int64
	// ShareDuring is the share of first attempts sent to targeted providers
	// while the fault was on.
	ShareDuring float64
	BaselineOK  bool

	// Detect, Failover and Recover count from the fault's start, Failback
	// from its end. Each is its Span's At.
	Detect, Failover, Recover, Failback *time.Duration
	// The spans: each time's precision (nil where the time is nil).
	DetectSpan, FailoverSpan, RecoverSpan, FailbackSpan *Span
	// DetectOpen, FailoverOpen and FailbackOpen say, for a time that was
	// never reached, from when on (since the fault's start; its end for
	// fail back) the data could no longer show it: a judging window
	// starting later would not fill with MinSamples before the fault (the
	// run) ended. nil when no window could be judged at all. A target
	// before this moment that was not reached was missed; one after it
	// cannot be told.
	DetectOpen, FailoverOpen, FailbackOpen *time.Duration

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
	r.BaselineOrders = created
	paidBase := v.paid.sum(lo, sb)
	r.BaselineConversion = ratio(paidBase, created)
	convLow, convHigh, _ := Wilson(paidBase, created)
	r.BaselineConversionLow, r.BaselineConversionHigh = convLow, convHigh
	r.BaselineShare = ratio(v.target.sum(lo, sb), v.first.sum(lo, sb))
	failFrac := ratio(v.failed.sum(lo, sb), created)
	failAmtFrac := ratio(v.failedAmt.sum(lo, sb), v.createdAmt.sum(lo, sb))

	if start >= runEnd {
		r.Note = fmt.Sprintf("the fault starts at %v, not before the run's end at %v: nothing to measure", start, runEnd)
		return r
	}
	var notes []string
	w := span(p.Window, b)
	eMax := min(eb, nb)
	ev := newEvents(f, v, b, nb)

	// The share the router gave the targets before the fault. A baseline
	// window that sent nothing there may be a small sample's chance: the
	// share is then read over everything before the fault. Only when that
	// too sent nothing is there nothing to move.
	refShare := r.BaselineShare
	if refShare == 0 && lo > 0 {
		if n := v.first.sum(0, sb); n > 0 {
			refShare = ratio(v.target.sum(0, sb), n)
			if refShare > 0 {
				notes = append(notes, fmt.Sprintf("the baseline window sent no first attempt to %s; the %d first attempts since the run's start, %.0f%% of them there, stand in",
					strings.Join(f.Providers, ", "), n, refShare*100))
			}
		}
	}
	half := refShare / 2

	// Detect: from the first window (forward from its start, at least
	// Window long and MinSamples first attempts) whose share of first
	// attempts to the targets is below half the reference, back to the
	// change point inside it.
	switch {
	case refShare == 0:
		r.DetectSpan = &Span{} // nothing to move
	default:
		r.DetectSpan, r.DetectOpen = v.move(ev, sb, eMax, w, want, start,
			func(s float64) bool { return s < half }, true, half)
	}
	r.Detect = at(r.DetectSpan)

	// Fail over and recover: a hold window inside the fault that passes.
	h := span(max(p.Hold, f.FlapPeriod), b)
	// Hold windows are small at low traffic: each is judged with room for
	// chance, failing only when its count is too far off to be a small
	// sample's luck (chance.go: exact binomial tails, 1% over the whole
	// fault shared by its windows). The rest of the fault judged as one,
	// a large sample, gets none. The baseline conversion they compare with
	// is its own 95% lower bound: a perfect baseline from ten orders is
	// not a promise of perfection.
	alpha := perWindow(sb, eMax, h)
	convFloor := convLow - p.ConversionTolerance - conversionSlack
	hitsIn := func(lo, hi int, noise bool) bool {
		n, k := v.attempts.sum(lo, hi), v.hits.sum(lo, hi)
		if noise {
			return !tooMany(k, n, p.HitThreshold, alpha)
		}
		return ratio(k, n) < p.HitThreshold
	}
	convIn := func(lo, hi int, noise bool) bool {
		c, k := v.created.sum(lo, hi), v.paid.sum(lo, hi)
		if c == 0 {
			return true
		}
		if noise {
			return !tooFew(k, c, convFloor, alpha)
		}
		return ratio(k, c) >= convFloor
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
		r.FailoverOpen = v.open(sb, eMax, h, want, start, b)
		if j, ok := v.settle(sb, eMax, h, want, func(lo, hi int) bool { return hits(lo, hi) && conv(lo, hi) }, rest); ok {
			r.FailoverSpan = v.settled(ev, j, sb, eMax, h, want, start)
			// Traffic cannot have moved before it was seen to move: a
			// settling point at or before detection fails over at detection.
			if d := r.DetectSpan; d != nil && r.FailoverSpan.At <= d.High {
				c := *d
				c.Confirmed = max(c.Confirmed, r.FailoverSpan.Confirmed)
				r.FailoverSpan = &c
			}
		}
		if j, ok := v.settle(sb, eMax, h, want, conv, restConv); ok {
			r.RecoverSpan = v.settled(ev, j, sb, eMax, h, want, start)
			// Failing over includes recovering.
			if fo := r.FailoverSpan; fo != nil && r.RecoverSpan.At > fo.At {
				c := *fo
				r.RecoverSpan = &c
			}
		}
	}
	r.Failover, r.Recover = at(r.FailoverSpan), at(r.RecoverSpan)

	// Fail back: after the fault, the share of first attempts to the
	// targets returns to half the reference.
	if end < runEnd {
		last := min(floorDiv(runEnd, b), nb)
		if refShare == 0 {
			r.FailbackSpan = &Span{}
		} else {
			r.FailbackSpan, r.FailbackOpen = v.move(ev, eb, last, w, want, end,
				func(s float64) bool { return s >= half }, false, half)
		}
		r.Failback = at(r.FailbackSpan)
	}

	// Excess failures: orders created from the fault's start until a hold after its end.
	hiEx := min(floorDiv(min(end+max(p.Hold, 0), runEnd), b), nb)
	r.ExcessFailed = excess(v.failed.sum(sb, hiEx), failFrac, v.created.sum(sb, hiEx))
	r.ExcessFailedAmount = excess(v.failedAmt.sum(sb, hiEx), failAmtFrac, v.createdAmt.sum(sb, hiEx))

	r.Note = strings.Join(notes, "; ")
	return r
}

// move finds a routing move in buckets [floor, last): the first window
// that starts at a bucket j, is at least w buckets long and is extended
// forward until it holds want first attempts (never past last), whose
// share of first attempts to the targets passes ok. The move is the
// change point of that stream inside [floor, window end) (away from the
// targets when away, back to them otherwise), placed between the two
// first attempts around it. ref is the moment times count from. open is
// when the last window that could still fill starts (nil when none can).
func (v *view) move(ev *events, floor, last, w int, want int64, ref time.Duration,
	ok func(share float64) bool, away bool, half float64) (sp *Span, open *time.Duration) {
	b := ev.b
	for j := floor; j < last; j++ {
		e := v.first.forward(j, min(j+w, last), last, want)
		if e < 0 {
			break
		}
		open = ptr(max(time.Duration(j)*b-ref, 0))
		if !ok(ratio(v.target.sum(j, e), v.first.sum(j, e))) {
			continue
		}
		floorT := time.Duration(floor) * b
		var lo, hi time.Duration
		var upTo int // the buckets up to the one holding the attempt at hi
		if away {
			// Targets above half the reference, then below: the last first
			// attempt to a target before the change, then the first elsewhere.
			k := changePoint(v.target, v.first, floor, e, half, 1)
			// The first elsewhere is after that target attempt, or from
			// floor's start on when there was none.
			from := floorT
			lo = floorT
			if t, found := ev.lastBefore(time.Duration(k)*b, true, floor); found {
				lo, from = t, t+1
			}
			hi, upTo = time.Duration(e)*b, e
			if t, i, found := ev.firstFrom(from, false, e); found {
				hi, upTo = t, i+1
			}
			if t, found := ev.lastBefore(hi, true, floor); found && t > lo {
				lo = t
			}
		} else {
			// Back: the first first attempt to a target after the change,
			// and the first attempt before it.
			k := changePoint(v.target, v.first, floor, e, half, -1)
			hi, upTo = time.Duration(e)*b, e
			if t, i, found := ev.firstFrom(time.Duration(max(k-1, floor))*b, true, e); found {
				hi, upTo = t, i+1
			}
			lo = floorT
			if t, found := ev.lastAny(hi, floor); found {
				lo = t
			}
		}
		s := newSpan(lo, hi, ref)
		s.Orders = v.first.sum(floor, upTo)
		s.Confirmed = max(time.Duration(e)*b-ref, s.High)
		return &s, nil
	}
	return nil, open
}

// settled places a fail over (or recover) that settles at bucket j between
// the first attempts around the bucket's start: the rule cannot tell
// boundaries between two observations apart.
func (v *view) settled(ev *events, j, floor, last, h int, want int64, ref time.Duration) *Span {
	t := time.Duration(j) * ev.b
	lo, hi := ref, t
	if j <= floor {
		// The rule holds from the fault's first bucket: nothing to wait for.
		hi = ref
	} else if x, ok := ev.lastAny(t, floor); ok {
		lo = x
	}
	upTo := ev.bucketOf(hi) + 1 // the buckets up to the one holding hi
	if x, i, ok := ev.firstAny(t, last); ok && j > floor {
		hi, upTo = x, i+1
	}
	s := newSpan(lo, hi, ref)
	s.Orders = v.first.sum(floor, upTo)
	conf := t
	if e := v.attempts.forward(j, j+h, last, want); e >= 0 {
		conf = time.Duration(e) * ev.b
	}
	s.Confirmed = max(conf-ref, s.High)
	return &s
}

// open is when, since ref, the last hold window that still fills with
// want attempts before last starts; nil when none does.
func (v *view) open(floor, last, h int, want int64, ref, b time.Duration) *time.Duration {
	for j := last - 1; j >= floor; j-- {
		if j+h <= last && v.attempts.forward(j, j+h, last, want) >= 0 {
			return ptr(max(time.Duration(j)*b-ref, 0))
		}
	}
	return nil
}

func at(s *Span) *time.Duration {
	if s == nil {
		return nil
	}
	return ptr(s.At)
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
