package reports

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/paydrill/paydrill/internal/golden"

	"github.com/google/go-cmp/cmp"
)

func ptr(v float64) *float64 { return &v }

// passingReport is a passing drill with one fault and every time reached.
func passingReport() *Report {
	return &Report{
		Verdict: "pass",
		Scenario: Scenario{
			Name: "merchant-freeze", File: "builtin:merchant-freeze", Seed: 20261127,
			Description: "The primary channel suspends the merchant for 20 minutes.",
			Router:      "health", DurationS: 3600, Currency: "USD",
		},
		Engine:  Engine{Mode: "virtual", SimulatedS: 4800, WallS: 0.21, Speedup: 22857.1, Events: 512345},
		Version: "v1.2.3 0123456789ab",
		Orders: Orders{
			Created: 72000, Paid: 65880, Failed: 5400, Abandoned: 720, Lost: 0,
			DuplicateCharges: 0, Stranded: 0, Conversion: 0.915,
			PaidAmount: 1234567.891, FailedAmount: 81000.5, Attempts: 74100, StatusQueries: 12,
			DuplicateNotifications: 3,
		},
		Latency: Latency{Count: 72000, P50Ms: 312.4, P90Ms: 1020, P99Ms: 2450.5, MaxMs: 10000},
		Providers: []Provider{
			{Name: "alpha", Attempts: 30000, Captures: 28000, ShareBefore: 0.7, ShareDuring: 0.01, Captured: 420000, Fees: 12180.25},
			{Name: "beta", Attempts: 44100, Captures: 37880, ShareBefore: 0.3, ShareDuring: 0.99, Captured: 814567.89, Fees: 26066.17},
		},
		Faults: []Fault{{
			Name: "alpha-frozen", Type: "suspend", Providers: []string{"alpha"},
			StartS: 900, EndS: 2100,
			DetectS: ptr(4.5), FailoverS: ptr(30), RecoverS: ptr(60), FailbackS: ptr(95.25),
			ExcessFailed: 12, ExcessFailedAmount: 180.4, Hits: 40, Attempts: 120,
			BaselineConversion: 0.92, BaselineShare: 0.7, ShareDuring: 0.01,
		}},
		Expectations: []Expectation{
			{Name: "failover_within", Fault: "alpha-frozen", Want: "<= 10m0s", Got: "30s", WantValue: 600, GotValue: ptr(30), Pass: true},
			{Name: "lost", Want: "<= 0", Got: "0", WantValue: 0, GotValue: ptr(0), Pass: true},
		},
		Reproduce: "paydrill run builtin:merchant-freeze --router health --seed 20261127",
	}
}

// failingReport is an interrupted, failing drill: two faults, times never
// reached, a note and a violation.
func failingReport() *Report {
	return &Report{
		Verdict: "fail",
		Scenario: Scenario{
			Name: "silent-freeze", File: "scenarios/silent-freeze.yaml", Seed: 7,
			Router: "static", DurationS: 5400, Currency: "EUR",
		},
		Engine: Engine{Mode: "virtual", SimulatedS: 1234.5, WallS: 0.05, Speedup: 24690, Events: 65536},
		Orders: Orders{
			Created: 6000, Paid: 3000, Failed: 2500, Abandoned: 400, Lost: 100,
			DuplicateCharges: 2, Stranded: 1, Conversion: 0.5,
			PaidAmount: 36000, FailedAmount: -5, Attempts: 6100,
		},
		Latency: Latency{Count: 5900, P50Ms: 450, P90Ms: 3000, P99Ms: 9999.6, MaxMs: 10000},
		Providers: []Provider{
			{Name: "gamma", Attempts: 6100, Captures: 3000, ShareBefore: 1, ShareDuring: 1, Captured: 36000, Fees: 792},
			{Name: "delta"},
		},
		Faults: []Fault{
			{
				Name: "gamma-silent", Type: "silent", Providers: []string{"gamma"},
				StartS: 600, EndS: 2400, ExcessFailed: 1500, ExcessFailedAmount: 18000,
				Hits: 1800, Attempts: 1800, BaselineConversion: 0.9, BaselineShare: 1, ShareDuring: 1,
				Note: "traffic never moved: the router did not detect the fault",
			},
			{
				Name: "notify-lag", Type: "notify_delay", Providers: []string{"gamma", "delta"},
				StartS: 3000, EndS: 3600, DetectS: ptr(12),
			},
		},
		Expectations: []Expectation{
			{Name: "failover_within", Fault: "gamma-silent", Want: "<= 10m0s", Got: "never", WantValue: 600, Pass: false},
			{Name: "lost", Want: "<= 0", Got: "100", WantValue: 0, GotValue: ptr(100), Pass: false},
			{Name: "invariants", Want: "0 violations", Got: "1 violations", GotValue: ptr(1)},
		},
		Violations:  []string{"at 10m0s: order 17 captured twice"},
		Interrupted: true,
		Reproduce:   "paydrill run scenarios/silent-freeze.yaml --router static --seed 7",
	}
}

var reportCases = []struct {
	name   string
	report func() *Report
}{
	{"pass", passingReport},
	{"fail", failingReport},
}

func TestWriteTextGolden(t *testing.T) {
	for _, tc := range reportCases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteText(&b, tc.report()); err != nil {
				t.Fatalf("WriteText: %v", err)
			}
			golden.Check(t, tc.name+".txt", b.Bytes())
		})
	}
}

func TestWriteJSONGolden(t *testing.T) {
	for _, tc := range reportCases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, tc.report()); err != nil {
				t.Fatalf("WriteJSON: %v", err)
			}
			golden.Check(t, tc.name+".json", b.Bytes())
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, tc := range reportCases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.report()
			var b bytes.Buffer
			if err := WriteJSON(&b, want); err != nil {
				t.Fatalf("WriteJSON: %v", err)
			}
			got, err := ReadJSON(&b)
			if err != nil {
				t.Fatalf("ReadJSON: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip changed the report (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadJSONRejectsGarbage(t *testing.T) {
	if _, err := ReadJSON(bytes.NewReader([]byte("{not json"))); err == nil {
		t.Error("ReadJSON({not json) returned no error")
	}
}

// A time never reached is null in JSON, not 0 and not left out.
func TestJSONNullTimes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, failingReport()); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	var doc struct {
		Faults       []map[string]json.RawMessage `json:"faults"`
		Expectations []map[string]json.RawMessage `json:"expectations"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("decoding WriteJSON output: %v", err)
	}
	raw := func(m map[string]json.RawMessage, key string) string {
		t.Helper()
		v, ok := m[key]
		if !ok {
			t.Errorf("key %q missing; a time never reached must be present as null", key)
			return ""
		}
		return string(v)
	}
	for _, key := range []string{"detect_s", "failover_s", "recover_s", "failback_s"} {
		if got := raw(doc.Faults[0], key); got != "null" {
			t.Errorf("faults[0].%s = %s, want null", key, got)
		}
	}
	if got := raw(doc.Faults[1], "detect_s"); got != "12" {
		t.Errorf("faults[1].detect_s = %s, want 12", got)
	}
	if got := raw(doc.Faults[1], "failover_s"); got != "null" {
		t.Errorf("faults[1].failover_s = %s, want null", got)
	}
	if got := raw(doc.Expectations[0], "got_value"); got != "null" {
		t.Errorf("expectations[0].got_value = %s, want null", got)
	}
}

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0.00"},
		{5, "5.00"},
		{999.99, "999.99"},
		{1000, "1,000.00"},
		{1234.5, "1,234.50"},
		{123456, "123,456.00"},
		{1234567.891, "1,234,567.89"},
		{-5, "-5.00"},
		{-1234.5, "-1,234.50"},
		{-1234567.891, "-1,234,567.89"},
	} {
		if got := amount(tc.in); got != tc.want {
			t.Errorf("amount(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
