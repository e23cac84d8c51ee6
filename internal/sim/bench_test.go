package sim

import (
	"context"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// benchRun runs merchant-freeze (4 providers, health router) for the
// given traffic duration and reports simulated orders per second of wall
// time and the peak heap.
func benchRun(b *testing.B, dur time.Duration, rate string) {
	s, err := scenario.Load("../../scenarios/merchant-freeze.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s.Duration = scenario.Duration(dur)
	if rate != "" {
		r, err := scenario.ParseRate(rate)
		if err != nil {
			b.Fatal(err)
		}
		s.Traffic.Arrivals.Rate = r
	}
	var orders int64
	var peak uint64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		stop := make(chan struct{})
		done := make(chan uint64)
		go samplePeak(stop, done)
		res, err := Run(context.Background(), Config{Scenario: s, Router: "health", Seed: s.Seed})
		close(stop)
		peak = max(peak, <-done)
		if err != nil {
			b.Fatal(err)
		}
		orders += res.Totals.Created
	}
	b.ReportMetric(float64(orders)/b.Elapsed().Seconds(), "orders/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// samplePeak polls the heap (runtime/metrics: no stop-the-world) until
// stop closes and sends the largest seen.
func samplePeak(stop <-chan struct{}, done chan<- uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
		select {
		case <-stop:
			done <- peak
			return
		case <-t.C:
		}
	}
}

func BenchmarkMerchantFreeze1h(b *testing.B)        { benchRun(b, time.Hour, "") }
func BenchmarkMerchantFreeze1h100rps(b *testing.B)  { benchRun(b, time.Hour, "100/s") }
func BenchmarkMerchantFreeze24h100rps(b *testing.B) { benchRun(b, 24*time.Hour, "100/s") }
