package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/reports"
)

// outputFlags are the rendered reports a command writes besides its
// summary: --html, --markdown, --junit.
type outputFlags struct {
	html, markdown, junit string
}

// registerOutputs adds --html, --markdown and --junit to fs.
func registerOutputs(fs *pflag.FlagSet) *outputFlags {
	o := &outputFlags{}
	fs.StringVar(&o.html, "html", "", "write a self-contained HTML report with charts to `PATH`; with several files, PATH is a directory for one NAME.html each and an index.html")
	fs.StringVar(&o.markdown, "markdown", "", "write a Markdown summary (for a CI job summary) to `PATH`; with several files, a directory for one NAME.md each")
	fs.StringVar(&o.junit, "junit", "", "write JUnit XML (a test case per expectation) to `PATH`; with several files, a directory for one NAME.xml each")
	return o
}

// outputKinds lists the outputs: flag name, path, extension, renderer.
func (o *outputFlags) kinds() []outputKind {
	return []outputKind{
		{"html", o.html, ".html", reports.WriteHTML},
		{"markdown", o.markdown, ".md", reports.WriteMarkdown},
		{"junit", o.junit, ".xml", reports.WriteJUnit},
	}
}

type outputKind struct {
	flag, path, ext string
	write           func(io.Writer, *reports.Report) error
}

// writeOne writes one report to each output asked for ("-": stdout). It
// prints any error and returns its exit code (0 when all were written).
func (o *outputFlags) writeOne(r *reports.Report, stdout, stderr io.Writer) int {
	code := exitPass
	for _, k := range o.kinds() {
		if k.path == "" {
			continue
		}
		if err := writeOutput(k, k.path, r, stdout); err != nil {
			fmt.Fprintf(stderr, "paydrill: %v\n", err)
			code = exitAborted
		}
	}
	return code
}

// writeMany writes each drill's report into the output directories as
// NAME.html, NAME.md and NAME.xml (the names of --json DIR), and with
// --html an index.html linking every drill's page (and its Markdown when
// written to the same directory). It returns an exit code as writeOne.
func (o *outputFlags) writeMany(runs []drillRun, stderr io.Writer) int {
	code := exitPass
	names := jsonNames(runs)
	for _, k := range o.kinds() {
		if k.path == "" {
			continue
		}
		if err := os.MkdirAll(k.path, 0o755); err != nil {
			fmt.Fprintf(stderr, "paydrill: --%s: %v\n", k.flag, err)
			code = exitAborted
			continue
		}
		for i, d := range runs {
			if d.report == nil {
				continue
			}
			path := filepath.Join(k.path, strings.TrimSuffix(names[i], ".json")+k.ext)
			if err := writeOutput(k, path, d.report, io.Discard); err != nil {
				fmt.Fprintf(stderr, "paydrill: %v\n", err)
				code = exitAborted
			}
		}
	}
	if o.html == "" {
		return code
	}
	var entries []reports.IndexEntry
	for i, d := range runs {
		if d.report == nil {
			continue
		}
		base := strings.TrimSuffix(names[i], ".json")
		e := reports.IndexEntry{Report: d.report, HTML: base + ".html"}
		if o.markdown != "" && filepath.Clean(o.markdown) == filepath.Clean(o.html) {
			e.Markdown = base + ".md"
		}
		entries = append(entries, e)
	}
	if err := writeFile("html", filepath.Join(o.html, "index.html"), func(w io.Writer) error {
		return reports.WriteIndex(w, entries)
	}); err != nil {
		fmt.Fprintf(stderr, "paydrill: %v\n", err)
		code = exitAborted
	}
	return code
}

func writeOutput(k outputKind, path string, r *reports.Report, stdout io.Writer) error {
	if path == "-" {
		if err := k.write(stdout, r); err != nil {
			return fmt.Errorf("--%s: %w", k.flag, err)
		}
		return nil
	}
	return writeFile(k.flag, path, func(w io.Writer) error { return k.write(w, r) })
}

// writeFile creates path and writes it with write; errors name the flag.
func writeFile(flag, path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--%s: %w", flag, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("--%s %s: %w", flag, path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--%s %s: %w", flag, path, err)
	}
	return nil
}
