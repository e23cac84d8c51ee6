package router

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
)

// Health is the default router: providers in preference order, each with
// a health state learned from what the router sees.
//
// A provider is ejected when, over the last Window, at least MinSamples
// create calls ended and FailureRate of them failed (provider block,
// transient or timeout), or after Consecutive failures in a row (fast at
// low traffic), or when its async payments fall silent (see silence), or
// when its issuer declines rise far above its own history (see declines).
// After Cooldown it is half-open: ProbeShare of the orders that would
// prefer it are sent to it as probes. A good probe closes it (fail back);
// a bad one ejects it again with twice the cooldown (at most 2m).
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
}

// Transitions implements Tracer.
func (h *Health) Transitions() []Transition { return h.trace.log }

var reasonNames = [...]string{"", "failures", "silence", "declines"}

// HealthParams are the health router's parameters with defaults applied.
type HealthParams struct {
	Window       time.Duration // create-failure window (default 1m)
	MinSamples   int           // calls in the window before the rate is judged (10)
	FailureRate  float64       // share of failed calls that ejects (0.5)
	Consecutive  int           // failures in a row that eject (5)
	UnpaidStreak int           // matured unpaid probes that eject again (5)
	CheckAfter   time.Duration // status query of an open async payment (2m)
	Cooldown     time.Duration // first ejection's length (30s)
	ProbeShare   float64       // share of preferring orders sent as probes (0.02)
	QueryDelay   time.Duration // wait before querying after a timeout (2s)
	MaxAttempts  int           // attempts per order (3)
}

// HealthConfig applies defaults to the scenario's health parameters.
func HealthConfig(p scenario.HealthParams) HealthParams {
	h := HealthParams{
		Window: p.Window.D(), MinSamples: p.MinSamples, FailureRate: p.FailureRate,
		Consecutive: p.Consecutive, UnpaidStreak: p.UnpaidStreak, CheckAfter: p.CheckAfter.D(),
		Cooldown: p.Cooldown.D(), ProbeShare: p.ProbeShare, QueryDelay: p.QueryDelay.D(),
		MaxAttempts: p.MaxAttempts,
	}
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
	def(&h.Window, time.Minute)
	def(&h.CheckAfter, 2*time.Minute)
	def(&h.Cooldown, 30*time.Second)
	def(&h.QueryDelay, 2*time.Second)
	defInt(&h.MinSamples, 10)
	defInt(&h.Consecutive, 5)
	defInt(&h.UnpaidStreak, 5)
	defInt(&h.MaxAttempts, 3)
	if h.FailureRate <= 0 {
		h.FailureRate = 0.5
	}
	if h.ProbeShare <= 0 {
		h.ProbeShare = 0.02
	}
	return h
}

const maxCooldown = 2 * time.Minute

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

	reason     uint8
	until      time.Duration // ejected until; half-open after
	cooldown   time.Duration
	probeStart time.Duration
	probes     []time.Duration // acceptance times of half-open probes

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
	h := &Health{cfg: cfg, provs: provs, order: order, st: make([]hstate, len(provs)),
		rng: seed.Stream(randSeed, "router")}
	for i := range h.st {
		h.st[i].win = newWindow(cfg.Window)
		h.st[i].cooldown = cfg.Cooldown
		h.st[i].admit = 1
		h.st[i].sil = newSilence()
		h.st[i].dec = newDeclines(cfg.Window)
	}
	r := Rules{MaxAttempts: cfg.MaxAttempts, QueryUnknown: true, QueryDelay: cfg.QueryDelay,
		Reconcile: true, CheckAfter: cfg.CheckAfter}
	r.Retry[payment.ProviderBlock] = true
	r.Retry[payment.Transient] = true
	r.Retry[payment.Unknown] = true
	h.rules = r
	return h
}

// Rules implements Router.
func (h *Health) Rules() Rules { return h.rules }

// Ejected reports whether provider i is out of rotation at now (half-open counts as out).
func (h *Health) Ejected(i int) bool { return h.st[i].reason != reasonNone }

// Pick implements Router.
func (h *Health) Pick(now time.Duration, o *payment.Order, tried uint64) int {
	fallback, fallbackUntil, avoided := -1, time.Duration(0), -1
	for _, i := range h.order {
		if tried&(1<<uint(i)) != 0 || !h.provs[i].Accepts(o.Method) {
			continue
		}
		s := &h.st[i]
		if h.provs[i].Async {
			h.checkSilence(now, i)
		}
		if s.seg.avoid(now, o) && h.rng.Float64() >= h.cfg.ProbeShare {
			if avoided < 0 {
				avoided = i
			}
			continue // this kind of order is blocked here; a few probe it
		}
		if s.reason == reasonNone {
			if s.admit < 1 && h.rng.Float64() >= s.admit {
				if avoided < 0 {
					avoided = i
				}
				continue // full: this order goes to the next provider
			}
			return i
		}
		if now >= s.until {
			if s.reason == reasonSilence && h.probesFailed(now, s) {
				h.eject(now, i, reasonSilence)
			} else if h.rng.Float64() < h.cfg.ProbeShare {
				return i
			}
		}
		if fallback < 0 || s.until < fallbackUntil {
			fallback, fallbackUntil = i, s.until
		}
	}
	// Every eligible provider is out: the one back soonest is the best bet,
	// else one that merely blocked orders like this one before.
	if fallback < 0 {
		return avoided
	}
	return fallback
}

// Observe implements Router.
func (h *Health) Observe(now time.Duration, ob Observation) {
	s := &h.st[ob.Provider]
	switch ob.Kind {
	case Answered:
		blocked := ob.Code == payment.CodeTransactionBlocked
		if ob.Order != nil {
			s.seg.observe(now, ob.Order, blocked)
		}
		if blocked {
			// A transaction-level block says nothing of the provider's
			// health for other orders: segments handles it.
			return
		}
		if ob.Status == payment.Limited {
			if now-s.lastCut >= admitCutEvery {
				s.admit, s.lastCut = max(admitFloor, s.admit*admitCut), now
			}
			return
		}
		if ob.Status == payment.Accepted || ob.Class == payment.Issuer {
			s.admit = min(1, s.admit+admitGain)
		}
		failed := ob.Class == payment.ProviderBlock || ob.Class == payment.Transient || ob.Class == payment.Unknown
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
			if s.reason == reasonNone && s.dec.add(now, declined) {
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
		if s.reason == reasonSilence && now-ob.Age >= s.probeStart {
			h.restore(now, ob.Provider)
		}
	}
}

func (h *Health) eject(now time.Duration, i int, why uint8) {
	h.trace.add(Transition{At: now, Provider: i, State: "out", Reason: reasonNames[why]})
	s := &h.st[i]
	if s.reason != reasonNone {
		s.cooldown = min(2*s.cooldown, maxCooldown)
	}
	s.reason, s.until = why, now+s.cooldown
	s.probeStart, s.probes = s.until, s.probes[:0]
	s.consecutive = 0
	s.win.reset()
	s.sil.forget()
	s.dec.reset()
}

func (h *Health) restore(now time.Duration, i int) {
	h.trace.add(Transition{At: now, Provider: i, State: "in"})
	s := &h.st[i]
	s.reason, s.cooldown, s.consecutive = reasonNone, h.cfg.Cooldown, 0
	s.probes = s.probes[:0]
	s.win.reset()
	s.sil.forget()
	s.dec.reset()
}

// probesFailed reports whether enough half-open probes of a silenced
// provider matured without one being paid.
func (h *Health) probesFailed(now time.Duration, s *hstate) bool {
	n := 0
	for _, a := range s.probes {
		if now-a >= h.cfg.CheckAfter {
			n++
		}
	}
	return n >= h.cfg.UnpaidStreak
}

func (h *Health) checkSilence(now time.Duration, i int) {
	s := &h.st[i]
	if s.reason != reasonNone {
		return
	}
	if s.sil.suspect(now) {
		h.eject(now, i, reasonSilence)
	}
}
