package mocks

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Close answers a request waiting out an hour of latency at once (a
// server that dropped it would fail the request), cancels pending notifications, and stops accepting.
func TestServerCloseWithRequestsInFlight(t *testing.T) {
	faults := "  - {name: slow, type: latency, add: 1h, at: 1m, target: {providers: [pay]}}\n"
	s := scenarioOf(t, asyncPay, faults)
	arrived := make(chan struct{}, 8)
	clock := func() time.Duration {
		select {
		case arrived <- struct{}{}:
		default:
		}
		return 0
	}
	l := NewLive(s, s.ProviderIndex("pay"), clock)
	rcv, got := receiver(t)
	srv, err := NewServer(NewHandler(l, HandlerOptions{Scale: 1})) // real time: nothing due before Close
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	payOnce(t, srv.URL(), "o-1", rcv.URL) // its notification is due in 2 s
	l.SetFault("slow", true)
	for len(arrived) > 0 {
		<-arrived
	}
	type answer struct {
		code int
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		res, err := http.Post(srv.URL()+PathPayments, "application/json",
			strings.NewReader(`{"merchant_order_id":"o-2","amount":100,"currency":"USD","method":"card"}`))
		if err != nil {
			done <- answer{err: err}
			return
		}
		res.Body.Close()
		done <- answer{code: res.StatusCode}
	}()
	<-arrived // the create reached the model: it now waits an hour
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case a := <-done:
		if a.err != nil || a.code != http.StatusCreated {
			t.Errorf("in-flight request: %d %v, want 201", a.code, a.err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the in-flight request was never answered")
	}
	select {
	case r := <-got:
		t.Errorf("notification %s sent after Close", r.body)
	default:
	}
	if _, err := http.Get(srv.URL() + "/v1/payments/x"); err == nil {
		t.Error("the server still accepts connections after Close")
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
