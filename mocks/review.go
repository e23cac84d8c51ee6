package mocks

import (
	"fmt"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/volume"
)

// ReviewTrip is one time a velocity review put the merchant under review:
// when (scenario time) and what caused it, in words.
type ReviewTrip struct {
	At    time.Duration `json:"at_ns"`
	Cause string        `json:"cause"`
}

// review is a channel's velocity review (scenario Review): the volume it
// accepted in 10 s slots over the trailing period and the window, and
// the amounts accepted within the window. A trip puts the merchant under
// review until `until`; meanwhile every create is declined
// merchant_suspended, or silently frozen.
type review struct {
	window, trailing, length time.Duration
	factor                   float64
	minVolume                payment.Money
	identical                int
	silent                   bool

	vol    *volume.Ring // accepted volume over the trailing period and the window
	recent []amountAt   // accepted within the window, oldest first
	counts map[payment.Money]int
	until  time.Duration // under review while now < until
	trips  []ReviewTrip
}

type amountAt struct {
	at     time.Duration
	amount payment.Money
}

func newReview(r *scenario.Review) *review {
	if r == nil {
		return nil
	}
	v := &review{length: r.For.D(), minVolume: minor(r.MinVolume), identical: r.Identical,
		silent: r.Action == "silent", counts: map[payment.Money]int{}, until: -1}
	v.window, v.trailing, v.factor = r.Spans()
	v.vol = volume.New(v.window + v.trailing)
	return v
}

// advance drops amounts older than the window.
func (v *review) advance(now time.Duration) {
	for len(v.recent) > 0 && now-v.recent[0].at >= v.window {
		a := v.recent[0]
		if v.counts[a.amount]--; v.counts[a.amount] <= 0 {
			delete(v.counts, a.amount)
		}
		v.recent = v.recent[1:]
	}
}

// apply puts the merchant under review when the volume so far trips it,
// and acts on a create at now while under review. It reports whether it
// touched the call.
func (v *review) apply(now time.Duration, o *payment.Order, c *Call) bool {
	v.advance(now)
	if !v.under(now) {
		win := v.vol.Sum(now, v.window, 0)
		// The trailing period is what history there is, up to Trailing: a
		// channel judges a jump against its own past, and a drill's first
		// window has none (no volume trip before one window of history).
		span := min(v.trailing, now-v.window)
		trail := v.vol.Sum(now, v.window+span, v.window)
		scaled := 0.0
		if span > 0 {
			scaled = float64(trail) * float64(v.window) / float64(span)
		}
		switch {
		case span >= v.window && win >= v.minVolume && win > 0 && float64(win) > v.factor*scaled:
			v.trip(now, fmt.Sprintf("volume %s in %s, over %g x the trailing %s's %s (scaled %s)",
				win, v.window, v.factor, v.trailing, trail, payment.Money(scaled)))
		case v.identical > 0 && v.counts[o.Amount]+1 >= v.identical:
			v.trip(now, fmt.Sprintf("%d orders of %s within %s", v.counts[o.Amount]+1, o.Amount, v.window))
		}
	}
	if !v.under(now) {
		return false
	}
	if v.silent {
		c.Silent = true
	} else {
		c.Status, c.Code = payment.Declined, payment.CodeMerchantSuspended
	}
	return true
}

func (v *review) under(now time.Duration) bool { return now < v.until }

func (v *review) trip(now time.Duration, cause string) {
	v.until = Forever
	if v.length > 0 {
		v.until = now + v.length
	}
	v.trips = append(v.trips, ReviewTrip{At: now, Cause: cause})
}

// reset forgets the volume, the review and its trips.
func (v *review) reset() {
	v.vol.Reset()
	v.recent, v.until, v.trips = nil, -1, nil
	clear(v.counts)
}

// add counts an accepted order's amount.
func (v *review) add(now time.Duration, o *payment.Order) {
	v.advance(now)
	v.vol.Add(now, o.Amount)
	v.recent = append(v.recent, amountAt{now, o.Amount})
	v.counts[o.Amount]++
}
