package router

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/payment"
)

// TestAcceptingMask: the remembered mask is what Accepts says, for methods
// asked again, for equal strings at other addresses, for the empty method
// and for more methods than it remembers.
func TestAcceptingMask(t *testing.T) {
	provs := []Provider{
		{Name: "a", Methods: []string{"card"}},
		{Name: "b", Methods: []string{"alipay", "wechat"}},
		{Name: "c"}, // every method
		{Name: "d", Methods: []string{"card", "wechat"}},
	}
	a := accepting{provs: provs}
	methods := []string{"card", "alipay", "", "wechat", "paypal", "card", strings.Clone("alipay"), "wechat", "", "x", "y", "card", "z"}
	for round := range 3 {
		for _, m := range methods {
			var want uint64
			for i, p := range provs {
				if p.Accepts(m) {
					want |= 1 << uint(i)
				}
			}
			if got := a.mask(m); got != want {
				t.Fatalf("round %d: mask(%q) = %b, want %b", round, m, got, want)
			}
		}
	}
	// Same address, other length: a different string.
	s := "cardx"
	if got := a.mask(s[:4]); got != 0b1101 {
		t.Fatalf("mask(card) = %b", got)
	}
	if got := a.mask(s); got != 0b0100 {
		t.Fatalf("mask(cardx) after mask(card) at the same address = %b, want 100", got)
	}
}

// TestHealthPicksByMethod: Pick goes to the first provider in order that
// takes the order's method, with a few providers (masks) and with more
// than a mask holds (Accepts, provider by provider).
func TestHealthPicksByMethod(t *testing.T) {
	for _, n := range []int{3, maxMasked, maxMasked + 6} {
		provs := make([]Provider, n)
		order := make([]int, n)
		for i := range provs {
			provs[i] = Provider{Name: fmt.Sprint("p", i), Methods: []string{"card"}}
			order[i] = i
		}
		provs[n-1].Methods = []string{"alipay"}
		provs[n-2].Methods = nil // every method
		h := NewHealth(provs, order, cfgWith(func(*HealthParams) {}), 1)
		for _, tt := range []struct {
			method string
			want   int
		}{{"card", 0}, {"alipay", n - 2}, {"wechat", n - 2}, {"card", 0}} {
			if got := h.Pick(0, &payment.Order{Method: tt.method, Amount: 100}, 0); got != tt.want {
				t.Errorf("%d providers, %s: Pick = %d, want %d", n, tt.method, got, tt.want)
			}
		}
		// Only the last takes alipay once the catch-all was tried (tried
		// holds 64 providers).
		if n > maxMasked {
			continue
		}
		if got := h.Pick(0, &payment.Order{Method: "alipay", Amount: 100}, 1<<uint(n-2)); got != n-1 {
			t.Errorf("%d providers, alipay, catch-all tried: Pick = %d, want %d", n, got, n-1)
		}
	}
}
