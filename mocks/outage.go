package mocks

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// outage answers a share of creates with a 5xx; no payment is made.
type outage struct{ rate float64 }

func (o *outage) create(_ time.Duration, c *Call, r *rand.Rand) bool {
	if o.rate < 1 && r.Float64() >= o.rate {
		return false
	}
	c.Status, c.Code, c.Processed = payment.Failed, payment.CodeProcessingError, false
	return true
}
