package drill

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
)

func load(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load("../../scenarios/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, s *scenario.Scenario, router string, seed uint64) *reports.Report {
	t.Helper()
	r, err := Run(context.Background(), s, Options{File: "scenarios/" + s.Name + ".yaml", Router: router, Seed: seed})
	if err != nil {
		t.Fatalf("run %s with %s: %v", s.Name, router, err)
	}
	return r
}

// TestVerdicts checks the verdicts the drills exist to give: the default
// router passes, and each broken router fails for the reason it is broken.
func TestVerdicts(t *testing.T) {
	tests := []struct {
		scenario, router string
		pass             bool
		check            func(t *testing.T, r *reports.Report)
	}{
		{"merchant-freeze", "health", true, func(t *testing.T, r *reports.Report) {
			if f := r.Faults[0].FailoverS; f == nil || *f > 60 {
				t.Errorf("fail over = %v, want well under ten minutes (<= 60s)", fmtp(f))
			}
		}},
		{"merchant-freeze", "static", false, func(t *testing.T, r *reports.Report) {
			if f := r.Faults[0].FailoverS; f != nil {
				t.Errorf("static router failed over at %vs, want never", *f)
			}
		}},
		{"merchant-freeze", "priority", false, func(t *testing.T, r *reports.Report) {
			// A cascade saves the orders but keeps hitting the frozen channel.
			if f := r.Faults[0]; f.FailoverS != nil || f.RecoverS == nil {
				t.Errorf("priority: fail over %v, recover %v; want never, and a recovery", fmtp(f.FailoverS), fmtp(f.RecoverS))
			}
		}},
		{"timeout-storm", "health", true, func(t *testing.T, r *reports.Report) {
			if r.Orders.DuplicateCharges != 0 || r.Orders.Stranded != 0 {
				t.Errorf("health: %d duplicate charges, %d stranded; want 0", r.Orders.DuplicateCharges, r.Orders.Stranded)
			}
		}},
		{"timeout-storm", "retry-blind", false, func(t *testing.T, r *reports.Report) {
			if r.Orders.DuplicateCharges == 0 {
				t.Error("retry-blind: 0 duplicate charges, want > 0")
			}
		}},
		{"timeout-storm", "static", false, func(t *testing.T, r *reports.Report) {
			if r.Orders.Stranded == 0 {
				t.Error("static gives up on timeouts: 0 stranded payments, want > 0")
			}
		}},
		{"silent-freeze", "health", true, nil},
		{"silent-freeze", "priority", false, func(t *testing.T, r *reports.Report) {
			if f := r.Faults[0].DetectS; f != nil {
				t.Errorf("priority detected a silent freeze at %vs, want never", *f)
			}
		}},
		{"silent-freeze", "static", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.scenario+"/"+tt.router, func(t *testing.T) {
			s := load(t, tt.scenario)
			r := run(t, s, tt.router, 0)
			if r.Passed() != tt.pass {
				t.Errorf("verdict %s, want pass=%v; expectations:\n%s", r.Verdict, tt.pass, expectations(r))
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// TestSameSeedSameReport: a seeded run is reproducible byte for byte
// outside the engine's wall-clock figures, and another seed differs.
func TestSameSeedSameReport(t *testing.T) {
	s := load(t, "silent-freeze")
	a, b := run(t, s, "health", 3), run(t, s, "health", 3)
	c := run(t, s, "health", 4)
	ignore := cmpopts.IgnoreFields(reports.Report{}, "Engine")
	if d := cmp.Diff(a, b, ignore); d != "" {
		t.Errorf("two runs of seed 3 differ (-a +b):\n%s", d)
	}
	if a.Engine.Events != b.Engine.Events || a.Engine.SimulatedS != b.Engine.SimulatedS {
		t.Errorf("two runs of seed 3: events %d vs %d, simulated %v vs %v", a.Engine.Events, b.Engine.Events, a.Engine.SimulatedS, c.Engine.SimulatedS)
	}
	if cmp.Equal(a.Orders, c.Orders) {
		t.Error("seeds 3 and 4 gave identical orders")
	}
}

// TestConservationProperty runs random scenarios under every router and
// checks what must hold whatever the router does: every order ends in
// exactly one outcome, and no invariant breaks. Routers that query before
// any retry (health, priority) never charge twice; health, which also
// reconciles open payments, never strands one nor loses an order.
func TestConservationProperty(t *testing.T) {
	n := 40
	if testing.Short() {
		n = 10
	}
	for i := range n {
		src := randomScenario(rand.New(rand.NewPCG(uint64(i), 99)))
		s, err := scenario.Parse(fmt.Sprintf("random-%d.yaml", i), []byte(src))
		if err != nil {
			t.Fatalf("random scenario %d does not parse: %v\n%s", i, err, src)
		}
		for _, router := range []string{"health", "priority", "static", "retry-blind"} {
			r := run(t, s, router, uint64(i)+1)
			o := r.Orders
			if ended := o.Paid + o.Failed + o.Abandoned + o.Lost; ended != o.Created {
				t.Errorf("scenario %d, %s: %d created, %d ended\n%s", i, router, o.Created, ended, src)
			}
			if len(r.Violations) > 0 {
				t.Errorf("scenario %d, %s: violations %v\n%s", i, router, r.Violations, src)
			}
			if (router == "health" || router == "priority") && o.DuplicateCharges > 0 {
				t.Errorf("scenario %d, %s: %d duplicate charges, want 0\n%s", i, router, o.DuplicateCharges, src)
			}
			if router == "health" && (o.Stranded > 0 || o.Lost > 0) {
				t.Errorf("scenario %d, health: %d stranded, %d lost, want 0\n%s", i, o.Stranded, o.Lost, src)
			}
		}
	}
}

// randomScenario writes a small random drill: 1-5 providers of either
// flow, and 1-3 faults of any type.
func randomScenario(r *rand.Rand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: random\nduration: 12m\ntraffic:\n  arrivals: {type: poisson, rate: %d/s}\n  buyers: 500\n  methods: {card: 0.6, alipay: 0.4}\nproviders:\n", 2+r.IntN(8))
	np := 1 + r.IntN(5)
	for p := range np {
		flow := []string{"sync", "async"}[r.IntN(2)]
		fmt.Fprintf(&b, "  - {name: p%d, tags: [t%d], flow: %s, decline_rate: %.2f, latency: {median: %dms, p99: %dms}",
			p, p%2, flow, r.Float64()*0.1, 100+r.IntN(500), 1000+r.IntN(4000))
		if flow == "async" {
			fmt.Fprintf(&b, ", notify: {delay: {median: 2s, p99: 20s}, loss: %.2f, duplicate: %.2f}", r.Float64()*0.1, r.Float64()*0.1)
		}
		b.WriteString("}\n")
	}
	b.WriteString("faults:\n")
	types := []string{"suspend", "block", "silent", "notify_blackout", "notify_delay", "notify_duplicate",
		"decline_spike", "latency", "outage", "rate_limit", "capacity"}
	for f := range 1 + r.IntN(3) {
		typ := types[r.IntN(len(types))]
		fmt.Fprintf(&b, "  - {type: %s, at: %dm, for: %dm, target: {providers: [p%d]}", typ, 2+r.IntN(4), 1+r.IntN(5), r.IntN(np))
		switch typ {
		case "block":
			b.WriteString(", match: {amount: {min: 10}}")
		case "decline_spike":
			fmt.Fprintf(&b, ", rate: %.2f", 0.1+r.Float64()*0.9)
		case "latency":
			fmt.Fprintf(&b, ", add: %ds", 1+r.IntN(15))
		case "notify_delay":
			fmt.Fprintf(&b, ", add: %dm", 1+r.IntN(10))
		case "rate_limit":
			b.WriteString(", limit: 1/s")
		case "capacity":
			b.WriteString(", max: 2")
		}
		if r.IntN(4) == 0 {
			b.WriteString(", flap: {period: 1m}")
		}
		_ = f
		b.WriteString("}\n")
	}
	return b.String()
}

func fmtp(f *float64) string {
	if f == nil {
		return "never"
	}
	return fmt.Sprintf("%gs", *f)
}

func expectations(r *reports.Report) string {
	var b strings.Builder
	for _, e := range r.Expectations {
		fmt.Fprintf(&b, "  %s %s: want %s got %s pass=%v\n", e.Name, e.Fault, e.Want, e.Got, e.Pass)
	}
	return b.String()
}

func TestCheckSUT(t *testing.T) {
	tests := []struct {
		url    string
		remote bool
		ok     bool
	}{
		{"http://127.0.0.1:8080", false, true},
		{"http://127.1.2.3:80/base", false, true},
		{"http://localhost:8080", false, true},
		{"http://[::1]:8080", false, true},
		{"https://10.0.0.5", false, false},
		{"http://192.168.1.2:8080", false, false},
		{"http://router.internal:8080", false, false},
		{"http://router.internal:8080", true, true},
		{"router:8080", true, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if err := CheckSUT(tt.url, tt.remote); (err == nil) != tt.ok {
			t.Errorf("CheckSUT(%q, allowRemote %v) = %v, want ok %v", tt.url, tt.remote, err, tt.ok)
		}
	}
}
