package seeds

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/reports"
)

// rows are 400 seeds' results; seeds 7 and 300 broke an invariant, so
// only they report the "invariants" expectation, last.
func wholeAndParts(t *testing.T, n int) (*reports.Seeds, []*reports.Seeds, []uint64) {
	t.Helper()
	base := []reports.SeedsExpectation{{Name: "failover_within", Fault: "f", Want: "<= 10m0s", WantValue: 600}, {Name: "lost", Want: "<= 0"}}
	inv := reports.SeedsExpectation{Name: "invariants", Want: "no violation"}
	var all []uint64
	whole := &reports.Seeds{Confidence: 0.95, Faults: []reports.SeedsFault{{Name: "f", Type: "suspend", Providers: []string{"a"}}},
		Expectations: append(append([]reports.SeedsExpectation{}, base...), inv), Scenario: reports.Scenario{Name: "x", File: "x.yaml", Router: "health", Seed: 100}}
	parts := make([]*reports.Seeds, n)
	for i := range 400 {
		seed := uint64(100 + i)
		all = append(all, seed)
		d := float64(i % 37)
		o := []string{reports.Pass, reports.Pass}
		if i%23 == 0 {
			o[0] = reports.Fail
		}
		broken := i == 7 || i == 300
		row := reports.SeedRun{Seed: seed, Verdict: reports.Pass, DetectS: []*float64{&d}, FailoverS: []*float64{nil}, Outcomes: o}
		wrow := row
		wrow.Outcomes = append(append([]string{}, o...), reports.Pass)
		if broken {
			wrow.Outcomes[2] = reports.Fail
		}
		whole.PerSeed = append(whole.PerSeed, wrow)
		k := i % n
		if parts[k] == nil {
			parts[k] = &reports.Seeds{Confidence: 0.95, Faults: whole.Faults, Expectations: append([]reports.SeedsExpectation{}, base...),
				Scenario: reports.Scenario{Name: "x", File: "x.yaml", Router: "health", Seed: seed}, Engine: reports.SeedsEngine{Jobs: 2, WallS: float64(k + 1)}}
		}
		p := parts[k]
		if broken {
			if len(p.Expectations) == len(base) {
				p.Expectations = append(p.Expectations, inv)
				for j := range p.PerSeed {
					p.PerSeed[j].Outcomes = append(p.PerSeed[j].Outcomes, reports.Pass)
				}
			}
			row.Outcomes = append(row.Outcomes, reports.Fail)
		} else if len(p.Expectations) > len(base) {
			row.Outcomes = append(row.Outcomes, reports.Pass)
		}
		p.PerSeed = append(p.PerSeed, row)
	}
	whole.Reproduce = "paydrill run x.yaml --router health --seeds 100..499"
	Summarize(whole)
	return whole, parts, all
}

func TestMergeEqualsWhole(t *testing.T) {
	for _, n := range []int{1, 3, 8} {
		whole, parts, all := wholeAndParts(t, n)
		// Any order of parts.
		rev := make([]*reports.Seeds, len(parts))
		for i, p := range parts {
			rev[len(parts)-1-i] = p
		}
		got, err := Merge(rev, all, "x.yaml")
		if err != nil {
			t.Fatalf("%d parts: %v", n, err)
		}
		if got.Engine.Jobs != 2*n || got.Engine.WallS != float64(n) {
			t.Errorf("%d parts: engine %+v, want jobs %d and the longest part's wall time %d", n, got.Engine, 2*n, n)
		}
		got.Engine = whole.Engine
		if diff := cmp.Diff(whole, got); diff != "" {
			t.Errorf("%d parts merged differ from the whole (-whole +merged):\n%s", n, diff)
		}
	}
}

func TestMergeRefuses(t *testing.T) {
	_, parts, all := wholeAndParts(t, 4)
	other := *parts[1]
	other.Confidence = 0.9
	for _, tc := range []struct {
		name  string
		parts []*reports.Seeds
		all   []uint64
		want  string
	}{
		{"a part missing", parts[:3], all, "seed 103 is in no part"},
		{"a part twice", append(parts[:4:4], parts[2]), all, "seed 102 is in two parts"},
		{"a seed outside", parts, all[:399], "seed 499 is not one of the run's seeds"},
		{"other confidence", []*reports.Seeds{parts[0], &other, parts[2], parts[3]}, all, "confidence 0.95 and 0.9"},
	} {
		_, err := Merge(tc.parts, tc.all, "x.yaml")
		if err == nil || err.Error() != tc.want && !contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
