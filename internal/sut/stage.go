package sut

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tcnetwork "github.com/testcontainers/testcontainers-go/network"

	"github.com/paydrill/paydrill/internal/edge"
	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// Ports inside the drill's containers.
const (
	mockPort     = 8080 // each mock provider
	edgeAPIPort  = 8474 // the edge's API (Toxiproxy's port)
	edgeBasePort = 8100 // the edge serves provider i on edgeBasePort+i
)

// StageOptions say what a container drill starts.
type StageOptions struct {
	Scenario *scenario.Scenario // validated, defaults applied
	// File names the scenario for the paydrill containers: a host file
	// (copied in) or builtin:NAME.
	File string
	// Image is the paydrill image the mocks and the edge run (default
	// DefaultImage); Build, when set, builds it first from that directory.
	Image string
	Build string
	// Router is the router under test. The stage sets its Network,
	// Providers, Secret and Scale, and its RunID.
	Router Options
	Scale  float64
	Secret []byte
	RunID  string
	Log    io.Writer
}

// Stage is a container drill's world on a private network: one mock
// provider container per provider (alias mock-NAME), the edge in front of
// them (aliases: the providers' names), and the router under test (alias
// router), all labelled with the run id. It switches the scenario's faults
// (the container ones with Docker and Toxiproxy, the others through the
// mocks' control API) and reads what the mocks and the edge saw.
type Stage struct {
	s       *scenario.Scenario
	runID   string
	cli     *testcontainers.DockerClient
	net     *testcontainers.DockerNetwork
	router  *Router
	edge    *testcontainers.DockerContainer
	edgeAPI *edge.Client
	http    *http.Client
	scale   float64

	mu    sync.Mutex
	mocks map[string]*mockBox
	epoch time.Time
	// switched is each fault's switch per provider ("fault@provider"),
	// so that switching it to the state it is in does nothing.
	switched map[string]bool
	saved    []mocks.Attempt         // logs of mocks that crashed
	ledger   map[string]mocks.Ledger // ledgers of mocks that crashed
}

// mockBox is one mock provider's container and where the host reaches it.
type mockBox struct {
	c   *testcontainers.DockerContainer
	url string // on loopback; changes when the container restarts
}

// mockAlias is a provider's mock on the drill's network.
func mockAlias(provider string) string { return "mock-" + provider }

// StartStage creates the network and starts the mocks, the edge and the
// router, waiting for each to answer. On error it removes what it started.
func StartStage(ctx context.Context, opt StageOptions) (st *Stage, err error) {
	configure()
	if opt.Image == "" {
		opt.Image = DefaultImage
	}
	if opt.RunID == "" {
		opt.RunID = newRunID()
	}
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	s := opt.Scenario
	for _, p := range s.Providers {
		if p.Name == RouterAlias || strings.HasPrefix(p.Name, "mock-") {
			return nil, fmt.Errorf("provider %q: the names router and mock-* are the drill network's own", p.Name)
		}
	}
	// Every image first: a missing one fails before anything starts.
	for _, im := range []struct{ image, build string }{{opt.Image, opt.Build}, {opt.Router.Image, opt.Router.Build}} {
		if im.build == "" && im.image != "" {
			if err := present(ctx, im.image); err != nil {
				return nil, err
			}
		}
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	st = &Stage{s: s, runID: opt.RunID, cli: cli, http: &http.Client{Timeout: 10 * time.Second}, scale: opt.Scale,
		mocks: map[string]*mockBox{}, ledger: map[string]mocks.Ledger{},
		switched: map[string]bool{}}
	defer func() {
		if err != nil {
			err = errors.Join(err, st.Close())
			st = nil
		}
	}()
	labels := map[string]string{Label: opt.RunID, LabelPID: strconv.Itoa(os.Getpid())}
	st.net, err = newDrillNetwork(ctx, labels)
	if err != nil {
		return st, fmt.Errorf("drill network: %w", err)
	}
	scen, files, err := scenarioFile(opt.File)
	if err != nil {
		return st, err
	}
	env := map[string]string{"PAYDRILL_SECRET": string(opt.Secret)}
	scale := strconv.FormatFloat(opt.Scale, 'g', -1, 64)
	build := opt.Build
	port := strconv.Itoa(mockPort) + "/tcp"
	var routes []string
	providers := map[string]string{}
	for i, p := range s.Providers {
		alias := mockAlias(p.Name)
		c, err := start(ctx, spec{image: opt.Image, build: build, files: files, env: env,
			cmd: []string{"mock", scen, "--provider", p.Name, "--host", "0.0.0.0", "--port", strconv.Itoa(mockPort),
				"--advertise", fmt.Sprintf("%s=http://%s:%d", p.Name, alias, mockPort), "--time-scale", scale},
			network: st.net.Name, aliases: []string{alias}, port: port, health: mocks.PathFaults,
			runID: opt.RunID, log: opt.Log})
		build = "" // built once
		if err != nil {
			return st, fmt.Errorf("mock %s: %w", p.Name, err)
		}
		box := &mockBox{c: c}
		st.mocks[p.Name] = box
		if box.url, err = endpoint(ctx, c, port); err != nil {
			return st, err
		}
		listen := edgeBasePort + i
		routes = append(routes, "--route", fmt.Sprintf("%s=0.0.0.0:%d=http://%s:%d", p.Name, listen, alias, mockPort))
		providers[p.Name] = fmt.Sprintf("http://%s:%d", p.Name, listen)
	}
	aliases := make([]string, len(s.Providers))
	for i, p := range s.Providers {
		aliases[i] = p.Name
	}
	edgePort := strconv.Itoa(edgeAPIPort) + "/tcp"
	st.edge, err = start(ctx, spec{image: opt.Image, build: build,
		cmd:     append([]string{"edge", "--api", "0.0.0.0:" + strconv.Itoa(edgeAPIPort), "--time-scale", scale}, routes...),
		network: st.net.Name, aliases: aliases, port: edgePort, health: "/version", runID: opt.RunID, log: opt.Log})
	if err != nil {
		return st, fmt.Errorf("edge: %w", err)
	}
	u, err := endpoint(ctx, st.edge, edgePort)
	if err != nil {
		return st, err
	}
	st.edgeAPI = edge.NewClient(u)
	// The router resolves the providers' names from /etc/hosts, not the
	// network's DNS, which falls behind at a few hundred dials a second
	// (a hung provider makes a dial of every call). The names stay
	// aliases on the network for routers that ignore /etc/hosts.
	ip, err := st.edge.ContainerIP(ctx)
	if err != nil {
		return st, fmt.Errorf("edge address: %w", err)
	}
	hosts := map[string]string{}
	for _, p := range s.Providers {
		hosts[p.Name] = ip
	}
	ro := opt.Router
	ro.Network, ro.Providers, ro.Secret, ro.RunID, ro.Hosts = st.net.Name, providers, opt.Secret, opt.RunID, hosts
	if ro.Scale == 0 {
		ro.Scale = opt.Scale
	}
	if ro.Scenario == "" {
		ro.Scenario = opt.File
	}
	if ro.Log == nil {
		ro.Log = opt.Log
	}
	if st.router, err = StartRouter(ctx, ro); err != nil {
		return st, err
	}
	return st, nil
}

// newDrillNetwork creates the drill network with labels. An interrupt
// does not cut the create short: the engine carries out a create whose
// request it has received whether the client still waits or not, and a
// network it finishes after the cleanup has listed the run's leftovers is
// left behind (the 20-moment interrupt campaign of 2026-12-02: SIGTERM
// 1.3 s in, "create network: context canceled", one network left). So the
// create runs to its end (at most a minute) and the network is returned
// for Close to remove, with ctx's error when the interrupt came meanwhile.
func newDrillNetwork(ctx context.Context, labels map[string]string) (*testcontainers.DockerNetwork, error) {
	nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	n, err := tcnetwork.New(nctx, tcnetwork.WithLabels(labels))
	if err != nil {
		return nil, err
	}
	return n, ctx.Err()
}

// RouterURL is the router under test's base URL on loopback.
func (st *Stage) RouterURL() string { return st.router.URL }

// Router is the router under test.
func (st *Stage) Router() *Router { return st.router }

// Network is the drill network's name.
func (st *Stage) Network() string { return st.net.Name }

// SetStart tells the mocks and the edge when scenario time 0 is, so that
// every log is on the drill's clock.
func (st *Stage) SetStart(t time.Time) error {
	st.mu.Lock()
	st.epoch = t
	urls := st.mockURLs()
	st.mu.Unlock()
	var errs []error
	for _, u := range urls {
		errs = append(errs, mocks.PostClock(st.http, u, t))
	}
	errs = append(errs, st.edgeAPI.SetStart(t))
	return errors.Join(errs...)
}

func (st *Stage) mockURLs() map[string]string {
	out := map[string]string{}
	for name, b := range st.mocks {
		out[name] = b.url
	}
	return out
}

// PayURL turns a pay page's URL, which names a mock by its alias on the
// drill's network, into one the buyers on the host reach.
func (st *Stage) PayURL(u string) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	for name, b := range st.mocks {
		prefix := fmt.Sprintf("http://%s:%d", mockAlias(name), mockPort)
		if rest, ok := strings.CutPrefix(u, prefix); ok {
			return b.url + rest
		}
	}
	return u
}

// Attempts joins what the edge saw with what the mocks logged (joinAttempts).
func (st *Stage) Attempts() ([]mocks.Attempt, error) {
	seen, err := st.edgeAPI.Attempts(0)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	urls := st.mockURLs()
	logged := append([]mocks.Attempt(nil), st.saved...)
	st.mu.Unlock()
	var errs []error
	for name, u := range urls {
		var a []mocks.Attempt
		if err := st.get(u+mocks.PathAttempts, &a); err != nil {
			errs = append(errs, fmt.Errorf("mock %s: %w", name, err))
			continue
		}
		logged = append(logged, a...)
	}
	return joinAttempts(st.s, seen, logged), errors.Join(errs...)
}

// Ledgers reads what each mock captured, with what crashed mocks had.
func (st *Stage) Ledgers() (map[string]mocks.Ledger, error) {
	st.mu.Lock()
	urls := st.mockURLs()
	out := map[string]mocks.Ledger{}
	for k, v := range st.ledger {
		out[k] = v
	}
	st.mu.Unlock()
	var errs []error
	for name, u := range urls {
		var v mocks.LedgerView
		if err := st.get(u+mocks.PathLedger, &v); err != nil {
			errs = append(errs, fmt.Errorf("mock %s: %w", name, err))
			continue
		}
		out[name] = addLedger(out[name], v)
	}
	return out, errors.Join(errs...)
}

func addLedger(l mocks.Ledger, v mocks.LedgerView) mocks.Ledger {
	l.Creates += v.Creates
	l.Captures += v.Captures
	l.Amount += payment.Money(v.Amount)
	l.Fees += payment.Money(v.Fees)
	l.LimitDeclines += v.LimitDeclines
	l.DailyCap = payment.Money(v.DailyCap)
	l.DailyPeak = max(l.DailyPeak, payment.Money(v.DailyPeak))
	l.Reviews = append(l.Reviews, v.Reviews...)
	return l
}

func (st *Stage) get(url string, v any) error {
	resp, err := st.http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Close removes the router, the edge, the mocks and the network, paused
// or not. It is safe to call more than once.
func (st *Stage) Close() error {
	if st == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	if st.router != nil {
		errs = append(errs, st.router.Close())
		st.router = nil
	}
	st.mu.Lock()
	boxes := st.mocks
	st.mocks = map[string]*mockBox{}
	st.mu.Unlock()
	for _, b := range boxes {
		// A paused container cannot be stopped: unpause it first (an
		// error only says it was not paused).
		_, _ = st.cli.ContainerUnpause(ctx, b.c.GetContainerID(), client.ContainerUnpauseOptions{})
		errs = append(errs, terminate(b.c))
	}
	if st.edge != nil {
		errs = append(errs, terminate(st.edge))
		st.edge = nil
	}
	if st.net != nil {
		if err := st.net.Remove(ctx); err != nil {
			errs = append(errs, fmt.Errorf("drill network %s: %w", st.net.Name, err))
		}
		st.net = nil
	}
	if st.cli != nil {
		// Whatever a start cut short (Ctrl-C in the middle of creating a
		// container) still carries the run's label.
		errs = append(errs, removeRun(ctx, st.cli, st.runID))
		st.cli.Close()
		st.cli = nil
	}
	return errors.Join(errs...)
}

func terminate(c *testcontainers.DockerContainer) error {
	if err := testcontainers.TerminateContainer(c); err != nil {
		return fmt.Errorf("container %.12s: %w", c.GetContainerID(), err)
	}
	return nil
}

// endpointSettings puts a container back on the drill's network under alias.
func endpointSettings(alias string) *network.EndpointSettings {
	return &network.EndpointSettings{Aliases: []string{alias}}
}
