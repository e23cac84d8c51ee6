package mocks

import (
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// scenarioOf parses a scenario whose providers and faults sections are the
// given YAML lines (indented as list items). faults may be empty.
func scenarioOf(t testing.TB, providers, faults string) *scenario.Scenario {
	t.Helper()
	var b strings.Builder
	b.WriteString("name: test\nduration: 1h\ntraffic:\n  arrivals: {type: constant, rate: 10/s}\n")
	b.WriteString("  methods: {card: 1, alipay: 1}\nproviders:\n")
	b.WriteString(providers)
	if faults != "" {
		b.WriteString("faults:\n")
		b.WriteString(faults)
	}
	s, err := scenario.Parse("test.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("scenario.Parse:\n%s\n%v", b.String(), err)
	}
	return s
}

// providerOf builds the provider called name of a scenario.
func providerOf(t *testing.T, s *scenario.Scenario, name string) *Provider {
	t.Helper()
	i := s.ProviderIndex(name)
	if i < 0 {
		t.Fatalf("no provider %q in the scenario", name)
	}
	return New(s, i)
}

// order is a card order of amount minor units from a US buyer of game keys.
func order(amount payment.Money) *payment.Order {
	return &payment.Order{ID: 1, Amount: amount, Currency: "USD", Category: "game-keys", Method: "card", Region: "US"}
}

// sec turns seconds into a duration.
func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// Fixed-latency providers, deterministic unless a fault draws.
const (
	syncAlpha = "  - {name: alpha, tags: [gaming], flow: sync, latency: {median: 100ms, p99: 100ms}}\n"
	syncBeta  = "  - {name: beta, flow: sync, latency: {median: 100ms, p99: 100ms}}\n"
	asyncPay  = "  - {name: pay, tags: [gaming], flow: async, latency: {median: 100ms, p99: 100ms}, notify: {delay: {median: 2s, p99: 2s}}, expiry: 15m}\n"
)
