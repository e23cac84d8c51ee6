package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/replay"
)

const calibrateUsage = `Usage: paydrill calibrate FILE [--mapping NAME] [--column FIELD=COLUMN]... [flags]

Estimates each provider's behaviour from a history of payment attempts:
success and failure rates, the decline mix (with a code column), latency
(with a latency column) and completion delay (with a completed column),
and each hour's figures (UTC). Prints a providers block a scenario can
include; review flow, methods and fees, which history does not tell.

Outcomes: charged, authorized, succeeded, paid, captured... are
successes; failure, authorization_failed, declined... failures; any other
status did not complete. Only mapped columns are read: card numbers and
other secrets never reach the output.

Flags:
%s
Fields for --column: time, amount, currency, product, category, buyer,
method, region, intent, provider, outcome, code, latency (ms), completed.

Examples:
  paydrill calibrate attempts.csv                      # orchestrator export
  paydrill calibrate attempts.csv --column code=error_code --column completed=modified_at
  paydrill calibrate history.jsonl --mapping paydrill --column provider=psp --column outcome=status

Exit codes: 0 printed, 2 invalid input or usage (a bad row names its file,
line, row and column), 3 the output could not be written.
`

func cmdCalibrate(args []string, stdout, stderr io.Writer) int {
	var preset, format, unit, out string
	var columns []string
	var maxBad int
	fs := pflag.NewFlagSet("calibrate", pflag.ContinueOnError)
	fs.StringVar(&preset, "mapping", "orchestrator", "built-in mapping: orchestrator or paydrill")
	fs.StringArrayVar(&columns, "column", nil, "map `FIELD=COLUMN` over the preset (repeatable)")
	fs.StringVar(&format, "format", "", "csv or jsonl (default: from the extension)")
	fs.StringVar(&unit, "amount-unit", "minor", "minor (integer cents) or major (12.50)")
	fs.IntVar(&maxBad, "max-bad-rows", 0, "bad rows reported and passed over before stopping (0: stop at the first)")
	fs.StringVarP(&out, "out", "o", "-", "write the YAML to `PATH` ('-' for stdout)")
	usage := func() string { return fmt.Sprintf(calibrateUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "paydrill calibrate: give one history file\n\n%s", usage())
		return exitUsage
	}
	m, err := mappingFlags(preset, unit, columns)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill calibrate: %v\n", err)
		return exitUsage
	}
	r, err := replay.Open(fs.Arg(0), replay.Options{Format: format, Mapping: m, MaxBadRows: maxBad,
		OnBadRow: func(e *replay.RowError) { fmt.Fprintln(stderr, e) }})
	if err != nil {
		fmt.Fprintf(stderr, "paydrill calibrate: %v\n", err)
		return exitUsage
	}
	defer r.Close()
	c, err := replay.Calibrate(r)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill calibrate: %v\n", err)
		return exitUsage
	}
	w, closeOut, err := output(out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill calibrate: %v\n", err)
		return exitAborted
	}
	err = c.WriteYAML(w)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "paydrill calibrate: %v\n", err)
		return exitAborted
	}
	if n := r.BadRows(); n > 0 {
		fmt.Fprintf(stderr, "paydrill calibrate: %d bad rows passed over (listed above)\n", n)
	}
	return exitPass
}

// mappingFlags builds a mapping from a preset name, an amount unit and
// FIELD=COLUMN overrides.
func mappingFlags(preset, unit string, columns []string) (replay.Mapping, error) {
	m, ok := replay.Preset(preset)
	if !ok {
		return m, fmt.Errorf("--mapping %q is not one of %s", preset, strings.Join(replay.Presets(), ", "))
	}
	switch unit {
	case "minor":
	case "major":
		m.MajorUnits = true
	default:
		return m, fmt.Errorf("--amount-unit %q is not one of minor, major", unit)
	}
	for _, c := range columns {
		field, col, ok := strings.Cut(c, "=")
		if !ok {
			return m, fmt.Errorf("--column %q: write FIELD=COLUMN", c)
		}
		f := -1
		for _, g := range replay.Fields() {
			if g.String() == field {
				f = int(g)
			}
		}
		if f < 0 {
			return m, fmt.Errorf("--column %q: no field %q", c, field)
		}
		m.Set(replay.Field(f), col)
	}
	return m, nil
}

// output opens PATH for writing, or stdout for "-".
func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}
