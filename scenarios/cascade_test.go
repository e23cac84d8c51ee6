//go:build !race

package scenarios_test

import (
	"strings"
	"testing"

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
