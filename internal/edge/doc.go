// Package edge stands between a router under test and its providers in a
// container drill. For each provider it runs a Toxiproxy proxy (the TCP
// faults of toxic faults: latency, timeout, reset_peer, slow_close,
// bandwidth) in front of a tap that logs every create-payment call on its
// way to the provider's mock, with whether the call reached it. The mock
// logs what it decided; the tap is what lets the drill count the attempts
// a crashed, paused or cut-off provider never logs itself.
//
// One process serves every provider of a drill under the providers' names
// (network aliases of its container), each on its own port, and one HTTP
// API: Toxiproxy's own (proxies and toxics) and, under /_paydrill/, the
// tap's log and the drill's clock.
package edge
