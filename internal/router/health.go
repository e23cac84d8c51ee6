package router

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
)

// Health is the default router: providers in preference order, each with
// a health state learned from what the router sees. docs/health.md says
// how it decides and why.
//
// A provider is ejected when, over the last Window, at least MinSamples
// create calls ended and FailureRate of them failed (provider block,
// transient or timeout), or after Consecutive failures in a row (fast at
// low traffic), or when its unpaid pay pages are more than a healthy
// provider would show at FalseAlarms false ejections a day (see silence),
// or when its issuer declines rise far above its own history (see
// declines).
//
// An ejected provider gets buyers only as probes, and a probe costs its
// buyer nothing: after Cooldown, orders that would prefer it earn it
// ProbeShare of a probe each (the first probe is free), at most one probe
// of an async provider is open at a time, and a probe that fails (an
// error, a decline, a pay page unpaid by the probe deadline) sends its
// order on at once (see Prober). A good probe closes it (fail back: an
// accepted call, a notified payment of a probe's page, or enough probes
// with normal declines); a bad one ejects it again with twice the
// cooldown (at most 2m). No other order goes to it, so a frozen provider
// never takes a buyer's order back before it is shown healthy.
//
// A provider that answers 429 (rate limit, capacity) is not unhealthy,
// only full: its admission share is halved (at most once a second) and
// grows back by a little with each call it takes, so it carries what it
// can and the rest goes to the next provider (additive increase,
// multiplicative decrease, as TCP does).
//
// After a timeout it queries the payment before any retry, and it
// reconciles open async payments by status query, so a lost notification
// never strands a payment.
type Health struct {
	cfg   HealthParams
	provs []Provider
	order []int
	st    []hstate
	rng   *rand.Rand
	rules Rules
	trace transitions
	probe int  // the provider Pick just sent a probe to, or -1
	flaws flaw // a negative control's mistake beyond the config's switches (controls.go)
	// led is the ledger of each provider with stated terms (nil: none;
	// the slice is nil when no provider states any, or NoSpread).
	led   []*ledger
	cands []int // Pick's spreading candidates (reused)
	acc   accepting
}

// Transitions implements Tracer.
func (h *Health) Transitions() []Transition { return h.trace.log }

var reasonNames = [...]string{"", "failures", "silence", "declines"}

// HealthParams are the health router's parameters with defaults applied.
// Each part can be switched off on its own, so a variant (a negative
// control, an ablation) is one field.
type HealthParams struct {
	Window      time.Duration // create-failure window (default 1m)
	MinSamples  int           // calls in the window before the rate is judged (10)
	FailureRate float64       // share of failed calls that ejects (0.5)
	Consecutive int           // failures in a row that eject (5)
	// FalseAlarms is the silence test's budget: ejections of a healthy
	// provider per day it may cause (0.2).
	FalseAlarms float64
	// ProbeDeadline is how long a probe's pay page may stay unpaid; 0
	// takes the provider's learned 80th percentile of payment delays,
	// between 30s and 3m (2m before anything is learned).
	ProbeDeadline time.Duration
	CheckAfter    time.Duration // status query of an open async payment (2m)
	Cooldown      time.Duration // first ejection's length (30s)
	ProbeShare    float64       // probes per preferring order once out (0.02)
	QueryDelay    time.Duration // wait before querying after a timeout (2s)
	MaxAttempts   int           // attempts per order (3)

	// Switches for variants; the zero value is the full router.
	NoSilence    bool // never eject for unpaid pages
	NoDeclines   bool // never eject for declines
	NoSegments   bool // do not learn transaction-level blocks
	NoReconcile  bool // no status queries of open async payments
	RiskyProbes  bool // probes without a deadline or cascade (relapse costs orders)
	NoAdmission  bool // ignore 429s
	NoCreateRule bool // never eject for failed create calls
	NoSpread     bool // ignore the channels' stated terms (limits, reviews): spread.go
}

// HealthConfig applies defaults to the scenario's health parameters.
func HealthConfig(p scenario.HealthParams) HealthParams {
	h := HealthParams{
		Window: p.Window.D(), MinSamples: p.MinSamples, FailureRate: p.FailureRate,
		Consecutive: p.Consecutive, FalseAlarms: p.FalseAlarms, ProbeDeadline: p.ProbeDeadline.D(),
		CheckAfter: p.CheckAfter.D(), Cooldown: p.Cooldown.D(), ProbeShare: p.ProbeShare,
		QueryDelay: p.QueryDelay.D(), MaxAttempts: p.MaxAttempts,
	}
	return h.withDefaults()
}

// withDefaults fills the unset parameters.
func (h HealthParams) withDefaults() HealthParams {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defFloat := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&h.Window, time.Minute)
	def(&h.CheckAfter, 2*time.Minute)
	def(&h.Cooldown, 30*time.Second)
	def(&h.QueryDelay, 2*time.Second)
	defInt(&h.MinSamples, 10)
	defInt(&h.Consecutive, 5)
	defInt(&h.MaxAttempts, 3)
	defFloat(&h.FailureRate, 0.5)
	defFloat(&h.ProbeShare, 0.02)
	defFloat(&h.FalseAlarms, 0.2)
	return h
}

const maxCooldown = 2 * time.Minute

// Probe deadlines learned from payment delays.
const (
	probeQuantile    = 0.8
	probeDeadlineMin = 30 * time.Second
	probeDeadlineMax = 3 * time.Minute
	probeDeadlineDef = 2 * time.Minute
)

// Why a provider was ejected.
const (
	reasonNone uint8 = iota
	reasonCreate
	reasonSilence
	reasonDeclines
)

type hstate struct {
	win         window
	consecutive int
	sil         silence
	dec         declines
	seg         segments

	reason   uint8
	until    time.Duration // ejected until; probes after
	cooldown time.Duration
	tokens   float64         // probes earned while out
	probes   []time.Duration // answer times of open async probes
	failed   int             // failed probes since the ejection

	admit   float64 // share of preferring orders it is offered (AIMD on 429s)
	lastCut time.Duration
}

// Admission control on 429s.
const (
	admitFloor    = 0.02
	admitCut      = 0.5
	admitGain     = 0.002
	admitCutEvery = time.Second
)

// NewHealth builds a health router over provs, preferring them in order.
func NewHealth(provs []Provider, order []int, cfg HealthParams, randSeed uint64) *Health {
	cfg = cfg.withDefaults()
	h := &Health{cfg: cfg, provs: provs, order: order, st: make([]hstate, len(provs)),
		rng: seed.Stream(randSeed, "router"), probe: -1, acc: accepting{provs: provs}}
	for i := range h.st {
		h.st[i].win = newWindow(cfg.Window)
		h.st[i].cooldown = cfg.Cooldown
		h.st[i].admit = 1
		h.st[i].sil = newSilence()
		h.st[i].dec = newDeclines(cfg.Window)
	}
	h.rules = checkoutRules(cfg)
	for i, p := range provs {
		if p.Terms != nil && !cfg.NoSpread {
			if h.led == nil {
				h.led = make([]*ledger, len(provs))
			}
			h.led[i] = newLedger(p.Terms, firstChoiceOf(provs, order, i))
		}
	}
	return h
}

// Rules implements Router.
func (h *Health) Rules() Rules { return h.rules }

// Ejected reports whether provider i is out of rotation at now (probing counts as out).
func (h *Health) Ejected(i int) bool { return h.st[i].reason != reasonNone }

// Pick implements Router.
func (h *Health) Pick(now time.Duration, o *payment.Order, tried uint64) int {
	h.probe = -1
	fallback, avoided, over := -1, -1, -1
	// Spreading (spread.go): moved reports whether a provider the order
	// would prefer was passed over; cands collects the healthy providers
	// with a stated review the order may be spread over.
	moved := false
	h.cands = h.cands[:0]
	masked := len(h.provs) <= maxMasked
	var takes uint64
	if masked {
		takes = h.acc.mask(o.Method)
	}
	for _, i := range h.order {
		if masked && takes&(1<<uint(i)) == 0 || !masked && !h.provs[i].Accepts(o.Method) {
			continue
		}
		if tried&(1<<uint(i)) != 0 {
			moved = true
			continue
		}
		s := &h.st[i]
		if len(h.cands) > 0 {
			// Spreading: only healthy providers with room for this order.
			if s.reason != reasonNone || (!h.cfg.NoSegments && s.seg.avoid(now, o)) ||
				(s.admit < 1 && h.rng.Float64() >= s.admit) || !h.led[i].fitsOrNone(now, o) {
				continue
			}
			if h.led[i] == nil || h.led[i].t.Review == nil {
				return h.spreadPick(now, o, h.cands, i)
			}
			h.cands = append(h.cands, i)
			continue
		}
		if h.provs[i].Async && !h.cfg.NoSilence {
			h.checkSilence(now, i)
		}
		if !h.cfg.NoSegments && s.seg.avoid(now, o) {
			if s.reason == reasonNone && tried == 0 && h.rng.Float64() < h.cfg.ProbeShare {
				h.probe = i
				return i // a probe of the block: it costs the buyer nothing
			}
			if avoided < 0 {
				avoided = i
			}
			moved = true
			continue // this kind of order is blocked here
		}
		if s.reason == reasonNone {
			if s.admit < 1 && h.rng.Float64() >= s.admit {
				if avoided < 0 {
					avoided = i
				}
				moved = true
				continue // full: this order goes to the next provider
			}
			if h.led == nil || h.led[i] == nil {
				return i
			}
			l := h.led[i]
			if !l.fits(now, o) {
				if over < 0 {
					over = i
				}
				moved = true
				continue // outside its limits: no call that can only be declined
			}
			if l.t.Review == nil || (!moved && l.room(now) >= float64(o.Amount)) {
				return i
			}
			h.cands = append(h.cands, i) // moved traffic, or no room: spread
			continue
		}
		moved = true
		switch {
		case h.cfg.RiskyProbes:
			if now >= s.until && h.rng.Float64() < h.cfg.ProbeShare {
				return i
			}
		case tried == 0:
			// Every order that would prefer it earns it a share of a
			// probe, also during the cooldown (which only spaces them).
			s.tokens = min(1, s.tokens+h.cfg.ProbeShare)
			if now >= s.until && s.tokens >= 1-1e-9 && (!h.provs[i].Async || len(s.probes) == 0) {
				s.tokens = max(0, s.tokens-1)
				h.probe = i
				return i
			}
		}
		if (fallback < 0 || h.worse(fallback, i)) && !h.has(flawNoFailback) {
			fallback = i
		}
	}
	if len(h.cands) > 0 {
		return h.spreadPick(now, o, h.cands, -1)
	}
	// Every eligible provider is out: one that merely blocked orders like
	// this one before, else the one with the fewest failed probes (a
	// frozen provider keeps failing them), the soonest back among equals;
	// last, one outside its limits (its decline moves the order on).
	if avoided >= 0 {
		return avoided
	}
	if fallback >= 0 {
		return fallback
	}
	return over
}

// worse reports whether ejected provider a is a worse fallback than b.
func (h *Health) worse(a, b int) bool {
	sa, sb := &h.st[a], &h.st[b]
	if sa.failed != sb.failed {
		return sa.failed > sb.failed
	}
	return sa.until > sb.until
}

// Probe implements Prober: the attempt Pick just sent to p is a probe when
// p is out of rotation (or the order looks blocked there).
func (h *Health) Probe(p int) (time.Duration, bool) {
	if p != h.probe {
		return 0, false
	}
	h.probe = -1
	if !h.provs[p].Async {
		return 0, true
	}
	if d := h.cfg.ProbeDeadline; d > 0 {
		return d, true
	}
	d := h.st[p].sil.quantile(probeQuantile, probeDeadlineDef)
	return min(max(d, probeDeadlineMin), probeDeadlineMax), true
}

// Observe implements Router.
func (h *Health) Observe(now time.Duration, ob Observation) {
	s := &h.st[ob.Provider]
	switch ob.Kind {
	case Answered:
		if h.led != nil && h.led[ob.Provider] != nil && ob.Status == payment.Accepted && ob.Order != nil {
			h.led[ob.Provider].add(now, ob.Order)
		}
		blocked := ob.Code == payment.CodeTransactionBlocked
		if ob.Order != nil && !h.cfg.NoSegments {
			s.seg.observe(now, ob.Order, blocked)
		}
		if blocked {
			// A transaction-level block says nothing of the provider's
			// health for other orders: segments handles it.
			return
		}
		if ob.Status == payment.Limited && !h.cfg.NoAdmission {
			if now-s.lastCut >= admitCutEvery {
				s.admit, s.lastCut = max(admitFloor, s.admit*admitCut), now
			}
			return
		}
		if ob.Status == payment.Accepted || ob.Class == payment.Issuer {
			s.admit = min(1, s.admit+admitGain)
		}
		failed := ob.Class == payment.ProviderBlock || ob.Class == payment.Transient ||
			(ob.Class == payment.Unknown && !h.has(flawTimeoutsOK))
		s.win.add(now, failed)
		if !failed {
			s.consecutive = 0
			declined := ob.Class == payment.Issuer
			if s.reason == reasonDeclines && now >= s.until {
				switch s.dec.probe(declined) {
				case probeGood:
					h.restore(now, ob.Provider)
				case probeBad:
					h.eject(now, ob.Provider, reasonDeclines)
				}
				return
			}
			if s.reason == reasonNone && !h.cfg.NoDeclines && s.dec.add(now, declined) {
				h.eject(now, ob.Provider, reasonDeclines)
				return
			}
			if ob.Status == payment.Accepted && ob.Async {
				s.sil.accepted(now)
				if s.reason == reasonSilence && now >= s.until {
					s.probes = append(s.probes, now)
				}
			}
			if s.reason == reasonCreate && now >= s.until && ob.Status == payment.Accepted {
				h.restore(now, ob.Provider)
			}
			return
		}
		s.consecutive++
		switch {
		case s.reason != reasonNone:
			if now >= s.until {
				// A failed probe: back out, for longer.
				h.eject(now, ob.Provider, reasonCreate)
			}
		case h.cfg.NoCreateRule:
		case s.consecutive >= h.cfg.Consecutive:
			h.eject(now, ob.Provider, reasonCreate)
		default:
			if n, f := s.win.counts(now); n >= h.cfg.MinSamples && float64(f) >= h.cfg.FailureRate*float64(n) {
				h.eject(now, ob.Provider, reasonCreate)
			}
		}
	case Paid:
		if !ob.Async || ob.Queried {
			// A capture found only by querying means the notification
			// never came: for the silence test that is no sign of life.
			return
		}
		s.sil.paid(now, ob.Age)
		if s.reason == reasonSilence && s.dropProbe(now-ob.Age) {
			h.restore(now, ob.Provider)
		}
	case Unpaid:
		if ob.Probe && s.reason == reasonSilence && s.dropProbe(now-ob.Age) {
			// A probe's page withdrawn unpaid: out again, for longer.
			s.failed++
			h.eject(now, ob.Provider, reasonSilence)
		}
	}
}

// dropProbe forgets the open probe answered at; it reports whether there was one.
func (s *hstate) dropProbe(at time.Duration) bool {
	for k, a := range s.probes {
		if a == at {
			s.probes = append(s.probes[:k], s.probes[k+1:]...)
			return true
		}
	}
	return false
}

func (h *Health) eject(now time.Duration, i int, why uint8) {
	h.trace.add(Transition{At: now, Provider: i, State: "out", Reason: reasonNames[why]})
	s := &h.st[i]
	if s.reason != reasonNone {
		s.cooldown = min(2*s.cooldown, maxCooldown)
	} else {
		// The first probe is free; later ones are earned by orders.
		s.failed, s.tokens = 0, 1
	}
	s.reason, s.until = why, now+s.cooldown
	if h.has(flawNoFailback) {
		s.until = forever
	}
	s.probes = s.probes[:0]
	s.consecutive = 0
	s.win.reset()
	s.sil.forget(now)
	s.dec.reset()
}

func (h *Health) restore(now time.Duration, i int) {
	h.trace.add(Transition{At: now, Provider: i, State: "in"})
	s := &h.st[i]
	s.reason, s.cooldown, s.consecutive, s.failed = reasonNone, h.cfg.Cooldown, 0, 0
	s.probes = s.probes[:0]
	s.win.reset()
	s.sil.forget(now)
	s.dec.reset()
}

func (h *Health) checkSilence(now time.Duration, i int) {
	s := &h.st[i]
	if s.reason != reasonNone {
		return
	}
	if s.sil.suspect(now, h.cfg.FalseAlarms) {
		h.eject(now, i, reasonSilence)
	}
}
