package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/scenario"
)

const schemaUsage = `Usage: paydrill schema

Prints the JSON Schema of scenario files, for editors: every field with
its type, unit pattern and description. It is published at its $id,
https://raw.githubusercontent.com/paydrill/paydrill/main/docs/scenario.schema.json
which is what a scenario's first line names for YAML language servers
('paydrill init' writes it); this command gives the same offline:
add '# yaml-language-server: $schema=paydrill.schema.json'.

Examples:
  paydrill schema > paydrill.schema.json
`

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("schema", pflag.ContinueOnError)
	if code, ok := parseFlags(fs, args, func() string { return schemaUsage }, stdout, stderr); !ok {
		return code
	}
	b, err := scenario.Schema()
	if err != nil {
		fmt.Fprintf(stderr, "paydrill schema: %v\n", err)
		return exitAborted
	}
	stdout.Write(b)
	if len(b) > 0 && b[len(b)-1] != '\n' {
		fmt.Fprintln(stdout)
	}
	return exitPass
}
