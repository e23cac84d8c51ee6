package drill

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/wall"
	"github.com/paydrill/paydrill/mocks"
)

// A drill that cannot send its orders is invalid, never a failure of the
// router: a router under test that holds every order for 200 ms while the
// drill may keep one in flight leaves nearly every arrival unsent, and the
// report says the drill fell behind, with the scale to try.
func TestUnsentArrivalsMakeTheRunInvalid(t *testing.T) {
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			time.Sleep(200 * time.Millisecond)
		}
		json.NewEncoder(w).Encode(router.OrderView{Status: "failed"})
	}))
	defer sut.Close()
	s := load(t, "merchant-freeze")
	s.Duration = scenario.Duration(5 * time.Minute)
	s.Drain = scenario.Duration(time.Minute)
	s.Faults = nil
	s.Traffic.Arrivals.Rate = 1
	r, err := RunWall(context.Background(), s, WallOptions{SUT: sut.URL, Scale: 300, MaxInFlight: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != "invalid" || r.Health == nil || r.Health.Valid {
		t.Fatalf("verdict %s, health %+v; want invalid", r.Verdict, r.Health)
	}
	if !strings.Contains(r.Health.Reason, "arrivals not sent") || r.Health.SuggestedTimeScale > 150 {
		t.Errorf("reason %q, suggested scale %g; want unsent arrivals and at most half the scale", r.Health.Reason, r.Health.SuggestedTimeScale)
	}
}

// A plan that cannot fit this machine's open-file limit is refused before
// anything starts, with a time scale that fits or the advice to lower the
// rate when none does.
func TestImpossiblePlanRefused(t *testing.T) {
	tests := []struct {
		rate  float64
		scale float64
		fit   float64 // 0: no scale fits
	}{
		{100, 6000, 300},   // 100/s × 6000 × 10 ms wall each = 6000 at once; 300 at 300
		{20000, 1, 0},      // 20000/s × 3 s slowest answer: no scale fits
		{100, 600000, 300}, // beyond every nice scale
	}
	if c := wall.Bounds(wall.RaiseFileLimit()).ConnsPerHost; c < 300 {
		t.Skipf("open-file limit %d allows %d connections a host; the table wants at least 300", wall.RaiseFileLimit(), c)
	}
	for _, tt := range tests {
		s := load(t, "merchant-freeze")
		s.Traffic.Arrivals.Rate = scenario.Rate(tt.rate)
		_, err := RunWall(context.Background(), s, WallOptions{Scale: tt.scale})
		var perr *PreflightError
		if !errors.As(err, &perr) || !perr.Invalid {
			t.Errorf("rate %g/s at scale %g: error %v; want a preflight refusal", tt.rate, tt.scale, err)
			continue
		}
		if perr.SuggestedScale != tt.fit {
			t.Errorf("rate %g/s at scale %g: suggested scale %g, want %g", tt.rate, tt.scale, perr.SuggestedScale, tt.fit)
		}
		if !strings.Contains(perr.Reason, "orders in flight") {
			t.Errorf("reason %q", perr.Reason)
		}
	}
	// The default drill at its documented scale fits.
	s := load(t, "merchant-freeze")
	if p, err := PlanFor(s, s.Seed, 30); err != nil || p.PeakRate != 20 || p.Slowest != 3*time.Second || p.InFlight != 60 {
		t.Errorf("merchant-freeze at 30: plan %+v, %v; want peak 20/s, slowest 3s, 60 in flight", p, err)
	}
}

// An interrupt during the preflight is an interrupted run (exit 3), not a
// mock or router that does not answer (exit 2): the mocks answer, the
// context was cancelled.
func TestPreflightInterrupted(t *testing.T) {
	m, err := mocks.ServeScenario(load(t, "merchant-freeze"), mocks.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = preflight(ctx, "http://127.0.0.1:1", m, time.Second)
	var perr *PreflightError
	if !errors.Is(err, context.Canceled) || errors.As(err, &perr) {
		t.Errorf("preflight on a cancelled context: %v; want context.Canceled, not a PreflightError", err)
	}
}
