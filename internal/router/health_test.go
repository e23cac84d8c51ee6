package router

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Answers a router can see, by a short name.
var answers = map[string]Observation{
	"ok":      {Kind: Answered, Status: payment.Accepted, Class: payment.ClassNone},
	"issuer":  {Kind: Answered, Status: payment.Declined, Class: payment.Issuer},
	"block":   {Kind: Answered, Status: payment.Declined, Class: payment.ProviderBlock},
	"error":   {Kind: Answered, Status: payment.Failed, Class: payment.Transient},
	"429":     {Kind: Answered, Status: payment.Limited, Class: payment.Transient},
	"timeout": {Kind: Answered, Status: payment.Timeout, Class: payment.Unknown},
}

func answer(i int, what string) Observation {
	ob, ok := answers[what]
	if !ok {
		panic("no answer " + what)
	}
	ob.Provider = i
	return ob
}

// twoCards is a health router over two sync card providers a and b.
func twoCards(cfg HealthParams) *Health {
	return NewHealth([]Provider{{Name: "a", Methods: []string{"card"}}, {Name: "b", Methods: []string{"card"}}},
		[]int{0, 1}, cfg, 1)
}

func cfgWith(f func(*HealthParams)) HealthParams {
	c := HealthConfig(scenario.HealthParams{})
	f(&c)
	return c
}

func TestHealthConfigDefaults(t *testing.T) {
	defaults := HealthParams{
		Window: time.Minute, MinSamples: 10, FailureRate: 0.5, Consecutive: 5, FalseAlarms: 0.2,
		CheckAfter: 2 * time.Minute, Cooldown: 30 * time.Second, ProbeShare: 0.02,
		QueryDelay: 2 * time.Second, MaxAttempts: 3,
	}
	set := scenario.HealthParams{
		Window: scenario.Duration(2 * time.Minute), MinSamples: 20, FailureRate: 0.3, Consecutive: 7,
		FalseAlarms: 0.5, ProbeDeadline: scenario.Duration(time.Minute), CheckAfter: scenario.Duration(time.Minute), Cooldown: scenario.Duration(10 * time.Second),
		ProbeShare: 0.1, QueryDelay: scenario.Duration(time.Second), MaxAttempts: 2,
	}
	tests := []struct {
		name string
		in   scenario.HealthParams
		want HealthParams
	}{
		{"zero", scenario.HealthParams{}, defaults},
		{"all set", set, HealthParams{
			Window: 2 * time.Minute, MinSamples: 20, FailureRate: 0.3, Consecutive: 7, FalseAlarms: 0.5,
			ProbeDeadline: time.Minute, CheckAfter: time.Minute, Cooldown: 10 * time.Second, ProbeShare: 0.1, QueryDelay: time.Second, MaxAttempts: 2,
		}},
		{"negative counts", scenario.HealthParams{MinSamples: -1, Consecutive: -2, MaxAttempts: -4, FailureRate: -0.5, ProbeShare: -1}, defaults},
		{"some set", scenario.HealthParams{Cooldown: scenario.Duration(time.Minute), ProbeShare: 1}, func() HealthParams {
			d := defaults
			d.Cooldown, d.ProbeShare = time.Minute, 1
			return d
		}()},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, HealthConfig(tt.in)); diff != "" {
			t.Errorf("HealthConfig(%s) (-want +got):\n%s", tt.name, diff)
		}
	}
}

// Consecutive failures eject; any non-failure answer breaks the run.
func TestHealthEjectsOnConsecutiveFailures(t *testing.T) {
	tests := []struct {
		name    string
		answers []string
		want    bool
	}{
		{"five errors", []string{"error", "error", "error", "error", "error"}, true},
		{"four errors", []string{"error", "error", "error", "error"}, false},
		{"five blocks", []string{"block", "block", "block", "block", "block"}, true},
		{"five timeouts", []string{"timeout", "timeout", "timeout", "timeout", "timeout"}, true},
		// A 429 says "full", not "broken": admission control, no ejection.
		{"five 429s", []string{"429", "429", "429", "429", "429"}, false},
		{"mixed failure classes", []string{"block", "timeout", "error", "error", "block"}, true},
		{"429s do not break the run", []string{"block", "timeout", "429", "error", "error", "block"}, true},
		{"success breaks the run", []string{"error", "error", "error", "error", "ok", "error", "error", "error", "error"}, false},
		{"issuer decline breaks the run", []string{"block", "block", "block", "block", "issuer", "block", "block", "block", "block"}, false},
		{"issuer declines never eject", repeat("issuer", 200), false},
	}
	for _, tt := range tests {
		// MinSamples out of reach: only the consecutive rule acts.
		h := twoCards(cfgWith(func(c *HealthParams) { c.MinSamples = 1000 }))
		for k, a := range tt.answers {
			h.Observe(time.Duration(k)*100*time.Millisecond, answer(0, a))
		}
		if got := h.Ejected(0); got != tt.want {
			t.Errorf("%s: Ejected = %v, want %v", tt.name, got, tt.want)
		}
		if h.Ejected(1) {
			t.Errorf("%s: provider b ejected, it saw nothing", tt.name)
		}
	}
}

// The failure rate over the window ejects once MinSamples calls are in it.
func TestHealthEjectsOnFailureRate(t *testing.T) {
	type ob struct {
		at   time.Duration
		what string
	}
	every := func(start, gap time.Duration, what ...string) []ob {
		out := make([]ob, len(what))
		for i, w := range what {
			out[i] = ob{start + time.Duration(i)*gap, w}
		}
		return out
	}
	tests := []struct {
		name string
		obs  []ob
		want bool
	}{
		{"half failed over ten", every(0, time.Second, "ok", "error", "ok", "error", "ok", "error", "ok", "error", "ok", "error"), true},
		{"nine samples only", every(0, time.Second, "ok", "error", "ok", "error", "ok", "error", "ok", "error", "error"), false},
		{"under the rate", every(0, time.Second, "ok", "ok", "error", "ok", "ok", "error", "ok", "ok", "error", "ok", "ok", "error", "ok", "ok", "error", "ok", "ok", "error", "ok", "ok", "error"), false},
		{"issuer declines are not failures", every(0, time.Second, repeat("issuer", 30)...), false},
		{"issuer declines count as calls", every(0, time.Second, "issuer", "block", "issuer", "block", "issuer", "block", "issuer", "block", "issuer", "block"), true},
		{
			// Four failures age out of the 1m window before the next four.
			"old failures leave the window",
			append(every(0, time.Second, "error", "ok", "error", "ok", "error", "ok", "error", "ok"),
				every(70*time.Second, time.Second, "ok", "error", "ok", "error", "ok", "error", "ok", "error")...),
			false,
		},
		{
			"failures within the window add up",
			append(every(0, time.Second, "error", "ok", "error", "ok", "error", "ok", "error", "ok"),
				every(40*time.Second, time.Second, "ok", "error")...),
			true,
		},
	}
	for _, tt := range tests {
		// Consecutive out of reach: only the rate acts.
		h := twoCards(cfgWith(func(c *HealthParams) { c.Consecutive = 1000 }))
		for _, o := range tt.obs {
			h.Observe(o.at, answer(0, o.what))
		}
		if got := h.Ejected(0); got != tt.want {
			t.Errorf("%s: Ejected = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// pickAt returns what h picks for a card order at now.
func pickAt(h *Health, now time.Duration) int { return h.Pick(now, card(), 0) }

func TestHealthCooldownProbeAndFailBack(t *testing.T) {
	// With ProbeShare 1 a half-open provider gets every order: the edges are exact.
	h := twoCards(cfgWith(func(c *HealthParams) { c.Consecutive = 1; c.ProbeShare = 1 }))
	if got := pickAt(h, 0); got != 0 {
		t.Fatalf("healthy: Pick = %d, want 0", got)
	}
	h.Observe(10*time.Second, answer(0, "block"))
	steps := []struct {
		at      time.Duration
		observe string // an answer of provider a at that time, after the pick
		pick    int
		ejected bool
	}{
		{10 * time.Second, "", 1, true},
		{20 * time.Second, "ok", 1, true},     // a late success before the cooldown ends does not restore
		{25 * time.Second, "error", 1, true},  // nor does a late failure extend it
		{40*time.Second - 1, "", 1, true},     // cooldown 30s
		{40 * time.Second, "", 0, true},       // half-open: a probe
		{40 * time.Second, "issuer", 0, true}, // an issuer decline proves nothing
		{41 * time.Second, "ok", 0, false},    // a good probe: fail back
		{42 * time.Second, "", 0, false},
	}
	for _, st := range steps {
		if got := pickAt(h, st.at); got != st.pick {
			t.Errorf("Pick at %v = %d, want %d", st.at, got, st.pick)
		}
		if st.observe != "" {
			h.Observe(st.at, answer(0, st.observe))
		}
		if got := h.Ejected(0); got != st.ejected {
			t.Errorf("at %v: Ejected = %v, want %v", st.at, got, st.ejected)
		}
	}
}

// A failed probe ejects again for twice as long, up to 2m; a good one
// resets the cooldown.
func TestHealthFailedProbeDoublesCooldown(t *testing.T) {
	h := twoCards(cfgWith(func(c *HealthParams) { c.Consecutive = 1; c.ProbeShare = 1 }))
	h.Observe(0, answer(0, "error")) // out until 30s
	steps := []struct {
		probe time.Duration // a failed probe at this time
		back  time.Duration // half-open again at
	}{
		{30 * time.Second, 90 * time.Second},   // 60s
		{90 * time.Second, 210 * time.Second},  // 120s
		{210 * time.Second, 330 * time.Second}, // capped at 2m
		{330 * time.Second, 450 * time.Second},
	}
	for _, st := range steps {
		if got := pickAt(h, st.probe); got != 0 {
			t.Fatalf("Pick at %v = %d, want a probe to 0", st.probe, got)
		}
		h.Observe(st.probe, answer(0, "timeout"))
		if got := pickAt(h, st.back-1); got != 1 {
			t.Errorf("after a failed probe at %v: Pick at %v = %d, want 1", st.probe, st.back-1, got)
		}
		if got := pickAt(h, st.back); got != 0 {
			t.Errorf("after a failed probe at %v: Pick at %v = %d, want a probe to 0", st.probe, st.back, got)
		}
	}
	h.Observe(450*time.Second, answer(0, "ok"))
	if h.Ejected(0) {
		t.Fatal("a good probe did not restore provider 0")
	}
	h.Observe(500*time.Second, answer(0, "error"))
	if got := pickAt(h, 530*time.Second-1); got != 1 {
		t.Errorf("ejected again after a fail back: Pick before 30s = %d, want 1", got)
	}
	if got := pickAt(h, 530*time.Second); got != 0 {
		t.Errorf("ejected again after a fail back: the cooldown is not back to 30s (Pick at 30s = %d, want 0)", got)
	}
}

func TestHealthProbeShare(t *testing.T) {
	tests := []struct {
		share float64
		seed  uint64
	}{
		{0.02, 1},
		{0.1, 2},
		{0.5, 3},
	}
	for _, tt := range tests {
		h := NewHealth([]Provider{{Name: "a"}, {Name: "b"}}, []int{0, 1},
			cfgWith(func(c *HealthParams) { c.Consecutive = 1; c.ProbeShare = tt.share }), tt.seed)
		h.Observe(0, answer(0, "block"))
		for k := range 1000 {
			if got := pickAt(h, time.Duration(k)*29*time.Millisecond); got != 1 {
				t.Fatalf("share %v: Pick during the cooldown = %d, want 1", tt.share, got)
			}
		}
		const n = 20000
		probes := 0
		for k := range n {
			if pickAt(h, 30*time.Second+time.Duration(k)*time.Millisecond) == 0 {
				probes++
			}
		}
		want := tt.share * n
		if tol := 5 * math.Sqrt(want*(1-tt.share)); math.Abs(float64(probes)-want) > tol {
			t.Errorf("share %v: %d probes of %d picks, want %v ± %.0f", tt.share, probes, n, want, tol)
		}
		if !h.Ejected(0) {
			t.Errorf("share %v: picks alone restored provider 0", tt.share)
		}
	}
}

func TestHealthAllEjectedPicksSoonestBack(t *testing.T) {
	cards := []string{"card"}
	provs := []Provider{{Name: "a", Methods: cards}, {Name: "b", Methods: cards}, {Name: "c", Methods: []string{"alipay"}}, {Name: "d", Methods: cards}}
	tests := []struct {
		name    string
		ejectAt []time.Duration // per provider; -1 stays healthy
		now     time.Duration
		tried   uint64
		method  string
		want    int
	}{
		{"a back first", []time.Duration{0, 5 * time.Second, 0, 10 * time.Second}, 20 * time.Second, 0, "card", 0},
		{"b back first", []time.Duration{10 * time.Second, 5 * time.Second, 0, 10 * time.Second}, 20 * time.Second, 0, "card", 1},
		{"d back first", []time.Duration{10 * time.Second, 5 * time.Second, 0, 2 * time.Second}, 20 * time.Second, 0, "card", 3},
		{"tie goes to order", []time.Duration{5 * time.Second, 5 * time.Second, 0, 5 * time.Second}, 20 * time.Second, 0, "card", 0},
		{"tried are skipped", []time.Duration{0, 5 * time.Second, 0, 10 * time.Second}, 20 * time.Second, 0b1, "card", 1},
		{"ineligible are skipped", []time.Duration{5 * time.Second, 5 * time.Second, 0, 5 * time.Second}, 20 * time.Second, 0, "alipay", 2},
		{"a healthy one wins", []time.Duration{0, 5 * time.Second, 0, -1}, 20 * time.Second, 0, "card", 3},
		{"all tried", []time.Duration{0, 5 * time.Second, 0, 10 * time.Second}, 20 * time.Second, 0b1111, "card", -1},
		{"none takes the method", []time.Duration{0, 0, 0, 0}, 20 * time.Second, 0, "wechat", -1},
		{"the only taker tried", []time.Duration{0, 0, 0, 0}, 20 * time.Second, 0b0100, "alipay", -1},
	}
	for _, tt := range tests {
		// ProbeShare tiny (never 0: that is the default) so no probe is sent.
		h := NewHealth(provs, []int{0, 1, 2, 3}, cfgWith(func(c *HealthParams) { c.Consecutive = 1; c.ProbeShare = 1e-300 }), 1)
		for i, at := range tt.ejectAt {
			if at >= 0 {
				h.Observe(at, answer(i, "error"))
			}
		}
		if got := h.Pick(tt.now, &payment.Order{Method: tt.method}, tt.tried); got != tt.want {
			t.Errorf("%s: Pick = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// Paid and Unpaid observations of a sync provider change nothing.
func TestHealthIgnoresSyncPaid(t *testing.T) {
	h := twoCards(HealthConfig(scenario.HealthParams{}))
	for k := range 100 {
		h.Observe(time.Duration(k)*time.Second, Observation{Provider: 0, Kind: Paid, Age: time.Second})
		h.Observe(time.Duration(k)*time.Second, Observation{Provider: 0, Kind: Unpaid, Async: true})
	}
	if h.Ejected(0) || pickAt(h, 100*time.Second) != 0 {
		t.Error("Paid and Unpaid observations moved traffic off a healthy provider")
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// 429s halve the share of orders a provider is offered, at most once a
// second; calls it takes win it back a little at a time.
func TestHealthAdmissionOn429s(t *testing.T) {
	h := twoCards(cfgWith(func(c *HealthParams) {}))
	at := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	h.Observe(at(1), answer(0, "429"))
	h.Observe(at(1.5), answer(0, "429")) // within the second: no second cut
	if got := h.st[0].admit; got != admitCut {
		t.Fatalf("after two 429s in one second: admit %v, want %v", got, admitCut)
	}
	h.Observe(at(2.5), answer(0, "429"))
	if got := h.st[0].admit; got != admitCut*admitCut {
		t.Fatalf("after a third 429 a second later: admit %v, want %v", got, admitCut*admitCut)
	}
	for k := range 100 {
		h.Observe(at(3+float64(k)/100), answer(0, "ok"))
	}
	if got, want := h.st[0].admit, admitCut*admitCut+100*admitGain; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("after 100 calls taken: admit %v, want %v", got, want)
	}
	// About admit of the orders that prefer it are offered to it.
	first := 0
	for k := range 10000 {
		if h.Pick(at(10)+time.Duration(k), card(), 0) == 0 {
			first++
		}
	}
	if share := float64(first) / 10000; share < h.st[0].admit-0.03 || share > h.st[0].admit+0.03 {
		t.Errorf("share of orders offered to the full provider %.3f, want about %.3f", share, h.st[0].admit)
	}
	if h.Ejected(0) {
		t.Error("429s ejected the provider")
	}
}

// When admission (429s) passes over every healthy provider and the rest
// are ejected, the order goes to the first provider it passed over, not
// to an ejected one.
func TestHealthFullProvidersBeforeEjected(t *testing.T) {
	cards := []string{"card"}
	h := NewHealth([]Provider{{Name: "a", Methods: cards}, {Name: "b", Methods: cards}, {Name: "c", Methods: cards}},
		[]int{0, 1, 2}, cfgWith(func(c *HealthParams) { c.Consecutive = 1 }), 1)
	h.Observe(0, answer(1, "error")) // b out until 30s
	h.st[0].admit, h.st[2].admit = admitFloor, admitFloor
	const n = 1000
	toA := 0
	for k := range n {
		switch p := h.Pick(time.Second+time.Duration(k)*time.Millisecond, card(), 0); p {
		case 0:
			toA++
		case 2:
		default:
			t.Fatalf("order %d went to %d, want a or c (b is out)", k, p)
		}
	}
	// a takes what admission offers it (2%) and what neither takes (96%).
	if share := float64(toA) / n; share < 0.95 {
		t.Errorf("a took %.3f of the orders, want about 0.98", share)
	}
}

// Probe reports the attempt Pick just sent once: asked again, or about
// another provider, before the next Pick, it is no probe.
func TestHealthProbeReportedOnce(t *testing.T) {
	h := twoCards(cfgWith(func(c *HealthParams) { c.Consecutive, c.ProbeShare = 1, 1 }))
	h.Observe(0, answer(0, "error"))
	if got := pickAt(h, 30*time.Second); got != 0 {
		t.Fatalf("Pick after the cooldown = %d, want a probe to 0", got)
	}
	for _, c := range []struct {
		p     int
		probe bool
	}{{0, true}, {0, false}, {1, false}} {
		if _, ok := h.Probe(c.p); ok != c.probe {
			t.Errorf("Probe(%d) = %v, want %v", c.p, ok, c.probe)
		}
	}
}

// After a cut, admission grows back with each call the provider took:
// an accepted call or an issuer decline (the provider answered for the
// buyer's bank), not a failure.
func TestHealthAdmissionGrowsOnCallsTaken(t *testing.T) {
	for _, tt := range []struct {
		what string
		want float64
	}{
		{"ok", admitCut + 4*admitGain},
		{"issuer", admitCut + 4*admitGain},
		{"error", admitCut},
		{"block", admitCut},
		{"timeout", admitCut},
	} {
		h := twoCards(cfgWith(func(c *HealthParams) {}))
		h.Observe(time.Second, answer(0, "429"))
		for k := range 4 {
			h.Observe(2*time.Second+time.Duration(k)*time.Millisecond, answer(0, tt.what))
		}
		if got := h.st[0].admit; math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("a 429, then four answers %q: admit %v, want %v", tt.what, got, tt.want)
		}
	}
}

// A spike of issuer declines (7% to 40%) ejects the provider for
// declines; after the cooldown the answers it gives are probes, and
// declineProbes with normal declines (none here) restore it, from the
// first answer at the cooldown's end.
func TestHealthDeclinesEjectAndProbesRestore(t *testing.T) {
	h := twoCards(cfgWith(func(c *HealthParams) {}))
	r := rand.New(rand.NewPCG(3, 4))
	const spike = 20 * time.Minute
	out := time.Duration(-1)
	for now := time.Duration(0); now < spike+time.Minute; now += 70 * time.Millisecond {
		share := 0.07
		if now >= spike {
			share = 0.4
		}
		what := "ok"
		if r.Float64() < share {
			what = "issuer"
		}
		h.Observe(now, answer(0, what))
		if h.Ejected(0) {
			out = now
			break
		}
	}
	if out < spike || out > spike+15*time.Second || h.st[0].reason != reasonDeclines {
		t.Fatalf("spike at %v: ejected at %v (reason %d), want for declines within 15s", spike, out, h.st[0].reason)
	}
	until := h.st[0].until
	for k := range declineProbes {
		if !h.Ejected(0) {
			t.Fatalf("restored after %d probes, want %d", k, declineProbes)
		}
		h.Observe(until+time.Duration(k)*time.Millisecond, answer(0, "ok"))
	}
	if h.Ejected(0) {
		t.Errorf("%d good probes from the cooldown's end (%v) did not restore the provider", declineProbes, until)
	}
}
