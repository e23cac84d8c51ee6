package router

import (
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Terms are what a shop's contract with a channel states: per-order and
// daily limits, and the velocity review. A router is told them as
// configuration (the scenario's provider limits and review), as a real
// shop knows its contracts; it never learns or probes them. The health
// router keeps within them (spread.go). docs/contracted-limits.md.
type Terms struct {
	Limits  Bound            // every order
	Methods map[string]Bound // one method's, on top
	Review  *ReviewTerms     // nil: none stated
}

// Bound is one set of limits in minor units; 0 is no limit.
type Bound struct {
	Min, Max, Daily payment.Money
}

// ReviewTerms is a stated velocity review: the merchant is reviewed when
// the volume accepted over Window passes Factor times the Trailing
// period's volume scaled to Window (and is at least MinVolume), or when
// Identical orders of one amount are accepted within Window.
type ReviewTerms struct {
	Window, Trailing time.Duration
	Factor           float64
	MinVolume        payment.Money
	Identical        int
}

// termsOf reads the terms a scenario states for p, or nil when it states none.
func termsOf(p scenario.Provider) *Terms {
	if p.Limits == nil && p.Review == nil {
		return nil
	}
	t := &Terms{}
	if l := p.Limits; l != nil {
		t.Limits = Bound{Min: minor(l.Min), Max: minor(l.Max), Daily: minor(l.Daily)}
		for m, ml := range l.Methods {
			if t.Methods == nil {
				t.Methods = map[string]Bound{}
			}
			t.Methods[m] = Bound{Min: minor(ml.Min), Max: minor(ml.Max), Daily: minor(ml.Daily)}
		}
	}
	if r := p.Review; r != nil {
		rt := &ReviewTerms{MinVolume: minor(r.MinVolume), Identical: r.Identical}
		rt.Window, rt.Trailing, rt.Factor = r.Spans()
		t.Review = rt
	}
	return t
}

func minor(x float64) payment.Money { return payment.Money(math.Round(x * 100)) }
