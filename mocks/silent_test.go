package mocks

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// A call declined for another reason never showed the silent freeze: no
// silent payment, no hit.
func TestSilentHitOnlyWhenAccepted(t *testing.T) {
	s := scenarioOf(t,
		"  - {name: pay, flow: async, decline_rate: 1, latency: {median: 100ms, p99: 100ms}}\n",
		"  - {type: silent, at: 1m, for: 1m, target: {providers: [pay]}}\n")
	p := providerOf(t, s, "pay")
	var pay Payment
	c := p.Create(90*time.Second, order(1000), &pay)
	if c.Status != payment.Declined || c.Silent || c.Hits != 0 || pay.Silent {
		t.Errorf("declined create during a silent freeze: status %v, silent %v, hits %#x, payment silent %v; want declined, no silent, no hit",
			c.Status, c.Silent, c.Hits, pay.Silent)
	}
}

// A live mock forgets payments two pay-page lifetimes old, so a long
// drill's memory stays flat; recent ones stay.
func TestLiveForgetsOldPayments(t *testing.T) {
	s := scenarioOf(t, "  - {name: pay, flow: async, expiry: 15m, latency: {median: 100ms, p99: 100ms}}\n", "")
	now := time.Duration(0)
	l := NewLive(s, 0, func() time.Duration { return now })
	old, _ := l.Create(CreateRequest{OrderID: "o1", IdempotencyKey: "k1", Amount: 1000, Currency: "USD", Method: "card"})
	now = 29 * time.Minute
	l.Create(CreateRequest{OrderID: "o2", Amount: 1000, Currency: "USD", Method: "card"})
	if _, ok := l.Get(old.ID); !ok {
		t.Fatalf("payment %s forgotten after 29m, want kept for 2 x 15m expiry", old.ID)
	}
	now = 40 * time.Minute
	recent, _ := l.Create(CreateRequest{OrderID: "o3", Amount: 1000, Currency: "USD", Method: "card"})
	if _, ok := l.Get(old.ID); ok {
		t.Errorf("payment %s kept after 40m, want forgotten past 30m", old.ID)
	}
	if again, replay := l.Create(CreateRequest{OrderID: "o1", IdempotencyKey: "k1", Amount: 1000, Currency: "USD", Method: "card"}); replay || again.ID == old.ID {
		t.Errorf("idempotency key of a forgotten payment still replays %s", again.ID)
	}
	now = 61 * time.Minute
	l.Create(CreateRequest{OrderID: "o4", Amount: 1000, Currency: "USD", Method: "card"})
	if _, ok := l.Get(recent.ID); !ok {
		t.Errorf("payment %s (created at 40m) forgotten at 61m", recent.ID)
	}
}
