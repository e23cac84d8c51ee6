package mocks

import (
	"testing"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

func TestMatcher(t *testing.T) {
	o := func(amount payment.Money, category, method, region string) *payment.Order {
		return &payment.Order{Amount: amount, Category: category, Method: method, Region: region}
	}
	tests := []struct {
		name  string
		match scenario.Match
		order *payment.Order
		want  bool
	}{
		{"amount at min", scenario.Match{Amount: &scenario.AmountRange{Min: 10, Max: 20}}, o(1000, "x", "card", "US"), true},
		{"amount at max", scenario.Match{Amount: &scenario.AmountRange{Min: 10, Max: 20}}, o(2000, "x", "card", "US"), true},
		{"amount under min", scenario.Match{Amount: &scenario.AmountRange{Min: 10, Max: 20}}, o(999, "x", "card", "US"), false},
		{"amount over max", scenario.Match{Amount: &scenario.AmountRange{Min: 10, Max: 20}}, o(2001, "x", "card", "US"), false},
		{"fractional min", scenario.Match{Amount: &scenario.AmountRange{Min: 9.99}}, o(999, "x", "card", "US"), true},
		{"fractional min, cent under", scenario.Match{Amount: &scenario.AmountRange{Min: 9.99}}, o(998, "x", "card", "US"), false},
		{"max 0 is unbounded", scenario.Match{Amount: &scenario.AmountRange{Min: 50}}, o(1<<62, "x", "card", "US"), true},
		{"only max", scenario.Match{Amount: &scenario.AmountRange{Max: 5}}, o(0, "x", "card", "US"), true},
		{"only max, over", scenario.Match{Amount: &scenario.AmountRange{Max: 5}}, o(501, "x", "card", "US"), false},
		{"category in", scenario.Match{Categories: []string{"gift-cards", "game-keys"}}, o(1, "game-keys", "card", "US"), true},
		{"category out", scenario.Match{Categories: []string{"gift-cards"}}, o(1, "game-keys", "card", "US"), false},
		{"method in", scenario.Match{Methods: []string{"alipay"}}, o(1, "x", "alipay", "CN"), true},
		{"method out", scenario.Match{Methods: []string{"alipay"}}, o(1, "x", "card", "CN"), false},
		{"region in", scenario.Match{Regions: []string{"DE", "GB"}}, o(1, "x", "card", "GB"), true},
		{"region out", scenario.Match{Regions: []string{"DE", "GB"}}, o(1, "x", "card", "US"), false},
		{"empty matches all", scenario.Match{}, o(1, "x", "card", "US"), true},
		{
			"combined all hold",
			scenario.Match{Amount: &scenario.AmountRange{Min: 50}, Categories: []string{"game-keys"}, Methods: []string{"card"}, Regions: []string{"US"}},
			o(5000, "game-keys", "card", "US"), true,
		},
		{
			"combined amount fails",
			scenario.Match{Amount: &scenario.AmountRange{Min: 50}, Categories: []string{"game-keys"}, Methods: []string{"card"}, Regions: []string{"US"}},
			o(4999, "game-keys", "card", "US"), false,
		},
		{
			"combined category fails",
			scenario.Match{Amount: &scenario.AmountRange{Min: 50}, Categories: []string{"game-keys"}, Methods: []string{"card"}, Regions: []string{"US"}},
			o(5000, "gift-cards", "card", "US"), false,
		},
		{
			"combined method fails",
			scenario.Match{Amount: &scenario.AmountRange{Min: 50}, Categories: []string{"game-keys"}, Methods: []string{"card"}, Regions: []string{"US"}},
			o(5000, "game-keys", "alipay", "US"), false,
		},
		{
			"combined region fails",
			scenario.Match{Amount: &scenario.AmountRange{Min: 50}, Categories: []string{"game-keys"}, Methods: []string{"card"}, Regions: []string{"US"}},
			o(5000, "game-keys", "card", "DE"), false,
		},
	}
	for _, tt := range tests {
		if got := NewMatcher(tt.match).Matches(tt.order); got != tt.want {
			t.Errorf("%s: Matches(%+v) = %v, want %v", tt.name, *tt.order, got, tt.want)
		}
	}
}

func TestFaultMatchesWithoutFilter(t *testing.T) {
	f := NewFault(0, scenario.Fault{Type: "outage"})
	if !f.Matches(&payment.Order{}) {
		t.Error("a fault with no match filter does not match an order, want it to match every order")
	}
}
