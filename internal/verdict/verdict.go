// Package verdict judges a drill's measurements against the scenario's
// expectations. It reads figures; it never measures and never renders.
package verdict

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
)

// Judge fills r.Expectations and r.Verdict from the scenario's
// expectations (each fault's own expect overriding the scenario's).
func Judge(s *scenario.Scenario, r *reports.Report) {
	var out []reports.Expectation
	// Fail-back is judged when the fault ended while traffic still ran (up
	// to where an interrupted run stopped).
	trafficEnd := r.Scenario.DurationS
	if r.Interrupted {
		trafficEnd = min(trafficEnd, r.Engine.SimulatedS)
	}
	for i, f := range s.Faults {
		if i >= len(r.Faults) {
			break
		}
		m := r.Faults[i]
		e := merge(s.Expect, f.Expect)
		out = appendTime(out, "failover_within", "fail over", &m, e.FailoverWithin, m.FailoverS, m.FailoverSpan, m.FailoverOpenS)
		out = appendTime(out, "detect_within", "detection", &m, e.DetectWithin, m.DetectS, m.DetectSpan, m.DetectOpenS)
		if m.EndS < trafficEnd {
			if m.DetectS == nil && e.FailbackWithin != nil && !e.FailbackWithin.Off {
				out = append(out, reports.Expectation{
					Name: "failback_within", Fault: m.Name, Want: "<= " + Seconds(e.FailbackWithin.D.Seconds()), Got: "-",
					WantValue: e.FailbackWithin.D.Seconds(), Pass: true, Outcome: reports.NotApplicable,
					Reason: "traffic never moved away from " + strings.Join(m.Providers, ", ") + ", so nothing had to come back",
				})
			} else {
				out = appendTime(out, "failback_within", "fail back", &m, e.FailbackWithin, m.FailbackS, m.FailbackSpan, m.FailbackOpenS)
			}
		}
		if e.MaxExcessFailed != nil {
			got := float64(m.ExcessFailed)
			out = append(out, reports.Expectation{
				Name: "max_excess_failed", Fault: m.Name,
				Want: "<= " + strconv.Itoa(*e.MaxExcessFailed), Got: strconv.FormatInt(m.ExcessFailed, 10),
				WantValue: float64(*e.MaxExcessFailed), GotValue: &got,
			}.Judged(m.ExcessFailed <= int64(*e.MaxExcessFailed)))
		}
	}
	o := r.Orders
	out = appendCount(out, "lost", s.Expect.Lost, o.Lost)
	out = appendCount(out, "duplicate_charges", s.Expect.DuplicateCharges, o.DuplicateCharges)
	out = appendCount(out, "stranded", s.Expect.Stranded, o.Stranded)
	out = appendCount(out, "duplicate_deliveries", s.Expect.DuplicateDeliveries, o.DuplicateDeliveries)
	if s.Expect.MinConversion != nil {
		got := o.Conversion
		out = append(out, reports.Expectation{
			Name: "min_conversion", Want: fmt.Sprintf(">= %.4g", *s.Expect.MinConversion),
			Got: fmt.Sprintf("%.4f", got), WantValue: *s.Expect.MinConversion, GotValue: &got,
		}.Judged(got >= *s.Expect.MinConversion))
	}
	if len(r.Violations) > 0 {
		got := float64(len(r.Violations))
		out = append(out, reports.Expectation{
			Name: "invariants", Want: "no violation", Got: fmt.Sprintf("%d broken", len(r.Violations)),
			GotValue: &got,
		}.Judged(false))
	}
	r.Expectations = out
	r.Verdict = Of(out, r.Interrupted)
}

// Of is a drill's verdict from its expectations: fail when one failed (or
// the run was interrupted), else inconclusive when one could not be
// decided, else pass.
func Of(es []reports.Expectation, interrupted bool) string {
	v := reports.Pass
	for _, e := range es {
		switch e.Outcome {
		case reports.Fail:
			return reports.Fail
		case reports.Inconclusive:
			v = reports.Inconclusive
		}
	}
	if interrupted {
		return reports.Fail
	}
	return v
}

// merge lays a fault's own expectations over the scenario's.
func merge(base scenario.Expect, over *scenario.Expect) scenario.Expect {
	if over == nil {
		return base
	}
	e := base
	if over.FailoverWithin != nil {
		e.FailoverWithin = over.FailoverWithin
	}
	if over.DetectWithin != nil {
		e.DetectWithin = over.DetectWithin
	}
	if over.FailbackWithin != nil {
		e.FailbackWithin = over.FailbackWithin
	}
	if over.MaxExcessFailed != nil {
		e.MaxExcessFailed = over.MaxExcessFailed
	}
	return e
}

// appendTime judges a time expectation of fault f against the figure got,
// its span (the change happened after Low and by High) and open (for a
// time never reached: from when on the traffic could no longer show it).
// PASS needs the whole span within the limit and FAIL the whole span past
// it; a span across the limit, or a limit the traffic could not see, is
// inconclusive, with the reason.
func appendTime(out []reports.Expectation, name, what string, f *reports.Fault, want *scenario.Limit,
	got *float64, sp *reports.Span, open *float64) []reports.Expectation {
	if want == nil || want.Off {
		return out
	}
	w := want.D.Seconds()
	e := reports.Expectation{
		Name: name, Fault: f.Name, Want: "<= " + Seconds(w), Got: "never",
		WantValue: w, GotValue: got,
	}
	switch {
	case got != nil && sp != nil && sp.HighS-sp.LowS > 0.0005:
		e.Got = reports.SpanText(got, sp)
		switch {
		case sp.HighS <= w:
			e = e.Judged(true)
		case sp.LowS > w:
			e = e.Judged(false)
		default:
			e.Outcome = reports.Inconclusive
			e.Reason = fmt.Sprintf("%s happened between %s and %s (%d orders in), and the %s limit lies between them: the orders were too sparse to tell",
				what, Seconds(sp.LowS), Seconds(sp.HighS), sp.Orders, Seconds(w))
		}
	case got != nil:
		e.Got = Seconds(*got)
		e = e.Judged(*got <= w)
	case open != nil && w <= *open:
		// Windows starting by the limit were judged and none showed it.
		e = e.Judged(false)
	case open != nil:
		e.Outcome = reports.Inconclusive
		e.Reason = fmt.Sprintf("%s was not seen by %s; after that the traffic left in the fault could not fill a window of %d samples, so a %s between %s and %s could not be seen",
			what, Seconds(*open), f.MinSamples, what, Seconds(*open), Seconds(w))
	default:
		e.Outcome = reports.Inconclusive
		e.Reason = unjudgeable(f, what)
	}
	return append(out, e)
}

// unjudgeable says why no window of a fault could be judged.
func unjudgeable(f *reports.Fault, what string) string {
	if f.BaselineOrders == 0 && f.Note != "" {
		return f.Note
	}
	return fmt.Sprintf("%d matching attempts reached the providers during the fault (%s); judging %s needs a window of %d inside it",
		f.Attempts, strings.Join(f.Providers, ", "), what, f.MinSamples)
}

func appendCount(out []reports.Expectation, name string, want *int, got int64) []reports.Expectation {
	if want == nil {
		return out
	}
	g := float64(got)
	return append(out, reports.Expectation{
		Name: name, Want: "<= " + strconv.Itoa(*want), Got: strconv.FormatInt(got, 10),
		WantValue: float64(*want), GotValue: &g,
	}.Judged(got <= int64(*want)))
}

// Seconds writes a number of seconds as a Go duration ("1m30s").
func Seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}
