package drill

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
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
