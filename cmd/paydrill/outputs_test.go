package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Outputs are checked before the run: every collision and path that
// cannot be written is a usage error (exit 2) and nothing runs, so
// nothing is written and no summary is printed.
func TestOutputsRefusedBeforeTheRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scen := writeScenario(t, "tiny.yaml", tiny)
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out3 := filepath.Join(dir, "out3")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"html and markdown on one file", []string{scen, "--html", out3, "--markdown", out3}, "--html and --markdown both write"},
		{"json and junit on one file, spelled differently", []string{scen, "--json", out3, "--junit", filepath.Join(dir, ".", "out3")}, "--json and --junit both write"},
		{"json and markdown on stdout", []string{scen, "--json", "-", "--markdown", "-"}, "--json - and --markdown - both write to stdout"},
		{"html and junit on stdout", []string{scen, "--html", "-", "--junit", "-"}, "both write to stdout"},
		{"a file in a directory that does not exist", []string{scen, "--json", filepath.Join(dir, "no", "such", "x.json")}, "does not exist"},
		{"a file under a file", []string{scen, "--html", filepath.Join(file, "x.html")}, "not a directory"},
		{"a directory under a file", []string{scen, "--markdown", filepath.Join(file, "sub") + "/"}, "--markdown"},
		{"several drills, one file", []string{scen, "builtin:timeout-storm", "--markdown", filepath.Join(dir, "all.md")}, "2 drills write one file each: give a directory"},
		{"several drills, stdout", []string{scen, "builtin:timeout-storm", "--junit", "-"}, "stdout takes one drill's report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run"}, tc.args...)
			code, stdout, stderr := paydrill(t, context.Background(), args...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("paydrill %q: exit %d, stdout %q, stderr %q; want %d, nothing on stdout, stderr holding %q", args, code, stdout, stderr, exitUsage, tc.stderr)
			}
			if _, err := os.Stat(out3); err == nil {
				t.Errorf("paydrill %q wrote %s", args, out3)
			}
		})
	}
}

// "-" on any one output gives that document alone on stdout, parseable,
// with no summary mixed in.
func TestOutputsStdout(t *testing.T) {
	t.Parallel()
	scen := writeScenario(t, "tiny.yaml", tiny)
	for _, tc := range []struct {
		flag  string
		parse func(string) error
	}{
		{"--json", func(s string) error { var v map[string]any; return json.Unmarshal([]byte(s), &v) }},
		{"--junit", func(s string) error { var v struct{}; return xml.Unmarshal([]byte(s), &v) }},
		{"--html", func(s string) error { return prefix(s, "<!DOCTYPE html>") }},
		{"--markdown", func(s string) error { return prefix(s, "## ") }},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := []string{"run", scen, tc.flag, "-", "--progress", "off", "--router", "static"}
			// The other outputs to files beside it do not disturb stdout.
			for _, f := range []string{"--json", "--junit", "--html", "--markdown"} {
				if f != tc.flag {
					args = append(args, f, filepath.Join(dir, strings.TrimPrefix(f, "--")))
				}
			}
			code, stdout, stderr := paydrill(t, context.Background(), args...)
			if code != exitFail || stderr != "" {
				t.Errorf("paydrill %q: exit %d, stderr %q; want %d (static fails tiny) and nothing", args, code, stderr, exitFail)
			}
			if err := tc.parse(stdout); err != nil {
				t.Errorf("paydrill %q: stdout is not one document: %v\n%s", args, err, stdout)
			}
			if strings.Contains(stdout, "Reproduce: paydrill") {
				t.Errorf("paydrill %q: the text summary is mixed into stdout", args)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 3 {
				t.Errorf("paydrill %q: %d files beside stdout, want 3", args, len(entries))
			}
		})
	}
}

func prefix(s, p string) error {
	if !strings.HasPrefix(s, p) {
		return os.ErrInvalid
	}
	return nil
}

// A directory is a directory whatever the number of drills: ending in
// "/" or existing, it gets NAME.EXT per drill and the index pages.
func TestOutputsDirectories(t *testing.T) {
	t.Parallel()
	scen := writeScenario(t, "tiny.yaml", tiny)
	for _, tc := range []struct {
		name  string
		files []string
		want  []string
	}{
		{"one drill", []string{scen}, []string{"index.html", "index.md", "tiny.html", "tiny.json", "tiny.md", "tiny.xml"}},
		{"two drills", []string{scen, scen}, []string{"index.html", "index.md", "tiny-2.html", "tiny-2.json", "tiny-2.md", "tiny-2.xml", "tiny.html", "tiny.json", "tiny.md", "tiny.xml"}},
	} {
		for _, existing := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				out := filepath.Join(t.TempDir(), "out")
				path := out + "/"
				if existing {
					if err := os.Mkdir(out, 0o755); err != nil {
						t.Fatal(err)
					}
					path = out
				}
				args := append(append([]string{"run"}, tc.files...), "--json", path, "--html", path, "--markdown", path, "--junit", path, "-q", "--router", "static")
				code, stdout, stderr := paydrill(t, context.Background(), args...)
				if code != exitFail || stdout != "" || stderr != "" {
					t.Errorf("paydrill %q: exit %d, stdout %q, stderr %q; want %d and nothing", args, code, stdout, stderr, exitFail)
				}
				var names []string
				entries, _ := os.ReadDir(out)
				for _, e := range entries {
					names = append(names, e.Name())
				}
				if !slices.Equal(names, tc.want) {
					t.Errorf("paydrill %q wrote %q, want %q", args, names, tc.want)
				}
				index, _ := os.ReadFile(filepath.Join(out, "index.html"))
				if !strings.Contains(string(index), `href="tiny.html"`) || !strings.Contains(string(index), `href="tiny.md"`) {
					t.Errorf("index.html does not link tiny.html and tiny.md:\n%s", index)
				}
				md, _ := os.ReadFile(filepath.Join(out, "index.md"))
				if !strings.Contains(string(md), "[tiny](tiny.md)") || !strings.Contains(string(md), "FAIL") {
					t.Errorf("index.md does not link tiny.md with its verdict:\n%s", md)
				}
			})
		}
	}
}

// A write that fails after the run never costs the summary: it is
// printed, the error names the flag, and the exit code says so (3).
func TestFailedWriteKeepsTheSummary(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	scen := writeScenario(t, "tiny.yaml", tiny)
	args := []string{"run", scen, "--router", "health", "--json", "/dev/full", "--progress", "off"}
	code, stdout, stderr := paydrill(t, context.Background(), args...)
	if code != exitAborted || !strings.Contains(stdout, "\nVerdict: ") || !strings.Contains(stderr, "--json /dev/full") {
		t.Errorf("paydrill %q: exit %d, stdout %q, stderr %q; want %d, the summary, and an error naming --json /dev/full", args, code, stdout, stderr, exitAborted)
	}
}

// report render takes the same outputs, checked the same way.
func TestReportRenderOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	js := filepath.Join(dir, "run.json")
	if code, _, stderr := paydrill(t, context.Background(), "run", writeScenario(t, "tiny.yaml", tiny), "--json", js, "-q", "--router", "static"); code != exitFail {
		t.Fatalf("run: exit %d (%s)", code, stderr)
	}
	x := filepath.Join(dir, "x")
	code, _, stderr := paydrill(t, context.Background(), "report", "render", js, "--html", x, "--markdown", x)
	if code != exitUsage || !strings.Contains(stderr, "both write") {
		t.Errorf("report render --html x --markdown x: exit %d, stderr %q; want %d", code, stderr, exitUsage)
	}
	code, stdout, stderr := paydrill(t, context.Background(), "report", "render", js, "--junit", "-", "--html", dir+"/pages/")
	if code != exitPass || stderr != "" || xml.Unmarshal([]byte(stdout), new(struct{})) != nil {
		t.Errorf("report render --junit -: exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "pages", "tiny.html")); err != nil {
		t.Errorf("report render --html DIR/: %v", err)
	}
}
