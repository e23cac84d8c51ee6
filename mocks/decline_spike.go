package mocks

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// declineSpike declines a share of creates with the given codes. With a
// ramp, the share grows by ramp per minute from the fault's start up to
// rate (a slow burn).
type declineSpike struct {
	rate, ramp float64
	start      time.Duration
	codes      Mix
}

// Rate is the share declined at t.
func (d *declineSpike) Rate(t time.Duration) float64 {
	if d.ramp <= 0 {
		return d.rate
	}
	return min(d.rate, d.ramp*(t-d.start).Minutes())
}

func (d *declineSpike) create(now time.Duration, c *Call, r *rand.Rand) bool {
	if r.Float64() >= d.Rate(now) {
		return false
	}
	c.Status, c.Code, c.Processed = payment.Declined, d.codes.Draw(r), true
	return true
}
