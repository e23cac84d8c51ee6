//go:build !race

package scenarios_test

import (
	"context"
	"math"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
)

// TestHealthFalseAlarms measures health's false-alarm budget: the
// small-shop wallet drill with its fault removed (nothing is wrong), one
// simulated day per seed, at 1 order/min, 1/s and 20/s. Every ejection
// is a false alarm; the target is under one per channel per day. The
// figures go to BENCHMARKS.md ("health's false alarms"):
//
//	PAYDRILL_FALSE_ALARMS=1 go test ./scenarios -run TestHealthFalseAlarms -v -count=1
//
// It takes two minutes of a busy 2-core machine, so it runs only when
// PAYDRILL_FALSE_ALARMS is set.
func TestHealthFalseAlarms(t *testing.T) {
	if os.Getenv("PAYDRILL_FALSE_ALARMS") == "" {
		t.Skip("set PAYDRILL_FALSE_ALARMS=1: 232 simulated days, two minutes")
	}
	for _, c := range []struct {
		rate  string
		seeds int
	}{
		{"1/min", 200},
		{"1/s", 20},
		{"20/s", 12},
	} {
		s := load(t, "small-silent-freeze-1-per-min")
		s.Faults = nil
		s.Expect = scenario.Expect{}
		s.Duration = scenario.Duration(24 * time.Hour)
		rate, err := scenario.ParseRate(c.rate)
		if err != nil {
			t.Fatal(err)
		}
		s.Traffic.Arrivals.Rate = rate
		var mu sync.Mutex
		var wg sync.WaitGroup
		ejections, days := 0, 0.0
		work := make(chan uint64)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for seed := range work {
					r, err := drill.Run(context.Background(), s, drill.Options{Router: "health", Seed: seed})
					if err != nil {
						t.Error(err)
						continue
					}
					n := 0
					for _, tr := range r.Transitions {
						if tr.State == "out" {
							n++
						}
					}
					mu.Lock()
					ejections += n
					// Channels that carried traffic: health sends every
					// order to the primary while it is healthy.
					days += 1
					mu.Unlock()
				}
			}()
		}
		for k := range c.seeds {
			work <- uint64(k + 1)
		}
		close(work)
		wg.Wait()
		perDay := float64(ejections) / days
		// One-sided 95% upper bound of a Poisson count (exact for 0).
		upper := poissonUpper95(ejections) / days
		t.Logf("rate %s: %d ejections in %.0f channel-days: %.3f per channel per day (95%% upper bound %.3f)", c.rate, ejections, days, perDay, upper)
		if perDay >= 1 {
			t.Errorf("rate %s: %.3f false ejections per channel per day, target under 1", c.rate, perDay)
		}
	}
}

// poissonUpper95 is the one-sided 95% upper confidence bound of a
// Poisson mean after observing k events (by bisection on the CDF).
func poissonUpper95(k int) float64 {
	cdf := func(lambda float64) float64 {
		sum, term := 0.0, math.Exp(-lambda)
		for j := 0; j <= k; j++ {
			sum += term
			term *= lambda / float64(j+1)
		}
		return sum
	}
	lo, hi := 0.0, float64(k)+20
	for range 100 {
		mid := (lo + hi) / 2
		if cdf(mid) > 0.05 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
