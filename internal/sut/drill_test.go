//go:build !race

// Whole wall-clock drills against a router in a container: about 30 s of
// HTTP at hundreds of requests a second, so not under the race detector;
// `make test` runs this package in its plain pass.

package sut_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sut"
	"github.com/paydrill/paydrill/reports"
)

// shortFreeze is merchant-freeze made short, as the drill package's live
// test: 30 minutes of traffic at 5 orders/s, alpha frozen from 10m for 10m.
func shortFreeze(t *testing.T) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load("../../scenarios/merchant-freeze.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.Duration = scenario.Duration(30 * time.Minute)
	s.Traffic.Arrivals.Rate = 5
	s.Faults[0].At = scenario.Duration(10 * time.Minute)
	s.Faults[0].For = scenario.Duration(10 * time.Minute)
	s.Expect.FailbackWithin = nil
	return s
}

// TestContainerMerchantFreeze: the paydrill router in a container, driven
// over real sockets at 60x, passes the freeze with health and fails it with
// static; no container or network is left behind.
func TestContainerMerchantFreeze(t *testing.T) {
	if testing.Short() {
		t.Skip("a container drill takes about 40s")
	}
	requireDocker(t)
	ctx := context.Background()
	if err := sut.RemoveLeftovers(ctx); err != nil {
		t.Fatal(err)
	}
	build := buildContext(t)
	secret := []byte("container-drill-secret")
	const scale = 60
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got = map[string]*reports.Report{}
	)
	var buildOnce sync.Mutex // the first start builds the image, the other waits
	for _, strategy := range []string{"health", "static"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := func(ctx context.Context, providers map[string]string) (string, func(), error) {
				buildOnce.Lock()
				defer buildOnce.Unlock()
				r, err := sut.StartRouter(ctx, sut.Options{Image: testImage, Build: build, Scenario: "builtin:merchant-freeze",
					Strategy: strategy, Scale: scale, Providers: providers, Secret: secret})
				build = "" // built once; later starts reuse the image
				if err != nil {
					return "", nil, err
				}
				return r.URL, func() {
					if err := r.Close(); err != nil {
						t.Error(err)
					}
				}, nil
			}
			r, err := drill.RunWall(ctx, shortFreeze(t), drill.WallOptions{Scale: scale, Secret: secret, StartSUT: start, Container: testImage})
			if err != nil {
				t.Errorf("container %s: %v", strategy, err)
				return
			}
			mu.Lock()
			got[strategy] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	assertNoLeftovers(t)
	h, st := got["health"], got["static"]
	if h == nil || st == nil {
		t.FailNow()
	}
	if !h.Passed() {
		t.Errorf("container health: verdict %s, fail over %v, lost %d, duplicate %d, stranded %d",
			h.Verdict, h.Faults[0].FailoverS, h.Orders.Lost, h.Orders.DuplicateCharges, h.Orders.Stranded)
	}
	if st.Passed() || st.Faults[0].FailoverS != nil {
		t.Errorf("container static: verdict %s, fail over %v; want fail, never", st.Verdict, st.Faults[0].FailoverS)
	}
	if h.Engine.NotSent != 0 {
		t.Errorf("container health: %d arrivals not sent", h.Engine.NotSent)
	}
	if h.Scenario.Router != "sut" {
		t.Errorf("report router %q, want sut", h.Scenario.Router)
	}
}
