package router

import (
	"math"
	"math/bits"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// segments learns transaction-level blocks: a provider that declines some
// orders with transaction_blocked (by amount, product category, payment
// method, buyer region, or any combination of them: gift cards from
// Brazil, cards above an amount in one region) while taking the rest.
// Nothing is declared in advance: it is switched on for a provider by its
// first transaction_blocked decline, so it costs nothing elsewhere.
//
// Every answered order updates one key per combination of its four
// attributes (category, method, region, amount band of a factor 3): the
// 15 non-empty subsets. A key is blocked once its last two answers were
// blocks. An order is avoided when one of its keys is blocked, unless a
// more specific key of the same order (a superset of the blocked one)
// was answered without a block since: that is how a block on gift cards
// from Brazil does not take Brazil's game keys along when two Brazilian
// gift cards happen to come in a row. Each specific kind of order inside
// a block is tried once before it is avoided (the retry costs nobody his
// order), then avoided until a probe (ProbeShare of the avoided orders)
// gets through.
//
// Amounts are also learned in bands 5% apart, and since such blocks are
// almost always "above an amount", every band above a blocked band counts
// as blocked until an order in it gets through. What it learned fades
// after segmentMemory without news.
type segments struct {
	active  bool
	ids     [3]map[string]uint32 // interned category, method, region
	keys    map[segKey]*seg
	amounts [amountBands]seg
}

// segKey is one combination of attribute values: mask bit i set when
// attribute i (category, method, region, amount band) is part of it.
type segKey struct {
	mask uint8
	v    [segAttrs]uint32
}

type seg struct {
	streak int32 // blocks in a row, most recent answers
	seen   bool
	last   time.Duration
}

const (
	segAttrs       = 4
	segMasks       = 1<<segAttrs - 1
	amountBands    = 160
	amountRatio    = 1.05
	comboBandRatio = 3
	segmentMemory  = 30 * time.Minute
	segmentBlocks  = 2
)

func amountBand(m payment.Money) int {
	if m <= 100 {
		return 0
	}
	return min(int(math.Log(float64(m)/100)/math.Log(amountRatio))+1, amountBands-1)
}

// comboBand is the coarse amount band combinations use (factor 3 from 1.00).
func comboBand(m payment.Money) uint32 {
	if m <= 100 {
		return 0
	}
	return uint32(math.Log(float64(m)/100)/math.Log(comboBandRatio)) + 1
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

// clear reports whether the key's last answer, within memory, got through.
func (s *seg) clear(now time.Duration) bool { return s.streak == 0 && s.current(now) }

// values interns o's attributes; ok is false when one is new (no key of
// it can have been seen).
func (g *segments) values(o *payment.Order, add bool) (v [segAttrs]uint32, ok bool) {
	for i, s := range [3]string{o.Category, o.Method, o.Region} {
		id, found := g.ids[i][s]
		if !found {
			if !add {
				return v, false
			}
			id = uint32(len(g.ids[i]))
			g.ids[i][s] = id
		}
		v[i] = id
	}
	v[3] = comboBand(o.Amount)
	return v, true
}

func keyOf(mask uint8, v [segAttrs]uint32) segKey {
	k := segKey{mask: mask}
	for i := range segAttrs {
		if mask&(1<<i) != 0 {
			k.v[i] = v[i]
		}
	}
	return k
}

// observe records an answered call for o; blocked is a transaction_blocked decline.
func (g *segments) observe(now time.Duration, o *payment.Order, blocked bool) {
	if !g.active {
		if !blocked {
			return
		}
		g.active = true
		for i := range g.ids {
			g.ids[i] = map[string]uint32{}
		}
		g.keys = map[segKey]*seg{}
	}
	v, _ := g.values(o, true)
	for m := uint8(1); m <= segMasks; m++ {
		k := keyOf(m, v)
		s := g.keys[k]
		if s == nil {
			s = &seg{}
			g.keys[k] = s
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
	if v, ok := g.values(o, false); ok {
		var state [segMasks + 1]uint8 // 0 unknown, 1 blocked, 2 clear
		for m := uint8(1); m <= segMasks; m++ {
			if s := g.keys[keyOf(m, v)]; s != nil {
				switch {
				case s.blocked(now):
					state[m] = 1
				case s.clear(now):
					state[m] = 2
				}
			}
		}
		for m := uint8(1); m <= segMasks; m++ {
			if state[m] == 1 && !clearAbove(&state, m) {
				return true
			}
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

// clearAbove reports whether a strict superset of mask m is clear.
func clearAbove(state *[segMasks + 1]uint8, m uint8) bool {
	for s := uint8(1); s <= segMasks; s++ {
		if s != m && s&m == m && state[s] == 2 && bits.OnesCount8(s) > bits.OnesCount8(m) {
			return true
		}
	}
	return false
}
