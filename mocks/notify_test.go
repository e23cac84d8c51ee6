package mocks

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
)

func TestNotifyFaults(t *testing.T) {
	faults := "  - {type: notify_blackout, at: 1m, for: 1m, target: {providers: [pay]}}\n" + // 1
		"  - {type: notify_delay, add: 30s, at: 3m, for: 1m, target: {providers: [pay]}}\n" + // 2
		"  - {type: notify_duplicate, at: 5m, for: 1m, target: {providers: [pay]}}\n" + // 4
		"  - {type: notify_delay, add: 1m, at: 7m, for: 1m, target: {providers: [pay]}, match: {methods: [alipay]}}\n" + // 8
		"  - {type: suspend, at: 9m, target: {providers: [pay]}}\n" // 16: no notify effect
	s := scenarioOf(t, asyncPay, faults)
	base := Notice{Count: 1, Delay: [2]time.Duration{2 * time.Second}}
	alipay := order(1000)
	alipay.Method = "alipay"
	tests := []struct {
		at    time.Duration
		order *payment.Order
		want  Notice
	}{
		{59 * time.Second, order(1000), base},
		{time.Minute, order(1000), Notice{Count: 0, Delay: [2]time.Duration{2 * time.Second}, Hits: 1}},
		{2*time.Minute - 1, order(1000), Notice{Count: 0, Delay: [2]time.Duration{2 * time.Second}, Hits: 1}},
		{2 * time.Minute, order(1000), base},
		{3 * time.Minute, order(1000), Notice{Count: 1, Delay: [2]time.Duration{32 * time.Second}, Hits: 2}},
		{4 * time.Minute, order(1000), base},
		{7 * time.Minute, order(1000), base},
		{7 * time.Minute, alipay, Notice{Count: 1, Delay: [2]time.Duration{62 * time.Second}, Hits: 8}},
		{9 * time.Minute, order(1000), base},
	}
	p := providerOf(t, s, "pay")
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, p.Notify(tt.at, tt.order)); diff != "" {
			t.Errorf("Notify(%v, %s): notice (-want +got):\n%s", tt.at, tt.order.Method, diff)
		}
	}
	// Duplicates: two notifications, the second within 5s of the first.
	for i := range 200 {
		at := 5*time.Minute + time.Duration(i)*100*time.Millisecond
		n := p.Notify(at, order(1000))
		if n.Count != 2 || n.Hits != 4 || n.Delay[0] != 2*time.Second || n.Delay[1] < n.Delay[0] || n.Delay[1] >= n.Delay[0]+5*time.Second {
			t.Fatalf("Notify(%v) under notify_duplicate: %+v, want count 2, hits 4, delays 2s then within 5s", at, n)
		}
	}
}

func TestNotifyDelayOnDuplicate(t *testing.T) {
	faults := "  - {type: notify_duplicate, at: 1m, target: {providers: [pay]}}\n" +
		"  - {type: notify_delay, add: 10s, at: 1m, target: {providers: [pay]}}\n"
	p := providerOf(t, scenarioOf(t, asyncPay, faults), "pay")
	n := p.Notify(time.Minute, order(1000))
	if n.Count != 2 || n.Hits != 3 || n.Delay[0] != 12*time.Second || n.Delay[1] < 12*time.Second || n.Delay[1] >= 17*time.Second {
		t.Errorf("duplicate then delay: %+v, want count 2, hits 3, both notifications 10s later", n)
	}
}

func TestNotifyBase(t *testing.T) {
	tests := []struct {
		name                 string
		provider             string
		lost, dup, tolerance float64
	}{
		{"no loss", "  - {name: pay, flow: async}\n", 0, 0, 0},
		{"loss", "  - {name: pay, flow: async, notify: {loss: 0.2}}\n", 0.2, 0, 0.015},
		{"duplicate", "  - {name: pay, flow: async, notify: {duplicate: 0.1}}\n", 0, 0.1, 0.015},
		{"all lost", "  - {name: pay, flow: async, notify: {loss: 1}}\n", 1, 0, 0},
	}
	for _, tt := range tests {
		p := providerOf(t, scenarioOf(t, tt.provider, ""), "pay")
		const n = 10000
		var lost, dup int
		for i := range n {
			nt := p.Notify(time.Duration(i)*time.Second, order(1000))
			switch nt.Count {
			case 0:
				lost++
			case 2:
				dup++
				if nt.Delay[1] < nt.Delay[0] {
					t.Fatalf("%s: duplicate arrives before the first: %v", tt.name, nt.Delay)
				}
			}
			if nt.Hits != 0 {
				t.Fatalf("%s: hits %#x with no fault, want 0", tt.name, nt.Hits)
			}
		}
		if r := float64(lost) / n; abs(r-tt.lost) > tt.tolerance {
			t.Errorf("%s: %.3f lost, want %v", tt.name, r, tt.lost)
		}
		if r := float64(dup) / n; abs(r-tt.dup) > tt.tolerance {
			t.Errorf("%s: %.3f duplicated, want %v", tt.name, r, tt.dup)
		}
	}
}

// A blackout over a notification that was lost anyway does not touch it.
func TestBlackoutOnLostNotification(t *testing.T) {
	s := scenarioOf(t, "  - {name: pay, flow: async, notify: {loss: 1}}\n",
		"  - {type: notify_blackout, at: 1m, target: {providers: [pay]}}\n"+
			"  - {type: notify_delay, add: 5s, at: 1m, target: {providers: [pay]}}\n")
	p := providerOf(t, s, "pay")
	if n := p.Notify(time.Minute, order(1000)); n.Count != 0 || n.Hits != 0 {
		t.Errorf("blackout and delay over a lost notification: %+v, want count 0 and no hits", n)
	}
}

// Notification faults have no effect on creates, and create faults none on notifications.
func TestFaultKindsStayApart(t *testing.T) {
	s := scenarioOf(t, asyncPay,
		"  - {type: notify_blackout, at: 1m, target: {providers: [pay]}}\n"+
			"  - {type: outage, at: 1m, target: {providers: [pay]}}\n")
	p := providerOf(t, s, "pay")
	var pay Payment
	if c := p.Create(time.Minute, order(1000), &pay); c.Hits != 2 {
		t.Errorf("Create under a blackout and an outage: hits %#x, want 2 (the outage only)", c.Hits)
	}
	if n := p.Notify(time.Minute, order(1000)); n.Hits != 1 {
		t.Errorf("Notify under a blackout and an outage: hits %#x, want 1 (the blackout only)", n.Hits)
	}
}
