package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

const validateUsage = `Usage: paydrill validate FILE... [flags]

Checks scenario files without running them: strict decoding (unknown
fields, wrong types), units, ranges, references between sections. Every
error is printed as FILE:LINE:COL: FIELD: MESSAGE. Errors of form (unknown
fields, wrong types, bad units) are reported first, all of them; once a
file's form is right, every rule between fields is checked. Exits 0 when
all files are valid, 2 otherwise. builtin:NAME checks an embedded drill.

A scenario that replays a file (traffic.replay) is checked against every
order of it: bad rows, orders whose payment method no provider takes,
orders in several currencies, a duration that reads only part of the file
(unless traffic.replay.partial) and faults after the last order are
errors (docs/replay.md).

Flags:
%s
Examples:
  paydrill validate scenarios/*.yaml
  paydrill validate my-drill.yaml builtin:merchant-freeze
`

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("validate", pflag.ContinueOnError)
	quiet := fs.BoolP("quiet", "q", false, "print errors only")
	strict := fs.Bool("strict", false, "refuse (exit 2) a scenario whose traffic cannot decide one of its time expectations, not only warn")
	usage := func() string { return fmt.Sprintf(validateUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "paydrill validate: no files given\n\n"+usage())
		return exitUsage
	}
	code := exitPass
	for _, f := range fs.Args() {
		s, err := loadScenario(f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			code = exitUsage
			continue
		}
		if powerCheck(f, s, false, stderr) > 0 && *strict {
			code = exitUsage
			continue
		}
		if !*quiet {
			fmt.Fprintf(stdout, "%s: ok\n", f)
		}
	}
	return code
}
