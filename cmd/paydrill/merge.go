package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/seeds"
	"github.com/paydrill/paydrill/internal/shard"
	"github.com/paydrill/paydrill/reports"
)

const mergeUsage = `Usage: paydrill merge FILE|DIR|-... [flags]

Merges the partial results of a sharded run (run --seeds, sweep or
compare with --shard I/N) into the reports one process running the whole
would have written: the same summary, JSON, HTML, Markdown and JUnit,
byte for byte apart from the engine's wall-clock figures. A partial is
one line of JSON; a FILE may hold several, among other lines (a pod's
log), a DIR is every *.json file in it, and - reads standard input, so that

  kubectl logs -l job-name=paydrill --tail=-1 | paydrill merge -

collects a Kubernetes Job's shards. docs/kubernetes.md has the workflows.

merge refuses (exit 2, with the reason) a set that is not every shard of
one job exactly once: a missing shard, one given twice, an interrupted
shard (unless the same shard's complete result is there too: a pod run
again after an eviction), shards of different scenarios (by the hash of the file), paydrill
versions, seeds, routers, rates or shard counts.

Flags:
%s
Examples:
  paydrill merge part-*.json
  paydrill merge part-*.json --json seeds.json --html seeds.html
  kubectl logs -l job-name=paydrill --tail=-1 | paydrill merge -

Exit codes: as the command that was sharded: for run --seeds 0 pass,
1 fail, 4 inconclusive; for sweep and compare 0; 2 the partials cannot be
merged (or bad usage); 3 a report could not be written.
`

func cmdMerge(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var quiet bool
	fs := pflag.NewFlagSet("merge", pflag.ContinueOnError)
	fs.BoolVarP(&quiet, "quiet", "q", false, "no summary; the exit code tells")
	outputs := registerOutputs(fs)
	outputs.registerJSON(fs)
	usage := func() string { return fmt.Sprintf(mergeUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "paydrill merge: give the partial results (files, or - for stdin)\n\n%s", usage())
		return exitUsage
	}
	var parts []*shard.Partial
	for _, name := range fs.Args() {
		ps, err := readPartials(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "paydrill merge: %v\n", err)
			return exitUsage
		}
		parts = append(parts, ps...)
	}
	parts, err := shard.Check(parts)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill merge: %v\n", err)
		return exitUsage
	}
	refuse := func(err error) int {
		fmt.Fprintf(stderr, "paydrill merge: %v: %v\n", shard.ErrMerge, err)
		return exitUsage
	}
	job := parts[0].Job
	switch parts[0].Kind {
	case shard.KindSeeds:
		var ss []*reports.Seeds
		for _, p := range parts {
			ss = append(ss, p.Seeds)
		}
		r, err := seeds.Merge(ss, job.Seeds, job.File)
		if err != nil {
			return refuse(err)
		}
		plan, err := outputs.plan(fileNames([]string{job.Scenario}))
		if err != nil {
			fmt.Fprintf(stderr, "paydrill merge: %v\n", err)
			return exitUsage
		}
		return writeSeeds(r, plan, quiet, "merge", stdout, stderr)
	case shard.KindSweep:
		if outputs.html != "" || outputs.markdown != "" || outputs.junit != "" {
			fmt.Fprintln(stderr, "paydrill merge: a sweep merges into its table and --json; --html, --markdown and --junit are for run --seeds")
			return exitUsage
		}
		t, err := mergeSweep(parts)
		if err != nil {
			return refuse(err)
		}
		return writeSweep(t, outputs.json, quiet, "merge", stdout, stderr)
	case shard.KindCompare:
		if outputs.html != "" || outputs.markdown != "" || outputs.junit != "" {
			fmt.Fprintln(stderr, "paydrill merge: a comparison merges into its table and --json; --html, --markdown and --junit are for run --seeds")
			return exitUsage
		}
		res, err := mergeCompare(parts)
		if err != nil {
			return refuse(err)
		}
		return writeCompare(res, outputs.json, "merge", stdout, stderr)
	}
	return refuse(errors.New("partials of kind " + parts[0].Kind + ": this paydrill merges seeds, sweep and compare"))
}

// readPartials reads the partials of a file, of every *.json file of a
// directory, or of stdin for "-".
func readPartials(name string, stdin io.Reader) ([]*shard.Partial, error) {
	if name == "-" {
		return shard.Read("stdin", stdin)
	}
	if isDir(name) {
		files, err := filepath.Glob(filepath.Join(name, "*.json"))
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("%s: no *.json partial results in it", name)
		}
		var out []*shard.Partial
		for _, f := range files {
			ps, err := readPartials(f, stdin)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
		return out, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return shard.Read(name, f)
}
