package router

import (
	"math"
	"testing"
	"time"
)

func TestLogPoissonCDF(t *testing.T) {
	tests := []struct {
		k      int
		lambda float64
		want   float64 // P(X <= k)
	}{
		{0, 1, math.Exp(-1)},
		{0, 11.5, math.Exp(-11.5)},
		{2, 10, math.Exp(-10) * (1 + 10 + 50)},
		{3, 20, math.Exp(-20) * (1 + 20 + 200 + 8000.0/6)},
	}
	for _, tt := range tests {
		got := math.Exp(logPoissonCDF(tt.k, tt.lambda))
		if math.Abs(got-tt.want) > 1e-9*tt.want+1e-300 {
			t.Errorf("P(Poisson(%v) <= %d) = %g, want %g", tt.lambda, tt.k, got, tt.want)
		}
	}
	// Large arguments stay finite.
	if v := logPoissonCDF(900, 3000); math.IsInf(v, 0) || math.IsNaN(v) || v > -100 {
		t.Errorf("logPoissonCDF(900, 3000) = %v, want a large finite negative number", v)
	}
}

// feed plays a provider whose buyers pay after delay, every gap, from
// start to end; paying is false inside [freezeAt, end).
func feed(s *silence, start, end, gap, delay, freezeAt time.Duration) (suspectAt time.Duration) {
	type due struct{ at, age time.Duration }
	var pending []due
	for now := start; now < end; now += gap {
		for len(pending) > 0 && pending[0].at <= now {
			s.paid(pending[0].at, pending[0].age)
			pending = pending[1:]
		}
		if s.suspect(now) {
			return now
		}
		s.accepted(now)
		if now < freezeAt {
			pending = append(pending, due{now + delay, delay})
		}
	}
	return -1
}

func TestSilenceDetectsFreezeAndStaysQuietOtherwise(t *testing.T) {
	healthy := newSilence()
	if at := feed(&healthy, 0, 2*time.Hour, time.Second, 40*time.Second, 1<<62); at >= 0 {
		t.Fatalf("healthy provider suspected at %v", at)
	}
	frozen := newSilence()
	freeze := 30 * time.Minute
	at := feed(&frozen, 0, 2*time.Hour, time.Second, 40*time.Second, freeze)
	if at < freeze {
		t.Fatalf("frozen provider: suspected at %v, want after the freeze at %v", at, freeze)
	}
	if at > freeze+2*time.Minute {
		t.Errorf("frozen provider at 1 order/s: suspected %v after the freeze, want within 2m", at-freeze)
	}
}
