package router

import (
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// segments learns transaction-level blocks: a provider that declines some
// orders with transaction_blocked (by amount, product category, payment
// method or buyer region) while taking the rest. It is switched on for a
// provider by its first transaction_blocked decline, so it costs nothing
// elsewhere. A category, method or region is avoided at that provider
// once its last two answers there were blocks (an order that gets through
// clears it); amounts are learned in bands 5% apart, and since such
// blocks are almost always "above an amount", every band above a blocked
// band counts as blocked until an order in it gets through. What it
// learned fades after segmentMemory without news.
type segments struct {
	active  bool
	dims    [3]map[string]*seg // category, method, region
	amounts [amountBands]seg
}

type seg struct {
	streak int32 // blocks in a row, most recent answers
	seen   bool
	last   time.Duration
}

const (
	amountBands   = 160
	amountRatio   = 1.05
	segmentMemory = 30 * time.Minute
	segmentBlocks = 2
)

func amountBand(m payment.Money) int {
	if m <= 100 {
		return 0
	}
	return min(int(math.Log(float64(m)/100)/math.Log(amountRatio))+1, amountBands-1)
}

func (s *seg) add(now time.Duration, blocked bool) {
	if now-s.last > segmentMemory {
		s.streak = 0
	}
	s.last, s.seen = now, true
	if blocked {
		s.streak++
	} else {
		s.streak = 0
	}
}

func (s *seg) current(now time.Duration) bool { return s.seen && now-s.last <= segmentMemory }

func (s *seg) blocked(now time.Duration) bool {
	return s.streak >= segmentBlocks && s.current(now)
}

func (g *segments) keys(o *payment.Order) [3]string {
	return [3]string{o.Category, o.Method, o.Region}
}

// observe records an answered call for o; blocked is a transaction_blocked decline.
func (g *segments) observe(now time.Duration, o *payment.Order, blocked bool) {
	if !g.active {
		if !blocked {
			return
		}
		g.active = true
		for i := range g.dims {
			g.dims[i] = map[string]*seg{}
		}
	}
	for i, k := range g.keys(o) {
		s := g.dims[i][k]
		if s == nil {
			s = &seg{}
			g.dims[i][k] = s
		}
		s.add(now, blocked)
	}
	g.amounts[amountBand(o.Amount)].add(now, blocked)
}

// avoid reports whether o looks blocked at this provider.
func (g *segments) avoid(now time.Duration, o *payment.Order) bool {
	if !g.active {
		return false
	}
	for i, k := range g.keys(o) {
		if s := g.dims[i][k]; s != nil && s.blocked(now) {
			return true
		}
	}
	// Amounts: blocked in its band, or in a lower band with nothing
	// getting through between it and this one.
	for k := amountBand(o.Amount); k >= 0; k-- {
		s := &g.amounts[k]
		switch {
		case !s.current(now):
		case s.streak >= segmentBlocks:
			return true
		case s.streak == 0:
			return false // the last order of this band got through
		}
	}
	return false
}
