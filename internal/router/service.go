package router

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// Service is the reference router as an HTTP service: the contract a
// router under test implements (docs/sut.md). The shop posts orders; the
// service routes each to a provider over the generic JSON protocol of the
// mocks, retries and queries by the strategy's rules, takes provider
// notifications, reconciles open payments, and delivers each paid order
// exactly once.
//
// Time inside is scenario time: wall time since start times Scale, so a
// drill compressed K times keeps the strategy's windows and cooldowns.
type Service struct {
	opt   ServiceOptions
	rt    Router
	rules Rules
	provs []serviceProvider
	byNm  map[string]int
	start time.Time

	mu     sync.Mutex // guards rt, orders and the counts
	orders map[string]*serviceOrder
	// What the drill cannot see from outside, served at GET /v1/stats.
	queries, dupNotices, refusedNotices int64
	// inFlight holds a token per order being checked out; an order beyond
	// it is answered 503 at once and counted in shed.
	inFlight chan struct{}
	shed     atomic.Int64
	settling chan struct{} // a token per settle query in flight

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// ServiceOptions configures a Service.
type ServiceOptions struct {
	Scenario  *scenario.Scenario // providers, router settings (validated, defaults applied)
	Strategy  string             // "" = the scenario's
	Seed      uint64
	Providers map[string]string // provider name → base URL of its generic-protocol API
	Secret    []byte            // notification signature secret (required unless Unsigned)
	// Unsigned drills without notification signatures: nothing is
	// verified but what the notification says (GET /v1/stats says so, and
	// so does every report). Without it an empty Secret is refused.
	Unsigned bool
	// Tolerance is how far a signature's timestamp may be from now
	// (default DefaultTolerance), so an old notification cannot be replayed.
	Tolerance time.Duration
	Scale     float64 // scenario time per wall time (1 = real time)
	// NotifyBase is this service's own base URL, for the notify_url it
	// hands providers.
	NotifyBase string
	Client     *http.Client
	Now        func() time.Time // nil = time.Now
	// MaxConnsPerProvider caps the connections to each provider (with no
	// Client); 0 means 256. Calls beyond it wait for one, within their
	// timeout.
	MaxConnsPerProvider int
	// MaxInFlight caps the orders being checked out at once; an order
	// beyond it is answered 503 at once (counted as shed in GET
	// /v1/stats), so that overload costs orders, never descriptors or
	// money. 0 means 4096.
	MaxInFlight int
}

type serviceProvider struct {
	name, url string
	async     bool
	expiry    time.Duration
	epay      bool // speaks the epay protocol (service_epay.go), else the generic one
}

type serviceOrder struct {
	req       OrderRequest
	created   []createdPayment // every payment asked for, in order
	order     payment.Order
	status    string // pending, paid, failed
	provider  string
	paymentID string
	payURL    string
	answered  time.Duration // scenario time of the accepted answer
	// deliveries counts the times the goods went out: one for a paid
	// order, more only under a DeliverEach negative control.
	deliveries int
	notified   bool
}

// createdPayment is one create call the router made for an order: the
// provider, and the payment id when the answer gave one (a timed-out
// call may have made a payment whose id the router never learned).
type createdPayment struct {
	provider int
	id       string
}

// DefaultTolerance is how far a notification's signature timestamp may be
// from the router's clock (Stripe's default).
const DefaultTolerance = 5 * time.Minute

// ErrNoSecret: the reference router will not take unsigned notifications
// unless told the drill is unsigned.
var ErrNoSecret = errors.New("no notification secret: set PAYDRILL_SECRET (shared with the providers), or run an unsigned drill explicitly (--unsigned; every report then says so)")

// OrderRequest is the body of POST /v1/orders.
type OrderRequest struct {
	OrderID  string `json:"order_id"`
	Amount   int64  `json:"amount"` // minor units
	Currency string `json:"currency"`
	Method   string `json:"method"`
	Category string `json:"category,omitempty"`
	Region   string `json:"region,omitempty"`
	BuyerID  string `json:"buyer_id,omitempty"`
	// The buyer as a router's risk scoring sees one: the same buyer (by
	// BuyerID) always has the same email, IP and user agent within a run
	// (gofakeit, from the run's seed). The reference router does not read
	// them.
	BuyerEmail string `json:"buyer_email,omitempty"`
	BuyerIP    string `json:"buyer_ip,omitempty"`
	UserAgent  string `json:"user_agent,omitempty"`
}

// OrderView is the answer to POST /v1/orders and GET /v1/orders/{id}.
type OrderView struct {
	OrderID   string `json:"order_id"`
	Status    string `json:"status"` // pending (pay page open), paid, failed
	Provider  string `json:"provider,omitempty"`
	PaymentID string `json:"payment_id,omitempty"`
	PayURL    string `json:"pay_url,omitempty"`
	Delivered bool   `json:"delivered"`
	// Deliveries is how many times the goods went out for this order
	// (docs/sut.md): 1 for a paid order; a second delivery shows as a
	// duplicate delivery in the drill's report.
	Deliveries int `json:"deliveries"`
}

// NewService builds the reference router service.
func NewService(opt ServiceOptions) (*Service, error) {
	s := opt.Scenario
	strategy := opt.Strategy
	if strategy == "" {
		strategy = s.Router.Strategy
	}
	if len(opt.Secret) == 0 && !opt.Unsigned {
		return nil, ErrNoSecret
	}
	if opt.Tolerance <= 0 {
		opt.Tolerance = DefaultTolerance
	}
	rt, err := New(strategy, s, opt.Seed)
	if err != nil {
		return nil, err
	}
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	if opt.MaxConnsPerProvider <= 0 {
		opt.MaxConnsPerProvider = 256
	}
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = 4096
	}
	if opt.Client == nil {
		// Keep connections to the providers: the default pool of two idle
		// connections per host makes a dial (and, behind a network alias,
		// a DNS lookup) of nearly every call at a few hundred calls a second.
		opt.Client = &http.Client{Transport: &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: opt.MaxConnsPerProvider,
			MaxConnsPerHost: opt.MaxConnsPerProvider, IdleConnTimeout: 90 * time.Second}}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	svc := &Service{opt: opt, rt: rt, rules: rt.Rules(), byNm: map[string]int{},
		orders: map[string]*serviceOrder{}, start: opt.Now(), inFlight: make(chan struct{}, opt.MaxInFlight),
		settling: make(chan struct{}, maxSettling)}
	for i, p := range s.Providers {
		u, ok := opt.Providers[p.Name]
		if !ok {
			return nil, fmt.Errorf("no URL for provider %q", p.Name)
		}
		if p.Protocol == "stripe" {
			return nil, fmt.Errorf("provider %q speaks stripe: the reference router speaks the generic and epay protocols", p.Name)
		}
		svc.provs = append(svc.provs, serviceProvider{name: p.Name, url: strings.TrimSuffix(u, "/"),
			async: p.Flow == "async", expiry: p.Expiry.D(), epay: p.Protocol == "epay"})
		svc.byNm[p.Name] = i
	}
	svc.ctx, svc.cancel = context.WithCancel(context.Background())
	return svc, nil
}

// SetNotifyBase sets the service's own base URL, for the notify_url it
// hands providers, once its listener is known (before any order).
func (s *Service) SetNotifyBase(u string) { s.opt.NotifyBase = u }

// Close stops reconciliation and waits for it.
func (s *Service) Close() {
	s.cancel()
	s.wg.Wait()
}

// now is scenario time since the service started.
func (s *Service) now() time.Duration {
	return time.Duration(float64(s.opt.Now().Sub(s.start)) * s.opt.Scale)
}

// wall turns a scenario duration into wall time.
func (s *Service) wall(d time.Duration) time.Duration {
	return time.Duration(float64(d) / s.opt.Scale)
}

// Handler serves POST /v1/orders, GET /v1/orders/{id}, POST /v1/notify/{provider}
// and GET /healthz.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/orders", s.postOrder)
	mux.HandleFunc("GET /v1/orders/{id}", s.getOrder)
	mux.HandleFunc("POST /v1/notify/{provider}", s.notify)
	mux.HandleFunc("GET /v1/notify/{provider}", s.notifyEpay)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /v1/stats", s.stats)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Service) postOrder(w http.ResponseWriter, r *http.Request) {
	var req OrderRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil || req.OrderID == "" || req.Amount <= 0 || req.Amount > int64(payment.MaxAmount) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want JSON {order_id, amount > 0, currency, method}"})
		return
	}
	select {
	case s.inFlight <- struct{}{}:
		defer func() { <-s.inFlight }()
	default:
		s.shed.Add(1)
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "overloaded: too many orders in flight; nothing was charged"})
		return
	}
	s.mu.Lock()
	if o := s.orders[req.OrderID]; o != nil {
		v := o.view()
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, v) // an order is checked out once
		return
	}
	o := &serviceOrder{req: req, status: "pending", order: payment.Order{Created: s.now(),
		Amount: payment.Money(req.Amount), Currency: req.Currency, Method: req.Method,
		Category: req.Category, Region: req.Region}}
	s.orders[req.OrderID] = o
	s.mu.Unlock()

	s.checkout(r.Context(), o)

	s.mu.Lock()
	v := o.view()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

func (o *serviceOrder) view() OrderView {
	return OrderView{OrderID: o.req.OrderID, Status: o.status, Provider: o.provider,
		PaymentID: o.paymentID, PayURL: o.payURL, Delivered: o.deliveries > 0, Deliveries: o.deliveries}
}

func (s *Service) getOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o := s.orders[r.PathValue("id")]
	var v OrderView
	if o != nil {
		v = o.view()
	}
	s.mu.Unlock()
	if o == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such order"})
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// checkout runs the order's attempts by the strategy's rules.
func (s *Service) checkout(ctx context.Context, o *serviceOrder) {
	var tried uint64
	for attempt := 0; ; attempt++ {
		if attempt >= s.rules.MaxAttempts {
			s.finish(o, "failed")
			return
		}
		s.mu.Lock()
		p := s.rt.Pick(s.now(), &o.order, tried)
		s.mu.Unlock()
		if p < 0 {
			s.finish(o, "failed")
			return
		}
		tried |= 1 << uint(p)
		key := fmt.Sprintf("%s-%d", o.req.OrderID, attempt)
		view, status, code := s.create(ctx, p, o, key)
		class := payment.Classify(status, code)
		s.mu.Lock()
		o.created = append(o.created, createdPayment{provider: p, id: view.ID})
		now := s.now()
		s.rt.Observe(now, Observation{Provider: p, Kind: Answered, Status: status, Class: class, Code: code,
			Async: s.provs[p].async, Order: &o.order})
		s.mu.Unlock()
		switch {
		case status == payment.Accepted && view.Status == "succeeded":
			s.mu.Lock()
			s.rt.Observe(now, Observation{Provider: p, Kind: Paid})
			o.provider, o.paymentID = s.provs[p].name, view.ID
			s.deliver(o)
			s.mu.Unlock()
			return
		case status == payment.Accepted:
			s.mu.Lock()
			o.provider, o.paymentID, o.payURL, o.answered = s.provs[p].name, view.ID, view.PayURL, now
			s.mu.Unlock()
			s.watch(o, p)
			return
		case status == payment.Timeout && s.rules.QueryUnknown:
			if s.sleep(ctx, s.rules.QueryDelay) != nil {
				s.finish(o, "failed")
				return
			}
			st, err := s.get(ctx, p, o.req.OrderID, view.ID, key)
			for try := 1; err != nil && try < unknownQueries && s.sleep(ctx, s.rules.QueryDelay) == nil; try++ {
				st, err = s.get(ctx, p, o.req.OrderID, view.ID, key)
			}
			if err == nil && st.Status == "succeeded" {
				s.mu.Lock()
				s.rt.Observe(s.now(), Observation{Provider: p, Kind: Paid, Queried: true, Async: s.provs[p].async})
				o.provider, o.paymentID = s.provs[p].name, st.ID
				o.learned(p, st.ID)
				s.deliver(o)
				s.mu.Unlock()
				return
			}
			if err != nil {
				// Still unknown: the payment may have been taken. Trying
				// another provider now could charge the buyer twice; the
				// order stays pending (no pay page) while the service
				// keeps asking (settle).
				s.mu.Lock()
				o.provider = s.provs[p].name
				s.mu.Unlock()
				s.settle(o, p, key)
				return
			}
			if !s.rules.Retry[payment.Unknown] {
				s.finish(o, "failed")
				return
			}
		case !s.rules.Retry[class]:
			s.finish(o, "failed")
			return
		}
	}
}

func (s *Service) finish(o *serviceOrder, status string) {
	s.mu.Lock()
	if o.status == "pending" {
		o.status = status
	}
	s.mu.Unlock()
}

// deliver marks the order paid and sends the goods, counting each time
// they go out. Callers hold mu and call it once per order (on every
// notification under a DeliverEach negative control).
func (s *Service) deliver(o *serviceOrder) {
	o.status = "paid"
	o.deliveries++
}

func (s *Service) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(s.wall(d))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
}

// create calls provider p's create-payment API with the strategy's timeout.
func (s *Service) create(ctx context.Context, p int, o *serviceOrder, key string) (mocks.PaymentView, payment.Status, string) {
	if s.provs[p].epay {
		return s.createEpay(ctx, p, o)
	}
	body, _ := json.Marshal(mocks.CreatePayment{MerchantOrderID: o.req.OrderID, Amount: o.req.Amount,
		Currency: o.req.Currency, Method: o.req.Method, Category: o.req.Category, Region: o.req.Region,
		NotifyURL: s.opt.NotifyBase + "/v1/notify/" + s.provs[p].name})
	ctx, cancel := context.WithTimeout(ctx, s.wall(s.opt.Scenario.Router.Timeout.D()))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.provs[p].url+mocks.PathPayments, bytes.NewReader(body))
	if err != nil {
		return mocks.PaymentView{}, payment.Failed, ""
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(mocks.HeaderIdem, key)
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}))
	resp, err := s.opt.Client.Do(req)
	if err != nil {
		// A deadline, or a connection lost after the request went out:
		// the provider may have taken the payment. Only a call that never
		// left is a plain failure, safe to try elsewhere.
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) || wrote.Load() {
			return mocks.PaymentView{}, payment.Timeout, ""
		}
		return mocks.PaymentView{}, payment.Failed, ""
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	switch {
	case resp.StatusCode/100 == 2:
		var v mocks.PaymentView
		if json.Unmarshal(data, &v) != nil {
			return v, payment.Failed, ""
		}
		return v, payment.Accepted, ""
	case resp.StatusCode == http.StatusTooManyRequests:
		return mocks.PaymentView{}, payment.Limited, payment.CodeTryAgain
	case resp.StatusCode == http.StatusPaymentRequired:
		var e mocks.APIError
		_ = json.Unmarshal(data, &e)
		return mocks.PaymentView{}, payment.Declined, e.Error.DeclineCode
	default:
		return mocks.PaymentView{}, payment.Failed, payment.CodeProcessingError
	}
}

// get queries a payment: by id, or (after a timeout, with no id) it is
// not knowable: a provider without a lookup by order must be queried by
// the id it never returned, so the service treats it as not found.
func (s *Service) get(ctx context.Context, p int, orderID, id, key string) (mocks.PaymentView, error) {
	s.mu.Lock()
	s.queries++
	s.mu.Unlock()
	if s.provs[p].epay {
		return s.getEpay(ctx, p, orderID, id)
	}
	if id == "" {
		// Replaying the create with the same idempotency key returns the
		// payment the timed-out call made, if any: the safe query.
		ctx, cancel := context.WithTimeout(ctx, s.wall(s.opt.Scenario.Router.Timeout.D()))
		defer cancel()
		o := &serviceOrder{req: OrderRequest{OrderID: orderID}}
		s.mu.Lock()
		if so := s.orders[orderID]; so != nil {
			o.req = so.req
		}
		s.mu.Unlock()
		v, st, code := s.create(ctx, p, o, key)
		if st == payment.Timeout || st == payment.Failed && code == "" {
			// No answer from the provider: still unknown.
			return v, fmt.Errorf("status unknown")
		}
		return v, nil // its answer: taken (succeeded), open, or refused
	}
	ctx, cancel := context.WithTimeout(ctx, s.wall(s.opt.Scenario.Router.Timeout.D()))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.provs[p].url+"/v1/payments/"+id, nil)
	if err != nil {
		return mocks.PaymentView{}, err
	}
	resp, err := s.opt.Client.Do(req)
	if err != nil {
		return mocks.PaymentView{}, err
	}
	defer resp.Body.Close()
	var v mocks.PaymentView
	if resp.StatusCode != http.StatusOK {
		return v, fmt.Errorf("status %d", resp.StatusCode)
	}
	return v, json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&v)
}

// unknownQueries is how many times checkout asks about a timed-out
// create before it stops holding the shop's answer (settle goes on).
const unknownQueries = 3

// maxSettling caps settle's queries in flight at once.
const maxSettling = 16

// settleFor bounds how long settle keeps asking (scenario time), well
// inside the time providers keep a payment's idempotency key.
const settleFor = 10 * time.Minute

// settle keeps asking about a create whose outcome is unknown (the
// idempotent replay of key) until the provider says: taken, the order is
// paid; not taken, failed. Never answered within settleFor, the order
// fails, and a payment taken meanwhile shows as stranded, never as a
// second charge elsewhere.
func (s *Service) settle(o *serviceOrder, p int, key string) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		every := max(s.rules.QueryDelay, time.Second)
		for waited := time.Duration(0); waited < settleFor; waited += every {
			if s.sleep(s.ctx, every) != nil {
				return
			}
			// Back off, and ask a few at a time: an overloaded provider
			// must not be buried under the questions its slowness raised.
			every = min(2*every, time.Minute)
			select {
			case s.settling <- struct{}{}:
			case <-s.ctx.Done():
				return
			}
			st, err := s.get(s.ctx, p, o.req.OrderID, "", key)
			<-s.settling
			if err != nil {
				continue
			}
			s.mu.Lock()
			if st.Status == "succeeded" {
				s.rt.Observe(s.now(), Observation{Provider: p, Kind: Paid, Queried: true, Async: s.provs[p].async})
				o.paymentID = st.ID
				s.deliver(o)
			} else if o.status == "pending" {
				o.status = "failed"
			}
			s.mu.Unlock()
			return
		}
		s.finish(o, "failed")
	}()
}

// watch reconciles an open async payment: a status query CheckAfter
// after acceptance and at expiry (when the rules say so), then the page's
// end.
func (s *Service) watch(o *serviceOrder, p int) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		expiry := s.provs[p].expiry
		if s.rules.Reconcile && s.rules.CheckAfter < expiry {
			if s.sleep(s.ctx, s.rules.CheckAfter) != nil {
				return
			}
			if s.reconcile(o, p) {
				return
			}
			if s.sleep(s.ctx, expiry-s.rules.CheckAfter) != nil {
				return
			}
		} else if s.sleep(s.ctx, expiry) != nil {
			return
		}
		if s.rules.Reconcile && s.reconcile(o, p) {
			return
		}
		s.mu.Lock()
		if o.deliveries == 0 {
			s.rt.Observe(s.now(), Observation{Provider: p, Kind: Unpaid, Async: true})
			if o.status == "pending" {
				o.status = "failed"
			}
		}
		s.mu.Unlock()
	}()
}

// reconcile queries the payment; it reports whether the order is settled.
func (s *Service) reconcile(o *serviceOrder, p int) bool {
	s.mu.Lock()
	done, id := o.deliveries > 0, o.paymentID
	s.mu.Unlock()
	if done {
		return true
	}
	v, err := s.get(s.ctx, p, o.req.OrderID, id, "")
	if err != nil || v.Status != "succeeded" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.deliveries == 0 {
		s.rt.Observe(s.now(), Observation{Provider: p, Kind: Paid, Async: true, Age: s.now() - o.answered, Queried: true})
		s.deliver(o)
	}
	return true
}

// notify takes a provider's notification: signature and timestamp
// checked, then what it says matched against a payment the router asked
// that provider for (order, payment id, amount, currency); anything else
// is refused and counted. Goods go out once (on every notification under
// a DeliverEach negative control).
func (s *Service) notify(w http.ResponseWriter, r *http.Request) {
	p, ok := s.byNm[r.PathValue("provider")]
	if !ok {
		s.refuse(w, http.StatusNotFound, "no such provider")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		s.refuse(w, http.StatusBadRequest, "unreadable body")
		return
	}
	if !s.opt.Unsigned {
		if err := mocks.VerifySignature(s.opt.Secret, r.Header.Get(mocks.HeaderSig), body, s.opt.Now(), s.opt.Tolerance); err != nil {
			s.refuse(w, http.StatusUnauthorized, err.Error())
			return
		}
	}
	var n mocks.Notification
	if json.Unmarshal(body, &n) != nil {
		s.refuse(w, http.StatusBadRequest, "not a notification")
		return
	}
	if n.Status != "succeeded" {
		w.WriteHeader(http.StatusOK) // not a capture: acknowledged, ignored
		return
	}
	if why := s.take(p, n); why != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": why})
		return
	}
	w.WriteHeader(http.StatusOK)
}

// take is a capture notification whose signature checked out, whatever
// the protocol: what it says is matched against a payment the router
// asked provider p for (order, payment id, amount, currency); a match
// marks the order paid and sends the goods once. It returns why a
// notification is refused (counted), or "".
func (s *Service) take(p int, n mocks.Notification) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[n.MerchantOrderID]
	if why := o.mismatch(p, n); why != "" {
		s.refusedNotices++
		return why
	}
	o.learned(p, n.ID)
	if !o.notified {
		o.notified = true
		s.rt.Observe(s.now(), Observation{Provider: p, Kind: Paid, Async: true, Age: s.now() - o.answered})
	} else {
		s.dupNotices++
	}
	if o.deliveries == 0 || s.rules.DeliverEach {
		s.deliver(o)
	}
	return ""
}

// refuse answers a notification that cannot be taken, and counts it.
func (s *Service) refuse(w http.ResponseWriter, code int, why string) {
	s.mu.Lock()
	s.refusedNotices++
	s.mu.Unlock()
	writeJSON(w, code, map[string]string{"error": why})
}

// mismatch says why notification n from provider p is not about a payment
// the router asked p for on order o ("" when it is). A payment whose id
// the router never learned (its create call timed out) matches by order,
// provider, amount and currency alone. Callers hold mu.
func (o *serviceOrder) mismatch(p int, n mocks.Notification) string {
	switch {
	case o == nil:
		return fmt.Sprintf("no order %q", n.MerchantOrderID)
	case n.Amount != o.req.Amount || n.Currency != o.req.Currency:
		return fmt.Sprintf("order %s is %d %s; the notification says %d %s", o.req.OrderID, o.req.Amount, o.req.Currency, n.Amount, n.Currency)
	}
	asked := false
	for _, c := range o.created {
		if c.provider != p {
			continue
		}
		asked = true
		if c.id == "" || c.id == n.ID {
			return ""
		}
	}
	if !asked {
		return fmt.Sprintf("order %s was never sent to this provider", o.req.OrderID)
	}
	return fmt.Sprintf("payment %q is not one this provider created for order %s", n.ID, o.req.OrderID)
}

// learned records payment id of provider p for the order, where a create
// call's answer did not give it. Callers hold mu.
func (o *serviceOrder) learned(p int, id string) {
	for i := range o.created {
		if c := &o.created[i]; c.provider == p && c.id == "" {
			c.id = id
			return
		}
	}
}

// Stats is the body of GET /v1/stats: what a drill cannot see from
// outside the router. Optional for a router under test (docs/sut.md).
type Stats struct {
	StatusQueries          int64 `json:"status_queries"`
	DuplicateNotifications int64 `json:"duplicate_notifications"`
	// RefusedNotifications: bad or missing signature, stale timestamp, or
	// not about a payment the router created (order, provider, payment
	// id, amount, currency).
	RefusedNotifications int64 `json:"refused_notifications"`
	// Unsigned: the router was told to take notifications without a
	// signature (--unsigned); reports say so.
	Unsigned bool `json:"unsigned,omitempty"`
	// Shed: orders answered 503 at once, over the cap of orders in flight.
	Shed        int64             `json:"shed,omitempty"`
	Transitions []StatsTransition `json:"transitions,omitempty"`
}

// StatsTransition is one change in the router's view of a provider.
type StatsTransition struct {
	At       time.Duration `json:"at_ns"` // scenario time since the router started
	Provider string        `json:"provider"`
	State    string        `json:"state"`
	Reason   string        `json:"reason,omitempty"`
}

func (s *Service) stats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

// Stats is what GET /v1/stats serves.
func (s *Service) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{StatusQueries: s.queries, DuplicateNotifications: s.dupNotices,
		RefusedNotifications: s.refusedNotices, Unsigned: s.opt.Unsigned, Shed: s.shed.Load()}
	if t, ok := s.rt.(Tracer); ok {
		for _, tr := range t.Transitions() {
			st.Transitions = append(st.Transitions, StatsTransition{At: tr.At, Provider: s.provs[tr.Provider].name,
				State: tr.State, Reason: tr.Reason})
		}
	}
	return st
}
