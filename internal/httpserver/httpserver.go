// Package httpserver builds the HTTP servers paydrill runs (mock
// providers, the reference router, the edge's taps and API) with every
// timeout set and request bodies capped, so that a slow or hostile client
// cannot hold a socket and a goroutine for ever or make a server read an
// unbounded body (docs/limits.md).
package httpserver

import (
	"net/http"
	"time"
)

// Limits bound what one client can make a server hold. Zero fields take
// the defaults.
type Limits struct {
	// ReadHeader bounds reading a request's headers (default 10s).
	ReadHeader time.Duration
	// Read bounds reading a whole request, headers and body (default 30s):
	// a body sent a byte a second is cut off.
	Read time.Duration
	// Write bounds writing an answer, from the end of the request's
	// headers (default 5m: longer than any answer a drill holds back on
	// purpose, such as a mock's latency fault or a router's retries).
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for its next
	// request (default 2m).
	Idle time.Duration
	// HeaderBytes caps the request line and headers (default 64 KiB).
	HeaderBytes int
	// BodyBytes caps a request body (default 1 MiB); a handler reading
	// past it gets an error and the client a 413 where the handler says so.
	BodyBytes int64
}

// Defaults of Limits.
const (
	DefaultReadHeader  = 10 * time.Second
	DefaultRead        = 30 * time.Second
	DefaultWrite       = 5 * time.Minute
	DefaultIdle        = 2 * time.Minute
	DefaultHeaderBytes = 64 << 10
	DefaultBodyBytes   = 1 << 20
)

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&l.ReadHeader, DefaultReadHeader)
	set(&l.Read, DefaultRead)
	set(&l.Write, DefaultWrite)
	set(&l.Idle, DefaultIdle)
	if l.HeaderBytes <= 0 {
		l.HeaderBytes = DefaultHeaderBytes
	}
	if l.BodyBytes <= 0 {
		l.BodyBytes = DefaultBodyBytes
	}
	return l
}

// New is a server for h with the default limits.
func New(h http.Handler) *http.Server { return Limits{}.New(h) }

// New is a server for h with these limits (zero fields: the defaults).
func (l Limits) New(h http.Handler) *http.Server {
	l = l.withDefaults()
	return &http.Server{
		Handler:           http.MaxBytesHandler(h, l.BodyBytes),
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.HeaderBytes,
	}
}
