package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/crash"
	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

const runUsage = `Usage: paydrill run [FILE|builtin:NAME]... [flags]

Runs drills in virtual time: a deterministic simulation in which an hour
of traffic takes well under a second. With no file it runs the built-in
default drill (builtin:` + scenarios.Default + `). Prints a summary: per fault
the time to detect, fail over, recover and fail back, orders, money
safety, providers, each expectation marked PASS or FAIL, and the command
that reproduces the run.

Given several files, runs them in parallel (--jobs; every run is
deterministic, so the results are those of running them one by one) and
prints one table, a row per drill in the order given, then the full
summary of each drill that failed (of every drill with --details).

Outputs (--json, --html, --markdown, --junit): '-' is stdout (one of them,
one drill); a PATH ending in / or an existing directory gets NAME.EXT per
drill (and index.html, index.md); any other PATH is one file. Collisions
and paths that cannot be written are refused before the run (exit 2).

Over many seeds (--seeds N or A..B) one scenario runs once per seed,
--jobs at once, deterministically. At a small shop's traffic one run is
one sample of a random time: the summary gives per fault the median, p90,
p95 and worst time to detect and fail over, and per expectation the share
of seeds it held in with a 95%% interval. An expectation PASSes when the
interval lies above the scenario's expect.confidence (default 0.95),
FAILs when below, and is inconclusive when it straddles it (exit 4).
With --shard I/N it runs only the seeds whose index k has k mod N = I
and writes a partial result (one JSON line on stdout, or --partial PATH)
instead of the reports; 'paydrill merge' of all N writes them, as one
process would have (docs/kubernetes.md).

Wall-clock drills take one file: --live (the reference router over HTTP
on loopback), --sut URL (your router; docs/sut.md) and --container IMAGE
(your router and the mock providers in containers on a private network,
with container faults: pause, crash, partition, Toxiproxy toxics;
docs/containers.md). A scenario's router.http and router.container do the
same without the flag. --time-scale compresses them.

A scenario's traffic.replay file is read once before the run and checked
as validate does (docs/replay.md): the run sends every order of it, each
to a provider that takes its method, and reports amounts in its currency.
A replay runs in virtual time only (wall-clock drills refuse it).

Flags:
%s
Routers (--router):
  health         default: health from failures, silence and declines, probes, status queries
  priority       per-order cascade in a fixed order, no memory
  static         first provider only, never fails over (a negative control)
  retry-blind    cascades on any failure without querying (double-charges)
  elimination    drops a provider after 5 failures, forgives one a minute
  success-rate   best success rate over the last 125 outcomes, 5%% exploration
  consecutive    fluctuating after 20 failures in a row, down after 45
  unpaid-streak  disables a channel for good after 10 unpaid orders in a row
%s
Examples:
  paydrill run
  paydrill run scenarios/merchant-freeze.yaml --router static
  paydrill run builtin:timeout-storm --seed 42 --json report.json
  paydrill run scenarios/silent-freeze.yaml --json - | jq .faults
  paydrill run scenarios/*.yaml --router priority --json reports/
  paydrill run builtin:merchant-freeze builtin:silent-freeze --details --jobs 2
  paydrill run builtin:small-merchant-freeze-1-per-min --seeds 200 --html seeds.html
  paydrill run builtin:merchant-freeze --seeds 400 --shard 3/8 --partial part-3.json
  paydrill run builtin:timeout-storm --live --time-scale 60
  make image && paydrill run builtin:provider-crash --container paydrill:dev --time-scale 20

Exit codes: 0 pass, 1 an expectation failed, 2 invalid input or usage,
3 the run could not be carried out or was interrupted (the partial report
is still written), 5 a wall-clock drill was invalid: it fell behind itself
(docs/validity.md). Given several files, the worst of the drills' codes.
`

type runOptions struct {
	seed     uint64
	router   string
	quiet    bool
	progress string
	jobs     int
	details  bool
	// seeds: run one scenario over many seeds (seeds.go).
	seeds     string
	stopEarly bool
	strict    bool         // refuse a scenario its traffic cannot decide (power.go)
	shard     shardFlags   // --shard I/N, --partial PATH (shard.go)
	wall      wallOptions  // live mode: --live, --sut and friends (wallflags.go)
	outputs   *outputFlags // --json, --html, --markdown, --junit (outputs.go)
	plan      *outputPlan  // where they go, checked before the run
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opt runOptions
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.Uint64Var(&opt.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.StringVar(&opt.router, "router", "", "router strategy (default: the scenario's, else health)")
	fs.BoolVarP(&opt.quiet, "quiet", "q", false, "no progress and no summary; the exit code tells")
	fs.StringVar(&opt.progress, "progress", "auto", "progress display: auto (bars on a terminal outside CI, else a line every 5s), bars, plain, off")
	fs.IntVarP(&opt.jobs, "jobs", "j", 0, "with several files, `N` drills run at once (default 0: as many as Go uses CPUs, GOMAXPROCS)")
	fs.StringVar(&opt.seeds, "seeds", "", "run the drill once per seed and judge by the share of seeds each expectation holds in: `N` seeds from --seed (or the scenario's), or A..B; runs --jobs at once")
	fs.BoolVar(&opt.strict, "strict", false, "refuse (exit 2) a scenario whose traffic cannot decide one of its time expectations; without it, a warning")
	fs.BoolVar(&opt.stopEarly, "stop-early", false, "with --seeds, stop once every expectation is decided (judged on the first 20, 40, ... seeds in order)")
	opt.shard.register(fs, "seeds")
	fs.BoolVar(&opt.details, "details", false, "with several files, print every drill's full summary after the table, not only the failed ones'")
	opt.wall.register(fs)
	opt.outputs = registerOutputs(fs)
	opt.outputs.registerJSON(fs)
	usage := func() string { return fmt.Sprintf(runUsage, flagUsages(fs), controlsUsage()) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if err := opt.wall.check(fs); err != nil {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		return exitUsage
	}
	if opt.router != "" && !slices.Contains(router.Strategies, opt.router) {
		fmt.Fprintf(stderr, "paydrill run: --router %q is not one of %s\n", opt.router, strings.Join(router.Strategies, ", "))
		return exitUsage
	}
	if !slices.Contains([]string{"auto", "bars", "plain", "off"}, opt.progress) {
		fmt.Fprintf(stderr, "paydrill run: --progress %q is not one of auto, bars, plain, off\n", opt.progress)
		return exitUsage
	}
	switch {
	case opt.jobs < 0:
		fmt.Fprintf(stderr, "paydrill run: --jobs %d: at least 1 (0: as many as Go uses CPUs)\n", opt.jobs)
		return exitUsage
	case opt.jobs == 0:
		opt.jobs = runtime.GOMAXPROCS(0)
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{builtinPrefix + scenarios.Default}
	}
	// Check every file before running any.
	var scens []*scenario.Scenario
	bad := false
	for _, f := range files {
		s, err := loadScenario(f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			bad = true
		}
		scens = append(scens, s)
	}
	if bad {
		return exitUsage
	}
	var names []string
	for _, s := range scens {
		names = append(names, s.Name)
	}
	plan, err := opt.outputs.plan(fileNames(names))
	if err != nil {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		return exitUsage
	}
	opt.plan = plan
	if !opt.wall.on() {
		undecidable := 0
		for i, s := range scens {
			undecidable += powerCheck(files[i], s, opt.quiet, stderr)
		}
		if undecidable > 0 && opt.strict {
			fmt.Fprintln(stderr, "paydrill run: --strict: not run")
			return exitUsage
		}
	}
	if opt.shard.partial != "" && !opt.shard.on() {
		fmt.Fprintln(stderr, "paydrill run: --partial goes with --shard")
		return exitUsage
	}
	if opt.seeds != "" {
		if len(files) > 1 || opt.wall.on() || scens[0].Router.HTTP != "" || scens[0].Router.Container != nil {
			fmt.Fprintln(stderr, "paydrill run: --seeds takes one scenario, in virtual time")
			return exitUsage
		}
		return runSeeds(ctx, files[0], scens[0], opt, stdout, stderr)
	}
	if opt.shard.on() {
		fmt.Fprintln(stderr, "paydrill run: --shard goes with --seeds")
		return exitUsage
	}
	if opt.stopEarly {
		fmt.Fprintln(stderr, "paydrill run: --stop-early goes with --seeds")
		return exitUsage
	}
	if len(files) == 1 {
		return runOne(ctx, files[0], scens[0], opt, stdout, stderr)
	}
	if opt.wall.on() {
		fmt.Fprintln(stderr, "paydrill run: --live, --sut and --container take one scenario")
		return exitUsage
	}
	for i, s := range scens {
		if s.Router.HTTP != "" || s.Router.Container != nil {
			fmt.Fprintf(stderr, "paydrill run: %s names its router under test (router.http or router.container): run it on its own\n", files[i])
			return exitUsage
		}
	}
	if err := opt.wall.checkUsed(); err != nil {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		return exitUsage
	}
	return runMany(ctx, files, scens, opt, stdout, stderr)
}

func runOne(ctx context.Context, file string, s *scenario.Scenario, opt runOptions, stdout, stderr io.Writer) int {
	mode := opt.progress
	if opt.quiet || opt.plan.toStdout() && mode == "auto" && !isTerminal(stderr) {
		mode = "off"
	}
	prog := newProgress(ctx, stderr, mode, s.Name)
	var r *reports.Report
	var err error
	if s.Router.HTTP != "" && !opt.wall.on() {
		// The scenario names its router under test: a wall-clock drill, as --sut.
		if err := drill.CheckSUT(s.Router.HTTP, opt.wall.allowRemote); err != nil {
			prog.done()
			fmt.Fprintf(stderr, "paydrill run %s: router.http: %v\n", file, err)
			return exitUsage
		}
		opt.wall.sut = s.Router.HTTP
	}
	if c := s.Router.Container; c != nil && !opt.wall.on() {
		// The scenario names its router's image: a container drill, as --container.
		opt.wall.container, opt.wall.spec = c.Image, c
		if c.Build != "" {
			opt.wall.build = c.Build
			if !strings.HasPrefix(file, "builtin:") && !filepath.IsAbs(c.Build) {
				opt.wall.build = filepath.Join(filepath.Dir(file), c.Build)
			}
		}
	}
	if err := opt.wall.checkUsed(); err != nil {
		prog.done()
		fmt.Fprintf(stderr, "paydrill run %s: %v\n", file, err)
		return exitUsage
	}
	if opt.wall.on() && s.Traffic.Replay != nil {
		prog.done()
		fmt.Fprintf(stderr, "paydrill run %s: traffic.replay: wall-clock drills (--live, --sut, --container, router.http, router.container) send synthetic arrivals only; a replay runs in virtual time\n", file)
		return exitUsage
	}
	if opt.wall.on() {
		r, err = runWall(ctx, file, s, opt, prog.update, stderr)
	} else {
		r, err = drill.Run(ctx, s, drill.Options{File: file, Router: opt.router, Seed: opt.seed, Progress: prog.update, OnBadRow: badRowPrinter(stderr)})
	}
	prog.done()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill run %s: %v\n", file, err)
		return runErrCode(err)
	}
	r.Version = version
	// The summary first: a report that cannot be written never costs it.
	code := exitCode(r)
	if !opt.quiet && !opt.plan.toStdout() {
		if err := reports.WriteText(stdout, r); err != nil {
			fmt.Fprintf(stderr, "paydrill run: %v\n", err)
			code = worse(code, exitAborted)
		}
	}
	for _, err := range opt.plan.write([]*reports.Report{r}, stdout) {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		code = worse(code, exitAborted)
	}
	if r.Interrupted {
		fmt.Fprintln(stderr, "paydrill run: interrupted; the report covers what ran")
	}
	return code
}

// exitCode is a report's exit code: 3 interrupted, 1 failed, 5 invalid,
// 4 inconclusive, 0 passed.
func exitCode(r *reports.Report) int {
	switch {
	case r.Interrupted:
		return exitAborted
	case r.Verdict == reports.Pass:
		return exitPass
	case r.Verdict == reports.Inconclusive:
		return exitInconclusive
	case r.Verdict == reports.Invalid:
		return exitInvalid
	}
	return exitFail
}

// drillRun is one drill of several: its report once run.
type drillRun struct {
	file   string
	s      *scenario.Scenario
	report *reports.Report
	err    error // the run could not be carried out
	ran    bool
}

// runMany runs several drills in parallel, then prints one table and the
// summaries of the failed drills (of every drill with --details). Each
// run is deterministic and writes only its own slot, so the output is
// that of running them one by one.
func runMany(ctx context.Context, files []string, scens []*scenario.Scenario, opt runOptions, stdout, stderr io.Writer) int {
	runs := make([]drillRun, len(files))
	for i := range files {
		runs[i] = drillRun{file: files[i], s: scens[i]}
	}
	mode := opt.progress
	if opt.quiet {
		mode = "off"
	}
	group := newProgressGroup(ctx, stderr, mode, len(runs))
	work := make(chan int)
	var wg crash.Group
	for range min(opt.jobs, len(runs)) {
		wg.Go(func() {
			for i := range work {
				d := &runs[i]
				pr := group.drill(d.s.Name)
				d.report, d.err = drill.Run(ctx, d.s, drill.Options{File: d.file, Router: opt.router, Seed: opt.seed, Progress: pr.update, OnBadRow: badRowPrinter(stderr)})
				if d.report != nil {
					d.report.Version = version
				}
				d.ran = true
				group.finished(pr, verdictLabel(d))
			}
		})
	}
	for i := range runs {
		if ctx.Err() != nil {
			break // Ctrl-C: start no more
		}
		select {
		case work <- i:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	group.wait()

	worst := exitPass
	var notRun []string
	reps := make([]*reports.Report, len(runs))
	for i, d := range runs {
		reps[i] = d.report
		switch {
		case !d.ran:
			notRun = append(notRun, d.file)
			worst = exitAborted
			continue
		case d.err != nil:
			fmt.Fprintf(stderr, "paydrill run %s: %v\n", d.file, d.err)
			worst = exitAborted
			continue
		}
		worst = worse(worst, exitCode(d.report))
	}
	if !opt.quiet {
		if err := writeRunOutput(stdout, runs, opt.details); err != nil {
			fmt.Fprintf(stderr, "paydrill run: %v\n", err)
			worst = worse(worst, exitAborted)
		}
	}
	for _, err := range opt.plan.write(reps, stdout) {
		fmt.Fprintf(stderr, "paydrill run: %v\n", err)
		worst = worse(worst, exitAborted)
	}
	if slices.ContainsFunc(runs, func(d drillRun) bool { return d.report != nil && d.report.Interrupted }) {
		fmt.Fprintln(stderr, "paydrill run: interrupted; the reports cover what ran")
	}
	if len(notRun) > 0 {
		fmt.Fprintf(stderr, "paydrill run: interrupted; not run: %s\n", strings.Join(notRun, " "))
	}
	return worst
}

// writeRunOutput writes the table, then the full summary of every failed
// drill (every drill with details), in the order given.
func writeRunOutput(w io.Writer, runs []drillRun, details bool) error {
	if err := writeRunTable(w, runs); err != nil {
		return err
	}
	for _, d := range runs {
		if d.report == nil || (d.report.Passed() && !details && len(d.report.Warnings) == 0) {
			continue
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
		if err := reports.WriteText(w, d.report); err != nil {
			return err
		}
	}
	return nil
}

// fileSafe keeps letters, digits, '.', '_' and '-', and writes '-' for
// anything else (a scenario name may hold spaces or slashes).
func fileSafe(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	if s := strings.Trim(string(b), "."); s != "" {
		return s
	}
	return "drill"
}

// controlsUsage lists the negative-control routers: health with one
// mistake each, the one a library drill is named for (docs/controls.md).
func controlsUsage() string {
	var b strings.Builder
	b.WriteString("Negative controls (--router; health with one mistake each; docs/controls.md):\n")
	col := 0
	for _, c := range router.Controls {
		col = max(col, len(c.Name)+4)
	}
	for _, c := range router.Controls {
		fmt.Fprintf(&b, "  %-*s%s\n", col-2, c.Name, wrap(c.Mistake, helpWidth-col, strings.Repeat(" ", col)))
	}
	return b.String()
}
