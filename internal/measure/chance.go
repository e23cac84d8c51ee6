package measure

import "gonum.org/v1/gonum/stat/distuv"

// windowAlpha is the chance, over a whole fault, that one of its hold
// windows is judged failing by the luck of a small sample alone, the
// router having moved for good: 1%. It is split evenly over the fault's
// windows (Bonferroni): at 10 orders a minute a 60-minute fault has 60
// one-minute windows of about ten orders each, and a rule with room for
// three standard errors per window fails one of them in most runs of a
// router that did everything right.
const windowAlpha = 0.01

// perWindow is the share of windowAlpha one of the hold windows of h
// buckets in buckets [lo, hi) gets.
func perWindow(lo, hi, h int) float64 {
	k := 1
	if h > 0 && hi > lo {
		k = (hi - lo + h - 1) / h
	}
	return windowAlpha / float64(max(k, 1))
}

// tooMany reports whether k or more successes in n trials of chance p
// are less likely than alpha: too many to be luck.
func tooMany(k, n int64, p, alpha float64) bool {
	switch {
	case n <= 0 || k <= 0 || float64(k) <= p*float64(n):
		return false
	case p <= 0:
		return true
	case p >= 1:
		return false
	}
	// Survival(x) is P(X > x): P(X >= k) is Survival(k-1).
	return distuv.Binomial{N: float64(n), P: p}.Survival(float64(k-1)) < alpha
}

// tooFew reports whether k or fewer successes in n trials of chance p are
// less likely than alpha: too few to be luck.
func tooFew(k, n int64, p, alpha float64) bool {
	switch {
	case n <= 0 || k >= n || float64(k) >= p*float64(n):
		return false
	case p >= 1:
		return true
	case p <= 0:
		return false
	}
	return distuv.Binomial{N: float64(n), P: p}.CDF(float64(k)) < alpha
}
