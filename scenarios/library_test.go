//go:build !race

// The library's verdict tests run many whole drills; under the race
// detector they would take minutes, so `make test` runs them in a second,
// plain pass (the engine has its own race-checked tests).

package scenarios_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// controls are the deliberately broken routers.
var controls = []string{"priority", "static", "retry-blind"}

// passes lists, per drill, the negative controls that pass it; every
// other control must fail, and health must pass every drill. A change that
// makes a drill blind (a control passes it) or a router's verdict flip is
// caught here.
//
//   - duplicate-notifications: nothing to fail over, and none of these
//     delivers twice, so every one passes; health-deliver-each, which
//     does, fails it (controls_test.go).
//   - total-blackout: nowhere to fail over; every control fails orders
//     cleanly and resumes, as does health. It tells known designs apart
//     (unpaid-streak never re-enables a channel and fails it).
var passes = map[string][]string{
	"duplicate-notifications": controls,
	"total-blackout":          controls,
}

// healthAwaiting lists the drills of the small-shop tier health does not
// pass yet on the drill's own seed: its evidence rules were built for 5
// to 30 orders a second, and the redesign for a small shop's traffic is
// issue 18. The matrix fails when health starts passing one (remove it
// then). The controls must still FAIL these drills.
var healthAwaiting = map[string]string{
	"small-block-1-per-min": "a block learnt from one category's declines takes about 25 minutes at 0.3 matching orders a minute",
}

func load(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	data, err := scenarios.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse(name+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type job struct {
	drill, router string
	seed          uint64
}

// runAll runs every job across the cores and returns the reports by job.
func runAll(t testing.TB, jobs []job) map[job]*reports.Report {
	t.Helper()
	out := make(map[job]*reports.Report, len(jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan job)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				s := load(t, j.drill)
				r, err := drill.Run(context.Background(), s, drill.Options{Router: j.router, Seed: j.seed})
				if err != nil {
					t.Errorf("%s with %s: %v", j.drill, j.router, err)
					continue
				}
				mu.Lock()
				out[j] = r
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	return out
}

func TestNegativeControlMatrix(t *testing.T) {
	var jobs []job
	for _, n := range scenarios.Names() {
		for _, r := range append([]string{"health"}, controls...) {
			jobs = append(jobs, job{n, r, 0})
		}
	}
	got := runAll(t, jobs)
	for _, j := range jobs {
		r := got[j]
		if r == nil {
			continue
		}
		// A control that does not pass must FAIL: inconclusive would mean
		// the drill's traffic cannot tell a broken router from a good one.
		want := reports.Fail
		if j.router == "health" || slices.Contains(passes[j.drill], j.router) {
			want = reports.Pass
		}
		if why, ok := healthAwaiting[j.drill]; ok && j.router == "health" {
			if r.Verdict == reports.Pass {
				t.Errorf("%s: health passes now; remove it from healthAwaiting (%s)", j.drill, why)
			}
			continue
		}
		if r.Verdict != want {
			t.Errorf("%s --router %s: verdict %s, the matrix says %s\n%s", j.drill, j.router, r.Verdict, want, failed(r))
		}
	}
}

// failed lists the expectations that failed.
func failed(r *reports.Report) string {
	var b strings.Builder
	for _, e := range r.Expectations {
		if !e.Pass {
			fmt.Fprintf(&b, "  %s %s: want %s, got %s\n", e.Name, e.Fault, e.Want, e.Got)
		}
	}
	return b.String()
}

// peers are the routers of known designs the default router must match.
var peers = []string{"elimination", "success-rate", "consecutive", "unpaid-streak"}

// peerSeeds: one run is one sample; the comparison uses the median of
// these. The small-shop drills (a few hundred orders a run) take 21: at
// one order a minute three seeds are mostly noise.
var peerSeeds = []uint64{1, 2, 3}

func seedsFor(drillName string) []uint64 {
	if !strings.HasPrefix(drillName, "small-") {
		return peerSeeds
	}
	var s []uint64
	for k := range uint64(21) {
		s = append(s, k+1)
	}
	return s
}

// known lists comparisons health is known to lose, with why. The test
// fails if one of them stops being lost (remove it then), and a known
// fail-over loss holds only while health still converts better than that
// peer on the drill (fewer orders not paid), so the list cannot hide a
// regression.
//
// success-rate "fails over" sooner on these two because it moves on noise:
// before the fault it already spreads a quarter to half of the traffic
// over the backups (share_before), so one lucky flip counts as moving.
// Health waits for evidence (a decline share or a silence no healthy
// provider would show), and ends both drills with fewer orders unpaid.
//
// Since fail over is placed between two orders rather than at a 10s
// bucket's edge, two more show: success-rate already sends much of the
// traffic elsewhere, so its share halves within a second of the fault,
// where health's takes 11-15 s of evidence.
//
// At one order a minute the same holds, and the traffic-based figure
// cannot show health's own move faster than ten first attempts allow
// (TestSmallShopSilentFreeze times it by health's transitions).
//
// The known designs follow health's checkout rules (status queries after
// timeouts, reconciliation of open payments), so what is compared is
// routing. On notification-blackout that makes staying on the muted
// channel cost nothing in conversion: reconciliation finds every capture,
// minutes late for the buyer. The drill asks a router to move to the
// channels that still notify (failover_within), which health does and
// these three never do; the backup converts 0.88 against gamma's 0.9, so
// health leaves about 2% more of the fault's orders unpaid. Such a
// conversion loss is excused only while the peer never fails over on that
// drill (median over the seeds), so it cannot hide a regression either.
var known = map[string]string{
	"silent-freeze/success-rate/failover:gamma-silent":                   "success-rate flips on noise",
	"slow-burn/success-rate/failover:alpha-creep":                        "success-rate flips on noise",
	"timeout-storm/success-rate/failover:alpha-slow":                     "success-rate spreads before the fault",
	"small-silent-freeze-1-per-min/success-rate/failover:gamma-silent":   "success-rate flips on noise",
	"small-cascade-review-10-per-min/success-rate/failover:alpha-frozen": "health moves traffic onto the backups within their review room (median 1m09s over 40 seeds, 40/40 within 10m); success-rate moves it all at once (median 3s) and trips a backup's review, never failing over in 5 of 40",
	"notification-blackout/elimination/unpaid":                           "moving off a muted channel to a backup that converts less",
	"notification-blackout/consecutive/unpaid":                           "moving off a muted channel to a backup that converts less",
	"notification-blackout/unpaid-streak/unpaid":                         "moving off a muted channel to a backup that converts less",
}

// awaiting lists what health still loses at a small shop's traffic. Issue
// 18 made its silence test evidence-based at any traffic; its decline and
// category-block rules still wait for a window of matching orders, long
// at 1 to 10 orders a minute, where success-rate's single bad streak moves
// sooner (and, over seeds, sometimes never: docs/low-traffic.md). Unlike
// known, these are real losses, excused by nothing but being listed: the
// test fails when one stops being lost.
var awaiting = map[string]string{
	"notification-blackout/success-rate/unpaid":                           "fair checkout rules (issue 19): health moves off the muted channel to a backup converting 0.88 against 0.9",
	"small-block-1-per-min/success-rate/failover:alpha-no-gift-cards":     "a block learnt from 0.3 matching orders a minute waits for a window of them",
	"small-block-10-per-min/success-rate/failover:alpha-no-gift-cards":    "a block learnt from 3 matching orders a minute waits for a window of them",
	"small-merchant-freeze-1-per-min/success-rate/failover:alpha-frozen":  "a suspension seen in declines waits for a window of them (health median 6m13s over 100 seeds, success-rate 1m07s but never in 8 of 100)",
	"small-merchant-freeze-10-per-min/success-rate/failover:alpha-frozen": "a suspension seen in declines waits for a window of them",
}

// TestHealthIsNotBeatenByKnownDesigns compares, on every drill, the
// default router with each router of a known design over three seeds:
//
//   - money safety: lost + duplicate charges + stranded, summed over the
//     seeds, no more than the peer's;
//   - time to fail over, per fault: the median no later than the peer's
//     plus one bucket (never counts as later than any time);
//   - orders not paid over the whole run (failed, lost and abandoned; the
//     same traffic for every router, so this is conversion). Absolute, not
//     the report's excess over each router's own baseline, which would
//     flatter a router that spreads traffic onto worse channels in quiet
//     times; and abandonment included, since a router that sends card
//     orders to a pay page turns declines into buyers who walk away. The
//     median no more than the peer's plus 2% plus 20 orders, the noise
//     between seeds.
func TestHealthIsNotBeatenByKnownDesigns(t *testing.T) {
	var jobs []job
	for _, n := range scenarios.Names() {
		for _, r := range append([]string{"health"}, peers...) {
			for _, seed := range seedsFor(n) {
				jobs = append(jobs, job{n, r, seed})
			}
		}
	}
	got := runAll(t, jobs)
	lost := map[string]bool{}
	for _, n := range scenarios.Names() {
		h := summarize(got, n, "health")
		for _, p := range peers {
			o := summarize(got, n, p)
			check := func(what string, beaten bool, detail string) {
				key := n + "/" + p + "/" + what
				if !beaten {
					return
				}
				lost[key] = true
				_, pending := awaiting[key]
				if _, ok := known[key]; !ok && !pending {
					t.Errorf("%s: %s beats health on %s: %s", n, p, what, detail)
				}
			}
			check("money", h.unsafe > o.unsafe, fmt.Sprintf("health %d, %s %d", h.unsafe, p, o.unsafe))
			for f := range h.failover {
				hf, of := h.failover[f], o.failover[f]
				check("failover:"+h.faults[f], hf > of+10, fmt.Sprintf("median fail over health %s, %s %s", secs(hf), p, secs(of)))
			}
			check("unpaid", float64(h.unpaid) > float64(o.unpaid)*1.02+20,
				fmt.Sprintf("median orders not paid: health %d, %s %d", h.unpaid, p, o.unpaid))
		}
	}
	for key, why := range awaiting {
		if !lost[key] {
			t.Errorf("%s is listed in awaiting (%s) but health no longer loses it: remove it from awaiting", key, why)
		}
	}
	for key, why := range known {
		if !lost[key] {
			t.Errorf("%s is listed as a known loss (%s) but health no longer loses it: remove it from known", key, why)
		}
		parts := strings.SplitN(key, "/", 3)
		h, o := summarize(got, parts[0], "health"), summarize(got, parts[0], parts[1])
		if parts[2] == "unpaid" {
			if !slices.ContainsFunc(o.failover, func(v float64) bool { return v >= never }) {
				t.Errorf("%s: a known conversion loss, excused only while %s never fails over, but its median fail-overs are %v",
					parts[0], parts[1], o.failover)
			}
			continue
		}
		if h.unpaid >= o.unpaid {
			t.Errorf("%s: a known fail-over loss, excused only while health converts better, but orders not paid: health %d, %s %d",
				parts[0], h.unpaid, parts[1], o.unpaid)
		}
	}
}

type summary struct {
	faults   []string
	failover []float64 // median per fault, seconds; never = +Inf
	unpaid   int64     // median orders not paid
	unsafe   int64     // lost + duplicate + stranded, summed over seeds
}

const never = 1e18

func summarize(got map[job]*reports.Report, drillName, router string) summary {
	var s summary
	var unpaidBy []int64
	var fo [][]float64
	for _, seed := range seedsFor(drillName) {
		r := got[job{drillName, router, seed}]
		if r == nil {
			continue
		}
		o := r.Orders
		s.unsafe += o.Lost + o.DuplicateCharges + o.Stranded
		unpaidBy = append(unpaidBy, o.Created-o.Paid)
		for i, f := range r.Faults {
			if len(fo) <= i {
				fo = append(fo, nil)
				s.faults = append(s.faults, f.Name)
			}
			v := float64(never)
			if f.FailoverS != nil {
				v = *f.FailoverS
			}
			fo[i] = append(fo[i], v)
		}
	}
	s.unpaid = medianInt(unpaidBy)
	for _, v := range fo {
		sort.Float64s(v)
		s.failover = append(s.failover, v[len(v)/2])
	}
	return s
}

func medianInt(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func secs(v float64) string {
	if v >= never {
		return "never"
	}
	return fmt.Sprintf("%gs", v)
}

// BenchmarkLibrary runs every drill of the library once with the default
// router, across the cores (as `make drill` does).
func BenchmarkLibrary(b *testing.B) {
	var jobs []job
	for _, n := range scenarios.Names() {
		jobs = append(jobs, job{n, "health", 0})
	}
	for range b.N {
		runAll(b, jobs)
	}
	b.ReportMetric(float64(len(jobs)), "drills")
}
