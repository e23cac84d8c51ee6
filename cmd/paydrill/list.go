package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/scenarios"
)

const listUsage = `Usage: paydrill list [--json]

Lists the built-in drills embedded in the binary, with their descriptions.
Run one with 'paydrill run builtin:NAME'.

Flags:
%s
Examples:
  paydrill list
  paydrill list --json | jq -r '.[].name'
  paydrill run builtin:silent-freeze
`

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("list", pflag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array of {name, description}")
	usage := func() string { return fmt.Sprintf(listUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	type drill struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	var all []drill
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
		all = append(all, drill{builtinPrefix + n, desc})
	}
	if *asJSON {
		b, _ := json.MarshalIndent(all, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
		return exitPass
	}
	for _, d := range all {
		fmt.Fprintf(tw, "%s\t%s\n", d.Name, d.Description)
	}
	tw.Flush()
	return exitPass
}
