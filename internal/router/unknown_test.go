package router

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// A create that timed out, and whose status queries time out too, may have
// taken the money: the service never tries another provider for that
// order (which could charge the buyer twice); it keeps the order pending
// and keeps asking. Before this rule, the order went to beta after one
// unanswered query.
func TestUnknownCreateIsNeverRetriedElsewhere(t *testing.T) {
	s, err := scenario.Parse("svc.yaml", []byte(`name: svc
duration: 10m
traffic: {arrivals: {type: constant, rate: 1/s}, methods: {card: 1}}
providers:
  - {name: alpha, flow: sync, methods: [card]}
  - {name: beta, flow: sync, methods: [card]}
router: {strategy: health, timeout: 2s, order: [alpha, beta]}
`))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	calls := map[string]int{}
	hang := make(chan struct{})
	provider := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls[name]++
			mu.Unlock()
			if name == "alpha" {
				select { // takes the payment, never answers in time
				case <-r.Context().Done():
				case <-hang:
				}
				return
			}
			json.NewEncoder(w).Encode(mocks.PaymentView{ID: "pay_beta", Status: "succeeded"})
		}))
	}
	alpha, beta := provider("alpha"), provider("beta")
	defer alpha.Close()
	defer beta.Close()
	defer close(hang) // before the servers close: they wait for their handlers
	svc, err := NewService(ServiceOptions{Scenario: s, Seed: 1, Scale: 1000, Secret: []byte("s"),
		Providers: map[string]string{"alpha": alpha.URL, "beta": beta.URL}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()
	body, _ := json.Marshal(OrderRequest{OrderID: "o1", Amount: 1500, Currency: "USD", Method: "card"})
	resp, err := http.Post(srv.URL+"/v1/orders", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var v OrderView
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	time.Sleep(50 * time.Millisecond) // settle goes on asking alpha meanwhile (a few scenario seconds)
	svc.Close()
	mu.Lock()
	got := map[string]int{"alpha": calls["alpha"], "beta": calls["beta"]}
	mu.Unlock()
	if got["beta"] != 0 || v.Status != "pending" || v.PayURL != "" {
		t.Errorf("order answered %q (pay page %q); beta called %d times; want pending, no page, beta never", v.Status, v.PayURL, got["beta"])
	}
	if got["alpha"] < 1+unknownQueries {
		t.Errorf("alpha asked %d times, want the create and %d queries at least", got["alpha"], unknownQueries)
	}
}
