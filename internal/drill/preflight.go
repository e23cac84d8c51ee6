package drill

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/traffic"
	"github.com/paydrill/paydrill/internal/validity"
	"github.com/paydrill/paydrill/internal/wall"
	"github.com/paydrill/paydrill/mocks"
)

// PreflightError is a wall-clock drill refused before any traffic: the
// router or a mock does not answer (the setup is wrong: exit 2), or the
// plan cannot fit this machine (Invalid: exit 5, with a time scale that
// would).
type PreflightError struct {
	Reason         string
	Invalid        bool
	SuggestedScale float64
}

func (e *PreflightError) Error() string { return "preflight: " + e.Reason }

// minWallAnswer is the least wall time an order holds a connection,
// whatever the time scale: HTTP on loopback and the work on both sides.
const minWallAnswer = 10 * time.Millisecond

// Plan is a drill's planned concurrency: orders in flight at the peak
// arrival rate, each held for the slowest answer (wall time, at least
// minWallAnswer).
type Plan struct {
	PeakRate float64       // orders per scenario second
	Slowest  time.Duration // scenario time
	InFlight float64       // orders at once, wall
}

// PlanFor works out scenario s's planned concurrency at time scale scale.
func PlanFor(s *scenario.Scenario, seed uint64, scale float64) (Plan, error) {
	src, err := traffic.NewSource(seed, s.Traffic)
	if err != nil {
		return Plan{}, fmt.Errorf("traffic: %w", err)
	}
	var p Plan
	step := max(s.Duration.D()/100000, time.Second)
	for t := time.Duration(0); t < s.Duration.D(); t += step {
		p.PeakRate = max(p.PeakRate, src.Rate(t))
	}
	for _, pr := range s.Providers {
		p.Slowest = max(p.Slowest, pr.Latency.P99.D(), pr.Latency.Median.D())
	}
	if to := s.Router.Timeout.D(); to > 0 {
		p.Slowest = min(p.Slowest, to)
	}
	p.InFlight = p.inFlight(scale)
	return p, nil
}

// inFlight is the plan's orders in flight at time scale k.
func (p Plan) inFlight(k float64) float64 {
	return p.PeakRate * k * max(p.Slowest.Seconds()/k, minWallAnswer.Seconds())
}

// checkPlan refuses a plan that needs more connections at once than this
// machine's open-file limit lets the drill open (wall.Bounds), before
// anything starts.
func checkPlan(s *scenario.Scenario, seed uint64, scale float64) error {
	limit := wall.RaiseFileLimit()
	b := wall.Bounds(limit)
	p, err := PlanFor(s, seed, scale)
	if err != nil {
		return err
	}
	if p.InFlight <= float64(b.ConnsPerHost) {
		return nil
	}
	fit := 0.0
	for k := validity.Suggest(scale, 1); k >= 1; k = validity.Suggest(k, 1) {
		if p.inFlight(k) <= float64(b.ConnsPerHost) {
			fit = k
			break
		}
	}
	advice := fmt.Sprintf("lower --time-scale to %g, or raise the limit (ulimit -n)", fit)
	if fit == 0 {
		advice = "no time scale fits: lower the traffic rate, or raise the limit (ulimit -n)"
	}
	return &PreflightError{Invalid: true, SuggestedScale: fit, Reason: fmt.Sprintf(
		"the plan needs about %.0f orders in flight at once (peak %.4g orders/s × time scale %g × slowest answer %s, at least %s of wall time each); "+
			"the open-file limit %d lets the drill open %d connections to a host: %s",
		p.InFlight, p.PeakRate, scale, p.Slowest, minWallAnswer, limit, b.ConnsPerHost, advice)}
}

// waitHealthy polls GET url+path until it answers 200, for up to wait;
// the error says what it last got.
func waitHealthy(ctx context.Context, client *http.Client, url string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		if ctx.Err() != nil || time.Now().After(deadline) {
			return last
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// preflight checks, before any traffic, that the router under test
// answers GET /healthz and that every mock provider answers.
func preflight(ctx context.Context, routerURL string, m *mocks.Mocks, routerWait time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	defer client.CloseIdleConnections()
	provs := m.Providers()
	names := make([]string, 0, len(provs))
	for n := range provs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := waitHealthy(ctx, client, provs[n]+mocks.PathLedger, time.Second); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted before any traffic: %w", ctx.Err()) // not the mock's fault: exit 3, not 2
			}
			return &PreflightError{Reason: fmt.Sprintf("mock provider %s at %s does not answer: %v", n, provs[n], err)}
		}
	}
	if err := waitHealthy(ctx, client, routerURL+"/healthz", routerWait); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted before any traffic: %w", ctx.Err())
		}
		return &PreflightError{Reason: fmt.Sprintf("the router under test at %s does not answer GET /healthz with 200 (waited %s): %v; "+
			"start it first, pointed at the mock providers (docs/sut.md)", routerURL, routerWait, err)}
	}
	return nil
}
