package main

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
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
