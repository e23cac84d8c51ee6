package mocks

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Forever is the end of a fault that lasts to the end of the run.
const Forever = time.Duration(math.MaxInt64)

// Fault is one scenario fault as it acts on one provider: a window on the
// timeline, an optional order filter, and an effect.
type Fault struct {
	Index int // position in the scenario's fault list: its bit in hit masks
	Name  string
	Type  string
	Start time.Duration
	End   time.Duration // Forever when open-ended

	flapPeriod, flapOn time.Duration
	match              *Matcher
	effect             any // creator and/or notifier
	rank               int // order in which create effects apply
}

// creator is a fault that acts on create-payment calls. It returns
// whether it touched the call.
type creator interface {
	create(now time.Duration, c *Call, r *rand.Rand) bool
}

// notifier is a fault that acts on the notifications of a capture.
type notifier interface {
	notify(now time.Duration, n *Notice, r *rand.Rand) bool
}

// Active reports whether the fault is on at t (a pure function of time).
func (f *Fault) Active(t time.Duration) bool {
	if t < f.Start || t >= f.End {
		return false
	}
	if f.flapPeriod > 0 {
		return (t-f.Start)%f.flapPeriod < f.flapOn
	}
	return true
}

// Matches reports whether the fault applies to the order (transaction-level filter).
func (f *Fault) Matches(o *payment.Order) bool {
	return f.match == nil || f.match.Matches(o)
}

// Mask is the fault's bit in hit masks.
func (f *Fault) Mask() uint64 { return 1 << uint(f.Index) }

// MaxFaults is how many faults one scenario may hold (hit masks are 64 bits).
const MaxFaults = 64

// NewFault builds the fault with index i of a validated scenario for one provider.
func NewFault(i int, f scenario.Fault) *Fault {
	ft := &Fault{Index: i, Name: f.Name, Type: f.Type, Start: f.At.D(), End: Forever}
	if f.For > 0 {
		ft.End = f.At.D() + f.For.D()
	}
	if f.Flap != nil && f.Flap.Period > 0 {
		ft.flapPeriod = f.Flap.Period.D()
		duty := f.Flap.Duty
		if duty <= 0 {
			duty = 0.5
		}
		ft.flapOn = time.Duration(float64(ft.flapPeriod) * duty)
	}
	if f.Match != nil {
		ft.match = NewMatcher(*f.Match)
	}
	ft.effect, ft.rank = newEffect(f, ft.Start, ft.End)
	return ft
}

// Effect ranks: the order in which create effects apply. Latency always
// adds; the first effect that decides the status wins.
const (
	rankLatency = iota
	rankOutage
	rankLimit
	rankBlock
	rankSpike
	rankSilent
	rankNotify
)

func newEffect(f scenario.Fault, start, end time.Duration) (any, int) {
	rate := f.Rate
	if rate == 0 {
		rate = 1
	}
	switch f.Type {
	case "suspend", "block":
		code := f.Code
		if code == "" {
			code = payment.CodeMerchantSuspended
			if f.Type == "block" {
				code = payment.CodeTransactionBlocked
			}
		}
		return &suspend{code: code}, rankBlock
	case "silent":
		return &silent{}, rankSilent
	case "notify_blackout":
		return &blackout{}, rankNotify
	case "notify_delay":
		return &notifyDelay{add: f.Add.D()}, rankNotify
	case "notify_duplicate":
		return &duplicate{rate: rate}, rankNotify
	case "decline_spike":
		codes := f.Codes
		if len(codes) == 0 {
			codes = map[string]float64{payment.CodeDoNotHonor: 1}
		}
		return &declineSpike{rate: f.Rate, ramp: f.Ramp, start: start, codes: mixOf(codes)}, rankSpike
	case "latency":
		return &latency{add: f.Add.D()}, rankLatency
	case "outage":
		return &outage{rate: rate}, rankOutage
	case "rate_limit":
		return newLimiter(f.Limit.PerSecond()), rankLimit
	case "capacity":
		return &capacity{max: f.Max}, rankLimit
	case "pause", "crash", "partition", "toxic":
		return containerEffect(f.Type, f.Toxic, f.Attributes, end)
	}
	return nil, rankNotify
}

// mixOf builds a Mix from a map in sorted key order.
func mixOf(m map[string]float64) Mix {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w := make([]float64, len(keys))
	for i, k := range keys {
		w[i] = m[k]
	}
	return NewMix(keys, w)
}
