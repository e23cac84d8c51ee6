// Command hostile runs the hostile-input campaign of issue 13 against a
// paydrill binary: `make hostile`, or
//
//	go run ./internal/hostile/cmd/hostile -bin bin/paydrill
//
// from the repository's root. It prints a row per input and a summary,
// and exits 1 when any input broke a rule (docs/limits.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"

	"github.com/paydrill/paydrill/internal/hostile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hostile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "bin/paydrill", "the paydrill binary to feed")
	root := fs.String("root", ".", "the repository's root (the corpus is read from its testdata)")
	only := fs.String("only", "", "run only the inputs whose name matches this regular expression")
	keep := fs.String("keep", "", "write the inputs under this directory and keep them (default: a temporary one, removed)")
	wall := fs.Duration("wall", hostile.Issue13.Wall, "wall-time limit of one process")
	rssMiB := fs.Int64("rss-mib", hostile.Issue13.RSS>>20, "peak-RSS limit of one process, MiB")
	quiet := fs.Bool("q", false, "no line per input while running")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	// The inputs run in directories of their own: a relative path to the
	// binary would not resolve there.
	path, err := exec.LookPath(*bin)
	if err == nil {
		path, err = filepath.Abs(path)
	}
	if err != nil {
		fmt.Fprintln(stderr, "hostile: -bin:", err)
		return 2
	}
	inputs, err := hostile.Corpus(*root)
	if err != nil {
		fmt.Fprintln(stderr, "hostile:", err)
		return 2
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fmt.Fprintln(stderr, "hostile: -only:", err)
			return 2
		}
		var kept []hostile.Input
		for _, in := range inputs {
			if re.MatchString(in.Name) {
				kept = append(kept, in)
			}
		}
		inputs = kept
	}
	dir := *keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "paydrill-hostile-"); err != nil {
			fmt.Fprintln(stderr, "hostile:", err)
			return 2
		}
		defer os.RemoveAll(dir)
	}
	var progress io.Writer = stderr
	if *quiet {
		progress = nil
	}
	lim := hostile.Limits{Wall: *wall, RSS: *rssMiB << 20}
	outcomes, err := hostile.Run(ctx, path, dir, inputs, lim, progress)
	if err != nil {
		fmt.Fprintln(stderr, "hostile:", err)
		return 2
	}
	if hostile.WriteTable(stdout, outcomes, lim) > 0 {
		return 1
	}
	return 0
}
