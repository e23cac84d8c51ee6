package verdict

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
)

func f64(v float64) *float64 { return &v }
func intp(v int) *int        { return &v }

func limit(d time.Duration) *scenario.Limit { return &scenario.Limit{D: d} }

var off = &scenario.Limit{Off: true}

// defaults is the expectation Defaults gives a scenario that sets none.
func defaults() scenario.Expect {
	return scenario.Expect{FailoverWithin: limit(10 * time.Minute), Lost: intp(0), DuplicateCharges: intp(0), Stranded: intp(0)}
}

// oneFault is a one-hour scenario with one 20-minute fault.
func oneFault(e scenario.Expect, fe *scenario.Expect) *scenario.Scenario {
	return &scenario.Scenario{
		Name: "s", Duration: scenario.Duration(time.Hour), Expect: e,
		Faults: []scenario.Fault{{Name: "f", Type: "suspend", At: scenario.Duration(15 * time.Minute),
			For: scenario.Duration(20 * time.Minute), Target: scenario.Target{Providers: []string{"alpha"}}, Expect: fe}},
	}
}

// measured is a report for oneFault with the given fault times.
func measured(detect, failover, failback *float64) *reports.Report {
	return &reports.Report{
		Scenario: reports.Scenario{Name: "s", DurationS: 3600},
		Faults: []reports.Fault{{Name: "f", Type: "suspend", Providers: []string{"alpha"}, StartS: 900, EndS: 2100,
			DetectS: detect, FailoverS: failover, FailbackS: failback, ExcessFailed: 7,
			// The whole fault (and the hour after it) could show each time.
			DetectOpenS: f64(1140), FailoverOpenS: f64(1140), FailbackOpenS: f64(1440), MinSamples: 10}},
		Orders: reports.Orders{Created: 1000, Paid: 900, Conversion: 0.9},
	}
}

func with(r *reports.Report, edit func(*reports.Report)) *reports.Report {
	edit(r)
	return r
}

func timeExp(name string, want, got float64, gotp *float64, wantS, gotS string, pass bool) reports.Expectation {
	return reports.Expectation{Name: name, Fault: "f", Want: wantS, Got: gotS, WantValue: want, GotValue: gotp, Pass: pass}
}

func countExp(name string, want int, got int64, pass bool) reports.Expectation {
	g := float64(got)
	return reports.Expectation{Name: name, Want: "<= " + strconv.Itoa(want), Got: strconv.FormatInt(got, 10), WantValue: float64(want), GotValue: &g, Pass: pass}
}

// moneySafe are the three count expectations of defaults with all zero.
func moneySafe() []reports.Expectation {
	return []reports.Expectation{countExp("lost", 0, 0, true), countExp("duplicate_charges", 0, 0, true), countExp("stranded", 0, 0, true)}
}

func TestJudge(t *testing.T) {
	fo := func(got float64, pass bool) reports.Expectation {
		return timeExp("failover_within", 600, got, f64(got), "<= 10m0s", Seconds(got), pass)
	}
	for _, tc := range []struct {
		name    string
		s       *scenario.Scenario
		r       *reports.Report
		want    []reports.Expectation
		verdict string
	}{
		{
			name:    "defaults pass",
			s:       oneFault(defaults(), nil),
			r:       measured(f64(5), f64(30), f64(60)),
			want:    append([]reports.Expectation{fo(30, true)}, moneySafe()...),
			verdict: "pass",
		},
		{
			name:    "fail over exactly at the limit passes",
			s:       oneFault(defaults(), nil),
			r:       measured(f64(5), f64(600), nil),
			want:    append([]reports.Expectation{fo(600, true)}, moneySafe()...),
			verdict: "pass",
		},
		{
			name:    "fail over a millisecond late fails",
			s:       oneFault(defaults(), nil),
			r:       measured(f64(5), f64(600.001), nil),
			want:    append([]reports.Expectation{fo(600.001, false)}, moneySafe()...),
			verdict: "fail",
		},
		{
			name: "fail over never reached is never and fails",
			s:    oneFault(defaults(), nil),
			r:    measured(nil, nil, nil),
			want: append([]reports.Expectation{
				timeExp("failover_within", 600, 0, nil, "<= 10m0s", "never", false),
			}, moneySafe()...),
			verdict: "fail",
		},
		{
			name: "counts at the limit pass, one over fails",
			s:    oneFault(scenario.Expect{Lost: intp(2), DuplicateCharges: intp(0), Stranded: intp(3)}, nil),
			r: with(measured(nil, nil, nil), func(r *reports.Report) {
				r.Orders.Lost, r.Orders.DuplicateCharges, r.Orders.Stranded = 2, 1, 3
			}),
			want:    []reports.Expectation{countExp("lost", 2, 2, true), countExp("duplicate_charges", 0, 1, false), countExp("stranded", 3, 3, true)},
			verdict: "fail",
		},
		{
			name:    "off limits are not judged",
			s:       oneFault(scenario.Expect{FailoverWithin: off, DetectWithin: off, FailbackWithin: off}, nil),
			r:       measured(nil, nil, nil),
			want:    nil,
			verdict: "pass",
		},
		{
			name: "detect and fail back judged with their limits",
			s:    oneFault(scenario.Expect{DetectWithin: limit(time.Minute), FailbackWithin: limit(5 * time.Minute)}, nil),
			r:    measured(f64(60), nil, f64(300.5)),
			want: []reports.Expectation{
				timeExp("detect_within", 60, 60, f64(60), "<= 1m0s", "1m0s", true),
				timeExp("failback_within", 300, 300.5, f64(300.5), "<= 5m0s", "5m0.5s", false),
			},
			verdict: "fail",
		},
		{
			name: "fail back never reached fails",
			s:    oneFault(scenario.Expect{FailbackWithin: limit(5 * time.Minute)}, nil),
			r:    measured(f64(5), f64(30), nil),
			want: []reports.Expectation{
				timeExp("failback_within", 300, 0, nil, "<= 5m0s", "never", false),
			},
			verdict: "fail",
		},
		{
			name: "fail back not judged when the fault lasts to the end",
			s:    oneFault(scenario.Expect{FailbackWithin: limit(5 * time.Minute)}, nil),
			r: with(measured(f64(5), f64(30), nil), func(r *reports.Report) {
				r.Faults[0].EndS = 3600
			}),
			want:    nil,
			verdict: "pass",
		},
		{
			name: "fault's own expect overrides the scenario's",
			s: oneFault(
				scenario.Expect{FailoverWithin: limit(10 * time.Minute), DetectWithin: limit(time.Minute), MaxExcessFailed: intp(100)},
				&scenario.Expect{FailoverWithin: limit(time.Minute), DetectWithin: off, MaxExcessFailed: intp(5)}),
			r: measured(f64(90), f64(120), nil),
			want: []reports.Expectation{
				timeExp("failover_within", 60, 120, f64(120), "<= 1m0s", "2m0s", false),
				{Name: "max_excess_failed", Fault: "f", Want: "<= 5", Got: "7", WantValue: 5, GotValue: f64(7), Pass: false},
			},
			verdict: "fail",
		},
		{
			name: "fault's own expect keeps what it leaves unset",
			s: oneFault(
				scenario.Expect{FailoverWithin: limit(10 * time.Minute), DetectWithin: limit(time.Minute), FailbackWithin: limit(5 * time.Minute)},
				&scenario.Expect{FailoverWithin: off}),
			r: measured(f64(30), nil, f64(120)),
			want: []reports.Expectation{
				timeExp("detect_within", 60, 30, f64(30), "<= 1m0s", "30s", true),
				timeExp("failback_within", 300, 120, f64(120), "<= 5m0s", "2m0s", true),
			},
			verdict: "pass",
		},
		{
			name: "max_excess_failed at the limit passes",
			s:    oneFault(scenario.Expect{MaxExcessFailed: intp(7)}, nil),
			r:    measured(nil, nil, nil),
			want: []reports.Expectation{
				{Name: "max_excess_failed", Fault: "f", Want: "<= 7", Got: "7", WantValue: 7, GotValue: f64(7), Pass: true},
			},
			verdict: "pass",
		},
		{
			name: "max_excess_failed of 0 is judged",
			s:    oneFault(scenario.Expect{MaxExcessFailed: intp(0)}, nil),
			r:    measured(nil, nil, nil),
			want: []reports.Expectation{
				{Name: "max_excess_failed", Fault: "f", Want: "<= 0", Got: "7", WantValue: 0, GotValue: f64(7), Pass: false},
			},
			verdict: "fail",
		},
		{
			name: "min_conversion at the limit passes",
			s:    oneFault(scenario.Expect{MinConversion: f64(0.9)}, nil),
			r:    measured(nil, nil, nil),
			want: []reports.Expectation{
				{Name: "min_conversion", Want: ">= 0.9", Got: "0.9000", WantValue: 0.9, GotValue: f64(0.9), Pass: true},
			},
			verdict: "pass",
		},
		{
			name: "min_conversion under the limit fails",
			s:    oneFault(scenario.Expect{MinConversion: f64(0.95)}, nil),
			r:    measured(nil, nil, nil),
			want: []reports.Expectation{
				{Name: "min_conversion", Want: ">= 0.95", Got: "0.9000", WantValue: 0.95, GotValue: f64(0.9), Pass: false},
			},
			verdict: "fail",
		},
		{
			name: "violations add a failing invariants expectation",
			s:    oneFault(scenario.Expect{}, nil),
			r: with(measured(nil, nil, nil), func(r *reports.Report) {
				r.Violations = []string{"at 1s: a", "at 2s: b"}
			}),
			want: []reports.Expectation{
				{Name: "invariants", Want: "no violation", Got: "2 broken", WantValue: 0, GotValue: f64(2), Pass: false},
			},
			verdict: "fail",
		},
		{
			name: "interrupted forces fail",
			s:    oneFault(defaults(), nil),
			r: with(measured(f64(5), f64(30), f64(60)), func(r *reports.Report) {
				r.Interrupted = true
			}),
			want:    append([]reports.Expectation{fo(30, true)}, moneySafe()...),
			verdict: "fail",
		},
		{
			name: "faults the report lacks are skipped",
			s: &scenario.Scenario{Name: "s", Duration: scenario.Duration(time.Hour), Expect: defaults(),
				Faults: []scenario.Fault{{Name: "a"}, {Name: "b"}}},
			r:       with(measured(f64(5), f64(30), nil), func(r *reports.Report) { r.Faults[0].Name = "a" }),
			want:    append([]reports.Expectation{{Name: "failover_within", Fault: "a", Want: "<= 10m0s", Got: "30s", WantValue: 600, GotValue: f64(30), Pass: true}}, moneySafe()...),
			verdict: "pass",
		},
		{
			name:    "no expectations pass",
			s:       &scenario.Scenario{Name: "s", Duration: scenario.Duration(time.Hour)},
			r:       &reports.Report{Scenario: reports.Scenario{DurationS: 3600}},
			want:    nil,
			verdict: "pass",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A stale verdict and expectations must be replaced, not kept.
			tc.r.Verdict = "stale"
			tc.r.Expectations = []reports.Expectation{{Name: "stale"}}
			Judge(tc.s, tc.r)
			if diff := cmp.Diff(tc.want, tc.r.Expectations, cmpopts.IgnoreFields(reports.Expectation{}, "Outcome", "Reason")); diff != "" {
				t.Errorf("Judge(%s): expectations (-want +got):\n%s", tc.name, diff)
			}
			if tc.r.Verdict != tc.verdict {
				t.Errorf("Judge(%s): verdict %q, want %q", tc.name, tc.r.Verdict, tc.verdict)
			}
			if got, want := tc.r.Passed(), tc.verdict == "pass"; got != want {
				t.Errorf("Judge(%s): Passed() = %v, want %v", tc.name, got, want)
			}
			for _, e := range tc.r.Expectations {
				if e.Pass != (e.Outcome == reports.Pass || e.Outcome == reports.NotApplicable) {
					t.Errorf("Judge(%s): %s has Pass %v but outcome %q", tc.name, e.Name, e.Pass, e.Outcome)
				}
			}
		})
	}
}

func TestSeconds(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0s"},
		{4.5, "4.5s"},
		{90, "1m30s"},
		{600, "10m0s"},
		{0.0004, "0s"},
		{3600.25, "1h0m0.25s"},
	} {
		if got := Seconds(tc.in); got != tc.want {
			t.Errorf("Seconds(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// min_conversion writes got with the report's four decimals, so a
// conversion just under the limit never reads as equal to it.
func TestMinConversionGotKeepsPrecision(t *testing.T) {
	s := oneFault(scenario.Expect{MinConversion: f64(0.9)}, nil)
	r := with(measured(nil, nil, nil), func(r *reports.Report) { r.Orders.Conversion = 0.8996 })
	Judge(s, r)
	e := r.Expectations[0]
	if !e.Pass && e.Got == e.Want[len(">= "):] {
		t.Errorf("min_conversion failed but reads want %q got %q", e.Want, e.Got)
	}
}

// TestJudgeInconclusive: the third outcome, where the traffic cannot
// decide, and "not applicable" where there is nothing to judge.
func TestJudgeInconclusive(t *testing.T) {
	s := oneFault(defaults(), nil)
	s.Expect.FailbackWithin = limit(5 * time.Minute)
	for _, tc := range []struct {
		name    string
		edit    func(f *reports.Fault)
		exp     string // the expectation looked at
		outcome string
		reason  string // a substring of the reason
		verdict string
	}{
		{"span within the limit passes", func(f *reports.Fault) {
			f.FailoverS, f.FailoverSpan = f64(550), &reports.Span{LowS: 520, HighS: 580, Orders: 9}
		}, "failover_within", reports.Pass, "", "pass"},
		{"span across the limit", func(f *reports.Fault) {
			f.FailoverS, f.FailoverSpan = f64(590), &reports.Span{LowS: 570, HighS: 630, Orders: 11}
		}, "failover_within", reports.Inconclusive, "between 9m30s and 10m30s (11 orders in)", "inconclusive"},
		{"span past the limit fails", func(f *reports.Fault) {
			f.FailoverS, f.FailoverSpan = f64(650), &reports.Span{LowS: 610, HighS: 690, Orders: 12}
		}, "failover_within", reports.Fail, "", "fail"},
		{"never, the traffic could show it by the limit", func(f *reports.Fault) {
			f.FailoverS, f.FailoverOpenS = nil, f64(900)
		}, "failover_within", reports.Fail, "", "fail"},
		{"never, the traffic went too thin before the limit", func(f *reports.Fault) {
			f.FailoverS, f.FailoverOpenS = nil, f64(300)
		}, "failover_within", reports.Inconclusive, "not seen by 5m0s", "inconclusive"},
		{"never, no window could be judged", func(f *reports.Fault) {
			f.FailoverS, f.FailoverOpenS, f.Attempts = nil, nil, 3
		}, "failover_within", reports.Inconclusive, "3 matching attempts", "inconclusive"},
		{"never, no window and no baseline: the measurement's note", func(f *reports.Fault) {
			f.FailoverS, f.FailoverOpenS, f.BaselineOrders, f.Note = nil, nil, 0, "no order matched the fault before it began"
		}, "failover_within", reports.Inconclusive, "no order matched the fault before it began", "inconclusive"},
		{"never, no window, a baseline: the attempts, not the note", func(f *reports.Fault) {
			f.FailoverS, f.FailoverOpenS, f.BaselineOrders, f.Note, f.Attempts = nil, nil, 50, "a note", 4
		}, "failover_within", reports.Inconclusive, "4 matching attempts", "inconclusive"},
		{"fail back when nothing moved is not applicable", func(f *reports.Fault) {
			f.DetectS, f.FailbackS = nil, nil
		}, "failback_within", reports.NotApplicable, "never moved away", "pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := measured(f64(5), f64(30), f64(60))
			tc.edit(&r.Faults[0])
			Judge(s, r)
			var got *reports.Expectation
			for i := range r.Expectations {
				if r.Expectations[i].Name == tc.exp {
					got = &r.Expectations[i]
				}
			}
			if got == nil {
				t.Fatalf("no %s among %+v", tc.exp, r.Expectations)
			}
			if got.Outcome != tc.outcome || !strings.Contains(got.Reason, tc.reason) {
				t.Errorf("%s: outcome %q reason %q, want %q with %q", tc.exp, got.Outcome, got.Reason, tc.outcome, tc.reason)
			}
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %q, want %q", r.Verdict, tc.verdict)
			}
		})
	}
}
