package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
)

// A freeze that three orders reach cannot be judged: the run says
// inconclusive, why, and exits 4 (finding 4 of the small-shop issue:
// it used to print FAIL).
func TestRunTooFewOrdersIsInconclusive(t *testing.T) {
	file := writeScenario(t, "thin.yaml", `name: thin
duration: 2h
traffic:
  arrivals: {type: poisson, rate: 12/h}
providers:
  - name: alpha
  - name: beta
faults:
  - {name: freeze, type: suspend, at: 1h40m, for: 15m, target: {providers: [alpha]}}
`)
	code, out, stderr := call(t, "run", file, "--seed", "3", "--progress", "off")
	if code != exitInconclusive {
		t.Fatalf("exit %d, want %d (inconclusive)\n%s%s", code, exitInconclusive, out, stderr)
	}
	for _, want := range []string{"INCONCLUSIVE  failover_within (freeze)", "Verdict: INCONCLUSIVE", "could not fill a window of 10 samples"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Every channel frozen at once: nothing can move, so fail back is not
// applicable rather than a FAIL (finding 5).
func TestRunFailbackWhenNothingMovedIsNotApplicable(t *testing.T) {
	dir := t.TempDir()
	file := writeScenario(t, "all.yaml", `name: all-frozen
duration: 40m
traffic:
  arrivals: {type: poisson, rate: 1/s}
providers:
  - name: alpha
  - name: beta
faults:
  - {name: freeze, type: suspend, at: 10m, for: 10m, target: {providers: [alpha, beta]}}
expect: {failover_within: off, failback_within: 5m}
`)
	code, out, stderr := call(t, "run", file, "--progress", "off", "--json", filepath.Join(dir, "r.json"))
	if code == exitUsage || code == exitAborted {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r reports.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range r.Expectations {
		if e.Name == "failback_within" {
			found = true
			if e.Outcome != reports.NotApplicable || !e.Pass {
				t.Errorf("failback_within: outcome %q pass %v, want n/a\n%s", e.Outcome, e.Pass, out)
			}
		}
	}
	if !found {
		t.Errorf("no failback_within among %+v", r.Expectations)
	}
}

// The power check: before any run, validate and run say when a fault's
// traffic cannot decide a limit, and how to make it decidable; --strict
// refuses.
func TestPowerCheckWarnsAndStrictRefuses(t *testing.T) {
	file := writeScenario(t, "thin.yaml", `name: thin
duration: 2h
traffic:
  arrivals: {type: poisson, rate: 1/min}
providers:
  - name: alpha
  - name: beta
faults:
  - {name: freeze, type: suspend, at: 1h, for: 15m, target: {providers: [alpha]}}
`)
	code, _, stderr := call(t, "validate", file)
	if code != exitPass || !strings.Contains(stderr, "warning: fault freeze: failover_within 10m0s cannot be decided") ||
		!strings.Contains(stderr, "make the fault at least 20m0s long") {
		t.Errorf("validate: exit %d, stderr %q; want 0 and a warning with the fault length that would decide it", code, stderr)
	}
	if code, _, _ := call(t, "validate", "--strict", file); code != exitUsage {
		t.Errorf("validate --strict: exit %d, want %d", code, exitUsage)
	}
	if code, _, stderr := call(t, "run", "--strict", file, "--progress", "off"); code != exitUsage || !strings.Contains(stderr, "not run") {
		t.Errorf("run --strict: exit %d, stderr %q; want %d, not run", code, stderr, exitUsage)
	}
	// Long enough: no warning.
	long := writeScenario(t, "long.yaml", strings.Replace(readFile(t, file), "for: 15m", "for: 40m", 1))
	if code, _, stderr := call(t, "validate", "--strict", long); code != exitPass || stderr != "" {
		t.Errorf("validate --strict of a 40m fault: exit %d, stderr %q; want 0, nothing", code, stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
