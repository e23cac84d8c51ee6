package sweep

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/scenario"
)

// small is a short drill: a suspension of alpha under light traffic.
const small = `name: small
seed: 40
duration: 12m
drain: 2m
traffic:
  arrivals: {type: poisson, rate: 2/s}
providers:
  - name: alpha
  - name: beta
faults:
  - name: alpha-frozen
    type: suspend
    at: 6m
    for: 4m
    target: {providers: [alpha]}
`

func parse(t *testing.T, text string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("small.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rates(t *testing.T, texts ...string) []scenario.Rate {
	t.Helper()
	var out []scenario.Rate
	for _, x := range texts {
		r, err := scenario.ParseRate(x)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// Same inputs, same result, however many workers; the caller's scenario
// is left alone; rates come out sorted and unique.
func TestRunDeterministic(t *testing.T) {
	t.Parallel()
	s := parse(t, small)
	orig := parse(t, small)
	var calls []int
	var mu sync.Mutex
	prog := func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 8 {
			t.Errorf("progress total %d, want 8 (2 rates × 2 routers × 2 seeds)", total)
		}
		calls = append(calls, done)
	}
	a, err := Run(context.Background(), s, rates(t, "1/s", "10/min", "1/s"), []string{"health", "static"}, 2, 1, prog)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), s, rates(t, "10/min", "1/s"), []string{"health", "static"}, 2, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("jobs 1 and jobs 3 differ (-1 +3):\n%s", diff)
	}
	if diff := cmp.Diff(orig, s); diff != "" {
		t.Errorf("Run changed the caller's scenario (-before +after):\n%s", diff)
	}
	if !cmp.Equal(calls, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("progress done counts %v, want 1..8", calls)
	}
	if !cmp.Equal(a.Seeds, []uint64{40, 41}) {
		t.Errorf("seeds %v, want [40 41]", a.Seeds)
	}
	var cells []string
	for _, c := range a.Cells {
		cells = append(cells, Label(c.Rate)+" "+c.Router)
		if c.Interrupted || len(c.Detect) != 1 || len(c.Failover[0]) != 2 {
			t.Errorf("cell %s %s: interrupted %v, %d faults × %d seeds; want false, 1 × 2", Label(c.Rate), c.Router, c.Interrupted, len(c.Detect), len(c.Failover[0]))
		}
	}
	if want := []string{"10/min health", "10/min static", "1/s health", "1/s static"}; !cmp.Equal(cells, want) {
		t.Errorf("cells %q, want %q", cells, want)
	}
	if want := []Fault{{Name: "alpha-frozen", Type: "suspend", Target: 10 * time.Minute}}; !cmp.Equal(a.Faults, want) {
		t.Errorf("faults %+v, want %+v", a.Faults, want)
	}
	// The static router never moves; at 1/s health does, every seed.
	if c := a.Cells[3]; !cmp.Equal(c.Failover[0], []*time.Duration{nil, nil}) {
		t.Errorf("static at 1/s failed over at %v, want never", c.Failover[0])
	}
	if c := a.Cells[2]; Worst(c.Failover[0]) == nil {
		t.Errorf("health at 1/s: some seed never failed over (%v)", c.Failover[0])
	}
}

// The swept rate replaces the scenario's own: its base rate does not show.
func TestRunReplacesRate(t *testing.T) {
	t.Parallel()
	s := parse(t, small)
	a, err := Run(context.Background(), s, rates(t, "1/s"), []string{"health"}, 1, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), WithRate(s, 5), rates(t, "1/s"), []string{"health"}, 1, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(a, b) {
		t.Errorf("the scenario's own rate leaked into the sweep: a run at 1/s differs between base rates 2/s and 5/s")
	}
}

func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Run(ctx, parse(t, small), rates(t, "1/s"), []string{"health", "static"}, 2, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || len(r.Cells) != 2 || !r.Cells[0].Interrupted || !r.Cells[1].Interrupted {
		t.Errorf("cancelled sweep: interrupted %v, cells %+v; want every cell interrupted", r.Interrupted, r.Cells)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	ramp := strings.Replace(small, "{type: poisson, rate: 2/s}", "{type: ramp, stages: [{for: 5m, to: 2/s}]}", 1)
	noFaults := small[:strings.Index(small, "faults:")]
	for _, tc := range []struct {
		name    string
		s       string
		rates   []string
		routers []string
		seeds   int
		want    string
	}{
		{"ramp", ramp, []string{"1/s"}, []string{"health"}, 1, "ramp has no base rate"},
		{"no faults", noFaults, []string{"1/s"}, []string{"health"}, 1, "has no faults"},
		{"no rates", small, nil, []string{"health"}, 1, "no rates"},
		{"zero rate", small, []string{"0"}, []string{"health"}, 1, "rate 0/s: a swept rate must be above 0"},
		{"no routers", small, []string{"1/s"}, nil, 1, "no routers"},
		{"unknown router", small, []string{"1/s"}, []string{"health", "fastest"}, 1, `router "fastest" is not one of health, `},
		{"router twice", small, []string{"1/s"}, []string{"health", "health"}, 1, `router "health" is given twice`},
		{"no seeds", small, []string{"1/s"}, []string{"health"}, 0, "0 seeds: at least 1"},
		{"replay", small, []string{"1/s"}, []string{"health"}, 1, "replays orders.csv: its orders come at the file's times, which --rates cannot change"},
		{"rate past the ceiling", small, []string{"1e9/s"}, []string{"health"}, 1, "rate 1000000000/s: traffic.arrivals.rate: the arrivals peak at 1000000000/s; the ceiling is 1000/s"},
	} {
		s := parse(t, tc.s)
		if tc.name == "replay" {
			s.Traffic.Replay = &scenario.Replay{File: "orders.csv"}
		}
		err := Check(s, rates(t, tc.rates...), tc.routers, tc.seeds)
		if err == nil || !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Check = %v, want an ErrInput saying %q", tc.name, err, tc.want)
		}
		if _, err := Run(context.Background(), s, rates(t, tc.rates...), tc.routers, tc.seeds, 1, nil); !errors.Is(err, ErrInput) {
			t.Errorf("%s: Run = %v, want an ErrInput", tc.name, err)
		}
	}
	if err := Check(parse(t, small), rates(t, "1/s"), []string{"health"}, 1); err != nil {
		t.Errorf("Check of a good sweep: %v", err)
	}
}

func TestTarget(t *testing.T) {
	t.Parallel()
	withExpect := func(scen, fault string) *scenario.Scenario {
		text := small
		if fault != "" {
			text += "    expect: {failover_within: " + fault + "}\n"
		}
		if scen != "" {
			text += "expect: {failover_within: " + scen + "}\n"
		}
		return parse(t, text)
	}
	for _, tc := range []struct {
		scen, fault string
		want        time.Duration
	}{
		{"", "", 10 * time.Minute},
		{"5m", "", 5 * time.Minute},
		{"5m", "2m", 2 * time.Minute},
		{"", "3m", 3 * time.Minute},
		{"off", "", 10 * time.Minute},
		{"5m", "off", 10 * time.Minute},
	} {
		if got := Target(withExpect(tc.scen, tc.fault), 0); got != tc.want {
			t.Errorf("Target with expect.failover_within %q, fault's %q = %v, want %v", tc.scen, tc.fault, got, tc.want)
		}
	}
}
