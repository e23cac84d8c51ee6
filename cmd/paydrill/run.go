package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

const runUsage = `Usage: paydrill run [FILE|builtin:NAME]... [flags]

Runs drills in virtual time: a deterministic simulation in which an hour
of traffic takes well under a second. With no file it runs the built-in
default drill (builtin:` + scenarios.Default + `). Prints a summary per drill:
per fault the time to detect, fail over, recover and fail back, orders,
money safety, providers, each expectation marked PASS or FAIL, and the
command that reproduces the run.

Flags:
%s
Routers (--router):
  health       default: health from failures and silence, probes, status queries
  priority     per-order cascade in a fixed order, no memory
  static       first provider only, never fails over (a negative control)
  retry-blind  cascades on any failure without querying (double-charges)

Examples:
  paydrill run
  paydrill run scenarios/merchant-freeze.yaml --router static
  paydrill run builtin:timeout-storm --seed 42 --json report.json
  paydrill run scenarios/silent-freeze.yaml --json - | jq .faults

Exit codes: 0 pass, 1 an expectation failed, 2 invalid input or usage,
3 the run could not be carried out or was interrupted (the partial report
is still written).
`

type runOptions struct {
	seed     uint64
	router   string
	json     string
	quiet    bool
	progress string
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opt runOptions
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.Uint64Var(&opt.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.StringVar(&opt.router, "router", "", "router strategy (default: the scenario's, else health)")
	fs.StringVar(&opt.json, "json", "", "write the JSON report to `PATH` ('-' for stdout, replacing the summary)")
	fs.BoolVarP(&opt.quiet, "quiet", "q", false, "no progress and no summary; the exit code tells")
	fs.StringVar(&opt.progress, "progress", "auto", "progress display: auto (bars on a terminal, a line every 5s otherwise), bars, plain, off")
	usage := func() string { return fmt.Sprintf(runUsage, fs.FlagUsages()) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if opt.router != "" && !slices.Contains(router.Strategies, opt.router) {
		fmt.Fprintf(stderr, "paydrill run: --router %q is not one of %s\n", opt.router, strings.Join(router.Strategies, ", "))
		return exitUsage
	}
	if !slices.Contains([]string{"auto", "bars", "plain", "off"}, opt.progress) {
		fmt.Fprintf(stderr, "paydrill run: --progress %q is not one of auto, bars, plain, off\n", opt.progress)
		return exitUsage
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{builtinPrefix + scenarios.Default}
	}
	if opt.json != "" && len(files) > 1 {
		fmt.Fprintln(stderr, "paydrill run: --json takes one scenario; run the others separately")
		return exitUsage
	}
	// Check every file before running any.
	for _, f := range files {
		if _, err := loadScenario(f); err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
	}
	worst := exitPass
	for i, f := range files {
		if i > 0 && ctx.Err() != nil {
			fmt.Fprintf(stderr, "paydrill run: interrupted; not run: %s\n", strings.Join(files[i:], " "))
			return exitAborted
		}
		if i > 0 && !opt.quiet && opt.json != "-" {
			fmt.Fprintln(stdout)
		}
		worst = max(worst, runOne(ctx, f, opt, stdout, stderr))
	}
	return worst
}

func runOne(ctx context.Context, file string, opt runOptions, stdout, stderr io.Writer) int {
	s, err := loadScenario(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	mode := opt.progress
	if opt.quiet || opt.json == "-" && mode == "auto" && !isTerminal(stderr) {
		mode = "off"
	}
	prog := newProgress(ctx, stderr, mode, s.Name)
	r, err := drill.Run(ctx, s, drill.Options{File: file, Router: opt.router, Seed: opt.seed, Progress: prog.update})
	prog.done()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill run %s: %v\n", file, err)
		return exitAborted
	}
	if opt.json != "" {
		if err := writeJSON(opt.json, r, stdout); err != nil {
			fmt.Fprintf(stderr, "paydrill run: %v\n", err)
			return exitAborted
		}
	}
	if !opt.quiet && opt.json != "-" {
		if err := reports.WriteText(stdout, r); err != nil {
			fmt.Fprintf(stderr, "paydrill run: %v\n", err)
			return exitAborted
		}
	}
	switch {
	case r.Interrupted:
		fmt.Fprintln(stderr, "paydrill run: interrupted; the report covers what ran")
		return exitAborted
	case !r.Passed():
		return exitFail
	}
	return exitPass
}

func writeJSON(path string, r *reports.Report, stdout io.Writer) error {
	if path == "-" {
		return reports.WriteJSON(stdout, r)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--json: %w", err)
	}
	if err := reports.WriteJSON(f, r); err != nil {
		f.Close()
		return fmt.Errorf("--json %s: %w", path, err)
	}
	return f.Close()
}
