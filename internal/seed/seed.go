// Package seed derives independent, reproducible random streams from one
// run seed, so that each component draws from its own stream: adding a
// provider does not shift the arrivals.
package seed

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns a random source for the component called name, derived
// from the run seed. The same (seed, name) always gives the same stream.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	k := h.Sum64()
	return rand.New(rand.NewPCG(mix(seed^k), mix(k+0x9e3779b97f4a7c15)))
}

// Derive returns a 64-bit seed for name, for libraries that take a seed
// rather than a source (gofakeit).
func Derive(seed uint64, name string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return mix(seed ^ h.Sum64())
}

// mix is splitmix64's finaliser.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
