// Package router is paydrill's reference router: the strategies a drill
// can run (health, priority, static, retry-blind), the rules each follows
// after a failed attempt, and the vocabulary the engine feeds them.
//
// A router never sees the truth of the simulated world: only what a real
// router would see (answers to its calls, notifications, status queries),
// with the time passed in.
package router

import (
	"fmt"
	"slices"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Router chooses providers for orders and learns from what happens.
type Router interface {
	// Rules says what the checkout does after a failed attempt.
	Rules() Rules
	// Pick returns the provider for the order's next attempt, or -1. Bit i
	// of tried is set when provider i was already tried for this order.
	Pick(now time.Duration, o *payment.Order, tried uint64) int
	// Observe feeds back one thing the router saw.
	Observe(now time.Duration, ob Observation)
}

// Prober is a router that sends some orders to a provider it took out of
// rotation, as probes. A probe must cost its buyer nothing: whatever fails
// it (an error, a decline, a pay page not paid by its deadline) sends the
// order on to the next provider at once, and the probed provider learns
// of it (an Unpaid observation with Probe set, for a withdrawn page).
type Prober interface {
	// Probe is asked right after Pick returned p: whether this attempt is
	// a probe, and for an async provider how long its pay page may stay
	// unpaid before the checkout withdraws it and moves the buyer on.
	Probe(p int) (deadline time.Duration, ok bool)
}

// Transition is a change in a router's view of a provider: taken out of
// rotation (with why), back in, or disabled for good.
type Transition struct {
	At       time.Duration
	Provider int
	State    string // "out", "in" or "disabled"
	Reason   string // for "out": failures, silence, declines, ...
}

// Tracer is a router that records its transitions. The engine reads them
// once at the end of a run (routing flips, thrash).
type Tracer interface {
	Transitions() []Transition
}

// maxTransitions bounds what a router keeps: a thrashing router's list
// stops growing there.
const maxTransitions = 500

// transitions is a bounded log.
type transitions struct {
	log []Transition
}

func (t *transitions) add(tr Transition) {
	if len(t.log) < maxTransitions {
		t.log = append(t.log, tr)
	}
}

// Kind is what a router observed.
type Kind uint8

const (
	// Answered: a create call ended (Status, Class; Timeout when the deadline passed).
	Answered Kind = iota
	// Paid: the router learned of a capture (sync answer, notification or
	// status query). Age is the time since the router saw the payment
	// accepted (the create call's answer): the router's own clock, never the
	// provider's.
	Paid
	// Unpaid: an async payment expired without a capture, or a probe's
	// pay page was withdrawn at its deadline (Probe set).
	Unpaid
)

// Observation is one thing a router saw about a provider.
type Observation struct {
	Provider int
	Kind     Kind
	Status   payment.Status
	Class    payment.Class
	Code     string // Answered: the decline code, if any
	Async    bool   // the provider's flow is async
	// Order is the order of an Answered call (read only, valid during the call).
	Order *payment.Order
	Age   time.Duration // Paid: since the router saw the payment accepted
	// Queried: the router learned of the capture by a status query, not
	// from the provider's notification.
	Queried bool
	// Probe: the attempt was a probe (Unpaid: its page was withdrawn
	// unpaid at the deadline, Age after the answer).
	Probe bool
}

// Rules is what a checkout does after an attempt fails.
type Rules struct {
	// MaxAttempts caps attempts per order.
	MaxAttempts int
	// Retry[c] allows another provider after a failure of class c.
	Retry [payment.NumClasses]bool
	// QueryUnknown: after a timeout, query the payment's status (after
	// QueryDelay) before any retry; a capture found ends the order paid.
	QueryUnknown bool
	QueryDelay   time.Duration
	// Reconcile: query open async payments CheckAfter after acceptance and
	// again at expiry, so a lost notification does not strand a payment.
	Reconcile  bool
	CheckAfter time.Duration
	// DeliverEach is a flaw kept for a negative control: the shop delivers
	// the goods on every notification or capture found, not only the first.
	DeliverEach bool
}

// Provider is what a router knows of a provider: its name, the methods it
// takes, its flow, and the terms its contract states (nil: none).
type Provider struct {
	Name    string
	Methods []string
	Async   bool
	Terms   *Terms
}

// Accepts reports whether the provider takes method.
func (p Provider) Accepts(method string) bool {
	return len(p.Methods) == 0 || slices.Contains(p.Methods, method)
}

// Strategies lists the built-in strategies, negative controls last: the
// scenario format's lists, so that a file and --router accept the same
// names.
var Strategies = slices.Concat(scenario.Strategies, scenario.Controls)

// New builds the strategy name for a validated scenario. Providers are
// tried in r.Order (names) when set, else as listed.
func New(name string, s *scenario.Scenario, randSeed uint64) (Router, error) {
	provs := make([]Provider, len(s.Providers))
	for i, p := range s.Providers {
		provs[i] = Provider{Name: p.Name, Methods: p.Methods, Async: p.Flow == "async", Terms: termsOf(p)}
	}
	order := make([]int, 0, len(provs))
	for _, n := range s.Router.Order {
		if i := s.ProviderIndex(n); i >= 0 && !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	for i := range provs {
		if !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	hc := HealthConfig(s.Router.Health)
	// The known designs get health's checkout rules (checkout.go).
	checkout := checkoutRules(hc)
	switch name {
	case "health", "":
		return NewHealth(provs, order, hc, randSeed), nil
	case "priority":
		return &cascade{provs: provs, order: order, rules: priorityRules(len(provs))}, nil
	case "static":
		return &cascade{provs: provs, order: order, rules: Rules{MaxAttempts: 1}}, nil
	case "retry-blind":
		return &cascade{provs: provs, order: order, rules: blindRules(len(provs))}, nil
	case "elimination":
		return newElimination(provs, order, checkout), nil
	case "success-rate":
		return newSuccessRate(provs, order, randSeed, checkout), nil
	case "consecutive":
		return newConsecutive(provs, order, checkout), nil
	case "unpaid-streak":
		return newUnpaidStreak(provs, order, checkout), nil
	case "first-backup":
		return newFirstBackup(provs, order), nil
	}
	if h, ok := newControl(name, provs, order, hc, randSeed); ok {
		return h, nil
	}
	return nil, fmt.Errorf("unknown router %q (have %v)", name, Strategies)
}

// firstEligible returns the first provider in order that takes the
// order's method and is not in tried, or -1.
func firstEligible(provs []Provider, order []int, o *payment.Order, tried uint64) int {
	for _, i := range order {
		if tried&(1<<uint(i)) == 0 && provs[i].Accepts(o.Method) {
			return i
		}
	}
	return -1
}
