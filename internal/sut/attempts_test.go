package sut

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/edge"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// The edge times every attempt; the mock's record gives what it decided;
// what never reached the mock is kept; container faults on at the edge's
// time are hits.
func TestJoinAttempts(t *testing.T) {
	s, err := scenario.Parse("join.yaml", []byte(`name: join
duration: 1h
traffic:
  arrivals: {type: constant, rate: 1/s}
  methods: {card: 1}
providers: [{name: alpha}, {name: beta}]
faults:
  - {name: alpha-down, type: crash, at: 10m, for: 5m, target: {providers: [alpha]}}
  - {name: beta-frozen, type: suspend, at: 10m, target: {providers: [beta]}}
`))
	if err != nil {
		t.Fatal(err)
	}
	min := func(m float64) time.Duration { return time.Duration(m * float64(time.Minute)) }
	seen := []edge.Attempt{
		{At: min(1), Provider: "alpha", OrderID: "o1", Reached: true},
		{At: min(11), Provider: "alpha", OrderID: "o2", Reached: false},  // alpha crashed
		{At: min(11.01), Provider: "beta", OrderID: "o2", Reached: true}, // retried on beta
		{At: min(12), Provider: "alpha", OrderID: "o3", Reached: true},   // reached, never logged
		{At: min(20), Provider: "alpha", OrderID: "o4", Reached: true},
		{At: min(20.5), Provider: "alpha", OrderID: "o4", Reached: true}, // same order again
		// The router settles a create it got no answer to by replaying it
		// with the same idempotency key: one attempt, not two.
		{At: min(13), Provider: "alpha", OrderID: "o5", Reached: false, Key: "k5"}, // alpha crashed
		{At: min(16), Provider: "alpha", OrderID: "o5", Reached: true, Key: "k5"},  // replay, alpha back
		{At: min(30), Provider: "alpha", OrderID: "o6", Reached: true, Key: "k6"},  // mock slow
		{At: min(30.5), Provider: "alpha", OrderID: "o6", Reached: true, Key: "k6"},
		{At: min(31), Provider: "alpha", OrderID: "o6", Reached: true, Key: "k6b"}, // a new key: a new attempt
	}
	logged := []mocks.Attempt{
		{At: min(1.001), Provider: "alpha", OrderID: "o1", Status: "accepted", Captured: true},
		{At: min(11.02), Provider: "beta", OrderID: "o2", Status: "declined", Hits: 2},
		{At: min(20.6), Provider: "alpha", OrderID: "o4", Status: "declined"},
		{At: min(20.01), Provider: "alpha", OrderID: "o4", Status: "accepted"},
		{At: min(16.01), Provider: "alpha", OrderID: "o5", Status: "accepted", Captured: true},
		{At: min(30.7), Provider: "alpha", OrderID: "o6", Status: "accepted"},
		{At: min(31.01), Provider: "alpha", OrderID: "o6", Status: "declined"},
	}
	want := []mocks.Attempt{
		{At: min(1), Provider: "alpha", OrderID: "o1", Status: "accepted", Captured: true},
		{At: min(11), Provider: "alpha", OrderID: "o2", Status: "unreachable", Hits: 1},
		{At: min(11.01), Provider: "beta", OrderID: "o2", Status: "declined", Hits: 2},
		{At: min(12), Provider: "alpha", OrderID: "o3", Status: "unanswered", Hits: 1},
		{At: min(13), Provider: "alpha", OrderID: "o5", Status: "accepted", Captured: true, Hits: 1},
		{At: min(20), Provider: "alpha", OrderID: "o4", Status: "accepted"},
		{At: min(20.5), Provider: "alpha", OrderID: "o4", Status: "declined"},
		{At: min(30), Provider: "alpha", OrderID: "o6", Status: "accepted"},
		{At: min(31), Provider: "alpha", OrderID: "o6", Status: "declined"},
	}
	if diff := cmp.Diff(want, joinAttempts(s, seen, logged)); diff != "" {
		t.Errorf("joinAttempts (-want +got):\n%s", diff)
	}
}

// Toxic attributes are scenario time: a drill at 60x waits 60 times less.
func TestScaleToxic(t *testing.T) {
	got := scaleToxic(map[string]int64{"latency": 3000, "jitter": 10, "timeout": 0, "rate": 100}, 60)
	want := map[string]int64{"latency": 50, "jitter": 1, "timeout": 0, "rate": 6000}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scaleToxic (-want +got):\n%s", diff)
	}
}
