// Command nullsut is the benchmarks' do-nothing target: a router that
// answers every order at once (so a load generator is measured, not the
// router) and a bare net/http handler shaped like the mock's create answer
// (the baseline the mock providers are compared with under wrk).
//
// With -hardened ADDR it serves the same handlers a second time, behind
// the server paydrill's mocks and router run (internal/httpserver: every
// timeout, body cap, connection cap), so that a comparison under wrk can
// tell what the mock's handler costs from what the hardened server costs.
//
//	go run ./bench/nullsut -listen 127.0.0.1:9300 -hardened 127.0.0.1:9301
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"net/http"

	"github.com/paydrill/paydrill/bench/bare"
	"github.com/paydrill/paydrill/internal/httpserver"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9300", "address")
	hardened := flag.String("hardened", "", "a second address, served as paydrill's servers are (internal/httpserver)")
	flag.Parse()
	mux := http.NewServeMux()
	// A router that fails every order at once: POST /v1/orders.
	mux.HandleFunc("POST /v1/orders", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"order_id":"x","status":"failed","delivered":false}`)
	})
	mux.HandleFunc("GET /v1/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"order_id":"`+r.PathValue("id")+`","status":"failed","delivered":false}`)
	})
	// paydrill's preflight checks that the router under test is up.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	})
	// The baseline for the mocks: parse the body, answer 201 with a payment.
	mux.HandleFunc("POST /v1/payments", bare.CreatePayment)
	if *hardened != "" {
		ln, err := net.Listen("tcp", *hardened)
		if err != nil {
			log.Fatal(err)
		}
		log.Printf("nullsut (hardened server) on http://%s", *hardened)
		go func() { log.Fatal(httpserver.New(mux).Serve(httpserver.LimitConns(ln, 0))) }()
	}
	log.Printf("nullsut on http://%s", *listen)
	log.Fatal(http.ListenAndServe(*listen, mux))
}
