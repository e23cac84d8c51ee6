package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestCIRecipes checks docs/ci.md: every YAML block is valid and shaped
// as a GitHub Actions workflow or a GitLab CI file, every make target it
// calls exists, and every bin/paydrill command runs as written against
// the repository (with -short or -race: its flags parse; make test runs
// it again without -race). out/ and last/ are
// mapped to a temporary directory; last quarter's report is this one's.
func TestCIRecipes(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 3 {
		t.Fatalf("docs/ci.md: %d yaml blocks, want 3 (GitHub drills, GitLab drills, GitHub rehearsal)", len(blocks))
	}
	tmp := t.TempDir()
	quick := testing.Short() || raceEnabled
	var commands []string
	kinds := map[string]int{}
	for i, b := range blocks {
		var wf map[string]any
		if err := yaml.Unmarshal([]byte(b[1]), &wf); err != nil {
			t.Fatalf("docs/ci.md block %d: not valid YAML: %v", i+1, err)
		}
		if jobs, ok := wf["jobs"].(map[string]any); ok {
			kinds["github"]++
			if wf["on"] == nil || wf["name"] == nil {
				t.Errorf("block %d: a GitHub workflow needs name and on", i+1)
			}
			for name, j := range jobs {
				job, _ := j.(map[string]any)
				steps, _ := job["steps"].([]any)
				if job["runs-on"] == nil || len(steps) == 0 {
					t.Errorf("block %d: job %s needs runs-on and steps", i+1, name)
				}
				for _, s := range steps {
					step, _ := s.(map[string]any)
					run, _ := step["run"].(string)
					if (run == "") == (step["uses"] == nil) {
						t.Errorf("block %d: job %s: a step needs run or uses, not both: %v", i+1, name, step)
					}
					commands = append(commands, strings.Split(strings.TrimSpace(run), "\n")...)
				}
			}
			continue
		}
		kinds["gitlab"]++
		for name, j := range wf {
			job, _ := j.(map[string]any)
			script, _ := job["script"].([]any)
			if len(script) == 0 {
				t.Errorf("block %d: GitLab job %s has no script", i+1, name)
			}
			for _, line := range script {
				commands = append(commands, line.(string))
			}
			arts, _ := job["artifacts"].(map[string]any)
			reps, _ := arts["reports"].(map[string]any)
			if reps["junit"] == nil || arts["when"] != "always" {
				t.Errorf("block %d: GitLab job %s does not publish JUnit always", i+1, name)
			}
		}
	}
	if kinds["github"] != 2 || kinds["gitlab"] != 1 {
		t.Errorf("workflows: %v, want 2 GitHub and 1 GitLab", kinds)
	}
	ran := 0
	for _, line := range commands {
		words := shellWords(line)
		if len(words) == 0 {
			continue
		}
		switch words[0] {
		case "make":
			for _, target := range words[1:] {
				if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(target) + `:`).Match(makefile) {
					t.Errorf("%q: the Makefile has no target %s", line, target)
				}
			}
		case "bin/paydrill":
			args := expand(t, root, tmp, words[1:])
			if slices.Contains(args, "diff") && !quick {
				// Last quarter: this quarter's report, so no regression.
				if _, err := os.Stat(filepath.Join(tmp, "last", "rehearsal.json")); err != nil {
					os.MkdirAll(filepath.Join(tmp, "last"), 0o755)
					data, err := os.ReadFile(filepath.Join(tmp, "out", "rehearsal.json"))
					if err != nil {
						t.Fatalf("%q: the rehearsal wrote no out/rehearsal.json: %v", line, err)
					}
					os.WriteFile(filepath.Join(tmp, "last", "rehearsal.json"), data, 0o644)
				}
			}
			if quick {
				args = append(args, "--help")
			}
			// Run as written: a verdict (0 pass, 1 fail, 4 inconclusive,
			// 5 invalid) is the job's answer; usage (2), aborted (3) or
			// internal (70) means the recipe itself is broken.
			code, _, stderr := paydrill(t, context.Background(), args...)
			if code == exitUsage || code == exitAborted || code == exitInternal {
				t.Errorf("%q: exit %d: the command does not run as written: %s", line, code, stderr)
			}
			ran++
		}
	}
	if ran != 4 {
		t.Errorf("%d paydrill commands, want 4 (two drill suites, the rehearsal, the diff)", ran)
	}
	if !quick {
		for _, f := range []string{"out/drill/index.md", "out/drill/index.html", "out/drill/merchant-freeze.xml", "out/diff.md", "out/rehearsal.md"} {
			if _, err := os.Stat(filepath.Join(tmp, f)); err != nil {
				t.Errorf("the recipes should have written %s: %v", f, err)
			}
		}
	}
}

// shellWords splits a command line into words, honouring double quotes,
// up to a redirection or a "||".
func shellWords(line string) []string {
	var words []string
	for _, w := range regexp.MustCompile(`"[^"]*"|\S+`).FindAllString(line, -1) {
		if w == ">>" || w == ">" || w == "||" || w == "|" {
			break
		}
		words = append(words, strings.Trim(w, `"`))
	}
	return words
}

// expand maps out/ and last/ into tmp, repository paths under root, and
// expands globs.
func expand(t *testing.T, root, tmp string, words []string) []string {
	t.Helper()
	var out []string
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "out/") || strings.HasPrefix(w, "last/"):
			p := filepath.Join(tmp, w)
			if strings.HasSuffix(w, "/") {
				p += "/"
			}
			os.MkdirAll(filepath.Join(tmp, strings.SplitN(w, "/", 2)[0]), 0o755)
			out = append(out, p)
		case strings.HasPrefix(w, "scenarios/"):
			matches, err := filepath.Glob(filepath.Join(root, w))
			if err != nil || len(matches) == 0 {
				t.Fatalf("%s matches nothing in the repository", w)
			}
			out = append(out, matches...)
		default:
			out = append(out, w)
		}
	}
	return out
}
