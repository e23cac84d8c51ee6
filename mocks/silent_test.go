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
