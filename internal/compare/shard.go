package compare

import (
	"context"
	"errors"
	"fmt"

	"github.com/paydrill/paydrill/internal/crash"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/shard"
	"github.com/paydrill/paydrill/reports"
)

// RunShard runs the routers of opt.Routers that spec owns (item k is the
// k-th router) and returns their indices and reports.
func RunShard(ctx context.Context, s *scenario.Scenario, opt Options, spec shard.Spec) ([]int, []*reports.Report, error) {
	items := spec.Items(len(opt.Routers))
	reps := make([]*reports.Report, len(items))
	errs := make([]error, len(items))
	sem := make(chan struct{}, max(opt.Jobs, 1))
	var wg crash.Group
	for i, k := range items {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			row, err := runOne(ctx, s, opt.Routers[k], opt)
			reps[i], errs[i] = row.Report, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return items, reps, nil
}

// Merge is the comparison of scenario name on seed from one report per
// router, in the order of routers (the reference first): what Run gives.
func Merge(name string, seed uint64, routers []string, reps []*reports.Report) (*Result, error) {
	if len(reps) != len(routers) || len(reps) == 0 {
		return nil, fmt.Errorf("%d reports for %d routers", len(reps), len(routers))
	}
	rows := make([]Row, len(reps))
	for i, r := range reps {
		if r == nil {
			return nil, fmt.Errorf("no report for router %s", routers[i])
		}
		rows[i] = rowOf(routers[i], r)
	}
	uplift(rows)
	return &Result{Scenario: name, Seed: seed, Currency: reps[0].Scenario.Currency, Rows: rows}, nil
}
