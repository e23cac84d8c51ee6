package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/drilltest"
	"github.com/paydrill/paydrill/internal/scenario"
)

// An interrupt while orders are pending leaves them in flight, never lost:
// nobody knows yet how they would have ended. The run is cut at the
// engine's fourth check (some 50,000 events, minutes into the drill), when
// async pay pages are open.
func TestInterruptWithPendingOrdersKeepsThemInFlight(t *testing.T) {
	s := load(t, "../../scenarios/merchant-freeze.yaml")
	res, err := Run(drilltest.CancelAfter(4), Config{Scenario: s, Router: "health", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Totals
	if !res.Interrupted || res.Simulated >= s.Duration.D() {
		t.Fatalf("interrupted = %v at %v; want an interrupt before the run's %v", res.Interrupted, res.Simulated, s.Duration.D())
	}
	if tot.Created == 0 {
		t.Fatalf("interrupt at %v: no order created; the test needs pending orders", res.Simulated)
	}
	if tot.InFlight == 0 || tot.Lost != 0 || tot.Stranded != 0 {
		t.Errorf("interrupt at %v: %d in flight, lost %d, stranded %d; want orders in flight and none lost or stranded (pending is not lost)",
			res.Simulated, tot.InFlight, tot.Lost, tot.Stranded)
	}
	if len(res.Violations) > 0 {
		t.Errorf("violations: %v", res.Violations)
	}
	t.Logf("interrupt at %v: %d created, %d in flight", res.Simulated, tot.Created, tot.InFlight)
}

// A run that ends (no interrupt) with orders the shop never decided
// counts them lost: with no drain, the async pay pages opened in the last
// minute are still open when the run stops. Some were captured with no
// goods out yet (stranded, lost either way); the rest were never captured
// and are lost only because the shop never decided them: Lost > Stranded.
// With a long drain they are decided and none is lost.
func TestUndecidedAtTheEndIsLost(t *testing.T) {
	s := load(t, "../../scenarios/merchant-freeze.yaml")
	s.Duration = scenario.Duration(10 * time.Minute)
	s.Faults = nil
	lost := func(drain time.Duration) Totals {
		c := *s
		c.Drain = scenario.Duration(drain)
		res, err := Run(context.Background(), Config{Scenario: &c, Router: "health", Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Interrupted || len(res.Violations) > 0 {
			t.Fatalf("drain %v: interrupted %v, violations %v", drain, res.Interrupted, res.Violations)
		}
		return res.Totals
	}
	if got := lost(0); got.Lost <= got.Stranded || got.InFlight != 0 {
		t.Errorf("no drain: lost %d (stranded %d), in flight %d; want orders undecided and uncaptured at the end lost, none in flight",
			got.Lost, got.Stranded, got.InFlight)
	} else {
		t.Logf("no drain: lost %d, of them stranded %d", got.Lost, got.Stranded)
	}
	if got := lost(30 * time.Minute); got.Lost != 0 {
		t.Errorf("30m drain: lost %d; want 0 (every order decided)", got.Lost)
	}
}

// Conserved reports an order that went missing, and the engine's finish
// says so as a violation with the counts.
func TestConservationFailureIsReported(t *testing.T) {
	s := load(t, "../../scenarios/merchant-freeze.yaml")
	s.Duration = scenario.Duration(2 * time.Minute)
	e, err := newEngine(Config{Scenario: s, Router: "health", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	res := e.run(context.Background())
	if !e.rec.Conserved() || len(res.Violations) > 0 {
		t.Fatalf("complete run: conserved %v, violations %v", e.rec.Conserved(), res.Violations)
	}
	e.rec.Totals.Created++ // an order created and never ended
	if e.rec.Conserved() {
		t.Fatal("Conserved() = true with one created order unaccounted for")
	}
	e.finish(false)
	// One fewer ended than created, and how the others ended.
	tot := e.rec.Totals
	want := fmt.Sprintf("at %v: conservation: %d orders created, %d ended (paid %d, failed %d, abandoned %d, lost %d, in flight %d)",
		e.now, tot.Created, tot.Created-1, tot.Paid, tot.Failed, tot.Abandoned, tot.Lost, tot.InFlight)
	if len(e.viol) != 1 || e.viol[0] != want {
		t.Errorf("violations after losing an order: %q; want [%q]", e.viol, want)
	}
	// Every way of ending counts towards the ended figure.
	e.viol = nil
	e.rec.Totals = Totals{Created: 16, Paid: 1, Failed: 2, Abandoned: 3, Lost: 4, InFlight: 5}
	e.finish(false)
	want = fmt.Sprintf("at %v: conservation: 16 orders created, 15 ended (paid 1, failed 2, abandoned 3, lost 4, in flight 5)", e.now)
	if len(e.viol) != 1 || e.viol[0] != want {
		t.Errorf("violations with 15 of 16 orders ended: %q; want [%q]", e.viol, want)
	}
}
