// Package drilltest judges wall-clock drills in tests by the same validity
// rules as paydrill run: a run that fell behind itself (verdict "invalid")
// is never passed and never failed for the machine's sake. It is run once
// more at the lower time scale its report suggests, and skipped with the
// reason if it is invalid again.
package drilltest

import (
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
)

// Valid runs the drills run carries out at time scale scale and returns
// their reports once every one of them is valid: whole sets run again
// together (a verdict that must flip between two routers is judged on
// runs of one scale). An invalid set is run again at the lowest scale its
// reports suggest; invalid again, or with no lower scale to try, the test
// is skipped with the reasons.
func Valid(t testing.TB, scale float64, run func(scale float64) []*reports.Report) []*reports.Report {
	t.Helper()
	for try := 0; ; try++ {
		rs := run(scale)
		if t.Failed() {
			t.FailNow()
		}
		var why []string
		next := scale
		for _, r := range rs {
			if r.Health == nil || r.Health.Valid {
				continue
			}
			why = append(why, r.Scenario.Name+" ("+r.Scenario.Router+"): "+r.Health.Reason)
			next = min(next, r.Health.SuggestedTimeScale)
		}
		if len(why) == 0 {
			if try > 0 {
				t.Logf("valid at time scale %g", scale)
			}
			return rs
		}
		reason := strings.Join(why, "; ")
		if try > 0 || next < 1 {
			t.Skipf("the drill could not keep its own time on this machine at time scale %g, so it says nothing about the router: %s", scale, reason)
		}
		t.Logf("invalid at time scale %g (%s); once more at %g", scale, reason, next)
		scale = next
	}
}
