package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tiny is a small valid scenario; the bad ones below change one line of it.
const tiny = `name: tiny
duration: 10m
traffic:
  arrivals: {type: poisson, rate: 2/s}
providers:
  - name: alpha
  - name: beta
faults:
  - name: freeze
    type: suspend
    at: 2m
    for: 3m
    target: {providers: [alpha]}
expect: {failover_within: 1m}
`

// writeScenario writes text to name in a fresh temporary folder and returns its path.
func writeScenario(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// badScenarios are tiny with one mistake, and the error validate must
// print for it after "FILE:".
var badScenarios = []struct {
	name string
	text string
	want string // LINE:COL: PATH: MESSAGE
}{
	{
		name: "unknown top-level field",
		text: strings.Replace(tiny, "duration: 10m\n", "duration: 10m\ncolour: red\n", 1),
		want: `3:1: colour: unknown field "colour"`,
	},
	{
		name: "a method no provider takes",
		text: strings.NewReplacer("rate: 2/s}\n", "rate: 2/s}\n  methods: {card: 0.3, alipay: 0.7}\n",
			"  - name: alpha\n", "  - name: alpha\n    methods: [card]\n", "  - name: beta\n", "  - name: beta\n    methods: [card]\n").Replace(tiny),
		want: `5:32: traffic.methods.alipay: no provider takes alipay (weight 0.7): its orders would fail without a single attempt; add it to a provider's methods or drop it`,
	},
	{
		name: "unknown nested field",
		text: strings.Replace(tiny, "  - name: beta\n", "  - name: beta\n    speed: fast\n", 1),
		want: `8:5: providers[1].speed: unknown field "speed"`,
	},
	{
		name: "fault names a provider that does not exist",
		text: strings.Replace(tiny, "[alpha]}", "[omega]}", 1),
		want: `13:26: faults[0].target.providers[0]: no provider named "omega" (have alpha, beta)`,
	},
	{
		name: "second target provider does not exist",
		text: strings.Replace(tiny, "[alpha]}", "[alpha, omega]}", 1),
		want: `13:33: faults[0].target.providers[1]: no provider named "omega" (have alpha, beta)`,
	},
	{
		name: "negative rate",
		text: strings.Replace(tiny, "rate: 2/s", "rate: -2/s", 1),
		want: `4:35: traffic.arrivals.rate: rate "-2/s" is negative`,
	},
}

func TestValidateLibrary(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found (%v)", err)
	}
	code, stdout, stderr := paydrill(t, context.Background(), append([]string{"validate"}, files...)...)
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill validate %q: exit %d, stderr %q; want 0 and nothing", files, code, stderr)
	}
	for _, f := range files {
		if !strings.Contains(stdout, f+": ok\n") {
			t.Errorf("paydrill validate: stdout %q has no %q", stdout, f+": ok")
		}
	}
	// -q prints nothing for valid files; builtin: names are checked too.
	code, stdout, stderr = paydrill(t, context.Background(), "validate", "-q", files[0], "builtin:silent-freeze")
	if code != exitPass || stdout != "" || stderr != "" {
		t.Errorf("paydrill validate -q: exit %d, stdout %q, stderr %q; want 0 and nothing", code, stdout, stderr)
	}
}

func TestValidateGoodTemp(t *testing.T) {
	t.Parallel()
	path := writeScenario(t, "tiny.yaml", tiny)
	if code, stdout, stderr := paydrill(t, context.Background(), "validate", path); code != exitPass || stdout != path+": ok\n" {
		t.Fatalf("paydrill validate tiny: exit %d, stdout %q, stderr %q; want 0 and %q", code, stdout, stderr, path+": ok\n")
	}
}

func TestValidateBad(t *testing.T) {
	t.Parallel()
	for _, tc := range badScenarios {
		t.Run(tc.name, func(t *testing.T) {
			path := writeScenario(t, "bad.yaml", tc.text)
			code, stdout, stderr := paydrill(t, context.Background(), "validate", path)
			if code != exitUsage {
				t.Errorf("paydrill validate (%s): exit %d, want %d", tc.name, code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("paydrill validate (%s): stdout %q, want nothing", tc.name, stdout)
			}
			if want := path + ":" + tc.want + "\n"; stderr != want {
				t.Errorf("paydrill validate (%s):\n got %q\nwant %q", tc.name, stderr, want)
			}
		})
	}
}

// Validation goes on past a bad file and reports each.
func TestValidateMixed(t *testing.T) {
	t.Parallel()
	good := writeScenario(t, "good.yaml", tiny)
	bad := writeScenario(t, "bad.yaml", badScenarios[0].text)
	code, stdout, stderr := paydrill(t, context.Background(), "validate", bad, good, "builtin:nope", "missing.yaml")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if stdout != good+": ok\n" {
		t.Errorf("stdout %q, want %q", stdout, good+": ok\n")
	}
	for _, want := range []string{bad + ":3:1: colour:", `no built-in drill "nope"`, "missing.yaml"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not hold %q", stderr, want)
		}
	}
}

// run checks every file before running any: a bad file anywhere means
// exit 2 and no run at all.
func TestRunRejectsBadInput(t *testing.T) {
	t.Parallel()
	good := writeScenario(t, "good.yaml", tiny)
	for _, tc := range badScenarios {
		bad := writeScenario(t, "bad.yaml", tc.text)
		code, stdout, stderr := paydrill(t, context.Background(), "run", good, bad)
		if code != exitUsage || stdout != "" {
			t.Errorf("paydrill run good bad (%s): exit %d, stdout %q; want %d and nothing", tc.name, code, stdout, exitUsage)
		}
		if want := bad + ":" + tc.want; !strings.Contains(stderr, want) {
			t.Errorf("paydrill run (%s): stderr %q does not hold %q", tc.name, stderr, want)
		}
	}
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"run", "--router", "nope", good}, `--router "nope" is not one of health, priority, static, retry-blind`},
		{[]string{"run", "--progress", "nope", good}, `--progress "nope" is not one of auto, bars, plain, off`},
		{[]string{"run", "builtin:nope"}, `no built-in drill "nope" (see 'paydrill list')`},
		{[]string{"run", "missing.yaml"}, "missing.yaml"},
		{[]string{"run", "--json", "-", good, good}, "stdout takes one drill's report"},
	} {
		code, stdout, stderr := paydrill(t, context.Background(), tc.args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("paydrill %q: exit %d, stdout %q; want %d and nothing", tc.args, code, stdout, exitUsage)
		}
		if !strings.Contains(stderr, tc.stderr) {
			t.Errorf("paydrill %q: stderr %q does not hold %q", tc.args, stderr, tc.stderr)
		}
	}
}
