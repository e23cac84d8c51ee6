package edge

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	_ "github.com/Shopify/toxiproxy/v2/toxics" // registers the toxics
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/paydrill/paydrill/internal/httpserver"
	"github.com/paydrill/paydrill/mocks"
)

// Route is one provider behind the edge.
type Route struct {
	Name     string // the provider
	Listen   string // where the router reaches it, e.g. 0.0.0.0:8100
	Upstream string // the provider's mock, e.g. http://mock-alpha:8080
}

// Options configure an edge.
type Options struct {
	Routes []Route
	// API is the address of the HTTP API (Toxiproxy's, and the tap's log
	// under /_paydrill/), e.g. 0.0.0.0:8474.
	API string
	// Scale is scenario time per wall time, as the drill's (0 means 1).
	Scale float64
	// Clock is the wall clock (nil: the system clock).
	Clock func() time.Time
	// Log receives Toxiproxy's log lines (nil: none).
	Log io.Writer
}

// Edge is a running edge.
type Edge struct {
	server *toxiproxy.ApiServer
	taps   []*http.Server
	api    *http.Server
	apiURL string
	epoch  atomic.Int64
	log    *log
}

// Start starts the taps, the proxies in front of them and the API. Each
// route's proxy is named after its provider.
func Start(opt Options) (*Edge, error) {
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	clock := opt.Clock
	if clock == nil {
		clock = time.Now
	}
	w := opt.Log
	if w == nil {
		w = io.Discard
	}
	e := &Edge{server: toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), zerolog.New(w))}
	e.epoch.Store(clock().UnixNano())
	e.log = &log{now: func() time.Duration {
		return time.Duration(float64(clock().UnixNano()-e.epoch.Load()) * opt.Scale)
	}}
	for _, r := range opt.Routes {
		up, err := url.Parse(r.Upstream)
		if err != nil || up.Host == "" {
			e.Close()
			return nil, fmt.Errorf("edge: route %s: upstream %q is not a URL", r.Name, r.Upstream)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			e.Close()
			return nil, fmt.Errorf("edge: tap for %s: %w", r.Name, err)
		}
		srv := httpserver.New(tap(r.Name, up, e.log))
		go srv.Serve(httpserver.LimitConns(ln, 0))
		e.taps = append(e.taps, srv)
		p := toxiproxy.NewProxy(e.server, r.Name, r.Listen, ln.Addr().String())
		if err := e.server.Collection.Add(p, true); err != nil {
			e.Close()
			return nil, fmt.Errorf("edge: proxy for %s on %s: %w", r.Name, r.Listen, err)
		}
	}
	ln, err := net.Listen("tcp", opt.API)
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("edge: API: %w", err)
	}
	mux := e.ownAPI()
	mux.Handle("/", e.server.Routes())
	e.api = httpserver.New(mux)
	e.apiURL = "http://" + ln.Addr().String()
	go e.api.Serve(ln)
	return e, nil
}

// ownAPI is the part of the API paydrill serves itself: the tap's log and
// the clock; Toxiproxy's API takes the rest.
func (e *Edge) ownAPI() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PathAttempts, e.attempts)
	mux.HandleFunc("POST "+mocks.PathClock, e.clock)
	return mux
}

// PathAttempts is the tap's create log (Attempt), from ?since=N on.
const PathAttempts = "/_paydrill/edge/attempts"

// Addr is where the router reaches the named provider (the proxy's
// listening address), "" if the edge has no such route.
func (e *Edge) Addr(provider string) string {
	p, err := e.server.Collection.Get(provider)
	if err != nil {
		return ""
	}
	return p.Listen
}

// APIURL is the API's base URL.
func (e *Edge) APIURL() string { return e.apiURL }

func (e *Edge) attempts(w http.ResponseWriter, r *http.Request) {
	since := 0
	if s := r.URL.Query().Get("since"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			http.Error(w, "since must be a non-negative integer", http.StatusBadRequest)
			return
		}
		since = n
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(e.log.since(since))
}

func (e *Edge) clock(w http.ResponseWriter, r *http.Request) {
	var v mocks.ClockView
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<10)).Decode(&v); err != nil || v.StartUnixNano <= 0 {
		http.Error(w, `want {"start_unix_nano": N} with N > 0`, http.StatusBadRequest)
		return
	}
	e.epoch.Store(v.StartUnixNano)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Close stops the API, the proxies and the taps.
func (e *Edge) Close() error {
	var err error
	if e.api != nil {
		err = errors.Join(err, e.api.Close())
	}
	_ = e.server.Collection.Clear()
	for _, t := range e.taps {
		err = errors.Join(err, t.Close())
	}
	return err
}
