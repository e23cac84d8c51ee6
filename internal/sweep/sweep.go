// Package sweep runs one scenario over a grid of traffic rates and
// routers, several seeds per cell, and summarises the spread of time to
// detect and time to fail over: the median and the worst seed of each
// cell, and from which rate up each router meets the fail-over target.
//
// Run does the work (in parallel, deterministically: every run is a pure
// function of its scenario, router and seed, and results land in fixed
// slots); Summary and the renderers are pure functions of its Result.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/crash"
	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
)

// ErrInput marks errors in what the sweep was asked to do (a rate, a
// router, a scenario that cannot be swept), as opposed to a run failing.
var ErrInput = errors.New("bad sweep input")

// DefaultTarget is the fail-over target when neither the fault nor the
// scenario sets expect.failover_within (or sets it off).
const DefaultTarget = 10 * time.Minute

// Fault is one fault of the swept scenario.
type Fault struct {
	Name, Type string
	// Target is the fault's expect.failover_within, else the scenario's,
	// else DefaultTarget (also when set off).
	Target time.Duration
}

// Cell is one rate and one router, run once per seed.
type Cell struct {
	Rate   scenario.Rate
	Router string
	// Detect and Failover hold, per fault (Result.Faults order) and per
	// seed (Result.Seeds order), the measured time; nil: never reached.
	Detect, Failover [][]*time.Duration
	// Interrupted: a seed's run was cut short or never started, so the
	// times are incomplete.
	Interrupted bool
}

// Result is a whole sweep.
type Result struct {
	Scenario string
	Faults   []Fault
	// Seeds are the seeds every cell ran: the scenario's seed, seed+1, ...
	Seeds []uint64
	// Cells: rates ascending (outer), routers in the order given (inner).
	Cells []Cell
	// Interrupted: ctx ended before every run was carried out.
	Interrupted bool
}

// Run runs s at every rate (replacing traffic.arrivals.rate) with every
// router and seeds seeds, on up to jobs goroutines (at least one).
// Duplicate rates are dropped and rates are sorted ascending. The
// caller's scenario is not modified. progress, when not nil, is called
// after each run with the runs done and the total; calls are serialised
// but come from the worker goroutines.
//
// Errors wrapping ErrInput are bad input. When ctx ends, Run stops the
// runs in flight, starts no more, and returns what it has with
// Interrupted set (and a nil error).
func Run(ctx context.Context, s *scenario.Scenario, rates []scenario.Rate, routers []string, seeds int, jobs int,
	progress func(done, total int)) (*Result, error) {
	res, scens, err := plan(s, rates, routers, seeds)
	if err != nil {
		return nil, err
	}
	items := make([]int, len(res.Cells)*seeds)
	for k := range items {
		items[k] = k
	}
	runs, err := execute(ctx, s, res, scens, items, jobs, progress)
	if err != nil {
		return nil, err
	}
	fill(res, runs)
	return res, nil
}

// plan checks the sweep and lays out its result, cells without times,
// and one scenario per cell. Work item k is cell k / seeds, seed k % seeds.
func plan(s *scenario.Scenario, rates []scenario.Rate, routers []string, seeds int) (*Result, []*scenario.Scenario, error) {
	if err := Check(s, rates, routers, seeds); err != nil {
		return nil, nil, err
	}
	rates = slices.Clone(rates)
	slices.Sort(rates)
	rates = slices.Compact(rates)

	res := &Result{Scenario: s.Name}
	for i, f := range s.Faults {
		res.Faults = append(res.Faults, Fault{Name: f.Name, Type: f.Type, Target: Target(s, i)})
	}
	for i := range seeds {
		res.Seeds = append(res.Seeds, s.Seed+uint64(i))
	}
	var scens []*scenario.Scenario // one copy per cell
	for _, rate := range rates {
		for _, rt := range routers {
			res.Cells = append(res.Cells, Cell{Rate: rate, Router: rt})
			scens = append(scens, WithRate(s, rate))
		}
	}
	return res, scens, nil
}

// run is one work item's times per fault.
type run struct {
	detect   []*time.Duration
	failover []*time.Duration
	done     bool // carried out to the end
}

// execute runs the work items given (indices into cells × seeds) on up to
// jobs goroutines and returns their times, in items' order.
func execute(ctx context.Context, s *scenario.Scenario, res *Result, scens []*scenario.Scenario, items []int, jobs int,
	progress func(done, total int)) ([]run, error) {
	seeds := len(res.Seeds)
	runs := make([]run, len(items))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		done     int
		firstErr error
		wg       crash.Group
	)
	work := make(chan int)
	for range max(1, min(jobs, len(runs))) {
		wg.Go(func() {
			for i := range work {
				ru := &runs[i]
				cell, seed := items[i]/seeds, items[i]%seeds
				c := res.Cells[cell]
				r, err := drill.Run(ctx, scens[cell], drill.Options{Router: c.Router, Seed: res.Seeds[seed]})
				mu.Lock()
				switch {
				case err != nil:
					if firstErr == nil {
						firstErr = fmt.Errorf("sweep %s at %s with router %s, seed %d: %w",
							s.Name, Label(c.Rate), c.Router, res.Seeds[seed], err)
						cancel()
					}
				case len(r.Faults) != len(res.Faults):
					if firstErr == nil {
						firstErr = fmt.Errorf("sweep %s: a run reported %d faults, the scenario has %d", s.Name, len(r.Faults), len(res.Faults))
						cancel()
					}
				default:
					for _, f := range r.Faults {
						ru.detect = append(ru.detect, duration(f.DetectS))
						ru.failover = append(ru.failover, duration(f.FailoverS))
					}
					ru.done = !r.Interrupted
				}
				done++
				if progress != nil {
					progress(done, len(runs))
				}
				mu.Unlock()
			}
		})
	}
	for i := range runs {
		if ctx.Err() != nil {
			break // the rest are not run
		}
		select {
		case work <- i:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return runs, nil
}

// fill puts every work item's times (runs, one per item of cells ×
// seeds) into res's cells.
func fill(res *Result, runs []run) {
	seeds := len(res.Seeds)
	for ci := range res.Cells {
		c := &res.Cells[ci]
		c.Detect = make([][]*time.Duration, len(res.Faults))
		c.Failover = make([][]*time.Duration, len(res.Faults))
		for fi := range res.Faults {
			c.Detect[fi] = make([]*time.Duration, seeds)
			c.Failover[fi] = make([]*time.Duration, seeds)
		}
		for si := range seeds {
			ru := runs[ci*seeds+si]
			if !ru.done {
				c.Interrupted = true
				res.Interrupted = true
			}
			for fi := range ru.detect {
				c.Detect[fi][si], c.Failover[fi][si] = ru.detect[fi], ru.failover[fi]
			}
		}
	}
}

// Check reports, wrapping ErrInput, why s cannot be swept over rates,
// routers and seeds.
func Check(s *scenario.Scenario, rates []scenario.Rate, routers []string, seeds int) error {
	a := s.Traffic.Arrivals
	switch {
	case len(s.Faults) == 0:
		return fmt.Errorf("%w: scenario %s has no faults: nothing to detect or fail over", ErrInput, s.Name)
	case s.Traffic.Replay != nil:
		return fmt.Errorf("%w: scenario %s replays %s: its orders come at the file's times, which --rates cannot change (sweep a scenario with synthetic arrivals, or set traffic.replay.speed to replay the file faster)",
			ErrInput, s.Name, s.Traffic.Replay.File)
	case a.Type == "ramp":
		return fmt.Errorf("%w: scenario %s: traffic.arrivals.type ramp has no base rate to replace (sweep constant, poisson, diurnal or spike arrivals)",
			ErrInput, s.Name)
	case len(rates) == 0:
		return fmt.Errorf("%w: no rates given", ErrInput)
	case len(routers) == 0:
		return fmt.Errorf("%w: no routers given", ErrInput)
	case seeds < 1:
		return fmt.Errorf("%w: %d seeds: at least 1", ErrInput, seeds)
	}
	for _, r := range rates {
		if !(r > 0) || math.IsInf(float64(r), 0) {
			return fmt.Errorf("%w: rate %s: a swept rate must be above 0", ErrInput, Label(r))
		}
		if err := WithRate(s, r).CheckPlan(); err != nil {
			return fmt.Errorf("%w: rate %s: %v", ErrInput, Label(r), err)
		}
	}
	for i, rt := range routers {
		if !slices.Contains(router.Strategies, rt) {
			return fmt.Errorf("%w: router %q is not one of %s", ErrInput, rt, strings.Join(router.Strategies, ", "))
		}
		if slices.Index(routers, rt) < i {
			return fmt.Errorf("%w: router %q is given twice", ErrInput, rt)
		}
	}
	return nil
}

// WithRate returns a copy of s whose traffic.arrivals.rate is rate. The
// copy shares s's maps and slices, which runs only read; the rate is a
// plain field of a value, so s is left as it was.
func WithRate(s *scenario.Scenario, rate scenario.Rate) *scenario.Scenario {
	c := *s
	c.Traffic.Arrivals.Rate = rate
	return &c
}

// Target is fault i's fail-over target: its own expect.failover_within,
// else the scenario's, else DefaultTarget (also when the one that applies
// is off).
func Target(s *scenario.Scenario, i int) time.Duration {
	l := s.Expect.FailoverWithin
	if e := s.Faults[i].Expect; e != nil && e.FailoverWithin != nil {
		l = e.FailoverWithin
	}
	if l == nil || l.Off {
		return DefaultTarget
	}
	return l.D
}

func duration(s *float64) *time.Duration {
	if s == nil {
		return nil
	}
	d := time.Duration(math.Round(*s * float64(time.Second)))
	return &d
}
