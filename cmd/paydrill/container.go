package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sut"
)

// startStage returns how `paydrill run --container IMAGE` starts a drill's
// world: leftovers of killed runs removed by label, then a private network
// with the mock providers, the edge and the router under test in
// containers, until the drill ends.
func startStage(file string, s *scenario.Scenario, opt runOptions, secret []byte, stderr io.Writer) func(context.Context) (drill.Stage, error) {
	return func(ctx context.Context) (drill.Stage, error) {
		startedContainers.Store(true) // from here a second Ctrl-C removes them
		if err := sut.RemoveLeftovers(ctx); err != nil {
			return nil, fmt.Errorf("leftovers of earlier runs: %w", err)
		}
		ro := sut.Options{Image: opt.wall.container, Strategy: opt.router, Seed: opt.seed}
		if c := opt.wall.spec; c != nil {
			ro.Build, ro.Port, ro.Health, ro.Cmd, ro.Env = opt.wall.build, c.Port, c.Health, c.Cmd, c.Env
		}
		st, err := sut.StartStage(ctx, sut.StageOptions{Scenario: s, File: file, Image: opt.wall.image,
			Scale: opt.wall.scale, Secret: secret, Router: ro})
		if err != nil {
			return nil, err
		}
		if !opt.quiet {
			r := st.Router()
			fmt.Fprintf(stderr, "paydrill: network %s: %d mock providers, the edge, and the router under test in container %.12s (%s) at %s\n",
				st.Network(), len(s.Providers), r.ID(), opt.wall.container, r.URL)
		}
		return st, nil
	}
}

// randomSecret signs notifications between the mocks and a router in a
// container when PAYDRILL_SECRET is not set: both sides must share it.
func randomSecret() []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return []byte(hex.EncodeToString(b))
}
