package mocks

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// The container faults (pause, crash, partition, toxic) act on a provider's
// container or its connections in a container drill; here are their model
// equivalents, which act in virtual time and in --live drills. They touch
// every create while on.

// hang is a request the router cannot get an answer to in time: a
// partition (the request never arrives: nothing is processed) or a
// Toxiproxy timeout toxic on the answer (the provider processed it and
// the answer is lost: the ambiguous case).
type hang struct{ processed bool }

// hangFor is how long a hung request waits: past any router's timeout.
const hangFor = 24 * time.Hour

func (h *hang) create(_ time.Duration, c *Call, _ *rand.Rand) bool {
	c.Latency += hangFor
	if !h.processed {
		c.Status, c.Code, c.Processed = payment.Failed, payment.CodeProcessingError, false
	}
	return true
}

// pause is a paused container: requests wait in its socket and are
// answered when it is unpaused at end.
type pause struct{ end time.Duration }

func (p *pause) create(now time.Duration, c *Call, _ *rand.Rand) bool {
	if p.end > now {
		c.Latency += min(p.end-now, hangFor) // an open-ended pause hangs
	}
	return true
}

// reset is a connection reset: a crashed container (nothing processed) or
// a reset_peer toxic on the answer (processed, after the toxic's delay).
type reset struct {
	processed bool
	after     time.Duration
}

func (r *reset) create(_ time.Duration, c *Call, _ *rand.Rand) bool {
	c.Status, c.Code, c.Processed = payment.Failed, payment.CodeProcessingError, r.processed
	c.Latency += r.after
	return true
}

// containerEffect is the model equivalent of a container fault (nil for
// toxics the model has no timing for: slow_close and bandwidth act on TCP
// closes and throughput, which a few hundred bytes of JSON do not feel).
// Effects that only delay the answer rank with latency; the others decide
// the status.
func containerEffect(typ, toxic string, attrs map[string]int64, end time.Duration) (any, int) {
	ms := func(k string) time.Duration { return time.Duration(attrs[k]) * time.Millisecond }
	switch typ {
	case "pause":
		return &pause{end: end}, rankLatency
	case "crash":
		return &reset{}, rankOutage
	case "partition":
		return &hang{}, rankOutage
	}
	switch toxic {
	case "latency":
		return &latency{add: ms("latency")}, rankLatency
	case "timeout":
		if attrs["timeout"] > 0 {
			return &reset{processed: true, after: ms("timeout")}, rankOutage
		}
		return &hang{processed: true}, rankLatency
	case "reset_peer":
		return &reset{processed: true, after: ms("timeout")}, rankOutage
	}
	return nil, rankNotify
}
