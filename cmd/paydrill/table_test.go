package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/paydrill/paydrill/internal/golden"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
)

func secs(v float64) *float64 { return &v }

func fault(name string, detect, failover *float64) reports.Fault {
	return reports.Fault{Name: name, Type: "suspend", Providers: []string{"alpha"}, DetectS: detect, FailoverS: failover}
}

func TestWorstFault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		faults []reports.Fault
		want   int
	}{
		{"none", nil, -1},
		{"one", []reports.Fault{fault("a", nil, nil)}, 0},
		{"later fail over", []reports.Fault{fault("a", secs(10), secs(20)), fault("b", secs(5), secs(30))}, 1},
		{"never is worst", []reports.Fault{fault("a", secs(10), nil), fault("b", secs(600), secs(900))}, 0},
		{"ties go to detect", []reports.Fault{fault("a", secs(10), secs(20)), fault("b", secs(15), secs(20))}, 1},
		{"equals: the first", []reports.Fault{fault("a", nil, nil), fault("b", nil, nil)}, 0},
		{"an unjudged never is not the worst", []reports.Fault{fault("off", nil, nil), fault("b", secs(5), secs(30))}, 1},
		{"unjudged only", []reports.Fault{fault("off", nil, nil), fault("off2", secs(5), secs(30))}, 0},
	} {
		judged := func(name string) bool { return name != "off" && name != "off2" }
		if got := worstFault(tc.faults, judged); got != tc.want {
			t.Errorf("worstFault(%s) = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// The run output with every kind of row: passed, failed, interrupted,
// could not run, not started.
func TestWriteRunOutput(t *testing.T) {
	t.Parallel()
	report := func(name, verdict string, interrupted bool, faults ...reports.Fault) *reports.Report {
		// Every fault's fail-over judged (failover_within on, the
		// default), but one named "off".
		var xs []reports.Expectation
		for _, f := range faults {
			if f.Name != "off" {
				pass := f.FailoverS != nil && *f.FailoverS <= 600
				outcome := map[bool]string{true: "pass", false: "fail"}[pass]
				xs = append(xs, reports.Expectation{Name: "failover_within", Fault: f.Name, Want: "<= 10m0s", WantValue: 600,
					Got: reports.SpanText(f.FailoverS, nil), GotValue: f.FailoverS, Outcome: outcome, Pass: pass})
			}
		}
		return &reports.Report{
			Expectations: xs,
			Verdict:      verdict,
			Scenario:     reports.Scenario{Name: name, File: name + ".yaml", Seed: 1, Router: "health", Currency: "USD"},
			Engine:       reports.Engine{Mode: "virtual", SimulatedS: 600, WallS: 0.0412, Speedup: 14563, Events: 1000},
			Orders:       reports.Orders{Created: 1000, Paid: 912, Failed: 80, Lost: 8, DuplicateCharges: 1, Stranded: 2, Conversion: 0.912},
			Faults:       faults,
			Interrupted:  interrupted,
			Reproduce:    "paydrill run " + name + ".yaml --router health --seed 1",
		}
	}
	sc := func(name string) *scenario.Scenario { return &scenario.Scenario{Name: name} }
	runs := []drillRun{
		{s: sc("good"), ran: true, report: report("good", "pass", false, fault("a", secs(10), secs(10)))},
		{s: sc("two-faults"), ran: true, report: report("two-faults", "fail", false, fault("a", secs(10), secs(20)), fault("b", secs(30), nil))},
		{s: sc("no-faults"), ran: true, report: report("no-faults", "pass", false)},
		{s: sc("not-judged"), ran: true, report: report("not-judged", "pass", false, fault("off", nil, nil))},
		{s: sc("cut-short"), ran: true, report: report("cut-short", "fail", true, fault("a", nil, nil))},
		{s: sc("broken"), ran: true, err: errors.New("boom")},
		{s: sc("later"), file: "later.yaml"},
	}
	for _, details := range []bool{false, true} {
		var b bytes.Buffer
		if err := writeRunOutput(&b, runs, details); err != nil {
			t.Fatal(err)
		}
		name := "run-output.txt"
		if details {
			name = "run-output-details.txt"
		}
		golden.Check(t, name, b.Bytes())
	}
}
