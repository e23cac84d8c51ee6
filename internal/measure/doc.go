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
// # Time to detect
//
// The first bucket end t with Start < t <= End at which the trailing share
// ΣFirstToTarget/ΣFirst is below half the baseline share. The trailing window
// is the buckets covering [t-Window, t), never before the start bucket; when
// it holds fewer than MinSamples first attempts it is extended back bucket by
// bucket, still not before the start bucket. A window that still holds fewer
// than MinSamples first attempts does not judge (not yet). Value t-Start. A
// baseline share of 0 gives 0 (nothing to move). Never reached: nil.
//
// # Time to fail over
//
// The first bucket start t at or after the start bucket's start from which
// the router stays moved for the rest of the fault:
//
//   - the span [t, End bucket) is cut into consecutive hold windows
//     [t, t+H), [t+H', ...), H = max(Hold, FlapPeriod), each extended
//     forward bucket by bucket until it holds at least MinSamples matching
//     attempts, and every window passes with room for chance (three
//     standard errors of its own sample, which matters at low traffic):
//
//     ΣHits / ΣAttempts < HitThreshold + 3·sqrt(HitThreshold(1-HitThreshold)/ΣAttempts)
//     ΣPaid / ΣCreated >= baseline - ConversionTolerance - 3·sqrt(baseline(1-baseline)/ΣCreated)
//
//   - and the whole span [t, End bucket), a large sample, passes with no
//     such room: ΣHits/ΣAttempts < HitThreshold and ΣPaid/ΣCreated >=
//     baseline - ConversionTolerance.
//
// The conversion is over matching orders created in the window's buckets
// and holds trivially when none were created. A tail too short or too
// sparse to be a window of its own is judged as the last full window before
// the fault's end (overlapping the one before, so a relapse is never
// averaged away). A dip that relapses later therefore does not count, and a
// slow burn is not "failed over" merely because it started mild. The
// conversion comparison allows 1e-9 for floating point rounding. Value
// max(0, t-Start), but never less than the time to detect: traffic cannot
// be shown to have moved before it is seen moving, so a hold window that
// starts inside the detecting bucket fails over at detection. Never
// reached: nil. When not even the first hold window fits in the fault (the
// fault is shorter than the hold, or carries fewer than MinSamples matching
// attempts) Note says so.
//
// # Time to recover
//
// As fail over, with the conversion condition only (hits ignored). A router
// that keeps sending each order to the frozen provider first and then
// cascades elsewhere recovers but never fails over.
//
// # Time to fail back
//
// Only when End < runEnd. The first bucket end t with End < t <= runEnd at
// which the trailing share (window rules as for detect, but never before the
// End bucket) is at least half the baseline share. Value t-End. A baseline
// share of 0 gives 0. Never reached before run end: nil.
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
