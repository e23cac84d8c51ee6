package reports

// Seeds is one drill judged over many seeds: per fault the distribution
// of the time to detect and to fail over, per expectation the share of
// seeds in which it held with its 95% interval, and a verdict from those
// intervals against the scenario's confidence. PerSeed keeps every seed's
// figures, so that partial results (shards) merge exactly.
type Seeds struct {
	Verdict  string   `json:"verdict"` // "pass", "fail" or "inconclusive"
	Scenario Scenario `json:"scenario"`
	// Runs is how many seeds ran; Seeds lists them in order.
	Runs  int      `json:"runs"`
	Seeds []uint64 `json:"seeds"`
	// Confidence is the share of seeds each expectation must hold in.
	Confidence float64 `json:"confidence"`
	// Stopped says why fewer seeds ran than asked (early stop), if so.
	Stopped      string             `json:"stopped,omitempty"`
	Faults       []SeedsFault       `json:"faults"`
	Expectations []SeedsExpectation `json:"expectations"`
	PerSeed      []SeedRun          `json:"per_seed"`
	Interrupted  bool               `json:"interrupted,omitempty"`
	// Engine holds the only wall-clock figures.
	Engine SeedsEngine `json:"engine"`
	// Reproduce runs the same seeds again.
	Reproduce string `json:"reproduce"`
	// Version is the paydrill build that ran the seeds (Report.Version).
	Version string `json:"paydrill_version,omitempty"`
}

// SeedsEngine is how the seeds were run.
type SeedsEngine struct {
	Jobs          int     `json:"jobs"`
	WallS         float64 `json:"wall_s"`
	RunsPerMinute float64 `json:"runs_per_minute"`
}

// SeedsFault is one fault's times over the seeds.
type SeedsFault struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Providers []string `json:"providers"`
	Detect    Dist     `json:"detect"`
	Failover  Dist     `json:"failover"`
}

// Dist is a time's distribution over seeds. A seed that never reached the
// time counts as later than any; a quantile that falls on such seeds is
// null ("never").
type Dist struct {
	Reached int      `json:"reached"`
	Never   int      `json:"never"`
	MedianS *float64 `json:"median_s"`
	P90S    *float64 `json:"p90_s"`
	P95S    *float64 `json:"p95_s"`
	WorstS  *float64 `json:"worst_s"`
}

// SeedsExpectation is one expectation over the seeds.
type SeedsExpectation struct {
	Name  string `json:"name"`
	Fault string `json:"fault,omitempty"`
	Want  string `json:"want"`
	// WantValue is the limit for machines (seconds, counts or ratios).
	WantValue float64 `json:"want_value"`
	// Counts of the seeds' outcomes.
	Held          int `json:"held"`
	Failed        int `json:"failed"`
	Inconclusive  int `json:"inconclusive"`
	NotApplicable int `json:"not_applicable"`
	// Share is Held over the seeds it applied to; Low and High its 95%
	// interval, counting inconclusive seeds as failed for Low and as held
	// for High.
	Share   float64 `json:"share"`
	Low     float64 `json:"low"`
	High    float64 `json:"high"`
	Outcome string  `json:"outcome"`
	Reason  string  `json:"reason,omitempty"`
}

// SeedRun is one seed's result: its verdict, per fault its times (null:
// never), per expectation (in Expectations' order) its outcome.
type SeedRun struct {
	Seed      uint64     `json:"seed"`
	Verdict   string     `json:"verdict"`
	DetectS   []*float64 `json:"detect_s"`
	FailoverS []*float64 `json:"failover_s"`
	Outcomes  []string   `json:"outcomes"`
}
