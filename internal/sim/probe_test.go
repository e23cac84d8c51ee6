package sim

import (
	"context"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
)

// prober sends every order's first attempt to provider 0, as a probe with
// a deadline when probe is set, and retries on provider 1.
type prober struct {
	probe     bool
	withdrawn int
}

func (p *prober) Rules() router.Rules {
	return router.Rules{MaxAttempts: 2, Reconcile: true, CheckAfter: time.Minute}
}

func (p *prober) Pick(now time.Duration, o *payment.Order, tried uint64) int {
	if tried&1 == 0 {
		return 0
	}
	if tried&2 == 0 {
		return 1
	}
	return -1
}

func (p *prober) Probe(i int) (time.Duration, bool) { return 30 * time.Second, p.probe && i == 0 }

func (p *prober) Observe(now time.Duration, ob router.Observation) {
	if ob.Kind == router.Unpaid && ob.Probe {
		p.withdrawn++
	}
}

// A probe whose pay page is not paid by its deadline costs its buyer
// nothing: the page is withdrawn and the order goes on to the next
// provider. Without the deadline every order sent to the frozen provider
// is lost to the shop.
func TestProbeDeadlineMovesTheBuyerOn(t *testing.T) {
	s := load(t, "../../scenarios/small-silent-freeze-10-per-min.yaml")
	s.Duration = scenario.Duration(time.Hour)
	s.Faults[0].At, s.Faults[0].For = 0, scenario.Duration(time.Hour)
	run := func(p *prober) *Result {
		e, err := newEngine(Config{Scenario: s, Router: "static", Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		e.rt, e.rules, e.prober = p, p.Rules(), nil
		if p.probe {
			e.prober = p
		}
		return e.run(context.Background())
	}
	probed := &prober{probe: true}
	with := run(probed)
	without := run(&prober{})
	if with.Ledgers[0].Captures != 0 || without.Ledgers[0].Captures != 0 {
		t.Fatalf("the frozen provider captured %d / %d payments", with.Ledgers[0].Captures, without.Ledgers[0].Captures)
	}
	tw, to := with.Totals, without.Totals
	if tw.Created == 0 || tw.Lost != 0 || tw.DuplicateCharges != 0 || len(with.Violations) > 0 {
		t.Fatalf("with probes: %+v, violations %v", tw, with.Violations)
	}
	// Provider 1's buyers pay 88 times in 100.
	if conv := float64(tw.Paid) / float64(tw.Created); conv < 0.8 {
		t.Errorf("with probe deadlines %d of %d orders paid (%.0f%%): the withdrawn buyers were not moved on", tw.Paid, tw.Created, 100*conv)
	}
	if probed.withdrawn < int(tw.Created)*9/10 {
		t.Errorf("%d probes withdrawn of %d orders, want nearly all", probed.withdrawn, tw.Created)
	}
	if to.Paid != 0 {
		t.Errorf("without probe deadlines %d orders were paid on a frozen provider", to.Paid)
	}
}
