package mocks

import (
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/measure"
)

// Lags record how much later than their model the mocks answered and
// sent notifications (wall time): a drill whose mocks are late measures
// its own slowness, not the router's (internal/validity).
type Lags struct {
	mu      sync.Mutex
	answers *measure.Latency
	notices *measure.Latency
}

// NewLags returns empty records.
func NewLags() *Lags {
	return &Lags{answers: measure.NewLatency(), notices: measure.NewLatency()}
}

func (l *Lags) answer(d time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.answers.Record(d)
	l.mu.Unlock()
}

func (l *Lags) notice(d time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.notices.Record(d)
	l.mu.Unlock()
}

// P99 is the 99th percentile of answer and notification lateness (wall)
// and how many of each were measured.
func (l *Lags) P99() (answer, notice time.Duration, answers, notices int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.answers.Quantile(0.99), l.notices.Quantile(0.99), l.answers.Count(), l.notices.Count()
}
