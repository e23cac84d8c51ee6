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
