package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/scenarios"
)

const listUsage = `Usage: paydrill list

Lists the built-in drills embedded in the binary, with their descriptions.
Run one with 'paydrill run builtin:NAME'.

Examples:
  paydrill list
  paydrill run builtin:silent-freeze
`

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("list", pflag.ContinueOnError)
	if code, ok := parseFlags(fs, args, func() string { return listUsage }, stdout, stderr); !ok {
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, n := range scenarios.Names() {
		data, err := scenarios.Read(n)
		if err != nil {
			fmt.Fprintf(stderr, "paydrill list: %v\n", err)
			return exitAborted
		}
		desc := ""
		if s, err := scenario.Parse(builtinPrefix+n, data); err == nil {
			desc = s.Description
		}
		fmt.Fprintf(tw, "%s%s\t%s\n", builtinPrefix, n, desc)
	}
	tw.Flush()
	return exitPass
}
