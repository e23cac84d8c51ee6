package router

import (
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/volume"
)

// The health router keeps within the terms it is told of a channel
// (Terms), from its own ledger of what it sent there and saw accepted:
//
//   - an order outside a channel's per-order limits, or that would take
//     its day past the daily cap, is not sent there (no call that can
//     only be declined daily_limit);
//   - traffic moved off its first choice (a frozen or failed channel, or
//     a channel whose review has no room left) is spread over the healthy
//     channels after it that state a velocity review, each with
//     probability in proportion to its room: roomMargin of the most its
//     review allows in the current window, less what it took in the
//     window. The allowance is a multiple of the channel's own trailing
//     volume, so a backup's share ramps up window by window with what it
//     carried before, never jumping past what its review allows. A
//     channel with no stated review after them takes what they have no
//     room for; with none, the channel nearest its room takes it (an
//     order is never refused for a review).
//
// These are terms a contract states, given as configuration: the router
// respects them and learns nothing about a channel's risk controls.

// roomMargin is the share of a review's allowance the router fills: the
// rest absorbs what its ledger cannot see (calls in flight, the
// provider's own clock).
const roomMargin = 0.8

// ownBurst is how many standard deviations of a channel's own traffic
// (orders whose first choice it is, which have nowhere else to go) the
// room for moved traffic keeps free. Its own orders arrive at random: at
// a small shop's traffic a window holds a few dozen, and a burst of them
// into a window moved traffic has filled trips the review. The deviation
// is that of a compound Poisson sum, the square root of the sum of the
// squared amounts of its own orders in the window: a few percent of the
// allowance at 5 orders a second, a third of it at 10 a minute.
const ownBurst = 2.5

// dayLength is the period of a daily cap: days of scenario time from 0.
const dayLength = 24 * time.Hour

// ledger is what the router saw a channel with stated terms accept.
type ledger struct {
	t      *Terms
	day    int64
	used   payment.Money            // today, every method
	usedBy map[string]payment.Money // today, per method with its own cap

	// Review: accepted volume over the trailing period and the window,
	// and the amounts accepted within the window.
	vol    *volume.Ring
	recent []amountAt
	counts map[payment.Money]int

	// own: the methods whose first choice the channel is; ownSq: the sum
	// of the squared amounts (minor units) of such orders in the window.
	own   map[string]bool
	ownSq float64
}

type amountAt struct {
	at     time.Duration
	amount payment.Money
	own    bool
}

func newLedger(t *Terms, own map[string]bool) *ledger {
	l := &ledger{t: t, usedBy: map[string]payment.Money{}, own: own}
	if r := t.Review; r != nil {
		l.vol = volume.New(r.Window + r.Trailing)
		l.counts = map[payment.Money]int{}
	}
	return l
}

// roll starts a new day and forgets amounts older than the window.
func (l *ledger) roll(now time.Duration) {
	if d := int64(now / dayLength); d != l.day {
		l.day, l.used = d, 0
		clear(l.usedBy)
	}
	if l.vol == nil {
		return
	}
	for len(l.recent) > 0 && now-l.recent[0].at >= l.t.Review.Window {
		a := l.recent[0]
		if l.counts[a.amount]--; l.counts[a.amount] <= 0 {
			delete(l.counts, a.amount)
		}
		if a.own {
			l.ownSq = max(0, l.ownSq-float64(a.amount)*float64(a.amount))
		}
		l.recent = l.recent[1:]
	}
}

// add counts an accepted order.
func (l *ledger) add(now time.Duration, o *payment.Order) {
	l.roll(now)
	l.used += o.Amount
	if _, ok := l.t.Methods[o.Method]; ok {
		l.usedBy[o.Method] += o.Amount
	}
	if l.vol != nil {
		l.vol.Add(now, o.Amount)
		own := l.own[o.Method]
		l.recent = append(l.recent, amountAt{now, o.Amount, own})
		l.counts[o.Amount]++
		if own {
			l.ownSq += float64(o.Amount) * float64(o.Amount)
		}
	}
}

// fits reports whether o is within the per-order limits, within the
// day's caps, and not one identical amount too many for the review.
func (l *ledger) fits(now time.Duration, o *payment.Order) bool {
	l.roll(now)
	if !within(l.t.Limits, o.Amount, l.used) {
		return false
	}
	if b, ok := l.t.Methods[o.Method]; ok && !within(b, o.Amount, l.usedBy[o.Method]) {
		return false
	}
	r := l.t.Review
	return r == nil || r.Identical <= 0 || l.counts[o.Amount]+1 < r.Identical
}

func within(b Bound, amount, used payment.Money) bool {
	return (b.Min <= 0 || amount >= b.Min) && (b.Max <= 0 || amount <= b.Max) &&
		(b.Daily <= 0 || used+amount <= b.Daily)
}

// load returns the volume in the review's current window and the most
// the review allows there (the larger of its minimum volume and Factor
// times the trailing volume scaled to the window). ok is false while
// there is less than one window of history: the review cannot trip yet.
func (l *ledger) load(now time.Duration) (win, allowed float64, ok bool) {
	l.roll(now)
	r := l.t.Review
	span := min(r.Trailing, now-r.Window)
	if span < r.Window {
		return 0, 0, false
	}
	trail := float64(l.vol.Sum(now, r.Window+span, r.Window)) * float64(r.Window) / float64(span)
	return float64(l.vol.Sum(now, r.Window, 0)), max(float64(r.MinVolume), r.Factor*trail), true
}

// room is what the channel can still take in the window within
// roomMargin of its review's allowance.
func (l *ledger) room(now time.Duration) float64 {
	win, allowed, ok := l.load(now)
	if !ok {
		return float64(payment.MaxAmount)
	}
	return roomMargin*allowed - win
}

// spreadRoom is the room left for moved traffic: room less ownBurst
// deviations of the channel's own traffic in the window.
func (l *ledger) spreadRoom(now time.Duration) float64 {
	win, allowed, ok := l.load(now)
	if !ok {
		return float64(payment.MaxAmount)
	}
	return allowed - win - max((1-roomMargin)*allowed, ownBurst*math.Sqrt(l.ownSq))
}

// spreadPick chooses among cands (healthy channels with a stated review,
// in preference order) for o: with probability in proportion to room
// (spreadRoom) among those with room for it, else sink (a channel with no stated
// review; -1: none), else the one whose window would be least full.
func (h *Health) spreadPick(now time.Duration, o *payment.Order, cands []int, sink int) int {
	amount := float64(o.Amount)
	total, n, last := 0.0, 0, -1
	for _, j := range cands {
		if r := h.led[j].spreadRoom(now); r >= amount {
			total += r
			n++
			last = j
		}
	}
	if n == 1 {
		return last
	}
	if n > 1 {
		x := h.rng.Float64() * total
		for _, j := range cands {
			if r := h.led[j].spreadRoom(now); r >= amount {
				if x -= r; x < 0 {
					return j
				}
			}
		}
		return last
	}
	if sink >= 0 {
		return sink
	}
	best, bestFill := cands[0], 0.0
	for k, j := range cands {
		win, allowed, _ := h.led[j].load(now)
		fill := (win + amount) / max(allowed, 1)
		if k == 0 || fill < bestFill {
			best, bestFill = j, fill
		}
	}
	return best
}

// fitsOrNone is fits for a provider that may state no terms (nil).
func (l *ledger) fitsOrNone(now time.Duration, o *payment.Order) bool {
	return l == nil || l.fits(now, o)
}

// firstChoiceOf lists the methods whose first provider in order is i.
func firstChoiceOf(provs []Provider, order []int, i int) map[string]bool {
	own := map[string]bool{}
	for _, m := range provs[i].Methods {
		for _, j := range order {
			if provs[j].Accepts(m) {
				own[m] = j == i
				break
			}
		}
	}
	return own
}
