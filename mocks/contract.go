package mocks

import (
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// day is the period of a daily volume cap: days of scenario time from 0.
const day = 24 * time.Hour

// bound is one set of contracted limits in minor units (0: none), with
// the volume used in the current day.
type bound struct {
	min, max, daily payment.Money
	used            payment.Money
}

// contract is a channel's contracted limits (scenario Limits): an order
// outside them is declined amount_limit (per-order min or max) or
// daily_limit (the day's accepted volume would pass the cap). Volume is
// counted on acceptance: the channel reserves the amount when it opens
// the payment, so what it captures in a day never passes the cap.
type contract struct {
	all     bound
	methods map[string]*bound
	day     int64
	// What the ledger reports: limit declines, and the highest daily
	// volume used against the overall cap.
	declines int64
	peak     payment.Money
}

func minor(x float64) payment.Money { return payment.Money(math.Round(x * 100)) }

func newContract(l *scenario.Limits) *contract {
	if l == nil {
		return nil
	}
	c := &contract{all: bound{min: minor(l.Min), max: minor(l.Max), daily: minor(l.Daily)}}
	for m, ml := range l.Methods {
		if c.methods == nil {
			c.methods = map[string]*bound{}
		}
		c.methods[m] = &bound{min: minor(ml.Min), max: minor(ml.Max), daily: minor(ml.Daily)}
	}
	return c
}

// roll starts a new day's volume when now is in a later day.
func (c *contract) roll(now time.Duration) {
	if d := int64(now / day); d != c.day {
		c.day, c.all.used = d, 0
		for _, b := range c.methods {
			b.used = 0
		}
	}
}

// refuses returns the decline code for an order at now outside the
// limits, or "".
func (c *contract) refuses(now time.Duration, o *payment.Order) string {
	c.roll(now)
	code := c.all.refuses(o.Amount)
	if code == "" {
		if b := c.methods[o.Method]; b != nil {
			code = b.refuses(o.Amount)
		}
	}
	if code != "" {
		c.declines++
	}
	return code
}

func (b *bound) refuses(amount payment.Money) string {
	switch {
	case b.min > 0 && amount < b.min, b.max > 0 && amount > b.max:
		return payment.CodeAmountLimit
	case b.daily > 0 && b.used+amount > b.daily:
		return payment.CodeDailyLimit
	}
	return ""
}

// reset forgets the volume used and the counts.
func (c *contract) reset() {
	c.day, c.declines, c.peak, c.all.used = 0, 0, 0, 0
	for _, b := range c.methods {
		b.used = 0
	}
}

// use counts an accepted order's amount against the day's volume.
func (c *contract) use(now time.Duration, o *payment.Order) {
	c.roll(now)
	c.all.used += o.Amount
	c.peak = max(c.peak, c.all.used)
	if b := c.methods[o.Method]; b != nil {
		b.used += o.Amount
	}
}
