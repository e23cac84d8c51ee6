package scenario

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/paydrill/paydrill/internal/payment"
)

// Strategies lists the router strategies a scenario may name. The CLI may
// append its own before loading scenarios; validation reads it each time.
var Strategies = []string{"health", "priority", "static", "retry-blind", "elimination", "success-rate", "consecutive", "unpaid-streak", "first-backup"}

// Controls lists the negative-control routers a scenario may name too:
// health with one mistake each (router.Controls, docs/controls.md).
var Controls = []string{"health-no-eject", "health-no-silence", "health-no-reconcile", "health-deliver-each", "health-blind-timeouts",
	"health-timeouts-ok", "health-ignore-429", "health-no-segments", "health-no-declines", "health-risky-probes",
	"health-no-failback", "health-no-spread"}

// ArrivalTypes lists the arrival processes.
var ArrivalTypes = []string{"constant", "poisson", "diurnal", "ramp", "spike"}

// FaultTypes lists the fault kinds the mocks inject.
var FaultTypes = []string{
	"suspend", "block", "silent", "notify_blackout", "notify_delay", "notify_duplicate",
	"decline_spike", "latency", "outage", "rate_limit", "capacity",
	"pause", "crash", "partition", "toxic",
}

// ContainerFaults are the fault types that act on a provider's container
// or on its connections (drills with --container); in virtual time and
// in --live drills their model equivalents act (docs/containers.md, "Container faults").
var ContainerFaults = []string{"pause", "crash", "partition", "toxic"}

// Toxics lists the Toxiproxy toxics a toxic fault can be, with the
// attributes each takes.
var Toxics = map[string][]string{
	"latency":    {"latency", "jitter"},
	"timeout":    {"timeout"},
	"reset_peer": {"timeout"},
	"slow_close": {"delay"},
	"bandwidth":  {"rate"},
}

// maxMajor is payment.MaxAmount in major units, the most a price or a fee
// may be.
var maxMajor = float64(payment.MaxAmount) / 100

// Flows lists the provider flows.
var Flows = []string{"sync", "async"}

// Protocols lists the protocols a provider's HTTP mock can speak.
var Protocols = []string{"generic", "stripe", "epay"}

// Validate reports every rule the scenario breaks as an *Errors whose
// entries carry the field path and message (no file position; Parse adds
// those). It reads the scenario as Defaults would complete it, so it may be
// called before or after Defaults. It returns nil when the scenario is valid.
func (s *Scenario) Validate() error {
	v := &validator{s: s}
	v.top()
	short := v.lists() // lists within their ceilings, checked item by item
	v.traffic()
	if short {
		for i := range s.Providers {
			v.provider(i)
		}
	}
	v.methodsTaken()
	v.router()
	if short {
		for i := range s.Faults {
			v.fault(i)
		}
		v.containerOverlaps()
	}
	v.measure()
	v.expect("expect", &s.Expect)
	if len(v.errs) == 0 {
		v.plan() // figures read from valid fields only
	}
	return v.errs.err()
}

type validator struct {
	s    *Scenario
	errs Errors
}

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// bucket is the bucket width the run will use.
func (v *validator) bucket() Duration {
	if v.s.Bucket == 0 {
		return defaultBucket
	}
	return v.s.Bucket
}

// methods is the traffic's method mix as the run will use it.
func (v *validator) methods() map[string]float64 {
	if len(v.s.Traffic.Methods) == 0 {
		return defaultMethods()
	}
	return v.s.Traffic.Methods
}

func (v *validator) top() {
	s := v.s
	if strings.TrimSpace(s.Name) == "" {
		v.add("name", "a scenario needs a name")
	}
	if s.Duration <= 0 {
		v.add("duration", "must be more than 0 (write it like 30m or 1h)")
	}
	if s.Duration > 0 && v.bucket() > s.Duration {
		v.add("bucket", "%s is longer than the duration (%s)", v.bucket().short(), s.Duration.short())
	}
	if len(s.Providers) == 0 {
		v.add("providers", "a scenario needs at least one provider")
	}
}

func (v *validator) traffic() {
	t := &v.s.Traffic
	if t.Replay != nil {
		v.replay(t.Replay)
		if t.Arrivals.Type != "" {
			v.add("traffic.arrivals", "set arrivals or replay, not both (a replay's orders come from its file)")
		}
	} else {
		v.arrivals("traffic.arrivals", &t.Arrivals)
	}
	v.nonNegative("traffic.buyers", t.Buyers)
	v.mix("traffic.regions", t.Regions)
	v.mix("traffic.methods", t.Methods)
	c := &t.Catalog
	v.nonNegative("traffic.catalog.products", c.Products)
	v.mix("traffic.catalog.categories", c.Categories)
	p := &c.Price
	for _, f := range []struct {
		name string
		val  float64
	}{{"median", p.Median}, {"p99", p.P99}, {"min", p.Min}, {"max", p.Max}} {
		switch {
		case f.val < 0:
			v.add("traffic.catalog.price."+f.name, "%g is negative", f.val)
		case !(f.val <= maxMajor):
			v.add("traffic.catalog.price."+f.name, "%g is over the ceiling of %s an order (docs/limits.md)", f.val, payment.MaxAmount)
		}
	}
	if p.Median > 0 && p.P99 > 0 && p.P99 < p.Median {
		v.add("traffic.catalog.price.p99", "%g is under the median (%g)", p.P99, p.Median)
	}
	if p.Max > 0 && p.Min > p.Max {
		v.add("traffic.catalog.price.min", "%g is over the max (%g)", p.Min, p.Max)
	}
	if p.Max > 0 && p.Median > p.Max {
		v.add("traffic.catalog.price.median", "%g is over the max (%g)", p.Median, p.Max)
	}
	if p.Median > 0 && p.Min > p.Median {
		v.add("traffic.catalog.price.min", "%g is over the median (%g)", p.Min, p.Median)
	}
}

func (v *validator) arrivals(path string, a *Arrivals) {
	if !v.oneOf(path+".type", a.Type, "an arrival type", ArrivalTypes) {
		return
	}
	if a.Process != "" && a.Process != "poisson" && a.Process != "constant" {
		v.add(path+".process", "%q is not a process (poisson, constant)", a.Process)
	}
	switch a.Type {
	case "constant", "poisson", "spike", "diurnal":
		if a.Rate <= 0 {
			v.add(path+".rate", "%s arrivals need a rate more than 0 (write it like 20/s)", a.Type)
		}
	}
	if a.Amplitude < 0 || a.Amplitude > 1 {
		v.add(path+".amplitude", "%g is not between 0 and 1", a.Amplitude)
	}
	if a.Type == "ramp" {
		if len(a.Stages) == 0 {
			v.add(path+".stages", "ramp arrivals need at least one stage")
		}
		for i, st := range a.Stages {
			if st.For <= 0 {
				v.add(index(path+".stages", i)+".for", "a stage needs a length more than 0")
			}
		}
	}
	if a.Type == "spike" && len(a.Spikes) == 0 {
		v.add(path+".spikes", "spike arrivals need at least one spike")
	}
	d := v.s.Duration
	for i, sp := range a.Spikes {
		p := index(path+".spikes", i)
		if sp.For <= 0 {
			v.add(p+".for", "a spike needs a length more than 0")
		}
		if d > 0 && sp.At >= d {
			v.add(p+".at", "%s is not before the end of the traffic (duration %s)", sp.At.short(), d.short())
		} else if d > 0 && sp.At+sp.For > d {
			v.add(p+".for", "the spike runs past the end of the traffic (%s + %s > %s)", sp.At.short(), sp.For.short(), d.short())
		}
		switch {
		case sp.Factor < 0:
			v.add(p+".factor", "%g is negative", sp.Factor)
		case sp.Rate > 0 && sp.Factor > 0:
			v.add(p, "set a rate or a factor, not both")
		case sp.Rate == 0 && sp.Factor == 0:
			v.add(p, "set a rate (like 100/s) or a factor (like 3)")
		}
	}
}

// methodsTaken: every method of the synthetic traffic is taken by some
// provider; an order no provider takes would fail without an attempt, and
// the drill would be judged on traffic it never sent. (A replay's methods
// are the file's: Parse checks them against the file.)
func (v *validator) methodsTaken() {
	if v.s.Traffic.Replay != nil || len(v.s.Providers) == 0 {
		return
	}
	methods := v.methods()
	for _, m := range sortedKeys(methods) {
		if methods[m] <= 0 {
			continue
		}
		if !slices.ContainsFunc(v.s.Providers, func(p Provider) bool { return len(p.Methods) == 0 || slices.Contains(p.Methods, m) }) {
			v.add("traffic.methods."+m, "no provider takes %s (weight %g): its orders would fail without a single attempt; add it to a provider's methods or drop it", m, methods[m])
		}
	}
}

// limits checks one set of contracted limits.
func (v *validator) limits(path string, l MethodLimits) {
	for _, f := range []struct {
		name string
		x    float64
	}{{"min", l.Min}, {"max", l.Max}, {"daily", l.Daily}} {
		if f.x < 0 || math.IsNaN(f.x) || math.IsInf(f.x, 0) {
			v.add(path+"."+f.name, "%g is not an amount (major units, 0 for no limit)", f.x)
		}
	}
	if l.Max > 0 && l.Min > l.Max {
		v.add(path+".min", "%g is above max %g", l.Min, l.Max)
	}
}

func (v *validator) provider(i int) {
	p := &v.s.Providers[i]
	path := index("providers", i)
	switch {
	case strings.TrimSpace(p.Name) == "":
		v.add(path+".name", "a provider needs a name")
	case slices.IndexFunc(v.s.Providers[:i], func(q Provider) bool { return q.Name == p.Name }) >= 0:
		v.add(path+".name", "%q is already the name of providers[%d]", p.Name, v.s.ProviderIndex(p.Name))
	}
	for j, tag := range p.Tags {
		if strings.TrimSpace(tag) == "" {
			v.add(index(path+".tags", j), "a tag cannot be empty")
		}
	}
	if p.Flow != "" && !slices.Contains(Flows, p.Flow) {
		v.add(path+".flow", "%q is not a flow (sync, async)", p.Flow)
	}
	switch {
	case p.Protocol != "" && !slices.Contains(Protocols, p.Protocol):
		v.add(path+".protocol", "%q is not a protocol (%s)", p.Protocol, strings.Join(Protocols, ", "))
	case p.Protocol == "epay" && p.Flow == "sync":
		v.add(path+".flow", "an epay provider is async (the buyer pays on the gateway's page); drop flow or set it to async")
	}
	methods := v.methods()
	for j, m := range p.Methods {
		if _, ok := methods[m]; !ok {
			v.add(index(path+".methods", j), "method %q is not in traffic.methods (have %s)", m, strings.Join(sortedKeys(methods), ", "))
		}
	}
	v.spread(path+".latency", p.Latency)
	v.probability(path+".decline_rate", p.DeclineRate)
	v.codes(path+".decline_codes", p.DeclineCodes)
	v.probability(path+".completion.rate", p.Completion.Rate)
	v.spread(path+".completion.delay", p.Completion.Delay)
	v.spread(path+".notify.delay", p.Notify.Delay)
	v.probability(path+".notify.loss", p.Notify.Loss)
	v.probability(path+".notify.duplicate", p.Notify.Duplicate)
	v.nonNegative(path+".capacity", p.Capacity)
	if p.Fee.Percent < 0 || p.Fee.Percent > 100 {
		v.add(path+".fee.percent", "%g is not between 0 and 100", p.Fee.Percent)
	}
	if p.Fee.Fixed < 0 {
		v.add(path+".fee.fixed", "%g is negative", p.Fee.Fixed)
	} else if !(p.Fee.Fixed <= maxMajor) {
		v.add(path+".fee.fixed", "%g is over the ceiling of %s (docs/limits.md)", p.Fee.Fixed, payment.MaxAmount)
	}
	if r := p.Review; r != nil {
		rp := path + ".review"
		if r.Window < 0 || r.Trailing < 0 || r.For < 0 {
			v.add(rp, "window, trailing and for cannot be negative")
		}
		if r.Factor < 0 || math.IsNaN(r.Factor) || math.IsInf(r.Factor, 0) {
			v.add(rp+".factor", "%g is not a factor (> 0; default 5)", r.Factor)
		}
		if r.MinVolume < 0 || math.IsNaN(r.MinVolume) || math.IsInf(r.MinVolume, 0) {
			v.add(rp+".min_volume", "%g is not an amount", r.MinVolume)
		}
		if r.Identical < 0 {
			v.add(rp+".identical", "%d is negative", r.Identical)
		}
		if r.Action != "" && r.Action != "suspend" && r.Action != "silent" {
			v.add(rp+".action", "%q is not an action (suspend, silent)", r.Action)
		}
	}
	if l := p.Limits; l != nil {
		v.limits(path+".limits", MethodLimits{Min: l.Min, Max: l.Max, Daily: l.Daily})
		methods := v.methods()
		for _, m := range sortedKeys(l.Methods) {
			if _, ok := methods[m]; !ok {
				v.add(field(path+".limits.methods", m), "method %q is not in traffic.methods (have %s)", m, strings.Join(sortedKeys(methods), ", "))
			}
			v.limits(field(path+".limits.methods", m), l.Methods[m])
		}
	}
}

func (v *validator) router() {
	r := &v.s.Router
	if r.Strategy != "" && !slices.Contains(Strategies, r.Strategy) && !slices.Contains(Controls, r.Strategy) {
		v.add("router.strategy", "%q is not a strategy (%s) or a negative control (health-no-eject, ...: paydrill run --help)",
			r.Strategy, strings.Join(Strategies, ", "))
	}
	for i, name := range r.Order {
		p := index("router.order", i)
		switch {
		case v.s.ProviderIndex(name) < 0:
			v.add(p, "no provider named %q (have %s)", name, v.providerNames())
		case slices.Index(r.Order, name) < i:
			v.add(p, "%q is listed twice", name)
		}
	}
	if r.HTTP != "" {
		if u, err := url.Parse(r.HTTP); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add("router.http", "%q is not an http(s) URL like http://127.0.0.1:8080", r.HTTP)
		}
	}
	if c := r.Container; c != nil {
		if r.HTTP != "" {
			v.add("router.container", "router.http names a running router, router.container starts one: give one")
		}
		if c.Image == "" {
			v.add("router.container.image", "required: the image to run (or to keep a build under), like myrouter:drill")
		}
		if c.Port < 0 || c.Port > 65535 {
			v.add("router.container.port", "%d is not a port", c.Port)
		}
		if c.Health != "" && !strings.HasPrefix(c.Health, "/") {
			v.add("router.container.health", "%q is not a path like /healthz", c.Health)
		}
	}
	h := &r.Health
	v.nonNegative("router.health.min_samples", h.MinSamples)
	v.probability("router.health.failure_rate", h.FailureRate)
	v.nonNegative("router.health.consecutive", h.Consecutive)
	v.nonNegative("router.health.unpaid_streak", h.UnpaidStreak)
	v.probability("router.health.probe_share", h.ProbeShare)
	if h.FalseAlarms < 0 || math.IsNaN(h.FalseAlarms) || math.IsInf(h.FalseAlarms, 0) {
		v.add("router.health.false_alarms", "%v is not a number of ejections a day (0 or more; 0 takes the default 0.2)", h.FalseAlarms)
	}
	v.nonNegative("router.health.max_attempts", h.MaxAttempts)
}

func (v *validator) fault(i int) {
	f := &v.s.Faults[i]
	path := index("faults", i)
	v.oneOf(path+".type", f.Type, "a fault type", FaultTypes)
	if f.Name != "" {
		if j := slices.IndexFunc(v.s.Faults[:i], func(g Fault) bool { return g.Name == f.Name }); j >= 0 {
			v.add(path+".name", "%q is already the name of faults[%d]", f.Name, j)
		}
	}
	d := v.s.Duration
	switch {
	case d > 0 && f.At >= d:
		v.add(path+".at", "%s is not before the end of the traffic (duration %s)", f.At.short(), d.short())
	case f.At < v.bucket():
		v.add(path+".at", "%s leaves no baseline: a fault starts at least one bucket (%s) into the run", f.At.short(), v.bucket().short())
	}
	v.target(path+".target", f.Target)

	switch f.Type {
	case "block":
		if f.Match == nil {
			v.add(path+".match", "a block fault needs a match (amount, categories, methods or regions)")
		}
	case "suspend":
		if f.Match != nil {
			v.add(path+".match", "a suspend fault hits every order; use a block fault to match some")
		}
	case "decline_spike":
		if f.Rate <= 0 {
			v.add(path+".rate", "a decline_spike fault needs a rate more than 0 (share of attempts declined)")
		}
	case "latency", "notify_delay":
		if f.Add <= 0 {
			v.add(path+".add", "a %s fault needs add more than 0 (like 2s)", f.Type)
		}
	case "rate_limit":
		if f.Limit <= 0 {
			v.add(path+".limit", "a rate_limit fault needs a limit more than 0 (like 5/s)")
		}
	case "capacity":
		if f.Max <= 0 {
			v.add(path+".max", "a capacity fault needs max more than 0")
		}
	case "toxic":
		v.toxic(path, f)
	}
	if slices.Contains(ContainerFaults, f.Type) {
		if f.Match != nil {
			v.add(path+".match", "a %s fault acts on whole connections, not on some orders: drop match", f.Type)
		}
		if f.Flap != nil {
			v.add(path+".flap", "a %s fault does not flap: write several faults", f.Type)
		}
	}
	if f.Type != "toxic" {
		if f.Toxic != "" {
			v.add(path+".toxic", "only a toxic fault takes a toxic")
		}
		if len(f.Attributes) > 0 {
			v.add(path+".attributes", "only a toxic fault takes attributes")
		}
	}
	if f.Code != "" && !payment.KnownCode(f.Code) {
		v.add(path+".code", "unknown decline code %q (known: %s)", f.Code, strings.Join(payment.Codes(), ", "))
	}
	v.probability(path+".rate", f.Rate)
	v.codes(path+".codes", f.Codes)
	if f.Ramp < 0 {
		v.add(path+".ramp", "%g is negative", f.Ramp)
	}
	v.nonNegative(path+".max", f.Max)
	if m := f.Match; m != nil {
		v.match(path+".match", m)
	}
	if fl := f.Flap; fl != nil {
		if fl.Period <= 0 {
			v.add(path+".flap.period", "a flap needs a period more than 0")
		}
		v.probability(path+".flap.duty", fl.Duty)
	}
	if e := f.Expect; e != nil {
		v.expect(path+".expect", e)
		// lost, duplicate_charges, stranded, duplicate_deliveries and
		// min_conversion are measured over the whole run, not per fault.
		for _, k := range []struct {
			name string
			set  bool
		}{{"lost", e.Lost != nil}, {"duplicate_charges", e.DuplicateCharges != nil},
			{"stranded", e.Stranded != nil}, {"duplicate_deliveries", e.DuplicateDeliveries != nil},
			{"min_conversion", e.MinConversion != nil}, {"confidence", e.Confidence != nil}} {
			if k.set {
				v.add(path+".expect."+k.name, "%s is judged over the whole run: set it in the scenario's expect", k.name)
			}
		}
	}
}

// toxic checks a toxic fault's toxic and attributes.
func (v *validator) toxic(path string, f *Fault) {
	names := make([]string, 0, len(Toxics))
	for k := range Toxics {
		names = append(names, k)
	}
	slices.Sort(names)
	attrs, ok := Toxics[f.Toxic]
	if !ok {
		if f.Toxic == "" {
			v.add(path+".toxic", "a toxic fault needs a toxic (%s)", strings.Join(names, ", "))
		} else {
			v.add(path+".toxic", "unknown toxic %q (known: %s)", f.Toxic, strings.Join(names, ", "))
		}
		return
	}
	keys := make([]string, 0, len(f.Attributes))
	for k := range f.Attributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case !slices.Contains(attrs, k):
			v.add(path+".attributes."+k, "a %s toxic has no attribute %q (it takes %s)", f.Toxic, k, strings.Join(attrs, ", "))
		case f.Attributes[k] < 0:
			v.add(path+".attributes."+k, "%d is negative", f.Attributes[k])
		}
	}
	switch f.Toxic {
	case "latency":
		if f.Attributes["latency"] <= 0 {
			v.add(path+".attributes.latency", "a latency toxic needs latency more than 0 (milliseconds)")
		}
	case "bandwidth":
		if f.Attributes["rate"] <= 0 {
			v.add(path+".attributes.rate", "a bandwidth toxic needs rate more than 0 (KB/s)")
		}
	}
}

func (v *validator) target(path string, t Target) {
	if len(t.Providers) == 0 && t.Tag == "" {
		v.add(path, "name the providers, a tag, or both")
		return
	}
	for j, name := range t.Providers {
		if v.s.ProviderIndex(name) < 0 {
			v.add(index(path+".providers", j), "no provider named %q (have %s)", name, v.providerNames())
		}
	}
	if t.Tag != "" && !slices.ContainsFunc(v.s.Providers, func(p Provider) bool { return slices.Contains(p.Tags, t.Tag) }) {
		v.add(path+".tag", "no provider has tag %q", t.Tag)
	}
}

func (v *validator) match(path string, m *Match) {
	if a := m.Amount; a != nil {
		switch {
		case a.Min < 0:
			v.add(path+".amount.min", "%g is negative", a.Min)
		case a.Max < 0:
			v.add(path+".amount.max", "%g is negative", a.Max)
		case a.Max > 0 && a.Min > a.Max:
			v.add(path+".amount", "min %g is over max %g", a.Min, a.Max)
		}
	}
	for _, l := range []struct {
		name string
		vals []string
	}{{"categories", m.Categories}, {"methods", m.Methods}, {"regions", m.Regions}} {
		for j, s := range l.vals {
			if strings.TrimSpace(s) == "" {
				v.add(index(path+"."+l.name, j), "cannot be empty")
			}
		}
	}
	if m.Amount == nil && len(m.Categories) == 0 && len(m.Methods) == 0 && len(m.Regions) == 0 {
		v.add(path, "match nothing: set amount, categories, methods or regions")
	}
}

func (v *validator) measure() {
	m := &v.s.Measure
	v.nonNegative("measure.min_samples", m.MinSamples)
	v.probability("measure.hit_threshold", m.HitThreshold)
	v.probability("measure.conversion_tolerance", m.ConversionTolerance)
}

func (v *validator) expect(path string, e *Expect) {
	for _, f := range []struct {
		name string
		val  *int
	}{{"lost", e.Lost}, {"duplicate_charges", e.DuplicateCharges}, {"stranded", e.Stranded}, {"duplicate_deliveries", e.DuplicateDeliveries}, {"max_excess_failed", e.MaxExcessFailed}} {
		if f.val != nil {
			v.nonNegative(path+"."+f.name, *f.val)
		}
	}
	if e.MinConversion != nil {
		v.probability(path+".min_conversion", *e.MinConversion)
	}
	if c := e.Confidence; c != nil && (*c <= 0 || *c >= 1) {
		v.add(path+".confidence", "%g is not strictly between 0 and 1 (0.95: the expectations hold in at least 95%% of seeds)", *c)
	}
}

// spread checks a median/p99 pair.
func (v *validator) spread(path string, s Spread) {
	if s.Median > 0 && s.P99 > 0 && s.P99 < s.Median {
		v.add(path+".p99", "%s is under the median (%s)", s.P99.short(), s.Median.short())
	}
}

func (v *validator) probability(path string, p float64) {
	if p < 0 || p > 1 {
		v.add(path, "%g is not between 0 and 1", p)
	}
}

func (v *validator) nonNegative(path string, n int) {
	if n < 0 {
		v.add(path, "%d is negative", n)
	}
}

// mix checks a weight map: no empty keys, no negative weights, not all zero.
func (v *validator) mix(path string, m map[string]float64) {
	if len(m) == 0 {
		return
	}
	total := 0.0
	for _, k := range sortedKeys(m) {
		w := m[k]
		switch {
		case strings.TrimSpace(k) == "":
			v.add(field(path, k), "a name cannot be empty")
		case w < 0:
			v.add(field(path, k), "weight %g is negative", w)
		default:
			total += w
		}
	}
	if total == 0 {
		v.add(path, "the weights are all zero")
	}
}

// codes checks a decline code mix: a weight mix of known codes.
func (v *validator) codes(path string, m map[string]float64) {
	v.mix(path, m)
	for _, k := range sortedKeys(m) {
		if k != "" && !payment.KnownCode(k) {
			v.add(field(path, k), "unknown decline code %q (known: %s)", k, strings.Join(payment.Codes(), ", "))
		}
	}
}

func (v *validator) providerNames() string {
	names := make([]string, len(v.s.Providers))
	for i, p := range v.s.Providers {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// oneOf checks a required enumerated value and reports whether it is valid.
func (v *validator) oneOf(path, val, what string, allowed []string) bool {
	switch {
	case val == "":
		v.add(path, "required: one of %s", strings.Join(allowed, ", "))
	case !slices.Contains(allowed, val):
		v.add(path, "%q is not %s (%s)", val, what, strings.Join(allowed, ", "))
	default:
		return true
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
