package router

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

const freezeAt = 15 * time.Minute

// asyncFirst is a health router over async provider a and sync provider
// b, both taking cards, preferring a. ProbeShare 1 makes every order
// earn a probe, so the probing edges are exact.
func asyncFirst() *Health {
	cfg := cfgWith(func(c *HealthParams) {
		c.Cooldown, c.CheckAfter, c.ProbeShare = 30*time.Second, 2*time.Minute, 1
	})
	return NewHealth([]Provider{{Name: "a", Methods: []string{"card"}, Async: true}, {Name: "b", Methods: []string{"card"}}},
		[]int{0, 1}, cfg, 1)
}

func accepted(i int) Observation {
	return Observation{Provider: i, Kind: Answered, Status: payment.Accepted, Class: payment.ClassNone, Async: true}
}

func paid(i int, age time.Duration) Observation {
	return Observation{Provider: i, Kind: Paid, Async: true, Age: age}
}

// silenceEject plays one order a second to provider a, each paid 20s
// after acceptance until freezeAt, none after, and returns when the
// router moved off a.
func silenceEject(t *testing.T, h *Health) time.Duration {
	t.Helper()
	type due struct{ at, age time.Duration }
	var pending []due
	for now := time.Duration(0); now < freezeAt+15*time.Minute; now += time.Second {
		for len(pending) > 0 && pending[0].at <= now {
			h.Observe(pending[0].at, paid(0, pending[0].age))
			pending = pending[1:]
		}
		if got := h.Pick(now, card(), 0); got != 0 {
			if now < freezeAt {
				t.Fatalf("healthy async provider left at %v (Pick = %d)", now, got)
			}
			if !h.Ejected(0) {
				t.Fatalf("Pick moved off a at %v but a is not ejected", now)
			}
			return now
		}
		h.Observe(now, accepted(0))
		if now < freezeAt {
			pending = append(pending, due{now + 20*time.Second, 20 * time.Second})
		}
	}
	t.Fatalf("silent provider never ejected (frozen at %v)", freezeAt)
	return 0
}

func TestHealthSilenceEjects(t *testing.T) {
	h := asyncFirst()
	at := silenceEject(t, h)
	if at > freezeAt+3*time.Minute {
		t.Errorf("silent freeze at %v detected at %v, want within 3m", freezeAt, at)
	}
	if got := h.Pick(at+30*time.Second-1, card(), 0); got != 1 {
		t.Errorf("silence-ejected: Pick during the cooldown = %d, want 1", got)
	}
	if got := h.Pick(at+30*time.Second, card(), 0); got != 0 {
		t.Errorf("silence-ejected: Pick after the cooldown = %d, want a probe to 0", got)
	}
}

func withdrawn(i int, age time.Duration) Observation {
	return Observation{Provider: i, Kind: Unpaid, Async: true, Probe: true, Age: age}
}

// An ejected async provider gets one probe at a time, marked as a probe
// with a deadline; a probe's page withdrawn unpaid ejects it again, for
// twice the cooldown. No order but a probe reaches it: no relapse.
func TestHealthSilenceProbesOneAtATime(t *testing.T) {
	h := asyncFirst()
	out := silenceEject(t, h)
	back := out + 30*time.Second
	if got := h.Pick(back, card(), 0); got != 0 {
		t.Fatalf("Pick at %v = %d, want a probe to 0", back, got)
	}
	d, ok := h.Probe(0)
	if !ok || d < probeDeadlineMin || d > probeDeadlineMax {
		t.Fatalf("Probe(0) = %v, %v: want a probe with a deadline in [%v, %v]", d, ok, probeDeadlineMin, probeDeadlineMax)
	}
	h.Observe(back, accepted(0))
	// While the probe is open, every other order goes elsewhere, and a
	// retry (tried set) is never a probe.
	for k := 1; k < 100; k++ {
		now := back + time.Duration(k)*time.Second
		if got := h.Pick(now, card(), 0); got != 1 {
			t.Fatalf("a probe is open: Pick at %v = %d, want 1", now, got)
		}
		if _, ok := h.Probe(1); ok {
			t.Fatalf("an order to a healthy provider was marked a probe")
		}
	}
	// A retry after b failed has only a left: it goes there as a
	// fallback, not as a probe (nothing would be left to move it on to).
	if got := h.Pick(back+time.Minute, card(), 0b10); got != 0 {
		t.Fatalf("a retry: Pick = %d, want 0 (the fallback)", got)
	}
	if _, ok := h.Probe(0); ok {
		t.Fatalf("a fallback was marked a probe")
	}
	// The probe's page is withdrawn unpaid: out again, for 60s.
	again := back + d
	h.Observe(again, withdrawn(0, d))
	if !h.Ejected(0) {
		t.Fatal("a withdrawn probe restored the provider")
	}
	if got := h.Pick(again+time.Minute-1, card(), 0); got != 1 {
		t.Errorf("ejected again: Pick before the doubled cooldown = %d, want 1", got)
	}
	if got := h.Pick(again+time.Minute, card(), 0); got != 0 {
		t.Errorf("ejected again: Pick after the doubled cooldown (60s) = %d, want a probe to 0", got)
	}
}

// With the default probe share, probes are earned by orders: one in 50
// of the orders that would prefer the provider, the first one free (at
// one order per 10s, so that the cooldown, at most 2m, does not bind).
func TestHealthProbesAreEarned(t *testing.T) {
	h := NewHealth([]Provider{{Name: "a", Methods: []string{"card"}, Async: true}, {Name: "b", Methods: []string{"card"}}},
		[]int{0, 1}, cfgWith(func(c *HealthParams) {}), 1)
	out := silenceEject(t, h)
	probes := 0
	now := out + time.Hour
	for k := range 1000 {
		t := now + time.Duration(k)*10*time.Second
		if h.Pick(t, card(), 0) == 0 {
			probes++
			h.Observe(t, accepted(0))
			h.Observe(t+time.Second/2, withdrawn(0, time.Second/2))
		}
	}
	if probes < 19 || probes > 22 {
		t.Errorf("%d probes in 1000 orders, want 1 + 1000·0.02 = 21", probes)
	}
}

// A probe that is paid restores the provider; a payment accepted before
// the probes began does not.
func TestHealthSilencePaidProbeRestores(t *testing.T) {
	h := asyncFirst()
	out := silenceEject(t, h)
	back := out + 30*time.Second
	// A payment from before the ejection paid late proves nothing.
	h.Observe(back+5*time.Second, paid(0, time.Minute))
	if !h.Ejected(0) {
		t.Fatal("a late payment accepted before the probes restored the provider")
	}
	// Accepted 1ns before the probes began: still nothing.
	h.Observe(back+10*time.Second, paid(0, 10*time.Second+1))
	if !h.Ejected(0) {
		t.Fatal("a payment accepted just before the probes restored the provider")
	}
	if got := h.Pick(back, card(), 0); got != 0 {
		t.Fatalf("Pick at %v = %d, want a probe to 0", back, got)
	}
	h.Observe(back, accepted(0))
	h.Observe(back+20*time.Second, paid(0, 20*time.Second))
	if h.Ejected(0) {
		t.Fatal("a paid probe did not restore the provider")
	}
	if got := h.Pick(back+21*time.Second, card(), 0); got != 0 {
		t.Errorf("restored: Pick = %d, want 0", got)
	}
}

// A probe that fails loudly ejects a silenced provider again, doubled.
func TestHealthSilenceFailedProbe(t *testing.T) {
	h := asyncFirst()
	out := silenceEject(t, h)
	back := out + 30*time.Second
	h.Pick(back, card(), 0)
	h.Observe(back, answer(0, "block"))
	if got := h.Pick(back+time.Minute-1, card(), 0); got != 1 {
		t.Errorf("failed probe: Pick before 60s = %d, want 1", got)
	}
	if got := h.Pick(back+time.Minute, card(), 0); got != 0 {
		t.Errorf("failed probe: Pick at 60s = %d, want a probe to 0", got)
	}
}

// A Paid observation's Age counts from the answer the router saw, the same
// clock its acceptances are binned on: a healthy async provider whose
// create latency rises to 6s (over one 5s bin), at one order per 10s with
// every payment paid, is never ejected.
func TestSilenceAgeCountsFromTheAnswer(t *testing.T) {
	h := asyncFirst()
	type ev struct {
		at, age time.Duration
		paid    bool
	}
	var q []ev // in time order
	push := func(e ev) {
		i := len(q)
		for i > 0 && q[i-1].at > e.at {
			i--
		}
		q = append(q[:i], append([]ev{e}, q[i:]...)...)
	}
	const gap = 10 * time.Second
	for now := time.Duration(0); now < 2*time.Hour; now += gap {
		for len(q) > 0 && q[0].at <= now {
			e := q[0]
			q = q[1:]
			if e.paid {
				h.Observe(e.at, paid(0, e.age))
			} else {
				h.Observe(e.at, accepted(0))
			}
		}
		if got := h.Pick(now, card(), 0); got != 0 {
			t.Fatalf("every payment is paid, but the provider was ejected at %v", now)
		}
		latency := 250 * time.Millisecond
		if now >= time.Hour {
			latency = 6 * time.Second
		}
		// Accepted by the provider at now, answered after latency, paid
		// 20s after the answer: Age counts from the answer.
		push(ev{at: now + latency})
		push(ev{at: now + latency + 20*time.Second, age: 20 * time.Second, paid: true})
	}
}

// Before Pick has chosen anything, no attempt is a probe.
func TestHealthNoProbeBeforeAPick(t *testing.T) {
	h := asyncFirst()
	for p := range h.provs {
		if d, ok := h.Probe(p); ok {
			t.Errorf("fresh router: Probe(%d) = %v, true; want no probe", p, d)
		}
	}
}

// With every provider out, the fallback is the one with the fewest failed
// probes before the soonest back: a silent provider whose probe's page
// was withdrawn unpaid loses to one back later that failed none.
func TestHealthFallbackAvoidsFailedProbes(t *testing.T) {
	h := NewHealth([]Provider{{Name: "a", Methods: []string{"card"}, Async: true}, {Name: "b", Methods: []string{"card"}}},
		[]int{0, 1}, cfgWith(func(c *HealthParams) { c.Consecutive, c.ProbeShare = 1, 1e-300 }), 1)
	h.eject(0, 0, reasonSilence) // a out until 30s
	if got := h.Pick(30*time.Second, card(), 0); got != 0 {
		t.Fatalf("Pick at 30s = %d, want the free probe to a", got)
	}
	h.Observe(30*time.Second, accepted(0))
	h.Observe(90*time.Second, withdrawn(0, time.Minute)) // a out again until 150s
	h.Observe(130*time.Second, answer(1, "error"))       // b out until 160s
	if h.st[0].until >= h.st[1].until {
		t.Fatalf("a back at %v, b at %v: want a sooner", h.st[0].until, h.st[1].until)
	}
	if got := h.Pick(140*time.Second, card(), 0); got != 1 {
		t.Errorf("both out, a with a failed probe: Pick = %d, want b", got)
	}
}
