//go:build !race

package sut_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/drilltest"
	"github.com/paydrill/paydrill/reports"
)

// exitInvalid is paydrill's exit code for a run that fell behind itself.
const exitInvalid = 5

// ownRouter names its router under test in router.container: an image not
// named paydrill (so its own command runs), listening on another port with
// another health path, told a provider through its own flag, expanded from
// the environment paydrill sets.
const ownRouter = `name: own-router
seed: 3
duration: 12m
drain: 3m
traffic:
  arrivals: {type: poisson, rate: 3/s}
  methods: {card: 1}
providers:
  - {name: alpha, flow: sync, decline_rate: 0.05}
  - {name: beta, flow: sync, decline_rate: 0.05}
router:
  timeout: 10s
  container:
    image: paydrill-own:test
    port: 9000
    health: /healthz
    cmd: [router, /scenario.yaml, --listen, "0.0.0.0:${PORT}", --time-scale, "${PAYDRILL_TIME_SCALE}", --provider, "alpha=${UPSTREAM_A}"]
    env: {UPSTREAM_A: "${PAYDRILL_PROVIDER_ALPHA}"}
faults:
  - {name: alpha-crash, type: crash, at: 4m, for: 4m, target: {providers: [alpha]}}
expect:
  failover_within: 10m
`

// TestScenarioRouterContainer: `paydrill run FILE` with router.container
// and no flag drills that image in containers, and the run's report says
// the router under test failed over.
func TestScenarioRouterContainer(t *testing.T) {
	requireContainers(t)
	bin := paydrillCLI(t)
	if out, err := exec.Command("docker", "tag", testImage, "paydrill-own:test").CombinedOutput(); err != nil {
		t.Fatalf("docker tag: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "rmi", "paydrill-own:test").Run() })
	dir := t.TempDir()
	file := filepath.Join(dir, "own.yaml")
	if err := os.WriteFile(file, []byte(ownRouter), 0o644); err != nil {
		t.Fatal(err)
	}
	// Judged by the run's own validity: on a busy machine it is run again
	// at the time scale its report suggests, and skipped if still invalid.
	r := drilltest.Valid(t, 60, func(scale float64) []*reports.Report {
		report := filepath.Join(dir, "own.json")
		cmd := exec.Command(bin, "run", file, "--paydrill-image", testImage,
			"--time-scale", strconv.FormatFloat(scale, 'g', -1, 64), "-q", "--json", report)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == exitInvalid) {
			t.Fatalf("paydrill run: %v\n%s", err, out)
		}
		assertNoLeftovers(t)
		b, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		var r reports.Report
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		return []*reports.Report{&r}
	})[0]
	f := r.Faults[0]
	if r.Scenario.Router != "sut" || f.FailoverS == nil || f.Hits == 0 || !strings.Contains(r.Reproduce, "--container paydrill-own:test") {
		t.Errorf("router %q, fail over %v, hits %d, reproduce %q; want sut failing over, hits counted, --container paydrill-own:test",
			r.Scenario.Router, f.FailoverS, f.Hits, r.Reproduce)
	}
}
