package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
)

// The engine's bookkeeping on worlds small enough to follow by hand: a
// few orders at set times, providers whose every draw is fixed (latency,
// decline, the buyer, the notification), and a router that tries the
// providers in turn and writes down everything it is told. Each case
// lists what the router must have seen, when, and the run's totals.

// provSpec is one provider whose behaviour is certain.
type provSpec struct {
	async   bool
	latency time.Duration
	decline string        // every create is declined with this code
	pays    time.Duration // async: the buyer pays this long after the answer (0: never)
	notify  int           // async: notifications per capture (0 lost, 1, 2 duplicated)
}

// notifyDelay is how long every notification takes.
const notifyDelay = 2 * time.Second

// bookWorld is one small run: its providers, the checkout's rules, the
// probes on provider a, the orders' creation times.
type bookWorld struct {
	provs    []provSpec
	rules    router.Rules
	probe    bool          // every attempt on provider a is a probe ...
	deadline time.Duration // ... with this deadline
	orders   []time.Duration
	drain    time.Duration // after the 10m of traffic: 30m when 0, none when negative
	faults   []scenario.Fault
	progress func(Progress)
}

// scripted tries the providers in order and logs what it observes.
type scripted struct {
	n        int
	rules    router.Rules
	probe    bool
	deadline time.Duration
	log      []string
}

func (s *scripted) Rules() router.Rules { return s.rules }

func (s *scripted) Pick(_ time.Duration, _ *payment.Order, tried uint64) int {
	for i := range s.n {
		if tried&(1<<uint(i)) == 0 {
			return i
		}
	}
	return -1
}

func (s *scripted) Probe(p int) (time.Duration, bool) { return s.deadline, s.probe && p == 0 }

func (s *scripted) Observe(now time.Duration, ob router.Observation) {
	line := fmt.Sprintf("%v %c", now, 'a'+ob.Provider)
	switch ob.Kind {
	case router.Answered:
		line += " answered " + ob.Status.String()
		if ob.Code != "" {
			line += " " + ob.Code
		}
	case router.Paid:
		line += fmt.Sprintf(" paid age=%v", ob.Age)
	case router.Unpaid:
		line += " unpaid"
		if ob.Probe {
			line += fmt.Sprintf(" probe age=%v", ob.Age)
		}
	}
	if ob.Async {
		line += " async"
	}
	if ob.Queried {
		line += " queried"
	}
	s.log = append(s.log, line)
}

// times is an order source of orders created at set times, 10.00 each.
type times struct {
	at []time.Duration
	i  int
}

func (s *times) Next(o *payment.Order) bool {
	if s.i >= len(s.at) {
		return false
	}
	*o = payment.Order{ID: uint64(s.i + 1), Created: s.at[s.i], Amount: 1000, Currency: "USD", Method: "card"}
	s.i++
	return true
}

const bookYAML = `name: book
duration: 10m
traffic: {arrivals: {type: constant, rate: 1/min}}
providers: [{name: a}]
`

// stop is when the run ends: the traffic's 10 minutes and the drain.
func (w bookWorld) stop() time.Duration {
	switch {
	case w.drain == 0:
		return 40 * time.Minute
	case w.drain < 0:
		return 10 * time.Minute
	}
	return 10*time.Minute + w.drain
}

// run carries out the world and returns the result, the router's log and
// the engine (for its slabs).
func (w bookWorld) run(t *testing.T) (*Result, []string, *engine) {
	t.Helper()
	s, err := scenario.Parse("book.yaml", []byte(bookYAML))
	if err != nil {
		t.Fatal(err)
	}
	s.Drain = scenario.Duration(w.stop() - 10*time.Minute)
	s.Router.Timeout = scenario.Duration(10 * time.Second)
	tmpl := s.Providers[0]
	s.Providers = nil
	for i, p := range w.provs {
		c := tmpl
		c.Name = string(rune('a' + i))
		c.Flow = "sync"
		if p.async {
			c.Flow = "async"
		}
		c.Latency = scenario.Spread{Median: scenario.Duration(p.latency), P99: scenario.Duration(p.latency)}
		if p.decline != "" {
			c.DeclineRate, c.DeclineCodes = 1, map[string]float64{p.decline: 1}
		}
		c.Completion.Rate = 0
		if p.pays > 0 {
			c.Completion.Rate = 1
			c.Completion.Delay = scenario.Spread{Median: scenario.Duration(p.pays), P99: scenario.Duration(p.pays)}
		}
		c.Notify.Loss, c.Notify.Duplicate = 0, 0
		switch p.notify {
		case 0:
			c.Notify.Loss = 1
		case 2:
			c.Notify.Duplicate = 1
		}
		c.Notify.Delay = scenario.Spread{Median: scenario.Duration(notifyDelay), P99: scenario.Duration(notifyDelay)}
		c.Expiry = scenario.Duration(15 * time.Minute)
		s.Providers = append(s.Providers, c)
	}
	s.Router.Order = nil
	s.Faults = w.faults
	e, err := newEngine(Config{Scenario: s, Router: "static", Seed: 1, Orders: &times{at: w.orders}, Progress: w.progress})
	if err != nil {
		t.Fatal(err)
	}
	rt := &scripted{n: len(w.provs), rules: w.rules, probe: w.probe, deadline: w.deadline}
	e.rt, e.rules, e.prober = rt, rt.rules, rt
	res := e.run(context.Background())
	return res, rt.log, e
}

// faultSums is one bucket of a fault's series.
type faultSums struct {
	Created, Paid, Failed, First, ToTarget, Attempts, Hits int64
	CreatedAmount, FailedAmount                            int64
}

// on is a fault of the type on provider a from the run's start to its
// end, for the orders paid by method (all when "").
func on(typ, method string) scenario.Fault {
	f := scenario.Fault{Name: typ + "-" + method, Type: typ, Target: scenario.Target{Providers: []string{"a"}}}
	if method != "" {
		f.Match = &scenario.Match{Methods: []string{method}}
	}
	return f
}

// retryAll retries after a failure of any class.
func retryAll(max int) router.Rules {
	r := router.Rules{MaxAttempts: max}
	for c := range r.Retry {
		r.Retry[c] = true
	}
	return r
}

func TestEngineBookkeeping(t *testing.T) {
	const m = time.Minute
	sync1 := provSpec{latency: time.Second}
	paysAt30 := provSpec{async: true, latency: time.Second, pays: 30 * time.Second, notify: 1}
	neverPays := provSpec{async: true, latency: time.Second, notify: 1}
	reconcile := router.Rules{MaxAttempts: 2, Reconcile: true, CheckAfter: m}
	for _, c := range []struct {
		name   string
		w      bookWorld
		log    []string
		tot    Totals
		events uint64
		// latency is the one order's checkout latency (0: none recorded).
		latency time.Duration
		// firsts are the first attempts each provider got.
		firsts []int64
		// faults: what each fault's series holds in the first order's
		// bucket.
		faults []faultSums
	}{{
		name: "sync accepted",
		w:    bookWorld{provs: []provSpec{sync1}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{5 * time.Second}},
		log:  []string{"6s a answered accepted", "6s a paid age=0s"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, PaidAmount: 1000}, events: 2, latency: time.Second, firsts: []int64{1},
	}, {
		name: "an answer at the router's deadline is an answer",
		w:    bookWorld{provs: []provSpec{{latency: 10 * time.Second}}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{0}},
		log:  []string{"10s a answered accepted", "10s a paid age=0s"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, PaidAmount: 1000}, events: 2, latency: 10 * time.Second, firsts: []int64{1},
	}, {
		name: "a timeout queried finds the capture",
		w: bookWorld{provs: []provSpec{{latency: 11 * time.Second}},
			rules:  router.Rules{MaxAttempts: 2, QueryUnknown: true, QueryDelay: 5 * time.Second},
			orders: []time.Duration{0}},
		log: []string{"10s a answered timeout", "15s a paid age=5s queried"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 1, StatusQueries: 1, PaidAmount: 1000}, events: 3, latency: 15 * time.Second, firsts: []int64{1},
	}, {
		name: "a timeout not queried strands the capture",
		w:    bookWorld{provs: []provSpec{{latency: 11 * time.Second}, sync1}, rules: router.Rules{MaxAttempts: 2}, orders: []time.Duration{0}},
		log:  []string{"10s a answered timeout"},
		tot:  Totals{Created: 1, Lost: 1, Stranded: 1, Attempts: 1, FailedAmount: 1000}, events: 2, latency: 10 * time.Second, firsts: []int64{1, 0},
	}, {
		name: "a timeout retried elsewhere charges twice",
		w:    bookWorld{provs: []provSpec{{latency: 11 * time.Second}, sync1}, rules: retryAll(2), orders: []time.Duration{0}},
		log:  []string{"10s a answered timeout", "11s b answered accepted", "11s b paid age=0s"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 2, DuplicateCharges: 1, PaidAmount: 1000}, events: 3, latency: 11 * time.Second, firsts: []int64{1, 0},
	}, {
		name: "a timed-out pay page is cancelled and the order goes on",
		w: bookWorld{provs: []provSpec{{async: true, latency: 11 * time.Second, pays: time.Second, notify: 1}, sync1},
			rules:  func() router.Rules { r := retryAll(2); r.QueryUnknown, r.QueryDelay = true, 5*time.Second; return r }(),
			orders: []time.Duration{0}},
		log: []string{"10s a answered timeout async", "16s b answered accepted", "16s b paid age=0s"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 2, StatusQueries: 1, PaidAmount: 1000}, events: 4, latency: 16 * time.Second, firsts: []int64{1, 0},
	}, {
		name: "a decline goes on when the rules retry",
		w:    bookWorld{provs: []provSpec{{latency: time.Second, decline: payment.CodeDoNotHonor}, sync1}, rules: retryAll(2), orders: []time.Duration{0}},
		log:  []string{"1s a answered declined do_not_honor", "2s b answered accepted", "2s b paid age=0s"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 2, PaidAmount: 1000}, events: 3, latency: 2 * time.Second, firsts: []int64{1, 0},
	}, {
		name: "the attempt cap stops the retry",
		w:    bookWorld{provs: []provSpec{{latency: time.Second, decline: payment.CodeDoNotHonor}, sync1}, rules: retryAll(1), orders: []time.Duration{0}},
		log:  []string{"1s a answered declined do_not_honor"},
		tot:  Totals{Created: 1, Failed: 1, Attempts: 1, FailedAmount: 1000}, events: 2, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "rules with no attempt cap send one attempt",
		w:    bookWorld{provs: []provSpec{{latency: time.Second, decline: payment.CodeDoNotHonor}, sync1}, rules: retryAll(0), orders: []time.Duration{0}},
		log:  []string{"1s a answered declined do_not_honor"},
		tot:  Totals{Created: 1, Failed: 1, Attempts: 1, FailedAmount: 1000}, events: 2, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "rules with no attempt cap: the first attempt is paid",
		w:    bookWorld{provs: []provSpec{sync1}, orders: []time.Duration{0}},
		log:  []string{"1s a answered accepted", "1s a paid age=0s"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, PaidAmount: 1000}, events: 2, latency: time.Second, firsts: []int64{1},
	}, {
		name: "two decline codes are told apart",
		w: bookWorld{provs: []provSpec{{latency: time.Second, decline: payment.CodeDoNotHonor},
			{latency: time.Second, decline: payment.CodeInsufficientFunds}, sync1}, rules: retryAll(3), orders: []time.Duration{0}},
		log: []string{"1s a answered declined do_not_honor", "2s b answered declined insufficient_funds",
			"3s c answered accepted", "3s c paid age=0s"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 3, PaidAmount: 1000}, events: 4, latency: 3 * time.Second, firsts: []int64{1, 0, 0},
	}, {
		name: "async paid and notified",
		w:    bookWorld{provs: []provSpec{paysAt30}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{0}},
		log:  []string{"1s a answered accepted async", "33s a paid age=32s async"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, PaidAmount: 1000}, events: 5, latency: time.Second, firsts: []int64{1},
	}, {
		name: "a duplicate notification is ignored",
		w:    bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 30 * time.Second, notify: 2}}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{0}},
		log:  []string{"1s a answered accepted async", "33s a paid age=32s async"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, DuplicateNotifications: 1, PaidAmount: 1000}, events: 6, latency: time.Second, firsts: []int64{1},
	}, {
		name: "delivering on each notification delivers twice",
		w: bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 30 * time.Second, notify: 2}},
			rules: router.Rules{MaxAttempts: 1, DeliverEach: true}, orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "33s a paid age=32s async"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 1, DuplicateNotifications: 1, DuplicateDeliveries: 1, PaidAmount: 1000}, events: 6, latency: time.Second, firsts: []int64{1},
	}, {
		name: "a lost notification is found by the check",
		w:    bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 30 * time.Second}}, rules: reconcile, orders: []time.Duration{0}},
		log:  []string{"1s a answered accepted async", "1m1s a paid age=1m0s async queried"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, StatusQueries: 1, PaidAmount: 1000}, events: 5, latency: time.Second, firsts: []int64{1},
	}, {
		name: "a lost notification not reconciled strands the capture",
		w:    bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 30 * time.Second}}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{0}},
		log:  []string{"1s a answered accepted async"},
		tot:  Totals{Created: 1, Lost: 1, Stranded: 1, Attempts: 1, FailedAmount: 1000}, events: 4, latency: time.Second, firsts: []int64{1},
	}, {
		name: "an unpaid page is checked, then expires",
		w:    bookWorld{provs: []provSpec{neverPays}, rules: reconcile, orders: []time.Duration{0}},
		log:  []string{"1s a answered accepted async", "15m1s a unpaid async"},
		tot:  Totals{Created: 1, Abandoned: 1, Attempts: 1, StatusQueries: 2}, events: 4, latency: time.Second, firsts: []int64{1},
	}, {
		name: "a check due at the expiry is left to the expiry",
		w: bookWorld{provs: []provSpec{neverPays}, rules: router.Rules{MaxAttempts: 2, Reconcile: true, CheckAfter: 15 * m},
			orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "15m1s a unpaid async"},
		tot: Totals{Created: 1, Abandoned: 1, Attempts: 1, StatusQueries: 1}, events: 3, latency: time.Second, firsts: []int64{1},
	}, {
		name: "a buyer too late for the page fails the order",
		w: bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 15 * m, notify: 1}},
			rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "15m1s a unpaid async"},
		tot: Totals{Created: 1, Failed: 1, Attempts: 1, FailedAmount: 1000}, events: 3, latency: time.Second, firsts: []int64{1},
	}, {
		name: "a probe not paid by its deadline moves the order on",
		w: bookWorld{provs: []provSpec{neverPays, sync1}, rules: reconcile, probe: true, deadline: 30 * time.Second,
			orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "31s a unpaid probe age=30s async", "32s b answered accepted", "32s b paid age=0s"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 2, StatusQueries: 1, PaidAmount: 1000}, events: 6, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "a probe paid before its deadline stays",
		w: bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 10 * time.Second, notify: 1}, sync1}, rules: reconcile,
			probe: true, deadline: 30 * time.Second, orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "13s a paid age=12s async"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 1, PaidAmount: 1000}, events: 7, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "a probe paid unnotified is found at its deadline",
		w: bookWorld{provs: []provSpec{{async: true, latency: time.Second, pays: 10 * time.Second}, sync1}, rules: reconcile,
			probe: true, deadline: 30 * time.Second, orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "31s a paid age=30s async queried"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 1, StatusQueries: 1, PaidAmount: 1000}, events: 6, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "a probe without a deadline keeps its page",
		w: bookWorld{provs: []provSpec{neverPays, sync1}, rules: router.Rules{MaxAttempts: 2}, probe: true,
			orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "15m1s a unpaid async"},
		tot: Totals{Created: 1, Abandoned: 1, Attempts: 1}, events: 3, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "a probe whose deadline is the page's close keeps its page",
		w: bookWorld{provs: []provSpec{neverPays, sync1}, rules: router.Rules{MaxAttempts: 2}, probe: true, deadline: 15*m - time.Second,
			orders: []time.Duration{0}},
		log: []string{"1s a answered accepted async", "15m1s a unpaid async"},
		tot: Totals{Created: 1, Abandoned: 1, Attempts: 1}, events: 3, latency: time.Second, firsts: []int64{1, 0},
	}, {
		name: "a declined probe moves on whatever the rules",
		w: bookWorld{provs: []provSpec{{async: true, latency: time.Second, decline: payment.CodeDoNotHonor}, sync1},
			rules: router.Rules{MaxAttempts: 2}, probe: true, deadline: 30 * time.Second, orders: []time.Duration{0}},
		log: []string{"1s a answered declined do_not_honor async", "2s b answered accepted", "2s b paid age=0s"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 2, PaidAmount: 1000}, events: 3, latency: 2 * time.Second, firsts: []int64{1, 0},
	}, {
		name: "an answer at the run's very end is handled",
		w:    bookWorld{provs: []provSpec{sync1}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{10*m - time.Second}, drain: -1},
		log:  []string{"10m0s a answered accepted", "10m0s a paid age=0s"},
		tot:  Totals{Created: 1, Paid: 1, Attempts: 1, PaidAmount: 1000}, events: 2, latency: time.Second, firsts: []int64{1},
	}, {
		name:   "an order due at the traffic's end is not taken",
		w:      bookWorld{provs: []provSpec{sync1}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{10 * m}},
		firsts: []int64{0},
	}, {
		name: "orders before the traffic's end are taken, not the one at it",
		w: bookWorld{provs: []provSpec{sync1}, rules: router.Rules{MaxAttempts: 1},
			orders: []time.Duration{0, 10*m - time.Second, 10 * m}, drain: m},
		log: []string{"1s a answered accepted", "1s a paid age=0s", "10m0s a answered accepted", "10m0s a paid age=0s"},
		tot: Totals{Created: 2, Paid: 2, Attempts: 2, PaidAmount: 2000}, events: 4, firsts: []int64{2},
	}, {
		name: "an outage on a sends the order to b; a fault no order matches counts nothing",
		w: bookWorld{provs: []provSpec{sync1, sync1}, rules: retryAll(2), orders: []time.Duration{0},
			faults: []scenario.Fault{on("outage", ""), on("outage", "wallet")}},
		log: []string{"1s a answered error processing_error", "2s b answered accepted", "2s b paid age=0s"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 2, PaidAmount: 1000}, events: 3, latency: 2 * time.Second, firsts: []int64{1, 0},
		faults: []faultSums{{Created: 1, Paid: 1, First: 1, ToTarget: 1, Attempts: 2, Hits: 1, CreatedAmount: 1000}, {}},
	}, {
		name: "an outage on a with nowhere else to go fails the order",
		w: bookWorld{provs: []provSpec{sync1}, rules: retryAll(2), orders: []time.Duration{0},
			faults: []scenario.Fault{on("outage", "")}},
		log: []string{"1s a answered error processing_error"},
		tot: Totals{Created: 1, Failed: 1, Attempts: 1, FailedAmount: 1000}, events: 2, latency: time.Second, firsts: []int64{1},
		faults: []faultSums{{Created: 1, Failed: 1, First: 1, ToTarget: 1, Attempts: 1, Hits: 1, CreatedAmount: 1000, FailedAmount: 1000}},
	}, {
		name: "a lost notification is a hit on the attempt, counted where it was sent",
		w: bookWorld{provs: []provSpec{paysAt30}, rules: reconcile, orders: []time.Duration{0},
			faults: []scenario.Fault{on("notify_blackout", "")}},
		log: []string{"1s a answered accepted async", "1m1s a paid age=1m0s async queried"},
		tot: Totals{Created: 1, Paid: 1, Attempts: 1, StatusQueries: 1, PaidAmount: 1000}, events: 5, latency: time.Second, firsts: []int64{1},
		faults: []faultSums{{Created: 1, Paid: 1, First: 1, ToTarget: 1, Attempts: 1, Hits: 1, CreatedAmount: 1000}},
	}, {
		name: "a stranded capture in a fault is a failed order of the fault",
		w: bookWorld{provs: []provSpec{paysAt30}, rules: router.Rules{MaxAttempts: 1}, orders: []time.Duration{0},
			faults: []scenario.Fault{on("notify_blackout", "")}},
		log: []string{"1s a answered accepted async"},
		tot: Totals{Created: 1, Lost: 1, Stranded: 1, Attempts: 1, FailedAmount: 1000}, events: 4, latency: time.Second, firsts: []int64{1},
		faults: []faultSums{{Created: 1, Failed: 1, First: 1, ToTarget: 1, Attempts: 1, Hits: 1, CreatedAmount: 1000, FailedAmount: 1000}},
	}} {
		t.Run(c.name, func(t *testing.T) {
			res, log, e := c.w.run(t)
			if d := cmp.Diff(c.log, log); d != "" {
				t.Errorf("the router observed (-want +got):\n%s", d)
			}
			if d := cmp.Diff(c.tot, res.Totals); d != "" {
				t.Errorf("totals (-want +got):\n%s", d)
			}
			if res.Events != c.events {
				t.Errorf("%d events handled, want %d", res.Events, c.events)
			}
			if len(res.Violations) > 0 {
				t.Errorf("violations: %v", res.Violations)
			}
			var firsts []int64
			for _, p := range res.Series.Provider {
				var n int64
				for _, b := range p {
					n += b.First
				}
				firsts = append(firsts, n)
			}
			if d := cmp.Diff(c.firsts, firsts); d != "" {
				t.Errorf("first attempts per provider (-want +got):\n%s", d)
			}
			if c.latency > 0 {
				if got := res.Latency.Max(); res.Latency.Count() != 1 || got != c.latency {
					t.Errorf("%d checkout latencies, the longest %v; want one of %v", res.Latency.Count(), got, c.latency)
				}
				var want measure.LatencySketch
				want.Record(c.latency)
				if got := res.Series.Latency[int(c.w.orders[0]/res.Series.Bucket)]; got != want {
					t.Errorf("the series' latencies in the order's bucket: %v, want one of %v", got, c.latency)
				}
			}
			if len(c.w.orders) > 0 {
				b := int(c.w.orders[0] / res.Series.Bucket)
				var got []faultSums
				for _, f := range res.Series.Faults {
					got = append(got, faultSums{Created: f.Created[b], Paid: f.Paid[b], Failed: f.Failed[b],
						First: f.First[b], ToTarget: f.FirstToTarget[b], Attempts: f.Attempts[b], Hits: f.Hits[b],
						CreatedAmount: f.CreatedAmount[b], FailedAmount: f.FailedAmount[b]})
				}
				if d := cmp.Diff(c.faults, got); d != "" {
					t.Errorf("the faults' series in bucket %d (-want +got):\n%s", b, d)
				}
			}
			// The series' buckets run up to the one holding the run's end.
			stop, n := c.w.stop(), time.Duration(len(res.Series.Orders))
			if stop < (n-1)*res.Series.Bucket || stop >= n*res.Series.Bucket {
				t.Errorf("%d buckets of %v for a run to %v; want the last to hold its end", n, res.Series.Bucket, stop)
			}
			// Every attempt and every capture is in the series.
			var attempts, captures, ledger int64
			for i, p := range res.Series.Provider {
				for _, b := range p {
					attempts, captures = attempts+b.Attempts, captures+b.Captures
				}
				ledger += res.Ledgers[i].Captures
			}
			if attempts != res.Totals.Attempts || captures != ledger {
				t.Errorf("the series holds %d attempts and %d captures; want %d and the ledgers' %d", attempts, captures, res.Totals.Attempts, ledger)
			}
			// An order's outcome is in the bucket it was created in.
			if tot := c.tot; len(c.w.orders) == 1 && tot.Created == 1 {
				want := measure.OrderBucket{Created: 1, Paid: tot.Paid, Failed: tot.Failed, Abandoned: tot.Abandoned, Lost: tot.Lost,
					CreatedAmount: 1000, PaidAmount: int64(tot.PaidAmount), FailedAmount: int64(tot.FailedAmount)}
				if d := cmp.Diff(want, res.Series.Orders[int(c.w.orders[0]/res.Series.Bucket)]); d != "" {
					t.Errorf("the order's bucket (-want +got):\n%s", d)
				}
			}
			// Memory follows what is in flight: when nothing is left, every
			// order and attempt slot is back on its free list.
			if len(e.orders.free) != len(e.orders.items) || len(e.attempts.free) != len(e.attempts.items) {
				t.Errorf("after the run %d of %d order slots and %d of %d attempt slots are free; want all",
					len(e.orders.free), len(e.orders.items), len(e.attempts.free), len(e.attempts.items))
			}
		})
	}
}

// The progress callback is called every 16,384 events and once at the
// end, with how far the run got.
func TestProgressAtTheEnd(t *testing.T) {
	var got []Progress
	w := bookWorld{provs: []provSpec{{latency: time.Second}}, rules: router.Rules{MaxAttempts: 1},
		orders: []time.Duration{0}, progress: func(p Progress) { got = append(got, p) }}
	w.run(t)
	want := []Progress{{Simulated: time.Second, Total: 40 * time.Minute, Orders: 1}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("progress calls (-want +got):\n%s", d)
	}
}
