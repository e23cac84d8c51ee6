package mocks

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// limiter is a token bucket: rate tokens a second, a burst of one second's worth.
type limiter struct {
	rate, burst, tokens float64
	last                time.Duration
	started             bool
}

func newLimiter(perSecond float64) *limiter {
	b := max(1, perSecond)
	return &limiter{rate: perSecond, burst: b, tokens: b}
}

// allow takes a token at now if one is there.
func (l *limiter) allow(now time.Duration) bool {
	if l.started {
		l.tokens = min(l.burst, l.tokens+(now-l.last).Seconds()*l.rate)
	}
	l.started, l.last = true, now
	if l.tokens >= 1 {
		l.tokens--
		return true
	}
	return false
}

func (l *limiter) create(now time.Duration, c *Call, _ *rand.Rand) bool {
	if l.allow(now) {
		return false
	}
	c.Status, c.Code, c.Processed = payment.Limited, payment.CodeTryAgain, false
	return true
}

// capacity refuses creates while max are already in flight.
type capacity struct{ max int }

func (k *capacity) create(_ time.Duration, c *Call, _ *rand.Rand) bool {
	if c.InFlight < k.max {
		return false
	}
	c.Status, c.Code, c.Processed = payment.Limited, payment.CodeTryAgain, false
	return true
}
