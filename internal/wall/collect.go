package wall

import (
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/measure"
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
	bucket := s.Bucket.D()
	stop := s.Duration.D() + s.Drain.D()
	n := int(stop/bucket) + 1
	bucketOf := func(t time.Duration) int { return max(0, min(int(t/bucket), n-1)) }

	series := &measure.Series{Bucket: bucket, Orders: make([]measure.OrderBucket, n)}
	index := map[string]int{}
	for i, p := range s.Providers {
		series.Providers = append(series.Providers, p.Name)
		series.Provider = append(series.Provider, make([]measure.ProvBucket, n))
		index[p.Name] = i
	}
	var filters []*mocks.Fault
	var targets []uint64
	for i, f := range s.Faults {
		ft := mocks.NewFault(i, f)
		filters = append(filters, ft)
		var mask uint64
		var names []string
		for _, p := range s.TargetIndexes(f) {
			mask |= 1 << uint(p)
			names = append(names, s.Providers[p].Name)
		}
		targets = append(targets, mask)
		e := s.Duration.D()
		if f.For > 0 {
			e = min(e, f.At.D()+f.For.D())
		}
		var flap time.Duration
		if f.Flap != nil {
			flap = f.Flap.Period.D()
		}
		series.Faults = append(series.Faults, measure.FaultSeries{
			Name: f.Name, Type: f.Type, Providers: names, Start: f.At.D(), End: e, FlapPeriod: flap,
			Created: make([]int64, n), Paid: make([]int64, n), Failed: make([]int64, n),
			CreatedAmount: make([]int64, n), FailedAmount: make([]int64, n),
			First: make([]int64, n), FirstToTarget: make([]int64, n),
			Attempts: make([]int64, n), Hits: make([]int64, n),
		})
	}

	// What the providers saw, per order.
	attempts, _ := r.cfg.Mocks.Attempts()
	byOrder := map[string][]mocks.Attempt{}
	for _, a := range attempts {
		byOrder[a.OrderID] = append(byOrder[a.OrderID], a)
	}
	finals := r.finals()

	var tot sim.Totals
	r.mu.Lock()
	orders := r.orders
	r.mu.Unlock()
	for _, od := range orders {
		o := &od.o
		b := bucketOf(o.Created)
		ob := &series.Orders[b]
		ob.Created++
		ob.CreatedAmount += int64(o.Amount)
		tot.Created++
		var match uint64
		for i, f := range filters {
			if f.Matches(o) {
				match |= 1 << uint(i)
				fs := &series.Faults[i]
				fs.Created[b]++
				fs.CreatedAmount[b] += int64(o.Amount)
			}
		}
		// Attempts in the order the providers saw them.
		as := byOrder[od.id]
		sortAttempts(as)
		captures := 0
		for k, a := range as {
			p, ok := index[a.Provider]
			if !ok {
				continue
			}
			ab := bucketOf(a.At)
			pb := &series.Provider[p][ab]
			pb.Attempts++
			tot.Attempts++
			if k == 0 {
				pb.First++
			}
			if a.Captured {
				captures++
				pb.Captures++
			}
			for i := range filters {
				bit := uint64(1) << uint(i)
				fs := &series.Faults[i]
				if match&bit != 0 {
					fs.Attempts[ab]++
					if k == 0 {
						fs.First[ab]++
						if targets[i]&(1<<uint(p)) != 0 {
							fs.FirstToTarget[ab]++
						}
					}
				}
				if a.Hits&bit != 0 {
					fs.Hits[ab]++
				}
			}
		}
		v, known := finals[od.id]
		var out payment.Outcome
		switch {
		case known && v.Delivered:
			out = payment.Paid
		case captures > 0:
			out = payment.Lost // money taken, no goods
		case od.notSent:
			out = payment.FailedOrder
		case interrupted && (!known || v.Status == "pending"):
			tot.InFlight++
			continue
		case !od.answered || !known:
			out = payment.Lost // the shop never learned how it ended
		case od.status == "pending" && !od.buyerWants:
			out = payment.Abandoned
		default:
			out = payment.FailedOrder
		}
		if captures > 1 {
			tot.DuplicateCharges++
		}
		if captures > 0 && !(known && v.Delivered) {
			tot.Stranded++
		}
		amt := int64(o.Amount)
		switch out {
		case payment.Paid:
			ob.Paid++
			ob.PaidAmount += amt
			tot.Paid++
			tot.PaidAmount += o.Amount
		case payment.FailedOrder:
			ob.Failed++
			ob.FailedAmount += amt
			tot.Failed++
			tot.FailedAmount += o.Amount
		case payment.Abandoned:
			ob.Abandoned++
			tot.Abandoned++
		case payment.Lost:
			ob.Lost++
			ob.FailedAmount += amt
			tot.Lost++
			tot.FailedAmount += o.Amount
		}
		for i := range filters {
			if match&(1<<uint(i)) == 0 {
				continue
			}
			fs := &series.Faults[i]
			switch out {
			case payment.Paid:
				fs.Paid[b]++
			case payment.FailedOrder, payment.Lost:
				fs.Failed[b]++
				fs.FailedAmount[b] += amt
			}
		}
	}
	res := &sim.Result{Series: series, Latency: r.latency, Totals: tot, Simulated: simulated,
		Interrupted: interrupted, Events: uint64(len(attempts))}
	if ledgers, err := r.cfg.Mocks.Ledgers(); err == nil {
		for _, p := range s.Providers {
			res.Ledgers = append(res.Ledgers, ledgers[p.Name])
		}
	} else {
		res.Ledgers = make([]mocks.Ledger, len(s.Providers))
	}
	if t := tot; t.Paid+t.Failed+t.Abandoned+t.Lost+t.InFlight != t.Created {
		res.Violations = append(res.Violations, "conservation: orders created and ended do not match")
	}
	return &Result{Result: res, NotSent: r.notSent.Load(), SendLag: r.lag, WriteLag: r.writeLag}
}

func sortAttempts(as []mocks.Attempt) {
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && as[j].At < as[j-1].At; j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
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
	var wg sync.WaitGroup
	work := make(chan string)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if v, err := r.final(id); err == nil {
					mu.Lock()
					out[id] = v
					mu.Unlock()
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
