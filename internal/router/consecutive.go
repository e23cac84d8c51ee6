package router

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// consecutive counts failures in a row per provider: after 20 it marks
// the provider fluctuating (tried after every healthy one), after 45 down
// (not tried). A success resets the count. The published rule says
// nothing of recovery: here a down provider is tried again after 5
// minutes, as fluctuating. It sees nothing of silent freezes. Its
// checkout follows health's rules (checkout.go).
type consecutive struct {
	provs []Provider
	order []int
	run   []int
	down  []time.Duration // down until
	rules Rules
	trace transitions
}

// Transitions implements Tracer: out at 20 failures in a row
// (fluctuating: tried only after every healthy provider), in after a
// success.
func (c *consecutive) Transitions() []Transition { return c.trace.log }

// Consecutive-failure defaults.
const (
	fluctuatingAfter = 20
	downAfter        = 45
	downFor          = 5 * time.Minute
)

func newConsecutive(provs []Provider, order []int, rules Rules) *consecutive {
	return &consecutive{provs: provs, order: order, run: make([]int, len(provs)),
		down: make([]time.Duration, len(provs)), rules: rules}
}

func (c *consecutive) Rules() Rules { return c.rules }

func (c *consecutive) Pick(now time.Duration, o *payment.Order, tried uint64) int {
	fluctuating := -1
	for _, i := range c.order {
		if tried&(1<<uint(i)) != 0 || !c.provs[i].Accepts(o.Method) {
			continue
		}
		if c.run[i] >= downAfter {
			if now < c.down[i] {
				continue
			}
			c.run[i] = fluctuatingAfter // back on trial
		}
		if c.run[i] < fluctuatingAfter {
			return i
		}
		if fluctuating < 0 {
			fluctuating = i
		}
	}
	return fluctuating
}

func (c *consecutive) Observe(now time.Duration, ob Observation) {
	if ob.Kind != Answered {
		return
	}
	if !failure(ob.Class) {
		if c.run[ob.Provider] >= fluctuatingAfter {
			c.trace.add(Transition{At: now, Provider: ob.Provider, State: "in", Reason: "a success"})
		}
		c.run[ob.Provider] = 0
		return
	}
	c.run[ob.Provider]++
	if c.run[ob.Provider] == fluctuatingAfter {
		c.trace.add(Transition{At: now, Provider: ob.Provider, State: "out", Reason: "20 failures in a row"})
	}
	if c.run[ob.Provider] == downAfter {
		c.down[ob.Provider] = now + downFor
	}
}
