package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sweep"
)

const sweepUsage = `Usage: paydrill sweep FILE|builtin:NAME --rates LIST [flags]

Runs one drill at each traffic rate (replacing traffic.arrivals.rate) with
each router, several seeds per cell, and prints per fault a table of time
to detect and time to fail over: the median and the worst seed of each
cell ("never" is worse than any time), whether every seed failed over
within the target (the fault's or the scenario's expect.failover_within,
10m when unset or off; --target overrides), and per router the lowest
rate from which every higher swept rate meets it.

Quiet traffic is where failover is slow: a detector needs orders to see
a freeze. The sweep shows from which order rate a router keeps the
ten-minute promise.

Seeds are the scenario's seed (or --seed), seed+1, ... The same inputs
give the same table; runs go in parallel (--jobs). Arrivals of type ramp
have no base rate and cannot be swept. A scenario that replays a file
(traffic.replay) is refused (exit 2): its orders come at the file's
times, which --rates cannot change; traffic.replay.speed replays faster.

With --shard I/N the sweep runs only its work items (cell × seed, cells
rate by rate, router by router) whose index k has k mod N = I and writes
a partial result instead of the table; 'paydrill merge' of all N writes
the table and JSON one process would have (docs/kubernetes.md).

Flags:
%s
Examples:
  paydrill sweep scenarios/silent-freeze.yaml --rates 1/min,10/min,1/s,10/s \
      --routers health,priority
  paydrill sweep builtin:merchant-freeze --rates 6/h,1/min,1/s --routers health,static --seeds 10
  paydrill sweep scenarios/silent-freeze.yaml --rates 1/min,1/s --json sweep.json
  paydrill sweep scenarios/silent-freeze.yaml --rates 1/min,1/s --json - |
      jq '.rows[] | select(.meets)'
  paydrill sweep builtin:merchant-freeze --rates 6/h,1/min,1/s --seeds 20 \
      --shard 0/4 --partial part-0.json

Exit codes: 0 the sweep ran (it informs, it does not judge), 2 invalid
input or usage, 3 the sweep could not be carried out or was interrupted
(what ran is still printed).
`

type sweepOptions struct {
	rates    []string
	routers  []string
	seeds    int
	seed     uint64
	jobs     int
	target   string
	json     string
	quiet    bool
	progress string
	shard    shardFlags // --shard I/N, --partial PATH (shard.go)
}

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opt sweepOptions
	fs := pflag.NewFlagSet("sweep", pflag.ContinueOnError)
	fs.StringSliceVar(&opt.rates, "rates", nil, "traffic rates to sweep, comma-separated (`LIST` like 1/min,10/min,1/s,10/s); required")
	fs.StringSliceVar(&opt.routers, "routers", nil, "routers to compare, comma-separated (`LIST` like health,priority; default: the scenario's)")
	fs.IntVar(&opt.seeds, "seeds", 5, "`N` seeds per cell: the scenario's seed, seed+1, ...")
	fs.Uint64Var(&opt.seed, "seed", 0, "first seed `N` (default: the scenario's seed)")
	fs.IntVarP(&opt.jobs, "jobs", "j", 0, "`N` runs at once (default 0: as many as Go uses CPUs, GOMAXPROCS)")
	fs.StringVar(&opt.target, "target", "", "fail-over target for every fault, a `DURATION` (default: each fault's expect.failover_within, else 10m)")
	fs.StringVar(&opt.json, "json", "", "write the sweep as JSON to `PATH` ('-' for stdout, replacing the table)")
	fs.BoolVarP(&opt.quiet, "quiet", "q", false, "no progress and no table")
	fs.StringVar(&opt.progress, "progress", "auto", "progress display: auto (a bar on a terminal outside CI, else a line every 5s), bars, plain, off")
	opt.shard.register(fs, "cells × seeds")
	usage := func() string { return fmt.Sprintf(sweepUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "paydrill sweep: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() != 1:
		return fail("give one scenario (FILE or builtin:NAME), got %d", fs.NArg())
	case len(opt.rates) == 0:
		return fail("--rates is required, like --rates 1/min,10/min,1/s,10/s")
	case opt.jobs < 0:
		return fail("--jobs %d: at least 1 (0: as many as Go uses CPUs)", opt.jobs)
	case opt.seeds < 1:
		return fail("--seeds %d: at least 1", opt.seeds)
	}
	if opt.jobs == 0 {
		opt.jobs = runtime.GOMAXPROCS(0)
	}
	switch opt.progress {
	case "auto", "bars", "plain", "off":
	default:
		return fail("--progress %q is not one of auto, bars, plain, off", opt.progress)
	}
	var rates []scenario.Rate
	for _, text := range opt.rates {
		r, err := scenario.ParseRate(text)
		if err != nil {
			return fail("--rates: %v", err)
		}
		rates = append(rates, r)
	}
	var target time.Duration
	if opt.target != "" {
		d, err := scenario.ParseDuration(opt.target)
		if err != nil || d <= 0 {
			return fail("--target %q: want a duration above 0, like 10m", opt.target)
		}
		target = d.D()
	}
	if opt.json != "" && opt.json != "-" {
		if err := checkFile(opt.json); err != nil {
			return fail("--json: %v", err)
		}
	}
	file := fs.Arg(0)
	s, err := loadScenario(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if opt.seed != 0 {
		c := *s
		c.Seed = opt.seed
		s = &c
	}
	routers := opt.routers
	if len(routers) == 0 {
		routers = []string{s.Router.Strategy}
	}
	if err := sweep.Check(s, rates, routers, opt.seeds); err != nil {
		return fail("%s: %v", file, strings.TrimPrefix(err.Error(), sweep.ErrInput.Error()+": "))
	}

	if opt.shard.on() {
		return sweepShard(ctx, file, s, rates, routers, target, opt, stdout, stderr)
	}
	if opt.shard.partial != "" {
		return fail("--partial goes with --shard")
	}
	mode := opt.progress
	if opt.quiet || opt.json == "-" && mode == "auto" && !isTerminal(stderr) {
		mode = "off"
	}
	prog := newCounter(ctx, stderr, mode, "sweep "+s.Name, len(rates)*len(routers)*opt.seeds)
	res, err := sweep.Run(ctx, s, rates, routers, opt.seeds, opt.jobs, prog.update)
	prog.done()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill sweep %s: %v\n", file, err)
		if errors.Is(err, sweep.ErrInput) {
			return exitUsage
		}
		return exitAborted
	}
	code := writeSweep(sweep.Summary(res, target), opt.json, opt.quiet, "sweep", stdout, stderr)
	if res.Interrupted {
		fmt.Fprintln(stderr, "paydrill sweep: interrupted; the table covers what ran")
		code = exitAborted
	}
	return code
}

// writeSweep writes a sweep's table as JSON to json ("-": stdout) and as
// text on stdout unless quiet or the JSON took it; it returns exitPass or,
// when an output failed, exitAborted.
func writeSweep(t *sweep.Table, json string, quiet bool, cmd string, stdout, stderr io.Writer) int {
	code := exitPass
	if json != "" {
		if err := writeSweepJSON(json, t, stdout); err != nil {
			fmt.Fprintf(stderr, "paydrill %s: %v\n", cmd, err)
			code = exitAborted
		}
	}
	if !quiet && json != "-" {
		if err := sweep.WriteText(stdout, t); err != nil {
			fmt.Fprintf(stderr, "paydrill %s: %v\n", cmd, err)
			code = exitAborted
		}
	}
	return code
}

func writeSweepJSON(path string, t *sweep.Table, stdout io.Writer) error {
	if path == "-" {
		return sweep.WriteJSON(stdout, t)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--json: %w", err)
	}
	if err := sweep.WriteJSON(f, t); err != nil {
		f.Close()
		return fmt.Errorf("--json %s: %w", path, err)
	}
	return f.Close()
}
