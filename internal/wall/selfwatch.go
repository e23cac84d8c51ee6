package wall

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// selfWatch samples the drill's own process while it runs: the most
// descriptors open at once, and (from the Go runtime) how long goroutines
// waited runnable for a CPU, the mark of a starved process.
type selfWatch struct {
	peak   atomic.Int64
	limit  int64
	sched0 *metrics.Float64Histogram
	stop   chan struct{}
	wg     sync.WaitGroup
}

const schedMetric = "/sched/latencies:seconds"

// startWatch starts sampling every period.
func startWatch(period time.Duration) *selfWatch {
	w := &selfWatch{limit: RaiseFileLimit(), stop: make(chan struct{}), sched0: schedHistogram()}
	w.peak.Store(openFiles())
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				if n := openFiles(); n > w.peak.Load() {
					w.peak.Store(n)
				}
			}
		}
	}()
	return w
}

// finish stops sampling: the peak of open files, the limit, and the p99
// of scheduling latency over the run (-1 when not measured).
func (w *selfWatch) finish() (peak, limit int64, schedP99 time.Duration) {
	close(w.stop)
	w.wg.Wait()
	if n := openFiles(); n > w.peak.Load() {
		w.peak.Store(n)
	}
	return w.peak.Load(), w.limit, schedP99Since(w.sched0, schedHistogram())
}

func schedHistogram() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: schedMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	return s[0].Value.Float64Histogram()
}

// schedP99Since is the 99th percentile of what was recorded between two
// readings of the histogram (the upper edge of its bucket).
func schedP99Since(a, b *metrics.Float64Histogram) time.Duration {
	if a == nil || b == nil || len(a.Counts) != len(b.Counts) {
		return -1
	}
	var total uint64
	for i := range b.Counts {
		total += b.Counts[i] - a.Counts[i]
	}
	if total == 0 {
		return 0
	}
	want := uint64(float64(total)*0.99 + 0.5)
	var seen uint64
	for i := range b.Counts {
		seen += b.Counts[i] - a.Counts[i]
		if seen >= want {
			edge := b.Buckets[i+1]
			if edge > 3600 || edge != edge { // +Inf: the lower edge
				edge = b.Buckets[i]
			}
			return time.Duration(edge * float64(time.Second))
		}
	}
	return -1
}
