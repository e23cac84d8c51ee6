package mocks

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"
)

// HandlerOptions configure the HTTP side of one live mock provider.
type HandlerOptions struct {
	// Scale is scenario time per wall time: a model latency or notification
	// delay d is waited d/Scale in wall time. 0 means 1.
	Scale float64
	// BaseURL is the absolute URL the handler is served at (pay pages link
	// to it). Empty: derived from the request's Host, which is only right
	// when the handler is mounted at the root.
	BaseURL string
	// Secret signs notifications (Paydrill-Signature) and, for the Stripe
	// subset, webhook events (Stripe-Signature).
	Secret []byte
	// WebhookURL is where the Stripe subset POSTs its events. Empty: no
	// events are sent. The generic protocol notifies each payment's
	// notify_url instead.
	WebhookURL string
	// EpayPID is the merchant id of the epay protocol (EpayPID when empty).
	EpayPID string
	// Clock is the wall clock for signature timestamps and Stripe's created
	// fields. Nil: the system clock.
	Clock func() time.Time
	// NotifyTimeout bounds each notification POST. 0 means 5 s.
	NotifyTimeout time.Duration
	// Client sends notifications. Nil: a client with NotifyTimeout.
	Client *http.Client
	// SetStart, when set, serves POST /_paydrill/clock: the drill tells
	// the mock when scenario time 0 is (Unix ns), to share its clock.
	SetStart func(time.Time)
	// Lags, when set, records how late answers and notifications were
	// against the model.
	Lags *Lags
	// NotifyConns caps the connections notifications use per host (with
	// no Client); 0 means 16. Notifications beyond wait for one.
	NotifyConns int
}

// drainer is a handler that owns background work: stop cancels it (pending
// notifications, latency waits) without blocking; Close stops and waits.
type drainer interface {
	stop()
	Close() error
}

// core is what both protocols share: the live model, the scaled waits and
// the notifications, all under one context the handler owns.
type core struct {
	live   *Live
	opt    HandlerOptions
	client *http.Client

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex // guards wg.Add against Close
	wg     sync.WaitGroup
}

func newCore(l *Live, opt HandlerOptions) *core {
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	if opt.Clock == nil {
		opt.Clock = wallClock
	}
	if opt.NotifyTimeout <= 0 {
		opt.NotifyTimeout = 5 * time.Second
	}
	opt.BaseURL = strings.TrimSuffix(opt.BaseURL, "/")
	if opt.NotifyConns <= 0 {
		opt.NotifyConns = 16
	}
	c := &core{live: l, opt: opt, client: opt.Client}
	if c.client == nil {
		c.client = &http.Client{Timeout: opt.NotifyTimeout, Transport: &http.Transport{
			MaxConnsPerHost: opt.NotifyConns, MaxIdleConnsPerHost: opt.NotifyConns, IdleConnTimeout: 30 * time.Second}}
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c
}

// wall turns a scenario duration into wall time.
func (c *core) wall(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.opt.Scale)
}

// wait waits the scenario duration d in wall time. It returns false if the
// request went away (nothing left to answer); a handler shutting down cuts
// the wait short and answers at once.
// minWait is the shortest wall-time latency the mocks wait out.
const minWait = 50 * time.Microsecond

func (c *core) wait(r *http.Request, d time.Duration) bool {
	w := c.wall(d)
	if w < minWait {
		// A timer cannot wait this little: it would wake a poll tick
		// (up to a millisecond) later. Answer at once.
		return r.Context().Err() == nil
	}
	start := time.Now()
	t := time.NewTimer(w)
	defer t.Stop()
	select {
	case <-t.C:
		c.opt.Lags.answer(time.Since(start) - w)
		return true
	case <-c.ctx.Done():
		return r.Context().Err() == nil
	case <-r.Context().Done():
		return false
	}
}

// base is the absolute URL of the handler's root for request r.
func (c *core) base(r *http.Request) string {
	if c.opt.BaseURL != "" {
		return c.opt.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// post schedules one signed POST of body to url after the scenario
// duration after, unless the handler is closed first. header names the
// signature header.
func (c *core) post(url, header string, body []byte, after time.Duration) {
	if url == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx.Err() != nil {
		return
	}
	c.wg.Add(1)
	intended := time.Now().Add(c.wall(after))
	go func() {
		defer c.wg.Done()
		t := time.NewTimer(time.Until(intended))
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.ctx.Done():
			return
		}
		ctx := c.ctx
		if c.opt.Lags != nil {
			ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
				c.opt.Lags.notice(time.Since(intended))
			}})
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(header, Sign(c.opt.Secret, c.opt.Clock().Unix(), body))
		res, err := c.client.Do(req)
		if err != nil {
			return // delivery failed: the model has no retries
		}
		res.Body.Close()
	}()
}

func (c *core) stop() {
	c.mu.Lock()
	c.cancel()
	c.mu.Unlock()
}

// Close cancels pending notifications and waits for those being sent.
func (c *core) Close() error {
	c.stop()
	c.wg.Wait()
	return nil
}

// writeJSON writes v as the JSON body of a status answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "mocks: encoding the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// apiError builds the generic protocol's error body.
func apiError(typ, code, decline, msg string) APIError {
	var e APIError
	e.Error.Type, e.Error.Code, e.Error.DeclineCode, e.Error.Message = typ, code, decline, msg
	return e
}

// maxBody bounds request bodies.
const maxBody = 1 << 20
