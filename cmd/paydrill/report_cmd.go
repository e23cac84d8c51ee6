package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/reports"
)

const reportUsage = `Usage: paydrill report render RUN.json [--html PATH] [--markdown PATH] [--junit PATH] [--json PATH]
       paydrill report diff OLD.json NEW.json [--threshold T] [--json PATH] [--markdown PATH]

render re-renders a saved JSON report (paydrill run --json) without
running the drill again. PATH '-' writes to stdout; a PATH ending in /
is a directory.

diff compares two reports, for the quarterly rehearsal: first a warning
when the scenarios, lengths or traffic differ, then the verdict and every
expectation whose outcome changed, then per fault and metric (detect,
fail over, recover, fail back, excess failed, fault hits) and for the run
(conversion, lost, duplicate charges, stranded, latency p50/p99) the old
value, the new value, the change, and counts per 1,000 orders. A change
for the worse within the figures' precision reads "within noise" (times
whose intervals overlap, or within one bucket; counts and conversion
within three standard errors; latency within one sketch bin); beyond it,
REGRESSED. It exits 1 when an outcome got worse or a metric REGRESSED.
--threshold lets through regressions smaller than T:
  10%%       worse by more than 10 %% of the old value
  30s       a time or latency worse by more than 30s (counts and
            conversion are not gated by a duration alone)
  10%%,30s   both must be passed (times and latencies)
A time reached before and never now, and any increase of lost, duplicate
charges or stranded, pass any threshold. --json and --markdown write the
diff (Markdown for a CI job summary).

Flags:
%s
Examples:
  paydrill run builtin:merchant-freeze --json run.json
  paydrill report render run.json --html run.html --markdown run.md --junit run.xml
  paydrill run builtin:merchant-freeze --router elimination --json new.json
  paydrill report diff last-quarter.json this-quarter.json --markdown - >> "$GITHUB_STEP_SUMMARY"
  paydrill report diff run.json new.json --threshold 10%%,30s --json diff.json

Exit codes: 0 rendered / no regression, 1 an outcome got worse or a
metric regressed (beyond the threshold), 2 invalid input or usage, 3 a
file could not be written.
`

func cmdReport(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("report", pflag.ContinueOnError)
	out := registerOutputs(fs)
	out.registerJSON(fs)
	threshold := fs.String("threshold", "", "with diff: fail (exit 1) on a regression beyond `T`: 10%, 30s or 10%,30s")
	usage := func() string { return fmt.Sprintf(reportUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprintf(stderr, "paydrill report: render or diff?\n\n%s", usage())
		return exitUsage
	}
	switch rest[0] {
	case "render":
		if len(rest) != 2 {
			fmt.Fprintf(stderr, "paydrill report render: one RUN.json, got %d\n", len(rest)-1)
			return exitUsage
		}
		if out.html == "" && out.markdown == "" && out.junit == "" {
			fmt.Fprintln(stderr, "paydrill report render: nothing to write: give --html, --markdown or --junit")
			return exitUsage
		}
		r, err := loadReport(rest[1])
		if err != nil {
			fmt.Fprintf(stderr, "paydrill report render: %v\n", err)
			return exitUsage
		}
		plan, err := out.plan(fileNames([]string{r.Scenario.Name}))
		if err != nil {
			fmt.Fprintf(stderr, "paydrill report render: %v\n", err)
			return exitUsage
		}
		code := exitPass
		for _, err := range plan.write([]*reports.Report{r}, stdout) {
			fmt.Fprintf(stderr, "paydrill report render: %v\n", err)
			code = exitAborted
		}
		return code
	case "diff":
		if len(rest) != 3 {
			fmt.Fprintf(stderr, "paydrill report diff: OLD.json and NEW.json, got %d files\n", len(rest)-1)
			return exitUsage
		}
		if out.html != "" || out.junit != "" {
			fmt.Fprintln(stderr, "paydrill report diff: writes --json and --markdown (and the table on stdout); --html and --junit are render's")
			return exitUsage
		}
		plan, err := out.plan([]string{"diff"})
		if err != nil {
			fmt.Fprintf(stderr, "paydrill report diff: %v\n", err)
			return exitUsage
		}
		var th reports.Threshold
		if *threshold != "" {
			var err error
			if th, err = reports.ParseThreshold(*threshold); err != nil {
				fmt.Fprintf(stderr, "paydrill report diff: --%v\n", err)
				return exitUsage
			}
		}
		old, err := loadReport(rest[1])
		if err != nil {
			fmt.Fprintf(stderr, "paydrill report diff: %v\n", err)
			return exitUsage
		}
		cur, err := loadReport(rest[2])
		if err != nil {
			fmt.Fprintf(stderr, "paydrill report diff: %v\n", err)
			return exitUsage
		}
		d := reports.Diff(old, cur, th)
		code := exitPass
		if !plan.toStdout() {
			if err := reports.WriteDiff(stdout, d); err != nil {
				fmt.Fprintf(stderr, "paydrill report diff: %v\n", err)
				code = exitAborted
			}
		}
		for _, o := range []struct {
			flag  string
			write func(io.Writer, *reports.DiffResult) error
		}{{"json", reports.WriteDiffJSON}, {"markdown", reports.WriteDiffMarkdown}} {
			path := plan.file(o.flag)
			var err error
			switch path {
			case "":
				continue
			case "-":
				err = o.write(stdout, d)
			default:
				err = writeFile(o.flag, path, func(w io.Writer) error { return o.write(w, d) })
			}
			if err != nil {
				fmt.Fprintf(stderr, "paydrill report diff: %v\n", err)
				code = exitAborted
			}
		}
		if code == exitPass && d.Failed {
			code = exitFail
		}
		return code
	}
	fmt.Fprintf(stderr, "paydrill report: unknown subcommand %q (render or diff)\n\n%s", rest[0], usage())
	return exitUsage
}

func loadReport(path string) (*reports.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := reports.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: not a paydrill JSON report: %w", path, err)
	}
	return r, nil
}
