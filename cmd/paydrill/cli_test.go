package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// helpArgs are every command and subcommand whose help a user can ask for.
func helpArgs() [][]string {
	var out [][]string
	for _, c := range commands() {
		out = append(out, []string{c.name})
		for _, s := range c.subs {
			out = append(out, []string{c.name, s})
		}
	}
	return out
}

// 'paydrill help CMD' prints what 'paydrill CMD --help' prints, not the
// top-level help.
func TestHelpCommand(t *testing.T) {
	t.Parallel()
	for _, args := range helpArgs() {
		code, got, stderr := paydrill(t, context.Background(), append([]string{"help"}, args...)...)
		_, want, _ := paydrill(t, context.Background(), append(args, "--help")...)
		if code != exitPass || stderr != "" {
			t.Errorf("paydrill help %s: exit %d, stderr %q; want 0 and nothing", strings.Join(args, " "), code, stderr)
		}
		if got != want || strings.Contains(got, "Commands:\n") && args[0] != "help" {
			t.Errorf("paydrill help %s printed:\n%s\nwant what --help prints:\n%s", strings.Join(args, " "), got, want)
		}
	}
	code, _, stderr := paydrill(t, context.Background(), "help", "valdate")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "validate"?`) {
		t.Errorf("paydrill help valdate: exit %d, stderr %q; want %d and a suggestion", code, stderr, exitUsage)
	}
}

// Every command's help has an Examples block, no "[=true|false]" on
// switches, numbers as N (--seed N everywhere) and no line over 100
// columns; so has the top-level help.
func TestHelpTexts(t *testing.T) {
	t.Parallel()
	texts := map[string]string{"paydrill --help": ""}
	_, texts["paydrill --help"], _ = paydrill(t, context.Background(), "--help")
	for _, args := range helpArgs() {
		code, out, stderr := paydrill(t, context.Background(), append(args, "--help")...)
		if code != exitPass || stderr != "" {
			t.Errorf("paydrill %s --help: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
		texts["paydrill "+strings.Join(args, " ")+" --help"] = out
	}
	for name, text := range texts {
		if !strings.Contains(text, "\nExamples:\n  ") {
			t.Errorf("%s: no Examples block:\n%s", name, text)
		}
		if strings.Contains(text, "[=true|false]") {
			t.Errorf("%s: a switch shows [=true|false]:\n%s", name, text)
		}
		if regexp.MustCompile(`--seed (uint|int)`).MatchString(text) {
			t.Errorf("%s: --seed takes N, not a Go type:\n%s", name, text)
		}
		for i, line := range strings.Split(text, "\n") {
			if n := len([]rune(line)); n > helpWidth {
				t.Errorf("%s: line %d has %d columns (at most %d): %q", name, i+1, n, helpWidth, line)
			}
		}
	}
}

func TestSuggestions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // "" means no suggestion
	}{
		{[]string{"rnu"}, `unknown command "rnu" (did you mean "run"?)`},
		{[]string{"valdate", "x.yaml"}, `(did you mean "validate"?)`},
		{[]string{"comp"}, `(did you mean "compare"?)`},
		{[]string{"frobnicate"}, ""},
		{[]string{"run", "--sed", "3"}, `unknown flag: --sed (did you mean "--seed"?)`},
		{[]string{"sweep", "--rate", "1/s"}, `(did you mean "--rates"?)`},
	} {
		code, stdout, stderr := paydrill(t, context.Background(), tc.args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("paydrill %q: exit %d, stdout %q; want %d and nothing", tc.args, code, stdout, exitUsage)
		}
		if tc.want == "" && strings.Contains(stderr, "did you mean") || !strings.Contains(stderr, tc.want) {
			t.Errorf("paydrill %q: stderr %q, want %q", tc.args, stderr, tc.want)
		}
	}
}

// The completion scripts name every command and the flags of its help,
// and the shell reads them without a syntax error (zsh and fish where
// installed).
func TestCompletion(t *testing.T) {
	t.Parallel()
	check := map[string][]string{
		"bash": {"bash", "-n"},
		"zsh":  {"zsh", "-n"},
		"fish": {"fish", "--no-execute"},
	}
	for _, sh := range shells {
		code, out, stderr := paydrill(t, context.Background(), "completion", sh)
		if code != exitPass || stderr != "" || out == "" {
			t.Fatalf("paydrill completion %s: exit %d, stderr %q, %d bytes", sh, code, stderr, len(out))
		}
		for _, want := range []string{"run", "validate", "completion", "seed", "quiet", "threshold", "diff"} {
			if !strings.Contains(out, want) {
				t.Errorf("paydrill completion %s: no %q in:\n%s", sh, want, out)
			}
		}
		argv := check[sh]
		if _, err := exec.LookPath(argv[0]); err != nil {
			if sh == "bash" {
				t.Fatalf("bash not found: %v", err)
			}
			t.Logf("%s not installed: its script is not parsed", sh)
			continue
		}
		f := filepath.Join(t.TempDir(), "paydrill."+sh)
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(argv[0], append(argv[1:], f)...).CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s\nscript:\n%s", strings.Join(argv, " "), f, err, b, out)
		}
	}
	if code, _, stderr := paydrill(t, context.Background(), "completion", "powershell"); code != exitUsage || !strings.Contains(stderr, "bash, zsh or fish") {
		t.Errorf("paydrill completion powershell: exit %d, stderr %q", code, stderr)
	}
}

// Bash completion offers a command's flags after its name: sourced in
// bash, COMPREPLY for "paydrill run --se" holds --seed and --seeds.
func TestBashCompletionCompletes(t *testing.T) {
	t.Parallel()
	_, script, _ := paydrill(t, context.Background(), "completion", "bash")
	f := filepath.Join(t.TempDir(), "paydrill.bash")
	if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ line, want string }{
		{"paydrill ru", "run"},
		{"paydrill run --se", "--seed --seeds"},
		{"paydrill report d", "diff"},
	} {
		words := strings.Fields(tc.line)
		sh := "source " + f + "; COMP_WORDS=(" + tc.line + "); COMP_CWORD=" + strconv.Itoa(len(words)-1) + `; _paydrill; echo "${COMPREPLY[*]}"`
		out, err := exec.Command("bash", "-c", sh).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("completing %q: %q (%v), want %q", tc.line, out, err, tc.want)
		}
	}
}

// A run's reports name the build that ran it: the JSON field and the
// summary's line carry paydrill version's line.
func TestRunCarriesVersion(t *testing.T) {
	t.Parallel()
	code, out, stderr := paydrill(t, context.Background(), "run", "builtin:merchant-freeze", "--json", "-")
	if code != exitPass {
		t.Fatalf("paydrill run --json -: exit %d, stderr %q", code, stderr)
	}
	if want := `"paydrill_version": "` + version + `"`; !strings.Contains(out, want) {
		t.Errorf("the JSON report lacks %s", want)
	}
	code, out, _ = paydrill(t, context.Background(), "run", "builtin:merchant-freeze")
	if code != exitPass || !strings.Contains(out, "\n  paydrill "+version+"\n") {
		t.Errorf("exit %d; the summary lacks the line 'paydrill %s':\n%s", code, version, out)
	}
}
