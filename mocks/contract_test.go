package mocks

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

func TestContractedLimits(t *testing.T) {
	s := scenarioOf(t, "  - {name: alpha, flow: sync, latency: {median: 100ms, p99: 100ms},"+
		" limits: {min: 1, max: 100, daily: 300, methods: {alipay: {max: 50, daily: 60}}}}\n", "")
	p := providerOf(t, s, "alpha")
	type step struct {
		at     time.Duration
		amount payment.Money
		method string
		want   string // "" accepted, else the decline code
	}
	h := time.Hour
	steps := []step{
		{1 * h, 50, "card", payment.CodeAmountLimit},     // 0.50 < min 1
		{1 * h, 100, "card", ""},                         // 1.00: the minimum is inclusive
		{1 * h, 10001, "card", payment.CodeAmountLimit},  // 100.01 > max 100
		{1 * h, 6000, "alipay", payment.CodeAmountLimit}, // alipay max 50
		{1 * h, 5000, "alipay", ""},                      // 50: alipay volume 50 of 60
		{1 * h, 1100, "alipay", payment.CodeDailyLimit},  // 61 > alipay daily 60
		{2 * h, 10000, "card", ""},                       // day volume 151
		{3 * h, 10000, "card", ""},                       // 251
		{4 * h, 5000, "card", payment.CodeDailyLimit},    // 301 > 300
		{4 * h, 4900, "card", ""},                        // 300: the cap is inclusive
		{25 * h, 10000, "card", ""},                      // a new day
		{25 * h, 1000, "alipay", ""},                     // alipay's day too
	}
	for i, st := range steps {
		o := order(st.amount)
		o.Method = st.method
		var pay Payment
		c := p.Create(st.at, o, &pay)
		got := ""
		if c.Status != payment.Accepted {
			got = c.Code
		}
		if got != st.want {
			t.Errorf("step %d: %s %s at %s: %q (%s), want %q", i, st.amount, st.method, st.at, got, c.Status, st.want)
		}
		if got != "" && payment.Classify(c.Status, c.Code) != payment.Limit {
			t.Errorf("step %d: %s %s classes as %s, want limit", i, c.Status, c.Code, payment.Classify(c.Status, c.Code))
		}
	}
	l := p.Ledger()
	if l.LimitDeclines != 5 || l.DailyCap != 30000 || l.DailyPeak != 30000 {
		t.Errorf("ledger: %d limit declines, cap %s, peak %s; want 5, 300.00, 300.00", l.LimitDeclines, l.DailyCap, l.DailyPeak)
	}
	// No limits: nothing refused, nothing reported.
	free := providerOf(t, scenarioOf(t, syncBeta, ""), "beta")
	var pay Payment
	if c := free.Create(time.Hour, order(1_000_000), &pay); c.Status != payment.Accepted {
		t.Errorf("a provider without limits: %s %s", c.Status, c.Code)
	}
	if l := free.Ledger(); l.LimitDeclines != 0 || l.DailyCap != 0 {
		t.Errorf("a provider without limits reports %+v", l)
	}
}
