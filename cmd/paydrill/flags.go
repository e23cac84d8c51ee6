package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

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
		fmt.Fprintf(stderr, "paydrill %s: %v%s\n\n%s", fs.Name(), err, flagSuggestion(fs, err), usage())
		return exitUsage, false
	}
}

// flagSuggestion is ` (did you mean "--seed"?)` after an unknown flag
// close to one the command has, "" otherwise.
func flagSuggestion(fs *pflag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if s := closest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean \"--%s\"?)", s)
	}
	return ""
}
