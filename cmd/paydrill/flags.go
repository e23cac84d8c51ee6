package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// parseFlags parses a subcommand's flags. --help prints the usage to
// stdout (exit 0); a bad flag prints the error and the usage to stderr
// (exit 2). ok is false when the command should return code.
func parseFlags(fs *pflag.FlagSet, args []string, usage func() string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, pflag.ErrHelp):
		fmt.Fprint(stdout, usage())
		return exitPass, false
	default:
		fmt.Fprintf(stderr, "paydrill %s: %v\n\n%s", fs.Name(), err, usage())
		return exitUsage, false
	}
}
