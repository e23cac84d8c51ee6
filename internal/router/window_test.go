package router

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestWindowCounts(t *testing.T) {
	type add struct {
		at     time.Duration
		failed bool
	}
	tests := []struct {
		name  string
		adds  []add
		at    time.Duration
		n, f  int
		reset bool
	}{
		{"empty", nil, time.Minute, 0, 0, false},
		{"same slot", []add{{0, true}, {time.Second, false}, {9 * time.Second, true}}, 9 * time.Second, 3, 2, false},
		{"across slots", []add{{0, true}, {15 * time.Second, false}, {55 * time.Second, true}}, 59 * time.Second, 3, 2, false},
		{"oldest slot ages out", []add{{0, true}, {15 * time.Second, false}, {55 * time.Second, true}}, 60 * time.Second, 2, 1, false},
		{"all aged out", []add{{0, true}, {15 * time.Second, false}}, 10 * time.Minute, 0, 0, false},
		{"slot reused after a lap", []add{{0, true}, {0, true}, {60 * time.Second, false}}, 60 * time.Second, 1, 0, false},
		{"reset", []add{{0, true}, {time.Second, false}}, 2 * time.Second, 0, 0, true},
	}
	for _, tt := range tests {
		w := newWindow(time.Minute)
		for _, a := range tt.adds {
			w.add(a.at, a.failed)
		}
		if tt.reset {
			w.reset()
		}
		if n, f := w.counts(tt.at); n != tt.n || f != tt.f {
			t.Errorf("%s: counts(%v) = %d, %d; want %d, %d", tt.name, tt.at, n, f, tt.n, tt.f)
		}
	}
}

// TestWindowSlotOf: the cached slot is now / slot for any order of times,
// forwards, backwards, negative, at every slot's edges.
func TestWindowSlotOf(t *testing.T) {
	w := newWindow(6 * time.Second)
	rng := rand.New(rand.NewPCG(3, 4))
	at := []time.Duration{0, -1, 1, w.slot - 1, w.slot, w.slot + 1, -w.slot, -w.slot - 1, 5 * w.slot, 5*w.slot - 1, 2 * w.slot,
		-w.slot - w.slot/2, -w.slot / 2, -3 * w.slot, -2*w.slot - 1, -w.slot + 1}
	for range 100000 {
		at = append(at, time.Duration(rng.Int64N(int64(time.Hour)))-time.Minute)
	}
	for i, now := range at {
		if got, want := w.slotOf(now), int64(now/w.slot); got != want {
			t.Fatalf("call %d: slotOf(%v) = %d, want %d", i, now, got, want)
		}
	}
}
