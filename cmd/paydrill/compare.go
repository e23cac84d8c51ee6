package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/compare"
	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/reports"
)

const compareUsage = `Usage: paydrill compare FILE|builtin:NAME [--routers LIST] [--replay DATA] [flags]

Runs the same traffic and faults under each router and reports per
router: conversion, paid money, excess failed orders and their money,
fees paid, money safety (lost, duplicate charges, stranded) and the
verdict; the uplift of each router over the first; and per fault the time
to detect and to fail over under each. The traffic is the scenario's
(synthetic, or its traffic.replay file), or --replay DATA: your real
orders, read with --mapping. Progress goes to stderr: a bar per router
on a terminal, else a line as each router finishes (--progress).

With --replay, the drill is fitted to the file: it runs from the file's
first order to the bucket after its last (whatever the scenario's
duration), in the file's currency; the faults keep their times. compare
refuses (exit 2, with the reason) a file whose orders end before a fault
does, one in several currencies, and one holding orders whose payment
method none of the scenario's providers takes.

With --shard I/N it runs only the routers whose index k (in --routers
order) has k mod N = I and writes a partial result; 'paydrill merge' of
all N writes the comparison (docs/kubernetes.md).

Flags:
%s
Examples:
  paydrill compare builtin:merchant-freeze --routers health,success-rate,static
  paydrill compare scenarios/silent-freeze.yaml --routers health,elimination --seed 7
  paydrill compare drill.yaml --replay attempts.csv --mapping orchestrator \
      --routers health,success-rate
  paydrill compare builtin:merchant-freeze --routers health,success-rate,static \
      --shard 1/3 --partial part-1.json

Exit codes: 0 compared (it informs, it does not judge), 2 invalid input or
usage, 3 a run could not be carried out or was interrupted.
`

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var routers, data, preset, unit, jsonOut, progress string
	var columns []string
	var seed uint64
	var quiet bool
	var jobs, maxBad int
	var sh shardFlags
	fs := pflag.NewFlagSet("compare", pflag.ContinueOnError)
	sh.register(fs, "routers")
	fs.StringVar(&routers, "routers", "health,success-rate,static", "routers to compare, the reference first (comma-separated)")
	fs.Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVarP(&jobs, "jobs", "j", 0, "runs at once (default 0: one per router)")
	fs.StringVar(&data, "replay", "", "replay the orders of `DATA` (CSV or JSONL) instead of the scenario's traffic")
	fs.StringVar(&preset, "mapping", "paydrill", "with --replay: built-in mapping, paydrill or orchestrator")
	fs.StringArrayVar(&columns, "column", nil, "with --replay: map `FIELD=COLUMN` over the preset (repeatable)")
	fs.StringVar(&unit, "amount-unit", "minor", "with --replay: minor (integer cents) or major (12.50)")
	fs.IntVar(&maxBad, "max-bad-rows", 0, "with --replay: bad rows reported and passed over before stopping")
	fs.BoolVarP(&quiet, "quiet", "q", false, "no progress and no table; the exit code tells (--json still written)")
	fs.StringVar(&progress, "progress", "auto", "progress display: auto (a bar per router on a terminal outside CI, else a line as each router finishes), bars, plain, off")
	fs.StringVar(&jsonOut, "json", "", "write the comparison as JSON to `PATH` ('-' for stdout, replacing the table)")
	usage := func() string { return fmt.Sprintf(compareUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "paydrill compare: give one scenario\n\n%s", usage())
		return exitUsage
	}
	if !slices.Contains([]string{"auto", "bars", "plain", "off"}, progress) {
		fmt.Fprintf(stderr, "paydrill compare: --progress %q is not one of auto, bars, plain, off\n", progress)
		return exitUsage
	}
	list := splitList(routers)
	if len(list) == 0 {
		fmt.Fprintln(stderr, "paydrill compare: --routers is empty")
		return exitUsage
	}
	for _, r := range list {
		if !slices.Contains(router.Strategies, r) {
			fmt.Fprintf(stderr, "paydrill compare: --routers: %q is not one of %s\n", r, strings.Join(router.Strategies, ", "))
			return exitUsage
		}
	}
	if jsonOut != "" && jsonOut != "-" {
		if err := checkFile(jsonOut); err != nil {
			fmt.Fprintf(stderr, "paydrill compare: --json: %v\n", err)
			return exitUsage
		}
	}
	s, err := loadScenario(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	onBad := badRowPrinter(stderr)
	opt := compare.Options{File: fs.Arg(0), Routers: list, Seed: seed, Jobs: jobs, OnBadRow: onBad}
	if opt.Jobs == 0 {
		opt.Jobs = len(list)
	}
	if sh.on() && data != "" {
		fmt.Fprintln(stderr, "paydrill compare: --shard runs the scenario's own traffic, not --replay")
		return exitUsage
	}
	if data != "" {
		m, err := mappingFlags(preset, unit, columns)
		if err != nil {
			fmt.Fprintf(stderr, "paydrill compare: %v\n", err)
			return exitUsage
		}
		so := replay.SourceOptions{Options: replay.Options{Mapping: m, MaxBadRows: maxBad, Buyers: s.Traffic.Buyers, OnBadRow: onBad},
			Currency: s.Traffic.Catalog.Currency}
		// Read the file once before the runs: the drill is fitted to its
		// span and checked against the orders it holds.
		sum, err := replay.Survey(data, so, 0)
		if err != nil {
			fmt.Fprintf(stderr, "paydrill compare: --replay: %v\n", err)
			return exitUsage
		}
		s.Traffic.Replay = nil // the scenario's own replay options are not this file's
		old := s.FitToReplay(sum)
		if errs := s.CheckReplayTraffic(sum, "--replay "+data); len(errs) > 0 {
			for _, e := range errs {
				fmt.Fprintf(stderr, "paydrill compare: %v\n", e)
			}
			return exitUsage
		}
		if s.Duration != old {
			fmt.Fprintf(stderr, "paydrill compare: --replay %s: %d orders up to %s; the drill runs %s (fitted to the file; %s had %s)\n",
				data, sum.Orders, sum.Last.Truncate(time.Second), s.Duration, fs.Arg(0), old)
		}
		so.Currency = s.Traffic.Catalog.Currency
		opt.Orders = func() (sim.OrderSource, error) { return replay.OpenSource(data, so) }
	}
	if quiet || jsonOut == "-" && progress == "auto" && !isTerminal(stderr) {
		progress = "off"
	}
	if sh.on() {
		return compareShard(ctx, fs.Arg(0), s, opt, &sh, jsonOut != "", progress, quiet, stdout, stderr)
	}
	if sh.partial != "" {
		fmt.Fprintln(stderr, "paydrill compare: --partial goes with --shard")
		return exitUsage
	}
	group := newProgressGroup(ctx, stderr, progress, len(list))
	opt.Watch = group.router
	res, err := compare.Run(ctx, s, opt)
	group.wait()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill compare: %v\n", err)
		return runErrCode(err)
	}
	if quiet && jsonOut != "-" {
		stdout = io.Discard
	}
	return writeCompare(res, jsonOut, "compare", stdout, stderr)
}

// writeCompare writes a comparison as JSON to jsonOut ("-": stdout, in
// place of the table) and as a table on stdout.
func writeCompare(res *compare.Result, jsonOut, cmd string, stdout, stderr io.Writer) int {
	if jsonOut != "" {
		w, closeOut, err := output(jsonOut, stdout)
		if err == nil {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			err = enc.Encode(res)
			if cerr := closeOut(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "paydrill %s: --json: %v\n", cmd, err)
			return exitAborted
		}
		if jsonOut == "-" {
			return exitPass
		}
	}
	if err := res.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "paydrill %s: %v\n", cmd, err)
		return exitAborted
	}
	return exitPass
}

// router is compare.Options.Watch: a bar per router on a terminal, or a
// plain line as each finishes ("paydrill: 2/3 done: static FAIL").
func (g *progressGroup) router(name string) (func(sim.Progress), func(*reports.Report, error)) {
	pr := g.drill(name)
	return pr.update, func(r *reports.Report, err error) {
		label := "ERROR"
		switch {
		case errors.Is(err, context.Canceled):
			label = "INTERRUPTED"
		case err == nil:
			label = strings.ToUpper(r.Verdict)
		}
		g.finished(pr, label)
	}
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// badRowPrinter prints each bad row of a replay file on stderr; safe for
// drills running in parallel.
func badRowPrinter(stderr io.Writer) func(*replay.RowError) {
	var mu sync.Mutex
	return func(e *replay.RowError) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(stderr, e)
	}
}

// runErrCode is the exit code of a run that returned err: 2 when a replay
// file held bad rows (invalid input), else 3.
func runErrCode(err error) int {
	var rerr *replay.RowError
	if errors.As(err, &rerr) {
		return exitUsage
	}
	var perr *drill.PreflightError
	if errors.As(err, &perr) {
		if perr.Invalid {
			return exitInvalid // the plan cannot fit this machine
		}
		return exitUsage // the router or a mock does not answer
	}
	return exitAborted
}
