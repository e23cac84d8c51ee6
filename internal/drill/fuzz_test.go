package drill

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// fuzzRunFor bounds each run of FuzzScenarioRun in wall time: the
// target checks that a run survives, not that it finishes.
const fuzzRunFor = 500 * time.Millisecond

// FuzzScenarioRun feeds scenario files through the whole path: parse and
// validate, then a short virtual run of whatever validate accepts. A
// refused file must say where (the file name leads every error); an
// accepted one must run without a panic and within a bounded heap
// (issue 13: files validate accepted and run could not survive). Seeds:
// the drill library, the format's bad and good test files and the
// hostile campaign's findings.
func FuzzScenarioRun(f *testing.F) {
	for _, glob := range []string{"../../scenarios/*.yaml", "../scenario/testdata/bad/*.yaml", "../scenario/testdata/good/*.yaml"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, s := range hostileScenarios {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.yaml", data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml") {
					t.Fatalf("an error without its file: %q", line)
				}
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), fuzzRunFor)
		defer cancel()
		if _, err := Run(ctx, s, Options{File: "fuzz.yaml"}); err != nil && s.Traffic.Replay == nil {
			t.Fatalf("validate accepted the file and the run failed: %v", err)
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > 1<<30 {
			t.Fatalf("heap at %d MiB after one run; want under 1 GiB", m.HeapInuse>>20)
		}
	})
}

// hostileScenarios are the scenario findings of the hostile-input
// campaign (issue 13), as fuzz seeds.
var hostileScenarios = []string{
	"name: " + strings.Repeat("[", 100_000),
	"name: x\nduration: 10m\ntraffic:\n  buyers: 99999999999999\n  arrivals: {type: poisson, rate: 1/s}\nproviders:\n  - name: alpha\n",
	"name: x\nduration: 8760h\nbucket: 1ns\ntraffic:\n  arrivals: {type: poisson, rate: 1/s}\nproviders:\n  - name: alpha\n",
	"name: x\nduration: 8760h\nbucket: 1ms\ntraffic:\n  arrivals: {type: poisson, rate: 1/s}\nproviders:\n  - name: alpha\n",
	"name: x\nduration: 10m\ntraffic:\n  arrivals: {type: poisson, rate: 1e12/s}\nproviders:\n  - name: alpha\n",
	"name: x\nduration: 10m\ntraffic:\n  arrivals: {type: poisson, rate: NaN/s}\nproviders:\n  - name: alpha\n",
	"\uFEFFname: x\nduration: 10m\ntraffic:\n  arrivals: {type: poisson, rate: 1/s}\nproviders:\n  - name: alpha\n",
	"name: x\nduration: 40m\ntraffic:\n  arrivals: {type: poisson, rate: 1/s}\nproviders:\n  - name: alpha\n  - name: beta\nfaults:\n  - {type: crash, at: 10m, for: 10m, target: {providers: [alpha]}}\n  - {type: pause, at: 12m, for: 10m, target: {providers: [alpha]}}\n",
	"name: x\nduration: 10m\ntraffic:\n  arrivals: {type: poisson, rate: 1/s}\n  catalog: {price: {max: 92233720368547758.07}}\nproviders:\n  - name: alpha\n",
	"name: x\nduration: 1m\nbucket: 1s\ntraffic:\n  arrivals: {type: spike, rate: 1/s, spikes: [{at: 10s, for: 10s, factor: 900}]}\nproviders:\n  - {name: alpha, flow: async, expiry: 1s}\nfaults:\n  - {type: outage, at: 5s, target: {providers: [alpha]}, flap: {period: 1ms, duty: 0.5}}\n",
}
