package router

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// A decline over a channel's contracted limit is classed limit: the order
// tries the next channel, and the channel is not penalised for it.
func TestLimitDeclinesDoNotPenalise(t *testing.T) {
	for _, code := range []string{payment.CodeAmountLimit, payment.CodeDailyLimit} {
		if c := payment.Classify(payment.Declined, code); c != payment.Limit {
			t.Errorf("Classify(declined, %s) = %s, want limit", code, c)
		}
	}
	limit := Observation{Kind: Answered, Status: payment.Declined, Class: payment.Limit, Code: payment.CodeDailyLimit}
	for _, tt := range []struct {
		name    string
		ob      Observation
		ejected bool
	}{
		{"limit", limit, false},
		{"block", answers["block"], true}, // the same stream of provider blocks ejects: the test can fail
	} {
		h := twoCards(cfgWith(func(*HealthParams) {}))
		if !h.Rules().Retry[payment.Limit] {
			t.Fatalf("health does not retry elsewhere after a limit decline")
		}
		now := time.Duration(0)
		for range 200 {
			now += 500 * time.Millisecond
			if p := h.Pick(now, card(), 0); p != 0 && !tt.ejected {
				t.Fatalf("%s: at %s health picked %d, want provider a still first", tt.name, now, p)
			}
			ob := tt.ob
			ob.Provider, ob.Order = 0, card()
			h.Observe(now, ob)
		}
		if got := len(h.Transitions()) > 0; got != tt.ejected {
			t.Errorf("%s declines: transitions %v, want ejected=%v", tt.name, h.Transitions(), tt.ejected)
		}
	}
	for _, name := range []string{"priority", "retry-blind", "elimination", "success-rate", "consecutive", "unpaid-streak"} {
		r, err := New(name, testScenario(t, ""), 1)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Rules().Retry[payment.Limit] {
			t.Errorf("%s does not try elsewhere after a limit decline", name)
		}
	}
}
