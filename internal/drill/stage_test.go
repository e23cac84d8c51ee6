package drill

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/drilltest"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
	"github.com/paydrill/paydrill/reports"
)

// fakeStage is a Stage of in-process parts, to test RunWall's staged path
// without a Docker engine: the mocks start on their own clock and learn
// the drill's from SetStart, as containers do.
type fakeStage struct {
	controller
	svc     *router.Service
	srv     *mocks.Server
	started time.Time
	payURLs atomic.Int64 // buyers run concurrently
	closed  bool
}

func newFakeStage(s *scenario.Scenario, scale float64) (*fakeStage, error) {
	secret := []byte("stage-test")
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Scale: scale, Start: time.Now().Add(-time.Hour), Secret: secret})
	if err != nil {
		return nil, err
	}
	svc, err := router.NewService(router.ServiceOptions{Scenario: s, Strategy: "health", Seed: 1, Providers: m.Providers(), Scale: scale, Secret: secret})
	if err != nil {
		m.Close()
		return nil, err
	}
	srv, err := mocks.NewServer(svc.Handler())
	if err != nil {
		m.Close()
		svc.Close()
		return nil, err
	}
	svc.SetNotifyBase(srv.URL())
	return &fakeStage{controller: controller{m}, svc: svc, srv: srv}, nil
}

func (f *fakeStage) RouterURL() string { return f.srv.URL() }
func (f *fakeStage) PayURL(u string) string {
	f.payURLs.Add(1)
	return u
}
func (f *fakeStage) SetStart(t time.Time) error {
	f.started = t
	f.m.SetStart(t)
	return nil
}
func (f *fakeStage) Close() error {
	f.closed = true
	err := f.srv.Close()
	f.svc.Close()
	return errors.Join(err, f.m.Close())
}

// A staged drill learns the clock, sends the buyers through PayURL, reads
// the stage's providers on the drill's clock and closes the stage.
func TestRunWallStaged(t *testing.T) {
	s := load(t, "merchant-freeze")
	s.Duration = scenario.Duration(5 * time.Minute)
	s.Faults[0].At = scenario.Duration(2 * time.Minute)
	s.Traffic.Arrivals.Rate = 2
	s.Drain = scenario.Duration(2 * time.Minute)
	var f *fakeStage
	r := drilltest.Valid(t, 300, func(scale float64) []*reports.Report {
		stage := func(context.Context) (Stage, error) {
			var err error
			f, err = newFakeStage(s, scale)
			return f, err
		}
		r, err := RunWall(context.Background(), s, WallOptions{Scale: scale, Stage: stage, Container: "img:1"})
		if err != nil {
			t.Fatal(err)
		}
		return []*reports.Report{r}
	})[0]
	if !f.closed || f.started.IsZero() {
		t.Errorf("stage closed %v, clock set %v; want both", f.closed, !f.started.IsZero())
	}
	if f.payURLs.Load() == 0 {
		t.Error("no pay page went through the stage's PayURL")
	}
	if r.Scenario.Router != "sut" || r.Orders.Created == 0 || r.Orders.Paid == 0 {
		t.Errorf("router %q, created %d, paid %d; want sut and paid orders", r.Scenario.Router, r.Orders.Created, r.Orders.Paid)
	}
	// On the drill's clock the mocks saw every attempt within the drill
	// (minutes), not an hour in (their own start, before SetStart).
	a, _ := f.Attempts()
	latest := time.Duration(0)
	for _, x := range a {
		latest = max(latest, x.At)
	}
	if len(a) == 0 || latest > 30*time.Minute {
		t.Errorf("%d attempts, the latest at %v; want some, all within the drill's minutes", len(a), latest)
	}
	if !strings.Contains(r.Reproduce, "--container img:1") {
		t.Errorf("reproduce %q, want --container img:1", r.Reproduce)
	}
}

// A stage that cannot start fails the drill with its error; a router URL
// and a stage are one too many.
func TestRunWallStageErrors(t *testing.T) {
	s := load(t, "merchant-freeze")
	failing := func(context.Context) (Stage, error) { return nil, errors.New("no such image") }
	if _, err := RunWall(context.Background(), s, WallOptions{Scale: 60, Stage: failing}); err == nil || !strings.Contains(err.Error(), "no such image") {
		t.Errorf("RunWall error %v, want the stage's", err)
	}
	if _, err := RunWall(context.Background(), s, WallOptions{SUT: "http://127.0.0.1:1", Stage: failing}); err == nil || !strings.Contains(err.Error(), "give one") {
		t.Errorf("RunWall error %v, want a refusal", err)
	}
}
