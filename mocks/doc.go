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
package mocks
