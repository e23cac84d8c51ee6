package measure

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// within says whether got is within 0.1% (3 significant figures) of want.
func within(got, want time.Duration) bool {
	diff := got - want
	if diff < 0 {
		diff = -diff
	}
	return float64(diff) <= float64(want)*0.001+float64(time.Microsecond)
}

func TestLatencyQuantiles(t *testing.T) {
	l := NewLatency()
	for i := 1; i <= 1000; i++ {
		l.Record(time.Duration(i) * time.Millisecond)
	}
	tests := []struct {
		q    float64
		want time.Duration
	}{
		{0, time.Millisecond},
		{0.5, 500 * time.Millisecond},
		{0.9, 900 * time.Millisecond},
		{0.99, 990 * time.Millisecond},
		{1, time.Second},
		{-1, time.Millisecond}, // clamped to 0
		{2, time.Second},       // clamped to 1
	}
	for _, tt := range tests {
		if got := l.Quantile(tt.q); !within(got, tt.want) {
			t.Errorf("Quantile(%v) = %v, want %v within 0.1%%", tt.q, got, tt.want)
		}
	}
	if got := l.Count(); got != 1000 {
		t.Errorf("Count() = %d, want 1000", got)
	}
	if got := l.Max(); got != time.Second {
		t.Errorf("Max() = %v, want 1s", got)
	}
}

func TestLatencyEdges(t *testing.T) {
	empty := NewLatency()
	big := NewLatency()
	big.Record(3 * time.Hour)
	small := NewLatency()
	small.Record(-time.Second)
	small.Record(100 * time.Nanosecond)

	type figures struct {
		Count         int64
		P50, P100, Mx time.Duration
	}
	fig := func(l *Latency) figures { return figures{l.Count(), l.Quantile(0.5), l.Quantile(1), l.Max()} }
	tests := []struct {
		name string
		l    *Latency
		want figures
	}{
		{"empty", empty, figures{}},
		{"above 1h is clamped, max is not", big, figures{1, big.Quantile(0.5), big.Quantile(1), 3 * time.Hour}},
		{"below 1µs counts as 0", small, figures{2, 0, 0, 100 * time.Nanosecond}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, fig(tt.l)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	if got := big.Quantile(1); !within(got, time.Hour) {
		t.Errorf("Quantile(1) after recording 3h = %v, want 1h", got)
	}
}

func TestLatencyMerge(t *testing.T) {
	a, b := NewLatency(), NewLatency()
	for i := range 100 {
		a.Record(time.Duration(i+1) * time.Millisecond)
		b.Record(time.Duration(i+101) * time.Millisecond)
	}
	a.Merge(b)
	a.Merge(nil)
	if got := a.Count(); got != 200 {
		t.Errorf("Count() after merge = %d, want 200", got)
	}
	if got := a.Max(); got != 200*time.Millisecond {
		t.Errorf("Max() after merge = %v, want 200ms", got)
	}
	if got := a.Quantile(0.5); !within(got, 100*time.Millisecond) {
		t.Errorf("Quantile(0.5) after merge = %v, want 100ms", got)
	}
	if got := b.Count(); got != 100 {
		t.Errorf("merged-from Count() = %d, want 100 (unchanged)", got)
	}
}

func TestLatencyRecordDoesNotAllocate(t *testing.T) {
	l := NewLatency()
	d := time.Duration(0)
	allocs := testing.AllocsPerRun(1000, func() {
		d += 7919 * time.Microsecond
		l.Record(d)
		l.Record(2 * time.Hour)
		l.Record(-1)
	})
	if allocs != 0 {
		t.Errorf("Record allocated %v times a run, want 0", allocs)
	}
}

func BenchmarkLatencyRecord(b *testing.B) {
	l := NewLatency()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l.Record(time.Duration(i%100000) * time.Microsecond)
	}
}
