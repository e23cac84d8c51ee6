// Package refloop is the engine benchmarks' yardstick: a tight
// discrete-event loop over the same arrivals as a drill, on the same core,
// doing as little as a simulation of checkouts can. BENCHMARKS.md gives
// every engine figure as a ratio to it, measured in the same run, so a
// reader on another machine can tell the engine from the host.
//
// Each order is a 16-byte record in a slab with a free list. A card
// order (70 %) has one more event, its answer after a log-normal latency
// (median 250 ms, p99 1.5 s); a wallet order (30 %) has up to five: the answer,
// the buyer paying (88 % of them, log-normal, median 40 s), the
// notification two seconds later, a status check at 5 minutes and the pay
// page expiring at 15 minutes. That is 3.13 events per order, about
// merchant-freeze's mix (3.15 per order with the health router). Events are 16-byte values
// (time, sequence, kind, order) in a 4-ary min-heap on (time, sequence).
// Nothing is routed, decided, measured or recorded beyond counts: that is
// the engine's work, and the ratio says what it costs.
package refloop

import (
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
	"github.com/paydrill/paydrill/internal/traffic"
)

// Result counts what a loop did.
type Result struct {
	Orders, Events, Paid uint64
}

type kind uint8

const (
	arrival kind = iota
	answer
	pay
	notify
	check
	expire
)

type event struct {
	at  int64
	seq uint32
	k   kind
	ref uint32
}

type order struct {
	created int64
	state   uint8
	live    uint8
	wallet  bool
	paid    bool
}

// Run simulates the arrivals of a for dur with seed's arrival stream (the
// stream a drill's synthetic traffic draws its arrival times from).
func Run(a scenario.Arrivals, dur time.Duration, s uint64) (Result, error) {
	arr, err := traffic.NewArrivals(a, seed.Stream(s, "arrivals"))
	if err != nil {
		return Result{}, err
	}
	rng := seed.Stream(s, "refloop")
	var (
		res    Result
		h      []event
		seq    uint32
		orders []order
		free   []uint32
	)
	push := func(at int64, k kind, ref uint32) {
		seq++
		e := event{at: at, seq: seq, k: k, ref: ref}
		h = append(h, e)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 4
			if h[p].at < e.at || (h[p].at == e.at && h[p].seq < e.seq) {
				break
			}
			h[i] = h[p]
			i = p
		}
		h[i] = e
	}
	pop := func() event {
		top := h[0]
		n := len(h) - 1
		last := h[n]
		h = h[:n]
		i := 0
		for {
			c := 4*i + 1
			if c >= n {
				break
			}
			m := c
			for j := c + 1; j < c+4 && j < n; j++ {
				if h[j].at < h[m].at || (h[j].at == h[m].at && h[j].seq < h[m].seq) {
					m = j
				}
			}
			if last.at < h[m].at || (last.at == h[m].at && last.seq < h[m].seq) {
				break
			}
			h[i] = h[m]
			i = m
		}
		if n > 0 {
			h[i] = last
		}
		return top
	}
	logNormal := func(median, p99 float64) int64 {
		sigma := math.Log(p99/median) / 2.3263478740408408
		return int64(median * math.Exp(sigma*rng.NormFloat64()))
	}
	end := int64(dur)
	if t, ok := arr.Next(); ok && int64(t) < end {
		push(int64(t), arrival, 0)
	}
	release := func(oi uint32) {
		o := &orders[oi]
		o.live--
		if o.live == 0 {
			if o.paid {
				res.Paid++
			}
			free = append(free, oi)
		}
	}
	for len(h) > 0 {
		e := pop()
		res.Events++
		switch e.k {
		case arrival:
			var oi uint32
			if n := len(free); n > 0 {
				oi, free = free[n-1], free[:n-1]
			} else {
				orders = append(orders, order{})
				oi = uint32(len(orders) - 1)
			}
			o := &orders[oi]
			*o = order{created: e.at, wallet: rng.Float64() < 0.3, live: 1}
			res.Orders++
			push(e.at+logNormal(250e6, 1.5e9), answer, oi)
			if t, ok := arr.Next(); ok && int64(t) < end {
				push(int64(t), arrival, 0)
			}
		case answer:
			o := &orders[e.ref]
			if o.wallet {
				o.live += 2
				if rng.Float64() < 0.88 {
					o.live++
					push(e.at+logNormal(40e9, 240e9), pay, e.ref)
				}
				push(e.at+int64(5*time.Minute), check, e.ref)
				push(e.at+int64(15*time.Minute), expire, e.ref)
			} else {
				o.paid = true
			}
			release(e.ref)
		case pay:
			orders[e.ref].live++
			push(e.at+int64(2*time.Second), notify, e.ref)
			release(e.ref)
		case notify:
			orders[e.ref].paid = true
			release(e.ref)
		case check, expire:
			orders[e.ref].state++
			release(e.ref)
		}
	}
	return res, nil
}
