package sim

import (
	"context"
	"testing"
	"time"
	"unsafe"

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

// TestLedgersReconcile: what the providers' ledgers captured agrees with
// what the engine recorded per bucket, and with how orders ended.
func TestLedgersReconcile(t *testing.T) {
	s := load(t, "../../scenarios/timeout-storm.yaml")
	s.Duration = scenario.Duration(30 * time.Minute)
	for _, r := range []string{"health", "static", "priority", "retry-blind"} {
		res, err := Run(context.Background(), Config{Scenario: s, Router: r, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		var ledger, series int64
		for i, l := range res.Ledgers {
			ledger += l.Captures
			for _, b := range res.Series.Provider[i] {
				series += b.Captures
			}
		}
		tot := res.Totals
		if ledger != series {
			t.Errorf("%s: ledgers captured %d, series %d", r, ledger, series)
		}
		// Every capture is a paid order, a duplicate or a stranded one.
		if tot.Paid > ledger || ledger > tot.Paid+tot.Stranded+2*tot.DuplicateCharges+tot.Lost {
			t.Errorf("%s: %d captures do not square with %d paid, %d stranded, %d duplicates",
				r, ledger, tot.Paid, tot.Stranded, tot.DuplicateCharges)
		}
		var created int64
		for _, b := range res.Series.Orders {
			created += b.Created
		}
		if created != tot.Created || tot.Created == 0 {
			t.Errorf("%s: series created %d, totals %d", r, created, tot.Created)
		}
		if len(res.Violations) > 0 {
			t.Errorf("%s: violations %v", r, res.Violations)
		}
	}
}

// TestInterruptedRunStops: a cancelled context stops the loop and the
// result says so.
func TestInterruptedRunStops(t *testing.T) {
	s := load(t, "../../scenarios/merchant-freeze.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, Config{Scenario: s, Router: "health", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted {
		t.Error("run with a cancelled context: Interrupted = false")
	}
	if res.Simulated >= s.Duration.D() {
		t.Errorf("interrupted run simulated %v, want less than the scenario's %v", res.Simulated, s.Duration.D())
	}
}

// TestRecordsFitCacheLines: an attempt is one cache line (64 bytes), read
// again minutes after it was written when its pay page expires; an order
// is two, and what an expiry reads of it (flags, creation, amount) is in
// the first.
func TestRecordsFitCacheLines(t *testing.T) {
	if n := unsafe.Sizeof(attempt{}); n != 64 {
		t.Errorf("attempt is %d bytes, want 64", n)
	}
	var o order
	if n := unsafe.Sizeof(o); n != 128 {
		t.Errorf("order is %d bytes, want 128", n)
	}
	for name, end := range map[string]uintptr{
		"done":      unsafe.Offsetof(o.done) + 1,
		"match":     unsafe.Offsetof(o.match) + 8,
		"o.Created": unsafe.Offsetof(o.o) + unsafe.Offsetof(o.o.Created) + 8,
		"o.Amount":  unsafe.Offsetof(o.o) + unsafe.Offsetof(o.o.Amount) + 8,
	} {
		if end > 64 {
			t.Errorf("order.%s ends at byte %d, beyond the first cache line", name, end)
		}
	}
}
