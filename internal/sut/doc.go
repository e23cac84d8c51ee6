// Package sut runs the router under test in a container with
// testcontainers-go, so a wall-clock drill exercises a real process over a
// real network stack: `paydrill run FILE --container IMAGE`.
//
// The router container uses the host's network: the mock providers run
// in-process on loopback, and the router reaches them at their 127.0.0.1
// URLs, listens on a free loopback port and publishes nothing. Every
// container is labelled with Label (value: the run id) so that leftovers of
// a killed run can be removed by label (RemoveLeftovers); there is no
// reaper, since its image cannot be pulled on machines without a registry.
package sut
