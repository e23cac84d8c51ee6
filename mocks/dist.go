package mocks

import (
	"math"
	"math/rand/v2"
	"time"
)

// z99 is the standard normal quantile of 0.99.
const z99 = 2.3263478740408408

// Spread samples a log-normal duration given its median and p99.
type Spread struct {
	mu, sigma float64
	fixed     time.Duration
}

// NewSpread returns a log-normal with the given median and p99. A p99 at
// or below the median gives a fixed duration.
func NewSpread(median, p99 time.Duration) Spread {
	if median <= 0 {
		return Spread{fixed: 0}
	}
	if p99 <= median {
		return Spread{fixed: median}
	}
	return Spread{mu: math.Log(float64(median)), sigma: math.Log(float64(p99)/float64(median)) / z99}
}

// Sample draws one duration.
func (s Spread) Sample(r *rand.Rand) time.Duration {
	if s.sigma == 0 {
		return s.fixed
	}
	return time.Duration(math.Exp(s.mu + s.sigma*r.NormFloat64()))
}

// CDF is the probability that a sample is at most d.
func (s Spread) CDF(d time.Duration) float64 {
	if s.sigma == 0 {
		if d >= s.fixed {
			return 1
		}
		return 0
	}
	if d <= 0 {
		return 0
	}
	return 0.5 * math.Erfc(-(math.Log(float64(d))-s.mu)/(s.sigma*math.Sqrt2))
}

// Mix draws a key from weights.
type Mix struct {
	keys []string
	cum  []float64
}

// NewMix builds a mix over keys in the given order (callers sort map keys).
func NewMix(keys []string, weights []float64) Mix {
	m := Mix{keys: keys, cum: make([]float64, len(keys))}
	total := 0.0
	for i, w := range weights {
		total += w
		m.cum[i] = total
	}
	for i := range m.cum {
		m.cum[i] /= total
	}
	return m
}

// Draw picks one key.
func (m Mix) Draw(r *rand.Rand) string {
	if len(m.keys) == 1 {
		return m.keys[0]
	}
	u := r.Float64()
	for i, c := range m.cum {
		if u < c {
			return m.keys[i]
		}
	}
	return m.keys[len(m.keys)-1]
}
