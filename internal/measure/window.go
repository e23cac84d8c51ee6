package measure

import (
	"sort"
	"time"
)

// prefix holds running totals of one per-bucket counter: p[i] is the sum of
// buckets [0, i). Every window sum is then two reads.
type prefix []int64

// newPrefix totals the first n buckets of v; buckets past len(v) count 0.
func newPrefix(v []int64, n int) prefix {
	p := make(prefix, n+1)
	for i := range n {
		var x int64
		if i < len(v) {
			x = v[i]
		}
		p[i+1] = p[i] + x
	}
	return p
}

// sum returns the total of buckets [lo, hi), clipped to the series.
func (p prefix) sum(lo, hi int) int64 {
	n := len(p) - 1
	lo, hi = min(max(lo, 0), n), min(max(hi, 0), n)
	if hi <= lo {
		return 0
	}
	return p[hi] - p[lo]
}

// back extends the window [lo, hi) back, bucket by bucket but never below
// floor, until it holds at least want. It returns the new lo: the latest one
// that holds want, or floor when none does.
func (p prefix) back(lo, hi, floor int, want int64) int {
	if lo <= floor || p.sum(lo, hi) >= want {
		return max(lo, floor)
	}
	// Sums shrink as the start moves forward: find the first start that
	// holds too few; the one before it is the latest that holds enough.
	k := sort.Search(lo-floor, func(k int) bool { return p.sum(floor+k, hi) < want })
	if k == 0 {
		return floor
	}
	return floor + k - 1
}

// forward extends the window [lo, hi) forward, bucket by bucket but never
// past ceil, until it holds at least want. It returns the new hi, or -1 when
// no window up to ceil holds want.
func (p prefix) forward(lo, hi, ceil int, want int64) int {
	if hi > ceil {
		return -1
	}
	k := sort.Search(ceil-hi+1, func(k int) bool { return p.sum(lo, hi+k) >= want })
	if k > ceil-hi {
		return -1
	}
	return hi + k
}

// floorDiv is the bucket holding d: floor(d/b), 0 for negative d.
func floorDiv(d, b time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(d / b)
}

// ceilDiv is the number of buckets that cover d: ceil(d/b), 0 for d <= 0.
func ceilDiv(d, b time.Duration) int {
	if d <= 0 {
		return 0
	}
	n := d / b
	if d%b != 0 {
		n++
	}
	return int(n)
}

// span is the number of buckets a window of length d covers, at least one.
func span(d, b time.Duration) int {
	return max(ceilDiv(d, b), 1)
}

// ratio is a/b, 0 when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
