package router

import (
	"math"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// accept feeds h an accepted create of o on p at now.
func accept(h *Health, now time.Duration, p int, o *payment.Order) {
	h.Observe(now, Observation{Provider: p, Kind: Answered, Status: payment.Accepted, Order: o})
}

// A channel's stated per-order and daily limits, and its review's
// identical-amount burst, keep orders off it that it can only decline or
// that would trip it; the next channel takes them. The same router without
// the terms (NoSpread) sends them all to the first channel.
func TestHealthKeepsWithinStatedLimits(t *testing.T) {
	for _, tt := range []struct {
		name   string
		terms  Terms
		amount payment.Money
		want   []int // providers picked for successive orders, each accepted where sent
	}{
		{"per-order max", Terms{Limits: Bound{Max: 500}}, 1000, []int{1, 1, 1}},
		{"per-order min", Terms{Limits: Bound{Min: 2000}}, 1000, []int{1, 1}},
		{"within limits", Terms{Limits: Bound{Min: 500, Max: 1000}}, 1000, []int{0, 0, 0}},
		{"at the per-order min", Terms{Limits: Bound{Min: 1000}}, 1000, []int{0, 0}},
		{"daily cap", Terms{Limits: Bound{Daily: 3000}}, 1000, []int{0, 0, 0, 1, 1}},
		{"method's daily cap", Terms{Methods: map[string]Bound{"card": {Daily: 2000}}}, 1000, []int{0, 0, 1, 1}},
		{"identical amounts", Terms{Review: &ReviewTerms{Window: 5 * time.Minute, Trailing: time.Hour, Factor: 5, Identical: 3}},
			1000, []int{0, 0, 1, 1}},
	} {
		for _, spread := range []bool{true, false} {
			provs := []Provider{{Name: "a", Methods: []string{"card"}, Terms: &tt.terms}, {Name: "b", Methods: []string{"card"}}}
			h := NewHealth(provs, []int{0, 1}, cfgWith(func(c *HealthParams) { c.NoSpread = !spread }), 1)
			now := time.Duration(0)
			for k, want := range tt.want {
				if !spread {
					want = 0
				}
				now += time.Second
				o := &payment.Order{Method: "card", Amount: tt.amount}
				p := h.Pick(now, o, 0)
				if p != want {
					t.Errorf("%s (spread %v): order %d went to %d, want %d", tt.name, spread, k, p, want)
				}
				accept(h, now, p, o)
			}
		}
	}
}

// The cascade in small: a primary card channel and three backups, each
// carrying its own wallet method (one order of 20.00 a second) and stating
// a review at 2.5 times its trailing volume. An hour in, the primary is
// out and its card traffic (two orders a second) moves. Health spreads it
// over the three: each takes a share, none passes its review's allowance
// in any window (checked here against the accepted volume, independently
// of the router's ledger). Without the terms it piles it onto the first.
func TestHealthSpreadsMovedTrafficWithinReviews(t *testing.T) {
	review := &ReviewTerms{Window: 5 * time.Minute, Trailing: time.Hour, Factor: 2.5, MinVolume: 100000}
	provs := []Provider{{Name: "alpha", Methods: []string{"card"}}}
	for _, m := range []string{"w1", "w2", "w3"} {
		provs = append(provs, Provider{Name: m, Methods: []string{m, "card"}, Terms: &Terms{Review: review}})
	}
	type acc struct {
		at     time.Duration
		p      int
		amount payment.Money
	}
	for _, spread := range []bool{true, false} {
		h := NewHealth(provs, []int{0, 1, 2, 3}, cfgWith(func(c *HealthParams) { c.NoSpread = !spread }), 7)
		var log []acc
		moved := make([]int, len(provs))
		worst := make([]float64, len(provs)) // highest window volume / (factor x scaled trailing)
		sum := func(p int, from, to time.Duration) (v float64) {
			for _, a := range log {
				if a.p == p && a.at >= from && a.at < to {
					v += float64(a.amount)
				}
			}
			return v
		}
		for s := 1; s <= 80*60; s++ {
			now := time.Duration(s) * time.Second
			for b, m := range []string{"w1", "w2", "w3"} {
				o := &payment.Order{Method: m, Amount: 2000}
				if p := h.Pick(now, o, 0); p != b+1 {
					t.Fatalf("spread %v: %s order at %s went to %d, want %d (its only channel)", spread, m, now, p, b+1)
				}
				accept(h, now, b+1, o)
				log = append(log, acc{now, b + 1, o.Amount})
			}
			if now <= time.Hour {
				continue
			}
			for range 2 {
				o := &payment.Order{Method: "card", Amount: 2000}
				p := h.Pick(now, o, 1) // alpha tried: it is frozen
				if p < 1 {
					t.Fatalf("spread %v: a moved card order at %s went to %d", spread, now, p)
				}
				moved[p]++
				accept(h, now, p, o)
				log = append(log, acc{now, p, o.Amount})
			}
			if s%10 == 0 {
				for p := 1; p < len(provs); p++ {
					win := sum(p, now-5*time.Minute, now+1)
					trail := sum(p, now-65*time.Minute, now-5*time.Minute) / 12
					worst[p] = max(worst[p], win/(2.5*trail))
				}
			}
		}
		t.Logf("spread %v: moved orders per channel %v, worst window/allowance %.2f", spread, moved[1:], worst[1:])
		if !spread {
			if moved[1] != 2*20*60 || worst[1] <= 1 {
				t.Errorf("without the terms: moved %v, worst window/allowance %v; want every moved order on w1, over its allowance", moved, worst)
			}
			continue
		}
		for p := 1; p < len(provs); p++ {
			if moved[p] < 20*60/2 || worst[p] > roomMargin+0.05 {
				t.Errorf("spread: %s took %d of %d moved orders, its worst window at %.2f of its review's allowance; want about a third each, within %.2f",
					provs[p].Name, moved[p], 2*20*60, worst[p], roomMargin)
			}
		}
	}
}

// Room for moved traffic keeps free ownBurst deviations of the channel's
// own traffic (orders whose first choice it is, which cannot go
// elsewhere), or the margin, whichever is more. At a small shop's traffic
// (ten own orders in the window) the deviation is the larger: a moved
// order that fits within the margin but not beside a burst of the
// channel's own orders goes to the channel with no stated review. At high
// traffic the margin is the larger and the same order fits.
func TestHealthSpreadKeepsRoomForOwnBursts(t *testing.T) {
	review := &ReviewTerms{Window: 10 * time.Minute, Trailing: time.Hour, Factor: 2.5}
	provs := []Provider{
		{Name: "alpha", Methods: []string{"card"}},
		{Name: "w1", Methods: []string{"w1", "card"}, Terms: &Terms{Review: review}},
		{Name: "sink", Methods: []string{"card"}},
	}
	for _, tt := range []struct {
		name   string
		every  time.Duration // one own order of 20.00 on w1 this often
		amount payment.Money // the moved order, once the window holds the own orders alone
		want   int
	}{
		// 10 own orders in the window: 200.00 of 500.00 allowed; the
		// margin keeps 100.00 free, 2.5 deviations 158.11 (2.5 x 63.25):
		// room 141.89, where the margin alone left 200.00.
		{"small shop, fits the margin, not the burst", time.Minute, 15000, 2},
		{"small shop, fits both", time.Minute, 13000, 1},
		// 600 own orders: 12,000.00 of 30,000.00; the margin keeps
		// 6,000.00 free, more than 2.5 deviations (1,224.74): room 12,000.00.
		{"high traffic, the margin alone", time.Second, 1100000, 1},
		// Room 12,000.00: with the deviations alone it would be 16,775.26.
		{"high traffic, over the margin", time.Second, 1300000, 2},
	} {
		h := NewHealth(provs, []int{0, 1, 2}, cfgWith(func(*HealthParams) {}), 3)
		now := 70 * time.Minute // the moved order comes with the last own order
		for at := tt.every; at <= now; at += tt.every {
			o := &payment.Order{Method: "w1", Amount: 2000}
			if p := h.Pick(at, o, 0); p != 1 {
				t.Fatalf("%s: a w1 order went to %d", tt.name, p)
			}
			accept(h, at, 1, o)
		}
		o := &payment.Order{Method: "card", Amount: tt.amount}
		if got := h.Pick(now, o, 1); got != tt.want { // alpha tried: it is frozen
			t.Errorf("%s: a moved card order of %s went to %s, want %s", tt.name, tt.amount, provs[got].Name, provs[tt.want].Name)
		}
	}
}

// Spreading moved traffic offers a full channel (429s cut its admission
// share) only its share of the orders, as the first pass does: with
// admission at the floor (2%) it gets about 1% of the moved orders that
// two channels with room would split evenly.
func TestHealthSpreadHonoursAdmission(t *testing.T) {
	review := &Terms{Review: &ReviewTerms{Window: 5 * time.Minute, Trailing: time.Hour, Factor: 2.5}}
	provs := []Provider{{Name: "a", Methods: []string{"card"}},
		{Name: "b", Methods: []string{"card"}, Terms: review}, {Name: "c", Methods: []string{"card"}, Terms: review}}
	for _, tt := range []struct {
		admit  float64
		lo, hi float64 // share of moved orders c takes
	}{{1, 0.4, 0.6}, {admitFloor, 0, 0.03}} {
		h := NewHealth(provs, []int{0, 1, 2}, cfgWith(func(c *HealthParams) {}), 3)
		h.st[2].admit = tt.admit
		const n = 4000
		toC := 0
		for k := range n {
			switch p := h.Pick(time.Duration(k)*time.Millisecond, card(), 0b1); p {
			case 2:
				toC++
			case 1:
			default:
				t.Fatalf("admission %v: a moved order went to %d", tt.admit, p)
			}
		}
		if share := float64(toC) / n; share < tt.lo || share > tt.hi {
			t.Errorf("admission %v: c took %.3f of the moved orders, want within [%v, %v]", tt.admit, share, tt.lo, tt.hi)
		}
	}
}

// A first choice with a stated review keeps the orders it has room for
// (roomMargin of its allowance, less its window's volume), to the last
// unit; one it has no room for is spread, here to the channel with no
// stated review.
func TestHealthFirstChoiceKeepsWhatItHasRoomFor(t *testing.T) {
	review := &Terms{Review: &ReviewTerms{Window: 5 * time.Minute, Trailing: time.Hour, Factor: 2.5, MinVolume: 100000}}
	provs := []Provider{{Name: "a", Methods: []string{"card"}, Terms: review}, {Name: "b", Methods: []string{"card"}}}
	for _, tt := range []struct {
		taken int           // orders of 10.00 a took in the window; its room is 0.8·1000.00 less them
		at    time.Duration // of the next order
		want  int
	}{
		{79, 10 * time.Minute, 0},
		{80, 10 * time.Minute, 1},
		// Before two windows have passed there is less than a window of
		// trailing history: the review cannot trip yet, and a keeps all.
		{100, 10*time.Minute - time.Second, 0},
	} {
		h := NewHealth(provs, []int{0, 1}, cfgWith(func(c *HealthParams) {}), 1)
		for k := range tt.taken {
			accept(h, 7*time.Minute+time.Duration(k)*time.Second, 0, card())
		}
		if got := h.Pick(tt.at, card(), 0); got != tt.want {
			t.Errorf("a took %d orders of 10.00 of its room of 800.00: the next, at %s, went to %d, want %d", tt.taken, tt.at, got, tt.want)
		}
	}
}

// When no channel with a stated review has room and none without one is
// left, the order goes to the one whose window it would leave least full
// (its window's volume with the order, over its allowance); on a tie, to
// the first.
func TestHealthSpreadWithNoRoomPicksLeastFull(t *testing.T) {
	for _, tt := range []struct {
		allowed [2]payment.Money // each one's minimum volume: its allowance with no trailing volume
		taken   [2]int           // orders of 10.00 each took in the window
		amount  payment.Money
		want    int
	}{
		{[2]payment.Money{100000, 100000}, [2]int{80, 90}, 1000, 0},
		{[2]payment.Money{100000, 100000}, [2]int{95, 85}, 1000, 1},
		{[2]payment.Money{100000, 100000}, [2]int{90, 90}, 1000, 0},
		// a: (500.00 + 800.00) / 1000.00 = 1.3 full; b: (1100.00 + 800.00) / 2000.00 = 0.95.
		{[2]payment.Money{100000, 200000}, [2]int{50, 110}, 80000, 1},
	} {
		var provs []Provider
		for p, name := range []string{"a", "b"} {
			review := &Terms{Review: &ReviewTerms{Window: 5 * time.Minute, Trailing: time.Hour, Factor: 2.5, MinVolume: tt.allowed[p]}}
			provs = append(provs, Provider{Name: name, Methods: []string{"card"}, Terms: review})
		}
		h := NewHealth(provs, []int{0, 1}, cfgWith(func(c *HealthParams) {}), 1)
		for p, n := range tt.taken {
			for k := range n {
				accept(h, 7*time.Minute+time.Duration(k)*time.Second, p, card())
			}
		}
		o := &payment.Order{Method: "card", Amount: tt.amount}
		if got := h.Pick(10*time.Minute, o, 0); got != tt.want {
			t.Errorf("a and b, allowing %v, took %v orders of 10.00: the next, of %s, went to %d, want %d", tt.allowed, tt.taken, tt.amount, got, tt.want)
		}
	}
}

// An order outside every channel's limits still goes somewhere (its
// decline moves it on): to the first it would prefer.
func TestHealthOutsideEveryLimitPicksTheFirst(t *testing.T) {
	small := &Terms{Limits: Bound{Max: 500}}
	provs := []Provider{{Name: "a", Methods: []string{"card"}, Terms: small}, {Name: "b", Methods: []string{"card"}, Terms: small}}
	h := NewHealth(provs, []int{0, 1}, cfgWith(func(c *HealthParams) {}), 1)
	for _, tt := range []struct {
		tried uint64
		want  int
	}{{0, 0}, {0b1, 1}, {0b11, -1}} {
		if got := h.Pick(time.Second, card(), tt.tried); got != tt.want {
			t.Errorf("an order of 10.00 over both maxima of 5.00, tried %02b: Pick = %d, want %d", tt.tried, got, tt.want)
		}
	}
}

// A channel with room for a moved order to the last unit takes its share
// of them: alone, all of them (one over its room goes to the channel with
// no stated review, wherever that stands in the order); beside another
// with room, in proportion to room. Each reviewed channel here has an
// empty window and no trailing volume: its allowance is its minimum
// volume, and its room for moved traffic 0.8 of it.
func TestHealthSpreadRoomToTheLastUnit(t *testing.T) {
	reviewed := func(name string, minVolume payment.Money) Provider {
		return Provider{Name: name, Methods: []string{"card"},
			Terms: &Terms{Review: &ReviewTerms{Window: 5 * time.Minute, Trailing: time.Hour, Factor: 2.5, MinVolume: minVolume}}}
	}
	plain := func(name string) Provider { return Provider{Name: name, Methods: []string{"card"}} }
	for _, tt := range []struct {
		name   string
		provs  []Provider
		order  []int
		amount payment.Money
		want   []float64 // share of the moved orders per provider
	}{
		{"alone, to the last unit", []Provider{plain("alpha"), reviewed("w", 100000), plain("sink")}, []int{0, 1, 2},
			80000, []float64{0, 1, 0}},
		{"alone, one unit over", []Provider{plain("alpha"), reviewed("w", 100000), plain("sink")}, []int{0, 1, 2},
			80001, []float64{0, 0, 1}},
		{"the sink listed first", []Provider{plain("sink"), reviewed("w", 100000), plain("alpha")}, []int{2, 1, 0},
			80001, []float64{1, 0, 0}},
		// Rooms 800.00 and 1,600.00: a third and two thirds.
		{"beside another", []Provider{plain("alpha"), reviewed("w1", 100000), reviewed("w2", 200000)}, []int{0, 1, 2},
			80000, []float64{0, 1.0 / 3, 2.0 / 3}},
	} {
		h := NewHealth(tt.provs, tt.order, cfgWith(func(c *HealthParams) {}), 5)
		alpha := tt.order[0] // tried: the order is moved
		const n = 3000
		got := make([]int, len(tt.provs))
		for range n {
			got[h.Pick(10*time.Minute, &payment.Order{Method: "card", Amount: tt.amount}, 1<<uint(alpha))]++
		}
		for p, want := range tt.want {
			if share := float64(got[p]) / n; math.Abs(share-want) > 0.04 {
				t.Errorf("%s: %s took %.3f of the moved orders of %s, want %.3f", tt.name, tt.provs[p].Name, share, tt.amount, want)
			}
		}
	}
}

// The ledger forgets an accepted amount once it is a whole window old:
// for the identical-amount burst (one amount's count, the others kept)
// and for the own traffic's deviation (its squared amounts).
func TestLedgerForgetsPastTheWindow(t *testing.T) {
	const w = 5 * time.Minute
	for _, tt := range []struct {
		name  string
		adds  []time.Duration // an own order of 10.00 accepted at each
		at    time.Duration
		fits  bool    // one more of 10.00 at at, with 3 identical allowed
		ownSq float64 // at at
	}{
		{"both in the window", []time.Duration{0, time.Minute}, w - 1, false, 2e6},
		{"the first a window old", []time.Duration{0, time.Minute}, w, true, 1e6},
		{"both a window old", []time.Duration{0, time.Minute}, w + time.Minute, true, 0},
		{"the first a window old, one more since", []time.Duration{0, time.Minute, w}, w, false, 2e6},
	} {
		l := newLedger(&Terms{Review: &ReviewTerms{Window: w, Trailing: time.Hour, Factor: 2.5, Identical: 3}}, map[string]bool{"card": true})
		for _, at := range tt.adds {
			l.add(at, card())
		}
		if got := l.fits(tt.at, card()); got != tt.fits {
			t.Errorf("%s: fits at %s = %v, want %v", tt.name, tt.at, got, tt.fits)
		}
		if l.ownSq != tt.ownSq {
			t.Errorf("%s: squared own amounts at %s = %g, want %g", tt.name, tt.at, l.ownSq, tt.ownSq)
		}
	}
}
