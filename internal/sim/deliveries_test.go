package sim

import (
	"context"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// The engine's own checks of the shop's rules, without the drill and
// verdict around them: duplicate-notifications sends every notification
// of one provider twice. The good checkout delivers once per order and
// counts the repeats as duplicate notifications; the control that
// delivers on every notification shows duplicate deliveries. Without
// notifications (notification-blackout) the good checkout asks the
// provider and strands nothing; the control that never asks strands.
func TestShopRulesInTheEngine(t *testing.T) {
	run := func(file, rt string) Totals {
		t.Helper()
		s := load(t, "../../scenarios/"+file)
		s.Duration = scenario.Duration(min(s.Duration.D(), 30*time.Minute))
		res, err := Run(context.Background(), Config{Scenario: s, Router: rt, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Violations) > 0 {
			t.Errorf("%s %s: violations %v", file, rt, res.Violations)
		}
		return res.Totals
	}
	good := run("duplicate-notifications.yaml", "health")
	if good.DuplicateDeliveries != 0 || good.DuplicateNotifications == 0 {
		t.Errorf("health: %d duplicate deliveries, %d duplicate notifications; want 0 and some (ignored)",
			good.DuplicateDeliveries, good.DuplicateNotifications)
	}
	each := run("duplicate-notifications.yaml", "health-deliver-each")
	if each.DuplicateDeliveries == 0 || each.DuplicateDeliveries > each.Paid {
		t.Errorf("health-deliver-each: %d duplicate deliveries of %d paid; want some, at most one per paid order",
			each.DuplicateDeliveries, each.Paid)
	}
	asks := run("notification-blackout.yaml", "health")
	if asks.StatusQueries <= 0 || asks.Stranded != 0 {
		t.Errorf("health in a blackout: %d status queries, %d stranded; want queries and none stranded",
			asks.StatusQueries, asks.Stranded)
	}
	blind := run("notification-blackout.yaml", "health-no-reconcile")
	if blind.StatusQueries != 0 || blind.Stranded == 0 {
		t.Errorf("health-no-reconcile in a blackout: %d status queries, %d stranded; want none asked and some stranded",
			blind.StatusQueries, blind.Stranded)
	}
}
