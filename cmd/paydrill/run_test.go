package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/drilltest"
	"github.com/paydrill/paydrill/reports"
)

// readReport decodes a JSON report and fails the test when it is not
// exactly one JSON document.
func readReport(t *testing.T, what string, data []byte) *reports.Report {
	t.Helper()
	if !json.Valid(data) {
		t.Fatalf("%s: not a single valid JSON document:\n%s", what, data)
	}
	r, err := reports.ReadJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return r
}

// withoutEngine re-encodes a JSON report without its "engine" object,
// which holds the only wall-clock figures.
func withoutEngine(t *testing.T, data string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("decoding report: %v", err)
	}
	if _, ok := m["engine"]; !ok {
		t.Fatalf("report has no engine object")
	}
	delete(m, "engine")
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRunVerdicts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"health router passes", []string{"run", "builtin:merchant-freeze", "--quiet"}, exitPass},
		{"static router fails", []string{"run", "builtin:merchant-freeze", "--router", "static", "--quiet"}, exitFail},
		{"short -q", []string{"run", "builtin:merchant-freeze", "-q", "--router", "static"}, exitFail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := paydrill(t, context.Background(), tc.args...)
			if code != tc.code {
				t.Errorf("paydrill %q: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
			}
			if stdout != "" || stderr != "" {
				t.Errorf("paydrill %q: --quiet wrote stdout %q, stderr %q; want nothing", tc.args, stdout, stderr)
			}
		})
	}
}

// With --json - stdout is the JSON report alone, and its verdict agrees
// with the exit code.
func TestRunJSONStdout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		router, verdict string
		code            int
	}{
		{"health", "pass", exitPass},
		{"static", "fail", exitFail},
	} {
		t.Run(tc.router, func(t *testing.T) {
			t.Parallel()
			args := []string{"run", "builtin:merchant-freeze", "--router", tc.router, "--json", "-"}
			code, stdout, stderr := paydrill(t, context.Background(), args...)
			if code != tc.code {
				t.Errorf("paydrill %q: exit %d, want %d (stderr %q)", args, code, tc.code, stderr)
			}
			if stderr != "" {
				t.Errorf("paydrill %q: stderr %q, want nothing (no progress off a terminal with --json -)", args, stderr)
			}
			r := readReport(t, "stdout", []byte(stdout))
			if r.Verdict != tc.verdict {
				t.Errorf("paydrill %q: verdict %q, want %q", args, r.Verdict, tc.verdict)
			}
			if r.Passed() != (code == exitPass) {
				t.Errorf("paydrill %q: verdict %q disagrees with exit %d", args, r.Verdict, code)
			}
			if r.Scenario.Router != tc.router || r.Scenario.Name != "merchant-freeze" || r.Scenario.Seed != 20261127 {
				t.Errorf("paydrill %q: scenario %+v, want merchant-freeze, router %s, seed 20261127", args, r.Scenario, tc.router)
			}
			if want := "paydrill run builtin:merchant-freeze --router " + tc.router + " --seed 20261127"; r.Reproduce != want {
				t.Errorf("paydrill %q: reproduce %q, want %q", args, r.Reproduce, want)
			}
			if r.Interrupted || len(r.Violations) > 0 {
				t.Errorf("paydrill %q: interrupted %v, violations %q", args, r.Interrupted, r.Violations)
			}
		})
	}
}

// --json PATH writes the file and still prints the summary.
func TestRunJSONFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "report.json")
	code, stdout, _ := paydrill(t, context.Background(), "run", "builtin:merchant-freeze", "--json", path, "--progress", "off")
	if code != exitPass {
		t.Errorf("exit %d, want %d", code, exitPass)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("--json %s: %v", path, err)
	}
	r := readReport(t, path, data)
	if r.Verdict != "pass" {
		t.Errorf("%s: verdict %q, want pass", path, r.Verdict)
	}
	for _, want := range []string{"paydrill merchant-freeze: router health, seed 20261127\n", "\nVerdict: PASS\n",
		"Reproduce: paydrill run builtin:merchant-freeze --router health --seed 20261127\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary does not hold %q:\n%s", want, stdout)
		}
	}
	// The file and the summary describe the same run.
	var text bytes.Buffer
	if err := reports.WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(text.String(), stdout); diff != "" {
		t.Errorf("summary differs from the text of the JSON report (-json +stdout):\n%s", diff)
	}

	// A path that cannot be created is refused before the run.
	bad := filepath.Join(t.TempDir(), "no", "such", "dir.json")
	code, _, stderr := paydrill(t, context.Background(), "run", "builtin:timeout-storm", "--json", bad, "-q")
	if code != exitUsage || !strings.Contains(stderr, "--json") {
		t.Errorf("--json %s: exit %d, stderr %q; want %d and an error naming --json", bad, code, stderr, exitUsage)
	}
}

// One seed gives the same report byte for byte (the engine object aside);
// another seed gives other figures.
func TestRunDeterminism(t *testing.T) {
	t.Parallel()
	report := func(seed string) string {
		t.Helper()
		args := []string{"run", "builtin:timeout-storm", "--json", "-", "--seed", seed}
		code, stdout, stderr := paydrill(t, context.Background(), args...)
		if code != exitPass && code != exitFail {
			t.Fatalf("paydrill %q: exit %d (stderr %q)", args, code, stderr)
		}
		return stdout
	}
	a, b, c := report("42"), report("42"), report("43")
	if a == b {
		t.Log("two runs of seed 42 are identical even with the engine object (wall-clock figures matched)")
	}
	if diff := cmp.Diff(withoutEngine(t, a), withoutEngine(t, b)); diff != "" {
		t.Errorf("two runs of seed 42 differ (-first +second):\n%s", diff)
	}
	ra, rc := readReport(t, "seed 42", []byte(a)), readReport(t, "seed 43", []byte(c))
	if ra.Scenario.Seed != 42 || rc.Scenario.Seed != 43 {
		t.Errorf("--seed not in the report: got seeds %d and %d, want 42 and 43", ra.Scenario.Seed, rc.Scenario.Seed)
	}
	if !strings.HasSuffix(ra.Reproduce, "--seed 42") {
		t.Errorf("reproduce %q does not carry --seed 42", ra.Reproduce)
	}
	if cmp.Equal(ra.Orders, rc.Orders) || cmp.Equal(ra.Latency, rc.Latency) {
		t.Errorf("seeds 42 and 43 gave the same figures: orders %+v, latency %+v", ra.Orders, ra.Latency)
	}
}

// A cancelled context stops the run early; the partial report is still
// printed, marked interrupted, and the exit code is 3.
func TestRunCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	code, stdout, stderr := paydrill(t, ctx, "run", "builtin:merchant-freeze", "--progress", "off")
	if code != exitAborted {
		t.Errorf("cancelled run: exit %d, want %d", code, exitAborted)
	}
	for _, want := range []string{"INTERRUPTED: the figures below cover only what ran.", "Verdict: FAIL"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("cancelled run: summary does not hold %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "interrupted; the report covers what ran") {
		t.Errorf("cancelled run: stderr %q does not say it was interrupted", stderr)
	}

	code, stdout, _ = paydrill(t, ctx, "run", "builtin:merchant-freeze", "--json", "-")
	if code != exitAborted {
		t.Errorf("cancelled run --json -: exit %d, want %d", code, exitAborted)
	}
	r := readReport(t, "cancelled run", []byte(stdout))
	if !r.Interrupted || r.Verdict != "fail" {
		t.Errorf("cancelled run: interrupted %v, verdict %q; want true, fail", r.Interrupted, r.Verdict)
	}
	// The engine looks at ctx before it starts: nothing runs.
	if r.Engine.Events != 0 {
		t.Errorf("cancelled run: %d events, want 0", r.Engine.Events)
	}
	if r.Engine.SimulatedS >= r.Scenario.DurationS {
		t.Errorf("cancelled run simulated %gs of %gs", r.Engine.SimulatedS, r.Scenario.DurationS)
	}

	// Given several files, a cancelled run stops after the first.
	code, stdout, _ = paydrill(t, ctx, "run", "builtin:merchant-freeze", "builtin:silent-freeze", "-q")
	if code != exitAborted || stdout != "" {
		t.Errorf("cancelled run of two drills -q: exit %d, stdout %q; want %d and nothing", code, stdout, exitAborted)
	}
}

// An interrupted run keeps orders still in flight apart (not lost, not
// stranded) and does not judge fail-back of a fault whose end it never
// reached.
func TestInterruptedRunKeepsPendingOrdersInFlight(t *testing.T) {
	// Interrupted at the engine's fourth check (some 50,000 events, about
	// 19 minutes into the drill), with async pay pages open.
	code, stdout, _ := paydrill(t, drilltest.CancelAfter(4), "run", "builtin:merchant-freeze", "--json", "-")
	if code != exitAborted {
		t.Errorf("interrupted run: exit %d, want %d", code, exitAborted)
	}
	r := readReport(t, "interrupted run", []byte(stdout))
	if !r.Interrupted || r.Orders.Created == 0 {
		t.Fatalf("interrupted %v with %d orders created; the test needs an interrupt inside the run", r.Interrupted, r.Orders.Created)
	}
	if r.Orders.InFlight == 0 || r.Orders.Lost != 0 || r.Orders.Stranded != 0 {
		t.Errorf("interrupted run of a drill that loses nothing: lost %d, stranded %d, %d in flight; want orders in flight, none lost or stranded (pending, not lost)",
			r.Orders.Lost, r.Orders.Stranded, r.Orders.InFlight)
	}
	for _, e := range r.Expectations {
		if e.Name == "failback_within" && r.Engine.SimulatedS < r.Faults[0].EndS {
			t.Errorf("failback_within judged (%s) though the run stopped at %gs, before the fault ended at %gs",
				e.Got, r.Engine.SimulatedS, r.Faults[0].EndS)
		}
	}
}

// Progress bars go to stderr and leave stdout to the summary.
func TestRunProgressModes(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"bars", "plain", "off", "auto"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			code, stdout, _ := paydrill(t, context.Background(), "run", "builtin:timeout-storm", "--progress", mode)
			if code != exitPass {
				t.Errorf("--progress %s: exit %d, want %d", mode, code, exitPass)
			}
			if !strings.HasPrefix(stdout, "paydrill timeout-storm: router health, seed 11\n") || !strings.HasSuffix(stdout, "--seed 11\n") {
				t.Errorf("--progress %s: stdout is not the summary alone:\n%s", mode, stdout)
			}
		})
	}
}

// tinyPass is tiny renamed; the health router passes it.
var tinyPass = strings.Replace(tiny, "name: tiny", "name: tiny-pass", 1)

// tableRows returns the rows of the run table at the head of stdout (up
// to the first blank line), each cut into its columns, without the
// header; with noWall the wall-time column is dropped.
func tableRows(t *testing.T, stdout string, noWall bool) [][]string {
	t.Helper()
	head, _, _ := strings.Cut(stdout, "\n\n")
	lines := strings.Split(strings.TrimRight(head, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "drill ") {
		t.Fatalf("stdout does not start with the run table:\n%s", stdout)
	}
	var rows [][]string
	for _, l := range lines[1:] {
		cols := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(l), -1)
		if noWall {
			cols = cols[:len(cols)-1]
		}
		rows = append(rows, cols)
	}
	return rows
}

// Several drills: one table, a row per drill in the order given, then the
// full summary of each failed drill only; the exit code is the worst.
func TestRunSeveral(t *testing.T) {
	t.Parallel()
	good := writeScenario(t, "good.yaml", tinyPass)
	bad := writeScenario(t, "tiny.yaml", strings.Replace(tiny, "faults:", "router: {strategy: static}\nfaults:", 1))
	code, stdout, stderr := paydrill(t, context.Background(), "run", good, bad, "builtin:timeout-storm", "--progress", "off")
	if code != exitFail || stderr != "" {
		t.Errorf("exit %d, stderr %q; want %d and nothing", code, stderr, exitFail)
	}
	rows := tableRows(t, stdout, true)
	want := [][]string{
		{"tiny-pass", "health", "PASS", "freeze", "2.729s ±200ms / 2.729s ±200ms", "0", "0", "0", rows[0][8]},
		{"tiny", "static", "FAIL", "freeze", "never / never", "0", "0", "0", rows[1][8]},
		{"timeout-storm", "health", "PASS", "alpha-slow", "10.312s ±32ms / 10.312s ±32ms", "0", "0", "0", rows[2][8]},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("run table (-want +got):\n%s\n%s", diff, stdout)
	}
	for _, r := range rows {
		if !regexp.MustCompile(`^\d+\.\d%$`).MatchString(r[8]) {
			t.Errorf("conversion %q is not a percentage", r[8])
		}
	}
	if n := strings.Count(stdout, "\nVerdict: "); n != 1 || !strings.Contains(stdout, "\n\npaydrill tiny: router static, seed 1\n") {
		t.Errorf("%d summaries, want 1: the failed tiny's, after a blank line:\n%s", n, stdout)
	}
	if !strings.HasSuffix(stdout, "Reproduce: paydrill run "+bad+" --router static --seed 1\n") {
		t.Errorf("output does not end with the failed drill's summary:\n%s", stdout)
	}
}

// However many run at once, the results are those of running them one
// by one: the same table, wall times aside, and the same summaries.
func TestRunSeveralJobs(t *testing.T) {
	t.Parallel()
	files := []string{writeScenario(t, "a.yaml", tiny), "builtin:timeout-storm", writeScenario(t, "b.yaml", tinyPass), "builtin:silent-freeze"}
	out := map[string]string{}
	var tables [][][]string
	for _, jobs := range []string{"1", "4"} {
		args := append([]string{"run", "--router", "priority", "--jobs", jobs, "--progress", "off", "--details"}, files...)
		code, stdout, stderr := paydrill(t, context.Background(), args...)
		if code != exitFail {
			t.Errorf("--jobs %s: exit %d, want %d (stderr %q)", jobs, code, exitFail, stderr)
		}
		tables = append(tables, tableRows(t, stdout, true))
		out[jobs] = stdout
	}
	if diff := cmp.Diff(tables[0], tables[1]); diff != "" {
		t.Errorf("tables of --jobs 1 and --jobs 4 differ (-1 +4):\n%s", diff)
	}
	// The summaries differ only in their wall-clock line.
	wall := regexp.MustCompile(`(?m)^  virtual time: .*$`)
	table := regexp.MustCompile(`(?s)^.*?\n\n`)
	strip := func(s string) string { return wall.ReplaceAllString(table.ReplaceAllString(s, ""), "") }
	if diff := cmp.Diff(strip(out["1"]), strip(out["4"])); diff != "" {
		t.Errorf("summaries of --jobs 1 and --jobs 4 differ (-1 +4):\n%s", diff)
	}
	if len(tables[0]) != 4 || tables[0][3][0] != "silent-freeze" || tables[0][3][2] != "FAIL" {
		t.Errorf("table %q: want 4 rows, silent-freeze last failing with priority", tables[0])
	}
}

// --details prints every drill's summary after the table, in order.
func TestRunSeveralDetails(t *testing.T) {
	t.Parallel()
	a, b := writeScenario(t, "a.yaml", tinyPass), writeScenario(t, "b.yaml", tinyPass)
	code, stdout, _ := paydrill(t, context.Background(), "run", a, "builtin:timeout-storm", b, "--details", "--progress", "off")
	if code != exitPass {
		t.Errorf("exit %d, want %d", code, exitPass)
	}
	if n := strings.Count(stdout, "\nVerdict: PASS\n"); n != 3 {
		t.Errorf("--details: %d summaries, want 3:\n%s", n, stdout)
	}
	ia, it, ib := strings.Index(stdout, "--seed 1\n\npaydrill timeout-storm:"), strings.Index(stdout, "Reproduce: paydrill run builtin:timeout-storm"),
		strings.Index(stdout, "Reproduce: paydrill run "+b)
	if ia < 0 || it < ia || ib < it {
		t.Errorf("--details: summaries not in the order given, one blank line apart:\n%s", stdout)
	}
	// Without --details, a passing set prints the table alone.
	code, stdout, _ = paydrill(t, context.Background(), "run", a, "builtin:timeout-storm", "--progress", "off")
	if code != exitPass || strings.Contains(stdout, "Verdict:") || len(tableRows(t, stdout, false)) != 2 {
		t.Errorf("passing drills without --details: exit %d, want %d and the table alone:\n%s", code, exitPass, stdout)
	}
}

// --json DIR: the directory is created and gets one NAME.json per drill;
// a second drill of the same name gets NAME-2.json.
func TestRunSeveralJSONDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "reports", "nightly")
	a := writeScenario(t, "a.yaml", tiny)
	args := []string{"run", a, "builtin:timeout-storm", a, "--router", "static", "--json", dir + "/", "-q"}
	code, stdout, stderr := paydrill(t, context.Background(), args...)
	if code != exitFail || stdout != "" || stderr != "" {
		t.Errorf("paydrill %q: exit %d, stdout %q, stderr %q; want %d and nothing", args, code, stdout, stderr, exitFail)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"timeout-storm.json", "tiny-2.json", "tiny.json"}; !cmp.Equal(names, want) {
		t.Errorf("--json %s holds %q, want %q", dir, names, want)
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		r := readReport(t, n, data)
		if r.Scenario.Router != "static" || r.Verdict != "fail" || n != r.Scenario.Name+".json" && n != r.Scenario.Name+"-2.json" {
			t.Errorf("%s: scenario %q, router %q, verdict %q; want its own name, static, fail", n, r.Scenario.Name, r.Scenario.Router, r.Verdict)
		}
	}

	// A directory that cannot be made: exit 2, nothing run.
	file := writeScenario(t, "plain-file", "x")
	code, _, stderr = paydrill(t, context.Background(), "run", a, a, "--json", filepath.Join(file, "sub")+"/", "-q")
	if code != exitUsage || !strings.Contains(stderr, "--json") {
		t.Errorf("--json under a file: exit %d, stderr %q; want %d and an error naming --json", code, stderr, exitUsage)
	}
}

func TestRunSeveralBadJobs(t *testing.T) {
	t.Parallel()
	code, _, stderr := paydrill(t, context.Background(), "run", "builtin:timeout-storm", "builtin:merchant-freeze", "--jobs", "-1")
	if code != exitUsage || !strings.Contains(stderr, "--jobs -1: at least 1") {
		t.Errorf("--jobs -1: exit %d, stderr %q; want %d and a message", code, stderr, exitUsage)
	}
}

// Plain progress off a terminal: a line per finished drill, on stderr.
func TestRunSeveralPlainProgress(t *testing.T) {
	t.Parallel()
	a := writeScenario(t, "a.yaml", tinyPass)
	code, _, stderr := paydrill(t, context.Background(), "run", a, "builtin:timeout-storm", "--router", "static", "--progress", "plain", "--jobs", "1")
	if code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
	want := "paydrill: 1/2 done: tiny-pass FAIL\npaydrill: 2/2 done: timeout-storm FAIL\n"
	if stderr != want {
		t.Errorf("--progress plain --jobs 1: stderr %q, want %q", stderr, want)
	}
}

// A Ctrl-C before several drills start: none runs, the table says so,
// stderr names them, and the exit code says the run was not carried out.
func TestCancelledRunOfSeveralSaysSo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	short := writeScenario(t, "tiny.yaml", tiny)
	code, stdout, stderr := paydrill(t, ctx, "run", short, "builtin:merchant-freeze", "--progress", "off")
	if code != exitAborted {
		t.Errorf("cancelled run of two drills: exit %d, want %d (stderr %q)", code, exitAborted, stderr)
	}
	if want := "paydrill run: interrupted; not run: " + short + " builtin:merchant-freeze\n"; !strings.Contains(stderr, want) {
		t.Errorf("cancelled run of two drills: stderr %q does not hold %q", stderr, want)
	}
	rows := tableRows(t, stdout, false)
	if len(rows) != 2 || rows[0][2] != "NOT RUN" || rows[1][0] != "merchant-freeze" || rows[1][2] != "NOT RUN" {
		t.Errorf("cancelled run of two drills: table rows %q, want both NOT RUN", rows)
	}
}
