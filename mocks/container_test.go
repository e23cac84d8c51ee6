package mocks

import (
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Each container fault's model equivalent: what a create during the fault
// looks like to the router (status, how long it waits) and whether the
// provider holds a payment afterwards.
func TestContainerFaultModels(t *testing.T) {
	for _, tc := range []struct {
		fault     string
		status    payment.Status
		minWait   time.Duration
		processed bool
	}{
		{"{type: pause, at: 1m, for: 2m}", payment.Accepted, 90 * time.Second, true}, // answered at unpause (3m)
		{"{type: pause, at: 1m}", payment.Accepted, hangFor, true},
		{"{type: crash, at: 1m, for: 2m}", payment.Failed, 0, false},
		{"{type: partition, at: 1m, for: 2m}", payment.Failed, hangFor, false},
		{"{type: toxic, toxic: latency, attributes: {latency: 3000}, at: 1m, for: 2m}", payment.Accepted, 3 * time.Second, true},
		{"{type: toxic, toxic: timeout, at: 1m, for: 2m}", payment.Accepted, hangFor, true},
		{"{type: toxic, toxic: timeout, attributes: {timeout: 500}, at: 1m, for: 2m}", payment.Failed, 500 * time.Millisecond, true},
		{"{type: toxic, toxic: reset_peer, at: 1m, for: 2m}", payment.Failed, 0, true},
		{"{type: toxic, toxic: bandwidth, attributes: {rate: 10}, at: 1m, for: 2m}", payment.Accepted, 0, true},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			f := tc.fault[:len(tc.fault)-1] + ", target: {providers: [pay]}}"
			s := scenarioOf(t, "  - {name: pay, flow: async, latency: {median: 100ms, p99: 100ms}}\n", "  - "+f+"\n")
			p := providerOf(t, s, "pay")
			var pay Payment
			c := p.Create(90*time.Second, order(1000), &pay)
			if c.Status != tc.status || c.Latency < tc.minWait || c.Processed != tc.processed {
				t.Errorf("create at 1m30s: status %v, waits %v, processed %v; want %v, at least %v, %v",
					c.Status, c.Latency, c.Processed, tc.status, tc.minWait, tc.processed)
			}
			wantHit := tc.fault != "{type: toxic, toxic: bandwidth, attributes: {rate: 10}, at: 1m, for: 2m}"
			if (c.Hits != 0) != wantHit {
				t.Errorf("hits %#x, want a hit: %v", c.Hits, wantHit)
			}
			if !strings.Contains(tc.fault, "for:") {
				return // open-ended: still on
			}
			if after := p.Create(4*time.Minute, order(1000), &pay); after.Status != payment.Accepted || after.Latency > time.Second || after.Hits != 0 {
				t.Errorf("create at 4m, after the fault: status %v, waits %v, hits %#x; want accepted, quick, no hit",
					after.Status, after.Latency, after.Hits)
			}
		})
	}
}
