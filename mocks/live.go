package mocks

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Live serves one provider's behaviour model in real time, for the HTTP
// mocks: it serialises calls (the model is single-threaded), keeps the
// payments with their idempotency keys, and logs every create for the
// drill's measurements. Time is the elapsed time of a clock the caller
// passes in, scaled to scenario time.
//
// Faults do not follow the scenario's timeline by themselves: the drill
// switches them on and off through the control API (SetFault), so that a
// router under test meets them at the moments the drill chooses.
type Live struct {
	mu       sync.Mutex
	p        *Provider
	now      func() time.Duration
	byID     map[string]*LivePayment
	byKey    map[string]*LivePayment
	fifo     []*LivePayment // by creation, for forgetting old payments
	head     int
	seq      uint64
	idPrefix string // "pay_NAME_": a payment's id is it and seq
	log      attemptLog
	faultsOn map[string]bool
}

// LivePayment is one payment a live mock holds.
type LivePayment struct {
	ID        string
	OrderID   string // the merchant's order id
	Order     payment.Order
	Pay       Payment
	Call      Call
	NotifyURL string
	Created   time.Duration
	// Name and Param are what the epay protocol echoes in its
	// notifications and queries (the product name, the shop's passthrough).
	Name, Param string
	key         string
	logAt       int // this create's record in the log
}

// retention is how long a live mock keeps a payment after creating it
// (scenario time): past two pay-page lifetimes nothing can happen to it,
// and forgetting it keeps a long drill's memory flat. A router querying
// or replaying it later gets "not found".
func (l *Live) retention() time.Duration { return max(2*l.p.Expiry(), 30*time.Minute) }

// forget drops payments older than the retention.
func (l *Live) forget(now time.Duration) {
	keep := l.retention()
	for l.head < len(l.fifo) && now-l.fifo[l.head].Created > keep {
		lp := l.fifo[l.head]
		delete(l.byID, lp.ID)
		if lp.key != "" && l.byKey[lp.key] == lp {
			delete(l.byKey, lp.key)
		}
		l.fifo[l.head] = nil
		l.head++
	}
	if l.head > 4096 && l.head*2 > len(l.fifo) {
		l.fifo = append(l.fifo[:0], l.fifo[l.head:]...)
		l.head = 0
	}
}

// Attempt is one create call as the mock saw it: what the drill measures
// from (the mock knows which fault touched it).
type Attempt struct {
	At       time.Duration `json:"at_ns"`
	OrderID  string        `json:"order_id"`
	Provider string        `json:"provider"`
	Status   string        `json:"status"`
	Hits     uint64        `json:"hits"`
	Captured bool          `json:"captured"`
}

// CreateRequest is a create-payment call, whatever the protocol.
type CreateRequest struct {
	OrderID        string
	IdempotencyKey string
	Amount         payment.Money
	Currency       string
	Method         string
	Category       string
	Region         string
	NotifyURL      string
	Name, Param    string // epay: echoed back
}

// NewLive builds the live model of provider i of a validated scenario.
// now returns scenario time elapsed (wall time times the time scale).
func NewLive(s *scenario.Scenario, i int, now func() time.Duration) *Live {
	p := New(s, i)
	for _, f := range p.creators {
		f.Start, f.End = Forever, Forever // off until the drill switches it on
	}
	for _, f := range p.notifiers {
		f.Start, f.End = Forever, Forever
	}
	return &Live{p: p, now: now, idPrefix: "pay_" + p.Name + "_", byID: map[string]*LivePayment{}, byKey: map[string]*LivePayment{},
		faultsOn: map[string]bool{}}
}

// Name is the provider's name.
func (l *Live) Name() string { return l.p.Name }

// Async reports whether payments wait for the buyer on a pay page.
func (l *Live) Async() bool { return l.p.Async() }

// Accepts reports whether the provider takes the payment method.
func (l *Live) Accepts(method string) bool { return l.p.Accepts(method) }

// Create decides a create call. A repeated idempotency key returns the
// first payment and replay = true, as payment APIs do.
func (l *Live) Create(r CreateRequest) (lp *LivePayment, replay bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.IdempotencyKey != "" {
		if lp := l.byKey[r.IdempotencyKey]; lp != nil {
			return lp, true
		}
	}
	now := l.now()
	l.seq++
	var id [64]byte // one allocation for the id: the string
	lp = &LivePayment{ID: string(strconv.AppendUint(append(id[:0], l.idPrefix...), l.seq, 10)), OrderID: r.OrderID,
		NotifyURL: r.NotifyURL, Created: now, Name: r.Name, Param: r.Param,
		Order: payment.Order{ID: l.seq, Created: now, Amount: r.Amount, Currency: r.Currency,
			Category: r.Category, Method: r.Method, Region: r.Region}}
	lp.Call = l.p.Create(now, &lp.Order, &lp.Pay)
	l.byID[lp.ID] = lp
	if r.IdempotencyKey != "" {
		l.byKey[r.IdempotencyKey] = lp
	}
	lp.key = r.IdempotencyKey
	l.fifo = append(l.fifo, lp)
	l.forget(now)
	lp.logAt = l.log.add(now, r.OrderID, lp.Call.Status, lp.Call.Hits, lp.Pay.State == payment.Captured)
	return lp, false
}

// Get returns a payment by id (a copy, safe to read).
func (l *Live) Get(id string) (LivePayment, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lp := l.byID[id]
	if lp == nil {
		return LivePayment{}, false
	}
	l.expire(lp)
	return *lp, true
}

// ByKey returns the payment created with idempotency key (the epay
// protocol's out_trade_no), a copy, safe to read.
func (l *Live) ByKey(key string) (LivePayment, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lp := l.byKey[key]
	if lp == nil {
		return LivePayment{}, false
	}
	l.expire(lp)
	return *lp, true
}

// expire closes an open pay page past its expiry.
func (l *Live) expire(lp *LivePayment) {
	if lp.Pay.State == payment.Open && l.now() >= lp.Pay.Accepted+l.p.Expiry() {
		l.p.Expire(&lp.Pay)
	}
}

// Pay is the buyer paying on the pay page. It reports whether the money
// was captured and, if so, how the provider will notify.
func (l *Live) Pay(id string) (captured bool, n Notice, lp LivePayment, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.byID[id]
	if p == nil {
		return false, Notice{}, LivePayment{}, fmt.Errorf("no payment %q", id)
	}
	now := l.now()
	if !l.p.Pay(now, &p.Pay) {
		return false, Notice{}, *p, nil
	}
	n = l.p.Notify(now, &p.Order)
	// Attribute capture and notification hits to the create's record
	// (found by its index: a search back through the log cost every pay
	// the creates made since its own).
	a := l.log.at(p.logAt)
	a.captured = true
	a.hits |= n.Hits
	return true, n, *p, nil
}

// SetFault switches the provider's fault called name on or off now. It
// reports whether the provider has such a fault.
func (l *Live) SetFault(name string, on bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	found := false
	for _, f := range slices.Concat(l.p.creators, l.p.notifiers) {
		if f.Name != name {
			continue
		}
		found = true
		if on && !l.faultsOn[name] {
			f.Start, f.End = now, Forever
			if d, ok := f.effect.(*declineSpike); ok {
				d.start = now // a slow burn ramps from when it is switched on
			}
		} else if !on && l.faultsOn[name] {
			f.End = now
		}
	}
	if found {
		l.faultsOn[name] = on
	}
	return found
}

// Faults lists the names of the faults that target this provider.
func (l *Live) Faults() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var names []string
	for _, f := range slices.Concat(l.p.creators, l.p.notifiers) {
		if !slices.Contains(names, f.Name) {
			names = append(names, f.Name)
		}
	}
	return names
}

// FaultOn reports whether the drill switched the fault called name on.
func (l *Live) FaultOn(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.faultsOn[name]
}

// Attempts returns the create log from index since on.
func (l *Live) Attempts(since int) []Attempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.log.attempts(since, l.p.Name)
}

// Ledger returns what the provider captured.
func (l *Live) Ledger() Ledger {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p.Ledger()
}

// Reset forgets payments, the log and the ledger, and switches faults off.
func (l *Live) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byID, l.byKey, l.log = map[string]*LivePayment{}, map[string]*LivePayment{}, attemptLog{}
	l.fifo, l.head = nil, 0
	l.p.ledger = Ledger{}
	if c := l.p.contract; c != nil {
		c.reset()
	}
	if v := l.p.review; v != nil {
		v.reset()
	}
	for _, f := range slices.Concat(l.p.creators, l.p.notifiers) {
		f.Start, f.End = Forever, Forever
	}
	l.faultsOn = map[string]bool{}
}
