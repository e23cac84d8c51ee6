package scenario

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// valid returns a small valid scenario to break in tests.
func valid() *Scenario {
	return &Scenario{
		Name:     "v",
		Duration: Duration(30 * time.Minute),
		Traffic:  Traffic{Arrivals: Arrivals{Type: "poisson", Rate: 10}},
		Providers: []Provider{
			{Name: "alpha", Tags: []string{"gaming"}},
			{Name: "beta", Tags: []string{"gaming", "eu"}},
			{Name: "gamma", Tags: []string{"eu"}},
		},
	}
}

func TestValidateWithoutFile(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Scenario)
		want   string
	}{
		{"valid", func(*Scenario) {}, ""},
		{"diurnal amplitude", func(s *Scenario) {
			s.Traffic.Arrivals = Arrivals{Type: "diurnal", Rate: 5, Amplitude: 1.2}
		}, "traffic.arrivals.amplitude: 1.2 is not between 0 and 1"},
		{"ramp stage length", func(s *Scenario) {
			s.Traffic.Arrivals = Arrivals{Type: "ramp", Stages: []Stage{{To: 5}}}
		}, "traffic.arrivals.stages[0].for: a stage needs a length more than 0"},
		{"flap duty", func(s *Scenario) {
			s.Faults = []Fault{{Type: "outage", At: Duration(time.Minute), Target: Target{Tag: "eu"}, Flap: &Flap{Period: Duration(time.Minute), Duty: 2}}}
		}, "faults[0].flap.duty: 2 is not between 0 and 1"},
		{"empty match", func(s *Scenario) {
			s.Faults = []Fault{{Type: "block", At: Duration(time.Minute), Target: Target{Tag: "eu"}, Match: &Match{Regions: []string{""}}}}
		}, "faults[0].match.regions[0]: cannot be empty"},
		{"weird map key", func(s *Scenario) {
			s.Traffic.Methods = map[string]float64{"apple pay": -1}
		}, `traffic.methods["apple pay"]: weight -1 is negative` + "\n" + `traffic.methods: the weights are all zero`},
		{"no providers", func(s *Scenario) { s.Providers = nil }, "providers: a scenario needs at least one provider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(s)
			got := ""
			if err := s.Validate(); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTargetIndexes(t *testing.T) {
	s := valid()
	tests := []struct {
		target Target
		want   []int
	}{
		{Target{Providers: []string{"gamma", "alpha"}}, []int{0, 2}},
		{Target{Tag: "eu"}, []int{1, 2}},
		{Target{Providers: []string{"beta", "alpha"}, Tag: "gaming"}, []int{0, 1}},
		{Target{Providers: []string{"nobody"}}, nil},
	}
	for _, tt := range tests {
		if got := s.TargetIndexes(Fault{Target: tt.target}); !cmp.Equal(got, tt.want) {
			t.Errorf("TargetIndexes(%+v) = %v, want %v", tt.target, got, tt.want)
		}
	}
}

func TestProviderIndex(t *testing.T) {
	s := valid()
	for name, want := range map[string]int{"alpha": 0, "gamma": 2, "delta": -1, "": -1} {
		if got := s.ProviderIndex(name); got != want {
			t.Errorf("ProviderIndex(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestParent(t *testing.T) {
	for in, want := range map[string]string{
		"providers[1].latency.median": "providers[1].latency",
		"providers[1]":                "providers",
		"providers":                   "",
		`traffic.methods["a.b[c]"]`:   "traffic.methods",
	} {
		if got := parent(in); got != want {
			t.Errorf("parent(%q) = %q, want %q", in, got, want)
		}
	}
}
