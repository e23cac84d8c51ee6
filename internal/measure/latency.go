package measure

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Latency range and precision: 1µs to 1h at 3 significant figures. Values
// are recorded in microseconds.
const (
	latencyLowest  = int64(1)                            // µs
	latencyHighest = int64(time.Hour / time.Microsecond) // µs
	latencyFigures = 3
)

// Latency is a latency histogram from 1µs to 1h with 3 significant figures.
// Durations outside that range are clamped into it (a negative one counts as
// 0); Max reports the largest duration recorded, unclamped. The zero value is
// not usable: call NewLatency. It is not safe for concurrent use.
type Latency struct {
	h   *hdrhistogram.Histogram
	max time.Duration
}

// NewLatency returns an empty histogram.
func NewLatency() *Latency {
	return &Latency{h: hdrhistogram.New(latencyLowest, latencyHighest, latencyFigures)}
}

// Record adds one duration. It does not allocate.
func (l *Latency) Record(d time.Duration) {
	l.max = max(l.max, d)
	us := min(max(int64(d/time.Microsecond), 0), latencyHighest)
	// In range by construction, so RecordValue cannot fail.
	_ = l.h.RecordValue(us)
}

// Merge adds every duration recorded in o (nil adds nothing).
func (l *Latency) Merge(o *Latency) {
	if o == nil || o.h == nil {
		return
	}
	l.h.Merge(o.h)
	l.max = max(l.max, o.max)
}

// Quantile returns the duration at quantile q in [0, 1] (0.99 is the 99th
// percentile); q outside is clamped. It is 0 when nothing was recorded.
func (l *Latency) Quantile(q float64) time.Duration {
	if l.h.TotalCount() == 0 {
		return 0
	}
	q = min(max(q, 0), 1)
	return time.Duration(l.h.ValueAtQuantile(q*100)) * time.Microsecond
}

// Count is the number of durations recorded.
func (l *Latency) Count() int64 { return l.h.TotalCount() }

// Max is the largest duration recorded, 0 when none was.
func (l *Latency) Max() time.Duration { return l.max }
