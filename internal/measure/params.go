package measure

import "time"

// Params are the windows and thresholds of the analysis. The package
// documentation defines how each is used.
type Params struct {
	// Baseline is how far before a fault's start the baseline looks.
	Baseline time.Duration
	// Window is the trailing window that judges detection and fail back.
	Window time.Duration
	// Hold is how long fail over must hold (at least a flapping fault's period).
	Hold time.Duration
	// MinSamples is the fewest samples a window needs to judge anything.
	MinSamples int
	// HitThreshold is the fault-hit rate fail over must stay below.
	HitThreshold float64
	// ConversionTolerance is how far below baseline conversion may fall
	// while still counting as recovered.
	ConversionTolerance float64
}

// DefaultParams returns the documented defaults: a 5m baseline, 10s window,
// 1m hold, 10 samples, 5% fault hits, 0.1 conversion tolerance.
func DefaultParams() Params {
	return Params{
		Baseline:            5 * time.Minute,
		Window:              10 * time.Second,
		Hold:                time.Minute,
		MinSamples:          10,
		HitThreshold:        0.05,
		ConversionTolerance: 0.1,
	}
}

// minSamples is MinSamples with the floor the package documents.
func (p Params) minSamples() int64 {
	return max(int64(p.MinSamples), 1)
}
