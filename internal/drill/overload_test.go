package drill

import (
	"context"
	"testing"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/wall"
	"github.com/paydrill/paydrill/mocks"
)

// overloadScenario: two card channels, alpha slower than the router's
// timeout far more often than not, so that nearly every order meets a
// timeout and a status query; with the router's connections to each
// provider capped at two, its queries queue behind its creates.
const overloadScenario = `name: overload
duration: 5m
drain: 2m
bucket: 10s
traffic:
  arrivals: {type: constant, rate: 20/s}
  methods: {card: 1}
providers:
  - {name: alpha, flow: sync, methods: [card], latency: {median: 3s, p99: 20s}}
  - {name: beta, flow: sync, methods: [card], latency: {median: 200ms, p99: 1s}}
router: {strategy: health, timeout: 2s}
`

// TestOverloadedRouterNeverChargesTwice: the reference router, overloaded
// on purpose (tiny connection caps, a slow provider, few orders in flight
// allowed), must never charge a buyer twice, and every order must end
// exactly once. Whether the drill kept its own time does not matter here:
// captures are counted from the providers' own logs.
func TestOverloadedRouterNeverChargesTwice(t *testing.T) {
	s, err := scenario.Parse("overload.yaml", []byte(overloadScenario))
	if err != nil {
		t.Fatal(err)
	}
	const scale = 30
	secret := []byte("overload-secret")
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Scale: scale, NotifyConns: 1, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	svc, err := router.NewService(router.ServiceOptions{Scenario: s, Seed: 1, Providers: m.Providers(), Scale: scale,
		MaxConnsPerProvider: 2, MaxInFlight: 40, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	srv, err := mocks.NewServer(svc.Handler())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	svc.SetNotifyBase(srv.URL())
	res, err := wall.Run(context.Background(), wall.Config{Scenario: s, Seed: 1, SUT: srv.URL(), Mocks: controller{m}, Scale: scale})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Totals
	st := svc.Stats()
	t.Logf("created %d paid %d failed %d lost %d stranded %d duplicate %d; status queries %d, shed %d",
		tot.Created, tot.Paid, tot.Failed, tot.Lost, tot.Stranded, tot.DuplicateCharges, st.StatusQueries, st.Shed)
	if tot.DuplicateCharges != 0 {
		t.Errorf("%d duplicate charges under overload, want 0", tot.DuplicateCharges)
	}
	if len(res.Violations) > 0 {
		t.Errorf("violations: %v", res.Violations)
	}
	if ended := tot.Paid + tot.Failed + tot.Abandoned + tot.Lost + tot.InFlight; ended != tot.Created {
		t.Errorf("conservation: created %d, ended %d", tot.Created, ended)
	}
	// It was overloaded: the slow channel timed out and was queried, and
	// orders over the cap were shed (answered 503: failed, not lost).
	if st.StatusQueries == 0 || st.Shed == 0 {
		t.Errorf("status queries %d, shed %d: the router was never overloaded", st.StatusQueries, st.Shed)
	}
	if tot.Failed < st.Shed {
		t.Errorf("failed %d < shed %d: a refused order must count as failed (the shop knows)", tot.Failed, st.Shed)
	}
}
