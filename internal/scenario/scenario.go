// Package scenario owns the drill file format: its schema, strict decoding
// with file:line:col errors, validation, defaults and the JSON Schema.
package scenario

// Scenario is one drill: traffic, the providers it runs over, the router
// under test, the faults on a timeline and what must hold.
//
// Field tags are the YAML names; the struct is the schema (see Schema).
type Scenario struct {
	Name        string   `yaml:"name" json:"name" jsonschema:"required,description=Short identifier of the drill"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Seed        uint64   `yaml:"seed,omitempty" json:"seed,omitempty" jsonschema:"description=Random seed; the same seed reproduces a run byte for byte"`
	Duration    Duration `yaml:"duration" json:"duration" jsonschema:"required,description=Length of the traffic phase (e.g. 1h)"`
	// Drain is how long after Duration the run goes on with no new orders
	// so that pending orders can end. Default 20m.
	Drain  Duration `yaml:"drain,omitempty" json:"drain,omitempty"`
	Bucket Duration `yaml:"bucket,omitempty" json:"bucket,omitempty" jsonschema:"description=Width of a time-series bucket (default 10s)"`

	Traffic   Traffic    `yaml:"traffic" json:"traffic" jsonschema:"required"`
	Providers []Provider `yaml:"providers" json:"providers" jsonschema:"required,minItems=1"`
	Router    Router     `yaml:"router,omitempty" json:"router,omitempty"`
	Faults    []Fault    `yaml:"faults,omitempty" json:"faults,omitempty"`
	Measure   Measure    `yaml:"measure,omitempty" json:"measure,omitempty"`
	Expect    Expect     `yaml:"expect,omitempty" json:"expect,omitempty"`
}

// Traffic describes the orders buyers place.
type Traffic struct {
	// Arrivals is required unless Replay is set.
	Arrivals Arrivals `yaml:"arrivals,omitempty" json:"arrivals,omitempty" jsonschema:"description=Arrival process of synthetic orders (required unless replay is set)"`
	// Replay takes the orders from a file instead (see Replay).
	Replay *Replay `yaml:"replay,omitempty" json:"replay,omitempty" jsonschema:"description=Replay orders from a CSV or JSONL file instead of synthetic arrivals"`
	// Buyers is the size of the buyer population orders are drawn from
	// (repeat buyers are real). Default 10000.
	Buyers  int                `yaml:"buyers,omitempty" json:"buyers,omitempty"`
	Regions map[string]float64 `yaml:"regions,omitempty" json:"regions,omitempty" jsonschema:"description=Buyer region mix: ISO country code to weight"`
	Catalog Catalog            `yaml:"catalog,omitempty" json:"catalog,omitempty"`
	Methods map[string]float64 `yaml:"methods,omitempty" json:"methods,omitempty" jsonschema:"description=Payment method mix: method to weight"`
}

// Arrivals is the arrival process of orders. Type is one of constant,
// poisson, diurnal, ramp, spike.
type Arrivals struct {
	Type string `yaml:"type" json:"type" jsonschema:"required,enum=constant,enum=poisson,enum=diurnal,enum=ramp,enum=spike"`
	// Rate is the base rate (constant, poisson, spike) or the mean rate (diurnal).
	Rate Rate `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Diurnal: Amplitude in [0,1] of a sine over Period, peaking at Peak.
	Amplitude float64  `yaml:"amplitude,omitempty" json:"amplitude,omitempty"`
	Period    Duration `yaml:"period,omitempty" json:"period,omitempty"`
	Peak      Duration `yaml:"peak,omitempty" json:"peak,omitempty"`
	// Ramp: linear stages from the previous rate to To over For (k6 style).
	Stages []Stage `yaml:"stages,omitempty" json:"stages,omitempty"`
	// Spike: bursts on top of Rate.
	Spikes []Spike `yaml:"spikes,omitempty" json:"spikes,omitempty"`
	// Process for ramp, diurnal and spike: poisson (default) or constant spacing.
	Process string `yaml:"process,omitempty" json:"process,omitempty" jsonschema:"enum=poisson,enum=constant"`
}

// Stage is one ramp stage.
type Stage struct {
	For Duration `yaml:"for" json:"for" jsonschema:"required"`
	To  Rate     `yaml:"to" json:"to"`
}

// Spike multiplies (Factor) or replaces (Rate) the base rate for a window.
type Spike struct {
	At     Duration `yaml:"at" json:"at" jsonschema:"required"`
	For    Duration `yaml:"for" json:"for" jsonschema:"required"`
	Rate   Rate     `yaml:"rate,omitempty" json:"rate,omitempty"`
	Factor float64  `yaml:"factor,omitempty" json:"factor,omitempty"`
}

// Catalog is the shop's product catalog.
type Catalog struct {
	Currency   string             `yaml:"currency,omitempty" json:"currency,omitempty" jsonschema:"description=ISO 4217 code (default USD)"`
	Products   int                `yaml:"products,omitempty" json:"products,omitempty" jsonschema:"description=Number of products (default 200)"`
	Categories map[string]float64 `yaml:"categories,omitempty" json:"categories,omitempty" jsonschema:"description=Product category mix: category to weight"`
	Price      Price              `yaml:"price,omitempty" json:"price,omitempty"`
}

// Price is a log-normal price distribution in major units, clipped to [Min, Max].
type Price struct {
	Median float64 `yaml:"median,omitempty" json:"median,omitempty"`
	P99    float64 `yaml:"p99,omitempty" json:"p99,omitempty"`
	Min    float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max    float64 `yaml:"max,omitempty" json:"max,omitempty"`
}

// Spread is a log-normal distribution of durations given by its median and p99.
type Spread struct {
	Median Duration `yaml:"median" json:"median"`
	P99    Duration `yaml:"p99,omitempty" json:"p99,omitempty"`
}

// Provider is one mock payment channel.
type Provider struct {
	Name    string   `yaml:"name" json:"name" jsonschema:"required"`
	Tags    []string `yaml:"tags,omitempty" json:"tags,omitempty"`
	Methods []string `yaml:"methods,omitempty" json:"methods,omitempty" jsonschema:"description=Methods it accepts (default: all of the traffic's methods)"`
	// Flow: sync (card-style, captured in the create call) or async
	// (pay page, buyer pays later, provider notifies).
	Flow string `yaml:"flow,omitempty" json:"flow,omitempty" jsonschema:"enum=sync,enum=async"`
	// Protocol is what the provider's HTTP mock speaks in wall-clock
	// drills: generic (default), stripe, or epay (the aggregator protocol
	// of card shops; async only). docs/protocol.md.
	Protocol     string             `yaml:"protocol,omitempty" json:"protocol,omitempty" jsonschema:"enum=generic,enum=stripe,enum=epay"`
	Latency      Spread             `yaml:"latency,omitempty" json:"latency,omitempty"`
	DeclineRate  float64            `yaml:"decline_rate,omitempty" json:"decline_rate,omitempty"`
	DeclineCodes map[string]float64 `yaml:"decline_codes,omitempty" json:"decline_codes,omitempty"`
	Completion   Completion         `yaml:"completion,omitempty" json:"completion,omitempty"`
	Notify       Notify             `yaml:"notify,omitempty" json:"notify,omitempty"`
	RateLimit    Rate               `yaml:"rate_limit,omitempty" json:"rate_limit,omitempty"`
	Capacity     int                `yaml:"capacity,omitempty" json:"capacity,omitempty" jsonschema:"description=Most creates in flight at once; 0 is unlimited"`
	Fee          Fee                `yaml:"fee,omitempty" json:"fee,omitempty"`
	// Expiry is how long an async pay page stays open (default 15m).
	Expiry Duration `yaml:"expiry,omitempty" json:"expiry,omitempty"`
	// Limits are the channel's contracted limits: an order outside them is
	// declined amount_limit or daily_limit (class limit: try elsewhere).
	Limits *Limits `yaml:"limits,omitempty" json:"limits,omitempty" jsonschema:"description=Contracted limits (per-order min and max; daily volume cap; per method)"`
	// Review is the channel's velocity review: a jump in volume, or a
	// burst of identical amounts, puts the merchant under review.
	Review *Review `yaml:"review,omitempty" json:"review,omitempty" jsonschema:"description=Velocity review: volume jump or identical-amount burst puts the merchant under review"`
}

// Review is a velocity review as a channel's contract states it: when the
// volume accepted over Window passes Factor times the volume of the
// Trailing period before it (scaled to Window's length) and at least
// MinVolume, or when Identical orders of one amount are accepted within
// Window, the merchant is under review for For (0: to the end): every
// create declined merchant_suspended (Action suspend) or silently frozen
// (Action silent). A model to test a router's respect for the terms, not
// a way to learn or evade a real provider's risk controls
// (docs/contracted-limits.md).
type Review struct {
	Window    Duration `yaml:"window,omitempty" json:"window,omitempty" jsonschema:"description=Short window (default 5m)"`
	Trailing  Duration `yaml:"trailing,omitempty" json:"trailing,omitempty" jsonschema:"description=Trailing period before the window (default 1h)"`
	Factor    float64  `yaml:"factor,omitempty" json:"factor,omitempty" jsonschema:"description=Trips when window volume passes factor x trailing volume scaled to the window (default 5)"`
	MinVolume float64  `yaml:"min_volume,omitempty" json:"min_volume,omitempty" jsonschema:"description=No volume trip below this window volume (major units)"`
	Identical int      `yaml:"identical,omitempty" json:"identical,omitempty" jsonschema:"description=Trips on this many accepted orders of one amount within the window (0: off)"`
	Action    string   `yaml:"action,omitempty" json:"action,omitempty" jsonschema:"enum=suspend,enum=silent"`
	For       Duration `yaml:"for,omitempty" json:"for,omitempty" jsonschema:"description=How long the review lasts (0: to the end)"`
}

// Limits are a channel's contracted limits, in major units of the
// catalog's currency; 0 is no limit. They model what a contract states,
// to test that a router respects it (docs/contracted-limits.md).
type Limits struct {
	// Min and Max bound one order's amount (inclusive).
	Min float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Daily caps the volume of accepted payments per day of scenario time
	// (days start at time 0).
	Daily float64 `yaml:"daily,omitempty" json:"daily,omitempty"`
	// Methods are limits of one payment method, on top of the above.
	Methods map[string]MethodLimits `yaml:"methods,omitempty" json:"methods,omitempty"`
}

// MethodLimits are the contracted limits of one payment method.
type MethodLimits struct {
	Min   float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max   float64 `yaml:"max,omitempty" json:"max,omitempty"`
	Daily float64 `yaml:"daily,omitempty" json:"daily,omitempty"`
}

// Completion is how buyers behave on an async pay page.
type Completion struct {
	Rate  float64 `yaml:"rate,omitempty" json:"rate,omitempty" jsonschema:"description=Share of buyers who pay (default 0.9)"`
	Delay Spread  `yaml:"delay,omitempty" json:"delay,omitempty"`
}

// Notify is how an async provider notifies the router of a capture.
type Notify struct {
	Delay     Spread  `yaml:"delay,omitempty" json:"delay,omitempty"`
	Loss      float64 `yaml:"loss,omitempty" json:"loss,omitempty"`
	Duplicate float64 `yaml:"duplicate,omitempty" json:"duplicate,omitempty"`
}

// Fee is what a provider charges per capture.
type Fee struct {
	Percent float64 `yaml:"percent,omitempty" json:"percent,omitempty"`
	Fixed   float64 `yaml:"fixed,omitempty" json:"fixed,omitempty"`
}

// Router selects and configures the built-in router.
type Router struct {
	// Strategy: health (default), priority, static, retry-blind, and the
	// known designs elimination, success-rate, consecutive, unpaid-streak,
	// first-backup.
	Strategy string `yaml:"strategy,omitempty" json:"strategy,omitempty" jsonschema:"enum=health,enum=priority,enum=static,enum=retry-blind,enum=elimination,enum=success-rate,enum=consecutive,enum=unpaid-streak,enum=first-backup"`
	// Timeout for a create-payment call (default 10s).
	Timeout Duration `yaml:"timeout,omitempty" json:"timeout,omitempty"`
	// Order is the provider preference order (default: as listed).
	Order  []string     `yaml:"order,omitempty" json:"order,omitempty"`
	Health HealthParams `yaml:"health,omitempty" json:"health,omitempty"`
	// HTTP is the base URL of a router under test: `paydrill run` then
	// drills it in wall-clock time, as with --sut (docs/sut.md).
	HTTP string `yaml:"http,omitempty" json:"http,omitempty" jsonschema:"description=Base URL of the router under test (wall-clock drill over HTTP)"`
	// Container runs the router under test as a container: `paydrill run`
	// then drills it on a container network, as --container
	// (docs/containers.md).
	Container *RouterContainer `yaml:"container,omitempty" json:"container,omitempty"`
}

// RouterContainer is the router under test as a container.
type RouterContainer struct {
	// Image is the router's image, on the Docker engine (nothing is
	// pulled), or the name Build's image is kept under.
	Image string `yaml:"image" json:"image" jsonschema:"required"`
	// Build is a directory with a Dockerfile, relative to the scenario
	// file: the image is built from it first.
	Build string `yaml:"build,omitempty" json:"build,omitempty"`
	// Port is the port the router listens on inside the container (default 8080).
	Port int `yaml:"port,omitempty" json:"port,omitempty"`
	// Health is the path that answers 200 once the router is ready (default /healthz).
	Health string `yaml:"health,omitempty" json:"health,omitempty"`
	// Cmd replaces the image's command; ${VAR} in it names the router's
	// environment, as in Env.
	Cmd []string `yaml:"cmd,omitempty" json:"cmd,omitempty"`
	// Env adds to the router's environment. Values may name the variables
	// paydrill sets, ${PAYDRILL_PROVIDER_<NAME>}, ${PAYDRILL_ROUTER_URL},
	// ${PORT}: how a router that reads other names is told the providers.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
}

// HealthParams tunes the health router. Zero values take the defaults
// documented in docs/scenarios.md.
type HealthParams struct {
	Window      Duration `yaml:"window,omitempty" json:"window,omitempty"`
	MinSamples  int      `yaml:"min_samples,omitempty" json:"min_samples,omitempty"`
	FailureRate float64  `yaml:"failure_rate,omitempty" json:"failure_rate,omitempty"`
	Consecutive int      `yaml:"consecutive,omitempty" json:"consecutive,omitempty"`
	// UnpaidStreak is no longer used (the silence test weighs evidence,
	// not a count); kept so that older files still load.
	UnpaidStreak  int      `yaml:"unpaid_streak,omitempty" json:"unpaid_streak,omitempty"`
	FalseAlarms   float64  `yaml:"false_alarms,omitempty" json:"false_alarms,omitempty" jsonschema:"description=Ejections of a healthy provider per day the silence test may cause (default 0.2)"`
	ProbeDeadline Duration `yaml:"probe_deadline,omitempty" json:"probe_deadline,omitempty" jsonschema:"description=How long a probe's pay page may stay unpaid before the buyer is moved on (default: learned 80th percentile of payment delays, 30s to 3m)"`
	CheckAfter    Duration `yaml:"check_after,omitempty" json:"check_after,omitempty"`
	Cooldown      Duration `yaml:"cooldown,omitempty" json:"cooldown,omitempty"`
	ProbeShare    float64  `yaml:"probe_share,omitempty" json:"probe_share,omitempty"`
	QueryDelay    Duration `yaml:"query_delay,omitempty" json:"query_delay,omitempty"`
	MaxAttempts   int      `yaml:"max_attempts,omitempty" json:"max_attempts,omitempty"`
}

// Fault is one injected failure on the timeline.
type Fault struct {
	Name string   `yaml:"name,omitempty" json:"name,omitempty"`
	Type string   `yaml:"type" json:"type" jsonschema:"required,enum=suspend,enum=block,enum=silent,enum=notify_blackout,enum=notify_delay,enum=notify_duplicate,enum=decline_spike,enum=latency,enum=outage,enum=rate_limit,enum=capacity,enum=pause,enum=crash,enum=partition,enum=toxic"`
	At   Duration `yaml:"at" json:"at" jsonschema:"required"`
	For  Duration `yaml:"for,omitempty" json:"for,omitempty" jsonschema:"description=How long; 0 lasts to the end of the run"`
	// Target: providers by name and/or by tag (industry-level).
	Target Target `yaml:"target" json:"target" jsonschema:"required"`
	// Match restricts the fault to some orders (transaction-level).
	Match *Match `yaml:"match,omitempty" json:"match,omitempty"`
	// Code is the decline code of suspend and block (defaults
	// merchant_suspended, transaction_blocked).
	Code string `yaml:"code,omitempty" json:"code,omitempty"`
	// Rate is the share of attempts affected (decline_spike, outage,
	// notify_duplicate; default 1).
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Codes is the decline code mix of decline_spike.
	Codes map[string]float64 `yaml:"codes,omitempty" json:"codes,omitempty"`
	// Ramp: for decline_spike, the rate grows by Ramp per minute up to Rate (slow burn).
	Ramp float64 `yaml:"ramp,omitempty" json:"ramp,omitempty"`
	// Add is extra latency (latency) or notification delay (notify_delay).
	Add Duration `yaml:"add,omitempty" json:"add,omitempty"`
	// Limit is the rate limit of rate_limit.
	Limit Rate `yaml:"limit,omitempty" json:"limit,omitempty"`
	// Max is the in-flight cap of capacity.
	Max int `yaml:"max,omitempty" json:"max,omitempty"`
	// Toxic is the Toxiproxy toxic of a toxic fault: latency, timeout,
	// reset_peer, slow_close or bandwidth.
	Toxic string `yaml:"toxic,omitempty" json:"toxic,omitempty" jsonschema:"enum=latency,enum=timeout,enum=reset_peer,enum=slow_close,enum=bandwidth"`
	// Attributes are the toxic's attributes as Toxiproxy names them
	// (latency and jitter in ms, timeout in ms, delay in ms, rate in KB/s).
	Attributes map[string]int64 `yaml:"attributes,omitempty" json:"attributes,omitempty"`
	// Flap turns the fault on and off: on for Duty of every Period.
	Flap *Flap `yaml:"flap,omitempty" json:"flap,omitempty"`
	// Expect overrides the scenario's expectations for this fault.
	Expect *Expect `yaml:"expect,omitempty" json:"expect,omitempty"`
}

// Target names the providers a fault hits.
type Target struct {
	Providers []string `yaml:"providers,omitempty" json:"providers,omitempty"`
	Tag       string   `yaml:"tag,omitempty" json:"tag,omitempty"`
}

// Match selects orders for transaction-level faults. Every set field must match.
type Match struct {
	Amount     *AmountRange `yaml:"amount,omitempty" json:"amount,omitempty"`
	Categories []string     `yaml:"categories,omitempty" json:"categories,omitempty"`
	Methods    []string     `yaml:"methods,omitempty" json:"methods,omitempty"`
	Regions    []string     `yaml:"regions,omitempty" json:"regions,omitempty"`
}

// AmountRange is an inclusive range in major units; 0 Max is unbounded.
type AmountRange struct {
	Min float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max float64 `yaml:"max,omitempty" json:"max,omitempty"`
}

// Flap makes a fault come and go.
type Flap struct {
	Period Duration `yaml:"period" json:"period" jsonschema:"required"`
	Duty   float64  `yaml:"duty,omitempty" json:"duty,omitempty" jsonschema:"description=Share of each period the fault is on (default 0.5)"`
}

// Measure tunes the failover analysis. Zero values take the defaults.
type Measure struct {
	Baseline            Duration `yaml:"baseline,omitempty" json:"baseline,omitempty" jsonschema:"description=Window before a fault that sets the baseline (default 5m)"`
	Window              Duration `yaml:"window,omitempty" json:"window,omitempty" jsonschema:"description=Trailing window for detection (default 1m)"`
	Hold                Duration `yaml:"hold,omitempty" json:"hold,omitempty" jsonschema:"description=How long recovery must hold to count as fail-over (default 1m)"`
	MinSamples          int      `yaml:"min_samples,omitempty" json:"min_samples,omitempty" jsonschema:"description=Fewest orders a window needs before it is judged (default 10)"`
	HitThreshold        float64  `yaml:"hit_threshold,omitempty" json:"hit_threshold,omitempty" jsonschema:"description=Fault-hit rate under which traffic counts as moved (default 0.05)"`
	ConversionTolerance float64  `yaml:"conversion_tolerance,omitempty" json:"conversion_tolerance,omitempty" jsonschema:"description=How far under baseline conversion may sit (default 0.1)"`
}

// Expect holds the verdict's expectations. Durations may be "off".
type Expect struct {
	FailoverWithin   *Limit `yaml:"failover_within,omitempty" json:"failover_within,omitempty"`
	DetectWithin     *Limit `yaml:"detect_within,omitempty" json:"detect_within,omitempty"`
	FailbackWithin   *Limit `yaml:"failback_within,omitempty" json:"failback_within,omitempty"`
	Lost             *int   `yaml:"lost,omitempty" json:"lost,omitempty"`
	DuplicateCharges *int   `yaml:"duplicate_charges,omitempty" json:"duplicate_charges,omitempty"`
	Stranded         *int   `yaml:"stranded,omitempty" json:"stranded,omitempty"`
	// DuplicateDeliveries: orders whose goods went out more than once.
	DuplicateDeliveries *int     `yaml:"duplicate_deliveries,omitempty" json:"duplicate_deliveries,omitempty"`
	MinConversion       *float64 `yaml:"min_conversion,omitempty" json:"min_conversion,omitempty"`
	MaxExcessFailed     *int     `yaml:"max_excess_failed,omitempty" json:"max_excess_failed,omitempty"`
	// Confidence is the share of seeds in which each expectation must hold
	// when the drill runs over many seeds (run --seeds): PASS when the 95%
	// interval of the share clears it, FAIL when it is all below, else
	// inconclusive. Default 0.95. Scenario level only.
	Confidence *float64 `yaml:"confidence,omitempty" json:"confidence,omitempty" jsonschema:"description=Over many seeds (run --seeds): the share of seeds in which each expectation must hold; PASS when the 95% interval of the observed share lies above it, FAIL when below (default 0.95)"`
}
