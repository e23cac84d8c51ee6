package mocks

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
)

// Call is the outcome of one create-payment request, as the provider
// decides it.
type Call struct {
	Status    payment.Status
	Code      string
	Latency   time.Duration // until the provider answers
	Processed bool          // a payment exists at the provider
	Silent    bool          // the pay page opens but the buyer cannot pay
	InFlight  int           // creates in flight when this one arrived
	Hits      uint64        // bit i: fault i touched this call
}

// Notice is how the provider notifies the router of one capture: Count
// notifications (0 lost, 2 duplicated) after Delay since the capture.
type Notice struct {
	Count int
	Delay [2]time.Duration
	Hits  uint64
}

// Payment is one payment as a provider sees it. The caller stores it.
type Payment struct {
	State    payment.PaymentState
	Silent   bool
	Accepted time.Duration
	Amount   payment.Money
}

// Ledger is what a provider captured.
type Ledger struct {
	Creates  int64
	Captures int64
	Amount   payment.Money // captured, minor units
	Fees     payment.Money
	// Contracted limits (scenario limits): creates declined for them, the
	// daily cap, and the highest volume accepted in one day.
	LimitDeclines int64
	DailyCap      payment.Money
	DailyPeak     payment.Money
	// Reviews are the times a velocity review put the merchant under review.
	Reviews []ReviewTrip
}

// Provider is one mock payment channel's behaviour model.
type Provider struct {
	Name  string
	Index int
	Tags  []string
	Flow  string // "sync" or "async"

	methods    []string
	latency    Spread
	declines   float64
	codes      Mix
	completion float64
	payDelay   Spread
	notifyLoss float64
	notifyDup  float64
	notifyLag  Spread
	expiry     time.Duration
	feePct     float64
	feeFixed   payment.Money

	limit    *limiter
	contract *contract
	review   *review
	capacity int
	inflight []time.Duration // release times of creates in flight, sorted

	creators  []*Fault // faults with create effects, in rank order
	notifiers []*Fault
	rng       *rand.Rand
	ledger    Ledger

	// Scratch values the fault effects work on: passing a local's address
	// through an interface call would move it to the heap on every call.
	call   Call
	notice Notice
}

// New builds provider i of a validated scenario, with the faults that target it.
func New(s *scenario.Scenario, i int) *Provider {
	c := s.Providers[i]
	p := &Provider{
		Name: c.Name, Index: i, Tags: c.Tags, Flow: c.Flow,
		methods:    c.Methods,
		latency:    NewSpread(c.Latency.Median.D(), c.Latency.P99.D()),
		declines:   c.DeclineRate,
		completion: c.Completion.Rate,
		payDelay:   NewSpread(c.Completion.Delay.Median.D(), c.Completion.Delay.P99.D()),
		notifyLoss: c.Notify.Loss,
		notifyDup:  c.Notify.Duplicate,
		notifyLag:  NewSpread(c.Notify.Delay.Median.D(), c.Notify.Delay.P99.D()),
		expiry:     c.Expiry.D(),
		feePct:     c.Fee.Percent,
		feeFixed:   payment.Money(math.Round(c.Fee.Fixed * 100)),
		capacity:   c.Capacity,
		contract:   newContract(c.Limits),
		review:     newReview(c.Review),
		rng:        seed.Stream(s.Seed, "provider:"+c.Name),
	}
	if len(c.DeclineCodes) > 0 {
		p.codes = mixOf(c.DeclineCodes)
	} else {
		p.codes = NewMix([]string{payment.CodeDoNotHonor}, []float64{1})
	}
	if c.RateLimit > 0 {
		p.limit = newLimiter(c.RateLimit.PerSecond())
	}
	for fi, f := range s.Faults {
		if !slices.Contains(s.TargetIndexes(f), i) {
			continue
		}
		ft := NewFault(fi, f)
		if _, ok := ft.effect.(creator); ok {
			p.creators = append(p.creators, ft)
		}
		if _, ok := ft.effect.(notifier); ok {
			p.notifiers = append(p.notifiers, ft)
		}
	}
	sort.SliceStable(p.creators, func(a, b int) bool { return p.creators[a].rank < p.creators[b].rank })
	return p
}

// Async reports whether payments wait for the buyer on a pay page.
func (p *Provider) Async() bool { return p.Flow == "async" }

// Accepts reports whether the provider takes the payment method.
func (p *Provider) Accepts(method string) bool {
	return len(p.methods) == 0 || slices.Contains(p.methods, method)
}

// Expiry is how long an async pay page stays open.
func (p *Provider) Expiry() time.Duration { return p.expiry }

// Ledger returns what the provider captured so far.
func (p *Provider) Ledger() Ledger {
	l := p.ledger
	if c := p.contract; c != nil {
		l.LimitDeclines, l.DailyCap, l.DailyPeak = c.declines, c.all.daily, c.peak
	}
	if v := p.review; v != nil {
		l.Reviews = append([]ReviewTrip(nil), v.trips...)
	}
	return l
}

// Create decides a create-payment request for o arriving at now, and
// records it in pay. For sync flows an accepted payment is captured at once.
func (p *Provider) Create(now time.Duration, o *payment.Order, pay *Payment) Call {
	p.call = Call{Status: payment.Accepted, Processed: true, Latency: p.latency.Sample(p.rng)}
	c := &p.call
	if p.capacity > 0 || p.hasCapacityFault() {
		c.InFlight = p.inFlight(now)
	}
	for _, f := range p.creators {
		if c.Status != payment.Accepted && f.rank != rankLatency {
			break
		}
		if !f.Active(now) || !f.Matches(o) {
			continue
		}
		if f.effect.(creator).create(now, c, p.rng) {
			c.Hits |= f.Mask()
		}
	}
	if c.Status == payment.Accepted && p.review != nil {
		p.review.apply(now, o, c)
	}
	if c.Status == payment.Accepted && p.contract != nil {
		if code := p.contract.refuses(now, o); code != "" {
			c.Status, c.Code = payment.Declined, code
		}
	}
	if c.Status == payment.Accepted {
		switch {
		case p.limit != nil && !p.limit.allow(now):
			c.Status, c.Code, c.Processed = payment.Limited, payment.CodeTryAgain, false
		case p.capacity > 0 && c.InFlight >= p.capacity:
			c.Status, c.Code, c.Processed = payment.Limited, payment.CodeTryAgain, false
		case p.declines > 0 && p.rng.Float64() < p.declines:
			c.Status, c.Code = payment.Declined, p.codes.Draw(p.rng)
		}
	}
	if c.Silent && c.Status != payment.Accepted {
		// Declined or refused for another reason: the silent freeze never showed.
		c.Silent = false
		for _, f := range p.creators {
			if _, ok := f.effect.(*silent); ok {
				c.Hits &^= f.Mask()
			}
		}
	}
	if p.capacity > 0 || p.hasCapacityFault() {
		p.track(now + c.Latency)
	}
	if c.Status == payment.Accepted && p.contract != nil {
		p.contract.use(now, o)
	}
	if c.Status == payment.Accepted && p.review != nil {
		p.review.add(now, o)
	}
	*pay = Payment{State: payment.NotFound, Amount: o.Amount}
	if !c.Processed {
		return *c
	}
	p.ledger.Creates++
	pay.Accepted = now
	switch {
	case c.Status != payment.Accepted:
		pay.State = payment.Closed
	case p.Flow == "async":
		pay.State, pay.Silent = payment.Open, c.Silent
	default:
		if c.Silent {
			// A silent freeze on a card-style flow: the charge never completes.
			pay.State, pay.Silent = payment.Closed, true
			c.Status, c.Code = payment.Declined, payment.CodeProcessingError
		} else {
			p.capture(pay)
		}
	}
	return *c
}

func (p *Provider) hasCapacityFault() bool {
	for _, f := range p.creators {
		if _, ok := f.effect.(*capacity); ok {
			return true
		}
	}
	return false
}

// inFlight counts creates whose answer is still due at now.
func (p *Provider) inFlight(now time.Duration) int {
	i := sort.Search(len(p.inflight), func(i int) bool { return p.inflight[i] > now })
	p.inflight = p.inflight[i:]
	return len(p.inflight)
}

func (p *Provider) track(release time.Duration) {
	i := sort.Search(len(p.inflight), func(i int) bool { return p.inflight[i] > release })
	p.inflight = slices.Insert(p.inflight, i, release)
}

func (p *Provider) capture(pay *Payment) {
	pay.State = payment.Captured
	p.ledger.Captures++
	p.ledger.Amount += pay.Amount
	p.ledger.Fees += payment.Money(math.Round(float64(pay.Amount)*p.feePct/100)) + p.feeFixed
}

// Buyer draws how the buyer of an async payment behaves: whether they try
// to pay, and after how long.
func (p *Provider) Buyer(r *rand.Rand) (pays bool, after time.Duration) {
	if r.Float64() >= p.completion {
		return false, 0
	}
	return true, p.payDelay.Sample(r)
}

// Pay is the buyer paying an open payment at now. It reports whether the
// money was captured.
func (p *Provider) Pay(now time.Duration, pay *Payment) bool {
	if pay.State != payment.Open || pay.Silent || now >= pay.Accepted+p.expiry {
		return false
	}
	p.capture(pay)
	return true
}

// Notify plans the notifications of the capture of o's payment at now.
func (p *Provider) Notify(now time.Duration, o *payment.Order) Notice {
	p.notice = Notice{Count: 1, Delay: [2]time.Duration{p.notifyLag.Sample(p.rng)}}
	n := &p.notice
	if p.notifyLoss > 0 && p.rng.Float64() < p.notifyLoss {
		n.Count = 0
	} else if p.notifyDup > 0 && p.rng.Float64() < p.notifyDup {
		n.Count = 2
		n.Delay[1] = n.Delay[0] + p.notifyLag.Sample(p.rng)
	}
	for _, f := range p.notifiers {
		if !f.Active(now) || !f.Matches(o) {
			continue
		}
		if f.effect.(notifier).notify(now, n, p.rng) {
			n.Hits |= f.Mask()
		}
	}
	return *n
}

// Expire closes an open payment whose pay page timed out.
func (p *Provider) Expire(pay *Payment) {
	if pay.State == payment.Open {
		pay.State = payment.Closed
	}
}

// Cancel closes an open payment the router gave up on.
func (p *Provider) Cancel(pay *Payment) { p.Expire(pay) }
