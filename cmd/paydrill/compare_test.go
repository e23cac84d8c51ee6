package main

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// compare --json writes snake_case keys, those of the reports for the
// same figures, as run, run --seeds and sweep do.
func TestCompareJSONKeys(t *testing.T) {
	t.Parallel()
	small := writeScenario(t, "small.yaml", tiny)
	args := []string{"compare", small, "--routers", "health,static", "--json", "-"}
	code, stdout, stderr := paydrill(t, context.Background(), args...)
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill %q: exit %d, stderr %q; want 0 and nothing (no progress off a terminal with --json -)", args, code, stderr)
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("paydrill %q: stdout is not a JSON object: %v\n%s", args, err, stdout)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	keys := func(what string, m map[string]json.RawMessage, want []string) {
		t.Helper()
		got := slices.Sorted(maps.Keys(m))
		for _, k := range got {
			if !snake.MatchString(k) {
				t.Errorf("%s: key %q is not snake_case", what, k)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: keys differ (-want +got):\n%s", what, diff)
		}
	}
	keys("comparison", res, []string{"currency", "rows", "scenario", "seed"})
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(res["rows"], &rows); err != nil || len(rows) != 2 {
		t.Fatalf("rows: %d rows, error %v; want 2", len(rows), err)
	}
	for _, row := range rows {
		keys("row", row, []string{"conversion_uplift_pp", "excess_failed", "excess_failed_amount", "excess_failed_uplift",
			"fees", "fees_uplift", "paid_amount_uplift", "report", "router"})
	}
	// The figures under the keys: what jq paths read.
	var typed struct {
		Scenario string `json:"scenario"`
		Rows     []struct {
			Router             string `json:"router"`
			ExcessFailed       int64  `json:"excess_failed"`
			ExcessFailedUplift int64  `json:"excess_failed_uplift"`
			Report             struct {
				Scenario struct {
					Router string `json:"router"`
				} `json:"scenario"`
			} `json:"report"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &typed); err != nil {
		t.Fatal(err)
	}
	h, s := typed.Rows[0], typed.Rows[1]
	if typed.Scenario != "tiny" || h.Router != "health" || s.Router != "static" || s.Report.Scenario.Router != "static" {
		t.Errorf("scenario %q, routers %q and %q (report's %q); want tiny, health, static", typed.Scenario, h.Router, s.Router, s.Report.Scenario.Router)
	}
	if s.ExcessFailed == 0 || s.ExcessFailedUplift != s.ExcessFailed-h.ExcessFailed {
		t.Errorf("static: excess_failed %d, excess_failed_uplift %d; want %d - %d (health's)", s.ExcessFailed, s.ExcessFailedUplift, s.ExcessFailed, h.ExcessFailed)
	}
}

// compare --progress: a plain line on stderr as each router finishes
// (of a shard's routers with --shard), stdout left to the table, and the
// same modes as run and sweep.
func TestCompareProgress(t *testing.T) {
	t.Parallel()
	small := writeScenario(t, "small.yaml", tiny)
	var table string
	for _, mode := range []string{"off", "bars", "auto", "plain"} {
		args := []string{"compare", small, "--routers", "health,static,priority", "--progress", mode}
		code, stdout, stderr := paydrill(t, context.Background(), args...)
		if code != exitPass {
			t.Fatalf("paydrill %q: exit %d, stderr %q", args, code, stderr)
		}
		if table == "" {
			table = stdout
		} else if stdout != table {
			t.Errorf("paydrill %q: stdout is not the table alone (-off +%s):\n%s", args, mode, cmp.Diff(table, stdout))
		}
		wantLines := map[string]int{"off": 0, "bars": 0, "auto": 3, "plain": 3}[mode] // off a terminal, bars draw nothing
		if got := progressLines(t, stderr, "3", map[string]string{"health": "PASS", "static": "FAIL", "priority": "FAIL"}); got != wantLines {
			t.Errorf("paydrill %q: %d progress lines on stderr, want %d:\n%s", args, got, wantLines, stderr)
		}
	}
	args := []string{"compare", small, "--routers", "health,static,priority", "--progress", "plain", "--shard", "0/2", "--partial", t.TempDir() + "/p.json"}
	code, _, stderr := paydrill(t, context.Background(), args...)
	if code != exitPass {
		t.Fatalf("paydrill %q: exit %d, stderr %q", args, code, stderr)
	}
	lines, shardDone, ok := strings.Cut(stderr, "paydrill compare: shard 0/2: 2 of 3 items done")
	if got := progressLines(t, lines, "2", map[string]string{"health": "PASS", "priority": "FAIL"}); !ok || got != 2 || shardDone == "" {
		t.Errorf("paydrill %q: stderr %q, want a line for each of health and priority, then the shard's", args, stderr)
	}
	args = []string{"compare", small, "--progress", "loud"}
	if code, _, stderr := paydrill(t, context.Background(), args...); code != exitUsage || !strings.Contains(stderr, `--progress "loud" is not one of auto, bars, plain, off`) {
		t.Errorf("paydrill %q: exit %d, stderr %q; want %d and the modes", args, code, stderr, exitUsage)
	}
	args = []string{"compare", small, "--routers", "health,static", "--progress", "plain", "-q"}
	if code, stdout, stderr := paydrill(t, context.Background(), args...); code != exitPass || stdout != "" || stderr != "" {
		t.Errorf("paydrill %q: exit %d, stdout %q, stderr %q; want 0 and nothing (quiet: no progress)", args, code, stdout, stderr)
	}
}

// progressLines counts the lines "paydrill: I/total done: ROUTER VERDICT"
// of text, which must be all of its lines, with I counting up from 1 and
// each router of verdicts once; it returns their number.
func progressLines(t *testing.T, text, total string, verdicts map[string]string) int {
	t.Helper()
	if text == "" {
		return 0
	}
	line := regexp.MustCompile(`^paydrill: (\d+)/` + total + ` done: (\S+) (\S+)$`)
	seen := map[string]bool{}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		m := line.FindStringSubmatch(l)
		if m == nil || m[1] != strconv.Itoa(i+1) || verdicts[m[2]] != m[3] || seen[m[2]] {
			t.Errorf("progress line %d: %q, want \"paydrill: %d/%s done: ROUTER VERDICT\" for a new router of %v", i+1, l, i+1, total, verdicts)
			continue
		}
		seen[m[2]] = true
	}
	return len(lines)
}
