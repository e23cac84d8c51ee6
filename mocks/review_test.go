package mocks

import (
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

func TestVelocityReviewVolume(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, flow: sync, latency: {median: 100ms, p99: 100ms},"+
		" review: {window: 5m, trailing: 1h, factor: 3, min_volume: 100, for: 30m}}\n", "")
	p := providerOf(t, s, "alpha")
	create := func(at time.Duration, amount payment.Money) Call {
		var pay Payment
		o := order(amount)
		return p.Create(at, o, &pay)
	}
	// An hour of one order of 10.00 a minute: steady, never reviewed.
	now := time.Duration(0)
	for range 60 {
		now += time.Minute
		if c := create(now, 1000); c.Status != payment.Accepted {
			t.Fatalf("steady traffic at %s: %s %s", now, c.Status, c.Code)
		}
	}
	// Ten a minute: the five-minute volume passes 3 x the trailing 50.00.
	var tripped time.Duration
	for range 100 {
		now += 6 * time.Second
		c := create(now, 1000+payment.Money(now/time.Second%7)) // varied amounts: a volume trip, not an identical burst
		if c.Status != payment.Accepted {
			if c.Code != payment.CodeMerchantSuspended {
				t.Fatalf("under review at %s: %s, want merchant_suspended", now, c.Code)
			}
			tripped = now
			break
		}
	}
	if tripped == 0 {
		t.Fatal("ten times the volume never tripped the review")
	}
	// The window holds 5 min of the old trickle (50.00) and the burst; it
	// trips once over 150.00 and 100.00: within the second minute.
	if tripped > 62*time.Minute+30*time.Second {
		t.Errorf("tripped at %s, want by 62m30s", tripped)
	}
	l := p.Ledger()
	if len(l.Reviews) != 1 || l.Reviews[0].At != tripped || !strings.Contains(l.Reviews[0].Cause, "volume") {
		t.Errorf("ledger reviews %+v, want one volume trip at %s", l.Reviews, tripped)
	}
	if c := create(tripped+29*time.Minute, 1000); c.Code != payment.CodeMerchantSuspended {
		t.Errorf("29m into a 30m review: %s %s, want merchant_suspended", c.Status, c.Code)
	}
	if c := create(tripped+31*time.Minute, 1000); c.Status != payment.Accepted {
		t.Errorf("after the review: %s %s, want accepted (the window is quiet again)", c.Status, c.Code)
	}
}

func TestVelocityReviewIdenticalAmounts(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, flow: async, latency: {median: 100ms, p99: 100ms},"+
		" review: {identical: 5, min_volume: 1000000, action: silent}}\n", "")
	p := providerOf(t, s, "alpha")
	now := time.Duration(0)
	for i := range 6 {
		now += 20 * time.Second
		var pay Payment
		c := p.Create(now, order(4999), &pay)
		if want := i >= 4; c.Silent != want || c.Status != payment.Accepted {
			t.Errorf("order %d of 49.99 within 5m: silent %v (%s), want silent %v and accepted", i+1, c.Silent, c.Status, want)
		}
	}
	if l := p.Ledger(); len(l.Reviews) != 1 || !strings.Contains(l.Reviews[0].Cause, "5 orders of 49.99") {
		t.Errorf("ledger reviews %+v, want one trip caused by 5 orders of 49.99", l.Reviews)
	}
}

// In wall-clock drills the live mock runs the same review: a trip shows
// in GET /_paydrill/ledger with when and why, and creates are refused.
func TestVelocityReviewLive(t *testing.T) {
	l, clk := liveOf(t, "  - {name: alpha, flow: sync, latency: {median: 1ms, p99: 1ms},"+
		" review: {identical: 3, min_volume: 1000000}}\n", "", "alpha")
	srv := serveHandler(t, NewHandler(l, testOptions("s")))
	var codes []int
	for i := range 4 {
		clk.add(10 * time.Second)
		o := order1("r" + string(rune('0'+i)))
		code, _, _ := call(t, "POST", srv.URL+PathPayments, o)
		codes = append(codes, code)
	}
	if codes[0] != 201 || codes[1] != 201 || codes[2] != 402 || codes[3] != 402 {
		t.Errorf("creates of one amount: %v, want 201 201 402 402 (the third trips the review)", codes)
	}
	_, _, b := call(t, "GET", srv.URL+PathLedger, nil)
	v := decode[LedgerView](t, b)
	if len(v.Reviews) != 1 || v.Reviews[0].At != 30*time.Second || !strings.Contains(v.Reviews[0].Cause, "3 orders of 12.50") {
		t.Errorf("ledger reviews %+v, want one at 30s caused by 3 orders of 12.50", v.Reviews)
	}
}
