package traffic

import (
	"fmt"
	"math"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// Process is an arrival rate as a pure function of elapsed time since the
// start of the run, in events per second (vegeta's Pacer idea: no clock
// inside, so it is a plain table in tests).
type Process interface {
	Rate(elapsed time.Duration) float64
}

// rateFunc is a Process whose integral Λ(t) = ∫₀ᵗ rate is known in closed
// form and can be inverted; Arrivals is built on it. Times are seconds.
type rateFunc interface {
	Process
	// integral returns Λ(t), the expected number of arrivals in [0, t].
	integral(t float64) float64
	// invert returns the earliest t >= after with Λ(t) = m, given
	// Λ(after) <= m. ok is false when Λ never reaches m (the rate stays
	// 0 from some time on). cursor is the caller's search hint; m must not
	// decrease between calls sharing a cursor.
	invert(m, after float64, cursor *int) (t float64, ok bool)
}

// Arrival process types and spacings, as written in a scenario.
const (
	TypeConstant = "constant"
	TypePoisson  = "poisson"
	TypeDiurnal  = "diurnal"
	TypeRamp     = "ramp"
	TypeSpike    = "spike"
)

// NewProcess returns the rate function of a scenario's arrivals.
func NewProcess(a scenario.Arrivals) (Process, error) {
	f, err := newRateFunc(a)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func newRateFunc(a scenario.Arrivals) (rateFunc, error) {
	base := a.Rate.PerSecond()
	if err := checkRate("rate", base); err != nil {
		return nil, err
	}
	switch a.Type {
	case TypeConstant, TypePoisson:
		return constantRate(base), nil
	case TypeDiurnal:
		return newDiurnal(base, a.Amplitude, a.Period.D(), a.Peak.D())
	case TypeRamp:
		return newRamp(a.Stages)
	case TypeSpike:
		return newSpikes(base, a.Spikes)
	case "":
		return nil, fmt.Errorf("arrivals: type is missing (one of constant, poisson, diurnal, ramp, spike)")
	}
	return nil, fmt.Errorf("arrivals: unknown type %q (one of constant, poisson, diurnal, ramp, spike)", a.Type)
}

// poissonSpacing reports whether arrivals of a are a Poisson process (true)
// or evenly spaced in expected count (false).
func poissonSpacing(a scenario.Arrivals) (bool, error) {
	switch a.Type {
	case TypeConstant:
		return false, nil
	case TypePoisson:
		return true, nil
	}
	switch a.Process {
	case "", TypePoisson:
		return true, nil
	case TypeConstant:
		return false, nil
	}
	return false, fmt.Errorf("arrivals: unknown process %q (poisson or constant)", a.Process)
}

func checkRate(what string, r float64) error {
	if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		return fmt.Errorf("arrivals: %s %v is not a finite rate >= 0", what, r)
	}
	return nil
}
