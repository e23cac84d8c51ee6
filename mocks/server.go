package mocks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/httpserver"
)

// Server serves mock handlers on a loopback port chosen by the system.
type Server struct {
	srv      *http.Server
	url      string
	handlers []http.Handler // owners of background work, stopped on Close
	done     chan error
	once     sync.Once
	err      error
}

// NewServer serves h on 127.0.0.1:0. It is listening when NewServer
// returns: no waiting needed.
func NewServer(h http.Handler) (*Server, error) {
	ln, err := listen("127.0.0.1", 0)
	if err != nil {
		return nil, err
	}
	return serve(ln, h, h), nil
}

// listen listens on 127.0.0.1:port (0: a port the system picks).
func listen(host string, port int) (net.Listener, error) {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mocks: listening on %s: %w", addr, err)
	}
	return ln, nil
}

// serve serves h on ln; owners are the handlers whose background work
// Close stops (h itself, or the providers' handlers behind one mux).
func serve(ln net.Listener, h http.Handler, owners ...http.Handler) *Server {
	s := &Server{
		srv:      httpserver.New(h),
		url:      "http://" + ln.Addr().String(),
		handlers: owners,
		done:     make(chan error, 1),
	}
	// Connections over the cap are closed at once (counted), never a
	// descriptor short for the drill.
	go func() { s.done <- s.srv.Serve(httpserver.LimitConns(ln, 0)) }()
	return s
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.url }

// Close stops accepting connections, cancels pending notifications and
// latency waits (a request waiting out its latency is answered at once),
// and waits for in-flight requests and notifications being sent. It is
// safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		for _, h := range s.handlers {
			if d, ok := h.(drainer); ok {
				d.stop()
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := s.srv.Shutdown(ctx)
		if err != nil {
			err = errors.Join(fmt.Errorf("mocks: shutting down %s: %w", s.url, err), s.srv.Close())
		}
		if e := <-s.done; !errors.Is(e, http.ErrServerClosed) {
			err = errors.Join(err, e)
		}
		for _, h := range s.handlers {
			if c, ok := h.(io.Closer); ok {
				err = errors.Join(err, c.Close())
			}
		}
		s.err = err
	})
	return s.err
}
