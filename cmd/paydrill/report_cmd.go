package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/reports"
)

const reportUsage = `Usage: paydrill report render RUN.json [--html PATH] [--markdown PATH] [--junit PATH]
       paydrill report diff OLD.json NEW.json [--threshold T]

render re-renders a saved JSON report (paydrill run --json) without
running the drill again. PATH '-' writes to stdout.

diff compares two reports: per fault and metric (detect, fail over,
recover, fail back, excess failed, fault hits) and for the run
(conversion, lost, duplicate charges, stranded, latency p50/p99) the old
value, the new value and the change; regressions are flagged. With
--threshold it exits 1 when a regression passes the threshold:
  10%%       worse by more than 10 %% of the old value
  30s       a time or latency worse by more than 30s (counts and
            conversion are not gated by a duration alone)
  10%%,30s   both must be passed (times and latencies)
A time reached before and never now, and any increase of lost, duplicate
charges or stranded, pass any threshold. Without --threshold, diff only
reports (exit 0).

Flags:
%s
Examples:
  paydrill run builtin:merchant-freeze --json run.json
  paydrill report render run.json --html run.html --markdown run.md --junit run.xml
  paydrill run builtin:merchant-freeze --router elimination --json new.json
  paydrill report diff run.json new.json --threshold 10%%
  paydrill report diff run.json new.json --threshold 10%%,30s

Exit codes: 0 rendered / no regression beyond the threshold, 1 a
regression beyond the threshold, 2 invalid input or usage, 3 a file could
not be written.
`

func cmdReport(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("report", pflag.ContinueOnError)
	out := registerOutputs(fs)
	threshold := fs.String("threshold", "", "with diff: fail (exit 1) on a regression beyond `T`: 10%, 30s or 10%,30s")
	usage := func() string { return fmt.Sprintf(reportUsage, fs.FlagUsages()) }
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
		rows := reports.Diff(old, cur, th)
		if err := reports.WriteDiff(stdout, old, cur, rows); err != nil {
			fmt.Fprintf(stderr, "paydrill report diff: %v\n", err)
			return exitAborted
		}
		if _, beyond := reports.Regressions(rows); beyond > 0 {
			return exitFail
		}
		return exitPass
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
