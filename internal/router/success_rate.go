package router

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/seed"
)

// successRate is success-rate routing as open-source decision engines do
// it: each provider's success rate over its last 125 outcomes; the best
// gets the order, except that 5% of orders explore a provider at random.
// An outcome is a payment's end: a sync answer (accepted or any decline),
// a failed create, an async payment paid or expired unpaid. A provider
// with no outcomes yet counts as 100%. Its checkout follows health's
// rules (checkout.go).
type successRate struct {
	provs []Provider
	order []int
	hist  []outcomes
	rng   *rand.Rand
	rules Rules
}

// Success-rate defaults.
const (
	srWindow  = 125
	srExplore = 0.05
)

type outcomes struct {
	ring [srWindow]bool
	n    int // filled
	next int
	ok   int
}

func (o *outcomes) add(success bool) {
	if o.n == srWindow && o.ring[o.next] {
		o.ok--
	}
	o.ring[o.next] = success
	if success {
		o.ok++
	}
	o.next = (o.next + 1) % srWindow
	o.n = min(o.n+1, srWindow)
}

func (o *outcomes) rate() float64 {
	if o.n == 0 {
		return 1
	}
	return float64(o.ok) / float64(o.n)
}

func newSuccessRate(provs []Provider, order []int, randSeed uint64, rules Rules) *successRate {
	return &successRate{provs: provs, order: order, hist: make([]outcomes, len(provs)),
		rng: seed.Stream(randSeed, "router"), rules: rules}
}

func (s *successRate) Rules() Rules { return s.rules }

func (s *successRate) Pick(_ time.Duration, o *payment.Order, tried uint64) int {
	explore := s.rng.Float64() < srExplore
	best, bestRate, eligible := -1, -1.0, 0
	for _, i := range s.order {
		if tried&(1<<uint(i)) != 0 || !s.provs[i].Accepts(o.Method) {
			continue
		}
		eligible++
		if r := s.hist[i].rate(); r > bestRate {
			best, bestRate = i, r
		}
	}
	if explore && eligible > 1 {
		k := s.rng.IntN(eligible)
		for _, i := range s.order {
			if tried&(1<<uint(i)) != 0 || !s.provs[i].Accepts(o.Method) {
				continue
			}
			if k == 0 {
				return i
			}
			k--
		}
	}
	return best
}

func (s *successRate) Observe(_ time.Duration, ob Observation) {
	h := &s.hist[ob.Provider]
	switch ob.Kind {
	case Answered:
		switch {
		case ob.Status != payment.Accepted:
			h.add(false)
		case !ob.Async:
			h.add(true)
		}
	case Paid:
		if ob.Async {
			h.add(true)
		}
	case Unpaid:
		h.add(false)
	}
}
