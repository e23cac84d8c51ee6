//go:build !race

package drill

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
)

// hardFreeze is a 30-minute suspend of the primary after 20 minutes of
// quiet, at the given rate. Routers that count failures eject it after a
// known number of them; their own transition log says when.
//
// hit_threshold is 0.25: elimination forgives a failure a minute and then
// sends one buyer back to the frozen primary (a cascade saves the order),
// which at 6 orders/min is one attempt in seven. The default 5% would
// call that "not failed over"; this check is of timing, not of that rule.
func hardFreeze(rate string) string {
	return fmt.Sprintf(`name: crosscheck
duration: 50m
traffic:
  arrivals: {type: poisson, rate: %s}
  methods: {card: 1}
providers:
  - {name: alpha, flow: sync, decline_rate: 0.02}
  - {name: beta, flow: sync, decline_rate: 0.02}
faults:
  - {name: alpha-frozen, type: suspend, at: 20m, for: 30m, target: {providers: [alpha]}}
measure: {hit_threshold: 0.25}
`, rate)
}

// TestFailoverSpanHoldsTheRoutersOwnEjection cross-checks the measurement
// against routers whose ejection time is known from their own log: for
// elimination (out after 5 failures) and consecutive (out after 20 in a
// row), under a hard freeze from 6 orders/min to 20 orders/s over 50
// seeds, the reported fail-over span must hold the router's ejection in at
// least 95% of seeds, and the median fail over must be within 10% (or one
// mean gap between orders, whichever is larger) of the median ejection.
func TestFailoverSpanHoldsTheRoutersOwnEjection(t *testing.T) {
	const seeds = 50
	for _, tc := range []struct {
		rate string
		gap  float64 // mean seconds between orders
	}{{"6/min", 10}, {"1/s", 1}, {"20/s", 0.05}} {
		s, err := scenario.Parse("crosscheck.yaml", []byte(hardFreeze(tc.rate)))
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range []string{"elimination", "consecutive"} {
			t.Run(tc.rate+"/"+rt, func(t *testing.T) {
				var held int
				var reported, ejected []float64
				for seed := uint64(1); seed <= seeds; seed++ {
					r, err := Run(context.Background(), s, Options{Router: rt, Seed: seed})
					if err != nil {
						t.Fatal(err)
					}
					f := r.Faults[0]
					if f.RouterOutS == nil {
						t.Fatalf("seed %d: the router never took alpha out", seed)
					}
					if f.FailoverS == nil || f.FailoverSpan == nil {
						t.Errorf("seed %d: fail over never, the router took alpha out at %.3fs (%s)", seed, *f.RouterOutS, r.Reproduce)
						continue
					}
					sp := f.FailoverSpan
					if sp.LowS <= *f.RouterOutS && *f.RouterOutS <= sp.HighS {
						held++
					}
					reported = append(reported, *f.FailoverS)
					ejected = append(ejected, *f.RouterOutS)
				}
				if held < seeds*95/100 {
					t.Errorf("the fail-over span held the router's ejection in %d of %d seeds, want at least 95%%", held, seeds)
				}
				mr, me := median(reported), median(ejected)
				if tol := max(0.1*me, tc.gap); math.Abs(mr-me) > tol {
					t.Errorf("median fail over %.3fs, median ejection %.3fs: apart by more than %.3fs", mr, me, tol)
				}
				t.Logf("%s %s: span held the ejection in %d/%d seeds; median fail over %.3fs, ejection %.3fs", tc.rate, rt, held, seeds, mr, me)
			})
		}
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}
