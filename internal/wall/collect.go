package wall

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/mocks"
)

// collect asks the router how every order ended and the mocks what they
// saw, and records it into the series the measurements read, by the same
// rules as the virtual engine.
func (r *runner) collect(simulated time.Duration, interrupted bool) *Result {
	s := r.s
	rec := sim.NewRecorder(s)
	index := map[string]int{}
	for i, p := range s.Providers {
		index[p.Name] = i
	}

	// What the providers saw, per order.
	// A provider whose log cannot be read leaves the measurements short:
	// that is a violation (it fails the verdict), never a silent gap.
	var gaps []string
	attempts, err := r.cfg.Mocks.Attempts()
	if err != nil {
		gaps = append(gaps, "providers' attempt logs: "+err.Error())
	}
	byOrder := map[string][]mocks.Attempt{}
	for _, a := range attempts {
		byOrder[a.OrderID] = append(byOrder[a.OrderID], a)
	}
	finals := r.finals()

	r.mu.Lock()
	orders := r.orders
	r.mu.Unlock()
	for _, od := range orders {
		o := &od.o
		match := rec.Created(o)
		if od.answered {
			rec.Series.RecordLatency(o.Created, od.latency)
		}
		// Attempts in the order the providers saw them.
		as := byOrder[od.id]
		slices.SortStableFunc(as, func(a, b mocks.Attempt) int { return cmp.Compare(a.At, b.At) })
		captures, k := 0, 0
		for _, a := range as {
			p, ok := index[a.Provider]
			if !ok {
				continue
			}
			rec.Attempt(a.At, p, k == 0, match, a.Hits)
			k++
			if a.Captured {
				captures++
				rec.Capture(a.At, p)
			}
		}
		v, known := finals[od.id]
		deliveries := 0
		if known {
			deliveries = Deliveries(v)
		}
		var out payment.Outcome
		// An interrupted run leaves an order the router has not decided in
		// flight, captured or not: its notification may still be on its
		// way, so it is neither lost nor stranded (as in the virtual engine).
		switch {
		case deliveries > 0:
			out = payment.Paid
		case od.notSent, od.refused:
			out = payment.FailedOrder // never sent, or refused: the shop knows it failed
		case interrupted && (!known || v.Status == "pending"):
			rec.Totals.InFlight++
			continue
		case captures > 0:
			out = payment.Lost // money taken, no goods
		case !od.answered || !known:
			out = payment.Lost // the shop never learned how it ended
		case od.status == "pending" && !od.buyerWants:
			out = payment.Abandoned
		default:
			out = payment.FailedOrder
		}
		rec.Ended(o, match, out, captures, deliveries)
	}
	res := &sim.Result{Series: rec.Series, Latency: r.latency, Totals: rec.Totals, Simulated: simulated,
		Interrupted: interrupted, Events: uint64(len(attempts))}
	ledgers, err := r.cfg.Mocks.Ledgers()
	if err != nil {
		gaps = append(gaps, "providers' ledgers: "+err.Error())
	}
	for _, p := range s.Providers {
		res.Ledgers = append(res.Ledgers, ledgers[p.Name]) // what could be read
	}
	res.Violations = append(res.Violations, gaps...)
	r.mu.Lock()
	res.Violations = append(res.Violations, r.faultErrs...)
	r.mu.Unlock()
	unsigned := r.routerStats(res, index)
	if !rec.Conserved() {
		res.Violations = append(res.Violations, "conservation: orders created and ended do not match")
	}
	return &Result{Result: res, NotSent: r.notSent.Load(), SendLag: r.lag, WriteLag: r.writeLag, Unsigned: unsigned,
		Requests: r.requests.Load() + r.asked.Load()}
}

// finals asks the router for every answered order's end, a few at a time.
func (r *runner) finals() map[string]router.OrderView {
	r.mu.Lock()
	var ids []string
	for _, od := range r.orders {
		if od.answered {
			ids = append(ids, od.id)
		}
	}
	r.mu.Unlock()
	out := make(map[string]router.OrderView, len(ids))
	var mu sync.Mutex
	put := func(id string, v router.OrderView) {
		mu.Lock()
		out[id] = v
		mu.Unlock()
	}
	// Pipelined over connections of its own when the client is Run's
	// (no proxy to go through); what that leaves, one at a time.
	if addr, host, prefix, ok := pipelineTarget(r.cfg.SUT, ids); ok && r.ownClient {
		ids = r.pipelined(addr, host, prefix, ids, put)
	}
	var wg sync.WaitGroup
	work := make(chan string)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if v, err := r.final(id); err == nil {
					put(id, v)
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return out
}

// routerStats reads what the router reports of itself (GET /v1/stats, the
// reference router's; optional for a router under test): status queries,
// duplicate notifications ignored, notifications refused, transitions.
// Without it they stay 0. It reports whether the router says it took
// notifications unsigned.
func (r *runner) routerStats(res *sim.Result, index map[string]int) (unsigned bool) {
	r.asked.Add(1)
	resp, err := r.cfg.Client.Get(r.cfg.SUT + "/v1/stats")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var st router.Stats
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<22)).Decode(&st) != nil {
		return false
	}
	res.Totals.RefusedNotifications = st.RefusedNotifications
	res.Totals.StatusQueries = st.StatusQueries
	res.Totals.DuplicateNotifications = st.DuplicateNotifications
	for _, t := range st.Transitions {
		if p, ok := index[t.Provider]; ok {
			res.Transitions = append(res.Transitions, router.Transition{At: t.At, Provider: p, State: t.State, Reason: t.Reason})
		}
	}
	return st.Unsigned
}

// Deliveries is how many times the router says an order's goods went out:
// its deliveries count, or, from a router that gives only the delivered
// flag, 1 when it is set (a second delivery is then invisible).
func Deliveries(v router.OrderView) int {
	if v.Deliveries > 0 {
		return v.Deliveries
	}
	if v.Delivered {
		return 1
	}
	return 0
}
