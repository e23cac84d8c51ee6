package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/paydrill/paydrill/mocks"
)

// Attempt is one create-payment call the tap saw on its way to a provider.
type Attempt struct {
	At       time.Duration `json:"at_ns"` // scenario time when the tap received it
	Provider string        `json:"provider"`
	OrderID  string        `json:"order_id"`
	// Reached reports whether the request was written to the provider's
	// connection: false when the provider could not be reached at all
	// (crashed, cut off), so its mock never logged it.
	Reached bool `json:"reached"`
	// Key is the call's idempotency key: a call repeating an earlier
	// one's key is a replay of that attempt, not a new one.
	Key string `json:"key,omitempty"`
}

// log is the tap's create log, shared by every provider's tap.
type log struct {
	mu  sync.Mutex
	now func() time.Duration
	all []Attempt
}

func (l *log) add(a Attempt) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.At = l.now()
	l.all = append(l.all, a)
	return len(l.all) - 1
}

func (l *log) reached(i int) {
	l.mu.Lock()
	l.all[i].Reached = true
	l.mu.Unlock()
}

func (l *log) since(i int) []Attempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i >= len(l.all) {
		return []Attempt{}
	}
	return slices.Clone(l.all[i:])
}

// maxBody bounds the create body the tap reads for the order id.
const maxBody = 1 << 20

// tap forwards one provider's HTTP traffic to its mock, logging creates.
// When the mock cannot be reached or fails mid-answer the tap resets the
// router's connection, so the router sees the transport error it would
// have seen talking to the provider directly, not an answer the tap made up.
func tap(name string, upstream *url.URL, lg *log) http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(upstream)
			r.Out.Host = r.In.Host
		},
		Transport: &http.Transport{DialContext: (&cachedDialer{}).DialContext,
			MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if r.Context().Err() != nil {
				return // the router gave up: nobody to answer
			}
			reset(w)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != mocks.PathPayments {
			rp.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			reset(w)
			return
		}
		var c mocks.CreatePayment
		_ = json.Unmarshal(body, &c) // a malformed body is the mock's to refuse
		r.Body = io.NopCloser(bytes.NewReader(body))
		i := lg.add(Attempt{Provider: name, OrderID: c.MerchantOrderID, Key: r.Header.Get(mocks.HeaderIdem)})
		ctx := httptrace.WithClientTrace(r.Context(), &httptrace.ClientTrace{
			WroteRequest: func(info httptrace.WroteRequestInfo) {
				if info.Err == nil {
					lg.reached(i)
				}
			},
		})
		rp.ServeHTTP(w, r.WithContext(ctx))
	})
}

// reset closes the router's connection abruptly (a TCP reset).
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// cachedDialer resolves each upstream name once and dials the address it
// got until a dial fails, then resolves again (a restarted container may
// come back under a new address). Requests the router gives up on close
// their connections, so a hung provider means a dial per request; without
// the cache each would be a lookup on the container network's DNS, which
// falls behind at a few hundred a second.
type cachedDialer struct {
	d     net.Dialer
	mu    sync.Mutex
	addrs map[string]string // host:port -> ip:port
}

func (c *cachedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c.mu.Lock()
	ip, ok := c.addrs[addr]
	c.mu.Unlock()
	if ok {
		conn, err := c.d.DialContext(ctx, network, ip)
		if err == nil {
			return conn, nil
		}
		c.mu.Lock()
		delete(c.addrs, addr)
		c.mu.Unlock()
	}
	conn, err := c.d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.addrs == nil {
		c.addrs = map[string]string{}
	}
	c.addrs[addr] = conn.RemoteAddr().String()
	c.mu.Unlock()
	return conn, nil
}
