// Package scenario owns the drill file format: its schema, strict decoding
// with file:line:col errors, validation, defaults and the JSON Schema.
package scenario

// Scenario is one drill: traffic, the providers it runs over, the router
// under test, the faults on a timeline and what must hold.
//
// Field tags are the YAML names; the struct is the schema (see Schema).
type Scenario struct {
	Name        string   `yaml:"name" json:"name" jsonschema:"required" jsonschema_description:"Short identifier of the drill"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty" jsonschema_description:"One line saying what the drill rehearses; shown under the drill's name in every report"`
	Seed        uint64   `yaml:"seed,omitempty" json:"seed,omitempty" jsonschema_description:"Random seed; the same seed reproduces a run byte for byte"`
	Duration    Duration `yaml:"duration" json:"duration" jsonschema:"required" jsonschema_description:"Length of the traffic phase (e.g. 1h)"`
	// Drain is how long after Duration the run goes on with no new orders
	// so that pending orders can end. Default 20m.
	Drain  Duration `yaml:"drain,omitempty" json:"drain,omitempty" jsonschema_description:"How long the run goes on after duration with no new orders, so that pending payments can end (default 20m)"`
	Bucket Duration `yaml:"bucket,omitempty" json:"bucket,omitempty" jsonschema_description:"Width of a time-series bucket (default 10s)"`

	Traffic   Traffic    `yaml:"traffic" json:"traffic" jsonschema:"required" jsonschema_description:"The orders buyers place: arrivals (or a replay file), buyers, regions, payment methods and the catalog"`
	Providers []Provider `yaml:"providers" json:"providers" jsonschema:"required,minItems=1" jsonschema_description:"The payment channels, served as mock providers; the router under test chooses among them"`
	Router    Router     `yaml:"router,omitempty" json:"router,omitempty" jsonschema_description:"The router under test: a built-in strategy and its tuning, or your own over HTTP or in a container"`
	Faults    []Fault    `yaml:"faults,omitempty" json:"faults,omitempty" jsonschema_description:"Failures injected on the timeline: each with a type, a start (at), a length (for) and the providers it targets"`
	Measure   Measure    `yaml:"measure,omitempty" json:"measure,omitempty" jsonschema_description:"Tuning of the fail-over analysis (baseline, windows, thresholds); the defaults suit most drills"`
	Expect    Expect     `yaml:"expect,omitempty" json:"expect,omitempty" jsonschema_description:"What must hold for a PASS: time limits per fault and counts of lost, doubly charged and stranded orders (defaults: failover_within 10m, lost 0, duplicate_charges 0, stranded 0, duplicate_deliveries 0)"`
}

// Traffic describes the orders buyers place.
type Traffic struct {
	// Arrivals is required unless Replay is set.
	Arrivals Arrivals `yaml:"arrivals,omitempty" json:"arrivals,omitempty" jsonschema_description:"Arrival process of synthetic orders (required unless replay is set)"`
	// Replay takes the orders from a file instead (see Replay).
	Replay *Replay `yaml:"replay,omitempty" json:"replay,omitempty" jsonschema_description:"Replay orders from a CSV or JSONL file instead of synthetic arrivals"`
	// Buyers is the size of the buyer population orders are drawn from
	// (repeat buyers are real). Default 10000.
	Buyers  int                `yaml:"buyers,omitempty" json:"buyers,omitempty" jsonschema_description:"Size of the buyer population orders are drawn from, so buyers repeat (default 10000)"`
	Regions map[string]float64 `yaml:"regions,omitempty" json:"regions,omitempty" jsonschema_description:"Buyer region mix: ISO country code to weight"`
	Catalog Catalog            `yaml:"catalog,omitempty" json:"catalog,omitempty" jsonschema_description:"The shop's products: currency, number of products, category mix and price distribution"`
	Methods map[string]float64 `yaml:"methods,omitempty" json:"methods,omitempty" jsonschema_description:"Payment method mix: method to weight"`
}

// Arrivals is the arrival process of orders. Type is one of constant,
// poisson, diurnal, ramp, spike.
type Arrivals struct {
	Type string `yaml:"type" json:"type" jsonschema:"required,enum=constant,enum=poisson,enum=diurnal,enum=ramp,enum=spike" jsonschema_description:"Arrival process: constant (evenly spaced), poisson, diurnal (a daily sine), ramp (stages) or spike (bursts on a base rate)"`
	// Rate is the base rate (constant, poisson, spike) or the mean rate (diurnal).
	Rate Rate `yaml:"rate,omitempty" json:"rate,omitempty" jsonschema_description:"Orders per unit of time (e.g. 20/s, 3/min): the rate of constant, poisson and spike, the mean rate of diurnal"`
	// Diurnal: Amplitude in [0,1] of a sine over Period, peaking at Peak.
	Amplitude float64  `yaml:"amplitude,omitempty" json:"amplitude,omitempty" jsonschema_description:"Diurnal: how far the rate swings around its mean, as a share of it in [0, 1]"`
	Period    Duration `yaml:"period,omitempty" json:"period,omitempty" jsonschema_description:"Diurnal: length of one cycle (default 24h)"`
	Peak      Duration `yaml:"peak,omitempty" json:"peak,omitempty" jsonschema_description:"Diurnal: time since the start at which the rate peaks"`
	// Ramp: linear stages from the previous rate to To over For (k6 style).
	Stages []Stage `yaml:"stages,omitempty" json:"stages,omitempty" jsonschema_description:"Ramp: stages, each going linearly from the previous rate (0 at first) to its own over its length, then holding"`
	// Spike: bursts on top of Rate.
	Spikes []Spike `yaml:"spikes,omitempty" json:"spikes,omitempty" jsonschema_description:"Spike: bursts on top of the base rate, each replacing it (rate) or multiplying it (factor) for a window"`
	// Process for ramp, diurnal and spike: poisson (default) or constant spacing.
	Process string `yaml:"process,omitempty" json:"process,omitempty" jsonschema:"enum=poisson,enum=constant" jsonschema_description:"For ramp, diurnal and spike: poisson arrivals (default) or constant spacing"`
}

// Stage is one ramp stage.
type Stage struct {
	For Duration `yaml:"for" json:"for" jsonschema:"required" jsonschema_description:"Length of the stage"`
	To  Rate     `yaml:"to" json:"to" jsonschema_description:"Rate reached at the end of the stage"`
}

// Spike multiplies (Factor) or replaces (Rate) the base rate for a window.
type Spike struct {
	At     Duration `yaml:"at" json:"at" jsonschema:"required" jsonschema_description:"Start of the spike, since the run's start"`
	For    Duration `yaml:"for" json:"for" jsonschema:"required" jsonschema_description:"Length of the spike"`
	Rate   Rate     `yaml:"rate,omitempty" json:"rate,omitempty" jsonschema_description:"Rate inside the spike, replacing the base rate"`
	Factor float64  `yaml:"factor,omitempty" json:"factor,omitempty" jsonschema_description:"Multiplier of the base rate inside the spike (used when rate is not set)"`
}

// Catalog is the shop's product catalog.
type Catalog struct {
	Currency   string             `yaml:"currency,omitempty" json:"currency,omitempty" jsonschema_description:"ISO 4217 code (default USD)"`
	Products   int                `yaml:"products,omitempty" json:"products,omitempty" jsonschema_description:"Number of products (default 200)"`
	Categories map[string]float64 `yaml:"categories,omitempty" json:"categories,omitempty" jsonschema_description:"Product category mix: category to weight"`
	Price      Price              `yaml:"price,omitempty" json:"price,omitempty" jsonschema_description:"Price distribution in major units: log-normal from median and p99, clipped to min and max"`
}

// Price is a log-normal price distribution in major units, clipped to [Min, Max].
type Price struct {
	Median float64 `yaml:"median,omitempty" json:"median,omitempty" jsonschema_description:"Median price in major units (default 15)"`
	P99    float64 `yaml:"p99,omitempty" json:"p99,omitempty" jsonschema_description:"99th percentile price in major units (default 150)"`
	Min    float64 `yaml:"min,omitempty" json:"min,omitempty" jsonschema_description:"Lowest price in major units (default 0.99)"`
	Max    float64 `yaml:"max,omitempty" json:"max,omitempty" jsonschema_description:"Highest price in major units (default 500)"`
}

// Spread is a log-normal distribution of durations given by its median and p99.
type Spread struct {
	Median Duration `yaml:"median" json:"median" jsonschema_description:"Median duration"`
	P99    Duration `yaml:"p99,omitempty" json:"p99,omitempty" jsonschema_description:"99th percentile duration; with only one of median and p99 set, the other keeps the default's ratio"`
}

// Provider is one mock payment channel.
type Provider struct {
	Name    string   `yaml:"name" json:"name" jsonschema:"required" jsonschema_description:"Unique name of the provider; faults, router.order and reports refer to it"`
	Tags    []string `yaml:"tags,omitempty" json:"tags,omitempty" jsonschema_description:"Labels shared by several providers (e.g. cards, gaming) for industry-level faults (target: {tag: gaming})"`
	Methods []string `yaml:"methods,omitempty" json:"methods,omitempty" jsonschema_description:"Methods it accepts (default: all of the traffic's methods)"`
	// Flow: sync (card-style, captured in the create call) or async
	// (pay page, buyer pays later, provider notifies).
	Flow string `yaml:"flow,omitempty" json:"flow,omitempty" jsonschema:"enum=sync,enum=async" jsonschema_description:"sync: card-style, the create call captures (default); async: the buyer pays later on a pay page and the provider notifies the router"`
	// Protocol is what the provider's HTTP mock speaks in wall-clock
	// drills: generic (default), stripe, or epay (the aggregator protocol
	// of card shops; async only). docs/protocol.md.
	Protocol     string             `yaml:"protocol,omitempty" json:"protocol,omitempty" jsonschema:"enum=generic,enum=stripe,enum=epay" jsonschema_description:"What the provider's HTTP mock speaks in wall-clock drills: generic (default), stripe, or epay (async only); docs/protocol.md"`
	Latency      Spread             `yaml:"latency,omitempty" json:"latency,omitempty" jsonschema_description:"Answer time of a create call, log-normal (default median 250ms, p99 1.5s)"`
	DeclineRate  float64            `yaml:"decline_rate,omitempty" json:"decline_rate,omitempty" jsonschema_description:"Share of creates declined by the issuer in normal times (the buyer's bank said no; never worth retrying elsewhere)"`
	DeclineCodes map[string]float64 `yaml:"decline_codes,omitempty" json:"decline_codes,omitempty" jsonschema_description:"Mix of issuer decline codes: code to weight (default insufficient_funds 0.5, do_not_honor 0.3, card_declined 0.2)"`
	Completion   Completion         `yaml:"completion,omitempty" json:"completion,omitempty" jsonschema_description:"Async: the share of buyers who pay on the pay page (default 0.9) and when"`
	Notify       Notify             `yaml:"notify,omitempty" json:"notify,omitempty" jsonschema_description:"Async: how capture notifications reach the router: delay, loss and duplicates"`
	RateLimit    Rate               `yaml:"rate_limit,omitempty" json:"rate_limit,omitempty" jsonschema_description:"Creates beyond this rate are answered 429 (0 or unset: no limit)"`
	Capacity     int                `yaml:"capacity,omitempty" json:"capacity,omitempty" jsonschema_description:"Most creates in flight at once; 0 is unlimited"`
	Fee          Fee                `yaml:"fee,omitempty" json:"fee,omitempty" jsonschema_description:"What the provider charges per capture: a percentage plus a fixed amount"`
	// Expiry is how long an async pay page stays open (default 15m).
	Expiry Duration `yaml:"expiry,omitempty" json:"expiry,omitempty" jsonschema_description:"Async: how long a pay page stays open before the payment expires (default 15m)"`
	// Limits are the channel's contracted limits: an order outside them is
	// declined amount_limit or daily_limit (class limit: try elsewhere).
	Limits *Limits `yaml:"limits,omitempty" json:"limits,omitempty" jsonschema_description:"Contracted limits (per-order min and max; daily volume cap; per method)"`
	// Review is the channel's velocity review: a jump in volume, or a
	// burst of identical amounts, puts the merchant under review.
	Review *Review `yaml:"review,omitempty" json:"review,omitempty" jsonschema_description:"Velocity review: volume jump or identical-amount burst puts the merchant under review"`
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
	Window    Duration `yaml:"window,omitempty" json:"window,omitempty" jsonschema_description:"Short window (default 5m)"`
	Trailing  Duration `yaml:"trailing,omitempty" json:"trailing,omitempty" jsonschema_description:"Trailing period before the window (default 1h)"`
	Factor    float64  `yaml:"factor,omitempty" json:"factor,omitempty" jsonschema_description:"Trips when window volume passes factor x trailing volume scaled to the window (default 5)"`
	MinVolume float64  `yaml:"min_volume,omitempty" json:"min_volume,omitempty" jsonschema_description:"No volume trip below this window volume (major units)"`
	Identical int      `yaml:"identical,omitempty" json:"identical,omitempty" jsonschema_description:"Trips on this many accepted orders of one amount within the window (0: off)"`
	Action    string   `yaml:"action,omitempty" json:"action,omitempty" jsonschema:"enum=suspend,enum=silent" jsonschema_description:"What a trip does: suspend (every create declined merchant_suspended) or silent (creates succeed, nobody can pay)"`
	For       Duration `yaml:"for,omitempty" json:"for,omitempty" jsonschema_description:"How long the review lasts (0: to the end)"`
}

// Limits are a channel's contracted limits, in major units of the
// catalog's currency; 0 is no limit. They model what a contract states,
// to test that a router respects it (docs/contracted-limits.md).
type Limits struct {
	// Min and Max bound one order's amount (inclusive).
	Min float64 `yaml:"min,omitempty" json:"min,omitempty" jsonschema_description:"Smallest amount of one order, inclusive, in major units (0: no limit)"`
	Max float64 `yaml:"max,omitempty" json:"max,omitempty" jsonschema_description:"Largest amount of one order, inclusive, in major units (0: no limit)"`
	// Daily caps the volume of accepted payments per day of scenario time
	// (days start at time 0).
	Daily float64 `yaml:"daily,omitempty" json:"daily,omitempty" jsonschema_description:"Cap on the volume of accepted payments per day of scenario time, in major units (0: no cap)"`
	// Methods are limits of one payment method, on top of the above.
	Methods map[string]MethodLimits `yaml:"methods,omitempty" json:"methods,omitempty" jsonschema_description:"Limits of one payment method on top of the provider's: method to {min, max, daily}"`
}

// MethodLimits are the contracted limits of one payment method.
type MethodLimits struct {
	Min   float64 `yaml:"min,omitempty" json:"min,omitempty" jsonschema_description:"Smallest amount of one order of this method, in major units (0: no limit)"`
	Max   float64 `yaml:"max,omitempty" json:"max,omitempty" jsonschema_description:"Largest amount of one order of this method, in major units (0: no limit)"`
	Daily float64 `yaml:"daily,omitempty" json:"daily,omitempty" jsonschema_description:"Daily volume cap of this method, in major units (0: no cap)"`
}

// Completion is how buyers behave on an async pay page.
type Completion struct {
	Rate  float64 `yaml:"rate,omitempty" json:"rate,omitempty" jsonschema_description:"Share of buyers who pay (default 0.9)"`
	Delay Spread  `yaml:"delay,omitempty" json:"delay,omitempty" jsonschema_description:"Time from the pay page's opening to the buyer's payment, log-normal (default median 45s, p99 4m)"`
}

// Notify is how an async provider notifies the router of a capture.
type Notify struct {
	Delay     Spread  `yaml:"delay,omitempty" json:"delay,omitempty" jsonschema_description:"Time from capture to the notification, log-normal (default median 2s, p99 15s)"`
	Loss      float64 `yaml:"loss,omitempty" json:"loss,omitempty" jsonschema_description:"Share of notifications never sent, in normal times"`
	Duplicate float64 `yaml:"duplicate,omitempty" json:"duplicate,omitempty" jsonschema_description:"Share of notifications sent twice, in normal times"`
}

// Fee is what a provider charges per capture.
type Fee struct {
	Percent float64 `yaml:"percent,omitempty" json:"percent,omitempty" jsonschema_description:"Percentage of the amount"`
	Fixed   float64 `yaml:"fixed,omitempty" json:"fixed,omitempty" jsonschema_description:"Fixed fee per capture in major units"`
}

// Router selects and configures the built-in router.
type Router struct {
	// Strategy: health (default), priority, static, retry-blind, and the
	// known designs elimination, success-rate, consecutive, unpaid-streak,
	// first-backup.
	Strategy string `yaml:"strategy,omitempty" json:"strategy,omitempty" jsonschema:"enum=health,enum=priority,enum=static,enum=retry-blind,enum=elimination,enum=success-rate,enum=consecutive,enum=unpaid-streak,enum=first-backup" jsonschema_description:"Built-in router: health (default), priority, static, retry-blind, elimination, success-rate, consecutive, unpaid-streak or first-backup (docs/routers.md)"`
	// Timeout for a create-payment call (default 10s).
	Timeout Duration `yaml:"timeout,omitempty" json:"timeout,omitempty" jsonschema_description:"Deadline of a create-payment call; past it the outcome is unknown (default 10s)"`
	// Order is the provider preference order (default: as listed).
	Order  []string     `yaml:"order,omitempty" json:"order,omitempty" jsonschema_description:"Provider preference order (default: as listed)"`
	Health HealthParams `yaml:"health,omitempty" json:"health,omitempty" jsonschema_description:"Tuning of the health router; zero values take the defaults (docs/health.md)"`
	// HTTP is the base URL of a router under test: `paydrill run` then
	// drills it in wall-clock time, as with --sut (docs/sut.md).
	HTTP string `yaml:"http,omitempty" json:"http,omitempty" jsonschema_description:"Base URL of the router under test (wall-clock drill over HTTP)"`
	// Container runs the router under test as a container: `paydrill run`
	// then drills it on a container network, as --container
	// (docs/containers.md).
	Container *RouterContainer `yaml:"container,omitempty" json:"container,omitempty" jsonschema_description:"The router under test as a container, drilled on a private network as with --container (docs/containers.md)"`
}

// RouterContainer is the router under test as a container.
type RouterContainer struct {
	// Image is the router's image, on the Docker engine (nothing is
	// pulled), or the name Build's image is kept under.
	Image string `yaml:"image" json:"image" jsonschema:"required" jsonschema_description:"The router's image on the Docker engine (nothing is pulled), or the name build's image is kept under"`
	// Build is a directory with a Dockerfile, relative to the scenario
	// file: the image is built from it first.
	Build string `yaml:"build,omitempty" json:"build,omitempty" jsonschema_description:"Directory with a Dockerfile, relative to the scenario file: the image is built from it first"`
	// Port is the port the router listens on inside the container (default 8080).
	Port int `yaml:"port,omitempty" json:"port,omitempty" jsonschema_description:"Port the router listens on inside the container (default 8080)"`
	// Health is the path that answers 200 once the router is ready (default /healthz).
	Health string `yaml:"health,omitempty" json:"health,omitempty" jsonschema_description:"Path that answers 200 once the router is ready (default /healthz)"`
	// Cmd replaces the image's command; ${VAR} in it names the router's
	// environment, as in Env.
	Cmd []string `yaml:"cmd,omitempty" json:"cmd,omitempty" jsonschema_description:"Replaces the image's command; ${VAR} names a variable of the router's environment"`
	// Env adds to the router's environment. Values may name the variables
	// paydrill sets, ${PAYDRILL_PROVIDER_<NAME>}, ${PAYDRILL_ROUTER_URL},
	// ${PORT}: how a router that reads other names is told the providers.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty" jsonschema_description:"Adds to the router's environment; values may name ${PAYDRILL_PROVIDER_<NAME>}, ${PAYDRILL_ROUTER_URL} and ${PORT}"`
}

// HealthParams tunes the health router. Zero values take the defaults
// documented in docs/scenarios.md.
type HealthParams struct {
	Window      Duration `yaml:"window,omitempty" json:"window,omitempty" jsonschema_description:"Window over which a provider's create failures are counted (default 1m)"`
	MinSamples  int      `yaml:"min_samples,omitempty" json:"min_samples,omitempty" jsonschema_description:"Fewest calls in the window before their failure rate is judged (default 10)"`
	FailureRate float64  `yaml:"failure_rate,omitempty" json:"failure_rate,omitempty" jsonschema_description:"Share of failed calls in the window that ejects a provider (default 0.5)"`
	Consecutive int      `yaml:"consecutive,omitempty" json:"consecutive,omitempty" jsonschema_description:"Failures in a row that eject a provider (default 5)"`
	// UnpaidStreak is no longer used (the silence test weighs evidence,
	// not a count); kept so that older files still load.
	UnpaidStreak  int      `yaml:"unpaid_streak,omitempty" json:"unpaid_streak,omitempty" jsonschema_description:"No longer used (the silence test weighs evidence, not a count); accepted so older files load"`
	FalseAlarms   float64  `yaml:"false_alarms,omitempty" json:"false_alarms,omitempty" jsonschema_description:"Ejections of a healthy provider per day the silence test may cause (default 0.2)"`
	ProbeDeadline Duration `yaml:"probe_deadline,omitempty" json:"probe_deadline,omitempty" jsonschema_description:"How long a probe's pay page may stay unpaid before the buyer is moved on (default: learned 80th percentile of payment delays, 30s to 3m)"`
	CheckAfter    Duration `yaml:"check_after,omitempty" json:"check_after,omitempty" jsonschema_description:"How long an open async payment waits before its status is queried (default 2m)"`
	Cooldown      Duration `yaml:"cooldown,omitempty" json:"cooldown,omitempty" jsonschema_description:"How long a provider's first ejection lasts before probes may try it, doubling on each failed probe up to 2m (default 30s)"`
	ProbeShare    float64  `yaml:"probe_share,omitempty" json:"probe_share,omitempty" jsonschema_description:"Probes earned per order that would prefer an ejected provider (default 0.02)"`
	QueryDelay    Duration `yaml:"query_delay,omitempty" json:"query_delay,omitempty" jsonschema_description:"Wait before querying a create that timed out, whose outcome is unknown (default 2s)"`
	MaxAttempts   int      `yaml:"max_attempts,omitempty" json:"max_attempts,omitempty" jsonschema_description:"Most attempts per order across providers (default 3)"`
}

// Fault is one injected failure on the timeline.
type Fault struct {
	Name string   `yaml:"name,omitempty" json:"name,omitempty" jsonschema_description:"Name of the fault in reports and per-fault expectations (default <type>-<index>)"`
	Type string   `yaml:"type" json:"type" jsonschema:"required,enum=suspend,enum=block,enum=silent,enum=notify_blackout,enum=notify_delay,enum=notify_duplicate,enum=decline_spike,enum=latency,enum=outage,enum=rate_limit,enum=capacity,enum=pause,enum=crash,enum=partition,enum=toxic" jsonschema_description:"What fails: suspend, block, silent, notify_blackout, notify_delay, notify_duplicate, decline_spike, latency, outage, rate_limit, capacity, pause, crash, partition or toxic (docs/scenarios.md#faults)"`
	At   Duration `yaml:"at" json:"at" jsonschema:"required" jsonschema_description:"Start of the fault since the run's start; it must leave a baseline before it"`
	For  Duration `yaml:"for,omitempty" json:"for,omitempty" jsonschema_description:"How long; 0 lasts to the end of the run"`
	// Target: providers by name and/or by tag (industry-level).
	Target Target `yaml:"target" json:"target" jsonschema:"required" jsonschema_description:"The providers hit: by name (providers) and/or by tag (industry-level)"`
	// Match restricts the fault to some orders (transaction-level).
	Match *Match `yaml:"match,omitempty" json:"match,omitempty" jsonschema_description:"Restricts the fault to some orders (transaction-level): amount, categories, methods, regions; every set criterion must hold"`
	// Code is the decline code of suspend and block (defaults
	// merchant_suspended, transaction_blocked).
	Code string `yaml:"code,omitempty" json:"code,omitempty" jsonschema_description:"Decline code of suspend and block (defaults merchant_suspended, transaction_blocked)"`
	// Rate is the share of attempts affected (decline_spike, outage,
	// notify_duplicate; default 1).
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty" jsonschema_description:"Share of attempts affected by decline_spike, outage and notify_duplicate (default 1)"`
	// Codes is the decline code mix of decline_spike.
	Codes map[string]float64 `yaml:"codes,omitempty" json:"codes,omitempty" jsonschema_description:"Decline code mix of decline_spike: code to weight (default do_not_honor 1)"`
	// Ramp: for decline_spike, the rate grows by Ramp per minute up to Rate (slow burn).
	Ramp float64 `yaml:"ramp,omitempty" json:"ramp,omitempty" jsonschema_description:"decline_spike: growth of the rate per minute up to rate (a slow burn)"`
	// Add is extra latency (latency) or notification delay (notify_delay).
	Add Duration `yaml:"add,omitempty" json:"add,omitempty" jsonschema_description:"Extra latency (latency) or notification delay (notify_delay)"`
	// Limit is the rate limit of rate_limit.
	Limit Rate `yaml:"limit,omitempty" json:"limit,omitempty" jsonschema_description:"Rate limit of rate_limit: creates beyond it are answered 429"`
	// Max is the in-flight cap of capacity.
	Max int `yaml:"max,omitempty" json:"max,omitempty" jsonschema_description:"In-flight cap of capacity: creates beyond it are answered 429"`
	// Toxic is the Toxiproxy toxic of a toxic fault: latency, timeout,
	// reset_peer, slow_close or bandwidth.
	Toxic string `yaml:"toxic,omitempty" json:"toxic,omitempty" jsonschema:"enum=latency,enum=timeout,enum=reset_peer,enum=slow_close,enum=bandwidth" jsonschema_description:"Toxiproxy toxic of a toxic fault: latency, timeout, reset_peer, slow_close or bandwidth"`
	// Attributes are the toxic's attributes as Toxiproxy names them
	// (latency and jitter in ms, timeout in ms, delay in ms, rate in KB/s).
	Attributes map[string]int64 `yaml:"attributes,omitempty" json:"attributes,omitempty" jsonschema_description:"The toxic's attributes as Toxiproxy names them (latency and jitter in ms, timeout in ms, delay in ms, rate in KB/s)"`
	// Flap turns the fault on and off: on for Duty of every Period.
	Flap *Flap `yaml:"flap,omitempty" json:"flap,omitempty" jsonschema_description:"Turns the fault on and off: on for duty of every period"`
	// Expect overrides the scenario's expectations for this fault.
	Expect *Expect `yaml:"expect,omitempty" json:"expect,omitempty" jsonschema_description:"This fault's own expectations, over the scenario's"`
}

// Target names the providers a fault hits.
type Target struct {
	Providers []string `yaml:"providers,omitempty" json:"providers,omitempty" jsonschema_description:"Providers hit, by name"`
	Tag       string   `yaml:"tag,omitempty" json:"tag,omitempty" jsonschema_description:"Every provider with this tag is hit (an industry-level freeze)"`
}

// Match selects orders for transaction-level faults. Every set field must match.
type Match struct {
	Amount     *AmountRange `yaml:"amount,omitempty" json:"amount,omitempty" jsonschema_description:"Orders whose amount lies in this range (major units, inclusive)"`
	Categories []string     `yaml:"categories,omitempty" json:"categories,omitempty" jsonschema_description:"Orders of these product categories"`
	Methods    []string     `yaml:"methods,omitempty" json:"methods,omitempty" jsonschema_description:"Orders paid with these methods"`
	Regions    []string     `yaml:"regions,omitempty" json:"regions,omitempty" jsonschema_description:"Orders from buyers in these regions (ISO country codes)"`
}

// AmountRange is an inclusive range in major units; 0 Max is unbounded.
type AmountRange struct {
	Min float64 `yaml:"min,omitempty" json:"min,omitempty" jsonschema_description:"Lowest amount, inclusive, in major units"`
	Max float64 `yaml:"max,omitempty" json:"max,omitempty" jsonschema_description:"Highest amount, inclusive, in major units (0: no upper bound)"`
}

// Flap makes a fault come and go.
type Flap struct {
	Period Duration `yaml:"period" json:"period" jsonschema:"required" jsonschema_description:"Length of one on-off cycle"`
	Duty   float64  `yaml:"duty,omitempty" json:"duty,omitempty" jsonschema_description:"Share of each period the fault is on (default 0.5)"`
}

// Measure tunes the failover analysis. Zero values take the defaults.
type Measure struct {
	Baseline            Duration `yaml:"baseline,omitempty" json:"baseline,omitempty" jsonschema_description:"Window before a fault that sets the baseline (default 5m)"`
	Window              Duration `yaml:"window,omitempty" json:"window,omitempty" jsonschema_description:"Trailing window for detection (default 10s)"`
	Hold                Duration `yaml:"hold,omitempty" json:"hold,omitempty" jsonschema_description:"How long recovery must hold to count as fail-over (default 1m)"`
	MinSamples          int      `yaml:"min_samples,omitempty" json:"min_samples,omitempty" jsonschema_description:"Fewest orders a window needs before it is judged (default 10)"`
	HitThreshold        float64  `yaml:"hit_threshold,omitempty" json:"hit_threshold,omitempty" jsonschema_description:"Fault-hit rate under which traffic counts as moved (default 0.05)"`
	ConversionTolerance float64  `yaml:"conversion_tolerance,omitempty" json:"conversion_tolerance,omitempty" jsonschema_description:"How far under baseline conversion may sit (default 0.1)"`
}

// Expect holds the verdict's expectations. Durations may be "off".
type Expect struct {
	FailoverWithin   *Limit `yaml:"failover_within,omitempty" json:"failover_within,omitempty" jsonschema_description:"Per fault: time from its start until first attempts have moved off the faulty providers, or off to not judge it (default 10m)"`
	DetectWithin     *Limit `yaml:"detect_within,omitempty" json:"detect_within,omitempty" jsonschema_description:"Per fault: time from its start until the router's behaviour shows it noticed, or off"`
	FailbackWithin   *Limit `yaml:"failback_within,omitempty" json:"failback_within,omitempty" jsonschema_description:"Per fault: time from its end until traffic returns to the recovered providers, or off"`
	Lost             *int   `yaml:"lost,omitempty" json:"lost,omitempty" jsonschema_description:"Most orders lost: the shop never learned how they ended, or money was taken and no goods went out (default 0)"`
	DuplicateCharges *int   `yaml:"duplicate_charges,omitempty" json:"duplicate_charges,omitempty" jsonschema_description:"Most orders charged more than once (default 0)"`
	Stranded         *int   `yaml:"stranded,omitempty" json:"stranded,omitempty" jsonschema_description:"Most orders captured at a provider for which the shop never delivered (default 0)"`
	// DuplicateDeliveries: orders whose goods went out more than once.
	DuplicateDeliveries *int     `yaml:"duplicate_deliveries,omitempty" json:"duplicate_deliveries,omitempty" jsonschema_description:"Most orders whose goods were delivered more than once (default 0)"`
	MinConversion       *float64 `yaml:"min_conversion,omitempty" json:"min_conversion,omitempty" jsonschema_description:"Lowest share of orders paid over the whole run, in [0, 1]"`
	MaxExcessFailed     *int     `yaml:"max_excess_failed,omitempty" json:"max_excess_failed,omitempty" jsonschema_description:"Per fault: most failed and lost orders above the baseline failure rate, from the fault's start to a hold after its end"`
	// Confidence is the share of seeds in which each expectation must hold
	// when the drill runs over many seeds (run --seeds): PASS when the 95%
	// interval of the share clears it, FAIL when it is all below, else
	// inconclusive. Default 0.95. Scenario level only.
	Confidence *float64 `yaml:"confidence,omitempty" json:"confidence,omitempty" jsonschema_description:"Over many seeds (run --seeds): the share of seeds in which each expectation must hold; PASS when the 95% interval of the observed share lies above it, FAIL when below (default 0.95)"`
}
