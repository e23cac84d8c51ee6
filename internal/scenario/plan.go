package scenario

import (
	"fmt"
	"math"
	"time"
)

// Ceilings of a run's resources (docs/limits.md). Validate computes the
// run's plan (ResourcePlan) and refuses a scenario past one with the
// figure, so that a file validate accepts never exhausts run.
const (
	// MaxProviders and MaxFaults: the engine keeps a provider and a fault
	// as a bit of a 64-bit word.
	MaxProviders = 64
	MaxFaults    = 64
	// MaxItems caps every other list and mix (stages, spikes, tags, a
	// mix's entries).
	MaxItems = 1000
	// MaxBuyers and MaxProducts cap the population and the catalog,
	// which are built whole before the run.
	MaxBuyers   = 1_000_000
	MaxProducts = 100_000
	// MaxRate is the highest arrival rate: 300 times the busiest shop
	// paydrill is for (5,000 orders a day is 0.06/s).
	MaxRate = Rate(1000)
	// MaxOrders caps the orders a run may create (peak rate × duration).
	MaxOrders = 100_000_000
	// MaxInFlight caps the orders open at once: peak rate × how long an
	// order may stay open (router attempts, pay page, notification).
	MaxInFlight = 500_000
	// MaxBuckets and MaxSeriesBytes cap the time series: (duration +
	// drain) / bucket buckets of a row per provider and per fault.
	MaxBuckets     = 1_000_000
	MaxSeriesBytes = 256 << 20
	// MaxSwitches caps how often one flapping fault switches.
	MaxSwitches = 100_000
)

// Bytes of one bucket of the series (measure.Series): the order row, a
// row per provider and a row per fault.
const (
	orderBucketBytes = 7 * 8
	provBucketBytes  = 3 * 8
	faultBucketBytes = 9 * 8
)

// ResourcePlan is what a run of the scenario will hold at most.
type ResourcePlan struct {
	Buckets     int64         // time-series buckets
	SeriesBytes int64         // bytes of the series
	PeakRate    Rate          // highest arrival rate (0 for a replay)
	PeakAt      string        // the field that sets it
	Orders      float64       // orders created at most (peak rate × duration)
	Span        time.Duration // duration + drain
	OrderLife   time.Duration // how long an order may stay open
	InFlight    float64       // orders open at once at most
}

// Plan computes the run's resource plan, reading the scenario as
// Defaults would complete it.
func (s *Scenario) Plan() ResourcePlan {
	v := &validator{s: s}
	var p ResourcePlan
	bucket := v.bucket().D()
	drain := s.Drain.D()
	if drain == 0 {
		drain = defaultDrain.D()
	}
	span := s.Duration.D() + drain
	if span < 0 { // overflow of two long durations
		span = math.MaxInt64
	}
	p.Span = span
	p.Buckets = int64(span/bucket) + 1
	per := int64(orderBucketBytes + provBucketBytes*len(s.Providers) + faultBucketBytes*len(s.Faults))
	p.SeriesBytes = satMul(p.Buckets, per)
	if s.Traffic.Replay == nil {
		p.PeakRate, p.PeakAt = peakRate(&s.Traffic.Arrivals, "traffic.arrivals")
	}
	p.Orders = float64(p.PeakRate) * s.Duration.D().Seconds()
	p.OrderLife = orderLife(s)
	life := min(p.OrderLife, span)
	p.InFlight = float64(p.PeakRate) * life.Seconds()
	return p
}

// peakRate is the highest rate the arrival process reaches and the field
// that sets it (under path).
func peakRate(a *Arrivals, path string) (Rate, string) {
	peak, at := a.Rate, path+".rate"
	if a.Type == "diurnal" {
		peak = a.Rate * Rate(1+a.Amplitude)
	}
	for i, st := range a.Stages {
		if st.To > peak {
			peak, at = st.To, index(path+".stages", i)+".to"
		}
	}
	for i, sp := range a.Spikes {
		if sp.Rate > peak {
			peak, at = sp.Rate, index(path+".spikes", i)+".rate"
		}
		if r := a.Rate * Rate(sp.Factor); r > peak {
			peak, at = r, index(path+".spikes", i)+".factor"
		}
	}
	return peak, at
}

// orderLife bounds how long an order stays open: every attempt timing out
// with its status query, then the slowest pay page, payment and
// notification (p99 × 4 for the tails), plus the longest added delay.
func orderLife(s *Scenario) time.Duration {
	r := &s.Router
	timeout := r.Timeout.D()
	if timeout == 0 {
		timeout = defaultTimeout.D()
	}
	attempts := r.Health.MaxAttempts
	if attempts == 0 {
		attempts = 3
	}
	query := r.Health.QueryDelay.D()
	if query == 0 {
		query = 2 * time.Second
	}
	life := satDur(time.Duration(attempts), 2*timeout+query)
	var slowest time.Duration
	for _, p := range s.Providers {
		expiry := p.Expiry.D()
		if expiry == 0 {
			expiry = defaultExpiry.D()
		}
		tail := func(sp Spread, def Spread) time.Duration {
			d := max(sp.P99.D(), sp.Median.D())
			if d == 0 {
				d = def.P99.D()
			}
			return satDur(4, d)
		}
		l := tail(p.Latency, defaultLatency)
		if p.Flow == "async" { // a pay page, a buyer and a notification
			l = satAdd(l, expiry, tail(p.Completion.Delay, defaultPayDelay), tail(p.Notify.Delay, defaultNotify))
		}
		slowest = max(slowest, l)
	}
	var add time.Duration
	for _, f := range s.Faults {
		add = max(add, f.Add.D())
	}
	return satAdd(life, slowest, add)
}

// plan refuses a scenario whose run would pass a ceiling, naming the
// field that drives it and the figure.
func (v *validator) plan() {
	s := v.s
	p := s.Plan()
	if p.Buckets > MaxBuckets {
		v.add("bucket", "bucket %s over %s (duration + drain) is %s buckets; the ceiling is %s: widen the bucket or shorten the run",
			v.bucket().short(), Duration(p.Span).short(), count(float64(p.Buckets)), count(MaxBuckets))
	} else if p.SeriesBytes > MaxSeriesBytes {
		v.add("bucket", "%s buckets × (%d providers, %d faults) is %s of series; the ceiling is %s: widen the bucket",
			count(float64(p.Buckets)), len(s.Providers), len(s.Faults), byteSize(p.SeriesBytes), byteSize(MaxSeriesBytes))
	}
	if p.PeakRate > MaxRate {
		v.add(p.PeakAt, "the arrivals peak at %s; the ceiling is %s", p.PeakRate, MaxRate)
		return
	}
	if p.Orders > MaxOrders {
		v.add("duration", "%s at up to %s is up to %s orders; the ceiling is %s",
			s.Duration.short(), p.PeakRate, count(p.Orders), count(MaxOrders))
	}
	if p.InFlight > MaxInFlight {
		v.add(p.PeakAt, "%s with orders open up to %s is up to %s orders open at once; the ceiling is %s",
			p.PeakRate, p.OrderLife.Round(time.Second), count(p.InFlight), count(MaxInFlight))
	}
}

// lists refuses lists past their ceilings; it reports whether the
// per-item checks may run (they compare items pairwise).
func (v *validator) lists() bool {
	s := v.s
	ok := true
	if n := len(s.Providers); n > MaxProviders {
		v.add("providers", "%d providers; the ceiling is %d", n, MaxProviders)
		ok = false
	}
	if n := len(s.Faults); n > MaxFaults {
		v.add("faults", "%d faults; the ceiling is %d", n, MaxFaults)
		ok = false
	}
	t := &s.Traffic
	if t.Buyers > MaxBuyers {
		v.add("traffic.buyers", "%d buyers; the ceiling is %s", t.Buyers, count(MaxBuyers))
	}
	if t.Catalog.Products > MaxProducts {
		v.add("traffic.catalog.products", "%d products; the ceiling is %s", t.Catalog.Products, count(MaxProducts))
	}
	items := []listLen{
		{"traffic.arrivals.stages", len(t.Arrivals.Stages)}, {"traffic.arrivals.spikes", len(t.Arrivals.Spikes)},
		{"traffic.regions", len(t.Regions)}, {"traffic.methods", len(t.Methods)},
		{"traffic.catalog.categories", len(t.Catalog.Categories)}, {"router.order", len(s.Router.Order)},
	}
	if c := s.Router.Container; c != nil {
		items = append(items, listLen{"router.container.cmd", len(c.Cmd)}, listLen{"router.container.env", len(c.Env)})
	}
	if ok {
		for i, p := range s.Providers {
			items = append(items, listLen{index("providers", i) + ".tags", len(p.Tags)}, listLen{index("providers", i) + ".decline_codes", len(p.DeclineCodes)})
		}
		for i, f := range s.Faults {
			items = append(items, listLen{index("faults", i) + ".target.providers", len(f.Target.Providers)}, listLen{index("faults", i) + ".codes", len(f.Codes)})
			if f.Flap != nil && f.Flap.Period > 0 {
				length := f.For.D()
				if length == 0 {
					length = s.Duration.D()
				}
				if n := 2 * (length / f.Flap.Period.D()); n > MaxSwitches {
					v.add(index("faults", i)+".flap.period", "a %s flap over %s switches %s times; the ceiling is %s",
						f.Flap.Period.short(), Duration(length).short(), count(float64(n)), count(MaxSwitches))
				}
			}
		}
	}
	for _, it := range items {
		if it.n > MaxItems {
			v.add(it.path, "%d entries; the ceiling is %d", it.n, MaxItems)
			ok = false
		}
	}
	return ok
}

// listLen is a list's path and length.
type listLen struct {
	path string
	n    int
}

// count writes a large count readably: 3.2e+16, 1,000,000.
func count(n float64) string {
	if n >= 1e9 || n != math.Trunc(n) {
		return fmt.Sprintf("%.2g", n)
	}
	s := fmt.Sprintf("%d", int64(n))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

func satDur(n, d time.Duration) time.Duration {
	return time.Duration(satMul(int64(n), int64(d)))
}

func satAdd(ds ...time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		if t > math.MaxInt64-d {
			return math.MaxInt64
		}
		t += d
	}
	return t
}

// CheckPlan reports, as Validate would, a plan past a ceiling: for a
// scenario changed after loading (a sweep's rates).
func (s *Scenario) CheckPlan() error {
	v := &validator{s: s}
	v.plan()
	return v.errs.err()
}
