package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const silentFreeze = "../../scenarios/silent-freeze.yaml"

func TestSweep(t *testing.T) {
	t.Parallel()
	args := []string{"sweep", silentFreeze, "--rates", "1/s,10/min", "--routers", "health,static", "--seeds", "2", "--progress", "off"}
	code, stdout, stderr := paydrill(t, context.Background(), args...)
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill %q: exit %d, stderr %q; want %d and nothing", args, code, stderr, exitPass)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("sweep table: %d lines, want 8 (heading, header, 4 rows, 2 routers' verdicts):\n%s", len(lines), stdout)
	}
	if want := "silent-freeze: fault gamma-silent (silent), 2 seeds per cell, target: fail over within 10m"; lines[0] != want {
		t.Errorf("heading %q, want %q", lines[0], want)
	}
	if got := strings.Fields(lines[1]); !cmp.Equal(got, strings.Fields("rate router detect median detect worst fail over median fail over worst seeds within (95%) within 10m")) {
		t.Errorf("header %q", lines[1])
	}
	var cells []string
	for _, l := range lines[2:6] {
		f := strings.Fields(l)
		cells = append(cells, f[0]+" "+f[1])
		if f[1] == "static" && l[len(l)-2:] != "no" {
			t.Errorf("static within 10m: %q, want no", l)
		}
	}
	if want := []string{"10/min health", "10/min static", "1/s health", "1/s static"}; !cmp.Equal(cells, want) {
		t.Errorf("rows %q, want %q (rates ascending, routers as given)", cells, want)
	}
	if lines[7] != "static never meets 10m in this sweep" {
		t.Errorf("last line %q, want static's verdict", lines[7])
	}
	if !strings.HasPrefix(lines[6], "health ") {
		t.Errorf("line %q, want health's verdict", lines[6])
	}
}

// The same sweep gives the same table whatever the number of workers.
func TestSweepJobs(t *testing.T) {
	t.Parallel()
	small := writeScenario(t, "small.yaml", strings.Replace(tiny, "traffic:\n", "traffic:\n  buyers: 500\n", 1))
	var outs []string
	for _, jobs := range []string{"1", "3"} {
		code, stdout, stderr := paydrill(t, context.Background(), "sweep", small, "--rates", "1/min,1/s",
			"--routers", "health,priority", "--seeds", "2", "--jobs", jobs, "-q", "--json", "-")
		if code != exitPass || stderr != "" {
			t.Fatalf("--jobs %s: exit %d, stderr %q", jobs, code, stderr)
		}
		outs = append(outs, stdout)
	}
	if diff := cmp.Diff(outs[0], outs[1]); diff != "" {
		t.Errorf("--jobs 1 and --jobs 3 differ (-1 +3):\n%s", diff)
	}
}

func TestSweepJSON(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sweep.json")
	code, stdout, _ := paydrill(t, context.Background(), "sweep", silentFreeze, "--rates", "10/min", "--routers", "static",
		"--seeds", "2", "--seed", "100", "--target", "5m", "--json", path, "--progress", "off")
	if code != exitPass {
		t.Errorf("exit %d, want %d", code, exitPass)
	}
	if !strings.Contains(stdout, "target: fail over within 5m\n") {
		t.Errorf("--json PATH still prints the table, with --target 5m:\n%s", stdout)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scenario  string           `json:"scenario"`
		Seeds     []uint64         `json:"seeds"`
		Rows      []map[string]any `json:"rows"`
		MeetsFrom []map[string]any `json:"meets_from"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if doc.Scenario != "silent-freeze" || !cmp.Equal(doc.Seeds, []uint64{100, 101}) || len(doc.Rows) != 1 || len(doc.MeetsFrom) != 1 {
		t.Fatalf("%s: scenario %q, seeds %v, %d rows, %d meets_from; want silent-freeze, [100 101], 1, 1", path, doc.Scenario, doc.Seeds, len(doc.Rows), len(doc.MeetsFrom))
	}
	row := doc.Rows[0]
	var keys []string
	for k := range row {
		keys = append(keys, k)
	}
	for _, k := range []string{"scenario", "fault", "rate", "rate_per_s", "router", "seeds", "detect_s", "failover_s",
		"detect_median_s", "detect_worst_s", "failover_median_s", "failover_worst_s", "meets"} {
		if _, ok := row[k]; !ok {
			t.Errorf("row has no %q key (has %q)", k, keys)
		}
	}
	want := map[string]any{"fault": "gamma-silent", "rate": "10/min", "router": "static", "meets": false, "target_s": 300.0,
		"failover_s": []any{nil, nil}, "failover_worst_s": nil}
	for k, v := range want {
		if !cmp.Equal(row[k], v) {
			t.Errorf("row[%q] = %v, want %v", k, row[k], v)
		}
	}
}

func TestSweepBadInput(t *testing.T) {
	t.Parallel()
	ramp := writeScenario(t, "ramp.yaml", strings.Replace(tiny, "{type: poisson, rate: 2/s}", "{type: ramp, stages: [{for: 5m, to: 2/s}]}", 1))
	good := writeScenario(t, "tiny.yaml", tiny)
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{good, "--rates", "fast"}, `--rates: "fast" is not a rate (write it like 20/s, 3/min or 100/h)`},
		{[]string{good, "--rates", "1/s,-2/min"}, `--rates: rate "-2/min" is negative`},
		{[]string{good, "--rates", "1/s,3/week"}, `unit "week" is not one of s, min, h`},
		{[]string{good, "--rates", "0"}, "rate 0/s: a swept rate must be above 0"},
		{[]string{good, "--rates", "1/s", "--routers", "health,fastest"}, `router "fastest" is not one of health, `},
		{[]string{good, "--rates", "1/s", "--routers", "static,static"}, `router "static" is given twice`},
		{[]string{ramp, "--rates", "1/s"}, "traffic.arrivals.type ramp has no base rate to replace"},
		{[]string{good}, "--rates is required"},
		{[]string{"--rates", "1/s"}, "give one scenario (FILE or builtin:NAME), got 0"},
		{[]string{good, good, "--rates", "1/s"}, "give one scenario (FILE or builtin:NAME), got 2"},
		{[]string{good, "--rates", "1/s", "--seeds", "0"}, "--seeds 0: at least 1"},
		{[]string{good, "--rates", "1/s", "--jobs", "-1"}, "--jobs -1: at least 1"},
		{[]string{good, "--rates", "1/s", "--target", "soon"}, `--target "soon"`},
		{[]string{good, "--rates", "1/s", "--progress", "loud"}, `--progress "loud" is not one of`},
		{[]string{"builtin:nope", "--rates", "1/s"}, `no built-in drill "nope"`},
		{[]string{good, "--rates", "1/s", "--bogus"}, "bogus"},
	} {
		args := append([]string{"sweep"}, tc.args...)
		code, stdout, stderr := paydrill(t, context.Background(), args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("paydrill %q: exit %d, stdout %q; want %d and nothing", args, code, stdout, exitUsage)
		}
		if !strings.Contains(stderr, tc.stderr) {
			t.Errorf("paydrill %q: stderr %q does not hold %q", args, stderr, tc.stderr)
		}
	}
}

// A cancelled sweep prints what it has, every cell marked, and exits 3.
func TestSweepCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, stdout, stderr := paydrill(t, ctx, "sweep", silentFreeze, "--rates", "1/s", "--routers", "health,static", "--progress", "off")
	if code != exitAborted || !strings.Contains(stderr, "paydrill sweep: interrupted") {
		t.Errorf("cancelled sweep: exit %d, stderr %q; want %d and a word that it was interrupted", code, stderr, exitAborted)
	}
	if strings.Count(stdout, " interrupted\n") != 2 || !strings.Contains(stdout, "INTERRUPTED:") {
		t.Errorf("cancelled sweep: cells not marked interrupted:\n%s", stdout)
	}
}

func TestSweepHelp(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := paydrill(t, context.Background(), "sweep", "--help")
	if code != exitPass || stderr != "" {
		t.Errorf("sweep --help: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"Usage: paydrill sweep", "Examples:\n  paydrill sweep", "--rates LIST", "--routers", "--seeds", "--jobs", "--json PATH", "Exit codes:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("sweep --help does not hold %q:\n%s", want, stdout)
		}
	}
	if _, stdout, _ := paydrill(t, context.Background(), "help"); !strings.Contains(stdout, "  sweep ") {
		t.Errorf("paydrill help does not list sweep:\n%s", stdout)
	}
}
