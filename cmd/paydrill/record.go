package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/traffic"
)

const recordUsage = `Usage: paydrill record FILE|builtin:NAME [--out PATH] [--format csv|jsonl] [--seed N] [--start TIME]

Writes the synthetic orders of a scenario (those created before its
duration) as a replay file: time, amount (minor units), currency,
product, category, buyer, method, region. Replaying the file with the
printed start gives the same orders: set the scenario's traffic to
  replay: {file: PATH, start: TIME}
No card numbers or other secrets are written.

Flags:
%s
Examples:
  paydrill record builtin:merchant-freeze --out merchant-freeze.csv
  paydrill record scenarios/flash-sale-freeze.yaml --format jsonl --out - | head

Exit codes: 0 written, 2 invalid input or usage, 3 the file could not be written.
`

// defaultRecordStart is the time a recording's run start maps to.
const defaultRecordStart = "2026-01-01T00:00:00Z"

func cmdRecord(args []string, stdout, stderr io.Writer) int {
	var out, format, start string
	var seed uint64
	fs := pflag.NewFlagSet("record", pflag.ContinueOnError)
	fs.StringVarP(&out, "out", "o", "-", "write to `PATH` ('-' for stdout)")
	fs.StringVar(&format, "format", "", "csv or jsonl (default: from --out's extension, else csv)")
	fs.Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.StringVar(&start, "start", defaultRecordStart, "RFC 3339 `TIME` the run's start is written as")
	usage := func() string { return fmt.Sprintf(recordUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "paydrill record: give one scenario\n\n%s", usage())
		return exitUsage
	}
	t0, err := time.Parse(time.RFC3339Nano, start)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill record: --start %q is not an RFC 3339 time\n", start)
		return exitUsage
	}
	if format == "" {
		format = replay.FormatOf(out)
		if format == "" {
			format = "csv"
		}
	}
	s, err := loadScenario(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if s.Traffic.Replay != nil {
		fmt.Fprintf(stderr, "paydrill record: %s already replays %s; record writes synthetic traffic\n", fs.Arg(0), s.Traffic.Replay.File)
		return exitUsage
	}
	if seed == 0 {
		seed = s.Seed
	}
	src, err := traffic.NewSource(seed, s.Traffic)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill record: %v\n", err)
		return exitUsage
	}
	var w io.Writer = stdout
	var f *os.File
	if out != "-" {
		if f, err = os.Create(out); err != nil {
			fmt.Fprintf(stderr, "paydrill record: %v\n", err)
			return exitAborted
		}
		w = f
	}
	n, err := record(w, format, t0, src, s.Duration.D())
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "paydrill record: %v\n", err)
		return exitAborted
	}
	if out != "-" {
		fmt.Fprintf(stderr, "paydrill record: %d orders of %s (seed %d) written to %s\n  replay them: traffic: {replay: {file: %s, start: %s}}\n",
			n, s.Name, seed, out, out, t0.UTC().Format(time.RFC3339Nano))
	}
	return exitPass
}

// record writes the orders src creates before end.
func record(w io.Writer, format string, start time.Time, src interface{ Next(*payment.Order) bool }, end time.Duration) (int64, error) {
	rw, err := replay.NewWriter(w, format, start)
	if err != nil {
		return 0, err
	}
	var o payment.Order
	for src.Next(&o) && o.Created < end {
		if err := rw.Write(&o); err != nil {
			return rw.Count(), err
		}
	}
	return rw.Count(), rw.Close()
}
