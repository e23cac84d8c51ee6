package reports

// Series holds the time series the charts draw, computed by the drill from
// what the engine recorded per bucket. A point covers [StartS[i],
// StartS[i]+BucketS). Long runs are downsampled to at most 720 points by
// merging Downsample consecutive engine buckets into one point: counts are
// summed before any ratio is taken, and latency sketches merged before any
// quantile is read. A ratio with nothing to divide by is null.
type Series struct {
	BucketS    float64   `json:"bucket_s"`   // width of one point
	Downsample int       `json:"downsample"` // engine buckets per point
	StartS     []float64 `json:"start_s"`
	// Conversion of the orders created in each point (paid / created).
	Conversion []*float64 `json:"conversion"`
	// BaselineConversion is the conversion of the orders created over the
	// measure baseline before the first fault (the whole run without faults).
	BaselineConversion float64 `json:"baseline_conversion"`
	// Share of first attempts sent to each provider, in provider order.
	Share []NamedSeries `json:"share"`
	// FaultHits is per fault the share of the attempts of matching orders
	// that the fault's effect touched.
	FaultHits []NamedSeries `json:"fault_hits"`
	// Checkout latency of the orders created in each point, estimated from
	// a log-spaced sketch (within about 42 %).
	LatencyP50Ms []*float64 `json:"latency_p50_ms"`
	LatencyP99Ms []*float64 `json:"latency_p99_ms"`
	// Marks are the moments of detection, fail-over and fail-back, since
	// the run's start.
	Marks []Mark `json:"marks,omitempty"`
}

// NamedSeries is one line of a chart.
type NamedSeries struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"`
}

// Mark is a moment of a fault: Kind is "detect", "failover" or "failback".
type Mark struct {
	Fault string  `json:"fault"`
	Kind  string  `json:"kind"`
	AtS   float64 `json:"at_s"`
}
