// Package sim runs a drill in virtual time: a discrete-event simulation
// of orders, the router under test and the mock providers.
//
// # Determinism contract
//
// One goroutine runs the event loop over a queue ordered by (time,
// sequence). Nothing in the simulated world reads the wall clock or the
// global random source: every draw comes from a stream derived from the
// run seed by name (seed.Stream), one per component (arrivals, orders,
// buyers, each provider, the router), so a seed reproduces a run byte for
// byte and adding a provider does not shift the arrivals.
//
// # Memory
//
// Orders and payments live in slabs with free lists and are reconciled and
// released as soon as nothing more can happen to them; per-bucket series
// and HDR histograms carry the rest. Memory depends on the orders in
// flight, not on the run's length.
//
// # Invariants checked as the run goes
//
// Goods are delivered at most once per order; every created order ends in
// exactly one of paid, failed, abandoned or lost; a capture the shop never
// delivered for is counted as stranded, more than one capture for an order
// as a duplicate charge. A violation stops nothing but is reported.
package sim
