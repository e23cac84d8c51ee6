package mocks

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/bench/bare"
	"github.com/paydrill/paydrill/internal/httpserver"
)

// BenchmarkGenericCreate is the generic protocol's create handler alone
// (no network), latency scaled to nothing: what the mock adds per request
// beyond net/http (bench/peers.sh measures it under wrk against a bare
// handler).
func BenchmarkGenericCreate(b *testing.B) {
	s := scenarioOf(&testing.T{}, syncAlpha, "")
	start := time.Now()
	l := NewLive(s, 0, func() time.Duration { return time.Since(start) * 1e6 })
	h := NewHandler(l, HandlerOptions{Scale: 1e6, BaseURL: "http://mock"})
	body := `{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}`
	b.ReportAllocs()
	for range b.N {
		r := httptest.NewRequest(http.MethodPost, "/v1/payments", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkGenericCreateServed is the create over a kept-alive loopback
// connection to the mock's own server (NewServer: the hardened server of
// internal/httpserver), so that net/http's server path and the hardening
// count: the per-request cost bench/peers.sh's wrk sees. The client is a
// raw connection writing one request and reading one answer at a time.
// BenchmarkBareServed is the reference: bench/nullsut's bare handler on a
// plain http.Server, with the same client.
func BenchmarkGenericCreateServed(b *testing.B) {
	s := scenarioOf(&testing.T{}, syncAlpha, "")
	start := time.Now()
	l := NewLive(s, 0, func() time.Duration { return time.Since(start) * 1e6 })
	srv, err := NewServer(NewHandler(l, HandlerOptions{Scale: 1e6}))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	benchServed(b, strings.TrimPrefix(srv.URL(), "http://"))
}

func BenchmarkBareServed(b *testing.B) { benchBare(b, &http.Server{Handler: bareMux()}, nil) }

// BenchmarkBareServedHardened is the bare handler behind the mock's
// hardened server (nullsut -hardened): what the hardening costs.
func BenchmarkBareServedHardened(b *testing.B) {
	benchBare(b, httpserver.New(bareMux()), func(ln net.Listener) net.Listener { return httpserver.LimitConns(ln, 0) })
}

func benchBare(b *testing.B, srv *http.Server, wrap func(net.Listener) net.Listener) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	if wrap != nil {
		ln = wrap(ln)
	}
	go srv.Serve(ln)
	defer srv.Close()
	benchServed(b, addr)
}

// bareMux is bench/nullsut's create-payment route.
func bareMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/payments", bare.CreatePayment)
	return mux
}

// benchServed POSTs bench/post.lua's create body to addr b.N times on one
// connection, checking every answer is a 201.
func benchServed(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	body := `{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}`
	req := []byte("POST /v1/payments HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	br := bufio.NewReader(c)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		n := -1
		status, err := br.ReadSlice('\n')
		if err != nil || !bytes.HasPrefix(status, []byte("HTTP/1.1 201 ")) {
			b.Fatalf("answer %q: %v", status, err)
		}
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				b.Fatal(err)
			}
			if len(line) <= 2 {
				break
			}
			if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
				n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
			}
		}
		if n < 0 {
			b.Fatal("answer without Content-Length")
		}
		if _, err := br.Discard(n); err != nil {
			b.Fatal(err)
		}
	}
}
