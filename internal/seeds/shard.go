package seeds

import (
	"fmt"
	"slices"

	"github.com/paydrill/paydrill/reports"
)

// Merge joins the summaries of disjoint sets of seeds (shards of one
// multi-seed run, in any order) into the summary one run of every seed in
// all, in that order, would have given: the rows in the order of all,
// the expectations' keys as that run would have listed them, and
// everything else recomputed by Summarize. Only Engine differs: its jobs
// are the shards' added up, its wall time the longest shard's (shards run
// side by side). file names the scenario in the reproduce command.
//
// Merge refuses parts whose seeds are not exactly all, or whose faults
// or confidence differ.
func Merge(parts []*reports.Seeds, all []uint64, file string) (*reports.Seeds, error) {
	pos := make(map[uint64]int, len(all))
	for i, s := range all {
		pos[s] = i
	}
	type row struct {
		run  reports.SeedRun
		part int
	}
	rows := make([]*row, len(all))
	var first *reports.Seeds
	for pi, p := range parts {
		if p == nil || len(p.PerSeed) == 0 {
			continue
		}
		if first == nil {
			first = p
		} else if err := sameRun(first, p); err != nil {
			return nil, err
		}
		for _, r := range p.PerSeed {
			i, ok := pos[r.Seed]
			switch {
			case !ok:
				return nil, fmt.Errorf("seed %d is not one of the run's seeds", r.Seed)
			case rows[i] != nil:
				return nil, fmt.Errorf("seed %d is in two parts", r.Seed)
			}
			rows[i] = &row{run: r, part: pi}
		}
	}
	for i, r := range rows {
		if r == nil {
			return nil, fmt.Errorf("seed %d is in no part", all[i])
		}
	}
	// The keys in the order one run would have met them: one run lists
	// them as its seeds, in order, first report each (a key only some
	// seeds have, "invariants", comes last in theirs), so walk the parts
	// in the order of their first seed, each part's keys in its order.
	var keys []Key
	index := map[Key]int{}
	seen := make([]bool, len(parts))
	for _, r := range rows {
		if seen[r.part] {
			continue
		}
		seen[r.part] = true
		for _, e := range parts[r.part].Expectations {
			k := Key{e.Name, e.Fault, e.Want, e.WantValue}
			if _, ok := index[k]; !ok {
				index[k] = len(keys)
				keys = append(keys, k)
			}
		}
	}
	out := &reports.Seeds{
		Scenario:   parts[rows[0].part].Scenario,
		Confidence: first.Confidence,
		Faults:     make([]reports.SeedsFault, len(first.Faults)),
		PerSeed:    make([]reports.SeedRun, 0, len(rows)),
	}
	for i, f := range first.Faults {
		out.Faults[i] = reports.SeedsFault{Name: f.Name, Type: f.Type, Providers: f.Providers}
	}
	for _, k := range keys {
		out.Expectations = append(out.Expectations, reports.SeedsExpectation{Name: k.Name, Fault: k.Fault, Want: k.Want, WantValue: k.WantValue})
	}
	for _, r := range rows {
		run := r.run
		own := parts[r.part].Expectations
		run.Outcomes = make([]string, len(keys))
		for i, k := range keys {
			run.Outcomes[i] = reports.NotApplicable
			if k.Name == "invariants" {
				run.Outcomes[i] = reports.Pass
			}
		}
		for i, e := range own {
			if i < len(r.run.Outcomes) {
				run.Outcomes[index[Key{e.Name, e.Fault, e.Want, e.WantValue}]] = r.run.Outcomes[i]
			}
		}
		out.PerSeed = append(out.PerSeed, run)
	}
	out.Reproduce = reproduce(Options{Seeds: all}, reports.Scenario{File: file, Router: out.Scenario.Router})
	Summarize(out)
	var wall float64
	for _, p := range parts {
		if p == nil {
			continue
		}
		out.Engine.Jobs += p.Engine.Jobs
		wall = max(wall, p.Engine.WallS)
	}
	out.Engine.WallS = wall
	if wall > 0 {
		out.Engine.RunsPerMinute = round(float64(len(rows))/wall*60, 1)
	}
	return out, nil
}

// sameRun says how two parts differ in what every seed shares.
func sameRun(a, b *reports.Seeds) error {
	if a.Confidence != b.Confidence {
		return fmt.Errorf("parts judged at confidence %g and %g", a.Confidence, b.Confidence)
	}
	if len(a.Faults) != len(b.Faults) {
		return fmt.Errorf("parts with %d and %d faults", len(a.Faults), len(b.Faults))
	}
	for i := range a.Faults {
		x, y := a.Faults[i], b.Faults[i]
		if x.Name != y.Name || x.Type != y.Type || !slices.Equal(x.Providers, y.Providers) {
			return fmt.Errorf("parts differ in fault %d (%s, %s)", i+1, x.Name, y.Name)
		}
	}
	return nil
}
