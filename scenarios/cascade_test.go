//go:build !race

package scenarios_test

import (
	"context"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/seeds"
	"github.com/paydrill/paydrill/reports"
)

// TestCascadeReview: cascade-review fails a router that moves the frozen
// primary's traffic onto its first backup (first-backup, and health with
// its spreading switched off: the backup's velocity review trips after the
// freeze, caused by volume) and passes routers that spread it (health
// within the backups' stated reviews, success-rate by exploring), with no
// review tripped.
func TestCascadeReview(t *testing.T) {
	s := load(t, "cascade-review")
	freeze := s.Faults[0].At.D().Seconds()
	jobs := []job{{"cascade-review", "first-backup", 0}, {"cascade-review", "health-no-spread", 0},
		{"cascade-review", "health", 0}, {"cascade-review", "success-rate", 0}}
	got := runAll(t, jobs)
	for _, router := range []string{"first-backup", "health-no-spread"} {
		r := got[job{"cascade-review", router, 0}]
		if r == nil {
			continue
		}
		if r.Passed() {
			t.Errorf("%s passes the cascade drill:\n%s", router, failed(r))
		}
		beta := r.Providers[s.ProviderIndex("beta")]
		if len(beta.Reviews) == 0 || beta.Reviews[0].AtS < freeze || !strings.Contains(beta.Reviews[0].Cause, "volume") {
			t.Errorf("%s: beta's reviews %+v, want one after the freeze at %gs caused by volume", router, beta.Reviews, freeze)
		}
	}
	if r := got[job{"cascade-review", "first-backup", 0}]; r != nil {
		for _, name := range []string{"gamma", "delta"} {
			if p := r.Providers[s.ProviderIndex(name)]; len(p.Reviews) != 0 {
				t.Errorf("first-backup: %s reviewed %+v, though it never took the card traffic", name, p.Reviews)
			}
		}
	}
	for _, router := range []string{"health", "success-rate"} {
		r := got[job{"cascade-review", router, 0}]
		if r == nil {
			continue
		}
		if !r.Passed() {
			t.Errorf("%s (spreads) fails the cascade drill:\n%s", router, failed(r))
		}
		if trips := reviewed(r); len(trips) != 0 {
			t.Errorf("%s: reviews tripped on %v; spreading should trip none", router, trips)
		}
	}
}

// reviewed lists the providers whose review tripped, once per trip.
func reviewed(r *reports.Report) []string {
	var trips []string
	for _, p := range r.Providers {
		for range p.Reviews {
			trips = append(trips, p.Name)
		}
	}
	return trips
}

// smallSeeds is how many seeds the small-shop versions of the cascade and
// capacity drills are judged over (seeds 1..smallSeeds).
const smallSeeds = 40

// seedJobs lists one job per seed 1..n of drillName for each router.
func seedJobs(drillName string, n int, routers ...string) []job {
	var jobs []job
	for _, rt := range routers {
		for s := range n {
			jobs = append(jobs, job{drillName, rt, uint64(s + 1)})
		}
	}
	return jobs
}

// TestSmallShopCascadeReview: the cascade drill at ten orders a minute,
// over 40 seeds. health spreads the moved card traffic and trips no
// review in any seed; first-backup and health-no-spread move it all onto
// beta and trip beta's review after the freeze, caused by volume, in at
// least three seeds in four. (Whether each fails over within ten minutes
// in enough seeds is TestSmallShopTierOverSeeds's verdict.)
func TestSmallShopCascadeReview(t *testing.T) {
	const name = "small-cascade-review-10-per-min"
	s := load(t, name)
	freeze := s.Faults[0].At.D().Seconds()
	beta := s.ProviderIndex("beta")
	got := runAll(t, seedJobs(name, smallSeeds, "health", "first-backup", "health-no-spread"))
	tripped := map[string]int{}
	for j, r := range got {
		if j.router == "health" {
			if trips := reviewed(r); len(trips) != 0 {
				t.Errorf("%s --router health --seed %d: reviews tripped on %v; spreading should trip none", name, j.seed, trips)
			}
			continue
		}
		for _, v := range r.Providers[beta].Reviews {
			if v.AtS >= freeze && strings.Contains(v.Cause, "volume") {
				tripped[j.router]++
				break
			}
		}
	}
	for _, rt := range []string{"first-backup", "health-no-spread"} {
		t.Logf("%s: beta reviewed by volume after the freeze in %d of %d seeds", rt, tripped[rt], smallSeeds)
		if tripped[rt] < smallSeeds*3/4 {
			t.Errorf("%s --router %s: beta reviewed after the freeze in %d of %d seeds, want at least %d",
				name, rt, tripped[rt], smallSeeds, smallSeeds*3/4)
		}
		// Judged as the tier is, over the seeds: FAIL.
		var seedList []uint64
		for k := range uint64(smallSeeds) {
			seedList = append(seedList, k+1)
		}
		r, err := seeds.Run(context.Background(), s, seeds.Options{Seeds: seedList, Router: rt})
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != reports.Fail {
			t.Errorf("%s --router %s over %d seeds: verdict %s, want fail", name, rt, smallSeeds, r.Verdict)
		}
	}
}

// TestSmallShopBackupCapacity: the capacity drill at ten orders a minute,
// over 40 seeds. health keeps beta within its daily cap, fills it (at
// least 90% of the cap: the survivor is used, not avoided) and, told the
// cap, sends at most a few orders beta can only decline (those in flight
// when its ledger reaches the cap); the rest of the card traffic goes to
// epsilon. health-no-spread, which ignores the stated terms, sends every
// card order to beta first once the cap is spent.
func TestSmallShopBackupCapacity(t *testing.T) {
	const name = "small-backup-capacity-10-per-min"
	const maxDeclines = 3
	s := load(t, name)
	beta, epsilon := s.ProviderIndex("beta"), s.ProviderIndex("epsilon")
	got := runAll(t, seedJobs(name, smallSeeds, "health", "health-no-spread"))
	var blind int64
	for j, r := range got {
		b := r.Providers[beta]
		if b.DailyPeak > b.DailyCap || b.DailyPeak < 0.9*b.DailyCap {
			t.Errorf("%s --router %s --seed %d: beta's busiest day %.2f, want within its cap %.2f and at least 90%% of it",
				name, j.router, j.seed, b.DailyPeak, b.DailyCap)
		}
		if j.router != "health" {
			blind += b.LimitDeclines
			continue
		}
		if b.LimitDeclines > maxDeclines || r.Providers[epsilon].Captures == 0 {
			t.Errorf("%s --router health --seed %d: beta declined %d orders for its limits (want at most %d), epsilon captured %d",
				name, j.seed, b.LimitDeclines, maxDeclines, r.Providers[epsilon].Captures)
		}
	}
	t.Logf("health-no-spread: %d limit declines on beta over %d seeds", blind, smallSeeds)
	if blind <= maxDeclines*smallSeeds {
		t.Errorf("health-no-spread: %d limit declines on beta over %d seeds; a router blind to the cap should take far more than %d",
			blind, smallSeeds, maxDeclines*smallSeeds)
	}
}
