//go:build !race

package scenarios_test

import (
	"slices"
	"testing"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// ownControl names, per drill, the negative control that makes exactly the
// mistake the drill is named for (router.Controls: health with that one
// mistake, otherwise good), and the expectation that must catch it. A
// drill its own control passes, or fails for another reason, is blind to
// the mistake it claims to catch: turning a silent fault loud, say, lets
// health-no-silence pass silent-freeze.
var ownControl = map[string]struct{ control, fails string }{
	"backup-capacity":         {"health-no-eject", "failover_within"}, // a limit counted as a failure: no control yet (docs/controls.md)
	"backup-freeze":           {"health-no-eject", "failover_within"},
	"block-combined":          {"health-no-segments", "failover_within"},
	"cascade-review":          {"health-no-spread", "failover_within"},
	"backup-rate-limit":       {"health-ignore-429", "failover_within"},
	"block-by-amount":         {"health-no-segments", "failover_within"},
	"block-by-category":       {"health-no-segments", "failover_within"},
	"block-by-region":         {"health-no-segments", "failover_within"},
	"duplicate-notifications": {"health-deliver-each", "duplicate_deliveries"},
	"epay-freeze":             {"health-no-eject", "failover_within"},
	"flapping":                {"health-no-eject", "failover_within"}, // chasing up phases is not caught: docs/controls.md
	"flash-sale-freeze":       {"health-no-eject", "failover_within"},
	"industry-freeze":         {"health-no-eject", "failover_within"},
	"merchant-freeze":         {"health-no-eject", "failover_within"},
	"notification-blackout":   {"health-no-reconcile", "stranded"},
	"outage-5xx":              {"health-no-eject", "failover_within"},
	"provider-crash":          {"health-no-eject", "failover_within"},
	"provider-hang":           {"health-timeouts-ok", "failover_within"},
	"recovery-failback":       {"health-no-failback", "failback_within"},
	"silent-freeze":           {"health-no-silence", "failover_within"},
	"slow-burn":               {"health-no-declines", "failover_within"},
	"soft-decline-spike":      {"health-no-declines", "failover_within"},
	"timeout-storm":           {"health-blind-timeouts", "duplicate_charges"},
	"total-blackout":          {"health-no-failback", "min_conversion"},
	// The small-shop tier.
	"small-block-1-per-min":            {"health-no-segments", "failover_within"},
	"small-block-10-per-min":           {"health-no-segments", "failover_within"},
	"small-block-1-per-s":              {"health-no-segments", "failover_within"},
	"small-backup-capacity-10-per-min": {"health-no-eject", "failover_within"},
	"small-cascade-review-10-per-min":  {"health-no-spread", "failover_within"},
	"small-industry-freeze-1-per-min":  {"health-no-eject", "failover_within"},
	"small-industry-freeze-10-per-min": {"health-no-eject", "failover_within"},
	"small-industry-freeze-1-per-s":    {"health-no-eject", "failover_within"},
	"small-merchant-freeze-1-per-min":  {"health-no-eject", "failover_within"},
	"small-merchant-freeze-10-per-min": {"health-no-eject", "failover_within"},
	"small-merchant-freeze-1-per-s":    {"health-no-eject", "failover_within"},
	"small-silent-freeze-1-per-min":    {"health-no-silence", "failover_within"},
	"small-silent-freeze-10-per-min":   {"health-no-silence", "failover_within"},
}

// uncaught lists the controls no library drill catches, with why; every
// other control must be some drill's own.
var uncaught = map[string]string{
	"health-risky-probes": "probing with real orders costs a relapse's orders, which no single-seed drill's verdict judges (TestSmallShopSilentFreeze does, over seeds)",
}

// TestEveryControlHasADrill: a control no drill catches is listed in
// uncaught with why, and only then.
func TestEveryControlHasADrill(t *testing.T) {
	used := map[string]bool{}
	for _, c := range ownControl {
		used[c.control] = true
	}
	for _, c := range router.ControlNames() {
		if _, listed := uncaught[c]; used[c] == listed {
			t.Errorf("control %s: some drill's own %v, listed as uncaught %v: exactly one must hold", c, used[c], listed)
		}
	}
}

// TestEachDrillFailsItsOwnControl runs every library drill with health
// and with its own control: health passes, the control fails, and among
// its failed expectations is the one named for the mistake.
func TestEachDrillFailsItsOwnControl(t *testing.T) {
	var jobs []job
	for _, n := range scenarios.Names() {
		c, ok := ownControl[n]
		if !ok {
			t.Errorf("drill %s has no control in ownControl: name the router that makes its mistake", n)
			continue
		}
		if !slices.Contains(router.ControlNames(), c.control) {
			t.Errorf("drill %s: control %q is not in router.Controls", n, c.control)
			continue
		}
		jobs = append(jobs, job{n, "health", 0}, job{n, c.control, 0})
	}
	got := runAll(t, jobs)
	for _, j := range jobs {
		r := got[j]
		if r == nil {
			continue
		}
		if j.router == "health" {
			if _, waiting := healthAwaiting[j.drill]; !waiting && !r.Passed() {
				t.Errorf("%s --router health: verdict %s, want pass\n%s", j.drill, r.Verdict, failed(r))
			}
			continue
		}
		want := ownControl[j.drill].fails
		caught := slices.ContainsFunc(r.Expectations, func(e reports.Expectation) bool { return e.Name == want && !e.Pass })
		if r.Passed() || !caught {
			t.Errorf("%s --router %s: verdict %s, want a failed %s (the drill's own mistake)\n%s",
				j.drill, j.router, r.Verdict, want, failed(r))
		}
	}
}
