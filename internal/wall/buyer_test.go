package wall

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/traffic"
)

// TestRouterSeesTheBuyer: every order the router under test receives
// names its buyer's email, IP and user agent, the same for every order
// of one buyer and those of the run's gofakeit population.
func TestRouterSeesTheBuyer(t *testing.T) {
	s := parse(t, `name: buyers
duration: 10m
drain: 1m
traffic: {arrivals: {type: constant, rate: 30/min}, buyers: 20}
providers: [{name: alpha}]
`)
	var mu sync.Mutex
	var got []router.OrderRequest
	sut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/orders" {
			return // health checks
		}
		var req router.OrderRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("order body: %v", err)
		}
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		json.NewEncoder(w).Encode(router.OrderView{OrderID: req.OrderID, Status: "failed"})
	}))
	defer sut.Close()
	if _, err := Run(context.Background(), Config{Scenario: s, Seed: 7, SUT: sut.URL, Mocks: &fakeMocks{}, Scale: 6000}); err != nil {
		t.Fatal(err)
	}
	pop, err := traffic.NewBuyers(7, s.Traffic)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 100 {
		t.Fatalf("the router got %d orders, want about 300", len(got))
	}
	repeat := map[string]int{}
	for _, req := range got {
		i, err := strconv.Atoi(req.BuyerID)
		if err != nil || i < 0 || i >= len(pop) {
			t.Fatalf("order %s: buyer_id %q is not a buyer of the population", req.OrderID, req.BuyerID)
		}
		b := pop[i]
		if req.BuyerEmail != b.Email || req.BuyerIP != b.IP || req.UserAgent != b.Device || b.Email == "" || b.IP == "" || b.Device == "" {
			t.Errorf("order %s of buyer %d: email %q, IP %q, user agent %q; want %q, %q, %q",
				req.OrderID, i, req.BuyerEmail, req.BuyerIP, req.UserAgent, b.Email, b.IP, b.Device)
		}
		repeat[req.BuyerID]++
	}
	if len(repeat) >= len(got) {
		t.Errorf("%d orders from %d buyers: want repeat buyers", len(got), len(repeat))
	}
}
