package router

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// elimination is the downtime elimination of payment orchestrators: a
// provider is dropped after 5 failures and one failure is forgiven every
// 60 s, so a dropped provider comes back about five minutes after its
// last failure. Failures are provider blocks, transient errors and
// timeouts; it sees nothing of silent freezes. Its checkout follows
// health's rules (checkout.go): a status query first after a timeout,
// reconciliation of open async payments.
type elimination struct {
	provs    []Provider
	order    []int
	failures []float64
	last     []time.Duration // when forgiveness was last applied
	rules    Rules
	trace    transitions
}

// Transitions implements Tracer: out when a provider reaches 5 failures,
// in when forgiveness brings it under.
func (e *elimination) Transitions() []Transition { return e.trace.log }

// Elimination defaults.
const (
	eliminateAfter = 5
	forgiveEvery   = 60 * time.Second
)

func newElimination(provs []Provider, order []int, rules Rules) *elimination {
	return &elimination{provs: provs, order: order, failures: make([]float64, len(provs)),
		last: make([]time.Duration, len(provs)), rules: rules}
}

func (e *elimination) Rules() Rules { return e.rules }

func (e *elimination) forgive(now time.Duration, i int) {
	if k := (now - e.last[i]) / forgiveEvery; k > 0 {
		was := e.failures[i]
		e.failures[i] = max(0, e.failures[i]-float64(k))
		e.last[i] += k * forgiveEvery
		if was >= eliminateAfter && e.failures[i] < eliminateAfter {
			e.trace.add(Transition{At: now, Provider: i, State: "in", Reason: "forgiven"})
		}
	}
}

func (e *elimination) Pick(now time.Duration, o *payment.Order, tried uint64) int {
	for _, i := range e.order {
		if tried&(1<<uint(i)) != 0 || !e.provs[i].Accepts(o.Method) {
			continue
		}
		e.forgive(now, i)
		if e.failures[i] < eliminateAfter {
			return i
		}
	}
	return firstEligible(e.provs, e.order, o, tried) // every one dropped: try anyway
}

func (e *elimination) Observe(now time.Duration, ob Observation) {
	if ob.Kind != Answered || !failure(ob.Class) {
		return
	}
	e.forgive(now, ob.Provider)
	e.failures[ob.Provider]++
	if e.failures[ob.Provider] == eliminateAfter {
		e.trace.add(Transition{At: now, Provider: ob.Provider, State: "out", Reason: "5 failures"})
	}
}

// failure reports whether a class counts against the provider.
func failure(c payment.Class) bool {
	return c == payment.ProviderBlock || c == payment.Transient || c == payment.Unknown
}
