package router

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// A block on a combination (gift cards from Brazil) is learned without a
// list; the rest of Brazil and the rest of the gift cards stay, even when
// two Brazilian gift cards come in a row; a single-attribute block (all
// of Brazil) is learned too.
func TestSegmentsLearnCombinations(t *testing.T) {
	cats := []string{"game-keys", "gift-cards", "subscriptions"}
	regions := []string{"US", "DE", "BR", "GB", "IN"}
	for _, tc := range []struct {
		name    string
		blocked func(o *payment.Order) bool
	}{
		{"pair", func(o *payment.Order) bool { return o.Category == "gift-cards" && o.Region == "BR" }},
		{"single", func(o *payment.Order) bool { return o.Region == "BR" }},
		{"triple", func(o *payment.Order) bool {
			return o.Category == "gift-cards" && o.Region == "BR" && o.Amount >= 1000
		}},
	} {
		var g segments
		rng := rand.New(rand.NewPCG(1, 2))
		var inside, insideAvoided, outside, outsideAvoided int
		for k := range 20000 {
			now := time.Duration(k) * time.Second
			o := &payment.Order{Category: cats[rng.IntN(3)], Method: "card", Region: regions[rng.IntN(5)],
				Amount: payment.Money(100 + rng.IntN(5000))}
			b := tc.blocked(o)
			avoid := g.avoid(now, o)
			if k > 2000 { // after learning
				if b {
					inside++
					if avoid {
						insideAvoided++
					}
				} else {
					outside++
					if avoid {
						outsideAvoided++
					}
				}
			}
			if !avoid || rng.Float64() < 0.02 { // sent, or a probe
				g.observe(now, o, b)
			}
		}
		if f := float64(insideAvoided) / float64(inside); f < 0.95 {
			t.Errorf("%s block: %.1f%% of blocked orders avoided, want at least 95%%", tc.name, 100*f)
		}
		if f := float64(outsideAvoided) / float64(outside); f > 0.02 {
			t.Errorf("%s block: %.1f%% of orders outside the block avoided, want at most 2%%", tc.name, 100*f)
		}
	}
}

// The health router learns a transaction-level block from the
// transaction_blocked declines it sees (two in a row): orders of that
// kind go to the next provider, others stay, and the blocks never eject
// the provider. With NoSegments the blocked kind stays too.
func TestHealthAvoidsLearnedBlocks(t *testing.T) {
	gift := &payment.Order{Method: "card", Category: "gift-cards", Region: "BR", Amount: 5000}
	keys := &payment.Order{Method: "card", Category: "game-keys", Region: "US", Amount: 1000}
	blocked := Observation{Provider: 0, Kind: Answered, Status: payment.Declined, Class: payment.ProviderBlock,
		Code: payment.CodeTransactionBlocked, Order: gift}
	for _, tt := range []struct {
		noSegments bool
		gift, keys int // where the next order of each kind goes
	}{{false, 1, 0}, {true, 0, 0}} {
		h := twoCards(cfgWith(func(c *HealthParams) { c.ProbeShare, c.Consecutive, c.NoSegments = 1e-300, 1, tt.noSegments }))
		h.Observe(time.Second, Observation{Provider: 0, Kind: Answered, Status: payment.Accepted, Order: keys})
		h.Observe(2*time.Second, blocked)
		h.Observe(3*time.Second, blocked)
		if h.Ejected(0) {
			t.Errorf("NoSegments %v: transaction_blocked declines ejected the provider", tt.noSegments)
		}
		if got := h.Pick(4*time.Second, gift, 0); got != tt.gift {
			t.Errorf("NoSegments %v: a gift card from Brazil went to %d, want %d", tt.noSegments, got, tt.gift)
		}
		if got := h.Pick(4*time.Second, keys, 0); got != tt.keys {
			t.Errorf("NoSegments %v: game keys from the US went to %d, want %d", tt.noSegments, got, tt.keys)
		}
	}
}

// A provider that learned a block still gets a share (ProbeShare) of the
// orders of that kind as probes of the block, but only as their first
// attempt: a retry is never spent on a probe. When every provider blocks
// the kind, the order goes to the first one it would prefer.
func TestHealthBlockProbesAndFallback(t *testing.T) {
	gift := &payment.Order{Method: "card", Category: "gift-cards", Region: "BR", Amount: 5000}
	provs := []Provider{{Name: "a", Methods: []string{"card"}}, {Name: "b", Methods: []string{"card"}}, {Name: "c", Methods: []string{"card"}}}
	for _, tt := range []struct {
		name       string
		probeShare float64
		blocking   []int  // providers that learned the block
		tried      uint64 // providers the order tried
		want       int
		probe      bool
	}{
		{"first attempt, probe", 1, []int{0}, 0, 0, true},
		{"retry, no probe", 1, []int{0}, 0b100, 1, false},
		{"first attempt, no share", 1e-300, []int{0}, 0, 1, false},
		{"every provider blocks", 1e-300, []int{0, 1, 2}, 0, 0, false},
		{"every untried one blocks", 1e-300, []int{1, 2}, 0b1, 1, false},
	} {
		h := NewHealth(provs, []int{0, 1, 2}, cfgWith(func(c *HealthParams) { c.ProbeShare, c.Consecutive = tt.probeShare, 1 }), 1)
		for _, p := range tt.blocking {
			for k := range 2 {
				h.Observe(time.Duration(k+1)*time.Second, Observation{Provider: p, Kind: Answered, Status: payment.Declined,
					Class: payment.ProviderBlock, Code: payment.CodeTransactionBlocked, Order: gift})
			}
		}
		got, probe := h.Pick(4*time.Second, gift, tt.tried), false
		if got >= 0 {
			_, probe = h.Probe(got)
		}
		if got != tt.want || probe != tt.probe {
			t.Errorf("%s: a gift card from Brazil went to %d (probe %v), want %d (probe %v)", tt.name, got, probe, tt.want, tt.probe)
		}
	}
}

// Amounts (minor units) are learned in bands 5% apart from 1.00, at most
// amountBands; combinations use bands a factor 3 apart.
func TestAmountBands(t *testing.T) {
	for _, tt := range []struct {
		m     payment.Money
		band  int
		combo uint32
	}{
		{50, 0, 0},
		{100, 0, 0},
		{101, 1, 1},
		{110, 2, 1},                 // 1.10 = 1.05^1.95
		{299, 23, 1},                // 1.05^22.4; 3^0.997
		{301, 23, 2},                // 3^1.003
		{1000, 48, 3},               // 10 = 1.05^47.2 = 3^2.1
		{1e12, amountBands - 1, 21}, // 1e10 = 3^20.96
	} {
		if got := amountBand(tt.m); got != tt.band {
			t.Errorf("amountBand(%d) = %d, want %d", tt.m, got, tt.band)
		}
		if got := comboBand(tt.m); got != tt.combo {
			t.Errorf("comboBand(%d) = %d, want %d", tt.m, got, tt.combo)
		}
	}
}

// A key is blocked after segmentBlocks blocks in a row and stays so for
// segmentMemory after its last answer; news within the memory adds to the
// streak, news after it starts a new one.
func TestSegMemory(t *testing.T) {
	const last = time.Second
	for _, tt := range []struct {
		name    string
		answers map[time.Duration]bool // at: blocked
		at      time.Duration
		blocked bool
		clear   bool
	}{
		{"two blocks", map[time.Duration]bool{0: true, last: true}, last + segmentMemory, true, false},
		{"two blocks, memory past", map[time.Duration]bool{0: true, last: true}, last + segmentMemory + 1, false, false},
		{"one block", map[time.Duration]bool{last: true}, last, false, false},
		{"a block at the memory's end adds", map[time.Duration]bool{0: true, segmentMemory: true}, segmentMemory, true, false},
		{"a block past the memory starts anew", map[time.Duration]bool{0: true, segmentMemory + 1: true}, segmentMemory + 1, false, false},
		{"through at the memory's end", map[time.Duration]bool{0: false}, segmentMemory, false, true},
		{"through, memory past", map[time.Duration]bool{0: false}, segmentMemory + 1, false, false},
	} {
		var s seg
		for _, at := range []time.Duration{0, last, segmentMemory, segmentMemory + 1} {
			if b, ok := tt.answers[at]; ok {
				s.add(at, b)
			}
		}
		if got := s.blocked(tt.at); got != tt.blocked {
			t.Errorf("%s: blocked at %v = %v, want %v", tt.name, tt.at, got, tt.blocked)
		}
		if got := s.clear(tt.at); got != tt.clear {
			t.Errorf("%s: clear at %v = %v, want %v", tt.name, tt.at, got, tt.clear)
		}
	}
}

// avoid weighs the most specific key too (all four attributes): an order
// whose exact kind got through is not avoided though every broader key of
// it is blocked, and one whose exact kind is blocked is avoided though
// every broader key got through since; a blocked amount band blocks the
// bands above it, from the lowest (amounts up to 1.00) on.
func TestSegmentsAvoid(t *testing.T) {
	o := payment.Order{Category: "gift-cards", Method: "card", Region: "BR", Amount: 15000}
	// The orders that differ from o in one attribute (the amount in a
	// higher 5% band of the same factor-3 band, or in another factor-3 band).
	var others []payment.Order
	for i := range 4 {
		x := o
		switch i {
		case 0:
			x.Category, x.Amount = "game-keys", 16000
		case 1:
			x.Method, x.Amount = "alipay", 16000
		case 2:
			x.Region, x.Amount = "US", 16000
		case 3:
			x.Amount = 1000
		}
		others = append(others, x)
	}
	type answer struct {
		o       payment.Order
		blocked bool
	}
	// The first transaction_blocked decline switches learning on: one of
	// an unrelated kind, at an amount above the others'.
	on := answer{payment.Order{Category: "x", Method: "x", Region: "x", Amount: 1e8}, true}
	cleared := []answer{on, {o, false}}
	blocked := []answer{on, {o, true}, {o, true}}
	for _, x := range others {
		cleared = append(cleared, answer{x, true}, answer{x, true})
		blocked = append(blocked, answer{x, false})
	}
	// and an order of o's amount got through, so its band is clear.
	blocked = append(blocked, answer{payment.Order{Category: "game-keys", Method: "alipay", Region: "US", Amount: o.Amount}, false})
	small := payment.Order{Category: "gift-cards", Method: "card", Region: "BR", Amount: 50}
	for _, tt := range []struct {
		name    string
		answers []answer
		o       payment.Order
		avoid   bool
	}{
		{"its exact kind got through, every broader key blocked since", cleared, o, false},
		{"its exact kind blocked, every broader key got through since", blocked, o, true},
		{"a new kind at 0.80, the lowest band blocked", []answer{{small, true}, {small, true}},
			payment.Order{Category: "game-keys", Method: "alipay", Region: "US", Amount: 80}, true},
		{"a new kind at 2.00, the lowest band blocked", []answer{{small, true}, {small, true}},
			payment.Order{Category: "game-keys", Method: "alipay", Region: "US", Amount: 200}, true},
	} {
		var g segments
		for k, a := range tt.answers {
			g.observe(time.Duration(k)*time.Second, &a.o, a.blocked)
		}
		if got := g.avoid(time.Minute, &tt.o); got != tt.avoid {
			t.Errorf("%s: avoid = %v, want %v", tt.name, got, tt.avoid)
		}
	}
}
