package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/compare"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seeds"
	"github.com/paydrill/paydrill/internal/shard"
	"github.com/paydrill/paydrill/internal/sweep"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// shardFlags are --shard I/N and --partial PATH, shared by run --seeds,
// sweep and compare.
type shardFlags struct {
	spec, partial string
}

func (f *shardFlags) register(fs *pflag.FlagSet, what string) {
	fs.StringVar(&f.spec, "shard", "", "run only shard `I/N` of the "+what+" (item k of the work list when k mod N = I; I from 0, as JOB_COMPLETION_INDEX) and write a partial result for 'paydrill merge' instead of the reports")
	fs.StringVar(&f.partial, "partial", "", "with --shard, write the partial result to `PATH` (default: one line on stdout, for kubectl logs | paydrill merge -)")
}

func (f *shardFlags) on() bool { return f.spec != "" }

// check parses --shard and refuses what a shard cannot do: reports are
// for the whole, written by merge (reports: whether any was asked for).
func (f *shardFlags) check(reports bool) (shard.Spec, error) {
	if reports {
		return shard.Spec{}, fmt.Errorf("--shard writes a partial result, not reports: 'paydrill merge' of every shard writes them (--json, --html, ...)")
	}
	return shard.Parse(f.spec)
}

// write writes a partial to --partial or stdout.
func (f *shardFlags) write(p *shard.Partial, stdout io.Writer) error {
	if f.partial == "" || f.partial == "-" {
		return shard.Write(stdout, p)
	}
	return writeFile("partial", f.partial, func(w io.Writer) error { return shard.Write(w, p) })
}

// scenarioSHA256 is the hash of the bytes a scenario argument names (a
// file or a built-in drill): shards agree on the scenario only when they
// read the same bytes.
func scenarioSHA256(arg string) (string, error) {
	var data []byte
	var err error
	if name, ok := strings.CutPrefix(arg, builtinPrefix); ok {
		data, err = scenarios.Read(name)
	} else {
		data, err = os.ReadFile(arg)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", arg, err)
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:]), nil
}

// runSeedsShard runs the seeds of list that shard --shard owns and writes
// their partial result. Its exit code says whether the shard ran, not
// the verdict: that is the merge's.
func runSeedsShard(ctx context.Context, file string, s *scenario.Scenario, list []uint64, opt runOptions, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		return exitUsage
	}
	spec, err := opt.shard.check(opt.outputs.any())
	if err != nil {
		return fail(err)
	}
	if opt.stopEarly {
		return fail(fmt.Errorf("--stop-early cannot shard: where to stop depends on every seed before it"))
	}
	sum, err := scenarioSHA256(file)
	if err != nil {
		return fail(err)
	}
	rt := opt.router
	if rt == "" {
		rt = s.Router.Strategy
	}
	items := spec.Items(len(list))
	p := &shard.Partial{Format: shard.Format, Kind: shard.KindSeeds, Version: version,
		Job:   shard.Job{Scenario: s.Name, File: file, SHA256: sum, Seeds: list, Routers: []string{rt}, Items: len(list)},
		Shard: spec.Index, Shards: spec.Count, Items: items}
	if len(items) > 0 {
		sub := make([]uint64, len(items))
		for i, k := range items {
			sub[i] = list[k]
		}
		mode := opt.progress
		if opt.quiet {
			mode = "off"
		}
		c := newCounter(ctx, stderr, mode, fmt.Sprintf("%s seeds, shard %s", s.Name, spec), len(sub))
		r, err := seeds.Run(ctx, s, seeds.Options{Seeds: sub, Jobs: opt.jobs, Router: opt.router, File: file, Progress: c.update})
		c.done()
		if err != nil {
			fmt.Fprintf(stderr, "paydrill run %s: shard %s: %v\n", file, spec, err)
			return runErrCode(err)
		}
		p.Seeds, p.Interrupted = r, r.Interrupted
	}
	return finishShard(p, &opt.shard, opt.quiet, "run", stdout, stderr)
}

// finishShard writes a shard's partial and says so on stderr.
func finishShard(p *shard.Partial, f *shardFlags, quiet bool, cmd string, stdout, stderr io.Writer) int {
	if err := f.write(p, stdout); err != nil {
		fmt.Fprintf(stderr, "paydrill %s: %v\n", cmd, err)
		return exitAborted
	}
	if p.Interrupted {
		fmt.Fprintf(stderr, "paydrill %s: shard %d/%d interrupted: its partial result says so and merge will refuse it\n", cmd, p.Shard, p.Shards)
		return exitAborted
	}
	if !quiet {
		fmt.Fprintf(stderr, "paydrill %s: shard %d/%d: %d of %d items done; merge every shard's partial with paydrill merge\n",
			cmd, p.Shard, p.Shards, len(p.Items), p.Job.Items)
	}
	return exitPass
}

// sweepShard runs the work items of a sweep that --shard owns and writes
// their partial result.
func sweepShard(ctx context.Context, file string, s *scenario.Scenario, rates []scenario.Rate, routers []string, target time.Duration,
	opt sweepOptions, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "paydrill sweep: %v\n", err)
		return exitUsage
	}
	spec, err := opt.shard.check(opt.json != "")
	if err != nil {
		return fail(err)
	}
	sum, err := scenarioSHA256(file)
	if err != nil {
		return fail(err)
	}
	mode := opt.progress
	if opt.quiet {
		mode = "off"
	}
	total := len(spec.Items(len(sweepRates(rates)) * len(routers) * opt.seeds))
	prog := newCounter(ctx, stderr, mode, fmt.Sprintf("sweep %s, shard %s", s.Name, spec), total)
	layout, items, runs, interrupted, err := sweep.RunShard(ctx, s, rates, routers, opt.seeds, opt.jobs, prog.update, spec)
	prog.done()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill sweep %s: shard %s: %v\n", file, spec, err)
		if errors.Is(err, sweep.ErrInput) {
			return exitUsage
		}
		return exitAborted
	}
	job := shard.Job{Scenario: s.Name, File: file, SHA256: sum, Seeds: layout.Seeds, Routers: routers, Target: target,
		Items: len(layout.Cells) * len(layout.Seeds)}
	for _, r := range sweepRates(rates) {
		job.Rates = append(job.Rates, float64(r))
	}
	p := &shard.Partial{Format: shard.Format, Kind: shard.KindSweep, Version: version, Job: job,
		Shard: spec.Index, Shards: spec.Count, Items: items, Interrupted: interrupted, Runs: runs}
	for _, f := range layout.Faults {
		p.Faults = append(p.Faults, shard.Fault{Name: f.Name, Type: f.Type, Target: f.Target})
	}
	return finishShard(p, &opt.shard, opt.quiet, "sweep", stdout, stderr)
}

// sweepRates are the rates a sweep runs: ascending, once each.
func sweepRates(rates []scenario.Rate) []scenario.Rate {
	rates = slices.Clone(rates)
	slices.Sort(rates)
	return slices.Compact(rates)
}

// mergeSweep merges the partials of a sharded sweep into its table.
func mergeSweep(parts []*shard.Partial) (*sweep.Table, error) {
	job := parts[0].Job
	runs := make([]shard.Run, job.Items)
	for _, p := range parts {
		if len(p.Runs) != len(p.Items) {
			return nil, fmt.Errorf("%s: %d runs for %d items", p.Source, len(p.Runs), len(p.Items))
		}
		for i, k := range p.Items {
			runs[k] = p.Runs[i]
		}
	}
	var faults []sweep.Fault
	for _, f := range parts[0].Faults {
		faults = append(faults, sweep.Fault{Name: f.Name, Type: f.Type, Target: f.Target})
	}
	var rates []scenario.Rate
	for _, r := range job.Rates {
		rates = append(rates, scenario.Rate(r))
	}
	res, err := sweep.Merge(job.Scenario, faults, job.Seeds, rates, job.Routers, runs)
	if err != nil {
		return nil, err
	}
	return sweep.Summary(res, job.Target), nil
}

// compareShard runs the routers of a comparison that --shard owns and
// writes their partial result.
func compareShard(ctx context.Context, file string, s *scenario.Scenario, opt compare.Options, f *shardFlags, reports bool, progress string,
	quiet bool, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "paydrill compare: %v\n", err)
		return exitUsage
	}
	spec, err := f.check(reports)
	if err != nil {
		return fail(err)
	}
	sum, err := scenarioSHA256(file)
	if err != nil {
		return fail(err)
	}
	seed := s.Seed
	if opt.Seed != 0 {
		seed = opt.Seed
	}
	group := newProgressGroup(ctx, stderr, progress, len(spec.Items(len(opt.Routers))))
	opt.Watch = group.router
	items, reps, err := compare.RunShard(ctx, s, opt, spec)
	group.wait()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill compare %s: shard %s: %v\n", file, spec, err)
		return runErrCode(err)
	}
	p := &shard.Partial{Format: shard.Format, Kind: shard.KindCompare, Version: version,
		Job:   shard.Job{Scenario: s.Name, File: file, SHA256: sum, Seeds: []uint64{seed}, Routers: opt.Routers, Items: len(opt.Routers)},
		Shard: spec.Index, Shards: spec.Count, Items: items, Reports: reps}
	return finishShard(p, f, quiet, "compare", stdout, stderr)
}

// mergeCompare merges the partials of a sharded comparison.
func mergeCompare(parts []*shard.Partial) (*compare.Result, error) {
	job := parts[0].Job
	reps := make([]*reports.Report, job.Items)
	for _, p := range parts {
		if len(p.Reports) != len(p.Items) {
			return nil, fmt.Errorf("%s: %d reports for %d items", p.Source, len(p.Reports), len(p.Items))
		}
		for i, k := range p.Items {
			reps[k] = p.Reports[i]
		}
	}
	if len(job.Seeds) != 1 {
		return nil, fmt.Errorf("a comparison runs one seed, the partials name %d", len(job.Seeds))
	}
	return compare.Merge(job.Scenario, job.Seeds[0], job.Routers, reps)
}
