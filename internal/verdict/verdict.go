// Package verdict judges a drill's measurements against the scenario's
// expectations. It reads figures; it never measures and never renders.
package verdict

import (
	"fmt"
	"strconv"
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
		out = appendTime(out, "failover_within", m.Name, e.FailoverWithin, m.FailoverS)
		out = appendTime(out, "detect_within", m.Name, e.DetectWithin, m.DetectS)
		if m.EndS < trafficEnd {
			out = appendTime(out, "failback_within", m.Name, e.FailbackWithin, m.FailbackS)
		}
		if e.MaxExcessFailed != nil {
			got := float64(m.ExcessFailed)
			out = append(out, reports.Expectation{
				Name: "max_excess_failed", Fault: m.Name,
				Want: "<= " + strconv.Itoa(*e.MaxExcessFailed), Got: strconv.FormatInt(m.ExcessFailed, 10),
				WantValue: float64(*e.MaxExcessFailed), GotValue: &got,
				Pass: m.ExcessFailed <= int64(*e.MaxExcessFailed),
			})
		}
	}
	o := r.Orders
	out = appendCount(out, "lost", s.Expect.Lost, o.Lost)
	out = appendCount(out, "duplicate_charges", s.Expect.DuplicateCharges, o.DuplicateCharges)
	out = appendCount(out, "stranded", s.Expect.Stranded, o.Stranded)
	if s.Expect.MinConversion != nil {
		got := o.Conversion
		out = append(out, reports.Expectation{
			Name: "min_conversion", Want: fmt.Sprintf(">= %.4g", *s.Expect.MinConversion),
			Got: fmt.Sprintf("%.4f", got), WantValue: *s.Expect.MinConversion, GotValue: &got,
			Pass: got >= *s.Expect.MinConversion,
		})
	}
	if len(r.Violations) > 0 {
		got := float64(len(r.Violations))
		out = append(out, reports.Expectation{
			Name: "invariants", Want: "no violation", Got: fmt.Sprintf("%d broken", len(r.Violations)),
			GotValue: &got,
		})
	}
	r.Expectations = out
	r.Verdict = "pass"
	for _, e := range out {
		if !e.Pass {
			r.Verdict = "fail"
		}
	}
	if r.Interrupted {
		r.Verdict = "fail"
	}
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

func appendTime(out []reports.Expectation, name, fault string, want *scenario.Limit, got *float64) []reports.Expectation {
	if want == nil || want.Off {
		return out
	}
	e := reports.Expectation{
		Name: name, Fault: fault, Want: "<= " + Seconds(want.D.Seconds()), Got: "never",
		WantValue: want.D.Seconds(), GotValue: got,
	}
	if got != nil {
		e.Got = Seconds(*got)
		e.Pass = *got <= want.D.Seconds()
	}
	return append(out, e)
}

func appendCount(out []reports.Expectation, name string, want *int, got int64) []reports.Expectation {
	if want == nil {
		return out
	}
	g := float64(got)
	return append(out, reports.Expectation{
		Name: name, Want: "<= " + strconv.Itoa(*want), Got: strconv.FormatInt(got, 10),
		WantValue: float64(*want), GotValue: &g, Pass: got <= int64(*want),
	})
}

// Seconds writes a number of seconds as a Go duration ("1m30s").
func Seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}
