package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/build"
)

const versionUsage = `Usage: paydrill version [--json]

Prints the build: the module version (vX.Y.Z when installed as
module@version, devel from a checkout), the VCS revision it was built from
(+modified when the work tree had changes) and the commit's time. Every
report carries the same line.

Flags:
%s
Examples:
  paydrill version
  paydrill version --json | jq -r .revision
`

// version is the build as one line; reports, partial results and the
// kube image tag carry it.
var version = build.Read().String()

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("version", pflag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the build as JSON: version, revision, time, modified")
	usage := func() string { return fmt.Sprintf(versionUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	bi := build.Read()
	if *asJSON {
		b, _ := json.MarshalIndent(bi, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
		return exitPass
	}
	fmt.Fprintf(stdout, "paydrill %s", bi)
	if bi.Time != "" {
		fmt.Fprintf(stdout, " (%s)", bi.Time)
	}
	fmt.Fprintln(stdout)
	return exitPass
}
