// Package sut runs container drills with testcontainers-go:
// `paydrill run FILE --container IMAGE`, or a scenario's router.container.
//
// A Stage is a drill's world on a private network: a mock provider
// container per provider (alias mock-NAME), the edge in front of them
// (Toxiproxy and a tap; aliases: the providers' names) and the router
// under test (alias router). The host reaches each through a port
// published on 127.0.0.1. The Stage switches the scenario's faults, the
// container ones (pause, crash, partition, toxic) with Docker and
// Toxiproxy, and reads what the mocks and the edge saw, joined into the
// attempts the drill measures (joinAttempts).
//
// StartRouter alone runs a router on the host's network (tests use it).
// Every container and network is labelled with Label (value: the run id)
// and LabelPID, so that leftovers of a killed run can be removed by label
// (RemoveLeftovers); there is no reaper, since its image cannot be pulled
// on machines without a registry.
package sut
