package measure

import (
	"math/rand/v2"
	"testing"
	"time"
)

// daySeries is 24h of 10s buckets, 4 providers, one 1h fault at 12h on
// provider "a" that the router leaves after two minutes.
func daySeries() *Series {
	const b = 10 * time.Second
	n := int(24 * time.Hour / b)
	start, end := 12*time.Hour, 13*time.Hour
	sb, eb := int(start/b), int(end/b)
	r := rand.New(rand.NewPCG(7, 11))
	s := &Series{Bucket: b, Providers: []string{"a", "b", "c", "d"}, Orders: make([]OrderBucket, n)}
	for range s.Providers {
		s.Provider = append(s.Provider, make([]ProvBucket, n))
	}
	f := FaultSeries{Name: "freeze", Providers: []string{"a"}, Start: start, End: end}
	for _, v := range []*[]int64{&f.Created, &f.Paid, &f.Failed, &f.CreatedAmount, &f.FailedAmount,
		&f.First, &f.FirstToTarget, &f.Attempts, &f.Hits} {
		*v = make([]int64, n)
	}
	for i := range n {
		created := 40 + r.Int64N(20)
		failed := created / 10
		toA := created / 4
		hits := int64(0)
		if i >= sb && i < eb {
			if i < sb+12 {
				hits = toA
				failed += toA
			} else {
				toA = 0
			}
		}
		s.Orders[i] = OrderBucket{Created: created, Paid: created - failed, Failed: failed,
			CreatedAmount: created * 1500, PaidAmount: (created - failed) * 1500, FailedAmount: failed * 1500}
		s.Provider[0][i] = ProvBucket{First: toA, Attempts: toA}
		for p := 1; p < 4; p++ {
			s.Provider[p][i] = ProvBucket{First: (created - toA) / 3, Attempts: (created - toA) / 3}
		}
		f.Created[i], f.Paid[i], f.Failed[i] = created, created-failed, failed
		f.CreatedAmount[i], f.FailedAmount[i] = created*1500, failed*1500
		f.First[i], f.FirstToTarget[i], f.Attempts[i], f.Hits[i] = created, toA, created+hits, hits
	}
	s.Faults = []FaultSeries{f}
	return s
}

func TestDaySeries(t *testing.T) {
	got := Analyze(daySeries(), 0, DefaultParams(), 24*time.Hour)
	if !got.BaselineOK || got.Detect == nil || got.Failover == nil || got.Failback == nil {
		t.Fatalf("Analyze of the day series = %+v, want every figure", got)
	}
	// The router leaves "a" 2m in: the detect span (bucket edges: the
	// series records no times) must hold it and be one bucket wide.
	if d := got.DetectSpan; d.Low > 2*time.Minute || d.High < 2*time.Minute || d.Width() > 10*time.Second {
		t.Errorf("DetectSpan = %+v, want a 10s span holding 2m", *d)
	}
	// A 1m hold starting in the last hit bucket already averages under 5%,
	// but fail-over is never before detection.
	if *got.Failover != *got.Detect {
		t.Errorf("Failover = %v, want the detection time %v", *got.Failover, *got.Detect)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	s := daySeries()
	p := DefaultParams()
	b.ReportAllocs()
	for b.Loop() {
		Analyze(s, 0, p, 24*time.Hour)
	}
}
