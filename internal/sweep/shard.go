package sweep

import (
	"context"
	"fmt"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/shard"
)

// RunShard runs the work items of the sweep that spec owns (item k is
// cell k / seeds, seed k % seeds, cells as in Result.Cells) and returns
// the sweep's layout (its cells without times), the items and their
// times. interrupted: ctx ended before every item ran to the end.
func RunShard(ctx context.Context, s *scenario.Scenario, rates []scenario.Rate, routers []string, seeds, jobs int,
	progress func(done, total int), spec shard.Spec) (layout *Result, items []int, runs []shard.Run, interrupted bool, err error) {
	res, scens, err := plan(s, rates, routers, seeds)
	if err != nil {
		return nil, nil, nil, false, err
	}
	items = spec.Items(len(res.Cells) * seeds)
	out, err := execute(ctx, s, res, scens, items, jobs, progress)
	if err != nil {
		return nil, nil, nil, false, err
	}
	runs = make([]shard.Run, len(out))
	for i, ru := range out {
		runs[i] = shard.Run{Detect: ru.detect, Failover: ru.failover}
		interrupted = interrupted || !ru.done
	}
	return res, items, runs, interrupted, nil
}

// Merge lays out the sweep named name of faults, seeds, rates (ascending)
// and routers, and fills its cells with runs: one per work item, in
// order, as the shards of RunShard gave them. The result is the one Run
// gives for the same sweep.
func Merge(name string, faults []Fault, seeds []uint64, rates []scenario.Rate, routers []string, runs []shard.Run) (*Result, error) {
	res := &Result{Scenario: name, Faults: faults, Seeds: seeds}
	for _, rate := range rates {
		for _, rt := range routers {
			res.Cells = append(res.Cells, Cell{Rate: rate, Router: rt})
		}
	}
	if want := len(res.Cells) * len(seeds); len(runs) != want {
		return nil, fmt.Errorf("%d runs for %d cells × %d seeds", len(runs), len(res.Cells), len(seeds))
	}
	all := make([]run, len(runs))
	for k, r := range runs {
		if len(r.Detect) != len(faults) || len(r.Failover) != len(faults) {
			return nil, fmt.Errorf("run %d holds times of %d faults, the sweep has %d", k, len(r.Detect), len(faults))
		}
		all[k] = run{detect: r.Detect, failover: r.Failover, done: true}
	}
	fill(res, all)
	return res, nil
}
