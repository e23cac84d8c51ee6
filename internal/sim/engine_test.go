package sim

import (
	"context"
	"fmt"
	"testing"
	"time"
	"unsafe"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
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

// An engine takes up to 64 providers (an order's tried providers are
// one 64-bit mask) and up to mocks.MaxFaults faults, and refuses one more
// of either, saying how many it got.
func TestEngineLimits(t *testing.T) {
	base := load(t, "../../scenarios/merchant-freeze.yaml")
	for _, c := range []struct {
		provs, faults int
		err           string
	}{
		{provs: 64, faults: 1},
		{provs: 65, faults: 1, err: "65 providers: at most 64"},
		{provs: 4, faults: mocks.MaxFaults},
		{provs: 4, faults: mocks.MaxFaults + 1, err: fmt.Sprintf("%d faults: at most %d", mocks.MaxFaults+1, mocks.MaxFaults)},
	} {
		s := *base
		s.Providers, s.Faults = nil, nil
		for i := range c.provs {
			p := base.Providers[i%len(base.Providers)]
			if i >= len(base.Providers) {
				p.Name = fmt.Sprintf("%s-%d", p.Name, i)
			}
			s.Providers = append(s.Providers, p)
		}
		for range c.faults {
			s.Faults = append(s.Faults, base.Faults[0])
		}
		_, err := newEngine(Config{Scenario: &s, Router: "health", Seed: 1})
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%d providers, %d faults: %v; want an engine", c.provs, c.faults, err)
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%d providers, %d faults: error %v; want %q", c.provs, c.faults, err, c.err)
		}
	}
}

// Violations are reported as they happen, each with its moment; the list
// keeps the first 20 of a run that goes wrong over and over.
func TestViolationsAreBounded(t *testing.T) {
	var e engine
	for i := range 25 {
		e.now = time.Duration(i) * time.Second
		e.violate("order %d", i)
	}
	if len(e.viol) != 20 || e.viol[0] != "at 0s: order 0" || e.viol[19] != "at 19s: order 19" {
		t.Errorf("25 violations kept as %d: first %q, last %q; want the first 20", len(e.viol), e.viol[0], e.viol[len(e.viol)-1])
	}
}
