package measure

import (
	"testing"
	"time"
)

func TestLatencySketchQuantiles(t *testing.T) {
	var s LatencySketch
	for i := 1; i <= 1000; i++ {
		s.Record(time.Duration(i) * time.Millisecond) // 1ms..1s uniform
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.99, 990 * time.Millisecond}} {
		got := s.Quantile(tc.q)
		if got < tc.want*10/14 || got > tc.want*14/10 {
			t.Errorf("Quantile(%v) = %v, want within a bin of %v", tc.q, got, tc.want)
		}
	}
	if s.Count() != 1000 {
		t.Errorf("Count = %d, want 1000", s.Count())
	}
	if got := (&LatencySketch{}).Quantile(0.5); got != 0 {
		t.Errorf("empty Quantile = %v, want 0", got)
	}
}

func TestRecordLatencyDoesNotAllocate(t *testing.T) {
	s := &Series{Bucket: 10 * time.Second, Orders: make([]OrderBucket, 10)}
	s.RecordLatency(0, time.Millisecond) // the one allocation of the run
	if n := testing.AllocsPerRun(100, func() { s.RecordLatency(15*time.Second, 300*time.Millisecond) }); n != 0 {
		t.Errorf("RecordLatency allocates %v times per order", n)
	}
	if s.Latency[1].Count() != 100 && s.Latency[1].Count() != 101 {
		t.Errorf("bucket 1 holds %d, want the recorded orders", s.Latency[1].Count())
	}
}
