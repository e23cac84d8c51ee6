package mocks

import (
	"math/rand/v2"
	"time"
)

// latency adds to every create's response time; past the router's
// deadline the router sees a timeout while the provider still processes
// the payment (an ambiguous outcome).
type latency struct{ add time.Duration }

func (l *latency) create(_ time.Duration, c *Call, _ *rand.Rand) bool {
	c.Latency += l.add
	return true
}
