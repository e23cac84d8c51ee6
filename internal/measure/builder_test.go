package measure

import (
	"testing"
	"time"
)

// timeline is a compact, hand-built run with one fault: one value a bucket
// per series. Series may have different lengths; the run is as long as the
// longest and shorter ones are padded with zeros. Defaults: bucket 1m,
// Attempts = First, Created = First, Paid = Created - Failed, amounts =
// orders × amount (100 minor units when 0). Provider "a" is the targeted
// one and gets the targeted first attempts; "b" gets the rest.
type timeline struct {
	bucket           time.Duration
	start, end, flap time.Duration

	first, target  []int64
	attempts, hits []int64

	created, paid, failed []int64
	amount                int64
	failedAmount          []int64 // overrides failed × amount
}

// rep is n buckets of v.
func rep(n int, v int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// cat joins runs of buckets.
func cat(parts ...[]int64) []int64 {
	var out []int64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// series builds the Series the timeline describes.
func (x timeline) series(t testing.TB) *Series {
	t.Helper()
	if x.bucket == 0 {
		x.bucket = time.Minute
	}
	if x.amount == 0 {
		x.amount = 100
	}
	n := 0
	for _, v := range [][]int64{x.first, x.target, x.attempts, x.hits, x.created, x.paid, x.failed, x.failedAmount} {
		n = max(n, len(v))
	}
	pad := func(v []int64) []int64 {
		out := make([]int64, n)
		copy(out, v)
		return out
	}
	first, target, hits, failed := pad(x.first), pad(x.target), pad(x.hits), pad(x.failed)
	attempts := pad(x.attempts)
	if x.attempts == nil {
		copy(attempts, first)
	}
	created := pad(x.created)
	if x.created == nil {
		copy(created, first)
	}
	paid := pad(x.paid)
	if x.paid == nil {
		for i := range paid {
			paid[i] = created[i] - failed[i]
		}
	}
	createdAmount, failedAmount := make([]int64, n), pad(x.failedAmount)
	for i := range n {
		if target[i] > first[i] {
			t.Fatalf("bucket %d: %d first attempts to the target, more than the %d first attempts", i, target[i], first[i])
		}
		createdAmount[i] = created[i] * x.amount
		if x.failedAmount == nil {
			failedAmount[i] = failed[i] * x.amount
		}
	}

	s := &Series{
		Bucket:    x.bucket,
		Providers: []string{"a", "b"},
		Orders:    make([]OrderBucket, n),
		Provider:  [][]ProvBucket{make([]ProvBucket, n), make([]ProvBucket, n)},
		Faults: []FaultSeries{{
			Name: "freeze", Type: "merchant_freeze", Providers: []string{"a"},
			Start: x.start, End: x.end, FlapPeriod: x.flap,
			Created: created, Paid: paid, Failed: failed,
			CreatedAmount: createdAmount, FailedAmount: failedAmount,
			First: first, FirstToTarget: target, Attempts: attempts, Hits: hits,
		}},
	}
	for i := range n {
		s.Orders[i] = OrderBucket{
			Created: created[i], Paid: paid[i], Failed: failed[i],
			CreatedAmount: createdAmount[i], PaidAmount: paid[i] * x.amount, FailedAmount: failedAmount[i],
		}
		s.Provider[0][i] = ProvBucket{First: target[i], Attempts: target[i]}
		s.Provider[1][i] = ProvBucket{First: first[i] - target[i], Attempts: attempts[i] - target[i], Captures: paid[i]}
	}
	return s
}

func TestTimelineBuilder(t *testing.T) {
	s := timeline{first: []int64{10, 10}, target: []int64{4}, failed: []int64{0, 3}, start: time.Minute, end: 2 * time.Minute}.series(t)
	f := s.Faults[0]
	if len(s.Orders) != 2 || f.Paid[1] != 7 || f.Created[1] != 10 || f.FirstToTarget[1] != 0 ||
		f.FailedAmount[1] != 300 || s.Provider[1][0].First != 6 || f.Attempts[0] != 10 {
		t.Errorf("timeline built %+v", s)
	}
}
