package reports

import (
	"fmt"
	"strings"
)

// Answer is a fault's first-screen line: when routing failed over
// against the target, and the outcome of that expectation.
type Answer struct {
	Fault string
	// Text: "failed over in 10s (target ≤ 10m)", "never failed over
	// (target ≤ 10m)", or without a target (failover_within off for
	// the fault) "never failed over (not judged: failover_within off)".
	Text string
	// Outcome of the fault's failover_within expectation: "pass",
	// "fail", "inconclusive" or "invalid"; "" without one.
	Outcome string
}

// Answers gives one Answer per fault, in the report's order. It reads
// the fault's fail-over time and its failover_within expectation; it
// computes nothing.
func Answers(r *Report) []Answer {
	var out []Answer
	for _, f := range r.Faults {
		a := Answer{Fault: f.Name}
		if f.FailoverS == nil {
			a.Text = "never failed over"
		} else {
			a.Text = "failed over in " + SpanText(f.FailoverS, f.FailoverSpan)
		}
		if x, ok := FailoverTarget(r, f.Name); ok {
			a.Text += fmt.Sprintf(" (target ≤ %s)", shortDur(x.WantValue))
			a.Outcome = outcome(x)
		} else {
			a.Text += " (" + NotJudged + ")"
		}
		out = append(out, a)
	}
	return out
}

// NotJudged says why a fault's fail-over time stands beside a verdict it
// did not count in.
const NotJudged = "not judged: failover_within off"

// FailoverTarget is fault's failover_within expectation; false when the
// fault has none (failover_within off for it).
func FailoverTarget(r *Report, fault string) (Expectation, bool) {
	for _, x := range r.Expectations {
		if x.Name == "failover_within" && x.Fault == fault {
			return x, true
		}
	}
	return Expectation{}, false
}

// Reasons lists why a drill did not pass: every expectation that did not
// hold and every broken invariant, one sentence each; first, when the
// drill itself fell behind, its health.
func Reasons(r *Report) []string {
	var out []string
	if h := r.Health; h != nil && !h.Valid {
		out = append(out, "INVALID: "+h.Line())
	}
	for _, x := range r.Expectations {
		if o := outcome(x); o != Pass && o != NotApplicable {
			what := x.Name
			if x.Fault != "" {
				what += " (" + x.Fault + ")"
			}
			why := fmt.Sprintf("%s: %s: want %s, got %s", strings.ToUpper(o), what, x.Want, x.Got)
			if x.Reason != "" {
				why += " (" + x.Reason + ")"
			}
			out = append(out, why)
		}
	}
	for _, v := range r.Violations {
		out = append(out, "VIOLATION: "+v)
	}
	if r.Interrupted {
		out = append(out, "INTERRUPTED: the figures cover only what ran")
	}
	return out
}

// outcome is an expectation's outcome (reports written before outcomes
// existed read Pass).
func outcome(x Expectation) string { return strings.ToLower(x.Mark()) }

// shortDur writes seconds as a duration without trailing zero units:
// 600 → "10m", 90 → "1m30s", 3600 → "1h".
func shortDur(s float64) string {
	d := dur(s)
	if strings.HasSuffix(d, "m0s") {
		d = strings.TrimSuffix(d, "0s")
	}
	if strings.HasSuffix(d, "h0m") {
		d = strings.TrimSuffix(d, "0m")
	}
	return d
}
