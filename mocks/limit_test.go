package mocks

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
)

// tick is 1/64 s: with a rate of 8/s every call adds exactly 1/8 token,
// so the counts below are exact.
const tick = time.Second / 64

// perSecond calls p.Create every tick from start for n whole seconds and
// returns how many calls each second let through, checking every refused
// call is a 429 that makes no payment, with hits.
func perSecond(t *testing.T, p *Provider, start time.Duration, n int, hits uint64) []int {
	t.Helper()
	out := make([]int, n)
	for s := range n {
		for k := range 64 {
			at := start + time.Duration(s)*time.Second + time.Duration(k)*tick
			var pay Payment
			c := p.Create(at, order(1000), &pay)
			switch c.Status {
			case payment.Accepted:
				out[s]++
				if c.Hits != 0 {
					t.Fatalf("Create(%v): accepted with hits %#x, want 0", at, c.Hits)
				}
			case payment.Limited:
				want := Call{Status: payment.Limited, Code: payment.CodeTryAgain, Latency: ms100, Hits: hits}
				if diff := cmp.Diff(want, c); diff != "" {
					t.Fatalf("Create(%v): limited call (-want +got):\n%s", at, diff)
				}
				if pay.State != payment.NotFound {
					t.Fatalf("Create(%v): limited call left payment %v, want not_found", at, pay.State)
				}
			default:
				t.Fatalf("Create(%v): status %v, want accepted or rate_limited", at, c.Status)
			}
		}
	}
	return out
}

func TestRateLimitFault(t *testing.T) {
	s := scenarioOf(t, syncAlpha+syncBeta,

		"  - {type: rate_limit, limit: 8/s, at: 1m, for: 3s, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	// Before the window nothing is limited and no token is taken.
	if got := perSecond(t, p, 30*time.Second, 2, 1); !cmp.Equal(got, []int{64, 64}) {
		t.Errorf("before the rate_limit window: %v let through a second, want [64 64]", got)
	}
	// A full bucket of 8, then 7 more over the first second (63 ticks of
	// 1/8), then exactly 8 a second.
	if got := perSecond(t, p, time.Minute, 3, 1); !cmp.Equal(got, []int{15, 8, 8}) {
		t.Errorf("rate_limit 8/s at 64 calls/s: %v let through a second, want [15 8 8]", got)
	}
	if got := perSecond(t, p, time.Minute+3*time.Second, 1, 1); !cmp.Equal(got, []int{64}) {
		t.Errorf("after the rate_limit window: %v let through, want [64]", got)
	}
	if got := perSecond(t, providerOf(t, s, "beta"), time.Minute, 1, 0); !cmp.Equal(got, []int{64}) {
		t.Errorf("untargeted provider: %v let through, want [64]", got)
	}
	if got := p.Ledger().Creates; got != 64*2+15+8+8+64 {
		t.Errorf("ledger creates %d, want %d (limited calls make no payment)", got, 64*2+15+8+8+64)
	}
}

// The bucket refills while idle, up to one second's worth.
func TestRateLimitRefill(t *testing.T) {
	s := scenarioOf(t, syncAlpha, "  - {type: rate_limit, limit: 4/s, at: 1m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	tests := []struct {
		at    time.Duration
		calls int
		want  int // let through
	}{
		{time.Minute, 10, 4},                                   // full bucket
		{time.Minute + 250*time.Millisecond, 3, 1},             // one token back
		{time.Minute + 750*time.Millisecond, 3, 2},             // two more
		{time.Minute + time.Hour, 10, 4},                       // refilled to the burst only
		{time.Minute + time.Hour + 125*time.Millisecond, 2, 0}, // half a token
		{time.Minute + time.Hour + 250*time.Millisecond, 2, 1},
	}
	for _, tt := range tests {
		got := 0
		for range tt.calls {
			var pay Payment
			if p.Create(tt.at, order(1000), &pay).Status == payment.Accepted {
				got++
			}
		}
		if got != tt.want {
			t.Errorf("rate_limit 4/s: %d calls at %v let %d through, want %d", tt.calls, tt.at, got, tt.want)
		}
	}
}

func TestProviderRateLimit(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, rate_limit: 8/s, latency: {median: 100ms, p99: 100ms}}\n", "")
	p := providerOf(t, s, "alpha")
	if got := perSecond(t, p, 0, 3, 0); !cmp.Equal(got, []int{15, 8, 8}) {
		t.Errorf("provider rate_limit 8/s at 64 calls/s: %v let through a second, want [15 8 8]", got)
	}
}

func TestProviderCapacity(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, capacity: 2, latency: {median: 100ms, p99: 100ms}}\n", "")
	p := providerOf(t, s, "alpha")
	// A refused call is in flight too, until its answer is due (its latency).
	steps := []struct {
		at       time.Duration
		inFlight int
		ok       bool
	}{
		{0, 0, true},
		{0, 1, true},
		{0, 2, false},                        // refused, answered at 100ms
		{100*time.Millisecond - 1, 3, false}, // all three still in flight
		{200 * time.Millisecond, 0, true},
		{250 * time.Millisecond, 1, true},
		{300 * time.Millisecond, 1, true}, // the one from 200ms is answered at exactly 300ms
		{310 * time.Millisecond, 2, false},
	}
	for _, st := range steps {
		var pay Payment
		c := p.Create(st.at, order(1000), &pay)
		if c.InFlight != st.inFlight {
			t.Errorf("capacity 2: Create(%v) saw %d in flight, want %d", st.at, c.InFlight, st.inFlight)
		}
		if got := c.Status == payment.Accepted; got != st.ok {
			t.Errorf("capacity 2: Create(%v) status %v, want accepted = %v", st.at, c.Status, st.ok)
		}
		if !st.ok && (c.Status != payment.Limited || c.Code != payment.CodeTryAgain || c.Processed || c.Hits != 0 || pay.State != payment.NotFound) {
			t.Errorf("capacity 2: refused Create(%v) = %+v, payment %v, want a 429 with no payment and no hits", st.at, c, pay.State)
		}
	}
}

func TestCapacityFault(t *testing.T) {
	s := scenarioOf(t, syncAlpha, "  - {type: capacity, max: 1, at: 1m, for: 1m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	steps := []struct {
		at       time.Duration
		inFlight int
		ok       bool
		hits     uint64
	}{
		// Before the window: no cap, but calls are counted.
		{30 * time.Second, 0, true, 0},
		{30 * time.Second, 1, true, 0},
		{30 * time.Second, 2, true, 0},
		// Calls from before the window still count in it.
		{time.Minute - 50*time.Millisecond, 0, true, 0},
		{time.Minute, 1, false, 1},
		// Both are answered by 60.1s (the refused one at 60.1s).
		{time.Minute + 100*time.Millisecond, 0, true, 0},
		{time.Minute + 150*time.Millisecond, 1, false, 1},
		// After the window: no cap.
		{2 * time.Minute, 0, true, 0},
		{2 * time.Minute, 1, true, 0},
		{2 * time.Minute, 2, true, 0},
	}
	for _, st := range steps {
		var pay Payment
		c := p.Create(st.at, order(1000), &pay)
		if c.InFlight != st.inFlight || (c.Status == payment.Accepted) != st.ok || c.Hits != st.hits {
			t.Errorf("capacity fault max 1: Create(%v) = in flight %d, status %v, hits %#x; want %d, accepted %v, hits %#x",
				st.at, c.InFlight, c.Status, c.Hits, st.inFlight, st.ok, st.hits)
		}
		if !st.ok && (c.Status != payment.Limited || c.Processed) {
			t.Errorf("capacity fault: refused Create(%v) = %+v, want a 429 with no payment", st.at, c)
		}
	}
}
