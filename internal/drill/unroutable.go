package drill

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/reports"
)

// unroutable passes a replay's orders on and counts those whose payment
// method no provider takes (traffic.replay.unroutable: report): they fail
// without an attempt, and the report says how many.
type unroutable struct {
	src      sim.OrderSource
	end      time.Duration // orders at or after it are not run
	accepted map[string]bool
	s        *scenario.Scenario
	count    int64
	methods  map[string]int64
}

func newUnroutable(src sim.OrderSource, s *scenario.Scenario) *unroutable {
	return &unroutable{src: src, end: s.Duration.D(), accepted: map[string]bool{}, s: s, methods: map[string]int64{}}
}

// Next passes the next order on, counting it when no provider takes its method.
func (u *unroutable) Next(o *payment.Order) bool {
	if !u.src.Next(o) {
		return false
	}
	if o.Created >= u.end {
		return true
	}
	ok, seen := u.accepted[o.Method]
	if !seen {
		ok = slices.ContainsFunc(u.s.Providers, func(p scenario.Provider) bool {
			return len(p.Methods) == 0 || slices.Contains(p.Methods, o.Method)
		})
		u.accepted[o.Method] = ok
	}
	if !ok {
		u.count++
		u.methods[o.Method]++
	}
	return true
}

// report puts the count into the report: the orders' figures and a warning.
func (u *unroutable) report(r *reports.Report) {
	if u.count == 0 {
		return
	}
	r.Orders.Unroutable, r.Orders.UnroutableMethods = u.count, u.methods
	var by []string
	for _, m := range replay.Sorted(u.methods) {
		by = append(by, fmt.Sprintf("%s %d", m, u.methods[m]))
	}
	share := 0.0
	if r.Orders.Created > 0 {
		share = 100 * float64(u.count) / float64(r.Orders.Created)
	}
	r.Warnings = append(r.Warnings, fmt.Sprintf(
		"%d of %d orders (%.1f%%) pay by a method no provider takes (%s): each failed without a single attempt (traffic.replay.unroutable: report)",
		u.count, r.Orders.Created, share, strings.Join(by, ", ")))
}
