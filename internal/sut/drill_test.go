//go:build !race

// Whole wall-clock drills on a drill network of containers: the mock
// providers, the edge and the router under test, at a few hundred
// requests a second, so not under the race detector; `make test` runs
// this package in its plain pass. The drills run one at a time: a stage
// is six containers on a 2-core machine.

package sut_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/drilltest"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sut"
	"github.com/paydrill/paydrill/reports"
)

// containerScale compresses scenario time in these drills. On 2 cores a
// stage keeps time up to about 300 requests a second (rate times scale);
// the drills below stay under it.
const containerScale = 60

// shorten cuts a library drill down for a container test: duration,
// rate, and its first fault's window.
func shorten(t *testing.T, name string, duration, at, length time.Duration, rate float64) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load("../../scenarios/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.Duration = scenario.Duration(duration)
	s.Drain = scenario.Duration(3 * time.Minute)
	s.Traffic.Arrivals.Rate = scenario.Rate(rate)
	s.Faults[0].At = scenario.Duration(at)
	s.Faults[0].For = scenario.Duration(length)
	s.Expect.FailbackWithin = nil
	return s
}

// stageDrill runs scenario s (file names it for the containers) with
// the paydrill router using strategy in a container on a drill network.
// why says what failed a report: its failed expectations and violations.
func why(r *reports.Report) string {
	var out []string
	for _, e := range r.Expectations {
		if !e.Pass {
			out = append(out, fmt.Sprintf("%s %s: want %s, got %s", e.Name, e.Fault, e.Want, e.Got))
		}
	}
	return strings.Join(append(out, r.Violations...), "; ")
}

// A run that fell behind itself is run once more at a lower scale, or the
// test is skipped with the reason (drilltest.Valid).
func stageDrill(t *testing.T, s *scenario.Scenario, file, strategy string) *reports.Report {
	t.Helper()
	secret := []byte("container-drill-secret")
	return drilltest.Valid(t, containerScale, func(scale float64) []*reports.Report {
		stage := func(ctx context.Context) (drill.Stage, error) {
			return sut.StartStage(ctx, sut.StageOptions{Scenario: s, File: file, Image: testImage,
				Build: imageBuild(t), Scale: scale, Secret: secret,
				Router: sut.Options{Image: testImage, Strategy: strategy}})
		}
		r, err := drill.RunWall(context.Background(), s, drill.WallOptions{Scale: scale,
			Stage: stage, Container: testImage})
		if err != nil {
			t.Fatalf("%s with %s in containers: %v", s.Name, strategy, err)
		}
		return []*reports.Report{r}
	})[0]
}

// TestContainerMerchantFreeze: the paydrill router in a container, wired
// to mock provider containers through the edge, passes the freeze with
// health and fails it with static; nothing is left behind.
func TestContainerMerchantFreeze(t *testing.T) {
	requireContainers(t)
	s := shorten(t, "merchant-freeze", 30*time.Minute, 10*time.Minute, 10*time.Minute, 5)
	h := stageDrill(t, s, "builtin:merchant-freeze", "health")
	st := stageDrill(t, s, "builtin:merchant-freeze", "static")
	assertNoLeftovers(t)
	if !h.Passed() {
		t.Errorf("health: verdict %s (%s), fail over %v, lost %d, duplicate %d, stranded %d",
			h.Verdict, why(h), fmtS(h.Faults[0].FailoverS), h.Orders.Lost, h.Orders.DuplicateCharges, h.Orders.Stranded)
	}
	if st.Passed() || st.Faults[0].FailoverS != nil {
		t.Errorf("static: verdict %s, fail over %v; want fail, never", st.Verdict, st.Faults[0].FailoverS)
	}
	if h.Scenario.Router != "sut" {
		t.Errorf("report router %q, want sut", h.Scenario.Router)
	}
}

// TestContainerCrash: killing alpha's mock container mid-run (SIGKILL,
// restarted five minutes later) is detected and failed over by health,
// with no order lost or charged twice; static never moves. The calls the
// dead container never saw are counted as the crash's hits (the edge saw
// them).
func TestContainerCrash(t *testing.T) {
	requireContainers(t)
	s := shorten(t, "provider-crash", 20*time.Minute, 5*time.Minute, 5*time.Minute, 4)
	h := stageDrill(t, s, "builtin:provider-crash", "health")
	st := stageDrill(t, s, "builtin:provider-crash", "static")
	assertNoLeftovers(t)
	f := h.Faults[0]
	if !h.Passed() || f.DetectS == nil || *f.DetectS > 60 || f.FailoverS == nil {
		t.Errorf("health: verdict %s (%s), detect %v, fail over %v, lost %d, duplicate %d",
			h.Verdict, why(h), fmtS(f.DetectS), fmtS(f.FailoverS), h.Orders.Lost, h.Orders.DuplicateCharges)
	}
	if f.Hits == 0 {
		t.Errorf("health: crash hits %d/%d, want the refused calls counted", f.Hits, f.Attempts)
	}
	if st.Passed() || st.Faults[0].FailoverS != nil || st.Faults[0].Hits < 100 {
		t.Errorf("static: verdict %s, fail over %v, hits %d; want fail, never, every call to alpha refused",
			st.Verdict, st.Faults[0].FailoverS, st.Faults[0].Hits)
	}
}

// TestContainerPause: a paused provider container (requests accepted,
// never answered in time) makes the router's calls time out; health
// detects it, fails over, and no buyer is charged twice, though the
// unpaused provider works through the stale requests. Static waits out
// every deadline and fails.
func TestContainerPause(t *testing.T) {
	requireContainers(t)
	s := shorten(t, "provider-hang", 20*time.Minute, 5*time.Minute, 5*time.Minute, 4)
	h := stageDrill(t, s, "builtin:provider-hang", "health")
	st := stageDrill(t, s, "builtin:provider-hang", "static")
	assertNoLeftovers(t)
	f := h.Faults[0]
	if !h.Passed() || f.DetectS == nil || f.FailoverS == nil || h.Orders.DuplicateCharges != 0 {
		t.Errorf("health: verdict %s (%s), detect %v, fail over %v, lost %d, duplicate %d, stranded %d",
			h.Verdict, why(h), fmtS(f.DetectS), fmtS(f.FailoverS), h.Orders.Lost, h.Orders.DuplicateCharges, h.Orders.Stranded)
	}
	if h.Orders.StatusQueries == 0 || f.Hits == 0 {
		t.Errorf("health: %d status queries, pause hits %d; want timed-out calls queried", h.Orders.StatusQueries, f.Hits)
	}
	if st.Passed() || st.Faults[0].FailoverS != nil {
		t.Errorf("static: verdict %s, fail over %v; want fail, never", st.Verdict, st.Faults[0].FailoverS)
	}
}

// TestContainerNetworkFaults: a partition (alpha's container off the
// network) is detected and failed over; Toxiproxy's latency and
// reset_peer toxics reach the router through the edge, and each fault
// counts the calls it touched; the verdict and the money are judged
// (judgeNetworkFaults).
func TestContainerNetworkFaults(t *testing.T) {
	requireContainers(t)
	// A partition and two toxics on alpha, one after the other.
	file := "testdata/network-faults.yaml"
	s, err := scenario.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	r := stageDrill(t, s, file, "health")
	assertNoLeftovers(t)
	for _, f := range r.Faults {
		if f.Hits == 0 {
			t.Errorf("%s: no hits (%d attempts); want the calls it touched counted", f.Name, f.Attempts)
		}
	}
	if cut := r.Faults[0]; cut.DetectS == nil || cut.FailoverS == nil {
		t.Errorf("partition: detect %v, fail over %v; want both", cut.DetectS, cut.FailoverS)
	}
	if r.Latency.P99Ms < 3000 {
		t.Errorf("checkout latency p99 %.0f ms, want at least the toxic's 3000 ms", r.Latency.P99Ms)
	}
	judgeNetworkFaults(t, r)
}

// judgeNetworkFaults judges the network-faults drill's verdict and money.
// The partition and the resets make alpha's calls fail: both must be
// failed over within the limit. No buyer's goods go out twice, no order
// is lost or stranded. reset_peer cuts the answer of a sync payment the
// provider made: the reference router, unable to confirm it, retries
// elsewhere and charges some buyers twice (docs/containers.md). The drill
// must judge what it counted: duplicate_charges fails exactly when a
// buyer was charged twice, then the verdict is FAIL; and a double charge
// needs a reset answer, so there are at most as many as the resets' hits.
// The latency toxic (3 s under a 10 s timeout) fails no call: its fail
// over is the router's choice and is logged, not judged here.
func judgeNetworkFaults(t *testing.T, r *reports.Report) {
	t.Helper()
	mustPass := map[string]bool{"alpha-cut": true, "alpha-reset": true}
	for _, e := range r.Expectations {
		switch {
		case e.Name == "duplicate_charges":
			if e.Pass != (r.Orders.DuplicateCharges == 0) {
				t.Errorf("duplicate_charges judged %s with %d buyers charged twice", e.Mark(), r.Orders.DuplicateCharges)
			}
		case e.Name == "failover_within" && !mustPass[e.Fault]:
			t.Logf("%s %s: want %s, got %s: %s", e.Name, e.Fault, e.Want, e.Got, e.Mark())
		case !e.Pass:
			t.Errorf("%s %s: want %s, got %s: %s", e.Name, e.Fault, e.Want, e.Got, e.Mark())
		}
	}
	if r.Orders.DuplicateCharges > 0 && r.Verdict != reports.Fail {
		t.Errorf("verdict %s with %d buyers charged twice; want fail", r.Verdict, r.Orders.DuplicateCharges)
	}
	if r.Orders.DuplicateDeliveries != 0 || r.Orders.Lost != 0 || r.Orders.Stranded != 0 {
		t.Errorf("duplicate deliveries %d, lost %d, stranded %d; want 0", r.Orders.DuplicateDeliveries, r.Orders.Lost, r.Orders.Stranded)
	}
	if reset := r.Faults[2]; r.Orders.DuplicateCharges > reset.Hits {
		t.Errorf("%d buyers charged twice, more than the %d calls %s reset", r.Orders.DuplicateCharges, reset.Hits, reset.Name)
	}
	t.Logf("verdict %s; duplicate charges %d of %d orders; %s hits %d of %d attempts",
		r.Verdict, r.Orders.DuplicateCharges, r.Orders.Created, r.Faults[2].Name, r.Faults[2].Hits, r.Faults[2].Attempts)
}

// fmtS prints an optional figure in seconds.
func fmtS(v *float64) string {
	if v == nil {
		return "never"
	}
	return fmt.Sprintf("%gs", *v)
}
