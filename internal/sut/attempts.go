package sut

import (
	"cmp"
	"slices"
	"time"

	"github.com/paydrill/paydrill/internal/edge"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// joinAttempts merges what the edge saw on the way to each provider with
// what the providers' mocks logged, into the attempts a drill measures:
//
//   - Every attempt is timed when the edge saw it, the moment the router
//     sent it: a paused mock logs the requests it finds in its socket when
//     unpaused, long after the router gave up on them.
//   - An attempt that reached its provider takes the mock's record (its
//     status, hits and capture), paired in order per order and provider.
//   - One that never reached it (the provider crashed or was cut off) or
//     that the mock never logged is kept with the edge's time alone.
//   - A call repeating an earlier call's idempotency key for the same order
//     and provider is a replay of that attempt, not a new one (a router
//     settling a create that timed out): the mock answers it from its
//     record without logging it. When the first call never got its answer
//     logged and a replay reached the mock, the attempt takes the mock's
//     record, still at the first call's time.
//   - Each takes the hits of the container faults on at its time: the mock
//     cannot see them. Mock records beyond the edge's (none in a container
//     drill) are kept as they are.
func joinAttempts(s *scenario.Scenario, seen []edge.Attempt, logged []mocks.Attempt) []mocks.Attempt {
	type key struct{ order, provider string }
	byKey := map[key][]mocks.Attempt{}
	for _, a := range logged {
		k := key{a.OrderID, a.Provider}
		byKey[k] = append(byKey[k], a)
	}
	for _, as := range byKey {
		slices.SortStableFunc(as, func(a, b mocks.Attempt) int { return cmp.Compare(a.At, b.At) })
	}
	seen = slices.Clone(seen)
	slices.SortStableFunc(seen, func(a, b edge.Attempt) int { return cmp.Compare(a.At, b.At) })
	hits := containerHits(s)
	type call struct{ order, provider, idem string }
	first := map[call]int{} // index in out of the attempt a key began
	used := map[key]int{}
	// reach is what a call that reached its provider gets: the mock's next
	// record for its order and provider at the call's time, else unanswered.
	reach := func(k key, a mocks.Attempt) mocks.Attempt {
		i := used[k]
		if i >= len(byKey[k]) {
			a.Status = "unanswered"
			return a
		}
		used[k] = i + 1
		r := byKey[k][i]
		r.At, r.Hits = a.At, r.Hits|a.Hits
		return r
	}
	out := make([]mocks.Attempt, 0, len(seen))
	for _, e := range seen {
		k := key{e.OrderID, e.Provider}
		c := call{e.OrderID, e.Provider, e.Key}
		if j, replay := first[c]; replay {
			if e.Reached && !fromMock(out[j].Status) {
				out[j] = reach(k, out[j])
			}
			continue
		}
		a := mocks.Attempt{At: e.At, OrderID: e.OrderID, Provider: e.Provider, Status: "unreachable"}
		if e.Reached {
			a = reach(k, a)
		}
		a.Hits |= hits(e.Provider, e.At)
		if e.Key != "" {
			first[c] = len(out)
		}
		out = append(out, a)
	}
	for k, as := range byKey {
		out = append(out, as[used[k]:]...)
	}
	return out
}

// fromMock reports whether an attempt's status came from the mock's log.
func fromMock(status string) bool { return status != "unreachable" && status != "unanswered" }

// containerHits returns the hit mask of the container faults on at a
// moment for a provider.
func containerHits(s *scenario.Scenario) func(provider string, at time.Duration) uint64 {
	byProvider := map[string][]*mocks.Fault{}
	for i, f := range s.Faults {
		if !slices.Contains(scenario.ContainerFaults, f.Type) {
			continue
		}
		for _, p := range s.TargetIndexes(f) {
			name := s.Providers[p].Name
			byProvider[name] = append(byProvider[name], mocks.NewFault(i, f))
		}
	}
	return func(provider string, at time.Duration) uint64 {
		var m uint64
		for _, f := range byProvider[provider] {
			if f.Active(at) {
				m |= f.Mask()
			}
		}
		return m
	}
}
