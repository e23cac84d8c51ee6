package wall

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// fakeMocks records fault switches and serves a canned attempt log.
type fakeMocks struct {
	mu       sync.Mutex
	switches []string
	attempts []mocks.Attempt
	broken   string // a fault whose switch fails
	noLog    bool   // the attempt log cannot be read
}

func (f *fakeMocks) SetFault(name string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.switches = append(f.switches, name+"="+strconv.FormatBool(on))
	if name == f.broken {
		return errors.New("container would not pause")
	}
	return nil
}
func (f *fakeMocks) Attempts() ([]mocks.Attempt, error) {
	if f.noLog {
		return nil, errors.New("mock alpha: connection refused")
	}
	return f.attempts, nil
}
func (f *fakeMocks) Ledgers() (map[string]mocks.Ledger, error) { return nil, nil }

func parse(t *testing.T, src string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("wall.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The fault timeline: on at `at`, off at the end, and a flapping fault
// toggled every half period; every fault switched off again at the end.
func TestFaultSwitches(t *testing.T) {
	s := parse(t, `name: wall
duration: 10m
drain: 1m
traffic: {arrivals: {type: constant, rate: 1/min}}
providers: [{name: alpha}, {name: beta}]
faults:
  - {name: down, type: outage, at: 2m, for: 3m, target: {providers: [alpha]}}
  - {name: flaps, type: outage, at: 6m, for: 4m, flap: {period: 2m}, target: {providers: [beta]}}
`)
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(router.OrderView{Status: "failed"})
	}))
	defer sut.Close()
	fm := &fakeMocks{}
	res, err := Run(context.Background(), Config{Scenario: s, Seed: 1, SUT: sut.URL, Mocks: fm, Scale: 6000})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(fm.switches, " ")
	want := "down=true down=false flaps=true flaps=false flaps=true flaps=false down=false flaps=false"
	if got != want {
		t.Errorf("fault switches:\n got %s\nwant %s", got, want)
	}
	if res.Totals.Created == 0 || res.Totals.Failed != res.Totals.Created {
		t.Errorf("every order failed at the router: created %d, failed %d", res.Totals.Created, res.Totals.Failed)
	}
}

// How an order ends is read from the router's answers and the providers'
// attempt log: money taken with no goods delivered is lost and stranded,
// twice is a duplicate charge, and conservation holds.
func TestCollectReconcilesLedgers(t *testing.T) {
	s := parse(t, `name: wall
duration: 2m
drain: 1m
traffic: {arrivals: {type: constant, rate: 1/s}}
providers: [{name: alpha}]
`)
	// The router says every third order paid; the mock log below says
	// order 2 was captured (not delivered) and order 3 captured twice.
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if r.Method == http.MethodPost {
			var req router.OrderRequest
			json.NewDecoder(r.Body).Decode(&req)
			id = req.OrderID
		} else {
			id = strings.TrimPrefix(r.URL.Path, "/v1/orders/")
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "ord-"))
		v := router.OrderView{OrderID: id, Status: "failed"}
		if n%3 == 0 {
			v.Status, v.Delivered = "paid", true
		}
		json.NewEncoder(w).Encode(v)
	}))
	defer sut.Close()
	fm := &fakeMocks{attempts: []mocks.Attempt{
		{At: time.Second, OrderID: "ord-2", Provider: "alpha", Status: "accepted", Captured: true},
		{At: time.Second, OrderID: "ord-3", Provider: "alpha", Status: "accepted", Captured: true},
		{At: 2 * time.Second, OrderID: "ord-3", Provider: "alpha", Status: "accepted", Captured: true},
	}}
	res, err := Run(context.Background(), Config{Scenario: s, Seed: 1, SUT: sut.URL, Mocks: fm, Scale: 600})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Totals
	if tot.Stranded != 1 || tot.Lost != 1 || tot.DuplicateCharges != 1 {
		t.Errorf("stranded %d, lost %d, duplicate charges %d; want 1, 1, 1", tot.Stranded, tot.Lost, tot.DuplicateCharges)
	}
	if ended := tot.Paid + tot.Failed + tot.Abandoned + tot.Lost + tot.InFlight; ended != tot.Created || len(res.Violations) > 0 {
		t.Errorf("conservation: created %d, ended %d, violations %v", tot.Created, ended, res.Violations)
	}
	if want := tot.Created / 3; tot.Paid != want {
		t.Errorf("paid %d, want %d (every third order)", tot.Paid, want)
	}
}

// A fault that could not be switched, or a provider log that could not be
// read, is a violation in the result: the drill did not measure what the
// scenario says, and must not pass as if it had.
func TestSwitchAndLogFailuresAreViolations(t *testing.T) {
	s := parse(t, `name: wall
duration: 4m
drain: 1m
traffic: {arrivals: {type: constant, rate: 1/min}}
providers: [{name: alpha}]
faults:
  - {name: hang, type: pause, at: 1m, for: 1m, target: {providers: [alpha]}}
`)
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(router.OrderView{Status: "failed"})
	}))
	defer sut.Close()
	fm := &fakeMocks{broken: "hang", noLog: true}
	res, err := Run(context.Background(), Config{Scenario: s, Seed: 1, SUT: sut.URL, Mocks: fm, Scale: 6000})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(res.Violations, "\n")
	for _, want := range []string{"fault hang could not be switched on", "fault hang could not be switched off", "attempt logs: mock alpha: connection refused"} {
		if !strings.Contains(got, want) {
			t.Errorf("violations:\n%s\nwant one saying %q", got, want)
		}
	}
}

// An interrupted run keeps an order the router still has pending in
// flight even when a provider already captured it: its notification may
// be on its way, so it is neither lost nor stranded.
func TestInterruptedCapturedPendingStaysInFlight(t *testing.T) {
	s := parse(t, `name: wall
duration: 10m
drain: 1m
traffic: {arrivals: {type: constant, rate: 1/s}}
providers: [{name: alpha}]
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/v1/orders/")
		if r.Method == http.MethodPost {
			var req router.OrderRequest
			json.NewDecoder(r.Body).Decode(&req)
			id = req.OrderID
			if id == "ord-3" {
				cancel() // Ctrl-C while orders are pending
			}
		}
		json.NewEncoder(w).Encode(router.OrderView{OrderID: id, Status: "pending"})
	}))
	defer sut.Close()
	fm := &fakeMocks{attempts: []mocks.Attempt{
		{At: time.Second, OrderID: "ord-1", Provider: "alpha", Status: "accepted", Captured: true},
	}}
	res, err := Run(ctx, Config{Scenario: s, Seed: 1, SUT: sut.URL, Mocks: fm, Scale: 600})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Totals
	if !res.Interrupted || tot.InFlight == 0 {
		t.Fatalf("interrupted %v, in flight %d; want true and some", res.Interrupted, tot.InFlight)
	}
	if tot.Lost != 0 || tot.Stranded != 0 {
		t.Errorf("captured order still pending at the interrupt: lost %d, stranded %d; want 0, 0 (in flight)", tot.Lost, tot.Stranded)
	}
	if ended := tot.Paid + tot.Failed + tot.Abandoned + tot.Lost + tot.InFlight; ended != tot.Created {
		t.Errorf("conservation: created %d, ended %d", tot.Created, ended)
	}
}

// A load generator hopelessly behind its arrivals (here a clock that
// jumps a minute ahead) stops sending, counts the rest as not sent and
// skips the drain: the run is invalid already, and the user need not wait
// for the backlog.
func TestGivesUpWhenFarBehind(t *testing.T) {
	s := parse(t, `name: wall
duration: 10m
drain: 10m
traffic: {arrivals: {type: constant, rate: 1/s}}
providers: [{name: alpha}]
`)
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(router.OrderView{Status: "failed"})
	}))
	defer sut.Close()
	var calls atomic.Int64
	now := func() time.Time {
		if calls.Add(1) > 50 {
			return time.Now().Add(time.Minute)
		}
		return time.Now()
	}
	start := time.Now()
	res, err := Run(context.Background(), Config{Scenario: s, Seed: 1, SUT: sut.URL, Mocks: &fakeMocks{}, Scale: 600, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Self
	if m.StoppedAt < 0 || m.Behind < time.Minute-time.Second || m.Arrivals < 590 || m.NotSent == 0 || res.Totals.Created+m.NotSent != m.Arrivals {
		t.Errorf("stopped at %v, %v behind, %d arrivals, %d not sent, %d created; want a stop, every arrival of 10 minutes accounted for",
			m.StoppedAt, m.Behind, m.Arrivals, m.NotSent, res.Totals.Created)
	}
	if waited := time.Since(start); waited > 30*time.Second {
		t.Logf("took %v", waited) // not judged: the drain is skipped, but a busy machine is slow
	}
}
