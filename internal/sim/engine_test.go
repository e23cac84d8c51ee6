package sim

import (
	"context"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
)

func load(t *testing.T, path string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return s
}

func TestRunMerchantFreezeSmoke(t *testing.T) {
	s := load(t, "../../scenarios/merchant-freeze.yaml")
	for _, r := range []string{"health", "static", "priority", "retry-blind"} {
		res, err := Run(context.Background(), Config{Scenario: s, Router: r, Seed: s.Seed})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v events=%d viol=%v", r, res.Totals, res.Events, res.Violations)
	}
}
