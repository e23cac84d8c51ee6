// Package seeds runs one drill over many seeds and judges it by the share
// of seeds in which each expectation held. At a small shop's traffic one
// run is one sample of a random time; the distribution over seeds, and an
// interval on the share within each limit, is what a verdict can rest on.
package seeds

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
)

// DefaultConfidence is the share of seeds an expectation must hold in
// when the scenario does not say (expect.confidence).
const DefaultConfidence = 0.95

// Options are a multi-seed run's choices beyond the scenario.
type Options struct {
	// Seeds to run, in order. Each runs the scenario once, deterministically.
	Seeds []uint64
	// Jobs is how many seeds run at once (0: GOMAXPROCS).
	Jobs int
	// Router overrides the scenario's strategy when set.
	Router string
	// File is where the scenario came from (for the reproduce command).
	File string
	// StopEarly stops once every expectation is decided, judged on the
	// first 20, 40, 60, ... seeds in order (so the result does not depend
	// on which seed finished first).
	StopEarly bool
	// Progress, when set, is told after each seed finishes.
	Progress func(done, total int)
	// Now reads the wall clock (nil: time.Now).
	Now func() time.Time
}

// checkpoint is how many seeds, in order, each early-stop look adds.
const checkpoint = 20

// Run runs the scenario once per seed on Jobs goroutines and summarises.
// An interrupted run summarises the seeds that finished, in order, up to
// the first that did not, and sets Interrupted.
func Run(ctx context.Context, s *scenario.Scenario, opt Options) (*reports.Seeds, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	if len(opt.Seeds) == 0 {
		return nil, fmt.Errorf("no seeds to run")
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, len(opt.Seeds))
	start := now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	runs := make([]*reports.Report, len(opt.Seeds))
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		prefix   int // seeds [0, prefix) have all finished
		stopAt   = -1
	)
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := drill.Run(ctx, s, drill.Options{File: opt.File, Router: opt.Router, Seed: opt.Seeds[i], Now: now})
				mu.Lock()
				switch {
				case err != nil && firstErr == nil:
					firstErr = fmt.Errorf("seed %d: %w", opt.Seeds[i], err)
					cancel()
				case err == nil && !r.Interrupted:
					runs[i] = r
				}
				done++
				for prefix < len(runs) && runs[prefix] != nil {
					prefix++
					if opt.StopEarly && stopAt < 0 && prefix%checkpoint == 0 && prefix < len(runs) &&
						decided(summarizeReports(s, opt, runs[:prefix])) {
						stopAt = prefix
						cancel()
					}
				}
				if opt.Progress != nil {
					opt.Progress(done, len(opt.Seeds))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range opt.Seeds {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	n := prefix
	if stopAt >= 0 {
		n = stopAt
	}
	out := summarizeReports(s, opt, runs[:n])
	switch {
	case stopAt >= 0:
		out.Stopped = fmt.Sprintf("stopped after %d of %d seeds: every expectation was decided", n, len(opt.Seeds))
	case n < len(opt.Seeds):
		out.Interrupted = true
		out.Stopped = fmt.Sprintf("interrupted after %d of %d seeds", n, len(opt.Seeds))
		out.Verdict = reports.Fail
	}
	wall := now().Sub(start).Seconds()
	out.Engine = reports.SeedsEngine{Jobs: jobs, WallS: round(wall, 3)}
	if wall > 0 {
		out.Engine.RunsPerMinute = round(float64(n)/wall*60, 1)
	}
	return out, nil
}

// decided reports whether every expectation of a summary is PASS or FAIL.
func decided(r *reports.Seeds) bool {
	for _, e := range r.Expectations {
		if e.Outcome == reports.Inconclusive {
			return false
		}
	}
	return true
}

// Key names an expectation: its name, its fault and its limit.
type Key struct {
	Name, Fault, Want string
	WantValue         float64
}

// summarizeReports reduces the seeds' reports to rows, each seed's
// outcomes aligned to one list of expectations, and summarises them.
func summarizeReports(s *scenario.Scenario, opt Options, runs []*reports.Report) *reports.Seeds {
	var keys []Key
	index := map[Key]int{}
	var faults []reports.SeedsFault
	for _, r := range runs {
		if faults == nil {
			for _, f := range r.Faults {
				faults = append(faults, reports.SeedsFault{Name: f.Name, Type: f.Type, Providers: f.Providers})
			}
		}
		for _, e := range r.Expectations {
			k := Key{e.Name, e.Fault, e.Want, e.WantValue}
			if _, ok := index[k]; !ok {
				index[k] = len(keys)
				keys = append(keys, k)
			}
		}
	}
	rows := make([]reports.SeedRun, 0, len(runs))
	for _, r := range runs {
		row := reports.SeedRun{Seed: r.Scenario.Seed, Verdict: r.Verdict, Outcomes: make([]string, len(keys))}
		for i, k := range keys {
			// An expectation a seed did not judge: no broken invariant
			// holds; anything else did not apply.
			row.Outcomes[i] = reports.NotApplicable
			if k.Name == "invariants" {
				row.Outcomes[i] = reports.Pass
			}
		}
		for _, e := range r.Expectations {
			row.Outcomes[index[Key{e.Name, e.Fault, e.Want, e.WantValue}]] = outcome(e)
		}
		for _, f := range r.Faults {
			row.DetectS = append(row.DetectS, f.DetectS)
			row.FailoverS = append(row.FailoverS, f.FailoverS)
		}
		rows = append(rows, row)
	}
	exps := make([]reports.SeedsExpectation, len(keys))
	for i, k := range keys {
		exps[i] = reports.SeedsExpectation{Name: k.Name, Fault: k.Fault, Want: k.Want, WantValue: k.WantValue}
	}
	out := &reports.Seeds{Faults: faults, Expectations: exps, PerSeed: rows, Confidence: Confidence(s)}
	if len(runs) > 0 {
		out.Scenario = runs[0].Scenario
	}
	out.Reproduce = reproduce(opt, out.Scenario)
	Summarize(out)
	return out
}

// Confidence is the scenario's expect.confidence, or DefaultConfidence.
func Confidence(s *scenario.Scenario) float64 {
	if c := s.Expect.Confidence; c != nil {
		return *c
	}
	return DefaultConfidence
}

func outcome(e reports.Expectation) string {
	if e.Outcome != "" {
		return e.Outcome
	}
	if e.Pass {
		return reports.Pass
	}
	return reports.Fail
}

func reproduce(opt Options, sc reports.Scenario) string {
	file := sc.File
	if file == "" {
		file = "FILE"
	}
	seeds := "0"
	if n := len(opt.Seeds); n > 0 {
		seeds = fmt.Sprintf("%d..%d", opt.Seeds[0], opt.Seeds[n-1])
	}
	return fmt.Sprintf("paydrill run %s --router %s --seeds %s", file, sc.Router, seeds)
}
