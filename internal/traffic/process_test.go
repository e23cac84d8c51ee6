package traffic

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/paydrill/paydrill/internal/scenario"
)

func dur(s string) scenario.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return scenario.Duration(d)
}

func TestProcessRate(t *testing.T) {
	ramp := scenario.Arrivals{Type: "ramp", Stages: []scenario.Stage{
		{For: dur("10s"), To: 100},
		{For: dur("20s"), To: 100},
		{For: dur("10s"), To: 0},
		{For: 0, To: 30}, // a jump
	}}
	spike := scenario.Arrivals{Type: "spike", Rate: 10, Spikes: []scenario.Spike{
		{At: dur("60s"), For: dur("30s"), Rate: 100},
		{At: dur("120s"), For: dur("60s"), Factor: 3},
		{At: dur("150s"), For: dur("10s")}, // neither rate nor factor: no traffic
	}}
	diurnal := scenario.Arrivals{Type: "diurnal", Rate: 100, Amplitude: 0.5, Period: dur("24h"), Peak: dur("18h")}
	tests := []struct {
		name string
		a    scenario.Arrivals
		at   []string
		want []float64
	}{
		{"constant", scenario.Arrivals{Type: "constant", Rate: 20},
			[]string{"0s", "1ns", "1h", "1000h"}, []float64{20, 20, 20, 20}},
		{"poisson", scenario.Arrivals{Type: "poisson", Rate: 1.0 / 3600},
			[]string{"0s", "90m"}, []float64{1.0 / 3600, 1.0 / 3600}},
		{"poisson zero", scenario.Arrivals{Type: "poisson"},
			[]string{"0s", "1h"}, []float64{0, 0}},
		{"diurnal", diurnal,
			[]string{"18h", "6h", "30h", "42h", "0s", "12h", "24h"},
			[]float64{150, 50, 50, 150, 100, 100, 100}},
		{"diurnal full amplitude", scenario.Arrivals{Type: "diurnal", Rate: 2, Amplitude: 1, Period: dur("1h")},
			[]string{"0s", "30m", "15m", "1h"}, []float64{4, 0, 2, 4}},
		{"ramp", ramp,
			[]string{"0s", "2500ms", "10s", "25s", "30s", "35s", "39s", "40s", "1h"},
			[]float64{0, 25, 100, 100, 100, 50, 10, 30, 30}},
		{"ramp from zero stays at last rate", scenario.Arrivals{Type: "ramp", Stages: []scenario.Stage{{For: dur("1m"), To: 60}}},
			[]string{"0s", "30s", "1m", "10m"}, []float64{0, 30, 60, 60}},
		{"spike", spike,
			[]string{"0s", "59999ms", "60s", "89s", "90s", "120s", "149s", "150s", "159s", "160s", "179s", "180s"},
			[]float64{10, 10, 100, 100, 10, 30, 30, 0, 0, 30, 30, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewProcess(tt.a)
			if err != nil {
				t.Fatalf("NewProcess: %v", err)
			}
			var got []float64
			for _, s := range tt.at {
				got = append(got, p.Rate(dur(s).D()))
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Rate at %v (-want +got):\n%s", tt.at, diff)
			}
		})
	}
}

func TestProcessRateExactAtBreakpoints(t *testing.T) {
	// Piecewise rates must hit their values exactly, not approximately.
	p, err := NewProcess(scenario.Arrivals{Type: "ramp", Stages: []scenario.Stage{{For: dur("10s"), To: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   string
		want float64
	}{{"2500ms", 25}, {"5s", 50}, {"10s", 100}} {
		if got := p.Rate(dur(c.at).D()); got != c.want {
			t.Errorf("ramp Rate(%s) = %v, want exactly %v", c.at, got, c.want)
		}
	}
}

func TestNewProcessErrors(t *testing.T) {
	tests := []struct {
		name string
		a    scenario.Arrivals
		want string
	}{
		{"missing type", scenario.Arrivals{}, "type is missing"},
		{"unknown type", scenario.Arrivals{Type: "burst"}, `unknown type "burst"`},
		{"negative rate", scenario.Arrivals{Type: "poisson", Rate: -1}, "rate -1"},
		{"ramp without stages", scenario.Arrivals{Type: "ramp"}, "no stages"},
		{"ramp negative to", scenario.Arrivals{Type: "ramp", Stages: []scenario.Stage{{For: dur("1s"), To: -2}}}, "stages[0].to"},
		{"diurnal without period", scenario.Arrivals{Type: "diurnal", Rate: 1}, "period"},
		{"diurnal amplitude", scenario.Arrivals{Type: "diurnal", Rate: 1, Amplitude: 1.5, Period: dur("1h")}, "amplitude 1.5"},
		{"spike negative factor", scenario.Arrivals{Type: "spike", Rate: 1, Spikes: []scenario.Spike{{At: 0, For: dur("1s"), Factor: -1}}}, "spikes[0].factor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewProcess(tt.a)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewProcess(%+v) error = %v, want one containing %q", tt.a, err, tt.want)
			}
		})
	}
	_, err := NewArrivals(scenario.Arrivals{Type: "ramp", Process: "bursty", Stages: []scenario.Stage{{For: dur("1s"), To: 1}}}, nil)
	if err == nil || !strings.Contains(err.Error(), `unknown process "bursty"`) {
		t.Errorf("NewArrivals with process bursty: error = %v, want unknown process", err)
	}
}
