package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/paydrill/paydrill/internal/sut"
)

// startContainer returns how `paydrill run --container IMAGE` starts the
// router under test: leftovers of killed runs removed by label, then the
// image run on the host network with the mock providers' URLs in its
// environment, until the drill ends.
func startContainer(file string, opt runOptions, secret []byte, stderr io.Writer) func(context.Context, map[string]string) (string, func(), error) {
	return func(ctx context.Context, providers map[string]string) (string, func(), error) {
		if err := sut.RemoveLeftovers(ctx); err != nil {
			return "", nil, fmt.Errorf("leftovers of earlier runs: %w", err)
		}
		r, err := sut.StartRouter(ctx, sut.Options{Image: opt.wall.container, Scenario: file,
			Strategy: opt.router, Seed: opt.seed, Scale: opt.wall.scale, Providers: providers, Secret: secret})
		if err != nil {
			return "", nil, err
		}
		if !opt.quiet {
			fmt.Fprintf(stderr, "paydrill: router under test in container %.12s (%s) at %s\n", r.ID(), opt.wall.container, r.URL)
		}
		stop := func() {
			if err := r.Close(); err != nil {
				fmt.Fprintf(stderr, "paydrill: %v\n", err)
			}
		}
		return r.URL, stop, nil
	}
}

// randomSecret signs notifications between the mocks and a router in a
// container when PAYDRILL_SECRET is not set: both sides must share it.
func randomSecret() []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return []byte(hex.EncodeToString(b))
}
