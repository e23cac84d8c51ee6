//go:build !race

// Wall-clock drills send real HTTP at hundreds of requests a second for
// close to a minute; under the race detector they could not keep time, so
// `make test` runs this file in its plain pass.

package drill

import (
	"context"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/drilltest"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
)

// liveScenario is merchant-freeze made short enough to run compressed in
// under a minute: 30 minutes of traffic at 5 orders/s, alpha frozen from
// 10m for 10m.
func liveScenario(t *testing.T) *scenario.Scenario {
	t.Helper()
	s := load(t, "merchant-freeze")
	s.Duration = scenario.Duration(30 * time.Minute)
	s.Traffic.Arrivals.Rate = 5
	s.Faults[0].At = scenario.Duration(10 * time.Minute)
	s.Faults[0].For = scenario.Duration(10 * time.Minute)
	s.Expect.FailbackWithin = nil
	return s
}

// healthAndStatic runs the drill s gives with the health and static
// routers at once, from scale down, judged by the runs' own validity
// (drilltest.Valid): invalid on a busy machine, both run again at the
// scale the reports suggest.
func healthAndStatic(t *testing.T, scale float64, s func() *scenario.Scenario) (h, st *reports.Report) {
	t.Helper()
	rs := drilltest.Valid(t, scale, func(scale float64) []*reports.Report {
		var wg sync.WaitGroup
		out := make([]*reports.Report, 2)
		for i, router := range []string{"health", "static"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := RunWall(context.Background(), s(), WallOptions{Router: router, Scale: scale})
				if err != nil {
					t.Errorf("live %s: %v", router, err)
					return
				}
				out[i] = r
			}()
		}
		wg.Wait()
		if out[0] == nil || out[1] == nil {
			t.FailNow()
		}
		return out
	})
	return rs[0], rs[1]
}

// TestLiveMerchantFreeze: over HTTP, compressed 60 times (50 s of wall
// time), the built-in health router passes the freeze and static fails it;
// health's time to fail over agrees with virtual time within a minute of
// scenario time (the stated tolerance: six 10 s buckets, for the jitter of
// real timers and HTTP).
func TestLiveMerchantFreeze(t *testing.T) {
	if testing.Short() {
		t.Skip("a wall-clock drill takes about a minute")
	}
	// Both routers run at once, judged by the validity rules: a run that
	// fell behind is run again at a lower scale, or the test is skipped.
	h, st := healthAndStatic(t, 60, func() *scenario.Scenario { return liveScenario(t) })
	if h.Engine.Mode != "wall" || h.Health == nil || !h.Health.Valid {
		t.Errorf("engine %+v, health %+v; want mode wall and a valid run", h.Engine, h.Health)
	}
	if !h.Passed() {
		t.Errorf("live health: verdict %s\n%s", h.Verdict, expectations(h))
	}
	if st.Passed() || st.Faults[0].FailoverS != nil {
		t.Errorf("live static: verdict %s, fail over %v; want fail, never", st.Verdict, fmtp(st.Faults[0].FailoverS))
	}
	if h.Orders.DuplicateCharges != 0 || h.Orders.Stranded != 0 || h.Orders.Lost != 0 {
		t.Errorf("live health: lost %d, duplicate %d, stranded %d; want 0", h.Orders.Lost, h.Orders.DuplicateCharges, h.Orders.Stranded)
	}
	// Genuine notifications pass the router's checks (signature, time,
	// payment); the drill is signed.
	if h.Orders.RefusedNotifications != 0 || h.Unsigned {
		t.Errorf("live health: %d notifications refused, unsigned %v; want 0, false", h.Orders.RefusedNotifications, h.Unsigned)
	}
	// Every HTTP request the generator made is counted (BENCHMARKS.md reads
	// CPU per request against it): at least each order's post and the
	// question how it ended, at most those and a pay page each, and the stats.
	if n, c := h.Engine.Requests, h.Orders.Created; n < 2*(c-h.Engine.NotSent) || n > 3*c+1 {
		t.Errorf("live health: %d requests for %d orders (%d not sent); want 2 to 3 a sent order", n, c, h.Engine.NotSent)
	}
	// What only the router knows comes from its GET /v1/stats.
	if h.Orders.StatusQueries == 0 || h.Providers[0].TakenOut == 0 || len(h.Transitions) == 0 {
		t.Errorf("live health: status queries %d, alpha taken out %d, %d transitions; want the router's own figures",
			h.Orders.StatusQueries, h.Providers[0].TakenOut, len(h.Transitions))
	}
	v, err := Run(context.Background(), liveScenario(t), Options{Router: "health"})
	if err != nil {
		t.Fatal(err)
	}
	lf, vf := h.Faults[0].FailoverS, v.Faults[0].FailoverS
	if lf == nil || vf == nil || math.Abs(*lf-*vf) > 60 {
		t.Errorf("time to fail over: live %s, virtual %s; want within 60s of each other", fmtp(lf), fmtp(vf))
	}
	t.Logf("fail over: live %s, virtual %s; conversion live %.4f, virtual %.4f; send lag p99 %.3f ms",
		fmtp(lf), fmtp(vf), h.Orders.Conversion, v.Orders.Conversion, h.Engine.SendLagP99Ms)
}

// TestLiveInterrupted: Ctrl-C (a cancelled context) during a wall-clock
// drill stops the traffic at once, still returns the partial report marked
// interrupted, and leaves no server behind.
func TestLiveInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var urls map[string]string
	done := make(chan struct{})
	var r *reports.Report
	var err error
	go func() {
		defer close(done)
		r, err = RunWall(ctx, liveScenario(t), WallOptions{Scale: 60, OnMocks: func(u map[string]string) { urls = u }})
	}()
	time.Sleep(1500 * time.Millisecond) // let traffic flow before the "Ctrl-C"
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the interrupted drill did not return within 20s")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || r.Verdict != "fail" || r.Orders.Created == 0 {
		t.Errorf("interrupted run: interrupted %v, verdict %s, %d orders; want true, fail, some", r.Interrupted, r.Verdict, r.Orders.Created)
	}
	for name, u := range urls {
		if resp, err := http.Get(u + "/_paydrill/ledger"); err == nil {
			resp.Body.Close()
			t.Errorf("mock %s still answers at %s after the drill", name, u)
		}
	}
}

// TestLiveEpayFreeze: a shop whose channels are all epay gateways
// (builtin:epay-freeze, shortened as liveScenario is), drilled over HTTP
// compressed 30 times (about 100 s; at 60 two drills at once fall behind
// on a 2-core machine and are invalid):
// the reference router speaks epay (mapi.php, api.php?act=order, signed
// GET notifications) and passes; static never moves and fails.
func TestLiveEpayFreeze(t *testing.T) {
	if testing.Short() {
		t.Skip("a wall-clock drill takes about a minute")
	}
	short := func() *scenario.Scenario {
		s := load(t, "epay-freeze")
		s.Duration = scenario.Duration(30 * time.Minute)
		s.Faults[0].At = scenario.Duration(10 * time.Minute)
		s.Faults[0].For = scenario.Duration(10 * time.Minute)
		s.Expect.FailbackWithin = nil
		return s
	}
	for _, p := range short().Providers {
		if p.Protocol != "epay" {
			t.Fatalf("provider %s speaks %q; the drill is for an all-epay shop", p.Name, p.Protocol)
		}
	}
	h, st := healthAndStatic(t, 30, short)
	if !h.Passed() {
		t.Errorf("live epay health: verdict %s\n%s", h.Verdict, expectations(h))
	}
	if h.Orders.Paid == 0 || h.Orders.DuplicateCharges != 0 || h.Orders.Stranded != 0 || h.Orders.Lost != 0 {
		t.Errorf("live epay health: paid %d, lost %d, duplicate %d, stranded %d; want paid orders and no money errors",
			h.Orders.Paid, h.Orders.Lost, h.Orders.DuplicateCharges, h.Orders.Stranded)
	}
	if st.Passed() || st.Faults[0].FailoverS != nil {
		t.Errorf("live epay static: verdict %s, fail over %v; want fail, never", st.Verdict, fmtp(st.Faults[0].FailoverS))
	}
	t.Logf("epay fail over: health %s; conversion %.4f; send lag p99 %.3f ms",
		fmtp(h.Faults[0].FailoverS), h.Orders.Conversion, h.Engine.SendLagP99Ms)
}
