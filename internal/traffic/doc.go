// Package traffic generates the orders of a drill: arrival processes as pure
// functions of elapsed time, an arrival generator (Poisson or evenly spaced),
// a buyer population and a product catalog built once per run with gofakeit,
// and an order Source that samples from them.
//
// Determinism: every random draw comes from a stream derived from the run
// seed (seed.Stream / seed.Derive) under a fixed name: "arrivals" for arrival
// times, "orders" for per-order draws, "buyers" and "catalog" for the faker
// that builds the population and the catalog. Maps from the scenario are read
// in sorted key order. Nothing reads the clock.
//
// Speed: the population and catalog are built once; Source.Next and
// Arrivals.Next do not allocate and draw weighted choices from alias tables.
package traffic
