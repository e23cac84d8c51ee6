package measure

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPrefix(t *testing.T) {
	//             bucket: 0  1  2  3  4  5
	p := newPrefix([]int64{5, 0, 3, 0, 4}, 6) // bucket 5 is past the slice: 0
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"sum inside", int(p.sum(1, 4)), 3},
		{"sum clipped", int(p.sum(-3, 99)), 12},
		{"sum empty", int(p.sum(4, 2)), 0},
		{"back: enough already", p.back(4, 5, 0, 4), 4},
		{"back: one bucket more", p.back(3, 5, 0, 7), 2},
		{"back: stops at the latest start", p.back(4, 5, 0, 8), 0},
		{"back: never below floor", p.back(4, 5, 2, 99), 2},
		{"back: lo below floor", p.back(1, 5, 2, 1), 2},
		{"forward: enough already", p.forward(0, 1, 6, 5), 1},
		{"forward: extends", p.forward(1, 2, 6, 7), 5},
		{"forward: none up to ceil", p.forward(1, 2, 4, 7), -1},
		{"forward: window past ceil", p.forward(1, 5, 4, 0), -1},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestBucketArithmetic(t *testing.T) {
	const b = 10 * time.Second
	got := [][]int{
		{floorDiv(-time.Second, b), floorDiv(0, b), floorDiv(9*time.Second, b), floorDiv(10*time.Second, b)},
		{ceilDiv(-time.Second, b), ceilDiv(0, b), ceilDiv(1, b), ceilDiv(10*time.Second, b), ceilDiv(11*time.Second, b)},
		{span(0, b), span(time.Minute, b), span(61*time.Second, b)},
	}
	want := [][]int{{0, 0, 0, 1}, {0, 0, 1, 1, 2}, {1, 6, 7}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bucket arithmetic (-want +got):\n%s", diff)
	}
}

func TestDefaultParams(t *testing.T) {
	want := Params{Baseline: 5 * time.Minute, Window: 10 * time.Second, Hold: time.Minute, MinSamples: 10, HitThreshold: 0.05, ConversionTolerance: 0.1}
	if diff := cmp.Diff(want, DefaultParams()); diff != "" {
		t.Errorf("DefaultParams (-want +got):\n%s", diff)
	}
	if got := (Params{MinSamples: -3}).minSamples(); got != 1 {
		t.Errorf("minSamples of -3 = %d, want 1", got)
	}
}
