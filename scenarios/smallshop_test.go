//go:build !race

package scenarios_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/seeds"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// healthOverSeeds lists the small-shop drills whose verdict over seeds
// health does not reach PASS yet, with the verdict it gets and why (issue
// 18 made silence detection evidence-based at any traffic; declines and
// blocks at 1/min still wait for a window). The test fails when health
// does better than listed (update the list then).
var healthOverSeeds = map[string]string{
	"small-block-1-per-min":           reports.Fail + ": a block learnt from one category's declines takes about 25 minutes at 0.3 matching orders a minute",
	"small-industry-freeze-1-per-min": reports.Inconclusive + ": two of three channels frozen at one order a minute; better since the change-point test, not yet 90% within 10m",
	"small-block-10-per-min":          reports.Inconclusive + ": the combination learner tries each specific kind of order inside a block once before avoiding it (issue 18's trade for combined blocks), a few more hits at 3 matching orders a minute",
	"small-merchant-freeze-1-per-min": reports.Inconclusive + ": within 10m in about 88% of seeds against the 90% the drill asks",
}

// TestSmallShopTierOverSeeds judges the small-shop tier as it is meant to
// be judged, over seeds: every negative control FAILs each drill (none
// passes by luck, none is merely inconclusive), and health PASSes all but
// the drills listed in healthOverSeeds, which it does no better than listed.
func TestSmallShopTierOverSeeds(t *testing.T) {
	const controlSeeds = 12
	seedList := func(n int) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = uint64(i + 1)
		}
		return out
	}
	rank := map[string]int{reports.Fail: 0, reports.Inconclusive: 1, reports.Pass: 2}
	for _, name := range scenarios.Names() {
		if !strings.HasPrefix(name, "small-") {
			continue
		}
		s := load(t, name)
		// Enough seeds that all of them holding puts the 95% interval above
		// the drill's confidence: n/(n+z²) >= c.
		c := seeds.Confidence(s)
		healthSeeds := int(math.Ceil(3.8415*c/(1-c))) + 3
		for _, rt := range append([]string{"health"}, controls...) {
			n := controlSeeds
			if rt == "health" {
				n = healthSeeds
			}
			r, err := seeds.Run(context.Background(), s, seeds.Options{Seeds: seedList(n), Router: rt})
			if err != nil {
				t.Fatalf("%s --router %s: %v", name, rt, err)
			}
			switch listed, ok := healthOverSeeds[name]; {
			case rt != "health":
				if r.Verdict != reports.Fail {
					t.Errorf("%s --router %s over %d seeds: verdict %s, want fail", name, rt, n, r.Verdict)
				}
			case ok:
				want, _, _ := strings.Cut(listed, ":")
				if rank[r.Verdict] > rank[want] {
					t.Errorf("%s: health over %d seeds is %s now, better than the %s listed: update healthOverSeeds", name, n, r.Verdict, want)
				}
			case r.Verdict != reports.Pass:
				t.Logf("%s: health over %d seeds: %s", name, n, r.Verdict)
				t.Errorf("%s: health over %d seeds: verdict %s, want pass\n%+v", name, n, r.Verdict, r.Expectations)
			}
		}
	}
}
