package mocks

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// ServeOptions configure ServeScenario.
type ServeOptions struct {
	// Protocol, when set, is what every provider speaks: "generic",
	// "stripe" (the Stripe subset) or "epay". Empty: each provider's
	// scenario protocol (generic when it names none).
	Protocol string
	// Scale is scenario time per wall time (0 means 1): the models' clock
	// runs Scale times faster than the wall, and their latencies and
	// notification delays are waited divided by Scale.
	Scale float64
	// OnePort serves every provider on one listener under /{provider}/.
	OnePort bool
	// Port, if set, is the first port: providers listen on Port, Port+1,
	// ... in scenario order (with OnePort, the one listener on Port).
	// 0: ports the system picks, which tests should always use.
	Port int
	// Secret signs notifications and webhook events.
	Secret []byte
	// WebhookURL is where Stripe events go (stripe protocol only).
	WebhookURL string
	// Clock is the wall clock. Nil: the system clock.
	Clock func() time.Time
	// Start is when scenario time 0 is on Clock, to share one clock with
	// a load generator. Zero: Clock's time when ServeScenario is called.
	Start time.Time
	// NotifyTimeout bounds each notification POST (0 means 5 s).
	NotifyTimeout time.Duration
	// Host is the address the servers listen on (default 127.0.0.1).
	// Only a mock inside a container listens elsewhere (0.0.0.0).
	Host string
	// Only, when set, serves just these providers (a container serves one).
	Only []string
	// NotifyConns caps each provider's connections for notifications per
	// host (0: 16).
	NotifyConns int
	// Advertise maps a provider to the base URL its pay pages link to,
	// where that is not its listening address (behind a container's
	// network alias). The controller rewrites it for the buyers.
	Advertise map[string]string
}

// Mocks are the live mock providers of one scenario, served over HTTP.
type Mocks struct {
	epoch   atomic.Int64 // scenario time 0 on the clock, Unix ns
	faults  []string     // the scenario's fault names
	names   []string     // scenario order
	urls    map[string]string
	live    map[string]*Live
	servers []*Server
	lags    *Lags
}

// ServeScenario starts the HTTP mocks of a validated scenario: one server
// per provider on 127.0.0.1:0 (or one for all with OnePort), all models on
// one clock that starts now. Faults start switched off (Live, SetFault).
func ServeScenario(s *scenario.Scenario, opt ServeOptions) (*Mocks, error) {
	if _, err := handlerFor(opt.Protocol); err != nil {
		return nil, err
	}
	newHandler := func(l *Live, o HandlerOptions) http.Handler {
		proto := opt.Protocol
		if proto == "" {
			proto = s.Providers[s.ProviderIndex(l.Name())].Protocol
		}
		h, err := handlerFor(proto)
		if err != nil {
			h = NewHandler // validated scenarios name known protocols
		}
		return h(l, o)
	}
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	clock := opt.Clock
	if clock == nil {
		clock = wallClock
	}
	start := opt.Start
	if start.IsZero() {
		start = clock()
	}
	m := &Mocks{urls: map[string]string{}, live: map[string]*Live{}, lags: NewLags()}
	m.epoch.Store(start.UnixNano())
	for _, f := range s.Faults {
		m.faults = append(m.faults, f.Name)
	}
	now := func() time.Duration {
		return time.Duration(float64(clock().UnixNano()-m.epoch.Load()) * opt.Scale)
	}
	hopt := func(base string) HandlerOptions {
		return HandlerOptions{Scale: opt.Scale, BaseURL: base, Secret: opt.Secret, WebhookURL: opt.WebhookURL,
			Clock: clock, NotifyTimeout: opt.NotifyTimeout, SetStart: m.SetStart, Lags: m.lags, NotifyConns: opt.NotifyConns}
	}
	host := opt.Host
	if host == "" {
		host = "127.0.0.1"
	}
	serves := func(name string) bool { return len(opt.Only) == 0 || slices.Contains(opt.Only, name) }
	for _, name := range opt.Only {
		if s.ProviderIndex(name) < 0 {
			return nil, fmt.Errorf("mocks: no provider %q in scenario %s", name, s.Name)
		}
	}
	if opt.OnePort {
		ln, err := listen(host, opt.Port)
		if err != nil {
			return nil, err
		}
		root := "http://" + ln.Addr().String()
		mux := http.NewServeMux()
		var owners []http.Handler
		for i, p := range s.Providers {
			if !serves(p.Name) {
				continue
			}
			l := NewLive(s, i, now)
			base := root + "/" + p.Name
			h := newHandler(l, hopt(base))
			mux.Handle("/"+p.Name+"/", http.StripPrefix("/"+p.Name, h))
			owners = append(owners, h)
			m.add(p.Name, base, l)
		}
		m.servers = append(m.servers, serve(ln, mux, owners...))
		return m, nil
	}
	k := 0
	for i, p := range s.Providers {
		if !serves(p.Name) {
			continue
		}
		port := 0
		if opt.Port > 0 {
			port = opt.Port + k
		}
		k++
		ln, err := listen(host, port)
		if err != nil {
			m.Close()
			return nil, err
		}
		l := NewLive(s, i, now)
		base := "http://" + ln.Addr().String()
		advertised := base
		if u := opt.Advertise[p.Name]; u != "" {
			advertised = u
		}
		h := newHandler(l, hopt(advertised))
		m.servers = append(m.servers, serve(ln, h, h))
		m.add(p.Name, base, l)
	}
	return m, nil
}

// handlerFor is the handler constructor of a protocol ("" is generic).
func handlerFor(protocol string) (func(*Live, HandlerOptions) http.Handler, error) {
	switch protocol {
	case "", "generic":
		return NewHandler, nil
	case "stripe":
		return NewStripeHandler, nil
	case "epay":
		return NewEpayHandler, nil
	}
	return nil, fmt.Errorf("mocks: unknown protocol %q (want generic, stripe or epay)", protocol)
}

func (m *Mocks) add(name, url string, l *Live) {
	m.names = append(m.names, name)
	m.urls[name] = url
	m.live[name] = l
}

// Providers maps each provider's name to its base URL.
func (m *Mocks) Providers() map[string]string {
	out := make(map[string]string, len(m.urls))
	for k, v := range m.urls {
		out[k] = v
	}
	return out
}

// SetStart moves scenario time 0 to t on the mocks' clock: a drill that
// started the mocks before its traffic (in containers) shares its epoch
// with them through POST /_paydrill/clock.
func (m *Mocks) SetStart(t time.Time) { m.epoch.Store(t.UnixNano()) }

// Lags are how late the mocks answered and notified against their model.
func (m *Mocks) Lags() *Lags { return m.lags }

// Live is the live model of the provider called name (nil if none).
func (m *Mocks) Live(name string) *Live { return m.live[name] }

// SetFault switches the fault called name on or off on every provider it
// targets. It fails if no provider has it.
func (m *Mocks) SetFault(name string, on bool) error {
	found := false
	for _, p := range m.names {
		if m.live[p].SetFault(name, on) {
			found = true
		}
	}
	if !found && slices.Contains(m.faults, name) {
		// A scenario fault no served model acts on (a toxic the models
		// have no timing for, or a provider served elsewhere): nothing to
		// switch here.
		return nil
	}
	if !found {
		names := []string{}
		for _, p := range m.names {
			for _, f := range m.live[p].Faults() {
				if !slices.Contains(names, f) {
					names = append(names, f)
				}
			}
		}
		slices.Sort(names)
		return fmt.Errorf("mocks: no provider has a fault %q (faults: %v)", name, names)
	}
	return nil
}

// Close closes every server (see Server.Close).
func (m *Mocks) Close() error {
	var err error
	for _, s := range m.servers {
		err = errors.Join(err, s.Close())
	}
	return err
}
