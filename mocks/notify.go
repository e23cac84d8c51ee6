package mocks

import (
	"math/rand/v2"
	"time"
)

// blackout drops every notification.
type blackout struct{}

func (blackout) notify(_ time.Duration, n *Notice, _ *rand.Rand) bool {
	if n.Count == 0 {
		return false
	}
	n.Count = 0
	return true
}

// notifyDelay delays every notification by add.
type notifyDelay struct{ add time.Duration }

func (d *notifyDelay) notify(_ time.Duration, n *Notice, _ *rand.Rand) bool {
	for i := range n.Count {
		n.Delay[i] += d.add
	}
	return n.Count > 0
}

// duplicate sends a share of notifications twice.
type duplicate struct{ rate float64 }

func (d *duplicate) notify(_ time.Duration, n *Notice, r *rand.Rand) bool {
	if n.Count != 1 || r.Float64() >= d.rate {
		return false
	}
	n.Count = 2
	n.Delay[1] = n.Delay[0] + time.Duration(r.Int64N(int64(5*time.Second)))
	return true
}
