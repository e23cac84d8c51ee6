package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seeds"
	"github.com/paydrill/paydrill/reports"
)

// maxSeeds bounds --seeds: each seed is a whole run.
const maxSeeds = 100_000

// parseSeeds reads --seeds: "N" (N seeds from first, the scenario's seed
// or --seed) or "A..B" (every seed from A to B).
func parseSeeds(v string, first uint64) ([]uint64, error) {
	var lo, hi uint64
	if a, b, ok := strings.Cut(v, ".."); ok {
		var err1, err2 error
		lo, err1 = strconv.ParseUint(a, 10, 64)
		hi, err2 = strconv.ParseUint(b, 10, 64)
		if err1 != nil || err2 != nil || hi < lo {
			return nil, fmt.Errorf("--seeds %q: want N or A..B with A <= B (whole numbers)", v)
		}
	} else {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("--seeds %q: want N (at least 1) or A..B", v)
		}
		lo, hi = first, first+n-1
		if hi < lo {
			return nil, fmt.Errorf("--seeds %q: seeds from %d overflow", v, first)
		}
	}
	if hi-lo >= maxSeeds {
		return nil, fmt.Errorf("--seeds %q: %d seeds, at most %d", v, hi-lo+1, maxSeeds)
	}
	out := make([]uint64, 0, hi-lo+1)
	for s := lo; ; s++ {
		out = append(out, s)
		if s == hi {
			break
		}
	}
	return out, nil
}

// runSeeds runs one scenario over many seeds and writes the summary and
// the outputs asked for.
func runSeeds(ctx context.Context, file string, s *scenario.Scenario, opt runOptions, stdout, stderr io.Writer) int {
	first := s.Seed
	if opt.seed != 0 {
		first = opt.seed
	}
	list, err := parseSeeds(opt.seeds, first)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		return exitUsage
	}
	if opt.shard.on() {
		return runSeedsShard(ctx, file, s, list, opt, stdout, stderr)
	}
	mode := opt.progress
	if opt.quiet || opt.plan.toStdout() && mode == "auto" && !isTerminal(stderr) {
		mode = "off"
	}
	c := newCounter(ctx, stderr, mode, s.Name+" seeds", len(list))
	r, err := seeds.Run(ctx, s, seeds.Options{Seeds: list, Jobs: opt.jobs, Router: opt.router, File: file,
		StopEarly: opt.stopEarly, Progress: c.update})
	c.done()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill run %s: %v\n", file, err)
		return runErrCode(err)
	}
	return writeSeeds(r, opt.plan, opt.quiet, "run", stdout, stderr)
}

// writeSeeds writes a multi-seed summary, unless quiet or an output goes
// to stdout, then the outputs of plan; it returns the exit code of its
// verdict (cmd names the command in messages).
func writeSeeds(r *reports.Seeds, plan *outputPlan, quiet bool, cmd string, stdout, stderr io.Writer) int {
	r.Version = version // partials merge only from one build, so this is theirs
	// The summary first: a report that cannot be written never costs it.
	code := exitPass
	if !quiet && !plan.toStdout() {
		if err := reports.WriteSeedsText(stdout, r); err != nil {
			fmt.Fprintf(stderr, "paydrill %s: %v\n", cmd, err)
			code = exitAborted
		}
	}
	for _, o := range []struct {
		flag  string
		write func(io.Writer, *reports.Seeds) error
	}{
		{"json", reports.WriteSeedsJSON},
		{"html", reports.WriteSeedsHTML},
		{"markdown", reports.WriteSeedsMarkdown},
		{"junit", reports.WriteSeedsJUnit},
	} {
		path := plan.file(o.flag)
		if path == "" {
			continue
		}
		var err error
		if path == "-" {
			err = o.write(stdout, r)
		} else {
			err = writeFile(o.flag, path, func(w io.Writer) error { return o.write(w, r) })
		}
		if err != nil {
			fmt.Fprintf(stderr, "paydrill %s: %v\n", cmd, err)
			code = exitAborted
		}
	}
	if code != exitPass {
		return code
	}
	switch {
	case r.Interrupted:
		return exitAborted
	case r.Verdict == reports.Pass:
		return exitPass
	case r.Verdict == reports.Inconclusive:
		return exitInconclusive
	}
	return exitFail
}
