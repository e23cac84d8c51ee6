package mocks

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
)

func TestProviderFromScenario(t *testing.T) {
	s := scenarioOf(t, syncAlpha+asyncPay+
		"  - {name: cardonly, methods: [card], expiry: 30m}\n", "")
	tests := []struct {
		name   string
		index  int
		tags   []string
		flow   string
		async  bool
		expiry time.Duration
		card   bool
		alipay bool
	}{
		{"alpha", 0, []string{"gaming"}, "sync", false, 15 * time.Minute, true, true},
		{"pay", 1, []string{"gaming"}, "async", true, 15 * time.Minute, true, true},
		{"cardonly", 2, nil, "sync", false, 30 * time.Minute, true, false},
	}
	for _, tt := range tests {
		p := providerOf(t, s, tt.name)
		if p.Name != tt.name || p.Index != tt.index || p.Flow != tt.flow || p.Async() != tt.async || p.Expiry() != tt.expiry {
			t.Errorf("%s: name %q index %d flow %q async %v expiry %v, want %q %d %q %v %v",
				tt.name, p.Name, p.Index, p.Flow, p.Async(), p.Expiry(), tt.name, tt.index, tt.flow, tt.async, tt.expiry)
		}
		if diff := cmp.Diff(tt.tags, p.Tags); diff != "" {
			t.Errorf("%s: tags (-want +got):\n%s", tt.name, diff)
		}
		if got := p.Accepts("card"); got != tt.card {
			t.Errorf("%s: Accepts(card) = %v, want %v", tt.name, got, tt.card)
		}
		if got := p.Accepts("alipay"); got != tt.alipay {
			t.Errorf("%s: Accepts(alipay) = %v, want %v", tt.name, got, tt.alipay)
		}
	}
}

func TestSyncCaptureUpdatesLedger(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, latency: {median: 100ms, p99: 100ms}, fee: {percent: 2.9, fixed: 0.3}}\n", "")
	p := providerOf(t, s, "alpha")
	tests := []struct {
		at     time.Duration
		amount payment.Money
		ledger Ledger
	}{
		// 2.9% of 10.00 is 0.29, plus 0.30.
		{time.Second, 1000, Ledger{Creates: 1, Captures: 1, Amount: 1000, Fees: 59}},
		// 2.9% of 12.34 is 0.35786, rounded to 0.36, plus 0.30.
		{2 * time.Second, 1234, Ledger{Creates: 2, Captures: 2, Amount: 2234, Fees: 59 + 66}},
		// 2.9% of 0.01 rounds to 0: the fixed fee only.
		{3 * time.Second, 1, Ledger{Creates: 3, Captures: 3, Amount: 2235, Fees: 59 + 66 + 30}},
	}
	for _, tt := range tests {
		var pay Payment
		c := p.Create(tt.at, order(tt.amount), &pay)
		want := Call{Status: payment.Accepted, Latency: 100 * time.Millisecond, Processed: true}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("Create(%v, %v): call (-want +got):\n%s", tt.at, tt.amount, diff)
		}
		wantPay := Payment{State: payment.Captured, Accepted: tt.at, Amount: tt.amount}
		if diff := cmp.Diff(wantPay, pay); diff != "" {
			t.Errorf("Create(%v, %v): payment (-want +got):\n%s", tt.at, tt.amount, diff)
		}
		if diff := cmp.Diff(tt.ledger, p.Ledger()); diff != "" {
			t.Errorf("after Create(%v, %v): ledger (-want +got):\n%s", tt.at, tt.amount, diff)
		}
	}
}

func TestBaseDeclines(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, decline_rate: 1, decline_codes: {expired_card: 1}}\n"+
		"  - {name: beta, decline_rate: 0.2}\n", "")
	a := providerOf(t, s, "alpha")
	var pay Payment
	c := a.Create(time.Second, order(500), &pay)
	if c.Status != payment.Declined || c.Code != payment.CodeExpiredCard || !c.Processed || c.Hits != 0 {
		t.Errorf("decline_rate 1: call %+v, want declined expired_card, processed, no hits", c)
	}
	if pay.State != payment.Closed {
		t.Errorf("decline_rate 1: payment state %v, want closed", pay.State)
	}
	if diff := cmp.Diff(Ledger{Creates: 1}, a.Ledger()); diff != "" {
		t.Errorf("decline_rate 1: ledger (-want +got):\n%s", diff)
	}

	// The default code mix applies when decline_rate is set alone.
	b := providerOf(t, s, "beta")
	const n = 20000
	declined := 0
	codes := map[string]int{}
	for i := range n {
		c := b.Create(time.Duration(i)*time.Millisecond, order(500), &pay)
		if c.Status == payment.Declined {
			declined++
			codes[c.Code]++
		}
	}
	if r := float64(declined) / n; r < 0.18 || r > 0.22 {
		t.Errorf("decline_rate 0.2: %d of %d declined (%.3f), want about 0.2", declined, n, r)
	}
	for code, want := range map[string]float64{payment.CodeInsufficientFunds: 0.5, payment.CodeDoNotHonor: 0.3, payment.CodeCardDeclined: 0.2} {
		if got := float64(codes[code]) / float64(declined); got < want-0.04 || got > want+0.04 {
			t.Errorf("default decline codes: %s is %.3f of declines, want about %.2f", code, got, want)
		}
	}
}

func TestAsyncPayExpireCancel(t *testing.T) {
	s := scenarioOf(t, "  - {name: pay, flow: async, latency: {median: 100ms, p99: 100ms}, expiry: 10m, fee: {fixed: 0.5}}\n", "")
	accepted := time.Minute
	tests := []struct {
		name      string
		actions   func(p *Provider, pay *Payment) []bool // the results of Pay calls
		wantPaid  []bool
		wantState string
		captures  int64
	}{
		{
			name: "pay once",
			actions: func(p *Provider, pay *Payment) []bool {
				return []bool{p.Pay(accepted+time.Minute, pay), p.Pay(accepted+2*time.Minute, pay)}
			},
			wantPaid: []bool{true, false}, wantState: "captured", captures: 1,
		},
		{
			name: "pay just before expiry",
			actions: func(p *Provider, pay *Payment) []bool {
				return []bool{p.Pay(accepted+10*time.Minute-1, pay)}
			},
			wantPaid: []bool{true}, wantState: "captured", captures: 1,
		},
		{
			name: "pay at expiry",
			actions: func(p *Provider, pay *Payment) []bool {
				return []bool{p.Pay(accepted+10*time.Minute, pay)}
			},
			wantPaid: []bool{false}, wantState: "open", captures: 0,
		},
		{
			name: "expire then pay",
			actions: func(p *Provider, pay *Payment) []bool {
				p.Expire(pay)
				return []bool{p.Pay(accepted+time.Minute, pay)}
			},
			wantPaid: []bool{false}, wantState: "closed", captures: 0,
		},
		{
			name: "cancel then pay",
			actions: func(p *Provider, pay *Payment) []bool {
				p.Cancel(pay)
				return []bool{p.Pay(accepted+time.Minute, pay)}
			},
			wantPaid: []bool{false}, wantState: "closed", captures: 0,
		},
		{
			name: "expire and cancel leave a capture",
			actions: func(p *Provider, pay *Payment) []bool {
				ok := p.Pay(accepted+time.Minute, pay)
				p.Expire(pay)
				p.Cancel(pay)
				return []bool{ok}
			},
			wantPaid: []bool{true}, wantState: "captured", captures: 1,
		},
	}
	for _, tt := range tests {
		p := providerOf(t, s, "pay")
		var pay Payment
		c := p.Create(accepted, order(2000), &pay)
		if c.Status != payment.Accepted || !c.Processed || pay.State != payment.Open || pay.Accepted != accepted || pay.Silent {
			t.Fatalf("%s: Create: call %+v payment %+v, want accepted and an open payment at %v", tt.name, c, pay, accepted)
		}
		if got := p.Ledger(); got.Creates != 1 || got.Captures != 0 {
			t.Fatalf("%s: ledger after create %+v, want 1 create and no capture", tt.name, got)
		}
		got := tt.actions(p, &pay)
		if diff := cmp.Diff(tt.wantPaid, got); diff != "" {
			t.Errorf("%s: Pay results (-want +got):\n%s", tt.name, diff)
		}
		if pay.State.String() != tt.wantState {
			t.Errorf("%s: state %v, want %s", tt.name, pay.State, tt.wantState)
		}
		want := Ledger{Creates: 1, Captures: tt.captures, Amount: payment.Money(tt.captures) * 2000, Fees: payment.Money(tt.captures) * 50}
		if diff := cmp.Diff(want, p.Ledger()); diff != "" {
			t.Errorf("%s: ledger (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestExpireLeavesNonOpenAlone(t *testing.T) {
	p := providerOf(t, scenarioOf(t, syncAlpha, ""), "alpha")
	for _, st := range []payment.PaymentState{payment.NotFound, payment.Captured, payment.Closed} {
		for _, op := range []struct {
			name string
			f    func(*Payment)
		}{{"Expire", p.Expire}, {"Cancel", p.Cancel}} {
			pay := Payment{State: st}
			op.f(&pay)
			if pay.State != st {
				t.Errorf("%s on a %v payment made it %v, want it left %v", op.name, st, pay.State, st)
			}
		}
	}
}

func TestBuyer(t *testing.T) {
	s := scenarioOf(t, "  - {name: pay, flow: async, completion: {rate: 0.25, delay: {median: 45s, p99: 45s}}}\n", "")
	p := providerOf(t, s, "pay")
	r := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	pays := 0
	for range n {
		ok, after := p.Buyer(r)
		switch {
		case ok && after != 45*time.Second:
			t.Fatalf("Buyer: pays after %v, want the fixed 45s", after)
		case !ok && after != 0:
			t.Fatalf("Buyer: abandons with delay %v, want 0", after)
		}
		if ok {
			pays++
		}
	}
	if r := float64(pays) / n; r < 0.23 || r > 0.27 {
		t.Errorf("completion 0.25: %.3f of buyers pay, want about 0.25", r)
	}
}

func TestProviderDeterministic(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, decline_rate: 0.3}\n",
		"  - {type: outage, rate: 0.2, at: 10s, target: {providers: [alpha]}}\n")
	run := func() []Call {
		p := providerOf(t, s, "alpha")
		out := make([]Call, 200)
		for i := range out {
			var pay Payment
			out[i] = p.Create(time.Duration(i)*100*time.Millisecond, order(1000), &pay)
		}
		return out
	}
	if diff := cmp.Diff(run(), run()); diff != "" {
		t.Errorf("two providers from the same scenario decide differently (-first +second):\n%s", diff)
	}
}
