// Package measure turns what a run recorded into the figures paydrill
// judges: baseline, time to detect, fail over, recover and fail back, excess
// failed orders and money, provider shares, latency percentiles. It computes;
// it never formats text and does no I/O. The simulator fills a [Series]
// while it runs; [Analyze] reads it afterwards.
//
// # Buckets
//
// All times are at bucket resolution. With bucket width B, bucket i covers
// [i*B, (i+1)*B). A fault's start bucket is floor(Start/B) (a negative Start
// counts as 0); its End is clipped to [Start, runEnd]. The End bucket is
// floor(End/B). Times are reported relative to the fault's Start (End for
// fail back) and are never negative. "Matching" orders and attempts are those
// the fault's filter selects: the per-fault slices of [FaultSeries]. Slices
// shorter than the run read as zeros beyond their end.
//
// All ratios below are guarded: a ratio over zero samples is 0, and every
// rule that judges a ratio first demands at least MinSamples samples
// (a MinSamples below 1 counts as 1). A window of length L covers
// max(1, ceil(L/B)) buckets.
//
// # Baseline
//
// Over the ceil(Baseline/B) buckets before the start bucket, extended further
// back bucket by bucket (down to bucket 0) while they hold fewer than
// MinSamples matching created orders:
//
//	conversion              = ΣPaid / ΣCreated        (matching orders, by creation bucket)
//	failure fraction        = ΣFailed / ΣCreated
//	failed-amount fraction  = ΣFailedAmount / ΣCreatedAmount
//	share                   = ΣFirstToTarget / ΣFirst  (first attempts, by attempt bucket)
//
// If the buckets still hold fewer than MinSamples created orders the baseline
// is unknown: BaselineOK is false, every time figure and both excess figures
// are left unset and Note says why.
//
// The baseline is a sample, and at a small shop a small one. Its conversion
// comes with its 95% Wilson interval (BaselineConversionLow, High over
// BaselineOrders): ten paid orders of ten give [0.72, 1], not 1. Every rule
// that compares a conversion with the baseline compares with the interval's
// low end, and the spread it allows for chance uses the Wilson centre, never
// 0 or 1; so a perfect baseline from a few orders can never make a criterion
// impossible.
//
// The reference share is the baseline share; when the baseline window sent
// no first attempt to the targets it is read over everything before the
// fault instead (a small window may miss a provider by chance). Only when
// nothing before the fault went there is there "nothing to move": detect,
// fail over and fail back are then 0.
//
// # Spans: a time with its precision
//
// Every time is a [Span]: the change happened after Low and by High, and the
// figure itself (At, the report's *_s) is their middle. The bounds are
// placed by the first attempts of matching orders around the change, at the
// times the recorder noted inside each bucket (FaultSeries.TargetFirstAt and
// friends): "the last order still sent to the frozen provider" and "the
// first sent elsewhere". At one order a minute a span is about a minute
// wide; at twenty a second, tens of milliseconds. Without recorded times (a
// hand-built series) the bounds fall back to bucket edges. Orders says how
// many matching first attempts the figure rests on; Confirmed when its rule
// had the MinSamples it needs. No rule hides a floor: a move at 8m50s
// confirmed at 18m is reported as 8m50s, with "confirmed at 18m".
//
// For a time never reached, DetectOpen, FailoverOpen and FailbackOpen say
// until when the traffic could still have shown it (the last judging
// window that fills with MinSamples before the fault, or the run, ends). A
// limit before it that was not reached was missed (FAIL); one after it
// cannot be told (inconclusive).
//
// # Worked example: one order a minute
//
// A hard freeze of the primary at 30m, orders at 30m17s, 31m17s, ... The
// router's fifth refusal comes with the order at 38m17s and it moves; the
// next order, at 39m17s, goes to the backup. Detect is the span
// [8m17s, 9m17s] from the fault's start, reported as 8m47s, "10 orders in".
// Its rule (a window of 10 first attempts with under half the baseline
// share on the primary) is satisfied once six orders have gone elsewhere:
// confirmed at 14m20s. Fail over holds from the same point, so it is the
// same span. Judged against failover_within 10m, the whole span is inside:
// PASS. Had the limit been 9m, the span straddles it: inconclusive, "the
// orders were too sparse to tell". Had the router never moved while orders
// kept coming until the fault's end, every window starting before 10m would
// have been judged and failed: FAIL. Had the fault ended at 35m with six
// orders in it, no window could be judged: inconclusive, with the count.
//
// # Time to detect
//
// The first bucket j at or after the start bucket such that a window starting
// there (at least Window long, extended forward bucket by bucket until it
// holds MinSamples first attempts, never past the fault's end) has a share
// ΣFirstToTarget/ΣFirst below half the reference share. The move inside is
// the change point of the first attempts from the fault's start to that
// window's end: the bucket boundary k maximising Σ(target − half·first) (a
// CUSUM estimate). Low is the last first attempt to a target before k, High
// the first elsewhere after Low (and Low is then the last to a target before
// High). Confirmed is the window's end. Never found: nil, with DetectOpen.
//
// # Time to fail over
//
// The first bucket start t at or after the start bucket's start from which
// the router stays moved for the rest of the fault:
//
//   - the span [t, End bucket) is cut into consecutive hold windows
//     [t, t+H), [t+H', ...), H = max(Hold, FlapPeriod), each extended
//     forward bucket by bucket until it holds at least MinSamples matching
//     attempts, and every window passes with room for chance (its counts
//     are judged by their exact binomial tails, chance.go, which matters
//     at low traffic): with K = ceil((fault's end bucket - start bucket)/H)
//     windows in the fault and α = 0.01/K (the fault's 1% shared by its
//     windows), a window fails only when
//
//     P(X >= ΣHits; ΣAttempts, HitThreshold) < α, or
//     P(X <= ΣPaid; ΣCreated, baselineLow - ConversionTolerance) < α
//
//     (X binomial): too many hits, or too few paid, to be a small
//     sample's luck. One window gets a small share of the 1%, so one
//     unlucky minute in sixty of a router that moved for good does not
//     restart the clock; a relapse (hits on the frozen channel again) does.
//
//   - and the whole span [t, End bucket), a large sample, passes with no
//     such room: ΣHits/ΣAttempts < HitThreshold and ΣPaid/ΣCreated >=
//     baselineLow - ConversionTolerance.
//
// The conversion is over matching orders created in the window's buckets
// and holds trivially when none were created. A tail too short or too
// sparse to be a window of its own is judged as the last full window before
// the fault's end (overlapping the one before, so a relapse is never
// averaged away). A dip that relapses later therefore does not count, and a
// slow burn is not "failed over" merely because it started mild. The
// conversion comparison allows 1e-9 for floating point rounding. The span
// is placed between the last first attempt before bucket t and the first
// at or after it (the rule cannot tell boundaries between two observations
// apart); a rule that holds from the fault's first bucket gives 0. Never
// less than the time to detect: traffic cannot be shown to have moved
// before it is seen moving, so a fail over whose span ends no later than
// detection's takes detection's span. Never reached: nil, with
// FailoverOpen. When not even the first hold window fits in the fault (the
// fault is shorter than the hold, or carries fewer than MinSamples
// matching attempts) Note says so.
//
// # Time to recover
//
// As fail over, with the conversion condition only (hits ignored). A router
// that keeps sending each order to the frozen provider first and then
// cascades elsewhere recovers but never fails over.
//
// A recover later than fail over takes fail over's span (failing over
// includes recovering).
//
// # Time to fail back
//
// Only when End < runEnd. As detect, after the fault's End bucket and up to
// runEnd: the first window whose share is at least half the reference, the
// change point of Σ(half·first − target) inside it, High the first first
// attempt to a target from the bucket before it and Low the first attempt
// before that (or End). Never reached before run end: nil.
//
// # Excess failures
//
// Over matching orders created in the buckets [start bucket, floor(min(End+Hold,
// runEnd)/B)):
//
//	ExcessFailed       = round(ΣFailed - failure fraction × ΣCreated), at least 0
//	ExcessFailedAmount = round(ΣFailedAmount - failed-amount fraction × ΣCreatedAmount), at least 0
//
// # Other figures
//
// Hits and Attempts sum the fault's buckets [start bucket, ceil(End/B)), so a
// partial last bucket counts. ShareDuring is ΣFirstToTarget/ΣFirst over
// [start bucket, End bucket), at least the start bucket. [Shares] and
// [ProviderTotals] read the per-provider series; [Conversion] the whole run.
//
// # Latency
//
// [Latency] wraps an HDR histogram from 1µs to 1h with 3 significant
// figures; values outside that range are clamped into it.
package measure
