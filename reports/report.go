// Package reports owns the report model, paydrill's stable JSON output,
// and the renderers that turn it into text. Renderers never compute a
// figure: everything they show is in the model.
package reports

import "strings"

// UnsignedNote is what every report says of a drill whose router took
// notifications without checking a signature.
const UnsignedNote = "the router took provider notifications without checking a signature (--unsigned): a forged notification could have marked an order paid"

// Report is the result of one drill. The JSON keys of the documented
// contract (docs/reports.md, "JSON report") are stable; more may be added.
type Report struct {
	Verdict  string   `json:"verdict"` // "pass", "fail", "inconclusive" or "invalid"
	Scenario Scenario `json:"scenario"`
	Engine   Engine   `json:"engine"`
	// Health is a wall-clock drill's account of itself (absent in virtual
	// time); an invalid one makes the verdict "invalid".
	Health       *Health       `json:"health,omitempty"`
	Orders       Orders        `json:"orders"`
	Latency      Latency       `json:"latency"`
	Providers    []Provider    `json:"providers"`
	Faults       []Fault       `json:"faults"`
	Expectations []Expectation `json:"expectations"`
	// Transitions the router recorded, when it records them (the first 500).
	Transitions []Transition `json:"transitions,omitempty"`
	// Violations are invariants broken during the run (they fail the verdict).
	Violations []string `json:"violations,omitempty"`
	// Warnings are what the reader must know to trust the figures (orders
	// of a replay no provider takes, say); every renderer shows them
	// before the figures.
	Warnings    []string `json:"warnings,omitempty"`
	Interrupted bool     `json:"interrupted,omitempty"`
	// Unsigned: the router took notifications without checking a
	// signature (the reference router's --unsigned): a forged notification
	// could have marked an order paid.
	Unsigned bool `json:"unsigned_notifications,omitempty"`
	// Series are the time series the charts draw (absent in reports
	// written before they existed).
	Series *Series `json:"series,omitempty"`
	// Reproduce is the command that runs this drill again, seed included.
	Reproduce string `json:"reproduce"`
	// Version is the paydrill build that ran the drill, as 'paydrill
	// version' prints it ("" when the caller did not say, as in a library
	// run or a report written before it existed).
	Version string `json:"paydrill_version,omitempty"`
}

// Scenario identifies the drill.
type Scenario struct {
	Name        string  `json:"name"`
	File        string  `json:"file"`
	Seed        uint64  `json:"seed"`
	Description string  `json:"description,omitempty"`
	Router      string  `json:"router"`
	DurationS   float64 `json:"duration_s"`
	Currency    string  `json:"currency"`
}

// Engine says how the run was carried out. It holds the only wall-clock
// figures of a report: two runs of one seed differ only here.
type Engine struct {
	Mode       string  `json:"mode"` // "virtual" or "wall"
	SimulatedS float64 `json:"simulated_s"`
	WallS      float64 `json:"wall_s"`
	Speedup    float64 `json:"speedup"`
	Events     uint64  `json:"events"`
	// Wall mode only: the time compression, arrivals the load generator
	// could not send (never silently dropped), and how late requests left
	// against their intended time (p99, wall milliseconds).
	TimeScale    float64 `json:"time_scale,omitempty"`
	NotSent      int64   `json:"not_sent,omitempty"`
	SendLagP99Ms float64 `json:"send_lag_p99_ms,omitempty"`
	// WriteLagP99Ms adds getting a connection and writing the request.
	WriteLagP99Ms float64 `json:"write_lag_p99_ms,omitempty"`
	// Requests is every HTTP request the load generator made (orders, pay
	// pages, then one GET per order to learn how it ended).
	Requests int64 `json:"requests,omitempty"`
}

// Orders is conservation and money safety. Money is in major units of
// the scenario's currency.
type Orders struct {
	Created   int64 `json:"created"`
	Paid      int64 `json:"paid"`
	Failed    int64 `json:"failed"`
	Abandoned int64 `json:"abandoned"`
	Lost      int64 `json:"lost"`
	// InFlight: orders an interrupted run left undecided.
	InFlight         int64 `json:"in_flight,omitempty"`
	DuplicateCharges int64 `json:"duplicate_charges"`
	Stranded         int64 `json:"stranded"`
	// DuplicateDeliveries: paid orders whose goods went out more than once.
	DuplicateDeliveries int64   `json:"duplicate_deliveries"`
	Conversion          float64 `json:"conversion"`
	PaidAmount          float64 `json:"paid_amount"`
	FailedAmount        float64 `json:"failed_amount"`
	Attempts            int64   `json:"attempts"`
	StatusQueries       int64   `json:"status_queries"`
	// DuplicateNotifications the shop received and ignored (goods went out once).
	DuplicateNotifications int64 `json:"duplicate_notifications"`
	// Unroutable: orders of a replay (traffic.replay.unroutable: report)
	// whose payment method no provider takes; each failed without a single
	// attempt. UnroutableMethods counts them by method.
	Unroutable        int64            `json:"unroutable,omitempty"`
	UnroutableMethods map[string]int64 `json:"unroutable_methods,omitempty"`
	// RefusedNotifications the router refused: bad signature, stale, or
	// not about a payment it created (the reference router counts them).
	RefusedNotifications int64 `json:"refused_notifications,omitempty"`
}

// Latency is checkout latency: order placed to the buyer's first answer.
type Latency struct {
	Count int64   `json:"count"`
	P50Ms float64 `json:"p50_ms"`
	P90Ms float64 `json:"p90_ms"`
	P99Ms float64 `json:"p99_ms"`
	MaxMs float64 `json:"max_ms"`
}

// Provider is one provider's traffic and ledger.
type Provider struct {
	Name        string  `json:"name"`
	Attempts    int64   `json:"attempts"`
	Captures    int64   `json:"captures"`
	ShareBefore float64 `json:"share_before"` // share of first attempts before the first fault
	ShareDuring float64 `json:"share_during"` // while any fault is on
	Captured    float64 `json:"captured_amount"`
	Fees        float64 `json:"fees"`
	// TakenOut: how often the router took it out of rotation (thrash shows here).
	TakenOut int `json:"taken_out"`
	// Contracted limits (a provider with limits): creates declined for
	// them, the daily cap and the highest volume accepted in one day
	// (major units). DailyPeak <= DailyCap is money kept within the cap.
	LimitDeclines int64   `json:"limit_declines,omitempty"`
	DailyCap      float64 `json:"daily_cap,omitempty"`
	DailyPeak     float64 `json:"daily_peak,omitempty"`
	// Reviews: each time the channel's velocity review put the merchant
	// under review, when and caused by what.
	Reviews []Review `json:"reviews,omitempty"`
}

// Review is one velocity review a channel tripped.
type Review struct {
	AtS   float64 `json:"at_s"`
	Cause string  `json:"cause"`
}

// Transition is a change in the router's view of a provider.
type Transition struct {
	AtS      float64 `json:"at_s"`
	Provider string  `json:"provider"`
	State    string  `json:"state"` // out, in, disabled
	Reason   string  `json:"reason,omitempty"`
}

// Fault is one fault's measurements. A time never reached is null.
type Fault struct {
	Name               string   `json:"name"`
	Type               string   `json:"type"`
	Providers          []string `json:"providers"`
	StartS             float64  `json:"start_s"`
	EndS               float64  `json:"end_s"`
	DetectS            *float64 `json:"detect_s"`
	FailoverS          *float64 `json:"failover_s"`
	RecoverS           *float64 `json:"recover_s"`
	FailbackS          *float64 `json:"failback_s"`
	ExcessFailed       int64    `json:"excess_failed"`
	ExcessFailedAmount float64  `json:"excess_failed_amount"`
	Hits               int64    `json:"fault_hits"`
	Attempts           int64    `json:"attempts"`
	BaselineConversion float64  `json:"baseline_conversion"`
	BaselineShare      float64  `json:"baseline_share"`
	ShareDuring        float64  `json:"share_during"`
	// BaselineConversionLow and High: the 95% Wilson interval of the
	// baseline conversion over BaselineOrders matching orders.
	BaselineConversionLow  float64 `json:"baseline_conversion_low"`
	BaselineConversionHigh float64 `json:"baseline_conversion_high"`
	BaselineOrders         int64   `json:"baseline_orders"`
	// The precision of each time above (absent where the time is null):
	// the change happened after low_s and by high_s; *_s is their middle.
	DetectSpan   *Span `json:"detect_span,omitempty"`
	FailoverSpan *Span `json:"failover_span,omitempty"`
	RecoverSpan  *Span `json:"recover_span,omitempty"`
	FailbackSpan *Span `json:"failback_span,omitempty"`
	// For a time never reached: from when on (since the fault's start, its
	// end for fail back) the traffic could no longer show it. A target
	// before this that was not reached was missed; one after it cannot be
	// told. Absent when no window could be judged at all.
	DetectOpenS   *float64 `json:"detect_open_s,omitempty"`
	FailoverOpenS *float64 `json:"failover_open_s,omitempty"`
	FailbackOpenS *float64 `json:"failback_open_s,omitempty"`
	// RouterOutS is when the router itself first took a targeted provider
	// out after the fault's start (from its own transitions, when it
	// reports them), since the fault's start.
	RouterOutS *float64 `json:"router_out_s,omitempty"`
	// MinSamples is how many samples a judging window needs.
	MinSamples int    `json:"min_samples"`
	Note       string `json:"note,omitempty"`
}

// Span is a time figure's precision, in seconds from the same origin as
// the figure.
type Span struct {
	LowS  float64 `json:"low_s"`
	HighS float64 `json:"high_s"`
	// Orders the figure rests on: matching first attempts from the fault's
	// start (end, for fail back) up to high_s.
	Orders int64 `json:"orders"`
	// ConfirmedS is when the rule had the samples it needs.
	ConfirmedS float64 `json:"confirmed_s"`
}

// Expectation is one judged expectation. Want and Got are for people;
// WantValue and GotValue for machines (seconds, counts or ratios; GotValue
// null when never reached).
type Expectation struct {
	Name      string   `json:"name"`
	Fault     string   `json:"fault,omitempty"`
	Want      string   `json:"want"`
	Got       string   `json:"got"`
	WantValue float64  `json:"want_value"`
	GotValue  *float64 `json:"got_value"`
	// Pass is true when the outcome is pass (or not applicable).
	Pass bool `json:"pass"`
	// Outcome is "pass", "fail", "inconclusive" (the data cannot decide)
	// or "n/a" (nothing to judge, as fail back when nothing moved).
	Outcome string `json:"outcome"`
	// Reason says why, in words, for any outcome but a plain pass or fail.
	Reason string `json:"reason,omitempty"`
}

// Mark is the outcome in capitals for people: PASS, FAIL, INCONCLUSIVE,
// N/A (reports written before outcomes existed read Pass).
func (e Expectation) Mark() string {
	switch {
	case e.Outcome != "":
		return strings.ToUpper(e.Outcome)
	case e.Pass:
		return "PASS"
	}
	return "FAIL"
}

// Judged sets the outcome of an expectation that could be decided.
func (e Expectation) Judged(pass bool) Expectation {
	e.Pass = pass
	e.Outcome = Fail
	if pass {
		e.Outcome = Pass
	}
	return e
}

// Outcomes of an expectation and verdicts of a drill.
const (
	Pass          = "pass"
	Fail          = "fail"
	Inconclusive  = "inconclusive"
	NotApplicable = "n/a"
	// Invalid is a drill verdict only: the drill itself fell behind.
	Invalid = "invalid"
)

// Passed reports whether every expectation held and nothing broke.
func (r *Report) Passed() bool { return r.Verdict == "pass" }
