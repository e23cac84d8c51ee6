package traffic

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// Arrivals generates successive arrival times of a scenario's arrival
// process. Both spacings invert the integrated rate Λ(t) = ∫₀ᵗ rate:
//
//   - poisson: the k-th arrival is at Λ⁻¹(E₁+…+E_k) with Eᵢ independent
//     Exp(1), which is exactly a (non-homogeneous) Poisson process; stretches
//     of rate 0 are skipped, not waited through.
//   - constant: the k-th arrival is at Λ⁻¹(k), the instant the expected
//     count reaches k; at a constant rate that is k/rate (the first arrival
//     comes one gap after the start).
//
// A Poisson diurnal process is drawn by thinning instead (Lewis and
// Shedler): candidates at the peak rate mean·(1+amplitude), each kept with
// probability rate(t)/peak. It is as exact and cheaper than solving the
// trigonometric Λ(t) = m per arrival.
//
// Times are rounded to the nanosecond and never decrease. Arrivals is not
// safe for concurrent use.
type Arrivals struct {
	f       rateFunc
	rng     *rand.Rand
	poisson bool
	thin    *diurnal // set when thinning
	peak    float64  // thinning bound, events per second
	mass    float64  // Λ at the last arrival
	last    float64  // seconds
	cursor  int
	done    bool
}

// maxSeconds is the last instant a time.Duration can hold.
const maxSeconds = float64(math.MaxInt64) / 1e9

// NewArrivals returns the arrival generator of a, drawing from rng.
func NewArrivals(a scenario.Arrivals, rng *rand.Rand) (*Arrivals, error) {
	f, err := newRateFunc(a)
	if err != nil {
		return nil, err
	}
	poisson, err := poissonSpacing(a)
	if err != nil {
		return nil, err
	}
	arr := &Arrivals{f: f, rng: rng, poisson: poisson}
	if d, ok := f.(*diurnal); ok && poisson {
		arr.thin, arr.peak = d, d.mean*(1+d.amp)
		arr.done = arr.peak == 0
	}
	return arr, nil
}

// Next returns the next arrival time since the start of the run. It
// returns false only when no arrival will ever come again (the rate is 0
// from some time on); the caller stops at the run's duration.
func (a *Arrivals) Next() (time.Duration, bool) {
	if a.done {
		return 0, false
	}
	if a.thin != nil {
		return a.thinned()
	}
	if a.poisson {
		a.mass += a.rng.ExpFloat64()
	} else {
		a.mass++
	}
	t, ok := a.f.invert(a.mass, a.last, &a.cursor)
	if !ok || t >= maxSeconds {
		a.done = true
		return 0, false
	}
	t = max(t, a.last)
	a.last = t
	return time.Duration(math.Round(t * 1e9)), true
}

// thinned draws the next arrival of a Poisson process whose rate never
// exceeds a.peak.
func (a *Arrivals) thinned() (time.Duration, bool) {
	t := a.last
	for {
		t += a.rng.ExpFloat64() / a.peak
		if t >= maxSeconds {
			a.done = true
			return 0, false
		}
		if a.rng.Float64()*a.peak < a.thin.rate(t) {
			break
		}
	}
	a.last = t
	return time.Duration(math.Round(t * 1e9)), true
}

// Rate returns the arrival rate at elapsed, in events per second.
func (a *Arrivals) Rate(elapsed time.Duration) float64 { return a.f.Rate(elapsed) }

// Mean returns the expected number of arrivals in [from, to) (0 when to is
// not after from).
func (a *Arrivals) Mean(from, to time.Duration) float64 {
	if to <= from {
		return 0
	}
	return max(a.f.integral(to.Seconds())-a.f.integral(from.Seconds()), 0)
}
