package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/reports"
)

// outputFlags are the reports a command writes besides its summary:
// --json (run only), --html, --markdown, --junit.
//
// Every PATH is read one way, whatever the number of drills:
//   - "-" is stdout; one output at most may take it, it replaces the
//     summary, and it takes one drill;
//   - a PATH ending in "/", or naming an existing directory, is a
//     directory (created if needed) that gets NAME.EXT per drill, and
//     index.html / index.md for --html / --markdown;
//   - any other PATH is one file, for one drill.
//
// The plan is checked before the run: two outputs on one file, a stream
// taken twice, a file for several drills or a path that cannot be
// written are usage errors (exit 2), so a drill never runs for nothing.
type outputFlags struct {
	json, html, markdown, junit string
}

// registerOutputs adds --html, --markdown and --junit to fs.
func registerOutputs(fs *pflag.FlagSet) *outputFlags {
	o := &outputFlags{}
	fs.StringVar(&o.html, "html", "", "write a self-contained HTML report with charts to `PATH` (a directory if it ends in / or exists: NAME.html per drill and index.html)")
	fs.StringVar(&o.markdown, "markdown", "", "write a Markdown summary (for a CI job summary) to `PATH` (a directory: NAME.md per drill and index.md)")
	fs.StringVar(&o.junit, "junit", "", "write JUnit XML (a test case per expectation) to `PATH` (a directory: NAME.xml per drill)")
	return o
}

// registerJSON adds --json to fs.
func (o *outputFlags) registerJSON(fs *pflag.FlagSet) {
	fs.StringVar(&o.json, "json", "", "write the JSON report to `PATH` ('-': stdout, replacing the summary; a directory if it ends in / or exists: NAME.json per drill)")
}

type outputKind struct {
	flag, path, ext string
	write           func(io.Writer, *reports.Report) error
	dir             bool // set by plan
}

func (o *outputFlags) kinds() []outputKind {
	return []outputKind{
		{flag: "json", path: o.json, ext: ".json", write: reports.WriteJSON},
		{flag: "html", path: o.html, ext: ".html", write: reports.WriteHTML},
		{flag: "markdown", path: o.markdown, ext: ".md", write: reports.WriteMarkdown},
		{flag: "junit", path: o.junit, ext: ".xml", write: reports.WriteJUnit},
	}
}

// outputPlan is where each report goes, checked before the run.
type outputPlan struct {
	kinds  []outputKind // only those asked for
	names  []string     // per drill, the base name of its files in a directory
	stdout string       // the flag writing to stdout, if any
}

// toStdout reports whether an output replaces the summary on stdout.
func (p *outputPlan) toStdout() bool { return p.stdout != "" }

// file is where the one report of flag goes: "-", a file, or in a
// directory NAME.EXT of the first drill; "" when not asked for.
func (p *outputPlan) file(flag string) string {
	for _, k := range p.kinds {
		if k.flag == flag {
			if k.dir {
				return filepath.Join(k.path, p.names[0]+k.ext)
			}
			return k.path
		}
	}
	return ""
}

// any reports whether any output was asked for.
func (o *outputFlags) any() bool {
	return o.json != "" || o.html != "" || o.markdown != "" || o.junit != ""
}

// plan checks the outputs for drills named names (fileNames gives them)
// and creates the directories asked for. Its errors are usage errors.
func (o *outputFlags) plan(names []string) (*outputPlan, error) {
	p := &outputPlan{names: names}
	owner := map[string]string{} // file → the flag that writes it
	claim := func(flag, path string) error {
		abs, err := filepath.Abs(path)
		if err != nil {
			return fmt.Errorf("--%s %s: %w", flag, path, err)
		}
		if other, ok := owner[abs]; ok {
			return fmt.Errorf("--%s and --%s both write %s: give each output its own path (or one directory for all)", other, flag, path)
		}
		owner[abs] = flag
		return nil
	}
	for _, k := range o.kinds() {
		switch {
		case k.path == "":
			continue
		case k.path == "-":
			if p.stdout != "" {
				return nil, fmt.Errorf("--%s - and --%s - both write to stdout: one stream takes one document; give one of them a file", p.stdout, k.flag)
			}
			if len(names) > 1 {
				return nil, fmt.Errorf("--%s -: stdout takes one drill's report; with %d drills give a directory (--%s DIR/)", k.flag, len(names), k.flag)
			}
			p.stdout = k.flag
			p.kinds = append(p.kinds, k)
			continue
		}
		k.dir = strings.HasSuffix(k.path, "/") || strings.HasSuffix(k.path, string(filepath.Separator)) || isDir(k.path)
		if !k.dir {
			if len(names) > 1 {
				return nil, fmt.Errorf("--%s %s: %d drills write one file each: give a directory (--%s %s/)", k.flag, k.path, len(names), k.flag, strings.TrimSuffix(k.path, k.ext))
			}
			if err := checkFile(k.path); err != nil {
				return nil, fmt.Errorf("--%s: %w", k.flag, err)
			}
			if err := claim(k.flag, k.path); err != nil {
				return nil, err
			}
			p.kinds = append(p.kinds, k)
			continue
		}
		if err := checkDir(k.path); err != nil {
			return nil, fmt.Errorf("--%s: %w", k.flag, err)
		}
		for _, n := range names {
			if err := claim(k.flag, filepath.Join(k.path, n+k.ext)); err != nil {
				return nil, err
			}
		}
		if k.flag == "html" || k.flag == "markdown" {
			if err := claim(k.flag, filepath.Join(k.path, "index"+k.ext)); err != nil {
				return nil, err
			}
		}
		p.kinds = append(p.kinds, k)
	}
	return p, nil
}

// write writes every report (a nil one, a drill that did not run, is
// left out) and returns every error; it goes on after one.
func (p *outputPlan) write(reps []*reports.Report, stdout io.Writer) []error {
	var errs []error
	var mdDir string
	for _, k := range p.kinds {
		if k.dir && k.flag == "markdown" {
			mdDir = k.path
		}
	}
	for _, k := range p.kinds {
		switch {
		case k.path == "-":
			if reps[0] != nil {
				if err := k.write(stdout, reps[0]); err != nil {
					errs = append(errs, fmt.Errorf("--%s -: %w", k.flag, err))
				}
			}
		case !k.dir:
			if reps[0] != nil {
				if err := writeFile(k.flag, k.path, func(w io.Writer) error { return k.write(w, reps[0]) }); err != nil {
					errs = append(errs, err)
				}
			}
		default:
			var entries []reports.IndexEntry
			for i, r := range reps {
				if r == nil {
					continue
				}
				if err := writeFile(k.flag, filepath.Join(k.path, p.names[i]+k.ext), func(w io.Writer) error { return k.write(w, r) }); err != nil {
					errs = append(errs, err)
				}
				e := reports.IndexEntry{Report: r}
				switch k.flag {
				case "html":
					e.HTML = p.names[i] + ".html"
					if mdDir != "" && filepath.Clean(mdDir) == filepath.Clean(k.path) {
						e.Markdown = p.names[i] + ".md"
					}
				case "markdown":
					e.Markdown = p.names[i] + ".md"
				}
				entries = append(entries, e)
			}
			var index func(io.Writer, []reports.IndexEntry) error
			switch k.flag {
			case "html":
				index = reports.WriteIndex
			case "markdown":
				index = reports.WriteMarkdownIndex
			}
			if index != nil {
				if err := writeFile(k.flag, filepath.Join(k.path, "index"+k.ext), func(w io.Writer) error { return index(w, entries) }); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	return errs
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// checkFile tells whether path can be written as a file, without
// changing it: an existing regular file is opened for writing and
// closed; a new one needs an existing directory that takes a file.
func checkFile(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return nil // a device or a pipe (/dev/stderr): written as it is
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		return f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: directory %s does not exist", path, dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s: %s is not a directory", path, dir)
	}
	return probe(dir, path)
}

// checkDir creates dir if needed and checks that it takes files.
func checkDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return probe(dir, dir)
}

// probe writes and removes a temporary file in dir.
func probe(dir, what string) error {
	f, err := os.CreateTemp(dir, ".paydrill-probe-*")
	if err != nil {
		return fmt.Errorf("%s cannot be written: %w", what, err)
	}
	f.Close()
	return os.Remove(f.Name())
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

// fileNames gives each drill its base file name in an output directory:
// NAME, NAME-2 for a second drill of the same name, and so on; "index"
// is kept for the index pages.
func fileNames(drills []string) []string {
	seen := map[string]int{"index": 1}
	var out []string
	for _, d := range drills {
		base := fileSafe(d)
		seen[base]++
		if n := seen[base]; n > 1 {
			base = fmt.Sprintf("%s-%d", base, n)
		}
		out = append(out, base)
	}
	return out
}
