package drill

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/internal/validity"
	"github.com/paydrill/paydrill/internal/verdict"
	"github.com/paydrill/paydrill/internal/wall"
	"github.com/paydrill/paydrill/mocks"
	"github.com/paydrill/paydrill/reports"
)

// WallOptions are a wall-clock drill's choices beyond the scenario.
type WallOptions struct {
	File   string
	Router string // strategy of the built-in router (ignored with SUT)
	Seed   uint64
	// SUT is the router under test's base URL; empty runs the built-in
	// router as an HTTP service on loopback (paydrill run --live).
	SUT string
	// AllowRemote lets SUT point outside loopback.
	AllowRemote bool
	// Scale compresses scenario time: Scale 60 runs an hour in a minute.
	Scale float64
	// Secret signs provider notifications (random when empty).
	Secret []byte
	// MockPort, when set, puts the mock providers on loopback ports
	// MockPort, MockPort+1, ... in scenario order (for a router configured
	// before the drill starts).
	MockPort int
	// OnMocks, when set, is told the mock providers' URLs before traffic
	// starts (a router under test must be pointed at them).
	OnMocks func(map[string]string)
	// Stage, when set, starts the drill's providers and router outside
	// this process (in containers: paydrill run --container) instead of
	// the in-process mocks; RunWall closes it before it returns,
	// interrupted or not.
	Stage func(ctx context.Context) (Stage, error)
	// Container names the router's image in the report's reproduce line
	// (with Stage).
	Container string
	// MaxInFlight caps the load generator's orders in flight (0: from the
	// open-file limit); arrivals beyond it are not sent, and counted.
	MaxInFlight int
	Progress    func(sim.Progress)
	Now         func() time.Time
}

// Stage is a drill's providers and router running outside this process:
// it switches faults and reads what the providers saw (wall.Controller),
// shares the drill's clock, and maps pay pages to addresses the buyers on
// this machine reach.
type Stage interface {
	wall.Controller
	RouterURL() string
	PayURL(string) string
	SetStart(time.Time) error
	Close() error
}

// CheckSUT refuses a router address outside loopback unless allowed:
// synthetic traffic goes only to this machine unless a user says otherwise.
func CheckSUT(raw string, allowRemote bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--sut %q: want an http(s) URL like http://127.0.0.1:8080", raw)
	}
	if allowRemote {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--sut %q is not on loopback: paydrill sends synthetic traffic only to this machine unless you pass --allow-remote", raw)
}

// RunWall carries out the drill in wall-clock time over HTTP: mock
// providers on loopback, the router under test (or the built-in one), the
// open-model load generator, faults through the mocks' control switches.
// Every server it started is closed before it returns, interrupted or not.
func RunWall(ctx context.Context, s *scenario.Scenario, opt WallOptions) (*reports.Report, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	now := opt.Now
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	seed := s.Seed
	if opt.Seed != 0 {
		seed = opt.Seed
	}
	strategy := s.Router.Strategy
	if opt.Router != "" {
		strategy = opt.Router
	}
	if opt.SUT != "" {
		if err := CheckSUT(opt.SUT, opt.AllowRemote); err != nil {
			return nil, err
		}
		strategy = "sut"
	}
	if opt.Stage != nil {
		if opt.SUT != "" {
			return nil, fmt.Errorf("wall drill: a router URL (SUT) and a stage to start: give one")
		}
		strategy = "sut"
	}
	if err := checkPlan(s, seed, opt.Scale); err != nil {
		return nil, err
	}
	if opt.Stage != nil {
		return runStaged(ctx, s, opt, seed, strategy)
	}
	secret := opt.Secret
	if len(secret) == 0 {
		secret = make([]byte, 16)
		_, _ = rand.Read(secret)
	}
	// One clock for everything: the mocks, the built-in router and the
	// load generator all count scenario time from the same start.
	start := now()
	bounds := wall.Bounds(wall.RaiseFileLimit())
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Scale: opt.Scale, Secret: secret, Clock: now, Start: start, Port: opt.MockPort,
		NotifyConns: bounds.NotifyConns})
	if err != nil {
		return nil, fmt.Errorf("mock providers: %w", err)
	}
	defer m.Close()
	if opt.OnMocks != nil {
		opt.OnMocks(m.Providers())
	}
	sut := opt.SUT
	if sut == "" {
		svc, err := router.NewService(router.ServiceOptions{Scenario: s, Strategy: strategy, Seed: seed,
			Providers: m.Providers(), Secret: secret, Scale: opt.Scale, Now: now})
		if err != nil {
			return nil, err
		}
		defer svc.Close()
		srv, err := mocks.NewServer(svc.Handler())
		if err != nil {
			return nil, fmt.Errorf("router service: %w", err)
		}
		defer srv.Close()
		svc.SetNotifyBase(srv.URL())
		sut = srv.URL()
	}
	// Before any traffic: the router answers, every mock answers. A
	// router under test gets a few seconds to come up.
	if err := preflight(ctx, sut, m, map[bool]time.Duration{true: 5 * time.Second, false: time.Second}[opt.SUT != ""]); err != nil {
		return nil, err
	}
	return drive(ctx, s, opt, seed, strategy, start, wall.Config{SUT: sut, Mocks: controller{m}, OwnRouter: opt.SUT == ""})
}

// runStaged is RunWall with the providers and router on a Stage: the
// clock starts once everything answers, and the stage learns it.
func runStaged(ctx context.Context, s *scenario.Scenario, opt WallOptions, seed uint64, strategy string) (*reports.Report, error) {
	st, err := opt.Stage(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	start := opt.Now()
	if err := st.SetStart(start); err != nil {
		return nil, fmt.Errorf("drill clock: %w", err)
	}
	return drive(ctx, s, opt, seed, strategy, start, wall.Config{SUT: st.RouterURL(), Mocks: st, PayURL: st.PayURL})
}

// drive runs the load generator against cfg's router and providers, and
// builds and judges the report; start is when the drill's clock started
// (the mocks' scenario time 0).
func drive(ctx context.Context, s *scenario.Scenario, opt WallOptions, seed uint64, strategy string, start time.Time, cfg wall.Config) (*reports.Report, error) {
	cfg.Scenario, cfg.Seed, cfg.Scale, cfg.Progress, cfg.Now = s, seed, opt.Scale, opt.Progress, opt.Now
	cfg.MaxInFlight = opt.MaxInFlight
	res, err := wall.Run(ctx, cfg)
	if err != nil {
		return nil, err
	}
	wallTime := opt.Now().Sub(start)
	r := Build(s, res.Result, strategy, seed, opt.File)
	r.Engine.Mode = "wall"
	r.Engine.WallS = round(wallTime.Seconds(), 4)
	if wallTime > 0 {
		r.Engine.Speedup = round(res.Simulated.Seconds()/wallTime.Seconds(), 1)
	}
	r.Engine.TimeScale = opt.Scale
	r.Engine.NotSent = res.NotSent
	r.Engine.Requests = res.Requests
	r.Unsigned = res.Unsigned
	r.Engine.SendLagP99Ms = round(float64(res.SendLag.Quantile(0.99))/1e6, 3)
	r.Engine.WriteLagP99Ms = round(float64(res.WriteLag.Quantile(0.99))/1e6, 3)
	r.Reproduce = reproduceWall(opt.File, strategy, seed, opt)
	self := res.Self
	if wallTime > 0 {
		self.Achieved = res.Simulated.Seconds() / wallTime.Seconds()
	}
	if l, ok := cfg.Mocks.(interface{ Lags() *mocks.Lags }); ok {
		self.AnswerLagP99, self.NoticeLagP99, _, _ = l.Lags().P99()
	}
	r.Health = validity.Judge(self)
	verdict.Judge(s, r)
	if !r.Health.Valid && !r.Interrupted {
		// The drill's own trouble: its figures say nothing about the router.
		r.Verdict = "invalid"
	}
	return r, nil
}

func reproduceWall(file, strategy string, seed uint64, opt WallOptions) string {
	base := reproduce(file, strategy, seed)
	switch {
	case opt.SUT != "":
		base = reproduce(file, "health", seed)
		base = base[:len(base)-len(fmt.Sprintf(" --router health --seed %d", seed))] + fmt.Sprintf(" --seed %d --sut %s", seed, opt.SUT)
	case opt.Stage != nil:
		base = reproduce(file, "health", seed)
		base = base[:len(base)-len(fmt.Sprintf(" --router health --seed %d", seed))] + fmt.Sprintf(" --seed %d --container %s", seed, opt.Container)
		if opt.Router != "" {
			base += " --router " + opt.Router
		}
	default:
		base += " --live"
	}
	return base + fmt.Sprintf(" --time-scale %g", opt.Scale)
}

// controller reads the in-process mocks for the wall runner.
type controller struct{ m *mocks.Mocks }

func (c controller) SetFault(name string, on bool) error { return c.m.SetFault(name, on) }

func (c controller) Attempts() ([]mocks.Attempt, error) {
	var all []mocks.Attempt
	for name := range c.m.Providers() {
		all = append(all, c.m.Live(name).Attempts(0)...)
	}
	return all, nil
}

// Lags are how late the in-process mocks answered and notified.
func (c controller) Lags() *mocks.Lags { return c.m.Lags() }

func (c controller) Ledgers() (map[string]mocks.Ledger, error) {
	out := map[string]mocks.Ledger{}
	for name := range c.m.Providers() {
		out[name] = c.m.Live(name).Ledger()
	}
	return out, nil
}
