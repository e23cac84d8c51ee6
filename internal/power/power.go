// Package power checks, from a scenario alone and before any run,
// whether its time expectations can be decided at its traffic: how many
// orders each fault will see, and whether enough of them fall after each
// limit for a router that never gets there to be told from one that gets
// there just in time. At one order a minute a 15-minute freeze judged
// against ten minutes often cannot be; saying so before the run is
// cheaper than an inconclusive after it.
package power

import (
	"fmt"
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/traffic"
	"github.com/paydrill/paydrill/mocks"
)

// sample is how many synthetic orders estimate the share a fault's filter
// matches.
const sample = 4000

// Check is one time expectation of one fault, as planned.
type Check struct {
	Fault, Expectation string
	Limit              time.Duration
	// Orders is the expected number of matching orders during the fault;
	// After those from the fault's start + Limit to its end.
	Orders, After float64
	// Needed is how many samples a judging window needs (measure.min_samples).
	Needed int
	// Decidable is After >= Needed: a window starting at the limit fills.
	Decidable bool
	// Gap is the mean time between matching orders: the precision of one
	// run's times.
	Gap time.Duration
	// Advice says what would make it decidable (empty when it is).
	Advice string
}

// Plan checks every fault's failover_within and detect_within. A replay
// scenario has no plan (its orders are what the file holds; validate
// reads it). The estimate uses the scenario's seed.
func Plan(s *scenario.Scenario) ([]Check, error) {
	if s.Traffic.Replay != nil {
		return nil, nil
	}
	src, err := traffic.NewSource(s.Seed, s.Traffic)
	if err != nil {
		return nil, err
	}
	// The share of orders each fault's filter matches, from a sample.
	faults := make([]*mocks.Fault, len(s.Faults))
	for i, f := range s.Faults {
		faults[i] = mocks.NewFault(i, f)
	}
	matched := make([]int, len(s.Faults))
	n := 0
	var o payment.Order
	for n < sample && src.Next(&o) {
		n++
		for i, f := range faults {
			if f.Matches(&o) {
				matched[i]++
			}
		}
	}
	need := s.Measure.MinSamples
	if need <= 0 {
		need = 10
	}
	end := s.Duration.D()
	var out []Check
	for i, f := range s.Faults {
		share := 1.0
		if n > 0 {
			share = float64(matched[i]) / float64(n)
		}
		start := min(max(faults[i].Start, 0), end)
		stop := min(max(faults[i].End, start), end)
		// The baseline: the rules compare with matching orders before the
		// fault (as far back as the run's start when they are few).
		if before := share * src.Mean(0, start); before < float64(need) {
			out = append(out, Check{Fault: f.Name, Expectation: "baseline", Needed: need, Orders: before,
				Advice: fmt.Sprintf("start the fault later: about %s of traffic before it would do",
					(time.Duration(float64(need) / max(share*src.Mean(0, end)/end.Minutes(), 1e-9) * float64(time.Minute))).Round(time.Minute))})
		}
		e := merged(s.Expect, f.Expect)
		for _, x := range []struct {
			name string
			lim  *scenario.Limit
		}{{"failover_within", e.FailoverWithin}, {"detect_within", e.DetectWithin}} {
			if x.lim == nil || x.lim.Off {
				continue
			}
			c := Check{Fault: f.Name, Expectation: x.name, Limit: x.lim.D, Needed: need,
				Orders: share * src.Mean(start, stop)}
			if at := start + c.Limit; at < stop {
				c.After = share * src.Mean(at, stop)
			}
			if c.Orders > 0 {
				c.Gap = time.Duration(float64(stop-start) / c.Orders)
			}
			c.Decidable = c.After >= float64(need)
			if !c.Decidable {
				c.Advice = advice(c, share, src.Mean(start, stop)/max((stop-start).Minutes(), 1e-9), stop-start)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// advice says how long the fault, or how high the rate, would make a
// check decidable.
func advice(c Check, share, perMin float64, length time.Duration) string {
	matchPerMin := share * perMin
	if matchPerMin <= 0 {
		return "no order matches the fault's filter: no traffic can show a move"
	}
	fault := c.Limit + time.Duration(float64(c.Needed)/matchPerMin*float64(time.Minute))
	rate := float64(c.Needed) / math.Max((length-c.Limit).Minutes(), 0)
	s := fmt.Sprintf("make the fault at least %s long", fault.Round(time.Second))
	if length > c.Limit && !math.IsInf(rate, 0) {
		s += fmt.Sprintf(", or its matching traffic at least %.2g orders a minute (now %.2g)", rate, matchPerMin)
	}
	return s
}

// String is the warning for an undecidable check.
func (c Check) String() string {
	if c.Expectation == "baseline" {
		return fmt.Sprintf("fault %s: about %.1f matching orders come before it and a baseline needs %d, so nothing about it can be judged; %s",
			c.Fault, c.Orders, c.Needed, c.Advice)
	}
	return fmt.Sprintf("fault %s: %s %s cannot be decided at this traffic: about %.1f matching orders fall after the limit and judging needs %d, so a router that never gets there would read inconclusive; %s",
		c.Fault, c.Expectation, c.Limit, c.After, c.Needed, c.Advice)
}

// merged lays a fault's own expectations over the scenario's.
func merged(base scenario.Expect, over *scenario.Expect) scenario.Expect {
	if over == nil {
		return base
	}
	if over.FailoverWithin != nil {
		base.FailoverWithin = over.FailoverWithin
	}
	if over.DetectWithin != nil {
		base.DetectWithin = over.DetectWithin
	}
	return base
}
