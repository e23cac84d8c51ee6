package router

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// cascade tries providers in a fixed order for every order, with no
// memory across orders. With different rules it is three strategies:
//
//   - priority: on a provider block or a transient failure, the next
//     provider; after a timeout, a status query first. Fine for loud
//     failures, blind to silent ones, and every order still knocks on the
//     frozen provider first.
//   - static: the first provider only, never fails over (a negative control).
//   - retry-blind: the next provider after any failure, timeouts included,
//     without querying (a negative control that double-charges).
type cascade struct {
	provs []Provider
	order []int
	rules Rules
}

func priorityRules(n int) Rules {
	r := Rules{MaxAttempts: n, QueryUnknown: true, QueryDelay: 2 * time.Second}
	r.Retry[payment.ProviderBlock] = true
	r.Retry[payment.Transient] = true
	r.Retry[payment.Unknown] = true
	r.Retry[payment.Limit] = true // over a contracted limit: the next channel
	return r
}

func blindRules(n int) Rules {
	r := Rules{MaxAttempts: n}
	for c := range r.Retry {
		r.Retry[c] = true
	}
	return r
}

func (c *cascade) Rules() Rules { return c.rules }

func (c *cascade) Pick(_ time.Duration, o *payment.Order, tried uint64) int {
	return firstEligible(c.provs, c.order, o, tried)
}

func (c *cascade) Observe(time.Duration, Observation) {}
