// Package mocks holds the mock payment providers: their behaviour models
// (latency, declines, buyers completing pay pages, notifications), the
// faults injected into them on a timeline, and the ledgers of what they
// captured.
//
// The models are deterministic: every draw comes from the provider's own
// random stream, and time is always passed in (virtual or wall). They do
// not store payments: the caller owns each Payment (the simulator keeps
// them in slabs, an HTTP server in a map), so the same model serves both
// clocks.
//
// In wall-clock mode the models are served over HTTP: Live holds one
// provider's payments, NewHandler serves the generic JSON protocol and
// NewStripeHandler a Stripe-compatible subset (docs/protocol.md), NewServer
// listens on a loopback port, and ServeScenario starts every provider of a
// scenario on one shared clock.
package mocks
