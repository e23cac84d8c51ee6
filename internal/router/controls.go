package router

import (
	"math"
	"slices"

	"github.com/paydrill/paydrill/internal/payment"
)

// A negative control is the health router with exactly one mistake, the
// one a library drill is named for, and otherwise good. A drill that its
// own control passes cannot see the mistake it claims to catch; the
// library's matrix test runs each drill against its control.
//
// Controls lists them with the mistake each makes; the names are valid
// strategies (--router, router.strategy). Most are one of health's own
// switches (HealthParams); the rest are a checkout rule or a flaw below.
var Controls = []Control{
	{"health-no-eject", "never ejects a channel for failed create calls: a per-order cascade that keeps knocking on a frozen or dead channel",
		func(p *HealthParams) { p.NoCreateRule = true }, 0},
	{"health-no-silence", "loud-only: never notices async payments falling silent",
		func(p *HealthParams) { p.NoSilence = true }, 0},
	{"health-no-reconcile", "never queries open async payments: a lost notification strands the buyer's money",
		func(p *HealthParams) { p.NoReconcile = true }, 0},
	{"health-deliver-each", "the shop delivers the goods on every notification, not once per order", nil, flawDeliverEach},
	{"health-blind-timeouts", "retries a timed-out call elsewhere without querying it first: a capture behind the timeout is charged twice", nil, flawBlindTimeouts},
	{"health-timeouts-ok", "does not count timeouts as failures: a hung channel keeps its traffic", nil, flawTimeoutsOK},
	{"health-ignore-429", "no admission control: a channel that answers 429 is treated as failing, not as full",
		func(p *HealthParams) { p.NoAdmission = true }, 0},
	{"health-no-segments", "does not learn transaction-level blocks: every blocked kind of order knocks on the channel first",
		func(p *HealthParams) { p.NoSegments = true }, 0},
	{"health-no-declines", "does not watch issuer declines: a decline spike or creep keeps its traffic",
		func(p *HealthParams) { p.NoDeclines = true }, 0},
	{"health-risky-probes", "probes a channel with real orders and no deadline: a relapse costs buyers their orders",
		func(p *HealthParams) { p.RiskyProbes = true }, 0},
	{"health-no-failback", "never takes an ejected channel back, not even when every channel is out", nil, flawNoFailback},
	{"health-no-spread", "ignores the channels' stated limits and reviews: a frozen channel's traffic all goes to the next backup, whose velocity review trips",
		func(p *HealthParams) { p.NoSpread = true }, 0},
}

// Control is one negative-control router: health with one switch of its
// config set (Switch), or one flaw.
type Control struct {
	Name    string
	Mistake string
	Switch  func(*HealthParams)
	flaw    flaw
}

// flaw is a deliberate mistake of a health router that its config has no
// switch for (a bit set; a control has at most one).
type flaw uint16

const (
	flawDeliverEach flaw = 1 << iota
	flawBlindTimeouts
	flawTimeoutsOK
	flawNoFailback
)

// ControlNames lists the controls' names.
func ControlNames() []string {
	out := make([]string, len(Controls))
	for i, c := range Controls {
		out[i] = c.Name
	}
	return out
}

// newControl builds the named control, or reports false.
func newControl(name string, provs []Provider, order []int, cfg HealthParams, randSeed uint64) (*Health, bool) {
	i := slices.IndexFunc(Controls, func(c Control) bool { return c.Name == name })
	if i < 0 {
		return nil, false
	}
	c := Controls[i]
	if c.Switch != nil {
		c.Switch(&cfg)
	}
	h := NewHealth(provs, order, cfg, randSeed)
	h.flaws = c.flaw
	switch c.flaw {
	case flawDeliverEach:
		h.rules.DeliverEach = true
	case flawBlindTimeouts:
		h.rules.QueryUnknown = false
		h.rules.Retry[payment.Unknown] = true
	}
	return h, true
}

// has reports whether the router carries flaw f.
func (h *Health) has(f flaw) bool { return h.flaws&f != 0 }

// forever is the cooldown of a control that never fails back.
const forever = math.MaxInt64
