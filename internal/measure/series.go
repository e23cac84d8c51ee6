package measure

import "time"

// Series is the per-bucket record of one run. Bucket i covers
// [i*Bucket, (i+1)*Bucket) of simulated (or wall) time since run start.
// Memory is one small struct per bucket: flat per order.
type Series struct {
	Bucket    time.Duration
	Providers []string
	Orders    []OrderBucket  // len = number of buckets
	Provider  [][]ProvBucket // [provider][bucket]
	Faults    []FaultSeries  // one per scenario fault, same order
	// Latency is checkout latency by the bucket the order was created in
	// (nil until the first is recorded; see RecordLatency).
	Latency []LatencySketch
}

// OrderBucket counts orders by the bucket they were created in, and how
// they ended (known after the drain).
type OrderBucket struct {
	Created, Paid, Failed, Abandoned, Lost int64
	// Amounts in minor units.
	CreatedAmount, PaidAmount, FailedAmount int64
}

// ProvBucket counts one provider's traffic by the bucket the attempt was sent in.
type ProvBucket struct {
	First    int64 // first attempts of an order sent to this provider
	Attempts int64 // all attempts (first, retries, probes)
	Captures int64
}

// FaultSeries is what one fault's analysis needs. Only orders that match
// the fault's filter (all orders when it has none) are counted.
type FaultSeries struct {
	Name      string
	Type      string
	Providers []string      // the providers the fault targets
	Start     time.Duration // fault start since run start
	End       time.Duration // fault end (run end when open-ended)
	// FlapPeriod is non-zero for a flapping fault.
	FlapPeriod time.Duration

	// By creation bucket of matching orders.
	Created, Paid, Failed []int64
	CreatedAmount         []int64
	FailedAmount          []int64 // failed + lost, minor units
	// By attempt bucket.
	First         []int64 // first attempts of matching orders
	FirstToTarget []int64 // of those, sent to a targeted provider
	Attempts      []int64 // all attempts of matching orders
	Hits          []int64 // attempts this fault's effect touched (the mock knows)

	// When, inside each bucket, the earliest and latest first attempt of a
	// matching order went to a targeted provider (Target) or elsewhere
	// (Away), plus 1ns so that 0 means none. They place a routing move
	// between two orders rather than at a bucket edge; nil series (or a
	// zero where the counts say there was one) fall back to the bucket's
	// edges. See [Span].
	TargetFirstAt, TargetLastAt, AwayFirstAt, AwayLastAt []time.Duration
}

// NoteFirst records the time of a matching order's first attempt in bucket
// b of the fault's event series (allocated to n buckets on first use).
func (f *FaultSeries) NoteFirst(b, n int, at time.Duration, toTarget bool) {
	if f.TargetFirstAt == nil {
		f.TargetFirstAt, f.TargetLastAt = make([]time.Duration, n), make([]time.Duration, n)
		f.AwayFirstAt, f.AwayLastAt = make([]time.Duration, n), make([]time.Duration, n)
	}
	first, last := f.AwayFirstAt, f.AwayLastAt
	if toTarget {
		first, last = f.TargetFirstAt, f.TargetLastAt
	}
	if b < 0 || b >= len(first) {
		return
	}
	v := at + 1
	if first[b] == 0 || v < first[b] {
		first[b] = v
	}
	if v > last[b] {
		last[b] = v
	}
}
