package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// engineLine is the text summary's one wall-clock line.
var engineLine = regexp.MustCompile(`(?m)^  \d+ seed runs in .*\n`)

// shardRun runs args with --shard i/n for every i and returns each
// shard's stdout (its partial result line).
func shardRun(t *testing.T, n int, args ...string) []string {
	t.Helper()
	var outs []string
	for i := range n {
		a := append(append([]string{}, args...), "--shard", fmt.Sprintf("%d/%d", i, n), "-q")
		code, stdout, stderr := paydrill(t, context.Background(), a...)
		if code != exitPass || stderr != "" {
			t.Fatalf("paydrill %q: exit %d, stderr %q; want 0 and nothing", a, code, stderr)
		}
		if strings.Count(stdout, "\n") != 1 {
			t.Fatalf("paydrill %q: stdout holds %d lines, want one partial line", a, strings.Count(stdout, "\n"))
		}
		outs = append(outs, stdout)
	}
	return outs
}

// merge runs paydrill merge with stdin and returns the exit code and outputs.
func merge(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cmdMerge(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// Shards of run --seeds, merged, give what one process gives: the JSON
// and the text summary, byte for byte apart from the engine's wall-clock
// figures, whatever the order the partials come in and the log lines
// around them.
func TestShardMergeSeeds(t *testing.T) {
	t.Parallel()
	args := []string{"run", "builtin:merchant-freeze", "--seeds", "40"}
	wholeJSON := filepath.Join(t.TempDir(), "whole.json")
	code, wholeText, stderr := paydrill(t, context.Background(), append(args, "--json", wholeJSON, "--progress", "off")...)
	if code != exitInconclusive && code != exitPass && code != exitFail || stderr != "" {
		t.Fatalf("paydrill %q: exit %d, stderr %q", args, code, stderr)
	}
	b, err := os.ReadFile(wholeJSON)
	if err != nil {
		t.Fatal(err)
	}
	whole := string(b)
	parts := shardRun(t, 8, args...)

	// As kubectl logs --prefix gives them: pod-prefixed, shuffled, among
	// progress lines.
	var log strings.Builder
	for _, i := range []int{5, 0, 7, 2, 1, 6, 3, 4} {
		fmt.Fprintf(&log, "[pod/paydrill-%d-x/paydrill] paydrill: merchant-freeze seeds 5/5 runs done\n", i)
		fmt.Fprintf(&log, "[pod/paydrill-%d-x/paydrill] %s", i, parts[i])
	}
	mcode, merged, mstderr := merge(t, log.String(), "-", "--json", "-")
	if mcode != code || mstderr != "" {
		t.Fatalf("merge: exit %d, stderr %q; want %d (the whole run's) and nothing", mcode, mstderr, code)
	}
	if diff := cmp.Diff(withoutEngine(t, whole), withoutEngine(t, merged)); diff != "" {
		t.Errorf("merged JSON differs from one process's (-whole +merged):\n%s", diff)
	}
	_, mergedText, _ := merge(t, log.String(), "-")
	if diff := cmp.Diff(engineLine.ReplaceAllString(wholeText, ""), engineLine.ReplaceAllString(mergedText, "")); diff != "" {
		t.Errorf("merged summary differs from one process's (-whole +merged):\n%s", diff)
	}
	if !engineLine.MatchString(mergedText) {
		t.Errorf("merged summary has no engine line:\n%s", mergedText)
	}

	// The same from files, and with --partial.
	dir := t.TempDir()
	var files []string
	for i, p := range parts {
		f := filepath.Join(dir, fmt.Sprintf("part-%d.json", i))
		if err := os.WriteFile(f, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	_, fromFiles, _ := merge(t, "", append(files, "--json", "-")...)
	if fromFiles != merged {
		t.Errorf("merge of files differs from merge of stdin")
	}
	if _, fromDir, _ := merge(t, "", dir, "--json", "-"); fromDir != merged {
		t.Errorf("merge of a directory differs from merge of stdin")
	}
	p7 := filepath.Join(dir, "p7.json")
	pcode, pout, perr := paydrill(t, context.Background(), append(args, "--shard", "7/8", "-q", "--partial", p7)...)
	if pcode != exitPass || pout != "" || perr != "" {
		t.Errorf("--partial: exit %d, stdout %q, stderr %q; want 0 and nothing", pcode, pout, perr)
	}
	_, withP7, _ := merge(t, "", append(files[:7:7], p7, "--json", "-")...)
	if withoutEngine(t, withP7) != withoutEngine(t, merged) {
		t.Errorf("merge with --partial's file differs from merge of stdout's lines")
	}
}

// merge refuses, exit 2 with the reason, a set of partials that is not
// every shard of one job once.
func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	small := writeScenario(t, "small.yaml", tiny)
	args := []string{"run", small, "--seeds", "4"}
	parts := shardRun(t, 3, args...)
	other := shardRun(t, 3, "run", small, "--seeds", "5")
	static := shardRun(t, 3, append(args, "--router", "static")...)
	two := shardRun(t, 2, args...)
	if err := os.WriteFile(small, []byte(strings.Replace(tiny, "for: 3m", "for: 4m", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := shardRun(t, 3, args...)
	if code, _, stderr := merge(t, strings.Join(parts, ""), "-", "-q"); code == exitUsage {
		t.Fatalf("merge of every shard: exit 2: %s", stderr)
	}
	// An interrupted shard run again: its complete result stands.
	evicted := strings.Replace(parts[1], `"shard":`, `"interrupted":true,"shard":`, 1)
	if code, _, stderr := merge(t, parts[0]+evicted+parts[1]+parts[2], "-", "-q"); code == exitUsage {
		t.Errorf("merge of an evicted shard's two results: exit 2: %s", stderr)
	}
	for _, tc := range []struct {
		name, stdin, want string
	}{
		{"missing", parts[0] + parts[2], "missing shard 1 of 3 (have 2 of 3 shards)"},
		{"duplicate", parts[0] + parts[1] + parts[1] + parts[2], "shard 1/3 given twice (stdin:2 and stdin:3)"},
		{"other seeds", parts[0] + other[1] + parts[2], "stdin:2 has seeds 1..5, stdin:1 has 1..4: shards of different jobs"},
		{"other router", parts[0] + static[1] + parts[2], "stdin:2 has routers [static], stdin:1 has [health]"},
		{"other scenario bytes", parts[0] + edited[1] + parts[2], "has sha256 "},
		{"other shard count", parts[0] + two[1] + parts[2], "has shard count 2, stdin:1 has 3"},
		{"other version", parts[0] + strings.Replace(parts[1], `"version":"`+version+`"`, `"version":"v9"`, 1) + parts[2], "has paydrill version v9, stdin:1 has " + version},
		{"other format", parts[0] + strings.Replace(parts[1], "partial/v1", "partial/v2", 1), `stdin:2: partial result of format "paydrill.partial/v2": this paydrill reads "paydrill.partial/v1"`},
		{"interrupted", parts[0] + strings.Replace(parts[1], `"shard":`, `"interrupted":true,"shard":`, 1) + parts[2], "stdin:2: shard 1/3 was interrupted"},
		{"foreign items", parts[0] + strings.Replace(parts[1], `"items":[1]`, `"items":[2]`, 1) + parts[2], "stdin:2: shard 1/3 holds items [2], not the shard's own"},
		{"unknown field", strings.Replace(parts[0], `"shard":`, `"colour":"red","shard":`, 1), `stdin:1: partial result: json: unknown field "colour"`},
		{"nothing", "paydrill: progress\n", "stdin: no partial result in it"},
	} {
		code, stdout, stderr := merge(t, tc.stdin, "-")
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("merge %s: exit %d, stdout %q, stderr %q; want exit 2, no output, and %q", tc.name, code, stdout, stderr, tc.want)
		}
	}
	// Shards refuse what only the whole can do.
	for _, a := range [][]string{
		{"--shard", "3/3"}, {"--shard", "1"}, {"--shard", "0/2", "--html", "x.html"}, {"--shard", "0/2", "--stop-early"},
	} {
		full := append(append([]string{}, args...), a...)
		if code, _, stderr := paydrill(t, context.Background(), full...); code != exitUsage || stderr == "" {
			t.Errorf("paydrill %q: exit %d, stderr %q; want 2 and the reason", full, code, stderr)
		}
	}
	if code, _, stderr := paydrill(t, context.Background(), "run", small, "--shard", "0/2"); code != exitUsage || !strings.Contains(stderr, "--shard goes with --seeds") {
		t.Errorf("run --shard without --seeds: exit %d, stderr %q", code, stderr)
	}
}

// Shards of a sweep, merged, give the table and JSON of one process byte
// for byte (a sweep has no wall-clock figure), and the items of each
// shard are spread over rates: shard 0 of 5 is not the cheap low rates.
func TestShardMergeSweep(t *testing.T) {
	t.Parallel()
	small := writeScenario(t, "small.yaml", strings.Replace(tiny, "traffic:\n", "traffic:\n  buyers: 500\n", 1))
	args := []string{"sweep", small, "--rates", "1/s,1/min", "--routers", "health,static", "--seeds", "3", "--target", "90s"}
	jsonPath := filepath.Join(t.TempDir(), "whole.json")
	code, wholeText, stderr := paydrill(t, context.Background(), append(args, "--progress", "off", "--json", jsonPath)...)
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill %q: exit %d, stderr %q", args, code, stderr)
	}
	wholeJSON, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	parts := shardRun(t, 5, args...)
	if !strings.Contains(parts[0], `"items":[0,5,10]`) {
		t.Errorf("shard 0/5 of 12 items: %.300s..., want items 0, 5 and 10", parts[0])
	}
	stdin := parts[3] + parts[1] + parts[4] + parts[0] + parts[2]
	mcode, mergedText, mstderr := merge(t, stdin, "-")
	if mcode != exitPass || mstderr != "" {
		t.Fatalf("merge: exit %d, stderr %q", mcode, mstderr)
	}
	if diff := cmp.Diff(wholeText, mergedText); diff != "" {
		t.Errorf("merged sweep table differs (-whole +merged):\n%s", diff)
	}
	_, mergedJSON, _ := merge(t, stdin, "-", "--json", "-")
	if diff := cmp.Diff(string(wholeJSON), mergedJSON); diff != "" {
		t.Errorf("merged sweep JSON differs (-whole +merged):\n%s", diff)
	}
	other := shardRun(t, 5, append(args[:len(args)-2:len(args)-2], "--target", "2m")...)
	if code, _, stderr := merge(t, parts[0]+parts[1]+other[2]+parts[3]+parts[4], "-"); code != exitUsage || !strings.Contains(stderr, "target_ns") {
		t.Errorf("merge of shards with different --target: exit %d, stderr %q; want 2 and the reason", code, stderr)
	}
	if code, _, stderr := paydrill(t, context.Background(), append(args, "--shard", "0/2", "--json", "x.json")...); code != exitUsage || !strings.Contains(stderr, "partial result, not reports") {
		t.Errorf("sweep --shard --json: exit %d, stderr %q; want 2 and the reason", code, stderr)
	}
}

func TestKubeJob(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := paydrill(t, context.Background(), "kube", "job", "--shards", "8", "--", "run", "builtin:merchant-freeze", "--seeds", "400")
	if code != exitPass || stderr != "" || !strings.Contains(stdout, "- $(JOB_COMPLETION_INDEX)/8\n") || !strings.Contains(stdout, "completionMode: Indexed\n") {
		t.Errorf("kube job: exit %d, stderr %q, manifest:\n%s", code, stderr, stdout)
	}
	small := writeScenario(t, "small.yaml", tiny)
	if _, stdout, _ := paydrill(t, context.Background(), "kube", "job", "--shards", "2", "--", "sweep", small, "--rates", "1/s"); !strings.Contains(stdout, "kind: ConfigMap") || !strings.Contains(stdout, "- /etc/paydrill/small.yaml\n") {
		t.Errorf("kube job of a file: no ConfigMap mounted for it:\n%s", stdout)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"job", "--", "run", "builtin:merchant-freeze", "--seeds", "4"}, "--shards 0"},
		{[]string{"job", "--shards", "2", "--", "run", "builtin:merchant-freeze"}, "add --seeds"},
		{[]string{"job", "--shards", "2", "--", "validate", "builtin:merchant-freeze"}, "shards run --seeds, sweep or compare"},
		{[]string{"job", "--shards", "2", "--", "run", "builtin:merchant-freeze", "--seeds", "4", "--html", "x.html"}, "give --html to paydrill merge"},
		{[]string{"job", "--shards", "2", "--", "run", "builtin:nope", "--seeds", "4"}, "no built-in drill"},
		{[]string{"job", "--shards", "2", "run", "builtin:merchant-freeze", "--seeds", "4"}, "after --"},
		{[]string{"pods"}, "the subcommand is job"},
	} {
		code, stdout, stderr := paydrill(t, context.Background(), append([]string{"kube"}, tc.args...)...)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("paydrill kube %q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// Shards of a comparison, merged, give its table byte for byte and its
// JSON apart from each report's engine block.
func TestShardMergeCompare(t *testing.T) {
	t.Parallel()
	small := writeScenario(t, "small.yaml", tiny)
	args := []string{"compare", small, "--routers", "health,static,priority", "--progress", "off"}
	code, wholeText, stderr := paydrill(t, context.Background(), args...)
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill %q: exit %d, stderr %q", args, code, stderr)
	}
	_, wholeJSON, _ := paydrill(t, context.Background(), append(args, "--json", "-")...)
	var parts []string
	for i := range 2 {
		a := append(append([]string{}, args...), "--shard", fmt.Sprintf("%d/2", i))
		code, stdout, _ := paydrill(t, context.Background(), a...)
		if code != exitPass {
			t.Fatalf("paydrill %q: exit %d", a, code)
		}
		parts = append(parts, stdout)
	}
	mcode, mergedText, mstderr := merge(t, parts[1]+parts[0], "-")
	if mcode != exitPass || mstderr != "" {
		t.Fatalf("merge: exit %d, stderr %q", mcode, mstderr)
	}
	if diff := cmp.Diff(wholeText, mergedText); diff != "" {
		t.Errorf("merged comparison differs (-whole +merged):\n%s", diff)
	}
	_, mergedJSON, _ := merge(t, parts[0]+parts[1], "-", "--json", "-")
	engine := regexp.MustCompile(`(?s)"engine": \{.*?\n        \}`)
	if diff := cmp.Diff(engine.ReplaceAllString(wholeJSON, ""), engine.ReplaceAllString(mergedJSON, "")); diff != "" {
		t.Errorf("merged comparison JSON differs apart from the engine blocks (-whole +merged):\n%s", diff)
	}
	if strings.Count(wholeJSON, `"engine": {`) != 3 {
		t.Errorf("the comparison JSON holds %d engine blocks, want one per router", strings.Count(wholeJSON, `"engine": {`))
	}
	if code, _, stderr := paydrill(t, context.Background(), append(args, "--shard", "0/2", "--replay", "x.csv")...); code != exitUsage || !strings.Contains(stderr, "not --replay") {
		t.Errorf("compare --shard --replay: exit %d, stderr %q", code, stderr)
	}
}
