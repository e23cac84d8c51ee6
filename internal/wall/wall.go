// Package wall runs a drill in wall-clock time against a router over HTTP:
// an open-model load generator sends the scenario's orders at their
// arrival times, never waiting for answers; simulated buyers open pay
// pages and pay or walk away; faults are switched on the mock providers
// on the timeline; and what happened is recorded into the same series the
// virtual engine fills, so the same measurements, verdict and report
// follow.
//
// Time can be compressed: with Scale K, a scenario minute takes a minute
// divided by K, and every figure is reported back in scenario time.
package wall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/internal/traffic"
	"github.com/paydrill/paydrill/internal/validity"
	"github.com/paydrill/paydrill/mocks"
)

// Controller switches faults on the mock providers and reads what they saw.
type Controller interface {
	SetFault(name string, on bool) error
	Attempts() ([]mocks.Attempt, error)
	Ledgers() (map[string]mocks.Ledger, error)
}

// Config is one wall-clock drill.
type Config struct {
	Scenario *scenario.Scenario // validated, defaults applied
	Seed     uint64
	SUT      string // the router under test's base URL
	Mocks    Controller
	Scale    float64 // scenario time per wall time (>= 1 compresses)
	// MaxInFlight caps orders in flight; an arrival beyond it is not
	// sent and is counted (never silently dropped). 0: from the open-file
	// limit (Bounds).
	MaxInFlight int
	// Client sends the orders and the buyers' payments. Nil: one whose
	// connections per host are capped (Bounds), so that a drill that
	// falls behind queues (and says so in its write lag) instead of
	// running out of descriptors.
	Client *http.Client
	// OwnRouter: the router runs in this process (--live), so every error
	// reaching it is the drill's own trouble, not the router's.
	OwnRouter bool
	// PayURL, when set, maps a pay page's URL to one the buyers reach
	// (mocks in containers link to their network aliases).
	PayURL   func(string) string
	Progress func(sim.Progress)
	Now      func() time.Time // nil = time.Now
}

// Result adds what only a wall-clock run has to the engine's result.
type Result struct {
	*sim.Result
	NotSent int64 // arrivals that could not be sent (too many in flight)
	// Unsigned: the router says it took notifications unsigned (GET /v1/stats).
	Unsigned bool
	// Requests is every HTTP request the load generator made: orders and
	// pay pages while it ran, then one GET per order (how it ended) and
	// the router's stats. CPU per request is read against it.
	Requests int64
	// SendLag is the generator's send-time error: how late it released
	// each request against its intended time (wall).
	SendLag *measure.Latency
	// WriteLag is how late each request was written to the connection
	// against its intended time (wall): send-time error plus the time to
	// get a connection and write, which depends on the target too.
	WriteLag *measure.Latency
	// Self is what the drill measured of itself (validity): the load
	// generator's and the process's part; the caller adds the mocks'.
	Self validity.Measures
}

type order struct {
	o          payment.Order
	id         string
	answered   bool
	latency    time.Duration // checkout latency, scenario time
	status     string        // from the router: pending, paid, failed; "" = no answer
	buyerWants bool
	buyerFail  bool
	notSent    bool
	refused    bool // the router answered with an error status: the shop knows it failed
}

// Run carries out the drill. It stops early, with Interrupted set and what
// was measured so far, when ctx is cancelled.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	s := cfg.Scenario
	if cfg.Scale <= 0 {
		cfg.Scale = 1
	}
	b := Bounds(RaiseFileLimit())
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = b.InFlight
	}
	ownClient := cfg.Client == nil
	if ownClient {
		cfg.Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: b.ConnsPerHost,
			MaxConnsPerHost: b.ConnsPerHost, IdleConnTimeout: 30 * time.Second}}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	src, err := traffic.NewSource(cfg.Seed, s.Traffic)
	if err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	models := make(map[string]*mocks.Provider, len(s.Providers))
	for i, p := range s.Providers {
		models[p.Name] = mocks.New(s, i)
	}
	post, err := newOrderPost(cfg.SUT, s.Traffic)
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, ownClient: ownClient, s: s, models: models, orderPost: post, population: src.Buyer, work: make(chan *order), buyers: seed.Stream(cfg.Seed, "buyers"),
		latency: measure.NewLatency(), lag: measure.NewLatency(), writeLag: measure.NewLatency()}
	r.start = cfg.Now()
	res := r.run(ctx, src)
	return res, nil
}

type runner struct {
	cfg       Config
	ownClient bool // cfg.Client is Run's own: no proxy, plain connections
	s         *scenario.Scenario
	models    map[string]*mocks.Provider
	orderPost *orderPost
	// population gives the order's buyer (read-only once the source is
	// built, so safe from every checkout).
	population func(int32) *traffic.Buyer
	buyers     *rand.Rand
	start      time.Time
	mu         sync.Mutex // guards orders, latency, buyers, faultErrs
	orders     []*order
	latency    *measure.Latency
	lag        *measure.Latency // touched only by the dispatch loop
	writeLag   *measure.Latency
	wg         sync.WaitGroup // workers
	work       chan *order    // unbuffered: a send succeeds only to an idle worker
	flight     atomic.Int64
	faultErrs  []string
	notSent    atomic.Int64
	requests   atomic.Int64 // HTTP requests made (orders, payments)
	connErrs   atomic.Int64 // of them, failed on the drill's side
	asked      atomic.Int64 // after the run: GETs of how orders ended, the router's stats
}

// at is the wall moment of scenario time t.
func (r *runner) at(t time.Duration) time.Time {
	return r.start.Add(time.Duration(float64(t) / r.cfg.Scale))
}

// scenarioNow is scenario time elapsed.
func (r *runner) scenarioNow() time.Duration {
	return time.Duration(float64(r.cfg.Now().Sub(r.start)) * r.cfg.Scale)
}

// sleepUntil waits for wall moment w; false when ctx ended first.
func sleepUntil(ctx context.Context, w time.Time) bool {
	return waitUntil(ctx, nil, w)
}

// preciseBefore is how long before its moment the dispatch loop stops
// trusting a Go timer and sleeps in the kernel instead: Go timers can
// wake up to a millisecond late (the poller's timeout is in milliseconds
// on many kernels), which would be the send-time error of every request,
// while a nanosleep wakes within tens of microseconds without burning a
// core as a spin would.
const preciseBefore = 2 * time.Millisecond

// waitUntil waits for wall moment w on timer t (nil: a new one, and no
// spinning), so the dispatch loop reuses one timer for every arrival.
func waitUntil(ctx context.Context, t *time.Timer, w time.Time) bool {
	d := time.Until(w)
	if d <= 0 {
		return ctx.Err() == nil
	}
	precise := t != nil
	if precise {
		d -= preciseBefore
	}
	if d > 0 {
		if t == nil {
			t = time.NewTimer(d)
			defer t.Stop()
		} else {
			t.Reset(d)
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return false
		}
	}
	if precise {
		// The rest in the kernel: a nanosleep wakes within the thread's
		// timer slack (50 µs by default on Linux) and burns nothing. A
		// yield loop over the last 0.1 ms used to follow; at 3,000
		// orders/s it spent a third of a core, for a send-time error
		// already inside the budget of 1 ms.
		preciseSleep(time.Until(w))
	}
	return ctx.Err() == nil
}

func (r *runner) run(ctx context.Context, src *traffic.Source) *Result {
	end, stop := r.s.Duration.D(), r.s.Duration.D()+r.s.Drain.D()
	interrupted := false
	watch := startWatch(250 * time.Millisecond)

	// Faults on the timeline, on their own goroutine.
	faultCtx, stopFaults := context.WithCancel(ctx)
	var fwg sync.WaitGroup
	fwg.Add(1)
	go func() {
		defer fwg.Done()
		r.faults(faultCtx, end)
	}()

	// Open-model arrivals: each order leaves at its intended time, unless
	// the drill is more than giveUp behind.
	var o payment.Order
	var n int64
	giveUp := max(5*time.Second, time.Duration(float64(20*r.s.Bucket.D())/r.cfg.Scale))
	stoppedAt, behind := time.Duration(-1), time.Duration(0)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for src.Next(&o) && o.Created < end {
		intended := r.at(o.Created)
		if !waitUntil(ctx, timer, intended) {
			interrupted = true
			break
		}
		late := max(0, r.cfg.Now().Sub(intended))
		r.lag.Record(late)
		if late > giveUp {
			// Hopelessly behind: the run is invalid already, and sending
			// the backlog would only make the user wait. The rest of the
			// arrivals count as not sent.
			stoppedAt, behind = o.Created, late
			for n, _ = n+1, r.notSent.Add(1); src.Next(&o) && o.Created < end; n++ {
				r.notSent.Add(1)
			}
			break
		}
		od := &order{o: o, id: "ord-" + strconv.FormatUint(o.ID, 10)}
		r.mu.Lock()
		r.orders = append(r.orders, od)
		r.mu.Unlock()
		n++
		if r.flight.Load() >= int64(r.cfg.MaxInFlight) {
			od.notSent = true
			r.notSent.Add(1)
			continue
		}
		r.flight.Add(1)
		r.dispatch(ctx, od)
		if r.cfg.Progress != nil && n%256 == 0 {
			r.cfg.Progress(sim.Progress{Simulated: o.Created, Total: stop, Orders: n})
		}
	}
	close(r.work) // idle workers leave; busy ones after their order
	// Drain: buyers finish, pay pages expire, notifications arrive.
	if !interrupted && stoppedAt < 0 && !sleepUntil(ctx, r.at(stop)) {
		interrupted = true
	}
	stopFaults()
	fwg.Wait()
	// Whatever happened, the providers end healthy: every fault off.
	for _, f := range r.s.Faults {
		r.switchFault(f.Name, false)
	}
	r.wg.Wait()
	simulated := min(r.scenarioNow(), stop)
	if r.cfg.Progress != nil {
		r.cfg.Progress(sim.Progress{Simulated: simulated, Total: stop, Orders: n})
	}
	res := r.collect(simulated, interrupted)
	peak, limit, sched := watch.finish()
	res.Self = validity.Measures{Scale: r.cfg.Scale, Bucket: r.s.Bucket.D(), Arrivals: n, NotSent: r.notSent.Load(),
		SendLagP99: r.lag.Quantile(0.99), WriteLagP99: r.writeLag.Quantile(0.99),
		Requests: r.requests.Load(), ConnErrors: r.connErrs.Load(), AnswerLagP99: -1, NoticeLagP99: -1,
		OpenFilesPeak: peak, OpenFilesLimit: limit, SchedLatencyP99: sched, StoppedAt: stoppedAt, Behind: behind}
	return res
}

// failed counts a request that failed; it is the drill's own trouble
// when this machine ran out of something, or when the router is the
// drill's own (in this process).
func (r *runner) failed(ctx context.Context, err error, toRouter bool) {
	if ctx.Err() != nil {
		return // interrupted: not a failure of anyone's
	}
	if ownResourceError(err) || toRouter && r.cfg.OwnRouter {
		r.connErrs.Add(1)
	}
}

// faults switches every scenario fault on and off at its moments (flapping included).
func (r *runner) faults(ctx context.Context, end time.Duration) {
	type edge struct {
		at   time.Duration
		name string
		on   bool
	}
	var edges []edge
	for _, f := range r.s.Faults {
		to := end
		if f.For > 0 {
			to = min(end, f.At.D()+f.For.D())
		}
		if f.Flap != nil && f.Flap.Period > 0 {
			duty := f.Flap.Duty
			if duty <= 0 {
				duty = 0.5
			}
			p := f.Flap.Period.D()
			for t := f.At.D(); t < to; t += p {
				edges = append(edges, edge{t, f.Name, true}, edge{min(to, t+time.Duration(float64(p)*duty)), f.Name, false})
			}
			continue
		}
		edges = append(edges, edge{f.At.D(), f.Name, true}, edge{to, f.Name, false})
	}
	sort.SliceStable(edges, func(i, j int) bool { return edges[i].at < edges[j].at })
	for _, e := range edges {
		if !sleepUntil(ctx, r.at(e.at)) {
			return
		}
		r.switchFault(e.name, e.on)
	}
}

// switchFault switches a fault on the providers; a switch that fails (a
// container that would not pause) is kept for the report: the drill did
// not run the scenario it claims to.
func (r *runner) switchFault(name string, on bool) {
	if err := r.cfg.Mocks.SetFault(name, on); err != nil {
		state := map[bool]string{true: "on", false: "off"}[on]
		r.mu.Lock()
		r.faultErrs = append(r.faultErrs, fmt.Sprintf("fault %s could not be switched %s at %s: %v",
			name, state, r.scenarioNow().Round(time.Second), err))
		r.mu.Unlock()
	}
}

// dispatch hands the order to an idle worker, or to a new one when all
// are busy: the open model never waits for a worker. Workers outlive
// their orders, so the goroutines (and the stacks net/http grows in
// them) are made once per concurrent order, not once per order.
func (r *runner) dispatch(ctx context.Context, od *order) {
	select {
	case r.work <- od:
	default:
		r.wg.Add(1)
		go r.worker(ctx, od)
	}
}

// worker checks out orders until the dispatch loop closes r.work.
func (r *runner) worker(ctx context.Context, od *order) {
	defer r.wg.Done()
	for ok := true; ok; od, ok = <-r.work {
		r.checkout(ctx, od)
	}
}

// checkout posts one order to the router and plays its buyer.
func (r *runner) checkout(ctx context.Context, od *order) {
	defer r.flight.Add(-1)
	intended := r.at(od.o.Created)
	// The trace is the order's post's only: the buyer's payment later is
	// not late against the order's arrival.
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		r.mu.Lock()
		r.writeLag.Record(max(0, r.cfg.Now().Sub(intended)))
		r.mu.Unlock()
	}})
	var v router.OrderView
	r.requests.Add(1)
	if err := r.orderPost.do(traced, r.cfg.Client, od.id, &od.o, r.population(od.o.Buyer), &v); err != nil {
		var se *statusError
		od.refused = errors.As(err, &se)
		r.failed(ctx, err, true)
		return
	}
	// Latency from the intended send time (open model), in scenario time.
	answered := r.cfg.Now()
	lat := time.Duration(float64(answered.Sub(intended)) * r.cfg.Scale)
	r.mu.Lock()
	od.answered, od.status, od.latency = true, v.Status, lat
	r.latency.Record(lat)
	r.mu.Unlock()
	if v.Status != "pending" || v.PayURL == "" {
		return
	}
	// The buyer on the pay page: pays after a while, or walks away.
	m := r.models[v.Provider]
	if m == nil {
		return
	}
	r.mu.Lock()
	pays, after := m.Buyer(r.buyers)
	r.mu.Unlock()
	if !pays {
		return
	}
	od.buyerWants = true
	if !sleepUntil(ctx, answered.Add(time.Duration(float64(after)/r.cfg.Scale))) {
		return
	}
	payURL := v.PayURL
	if r.cfg.PayURL != nil {
		payURL = r.cfg.PayURL(payURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, payURL, nil)
	if err != nil {
		return
	}
	r.requests.Add(1)
	resp, err := r.cfg.Client.Do(req)
	if err != nil {
		r.failed(ctx, err, false)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.mu.Lock()
		od.buyerFail = true
		r.mu.Unlock()
	}
}

// statusError is an answer with an error status (a router shedding load
// answers 503).
type statusError struct {
	url  string
	code int
}

func (e *statusError) Error() string { return fmt.Sprintf("%s: status %d", e.url, e.code) }

// final asks the router how an order ended.
func (r *runner) final(id string) (router.OrderView, error) {
	var v router.OrderView
	r.asked.Add(1)
	resp, err := r.cfg.Client.Get(r.cfg.SUT + "/v1/orders/" + id)
	if err != nil {
		return v, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return v, fmt.Errorf("status %d", resp.StatusCode)
	}
	return v, json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&v)
}
