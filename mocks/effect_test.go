package mocks

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
)

// createCase is one create call and what the provider must answer.
type createCase struct {
	provider string
	at       time.Duration
	order    *payment.Order
	want     Call
	state    payment.PaymentState
	silent   bool
}

func runCreates(t *testing.T, providers, faults string, cases []createCase) {
	t.Helper()
	s := scenarioOf(t, providers, faults)
	provs := map[string]*Provider{}
	for _, c := range cases {
		p := provs[c.provider]
		if p == nil {
			p = providerOf(t, s, c.provider)
			provs[c.provider] = p
		}
		var pay Payment
		got := p.Create(c.at, c.order, &pay)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s.Create(%v, amount %v): call (-want +got):\n%s", c.provider, c.at, c.order.Amount, diff)
		}
		if pay.State != c.state || pay.Silent != c.silent {
			t.Errorf("%s.Create(%v, amount %v): payment %v silent %v, want %v silent %v",
				c.provider, c.at, c.order.Amount, pay.State, pay.Silent, c.state, c.silent)
		}
	}
}

const ms100 = 100 * time.Millisecond

var (
	accepted = Call{Status: payment.Accepted, Latency: ms100, Processed: true}
	failed   = Call{Status: payment.Failed, Code: payment.CodeProcessingError, Latency: ms100}
)

func declined(code string, hits uint64) Call {
	return Call{Status: payment.Declined, Code: code, Latency: ms100, Processed: true, Hits: hits}
}

func TestSuspend(t *testing.T) {
	// The suspend is fault 1: its hit bit is 2.
	faults := "  - {type: notify_delay, add: 5s, at: 10s, target: {providers: [pay]}}\n" +
		"  - {type: suspend, at: 1m, for: 1m, target: {providers: [alpha]}}\n"
	runCreates(t, syncAlpha+syncBeta+asyncPay, faults, []createCase{
		{"alpha", 30 * time.Second, order(1000), accepted, payment.Captured, false},
		{"alpha", time.Minute - 1, order(1000), accepted, payment.Captured, false},
		{"alpha", time.Minute, order(1000), declined(payment.CodeMerchantSuspended, 2), payment.Closed, false},
		{"alpha", 90 * time.Second, order(1000), declined(payment.CodeMerchantSuspended, 2), payment.Closed, false},
		{"alpha", 2*time.Minute - 1, order(1000), declined(payment.CodeMerchantSuspended, 2), payment.Closed, false},
		{"alpha", 2 * time.Minute, order(1000), accepted, payment.Captured, false},
		{"beta", 90 * time.Second, order(1000), accepted, payment.Captured, false},
		{"pay", 90 * time.Second, order(1000), accepted, payment.Open, false},
	})
}

func TestSuspendLedger(t *testing.T) {
	s := scenarioOf(t, syncAlpha, "  - {type: suspend, at: 1m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	var pay Payment
	p.Create(time.Minute, order(1000), &pay)
	if diff := cmp.Diff(Ledger{Creates: 1}, p.Ledger()); diff != "" {
		t.Errorf("suspended create: ledger (-want +got):\n%s", diff)
	}
}

func TestSuspendByTagAndCode(t *testing.T) {
	gamma := "  - {name: gamma, tags: [gaming, eu], latency: {median: 100ms, p99: 100ms}}\n"
	faults := "  - {type: suspend, at: 1m, target: {tag: gaming}}\n" +
		"  - {type: suspend, code: risk_control, at: 1m, target: {providers: [beta]}}\n"
	runCreates(t, syncAlpha+syncBeta+gamma, faults, []createCase{
		{"alpha", time.Minute, order(1000), declined(payment.CodeMerchantSuspended, 1), payment.Closed, false},
		{"gamma", time.Hour, order(1000), declined(payment.CodeMerchantSuspended, 1), payment.Closed, false},
		{"beta", time.Minute, order(1000), declined(payment.CodeRiskControl, 2), payment.Closed, false},
		{"beta", 59 * time.Second, order(1000), accepted, payment.Captured, false},
	})
}

func TestBlockOnlyMatchingOrders(t *testing.T) {
	faults := "  - {type: block, at: 1m, for: 1m, target: {providers: [alpha]}, match: {amount: {min: 50}, methods: [card]}}\n"
	alipay := order(10000)
	alipay.Method = "alipay"
	runCreates(t, syncAlpha, faults, []createCase{
		{"alpha", time.Minute, order(5000), declined(payment.CodeTransactionBlocked, 1), payment.Closed, false},
		{"alpha", time.Minute, order(1 << 40), declined(payment.CodeTransactionBlocked, 1), payment.Closed, false},
		{"alpha", time.Minute, order(4999), accepted, payment.Captured, false},
		{"alpha", time.Minute, alipay, accepted, payment.Captured, false},
		{"alpha", 30 * time.Second, order(5000), accepted, payment.Captured, false},
		{"alpha", 2 * time.Minute, order(5000), accepted, payment.Captured, false},
	})
}

func TestOutage(t *testing.T) {
	faults := "  - {type: outage, at: 1m, for: 1m, target: {providers: [alpha]}}\n"
	failedHit := failed
	failedHit.Hits = 1
	runCreates(t, syncAlpha+syncBeta, faults, []createCase{
		{"alpha", 59 * time.Second, order(1000), accepted, payment.Captured, false},
		{"alpha", time.Minute, order(1000), failedHit, payment.NotFound, false},
		{"alpha", 2*time.Minute - 1, order(1000), failedHit, payment.NotFound, false},
		{"alpha", 2 * time.Minute, order(1000), accepted, payment.Captured, false},
		{"beta", time.Minute, order(1000), accepted, payment.Captured, false},
	})

	// A failed create makes no payment: the ledger counts no create.
	p := providerOf(t, scenarioOf(t, syncAlpha, faults), "alpha")
	var pay Payment
	p.Create(time.Minute, order(1000), &pay)
	if diff := cmp.Diff(Ledger{}, p.Ledger()); diff != "" {
		t.Errorf("outage: ledger (-want +got):\n%s", diff)
	}
}

func TestOutageRate(t *testing.T) {
	s := scenarioOf(t, syncAlpha, "  - {type: outage, rate: 0.3, at: 1m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	const n = 20000
	fails := 0
	for i := range n {
		var pay Payment
		c := p.Create(time.Minute+time.Duration(i)*time.Millisecond, order(1000), &pay)
		switch {
		case c.Status == payment.Failed && c.Hits != 1:
			t.Fatalf("outage rate 0.3: failed call with hits %#x, want 1", c.Hits)
		case c.Status == payment.Accepted && c.Hits != 0:
			t.Fatalf("outage rate 0.3: accepted call with hits %#x, want 0", c.Hits)
		}
		if c.Status == payment.Failed {
			fails++
		}
	}
	if r := float64(fails) / n; r < 0.28 || r > 0.32 {
		t.Errorf("outage rate 0.3: %.3f of creates failed, want about 0.3", r)
	}
}

func TestLatency(t *testing.T) {
	faults := "  - {type: latency, add: 12s, at: 1m, for: 1m, target: {providers: [alpha]}}\n" +
		"  - {type: latency, add: 3s, at: 90s, for: 1m, target: {providers: [alpha]}}\n"
	slow := func(add time.Duration, hits uint64) Call {
		return Call{Status: payment.Accepted, Latency: ms100 + add, Processed: true, Hits: hits}
	}
	runCreates(t, syncAlpha+syncBeta, faults, []createCase{
		{"alpha", 59 * time.Second, order(1000), accepted, payment.Captured, false},
		{"alpha", time.Minute, order(1000), slow(12*time.Second, 1), payment.Captured, false},
		{"alpha", 90 * time.Second, order(1000), slow(15*time.Second, 3), payment.Captured, false},
		{"alpha", 2 * time.Minute, order(1000), slow(3*time.Second, 2), payment.Captured, false},
		{"alpha", 150 * time.Second, order(1000), accepted, payment.Captured, false},
		{"beta", 90 * time.Second, order(1000), accepted, payment.Captured, false},
	})
}

func TestSilent(t *testing.T) {
	faults := "  - {type: silent, at: 1m, for: 1m, target: {tag: gaming}}\n"
	silentAsync := Call{Status: payment.Accepted, Latency: ms100, Processed: true, Silent: true, Hits: 1}
	silentSync := Call{Status: payment.Declined, Code: payment.CodeProcessingError, Latency: ms100, Processed: true, Silent: true, Hits: 1}
	runCreates(t, syncAlpha+asyncPay, faults, []createCase{
		{"pay", 59 * time.Second, order(1000), accepted, payment.Open, false},
		{"pay", time.Minute, order(1000), silentAsync, payment.Open, true},
		{"pay", 2 * time.Minute, order(1000), accepted, payment.Open, false},
		{"alpha", time.Minute, order(1000), silentSync, payment.Closed, true},
		{"alpha", 2 * time.Minute, order(1000), accepted, payment.Captured, false},
	})
}

func TestSilentPaymentCannotBePaid(t *testing.T) {
	s := scenarioOf(t, asyncPay, "  - {type: silent, at: 1m, for: 1m, target: {providers: [pay]}}\n")
	p := providerOf(t, s, "pay")
	var frozen, healthy Payment
	p.Create(time.Minute, order(1000), &frozen)
	p.Create(2*time.Minute, order(1000), &healthy)
	// The buyer of the frozen payment tries after the fault ended: still no.
	if p.Pay(3*time.Minute, &frozen) {
		t.Error("Pay of a payment accepted under a silent fault succeeded, want false")
	}
	if !p.Pay(3*time.Minute, &healthy) {
		t.Error("Pay of a payment accepted after the silent fault failed, want true")
	}
	if diff := cmp.Diff(Ledger{Creates: 2, Captures: 1, Amount: 1000}, p.Ledger()); diff != "" {
		t.Errorf("ledger (-want +got):\n%s", diff)
	}
	p.Expire(&frozen)
	if frozen.State != payment.Closed {
		t.Errorf("Expire of a silent open payment: state %v, want closed", frozen.State)
	}
}

// Effects apply in rank order, whatever the order in the file: latency
// always adds, an outage wins over a suspend, a suspend over a decline
// spike and a silent freeze.
func TestPrecedence(t *testing.T) {
	faults := "  - {type: silent, at: 1m, target: {providers: [pay]}}\n" + // 1
		"  - {type: decline_spike, rate: 1, at: 1m, target: {providers: [pay]}}\n" + // 2
		"  - {type: suspend, at: 1m, target: {tag: gaming}}\n" + // 4
		"  - {type: latency, add: 2s, at: 1m, target: {tag: gaming}}\n" + // 8
		"  - {type: outage, at: 2m, for: 1m, target: {tag: gaming}}\n" + // 16
		"  - {type: rate_limit, limit: 1/h, at: 4m, target: {providers: [alpha]}}\n" // 32
	slow := ms100 + 2*time.Second
	runCreates(t, syncAlpha+asyncPay, faults, []createCase{
		// Suspended and slow: the latency is still added, both bits set.
		{"alpha", time.Minute, order(1000),
			Call{Status: payment.Declined, Code: payment.CodeMerchantSuspended, Latency: slow, Processed: true, Hits: 4 | 8},
			payment.Closed, false},
		// Suspend beats the decline spike and the silent freeze: neither touches the call.
		{"pay", time.Minute, order(1000),
			Call{Status: payment.Declined, Code: payment.CodeMerchantSuspended, Latency: slow, Processed: true, Hits: 4 | 8},
			payment.Closed, false},
		// Outage beats the suspend.
		{"alpha", 2 * time.Minute, order(1000),
			Call{Status: payment.Failed, Code: payment.CodeProcessingError, Latency: slow, Hits: 8 | 16},
			payment.NotFound, false},
		{"pay", 2 * time.Minute, order(1000),
			Call{Status: payment.Failed, Code: payment.CodeProcessingError, Latency: slow, Hits: 8 | 16},
			payment.NotFound, false},
		// The first create under the rate limit takes the bucket's only token: suspend decides.
		{"alpha", 4 * time.Minute, order(1000),
			Call{Status: payment.Declined, Code: payment.CodeMerchantSuspended, Latency: slow, Processed: true, Hits: 4 | 8},
			payment.Closed, false},
		// The bucket is empty: the rate limit beats the suspend.
		{"alpha", 4*time.Minute + time.Second, order(1000),
			Call{Status: payment.Limited, Code: payment.CodeTryAgain, Latency: slow, Hits: 8 | 32},
			payment.NotFound, false},
	})
}

func TestDeclineSpike(t *testing.T) {
	s := scenarioOf(t, syncAlpha+syncBeta,
		"  - {type: decline_spike, rate: 0.4, codes: {do_not_honor: 1, fraudulent: 3}, at: 1m, for: 10m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	const n = 20000
	var declines int
	codes := map[string]int{}
	for i := range n {
		var pay Payment
		c := p.Create(time.Minute+time.Duration(i)*time.Millisecond, order(1000), &pay)
		switch c.Status {
		case payment.Declined:
			declines++
			codes[c.Code]++
			if c.Hits != 1 || pay.State != payment.Closed || !c.Processed {
				t.Fatalf("spike decline: call %+v payment %v, want hit bit 1, processed, closed", c, pay.State)
			}
		case payment.Accepted:
			if c.Hits != 0 {
				t.Fatalf("accepted under a spike: hits %#x, want 0 (the spike did not touch it)", c.Hits)
			}
		default:
			t.Fatalf("decline spike: status %v, want accepted or declined", c.Status)
		}
	}
	if r := float64(declines) / n; r < 0.38 || r > 0.42 {
		t.Errorf("decline_spike rate 0.4: %.3f declined, want about 0.4", r)
	}
	if r := float64(codes[payment.CodeFraudSuspected]) / float64(declines); r < 0.72 || r > 0.78 {
		t.Errorf("decline_spike codes: fraudulent is %.3f of declines, want about 0.75", r)
	}
	for _, at := range []time.Duration{59 * time.Second, 11 * time.Minute} {
		for range 100 {
			var pay Payment
			if c := p.Create(at, order(1000), &pay); c.Status != payment.Accepted || c.Hits != 0 {
				t.Fatalf("decline spike outside its window at %v: call %+v, want accepted without hits", at, c)
			}
		}
	}
}

func TestDeclineSpikeRamp(t *testing.T) {
	s := scenarioOf(t, syncAlpha,
		"  - {type: decline_spike, rate: 0.5, ramp: 0.1, at: 1m, target: {providers: [alpha]}}\n"+
			"  - {type: decline_spike, rate: 0.3, at: 1m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	ramped := p.creators[0].effect.(*declineSpike)
	flat := p.creators[1].effect.(*declineSpike)
	tests := []struct {
		at         time.Duration
		ramp, flat float64
	}{
		{time.Minute, 0, 0.3},
		{2 * time.Minute, 0.1, 0.3},
		{time.Minute + 150*time.Second, 0.25, 0.3},
		{6 * time.Minute, 0.5, 0.3},
		{time.Hour, 0.5, 0.3},
	}
	for _, tt := range tests {
		if got := ramped.Rate(tt.at); abs(got-tt.ramp) > 1e-12 {
			t.Errorf("ramped spike (rate 0.5, ramp 0.1/min from 1m): Rate(%v) = %v, want %v", tt.at, got, tt.ramp)
		}
		if got := flat.Rate(tt.at); got != tt.flat {
			t.Errorf("flat spike (rate 0.3): Rate(%v) = %v, want %v", tt.at, got, tt.flat)
		}
	}
}

// The ramp acts through Create: none declined at the start, about the
// ramped share two and a half minutes in.
func TestDeclineSpikeRampThroughCreate(t *testing.T) {
	s := scenarioOf(t, syncAlpha,
		"  - {type: decline_spike, rate: 0.5, ramp: 0.1, at: 1m, target: {providers: [alpha]}}\n")
	p := providerOf(t, s, "alpha")
	share := func(at time.Duration) float64 {
		const n = 10000
		d := 0
		for range n {
			var pay Payment
			if p.Create(at, order(1000), &pay).Status == payment.Declined {
				d++
			}
		}
		return float64(d) / n
	}
	tests := []struct {
		at       time.Duration
		min, max float64
	}{
		{time.Minute, 0, 0},
		{time.Minute + 150*time.Second, 0.23, 0.27},
		{30 * time.Minute, 0.48, 0.52},
	}
	for _, tt := range tests {
		if got := share(tt.at); got < tt.min || got > tt.max {
			t.Errorf("ramped spike at %v: %.3f declined, want within [%v, %v]", tt.at, got, tt.min, tt.max)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// A fault naming a provider both by name and by tag acts on it once.
func TestFaultTargetsProviderOnce(t *testing.T) {
	faults := "  - {type: latency, add: 1s, at: 1m, target: {providers: [alpha], tag: gaming}}\n"
	runCreates(t, syncAlpha+syncBeta, faults, []createCase{
		{"alpha", time.Minute, order(1000), Call{Status: payment.Accepted, Latency: ms100 + time.Second, Processed: true, Hits: 1}, payment.Captured, false},
		{"beta", time.Minute, order(1000), accepted, payment.Captured, false},
	})
}
