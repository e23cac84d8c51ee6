package mocks

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestSpreadSample(t *testing.T) {
	tests := []struct {
		median, p99 time.Duration
	}{
		{250 * time.Millisecond, 1500 * time.Millisecond},
		{45 * time.Second, 4 * time.Minute},
		{2 * time.Second, 15 * time.Second},
		{time.Second, 1100 * time.Millisecond},
	}
	for _, tt := range tests {
		s := NewSpread(tt.median, tt.p99)
		r := rand.New(rand.NewPCG(7, 11))
		const n = 200000
		xs := make([]time.Duration, n)
		for i := range xs {
			xs[i] = s.Sample(r)
			if xs[i] <= 0 {
				t.Fatalf("NewSpread(%v, %v).Sample = %v, want positive", tt.median, tt.p99, xs[i])
			}
		}
		slices.Sort(xs)
		if got := xs[n/2]; relErr(got, tt.median) > 0.02 {
			t.Errorf("NewSpread(%v, %v): sample median %v, want within 2%%", tt.median, tt.p99, got)
		}
		if got := xs[n*99/100]; relErr(got, tt.p99) > 0.04 {
			t.Errorf("NewSpread(%v, %v): sample p99 %v, want within 4%%", tt.median, tt.p99, got)
		}
		// CDF agrees with the quantiles it was built from and with the samples.
		if got := s.CDF(tt.median); math.Abs(got-0.5) > 1e-9 {
			t.Errorf("NewSpread(%v, %v).CDF(median) = %v, want 0.5", tt.median, tt.p99, got)
		}
		if got := s.CDF(tt.p99); math.Abs(got-0.99) > 1e-6 {
			t.Errorf("NewSpread(%v, %v).CDF(p99) = %v, want 0.99", tt.median, tt.p99, got)
		}
		prev := 0.0
		for _, q := range []float64{0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999} {
			d := xs[int(q*n)]
			c := s.CDF(d)
			if math.Abs(c-q) > 0.005 {
				t.Errorf("NewSpread(%v, %v): CDF(empirical q%v = %v) = %v, want about %v", tt.median, tt.p99, q, d, c, q)
			}
			if c < prev {
				t.Errorf("NewSpread(%v, %v): CDF not monotone at %v", tt.median, tt.p99, d)
			}
			prev = c
		}
		if got := s.CDF(0); got != 0 {
			t.Errorf("NewSpread(%v, %v).CDF(0) = %v, want 0", tt.median, tt.p99, got)
		}
		if got := s.CDF(-time.Second); got != 0 {
			t.Errorf("NewSpread(%v, %v).CDF(-1s) = %v, want 0", tt.median, tt.p99, got)
		}
	}
}

func TestSpreadFixed(t *testing.T) {
	tests := []struct {
		median, p99, want time.Duration
	}{
		{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond},
		{time.Second, 500 * time.Millisecond, time.Second}, // p99 under the median
		{time.Second, 0, time.Second},
		{0, time.Second, 0},
		{-time.Second, time.Second, 0},
	}
	r := rand.New(rand.NewPCG(1, 1))
	for _, tt := range tests {
		s := NewSpread(tt.median, tt.p99)
		for range 100 {
			if got := s.Sample(r); got != tt.want {
				t.Fatalf("NewSpread(%v, %v).Sample = %v, want always %v", tt.median, tt.p99, got, tt.want)
			}
		}
		if got := s.CDF(tt.want); got != 1 {
			t.Errorf("NewSpread(%v, %v).CDF(%v) = %v, want 1", tt.median, tt.p99, tt.want, got)
		}
		if got := s.CDF(tt.want - 1); got != 0 {
			t.Errorf("NewSpread(%v, %v).CDF(%v) = %v, want 0", tt.median, tt.p99, tt.want-1, got)
		}
	}
}

func TestMixDraw(t *testing.T) {
	tests := []struct {
		keys    []string
		weights []float64
		want    map[string]float64
	}{
		{[]string{"a", "b", "c"}, []float64{1, 2, 7}, map[string]float64{"a": 0.1, "b": 0.2, "c": 0.7}},
		{[]string{"a", "b"}, []float64{0.5, 0.5}, map[string]float64{"a": 0.5, "b": 0.5}},
		{[]string{"a", "b", "c"}, []float64{0, 3, 1}, map[string]float64{"a": 0, "b": 0.75, "c": 0.25}},
		{[]string{"only"}, []float64{5}, map[string]float64{"only": 1}},
	}
	for _, tt := range tests {
		m := NewMix(tt.keys, tt.weights)
		r := rand.New(rand.NewPCG(3, 5))
		const n = 100000
		got := map[string]int{}
		for range n {
			got[m.Draw(r)]++
		}
		for k, w := range tt.want {
			if share := float64(got[k]) / n; math.Abs(share-w) > 0.01 {
				t.Errorf("NewMix(%v, %v): %q drawn %.4f of the time, want %v", tt.keys, tt.weights, k, share, w)
			}
		}
		for k := range got {
			if _, ok := tt.want[k]; !ok {
				t.Errorf("NewMix(%v, %v): drew unknown key %q", tt.keys, tt.weights, k)
			}
		}
	}
}

// mixOf sorts the map's keys, so the same seed draws the same codes
// whatever the map's iteration order.
func TestMixOfSorted(t *testing.T) {
	m := mixOf(map[string]float64{"c": 1, "a": 1, "b": 2})
	if !slices.Equal(m.keys, []string{"a", "b", "c"}) {
		t.Errorf("mixOf keys %v, want [a b c]", m.keys)
	}
	if want := []float64{0.25, 0.75, 1}; !slices.Equal(m.cum, want) {
		t.Errorf("mixOf cumulative weights %v, want %v", m.cum, want)
	}
}

func relErr(got, want time.Duration) float64 {
	return math.Abs(float64(got-want)) / float64(want)
}
