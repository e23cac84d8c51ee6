package measure

import (
	"math"
	"testing"
	"time"
)

// TestSketchEdges: the edges run from 1 ms to 10 min in equal ratios, and
// a duration on an edge opens the bin above it.
func TestSketchEdges(t *testing.T) {
	ratio := math.Pow(float64(sketchHigh)/float64(sketchLow), 1/float64(SketchBins-2))
	if sketchEdges[0] != sketchLow || sketchEdges[SketchBins-2] != sketchHigh {
		t.Fatalf("edges %v … %v, want 1ms … 10m", sketchEdges[0], sketchEdges[SketchBins-2])
	}
	for k := 1; k < len(sketchEdges); k++ {
		if got := float64(sketchEdges[k]) / float64(sketchEdges[k-1]); math.Abs(got-ratio) > 1e-6*ratio {
			t.Errorf("edge %d / edge %d = %v, want %v", k, k-1, got, ratio)
		}
	}
	for k, e := range sketchEdges {
		if got := sketchBin(e); got != k+1 {
			t.Errorf("sketchBin(%v) = %d, want %d", e, got, k+1)
		}
		if got := sketchBin(e - 1); got != k {
			t.Errorf("sketchBin(%v - 1ns) = %d, want %d", e, got, k)
		}
	}
}

// TestSketchQuantileInsideABin: two durations in one bin put the median at
// the bin's geometric middle and the maximum at its upper edge; in the
// first bin, linearly from 0.
func TestSketchQuantileInsideABin(t *testing.T) {
	var s LatencySketch
	s[5] = 2
	lo, hi := float64(sketchEdges[4]), float64(sketchEdges[5])
	if got, want := s.Quantile(0.5), time.Duration(math.Round(math.Sqrt(lo*hi))); got != want {
		t.Errorf("median = %v, want %v (the bin's geometric middle)", got, want)
	}
	if got, want := s.Quantile(1), sketchEdges[5]; got != want {
		t.Errorf("max = %v, want %v (the bin's upper edge)", got, want)
	}
	// One in bin 0 and one in bin 5: the median (rank 1) is the whole of bin 0.
	var f LatencySketch
	f[0], f[5] = 1, 1
	if got := f.Quantile(0.5); got != sketchLow {
		t.Errorf("median of one under 1ms and one above = %v, want 1ms (bin 0's end)", got)
	}
}

func TestSketchSaturates(t *testing.T) {
	var s LatencySketch
	s[1] = math.MaxUint32 - 1
	s.Record(sketchEdges[0])
	s.Record(sketchEdges[0])
	if s[1] != math.MaxUint32 {
		t.Errorf("bin 1 = %d, want saturated at %d", s[1], uint32(math.MaxUint32))
	}
}

// TestRecordLatencyBuckets: a latency is counted in its creation's bucket,
// one created past the series in the last; a series without buckets or
// without a bucket width records nothing.
func TestRecordLatencyBuckets(t *testing.T) {
	s := &Series{Bucket: time.Minute, Orders: make([]OrderBucket, 3)}
	s.RecordLatency(90*time.Second, time.Second)
	s.RecordLatency(time.Hour, time.Second)
	if got := []int64{s.Latency[0].Count(), s.Latency[1].Count(), s.Latency[2].Count()}; got[0] != 0 || got[1] != 1 || got[2] != 1 {
		t.Errorf("counts per bucket %v, want [0 1 1]", got)
	}
	for _, e := range []*Series{{Orders: make([]OrderBucket, 3)}, {Bucket: time.Minute}} {
		e.RecordLatency(0, time.Second)
		if e.Latency != nil {
			t.Errorf("series %+v recorded a latency", e)
		}
	}
}

func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		k, n              int64
		low, high, centre float64
	}{
		{0, 0, 0, 1, 0.5},
		// Worked: p = 0.5, z² = 3.8415, d = 1.38415, centre 0.5,
		// half = 1.96·sqrt(0.025 + 0.0096)/d = 0.2633.
		{5, 10, 0.2366, 0.7634, 0.5},
		{10, 10, 0.7225, 1, 0.8612},
	} {
		low, high, centre := Wilson(tc.k, tc.n)
		near := func(got, want float64) bool { return math.Abs(got-want) <= 5e-5 } // false for NaN
		if !near(low, tc.low) || !near(high, tc.high) || !near(centre, tc.centre) {
			t.Errorf("Wilson(%d, %d) = %.4f, %.4f, %.4f; want %.4f, %.4f, %.4f", tc.k, tc.n, low, high, centre, tc.low, tc.high, tc.centre)
		}
	}
}
