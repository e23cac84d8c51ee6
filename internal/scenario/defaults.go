package scenario

import (
	"fmt"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/replay"
)

// Default values. Defaults fills only what the file left at its zero value.
const (
	defaultSeed     = 1                          // seed
	defaultDrain    = Duration(20 * time.Minute) // drain
	defaultBucket   = Duration(10 * time.Second) // bucket
	defaultBuyers   = 10000                      // traffic.buyers
	defaultPeriod   = Duration(24 * time.Hour)   // traffic.arrivals.period (diurnal)
	defaultTimeout  = Duration(10 * time.Second) // router.timeout
	defaultExpiry   = Duration(15 * time.Minute) // providers[].expiry
	defaultFailover = 10 * time.Minute           // expect.failover_within
	defaultCurrency = "USD"                      // traffic.catalog.currency
	defaultProducts = 200                        // traffic.catalog.products
	defaultStrategy = "health"                   // router.strategy
	defaultProcess  = "poisson"                  // traffic.arrivals.process
	defaultFlow     = "sync"                     // providers[].flow
	defaultComplete = 0.9                        // providers[].completion.rate
	defaultDuty     = 0.5                        // faults[].flap.duty
	defaultBaseline = Duration(5 * time.Minute)  // measure.baseline
	defaultWindow   = Duration(10 * time.Second) // measure.window
	defaultHold     = Duration(time.Minute)      // measure.hold
	defaultSamples  = 10                         // measure.min_samples
	defaultHit      = 0.05                       // measure.hit_threshold
	defaultTolerate = 0.1                        // measure.conversion_tolerance
	defaultMinPrice = 0.99                       // traffic.catalog.price.min
	defaultMaxPrice = 500.0                      // traffic.catalog.price.max
)

// Spreads: median and p99 when neither is set. When only one is set, the
// other keeps the default's ratio (p99 = median × default p99 / default median).
var (
	defaultLatency  = Spread{Median: ms(250), P99: ms(1500)}       // providers[].latency
	defaultPayDelay = Spread{Median: ms(45_000), P99: ms(240_000)} // providers[].completion.delay
	defaultNotify   = Spread{Median: ms(2000), P99: ms(15_000)}    // providers[].notify.delay
)

func ms(n int64) Duration { return Duration(time.Duration(n) * time.Millisecond) }

// defaultRegions is traffic.regions when the file sets none.
func defaultRegions() map[string]float64 {
	return map[string]float64{"US": 0.35, "DE": 0.15, "GB": 0.1, "BR": 0.1, "CN": 0.1, "IN": 0.1, "JP": 0.1}
}

// defaultMethods is traffic.methods when the file sets none.
func defaultMethods() map[string]float64 { return map[string]float64{"card": 1} }

// defaultCategories is traffic.catalog.categories when the file sets none.
func defaultCategories() map[string]float64 {
	return map[string]float64{"game-keys": 0.45, "gift-cards": 0.35, "subscriptions": 0.2}
}

// defaultDeclineCodes is a provider's decline_codes when it has a
// decline_rate and no codes.
func defaultDeclineCodes() map[string]float64 {
	return map[string]float64{payment.CodeInsufficientFunds: 0.5, payment.CodeDoNotHonor: 0.3, payment.CodeCardDeclined: 0.2}
}

// Defaults fills every field the file left unset. It never overwrites a
// value that is set. Load and Parse call it after validation; the
// defaults are:
//
//   - seed 1; drain 20m; bucket 10s.
//   - traffic.buyers 10000; traffic.regions US 0.35, DE 0.15, GB 0.1, BR 0.1,
//     CN 0.1, IN 0.1, JP 0.1; traffic.methods card 1.
//   - traffic.replay: speed 1, format from the file's extension, mapping
//     preset paydrill, amount_unit minor.
//   - traffic.arrivals.process poisson; traffic.arrivals.period 24h for diurnal.
//   - traffic.catalog: currency USD, products 200, categories game-keys 0.45,
//     gift-cards 0.35, subscriptions 0.2; price median 15, p99 150 (one set:
//     the other keeps the ratio 10, within a set min and max), min 0.99 (never above a set median or
//     max), max 500 (never under a set p99 or min).
//   - providers: flow sync (async for protocol epay); methods all of the traffic's methods (sorted);
//     latency median 250ms p99 1.5s; decline_codes insufficient_funds 0.5,
//     do_not_honor 0.3, card_declined 0.2 when decline_rate > 0; completion
//     rate 0.9, delay median 45s p99 4m; notify delay median 2s p99 15s;
//     expiry 15m. For a spread with only one of median and p99 set, the other
//     keeps the default's ratio.
//   - router: strategy health, timeout 10s, order the providers as listed.
//   - faults: name "<type>-<index>" (index in the faults list); rate 1 for
//     outage and notify_duplicate; code merchant_suspended for suspend and
//     transaction_blocked for block; codes do_not_honor 1 for decline_spike;
//     flap duty 0.5.
//   - measure: baseline 5m, window 10s, hold 1m, min_samples 10,
//     hit_threshold 0.05, conversion_tolerance 0.1.
//   - expect: failover_within 10m, lost 0, duplicate_charges 0, stranded 0,
//     duplicate_deliveries 0;
//     the other expectations stay unset (not judged). A fault's own expect is
//     left as written: what it leaves unset comes from the scenario's.
func (s *Scenario) Defaults() {
	if s.Seed == 0 {
		s.Seed = defaultSeed
	}
	setDuration(&s.Drain, defaultDrain)
	setDuration(&s.Bucket, defaultBucket)
	s.Traffic.defaults()
	for i := range s.Providers {
		s.Providers[i].defaults(s.Traffic.Methods)
	}
	r := &s.Router
	if r.Strategy == "" {
		r.Strategy = defaultStrategy
	}
	setDuration(&r.Timeout, defaultTimeout)
	if len(r.Order) == 0 && len(s.Providers) > 0 {
		r.Order = make([]string, len(s.Providers))
		for i, p := range s.Providers {
			r.Order[i] = p.Name
		}
	}
	for i := range s.Faults {
		s.Faults[i].defaults(i)
	}
	m := &s.Measure
	setDuration(&m.Baseline, defaultBaseline)
	setDuration(&m.Window, defaultWindow)
	setDuration(&m.Hold, defaultHold)
	if m.MinSamples == 0 {
		m.MinSamples = defaultSamples
	}
	setFloat(&m.HitThreshold, defaultHit)
	setFloat(&m.ConversionTolerance, defaultTolerate)
	e := &s.Expect
	if e.FailoverWithin == nil {
		e.FailoverWithin = &Limit{D: defaultFailover}
	}
	for _, p := range []**int{&e.Lost, &e.DuplicateCharges, &e.Stranded, &e.DuplicateDeliveries} {
		if *p == nil {
			*p = new(int)
		}
	}
}

func (t *Traffic) defaults() {
	if t.Buyers == 0 {
		t.Buyers = defaultBuyers
	}
	if len(t.Regions) == 0 {
		t.Regions = defaultRegions()
	}
	if len(t.Methods) == 0 {
		t.Methods = defaultMethods()
	}
	if r := t.Replay; r != nil {
		setFloat(&r.Speed, 1)
		if r.Format == "" {
			r.Format = replay.FormatOf(r.File)
		}
		if r.Mapping.Preset == "" {
			r.Mapping.Preset = "paydrill"
		}
		if r.Mapping.AmountUnit == "" {
			r.Mapping.AmountUnit = "minor"
		}
	}
	a := &t.Arrivals
	if a.Process == "" {
		a.Process = defaultProcess
	}
	if a.Type == "diurnal" {
		setDuration(&a.Period, defaultPeriod)
	}
	c := &t.Catalog
	if c.Currency == "" {
		c.Currency = defaultCurrency
	}
	if c.Products == 0 {
		c.Products = defaultProducts
	}
	if len(c.Categories) == 0 {
		c.Categories = defaultCategories()
	}
	p := &c.Price
	switch {
	case p.Median == 0 && p.P99 == 0:
		p.Median, p.P99 = 15, 150
	case p.Median == 0:
		p.Median = max(p.P99/10, p.Min)
	case p.P99 == 0:
		p.P99 = p.Median * 10
		if p.Max > 0 {
			p.P99 = max(min(p.P99, p.Max), p.Median)
		}
	}
	if p.Min == 0 {
		p.Min = min(defaultMinPrice, p.Median)
		if p.Max > 0 {
			p.Min = min(p.Min, p.Max)
		}
	}
	if p.Max == 0 {
		p.Max = max(defaultMaxPrice, p.P99, p.Min)
	}
}

func (p *Provider) defaults(methods map[string]float64) {
	if p.Flow == "" {
		p.Flow = defaultFlow
		if p.Protocol == "epay" {
			p.Flow = "async"
		}
	}
	if len(p.Methods) == 0 {
		p.Methods = sortedKeys(methods)
	}
	p.Latency.defaults(defaultLatency)
	if p.DeclineRate > 0 && len(p.DeclineCodes) == 0 {
		p.DeclineCodes = defaultDeclineCodes()
	}
	setFloat(&p.Completion.Rate, defaultComplete)
	p.Completion.Delay.defaults(defaultPayDelay)
	p.Notify.Delay.defaults(defaultNotify)
	setDuration(&p.Expiry, defaultExpiry)
}

// defaults fills an unset median or p99 from def, keeping def's ratio
// when the other one is set.
func (s *Spread) defaults(def Spread) {
	ratio := float64(def.P99) / float64(def.Median)
	switch {
	case s.Median == 0 && s.P99 == 0:
		*s = def
	case s.Median == 0:
		s.Median = Duration(float64(s.P99) / ratio)
	case s.P99 == 0:
		s.P99 = scale(s.Median, ratio)
	}
}

// scale multiplies d by f, saturating at the largest duration.
func scale(d Duration, f float64) Duration {
	v := float64(d) * f
	if v >= float64(1<<63-1) {
		return Duration(1<<63 - 1)
	}
	return Duration(v)
}

func (f *Fault) defaults(i int) {
	if f.Name == "" {
		f.Name = fmt.Sprintf("%s-%d", f.Type, i)
	}
	switch f.Type {
	case "outage", "notify_duplicate":
		setFloat(&f.Rate, 1)
	case "suspend":
		if f.Code == "" {
			f.Code = payment.CodeMerchantSuspended
		}
	case "block":
		if f.Code == "" {
			f.Code = payment.CodeTransactionBlocked
		}
	case "decline_spike":
		if len(f.Codes) == 0 {
			f.Codes = map[string]float64{payment.CodeDoNotHonor: 1}
		}
	}
	if f.Flap != nil {
		setFloat(&f.Flap.Duty, defaultDuty)
	}
}

func setDuration(d *Duration, def Duration) {
	if *d == 0 {
		*d = def
	}
}

func setFloat(f *float64, def float64) {
	if *f == 0 {
		*f = def
	}
}

// Spans returns the review's window, trailing period and factor, with
// their defaults (5m, 1h, 5) where unset: the one reading of them the
// mock that reviews and the router that keeps within it share.
func (r Review) Spans() (window, trailing time.Duration, factor float64) {
	window, trailing, factor = r.Window.D(), r.Trailing.D(), r.Factor
	if window <= 0 {
		window = 5 * time.Minute
	}
	if trailing <= 0 {
		trailing = time.Hour
	}
	if factor <= 0 {
		factor = 5
	}
	return window, trailing, factor
}
