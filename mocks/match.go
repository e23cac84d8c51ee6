package mocks

import (
	"math"
	"slices"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Matcher selects orders for a transaction-level fault: every set
// criterion must hold.
type Matcher struct {
	minAmount, maxAmount payment.Money
	categories, methods  []string
	regions              []string
}

// NewMatcher builds a matcher from a scenario filter (amounts in major units).
func NewMatcher(m scenario.Match) *Matcher {
	mt := &Matcher{maxAmount: payment.Money(math.MaxInt64)}
	if m.Amount != nil {
		mt.minAmount = payment.Money(math.Round(m.Amount.Min * 100))
		if m.Amount.Max > 0 {
			mt.maxAmount = payment.Money(math.Round(m.Amount.Max * 100))
		}
	}
	mt.categories, mt.methods, mt.regions = m.Categories, m.Methods, m.Regions
	return mt
}

// Matches reports whether o falls under the filter.
func (m *Matcher) Matches(o *payment.Order) bool {
	if o.Amount < m.minAmount || o.Amount > m.maxAmount {
		return false
	}
	if len(m.categories) > 0 && !slices.Contains(m.categories, o.Category) {
		return false
	}
	if len(m.methods) > 0 && !slices.Contains(m.methods, o.Method) {
		return false
	}
	if len(m.regions) > 0 && !slices.Contains(m.regions, o.Region) {
		return false
	}
	return true
}
