package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
	"github.com/paydrill/paydrill/internal/traffic"
	"github.com/paydrill/paydrill/mocks"
)

// Config is one run: a validated scenario (defaults applied), the
// strategy of the built-in router, and the seed.
type Config struct {
	Scenario *scenario.Scenario
	Router   string
	Seed     uint64
	// Progress, when set, is called now and then from the loop.
	Progress func(Progress)
	// Orders, when set, replaces the scenario's synthetic traffic (a
	// replay file, say). Orders must come in non-decreasing Created
	// order; the run takes those created before the scenario's duration.
	Orders OrderSource
}

// OrderSource yields a run's orders one by one, filling o in place; false
// when there are no more.
type OrderSource interface {
	Next(o *payment.Order) bool
}

// Progress is how far a run has got.
type Progress struct {
	Simulated, Total time.Duration
	Orders           int64
}

// Totals are a run's order and money-safety counts.
type Totals struct {
	Created, Paid, Failed, Abandoned, Lost int64
	// InFlight: orders an interrupted run left undecided (0 for a complete run).
	InFlight int64
	// DuplicateCharges: orders captured more than once.
	DuplicateCharges int64
	// Stranded: orders captured at a provider with no goods delivered.
	Stranded int64
	// DuplicateDeliveries: orders whose goods went out more than once.
	DuplicateDeliveries int64
	// DuplicateNotifications the shop received and ignored.
	DuplicateNotifications int64
	// RefusedNotifications: notifications the router refused (forged,
	// stale, not matching a payment it created); wall-clock drills of the
	// reference router only.
	RefusedNotifications     int64
	Attempts, StatusQueries  int64
	PaidAmount, FailedAmount payment.Money
}

// Result is what a run recorded.
type Result struct {
	Series      *measure.Series
	Latency     *measure.Latency
	Totals      Totals
	Ledgers     []mocks.Ledger
	Events      uint64
	Simulated   time.Duration // how far simulated time went
	Interrupted bool
	Violations  []string
	// Transitions the router recorded (routers that implement router.Tracer).
	Transitions []router.Transition
}

// order is 128 bytes, two cache lines: the first holds what the events
// of its last minutes read (the flags, the faults it matches, its
// creation time and amount for the record), the second the strings only
// routing reads.
type order struct {
	attempts   uint8
	live       uint8 // attempts not yet released
	captures   uint8
	delivered  uint8 // times the goods went out (saturates at 255)
	done       bool  // the shop decided
	answered   bool
	buyerWants bool // the buyer tried to pay
	failed     bool // the shop gave up (no provider would take it)
	tried      uint64
	match      uint64 // faults whose filter the order meets
	o          payment.Order
}

// attempt is 64 bytes, one cache line: pay pages are read again when they
// expire, minutes after the answer, long out of the cache. The answer's
// code is an index into the engine's table of codes, not a string.
type attempt struct {
	pay      mocks.Payment
	answered time.Duration // when the router got the create call's answer
	deadline time.Duration // a probe's pay page is withdrawn this long after the answer
	order    uint32
	code     uint16 // e.codes[code] is the provider's code ("" for none)
	prov     uint8
	refs     uint8
	status   payment.Status
	notified bool
	probe    bool    // a probe: any failure sends the order on
	moved    bool    // a probe withdrawn unpaid: the order went on
	_        [8]byte // to 64 bytes: a slab's attempts then never straddle two lines
}

type engine struct {
	cfg      Config
	s        *scenario.Scenario
	end      time.Duration // traffic end
	stop     time.Duration // drain end
	bucket   time.Duration
	timeout  time.Duration
	src      OrderSource
	provs    []*mocks.Provider
	rt       router.Router
	prober   router.Prober // rt, when it probes
	rules    router.Rules
	buyers   *rand.Rand
	q        queue
	orders   slab[order]
	attempts slab[attempt]
	rec      *Recorder
	latency  *measure.Latency
	viol     []string
	now      time.Duration
	pending  payment.Order // the next arrival, read ahead
	codes    []string      // the answers' codes seen so far; codes[0] is ""
	pfHeap   uint32        // the attempt prefetchHeap last asked for
}

// code is the index of c in e.codes, added when new.
func (e *engine) code(c string) uint16 {
	if c == "" {
		return 0
	}
	for i, k := range e.codes {
		if k == c {
			return uint16(i)
		}
	}
	if len(e.codes) == 1<<16 {
		panic("sim: more than 65,536 distinct answer codes")
	}
	e.codes = append(e.codes, c)
	return uint16(len(e.codes) - 1)
}

// Run carries out one drill in virtual time. It stops early, with
// Interrupted set and what was measured so far, when ctx is cancelled.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	e, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	return e.run(ctx), nil
}

func newEngine(cfg Config) (*engine, error) {
	s := cfg.Scenario
	if len(s.Providers) > 64 {
		return nil, fmt.Errorf("%d providers: at most 64", len(s.Providers))
	}
	if len(s.Faults) > mocks.MaxFaults {
		return nil, fmt.Errorf("%d faults: at most %d", len(s.Faults), mocks.MaxFaults)
	}
	sc := *s
	sc.Seed = cfg.Seed
	src := cfg.Orders
	if src == nil {
		syn, err := traffic.NewSource(cfg.Seed, s.Traffic)
		if err != nil {
			return nil, fmt.Errorf("traffic: %w", err)
		}
		src = syn
	}
	rt, err := router.New(cfg.Router, &sc, cfg.Seed)
	if err != nil {
		return nil, err
	}
	e := &engine{
		cfg: cfg, s: &sc, end: s.Duration.D(), stop: s.Duration.D() + s.Drain.D(),
		bucket: s.Bucket.D(), timeout: s.Router.Timeout.D(),
		src: src, rt: rt, rules: rt.Rules(),
		buyers:  seed.Stream(cfg.Seed, "buyers"),
		latency: measure.NewLatency(),
		codes:   []string{""},
	}
	e.prober, _ = rt.(router.Prober)
	for i := range s.Providers {
		e.provs = append(e.provs, mocks.New(&sc, i))
	}
	e.rec = NewRecorder(&sc)
	return e, nil
}

func (e *engine) bucketOf(t time.Duration) int { return e.rec.Bucket(t) }

func (e *engine) run(ctx context.Context) *Result {
	res := &Result{}
	if e.src.Next(&e.pending) && e.pending.Created < e.end {
		e.q.pushLane(laneArrivals, e.pending.Created, evArrival, 0)
	}
	var events uint64
	if ctx.Err() != nil {
		res.Interrupted = true
	}
	for !res.Interrupted && e.q.len() > 0 {
		ev := e.q.pop()
		if ev.at > e.stop {
			break
		}
		e.now = ev.at
		events++
		if e.q.from >= laneChecks {
			e.prefetchLane(e.q.from)
		}
		if e.q.rh.n > 0 {
			e.prefetchHeap()
		}
		if events&0x3fff == 0 {
			if ctx.Err() != nil {
				res.Interrupted = true
				break
			}
			if e.cfg.Progress != nil {
				e.cfg.Progress(Progress{Simulated: e.now, Total: e.stop, Orders: e.rec.Totals.Created})
			}
		}
		switch ev.kind() {
		case evArrival:
			e.arrive()
		case evAnswer:
			e.answer(ev.ref())
		case evQuery:
			e.query(ev.ref())
		case evPay:
			e.pay(ev.ref())
		case evNotify:
			e.notify(ev.ref())
		case evCheck:
			e.check(ev.ref())
		case evExpire:
			e.expire(ev.ref())
		case evProbe:
			e.probeDeadline(ev.ref())
		}
	}
	e.finish(res.Interrupted)
	if e.cfg.Progress != nil {
		e.cfg.Progress(Progress{Simulated: e.now, Total: e.stop, Orders: e.rec.Totals.Created})
	}
	res.Series, res.Latency, res.Totals = e.rec.Series, e.latency, e.rec.Totals
	res.Events, res.Simulated, res.Violations = events, e.now, e.viol
	for _, p := range e.provs {
		res.Ledgers = append(res.Ledgers, p.Ledger())
	}
	if t, ok := e.rt.(router.Tracer); ok {
		res.Transitions = t.Transitions()
	}
	return res
}

func (e *engine) violate(format string, args ...any) {
	if len(e.viol) < 20 {
		e.viol = append(e.viol, fmt.Sprintf("at %v: ", e.now)+fmt.Sprintf(format, args...))
	}
}

// arrive creates the pending order and sends its first attempt.
func (e *engine) arrive() {
	oi := e.orders.alloc()
	o := &e.orders.items[oi]
	o.o = e.pending
	o.match = e.rec.Created(&o.o)
	e.send(oi)
	e.settle(oi)
	if e.src.Next(&e.pending) && e.pending.Created < e.end {
		e.q.pushLane(laneArrivals, e.pending.Created, evArrival, 0)
	}
}

// send routes the order's next attempt, or fails the order when no
// provider will take it.
func (e *engine) send(oi uint32) {
	o := &e.orders.items[oi]
	if int(o.attempts) >= e.rules.MaxAttempts && o.attempts > 0 {
		e.fail(oi)
		return
	}
	p := e.rt.Pick(e.now, &o.o, o.tried)
	if p < 0 {
		e.fail(oi)
		return
	}
	ai := e.attempts.alloc()
	a := &e.attempts.items[ai]
	o = &e.orders.items[oi]
	a.order, a.prov = oi, uint8(p)
	a.probe, a.moved, a.deadline = false, false, 0
	if e.prober != nil {
		a.deadline, a.probe = e.prober.Probe(p)
	}
	first := o.attempts == 0
	o.tried |= 1 << uint(p)
	o.attempts++
	o.live++
	call := e.provs[p].Create(e.now, &o.o, &a.pay)
	if call.Processed && call.Status == payment.Accepted && !e.provs[p].Async() {
		e.captured(oi, p)
	}
	e.rec.Attempt(e.now, p, first, o.match, call.Hits)
	a.status, a.code = call.Status, e.code(call.Code)
	wait := call.Latency
	if wait > e.timeout {
		a.status, a.code, wait = payment.Timeout, 0, e.timeout
	}
	e.schedule(wait, evAnswer, ai)
}

func (e *engine) schedule(after time.Duration, k kind, ai uint32) {
	e.attempts.items[ai].refs++
	e.q.push(e.now+after, k, ai)
}

// FIFO lanes of the queue: arrivals, reconciliation checks, then one per
// provider for pay-page expiries. Each receives events in time order.
const (
	laneArrivals = iota
	laneChecks
	laneExpiries
)

// scheduleLane is schedule for events that arrive in time order in lane l.
func (e *engine) scheduleLane(l int, after time.Duration, k kind, ai uint32) {
	e.attempts.items[ai].refs++
	e.q.pushLane(l, e.now+after, k, ai)
}

// prefetchLane asks for the records the next events of lane l will read.
// Checks and expiries come a fixed delay (minutes) after their attempt's
// answer, so its attempt and order records have long left the cache:
// reading them was a fifth of the engine's time, the processor waiting.
// A lane is FIFO, so its next events are known: the attempt of the
// event after next is fetched now, and the order of the next one (whose
// attempt the previous pop fetched). A hint only: what runs is the same.
func (e *engine) prefetchLane(l int) {
	if ai, ok := e.q.ahead(l, 1); ok {
		prefetch(unsafe.Pointer(&e.attempts.items[ai]))
	}
	if ai, ok := e.q.ahead(l, 0); ok {
		prefetch(unsafe.Pointer(&e.orders.items[e.attempts.items[ai].order]))
	}
}

// prefetchHeap asks for the records of the heap's earliest event: its
// attempt the first time it is seen there, its order the next (the
// attempt, fetched one event earlier, gives the order's index). Payments
// come minutes after their answer, and their records have left the cache.
func (e *engine) prefetchHeap() {
	ai := e.q.rh.peek().ref()
	if int(ai) >= len(e.attempts.items) {
		return // not an attempt's event (an arrival sent to the heap, which lanes never do)
	}
	if ai != e.pfHeap {
		e.pfHeap = ai
		prefetch(unsafe.Pointer(&e.attempts.items[ai]))
		return
	}
	prefetch(unsafe.Pointer(&e.orders.items[e.attempts.items[ai].order]))
}

// captured records a capture of the order's payment at provider p.
func (e *engine) captured(oi uint32, p int) {
	o := &e.orders.items[oi]
	o.captures++
	e.rec.Capture(e.now, p)
}

// answer is a create call's answer (or its deadline) reaching the router.
func (e *engine) answer(ai uint32) {
	a := &e.attempts.items[ai]
	oi, p := a.order, int(a.prov)
	prov := e.provs[p]
	a.answered = e.now
	code := e.codes[a.code]
	class := payment.Classify(a.status, code)
	e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Answered, Status: a.status, Class: class,
		Code: code, Async: prov.Async(), Order: &e.orders.items[oi].o})
	switch {
	case a.status == payment.Accepted && !prov.Async():
		e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Paid, Async: false})
		e.paid(oi)
	case a.status == payment.Accepted:
		e.answerBuyer(oi)
		o := &e.orders.items[oi]
		// The page closes at acceptance + expiry; the shop hears of it one
		// expiry after the answer (later by the create latency).
		closes := a.pay.Accepted + prov.Expiry() - e.now
		if pays, after := prov.Buyer(e.buyers); pays {
			o.buyerWants = true
			if after < closes {
				e.schedule(after, evPay, ai)
			}
		}
		e.scheduleLane(laneExpiries+p, prov.Expiry(), evExpire, ai)
		if a.probe && a.deadline > 0 && a.deadline < closes {
			e.schedule(a.deadline, evProbe, ai)
		}
		if e.rules.Reconcile && e.rules.CheckAfter < prov.Expiry() {
			e.scheduleLane(laneChecks, e.rules.CheckAfter, evCheck, ai)
		}
	case a.status == payment.Timeout && e.rules.QueryUnknown:
		e.schedule(e.rules.QueryDelay, evQuery, ai)
	case a.probe:
		e.send(oi) // a failed probe costs the buyer nothing
	default:
		e.retryOrFail(oi, class)
	}
	e.release(ai)
}

// probeDeadline withdraws a probe's pay page still unpaid at its
// deadline (after a status query, in case only the notification is late)
// and sends the order on to the next provider.
func (e *engine) probeDeadline(ai uint32) {
	a := &e.attempts.items[ai]
	oi, p := a.order, int(a.prov)
	if e.rules.Reconcile {
		e.reconcile(ai)
	}
	if a.pay.State == payment.Open && !e.orders.items[oi].done {
		e.provs[p].Cancel(&a.pay)
		a.moved = true
		e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Unpaid, Async: true, Probe: true, Age: e.now - a.answered})
		e.send(oi)
	}
	e.release(ai)
}

func (e *engine) retryOrFail(oi uint32, class payment.Class) {
	if e.rules.Retry[class] {
		e.send(oi)
		return
	}
	e.fail(oi)
}

// query is the router asking a provider about a payment whose create timed out.
func (e *engine) query(ai uint32) {
	a := &e.attempts.items[ai]
	oi, p := a.order, int(a.prov)
	e.rec.Totals.StatusQueries++
	switch a.pay.State {
	case payment.Captured:
		e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Paid, Async: e.provs[p].Async(), Age: e.now - a.answered, Queried: true})
		e.paid(oi)
	default:
		// Open: the buyer never saw the pay page; cancel it before trying elsewhere.
		e.provs[p].Cancel(&a.pay)
		e.retryOrFail(oi, payment.Unknown)
	}
	e.release(ai)
}

// pay is the buyer trying to pay an async payment.
func (e *engine) pay(ai uint32) {
	a := &e.attempts.items[ai]
	oi, p := a.order, int(a.prov)
	prov := e.provs[p]
	if prov.Pay(e.now, &a.pay) {
		o := &e.orders.items[oi]
		e.captured(oi, p)
		n := prov.Notify(e.now, &o.o)
		// A lost or late notification is a hit on the attempt that opened
		// the payment, counted in the bucket it was sent in (like the
		// attempt itself), not when the buyer happened to pay.
		e.rec.Hit(a.pay.Accepted, n.Hits)
		for k := range n.Count {
			e.schedule(n.Delay[k], evNotify, ai)
		}
	}
	e.release(ai)
}

// notify is a provider notification reaching the router.
func (e *engine) notify(ai uint32) {
	a := &e.attempts.items[ai]
	oi, p := a.order, int(a.prov)
	if a.notified {
		e.rec.Totals.DuplicateNotifications++
	} else {
		a.notified = true
		e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Paid, Async: true, Age: e.now - a.answered})
	}
	e.paid(oi)
	e.release(ai)
}

// check is the router reconciling an open async payment by status query.
func (e *engine) check(ai uint32) {
	e.reconcile(ai)
	e.release(ai)
}

func (e *engine) reconcile(ai uint32) {
	a := &e.attempts.items[ai]
	if a.notified {
		return
	}
	oi, p := a.order, int(a.prov)
	if e.orders.items[oi].delivered > 0 {
		return
	}
	e.rec.Totals.StatusQueries++
	if a.pay.State == payment.Captured {
		a.notified = true
		e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Paid, Async: true, Age: e.now - a.answered, Queried: true})
		e.paid(oi)
	}
}

// expire closes a pay page; the shop ends an order still unpaid.
func (e *engine) expire(ai uint32) {
	a := &e.attempts.items[ai]
	oi, p := a.order, int(a.prov)
	if e.rules.Reconcile {
		e.reconcile(ai)
	}
	if a.pay.State == payment.Open {
		e.provs[p].Expire(&a.pay)
		e.rt.Observe(e.now, router.Observation{Provider: p, Kind: router.Unpaid, Async: true})
	}
	if o := &e.orders.items[oi]; !o.done && !a.moved {
		o.done = true
	}
	e.release(ai)
}

// answerBuyer records the checkout latency: order placed to the buyer's
// first answer (pay page, payment result or failure).
func (e *engine) answerBuyer(oi uint32) {
	o := &e.orders.items[oi]
	if !o.answered {
		o.answered = true
		e.latency.Record(e.now - o.o.Created)
		e.rec.Series.RecordLatency(o.o.Created, e.now-o.o.Created)
	}
}

// paid is the shop learning the order is paid. A good checkout delivers
// on the first news of payment only; one whose rules say DeliverEach (a
// negative control) delivers on every piece of news, and every delivery is
// counted, so a second one shows as a duplicate delivery.
func (e *engine) paid(oi uint32) {
	o := &e.orders.items[oi]
	o.done = true
	e.answerBuyer(oi)
	if (o.delivered == 0 || e.rules.DeliverEach) && o.delivered < 255 {
		o.delivered++
	}
}

func (e *engine) fail(oi uint32) {
	o := &e.orders.items[oi]
	o.done, o.failed = true, true
	e.answerBuyer(oi)
}

// release drops an event's hold on an attempt; the last one frees it and
// settles its order.
func (e *engine) release(ai uint32) {
	a := &e.attempts.items[ai]
	a.refs--
	if a.refs > 0 {
		return
	}
	oi := a.order
	e.attempts.release(ai)
	e.orders.items[oi].live--
	e.settle(oi)
}

// settle ends an order once the shop decided and nothing more can happen to it.
func (e *engine) settle(oi uint32) {
	o := &e.orders.items[oi]
	if !o.done || o.live > 0 {
		return
	}
	e.record(oi, false)
	e.orders.release(oi)
}

// record counts how the order ended, by the truth of the simulated world.
func (e *engine) record(oi uint32, unresolved bool) {
	o := &e.orders.items[oi]
	var out payment.Outcome
	switch {
	case o.delivered > 0:
		out = payment.Paid
	case unresolved || o.captures > 0:
		out = payment.Lost // the shop never learned how it ended, or money was taken and no goods went out
	case o.failed || o.buyerWants:
		out = payment.FailedOrder
	default:
		out = payment.Abandoned
	}
	e.rec.Ended(&o.o, o.match, out, int(o.captures), int(o.delivered))
}

// finish ends the run: orders still in flight are recorded as they stand,
// those the shop never decided as lost (or, when the run was interrupted,
// as in flight: nobody knows yet how they would have ended), and
// conservation is checked.
func (e *engine) finish(interrupted bool) {
	free := make([]bool, len(e.orders.items))
	for _, oi := range e.orders.free {
		free[oi] = true
	}
	for oi := range e.orders.items {
		switch {
		case free[oi]:
		case interrupted && !e.orders.items[oi].done:
			e.rec.Totals.InFlight++
		default:
			e.record(uint32(oi), !e.orders.items[oi].done)
		}
	}
	if t := e.rec.Totals; !e.rec.Conserved() {
		ended := t.Paid + t.Failed + t.Abandoned + t.Lost + t.InFlight
		e.violate("conservation: %d orders created, %d ended (paid %d, failed %d, abandoned %d, lost %d, in flight %d)",
			t.Created, ended, t.Paid, t.Failed, t.Abandoned, t.Lost, t.InFlight)
	}
}
