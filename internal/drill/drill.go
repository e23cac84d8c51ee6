// Package drill runs one scenario end to end as a library: plan, run,
// measure, judge. The CLI only wires flags and output to it.
package drill

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/internal/verdict"
	"github.com/paydrill/paydrill/reports"
)

// Options are one drill run's choices beyond the scenario.
type Options struct {
	// File is where the scenario came from (for the report and the
	// reproduce command).
	File string
	// Router overrides the scenario's strategy when set.
	Router string
	// Seed overrides the scenario's seed when non-zero.
	Seed uint64
	// Progress is passed to the engine.
	Progress func(sim.Progress)
	// Now reads the wall clock, for the engine's wall_s; nil means time.Now.
	Now func() time.Time
	// Orders, when set, replaces the scenario's synthetic traffic. When
	// it is nil and the scenario sets traffic.replay, Run opens the file.
	Orders sim.OrderSource
	// OnBadRow is told of every bad row of a replay file Run opens.
	OnBadRow func(*replay.RowError)
}

// Run carries out the drill in virtual time and returns its judged report.
// An interrupted run still returns what it measured, with Interrupted set.
func Run(ctx context.Context, s *scenario.Scenario, opt Options) (*reports.Report, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	strategy := s.Router.Strategy
	if opt.Router != "" {
		strategy = opt.Router
	}
	seed := s.Seed
	if opt.Seed != 0 {
		seed = opt.Seed
	}
	orders := opt.Orders
	var src *replay.Source
	if orders == nil && s.Traffic.Replay != nil {
		so, err := s.SourceOptions()
		if err != nil {
			return nil, fmt.Errorf("traffic.replay: %w", err)
		}
		so.OnBadRow = opt.OnBadRow
		if src, err = replay.OpenSource(s.Traffic.Replay.File, so); err != nil {
			return nil, fmt.Errorf("traffic.replay: %w", err)
		}
		defer src.Close()
		orders = src
	}
	var unrouted *unroutable
	if r := s.Traffic.Replay; r != nil && r.Unroutable == "report" && orders != nil {
		unrouted = newUnroutable(orders, s)
		orders = unrouted
	}
	start := now()
	res, err := sim.Run(ctx, sim.Config{Scenario: s, Router: strategy, Seed: seed, Progress: opt.Progress, Orders: orders})
	if err != nil {
		return nil, err
	}
	if src != nil && src.Err() != nil {
		return nil, fmt.Errorf("traffic.replay: %w", src.Err())
	}
	wall := now().Sub(start)
	r := Build(s, res, strategy, seed, opt.File)
	r.Engine.WallS = round(wall.Seconds(), 4)
	if wall > 0 {
		r.Engine.Speedup = round(res.Simulated.Seconds()/wall.Seconds(), 1)
	}
	if unrouted != nil {
		unrouted.report(r)
	}
	verdict.Judge(s, r)
	return r, nil
}

// Build turns what a run recorded into the report model (without the
// wall-clock figures and the verdict).
func Build(s *scenario.Scenario, res *sim.Result, strategy string, seed uint64, file string) *reports.Report {
	cur := s.Traffic.Catalog.Currency
	t := res.Totals
	r := &reports.Report{
		Scenario: reports.Scenario{
			Name: s.Name, File: file, Seed: seed, Description: s.Description, Router: strategy,
			DurationS: s.Duration.D().Seconds(), Currency: cur,
		},
		Engine: reports.Engine{Mode: "virtual", SimulatedS: res.Simulated.Seconds(), Events: res.Events},
		Orders: reports.Orders{
			Created: t.Created, Paid: t.Paid, Failed: t.Failed, Abandoned: t.Abandoned, Lost: t.Lost, InFlight: t.InFlight,
			DuplicateCharges: t.DuplicateCharges, Stranded: t.Stranded, DuplicateDeliveries: t.DuplicateDeliveries,
			PaidAmount: money(int64(t.PaidAmount)), FailedAmount: money(int64(t.FailedAmount)),
			Attempts: t.Attempts, StatusQueries: t.StatusQueries,
			DuplicateNotifications: t.DuplicateNotifications, RefusedNotifications: t.RefusedNotifications,
		},
		Violations:  res.Violations,
		Interrupted: res.Interrupted,
		Reproduce:   reproduce(file, strategy, seed),
	}
	if t.Created > 0 {
		r.Orders.Conversion = round(float64(t.Paid)/float64(t.Created), 4)
	}
	ms := func(q float64) float64 { return round(float64(res.Latency.Quantile(q))/1e6, 3) }
	r.Latency = reports.Latency{Count: res.Latency.Count(), P50Ms: ms(0.5), P90Ms: ms(0.9), P99Ms: ms(0.99),
		MaxMs: round(float64(res.Latency.Max())/1e6, 3)}

	// Provider shares: before the first fault, and while any fault is on.
	// An interrupted run is measured up to where it stopped.
	end := s.Duration.D()
	if res.Interrupted {
		end = min(end, res.Simulated)
	}
	first, last := end, time.Duration(0)
	for _, f := range res.Series.Faults {
		first = min(first, f.Start)
		last = max(last, f.End)
	}
	if len(res.Series.Faults) == 0 {
		first, last = end, end
	}
	before := measure.Shares(res.Series, 0, first)
	during := measure.Shares(res.Series, first, last)
	totals := measure.ProviderTotals(res.Series)
	for i, name := range res.Series.Providers {
		l := res.Ledgers[i]
		r.Providers = append(r.Providers, reports.Provider{
			Name: name, Attempts: totals[i].Attempts, Captures: totals[i].Captures,
			ShareBefore: round(before[i], 4), ShareDuring: round(during[i], 4),
			Captured: money(int64(l.Amount)), Fees: money(int64(l.Fees)),
			LimitDeclines: l.LimitDeclines, DailyCap: money(int64(l.DailyCap)), DailyPeak: money(int64(l.DailyPeak)),
		})
		for _, t := range l.Reviews {
			r.Providers[i].Reviews = append(r.Providers[i].Reviews, reports.Review{AtS: t.At.Seconds(), Cause: t.Cause})
		}
	}

	for _, tr := range res.Transitions {
		r.Transitions = append(r.Transitions, reports.Transition{
			AtS: tr.At.Seconds(), Provider: res.Series.Providers[tr.Provider], State: tr.State, Reason: tr.Reason})
		if tr.State == "out" || tr.State == "disabled" {
			r.Providers[tr.Provider].TakenOut++
		}
	}

	p := params(s.Measure)
	for i, f := range res.Series.Faults {
		a := measure.Analyze(res.Series, i, p, end)
		if a.Detect == nil {
			// Fail-back is only defined once traffic moved away (the
			// verdict calls it not applicable then).
			a.Failback, a.FailbackSpan, a.FailbackOpen = nil, nil, nil
		}
		r.Faults = append(r.Faults, reports.Fault{
			Name: f.Name, Type: f.Type, Providers: f.Providers,
			StartS: f.Start.Seconds(), EndS: f.End.Seconds(),
			DetectS: secs(a.Detect), FailoverS: secs(a.Failover), RecoverS: secs(a.Recover), FailbackS: secs(a.Failback),
			ExcessFailed: a.ExcessFailed, ExcessFailedAmount: money(a.ExcessFailedAmount),
			Hits: a.Hits, Attempts: a.Attempts,
			BaselineConversion: round(a.BaselineConversion, 4), BaselineShare: round(a.BaselineShare, 4),
			ShareDuring: round(a.ShareDuring, 4), Note: a.Note,
			BaselineConversionLow: round(a.BaselineConversionLow, 4), BaselineConversionHigh: round(a.BaselineConversionHigh, 4),
			BaselineOrders: a.BaselineOrders,
			DetectSpan:     span(a.DetectSpan), FailoverSpan: span(a.FailoverSpan),
			RecoverSpan: span(a.RecoverSpan), FailbackSpan: span(a.FailbackSpan),
			DetectOpenS: secs(a.DetectOpen), FailoverOpenS: secs(a.FailoverOpen), FailbackOpenS: secs(a.FailbackOpen),
			MinSamples: p.MinSamples,
		})
		routerOut(&r.Faults[len(r.Faults)-1], res.Transitions, res.Series.Providers, f.Start, s.Bucket.D())
	}
	r.Series = buildSeries(res.Series, r.Faults, end, p.Baseline)
	return r
}

// params takes the scenario's measurement settings (defaults applied by
// the scenario package) and fills anything left at zero.
func params(m scenario.Measure) measure.Params {
	p := measure.DefaultParams()
	if m.Baseline > 0 {
		p.Baseline = m.Baseline.D()
	}
	if m.Window > 0 {
		p.Window = m.Window.D()
	}
	if m.Hold > 0 {
		p.Hold = m.Hold.D()
	}
	if m.MinSamples > 0 {
		p.MinSamples = m.MinSamples
	}
	if m.HitThreshold > 0 {
		p.HitThreshold = m.HitThreshold
	}
	if m.ConversionTolerance > 0 {
		p.ConversionTolerance = m.ConversionTolerance
	}
	return p
}

func span(s *measure.Span) *reports.Span {
	if s == nil {
		return nil
	}
	return &reports.Span{LowS: s.Low.Seconds(), HighS: s.High.Seconds(), Orders: s.Orders, ConfirmedS: s.Confirmed.Seconds()}
}

// routerOut sets when the router itself took one of the fault's providers
// out, from its own transitions: the out still in force when the traffic
// was seen moved (the detect span's end; a router that takes a provider
// out and back in before any order arrives moves nothing the traffic can
// see), else the first out after the fault's start. It notes where that
// disagrees with the traffic's detect span by more than a bucket (the
// router's clock and the traffic's are the same; a bucket allows for
// times recorded at bucket edges).
func routerOut(f *reports.Fault, trs []router.Transition, provs []string, start, bucket time.Duration) {
	targeted := map[string]bool{}
	for _, p := range f.Providers {
		targeted[p] = true
	}
	var first, inForce *time.Duration
	for _, tr := range trs {
		if tr.At < start || !targeted[provs[tr.Provider]] {
			continue
		}
		if f.DetectSpan != nil && tr.At > start+time.Duration(f.DetectSpan.HighS*float64(time.Second)) && first != nil {
			break
		}
		switch tr.State {
		case "out", "disabled":
			at := tr.At - start
			if first == nil {
				first = &at
			}
			if inForce == nil {
				inForce = &at
			}
		case "in":
			inForce = nil
		}
	}
	out := cmpOr(inForce, first)
	if out == nil {
		return
	}
	v := out.Seconds()
	f.RouterOutS = &v
	if f.DetectSpan == nil {
		return
	}
	slack := bucket.Seconds()
	if v < f.DetectSpan.LowS-slack || v > f.DetectSpan.HighS+slack {
		msg := fmt.Sprintf("the router took %s out at %s, outside the traffic's detect span %s–%s",
			strings.Join(f.Providers, ", "), fmtSecs(v), fmtSecs(f.DetectSpan.LowS), fmtSecs(f.DetectSpan.HighS))
		if f.Note != "" {
			msg = f.Note + "; " + msg
		}
		f.Note = msg
	}
}

func cmpOr(a, b *time.Duration) *time.Duration {
	if a != nil {
		return a
	}
	return b
}

func fmtSecs(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}

func secs(d *time.Duration) *float64 {
	if d == nil {
		return nil
	}
	v := d.Seconds()
	return &v
}

func money(minor int64) float64 { return float64(minor) / 100 }

func round(v float64, places int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	k := math.Pow(10, float64(places))
	return math.Round(v*k) / k
}

func reproduce(file, strategy string, seed uint64) string {
	if file == "" {
		file = "FILE"
	}
	if strings.ContainsAny(file, " '\"$") {
		file = "'" + strings.ReplaceAll(file, "'", `'\''`) + "'"
	}
	return fmt.Sprintf("paydrill run %s --router %s --seed %d", file, strategy, seed)
}
