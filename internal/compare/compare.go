// Package compare runs one scenario's traffic and faults under several
// routers and sets the results side by side: what would another router
// have done with the same orders? The first router is the reference the
// others' uplift is measured against.
package compare

import (
	"context"
	"errors"
	"fmt"

	"github.com/paydrill/paydrill/internal/crash"
	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/reports"
)

// Options are a comparison's choices beyond the scenario.
type Options struct {
	// File is where the scenario came from (for the reports).
	File string
	// Routers to compare, the reference first. At least one.
	Routers []string
	// Seed overrides the scenario's seed when non-zero; every router runs
	// on the same seed, so the synthetic orders are the same.
	Seed uint64
	// Jobs is how many runs go at once (0 or 1: one at a time).
	Jobs int
	// Orders, when set, opens a fresh source of the same orders for each
	// router (nil: the scenario's synthetic traffic or its replay file).
	Orders func() (sim.OrderSource, error)
	// OnBadRow is told of bad rows of the scenario's replay file (once
	// per router run).
	OnBadRow func(*replay.RowError)
	// Watch, when set, is called as each router's run starts; it gives
	// the run's progress callback and a function told, when the run
	// ends, of its report or of the error that stopped it.
	Watch func(router string) (progress func(sim.Progress), done func(*reports.Report, error))
}

// Row is one router's result. Its JSON keys are those of the report for
// the same figures (excess_failed, fees, paid_amount...).
type Row struct {
	Router string          `json:"router"`
	Report *reports.Report `json:"report"`
	// Sums over the scenario's faults; Fees over its providers.
	ExcessFailed       int64   `json:"excess_failed"`
	ExcessFailedAmount float64 `json:"excess_failed_amount"`
	Fees               float64 `json:"fees"`
	// Uplift over the first router (zero for the first).
	ConversionUplift   float64 `json:"conversion_uplift_pp"` // percentage points
	PaidUplift         float64 `json:"paid_amount_uplift"`   // money, major units
	ExcessFailedUplift int64   `json:"excess_failed_uplift"`
	FeesUplift         float64 `json:"fees_uplift"`
}

// MoneySafe reports whether the run lost no order and charged no buyer
// twice or without delivering.
func (r *Row) MoneySafe() bool {
	o := r.Report.Orders
	return o.Lost == 0 && o.DuplicateCharges == 0 && o.Stranded == 0
}

// Result is the comparison.
type Result struct {
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	Currency string `json:"currency"`
	Rows     []Row  `json:"rows"`
}

// Run runs the scenario once per router and returns the rows in the
// order of opt.Routers. Each run is deterministic and sees the same
// orders and faults.
func Run(ctx context.Context, s *scenario.Scenario, opt Options) (*Result, error) {
	if len(opt.Routers) == 0 {
		return nil, errors.New("compare: no routers")
	}
	rows := make([]Row, len(opt.Routers))
	errs := make([]error, len(opt.Routers))
	jobs := max(opt.Jobs, 1)
	sem := make(chan struct{}, jobs)
	var wg crash.Group
	for i, name := range opt.Routers {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rows[i], errs[i] = runOne(ctx, s, name, opt)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	seed := s.Seed
	if opt.Seed != 0 {
		seed = opt.Seed
	}
	uplift(rows)
	return &Result{Scenario: s.Name, Seed: seed, Currency: s.Traffic.Catalog.Currency, Rows: rows}, nil
}

// uplift sets each row's uplift over the first.
func uplift(rows []Row) {
	ref := &rows[0]
	for i := range rows {
		r := &rows[i]
		if i > 0 {
			r.ConversionUplift = 100 * (r.Report.Orders.Conversion - ref.Report.Orders.Conversion)
			r.PaidUplift = r.Report.Orders.PaidAmount - ref.Report.Orders.PaidAmount
			r.ExcessFailedUplift = r.ExcessFailed - ref.ExcessFailed
			r.FeesUplift = r.Fees - ref.Fees
		}
	}
}

func runOne(ctx context.Context, s *scenario.Scenario, router string, opt Options) (row Row, err error) {
	dopt := drill.Options{File: opt.File, Router: router, Seed: opt.Seed, OnBadRow: opt.OnBadRow}
	if opt.Watch != nil {
		var done func(*reports.Report, error)
		dopt.Progress, done = opt.Watch(router)
		defer func() { done(row.Report, err) }()
	}
	if opt.Orders != nil {
		src, err := opt.Orders()
		if err != nil {
			return Row{}, fmt.Errorf("router %s: %w", router, err)
		}
		if c, ok := src.(interface{ Close() error }); ok {
			defer c.Close()
		}
		dopt.Orders = src
	}
	r, err := drill.Run(ctx, s, dopt)
	if err != nil {
		return Row{}, fmt.Errorf("router %s: %w", router, err)
	}
	if r.Interrupted {
		return Row{}, fmt.Errorf("router %s: %w", router, context.Canceled)
	}
	return rowOf(router, r), nil
}

// rowOf is one router's row of its report, without uplift.
func rowOf(router string, r *reports.Report) Row {
	row := Row{Router: router, Report: r}
	for _, f := range r.Faults {
		row.ExcessFailed += f.ExcessFailed
		row.ExcessFailedAmount += f.ExcessFailedAmount
	}
	for _, p := range r.Providers {
		row.Fees += p.Fees
	}
	return row
}
