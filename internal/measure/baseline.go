package measure

import "math"

// z95 is the normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval of k successes in n trials
// and its centre, the shrunk estimate (k + z²/2)/(n + z²) that is never 0
// or 1. With n = 0 it is [0, 1] around 0.5: nothing is known. Unlike the
// normal interval it stays honest at small n and at 0 or n successes:
// 10 of 10 gives [0.72, 1], not [1, 1].
func Wilson(k, n int64) (low, high, centre float64) {
	if n <= 0 {
		return 0, 1, 0.5
	}
	k = min(max(k, 0), n)
	nf, p, z2 := float64(n), float64(k)/float64(n), z95*z95
	d := 1 + z2/nf
	centre = (p + z2/(2*nf)) / d
	half := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / d
	return max(centre-half, 0), min(centre+half, 1), centre
}
