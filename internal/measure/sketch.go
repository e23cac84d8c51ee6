package measure

import (
	"math"
	"time"
)

// SketchBins is the number of counters of a LatencySketch.
const SketchBins = 40

// sketchLow and sketchHigh bound the log-spaced bins: bin 0 holds
// durations under 1 ms, bin SketchBins-1 those of 10 min and more, and the
// 38 bins between split [1 ms, 10 min) evenly on a log scale (each about
// 42 % wider than the one before).
const (
	sketchLow  = time.Millisecond
	sketchHigh = 10 * time.Minute
)

// sketchEdges[k] is the lower edge of bin k+1: sketchEdges[0] = 1 ms,
// sketchEdges[SketchBins-2] = 10 min.
var sketchEdges = func() [SketchBins - 1]time.Duration {
	var e [SketchBins - 1]time.Duration
	ratio := float64(sketchHigh) / float64(sketchLow)
	for k := range e {
		e[k] = time.Duration(math.Round(float64(sketchLow) * math.Pow(ratio, float64(k)/float64(SketchBins-2))))
	}
	e[SketchBins-2] = sketchHigh
	return e
}()

// LatencySketch is a compact latency histogram: SketchBins fixed
// log-spaced uint32 counters. One per series bucket costs 160 bytes, so a
// simulated day at 10 s buckets holds 8,640 of them in 1.4 MB. Recording
// neither allocates nor depends on anything but the duration.
type LatencySketch [SketchBins]uint32

// sketchBin returns the bin of d.
func sketchBin(d time.Duration) int {
	// Binary search over the edges: the bin is the number of edges <= d.
	lo, hi := 0, len(sketchEdges)
	for lo < hi {
		m := (lo + hi) / 2
		if sketchEdges[m] <= d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Record counts one duration (saturating at the counter's maximum).
func (s *LatencySketch) Record(d time.Duration) {
	b := sketchBin(d)
	if s[b] < math.MaxUint32 {
		s[b]++
	}
}

// Merge adds o's counts to s (saturating).
func (s *LatencySketch) Merge(o *LatencySketch) {
	for i, v := range o {
		s[i] = uint32(min(uint64(s[i])+uint64(v), math.MaxUint32))
	}
}

// Count is the number of durations recorded.
func (s *LatencySketch) Count() int64 {
	var n int64
	for _, v := range s {
		n += int64(v)
	}
	return n
}

// Quantile estimates the duration at quantile q in [0, 1] (clamped): it
// finds the bin holding the q-th duration and interpolates on a log scale
// inside it (linearly in the first bin, [0, 1 ms); the last bin, 10 min
// and over, answers 10 min). The estimate is within one bin's width, about
// 42 %, of the truth. It is 0 when nothing was recorded.
func (s *LatencySketch) Quantile(q float64) time.Duration {
	n := s.Count()
	if n == 0 {
		return 0
	}
	q = min(max(q, 0), 1)
	// rank in (0, n]: the q-th duration.
	rank := max(q*float64(n), 1)
	var cum float64
	for b, v := range s {
		if v == 0 {
			continue
		}
		if cum+float64(v) < rank {
			cum += float64(v)
			continue
		}
		frac := (rank - cum) / float64(v)
		switch b {
		case 0:
			return time.Duration(frac * float64(sketchLow))
		case SketchBins - 1:
			return sketchHigh
		}
		lo, hi := float64(sketchEdges[b-1]), float64(sketchEdges[b])
		return time.Duration(math.Round(lo * math.Pow(hi/lo, frac)))
	}
	return sketchHigh
}

// RecordLatency counts one checkout latency d in the sketch of the bucket
// the order was created in. The sketches are allocated on first use (one
// allocation per run, none per order).
func (s *Series) RecordLatency(created, d time.Duration) {
	if len(s.Orders) == 0 || s.Bucket <= 0 {
		return
	}
	if s.Latency == nil {
		s.Latency = make([]LatencySketch, len(s.Orders))
	}
	b := min(max(int(created/s.Bucket), 0), len(s.Latency)-1)
	s.Latency[b].Record(d)
}
