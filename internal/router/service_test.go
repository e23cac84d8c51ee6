package router

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// provider is a fake generic-protocol provider: every create is an open
// async payment pay_<order>.
func provider(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in mocks.CreatePayment
		json.NewDecoder(r.Body).Decode(&in)
		json.NewEncoder(w).Encode(mocks.PaymentView{ID: "pay_" + in.MerchantOrderID, MerchantOrderID: in.MerchantOrderID,
			Amount: in.Amount, Currency: in.Currency, Status: "pending", PayURL: "http://pay/" + in.MerchantOrderID})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func serviceScenario(t *testing.T) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("svc.yaml", []byte(`name: svc
duration: 10m
traffic: {arrivals: {type: constant, rate: 1/s}}
providers:
  - {name: alpha, flow: async}
  - {name: beta, flow: async}
`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// service runs the reference router with one open order o1 (1500 USD at
// alpha, payment pay_o1) and returns its URL.
func service(t *testing.T, opt ServiceOptions) (*Service, string) {
	t.Helper()
	p := provider(t)
	opt.Scenario = serviceScenario(t)
	opt.Strategy, opt.Seed = "priority", 1
	opt.Providers = map[string]string{"alpha": p.URL, "beta": p.URL}
	svc, err := NewService(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	svc.SetNotifyBase(srv.URL)
	resp, err := http.Post(srv.URL+"/v1/orders", "application/json",
		strings.NewReader(`{"order_id":"o1","amount":1500,"currency":"USD","method":"card"}`))
	if err != nil {
		t.Fatal(err)
	}
	var v OrderView
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	if v.Status != "pending" || v.PaymentID != "pay_o1" || v.Provider != "alpha" {
		t.Fatalf("order o1: %+v; want pending at alpha as pay_o1", v)
	}
	return svc, srv.URL
}

// notice posts a notification to the router as provider prov, signed
// with key at time at (no header when key is nil).
func notice(t *testing.T, base, prov string, n mocks.Notification, key []byte, at time.Time) int {
	t.Helper()
	body, _ := json.Marshal(n)
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/notify/"+prov, strings.NewReader(string(body)))
	if key != nil {
		req.Header.Set(mocks.HeaderSig, mocks.Sign(key, at.Unix(), body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func orderStatus(t *testing.T, base string) OrderView {
	t.Helper()
	resp, err := http.Get(base + "/v1/orders/o1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v OrderView
	json.NewDecoder(resp.Body).Decode(&v)
	return v
}

func stats(t *testing.T, base string) Stats {
	t.Helper()
	resp, err := http.Get(base + "/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Stats
	json.NewDecoder(resp.Body).Decode(&st)
	return st
}

// Without a secret the reference router does not start, unless told
// the drill is unsigned.
func TestServiceRefusesNoSecret(t *testing.T) {
	_, err := NewService(ServiceOptions{Scenario: serviceScenario(t), Providers: map[string]string{"alpha": "http://a", "beta": "http://b"}})
	if !errors.Is(err, ErrNoSecret) {
		t.Errorf("NewService without a secret: %v, want ErrNoSecret", err)
	}
	if _, err := NewService(ServiceOptions{Scenario: serviceScenario(t), Unsigned: true,
		Providers: map[string]string{"alpha": "http://a", "beta": "http://b"}}); err != nil {
		t.Errorf("NewService unsigned: %v", err)
	}
}

// Every forgery of the campaign is refused and counted; the order stays
// pending until the genuine notification comes.
func TestServiceRefusesForgedNotifications(t *testing.T) {
	secret := []byte("drill-secret")
	now := time.Now()
	genuine := mocks.Notification{ID: "pay_o1", MerchantOrderID: "o1", Status: "succeeded", Amount: 1500, Currency: "USD"}
	with := func(f func(*mocks.Notification)) mocks.Notification { n := genuine; f(&n); return n }
	_, base := service(t, ServiceOptions{Secret: secret})
	for _, tc := range []struct {
		name string
		prov string
		n    mocks.Notification
		key  []byte
		at   time.Time
		want int
	}{
		{"signed with the empty key", "alpha", genuine, []byte{}, now, http.StatusUnauthorized},
		{"no signature", "alpha", genuine, nil, now, http.StatusUnauthorized},
		{"timestamp of 1970", "alpha", genuine, secret, time.Unix(1, 0), http.StatusUnauthorized},
		{"timestamp an hour old", "alpha", genuine, secret, now.Add(-time.Hour), http.StatusUnauthorized},
		{"made-up payment id", "alpha", with(func(n *mocks.Notification) { n.ID = "pay_forged" }), secret, now, http.StatusBadRequest},
		{"amount 1", "alpha", with(func(n *mocks.Notification) { n.Amount = 1 }), secret, now, http.StatusBadRequest},
		{"currency XXX", "alpha", with(func(n *mocks.Notification) { n.Currency = "XXX" }), secret, now, http.StatusBadRequest},
		{"a provider never asked", "beta", genuine, secret, now, http.StatusBadRequest},
		{"an order never placed", "alpha", with(func(n *mocks.Notification) { n.MerchantOrderID = "o9" }), secret, now, http.StatusBadRequest},
		{"an unknown provider", "gamma", genuine, secret, now, http.StatusNotFound},
	} {
		if got := notice(t, base, tc.prov, tc.n, tc.key, tc.at); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
		if v := orderStatus(t, base); v.Status != "pending" || v.Delivered {
			t.Fatalf("after %s: order %+v; want still pending, nothing delivered", tc.name, v)
		}
	}
	if st := stats(t, base); st.RefusedNotifications != 10 || st.Unsigned {
		t.Errorf("stats: refused %d, unsigned %v; want 10, false", st.RefusedNotifications, st.Unsigned)
	}
	if got := notice(t, base, "alpha", genuine, secret, now); got != http.StatusOK {
		t.Fatalf("genuine notification: status %d, want 200", got)
	}
	if v := orderStatus(t, base); v.Status != "paid" || !v.Delivered {
		t.Errorf("after the genuine notification: %+v; want paid and delivered", v)
	}
}

// An unsigned drill checks no signature but still matches what the
// notification says against the order: the campaign's forgery (made-up
// payment id, amount 1, currency XXX, empty key) is refused; stats say
// the drill is unsigned.
func TestServiceUnsignedStillMatches(t *testing.T) {
	_, base := service(t, ServiceOptions{Unsigned: true})
	forged := mocks.Notification{ID: "pay_made_up", MerchantOrderID: "o1", Status: "succeeded", Amount: 1, Currency: "XXX"}
	if got := notice(t, base, "alpha", forged, []byte{}, time.Now()); got != http.StatusBadRequest {
		t.Errorf("forged notification to an unsigned router: status %d, want 400", got)
	}
	if v := orderStatus(t, base); v.Status != "pending" {
		t.Errorf("order after the forgery: %+v, want pending", v)
	}
	if st := stats(t, base); !st.Unsigned || st.RefusedNotifications != 1 {
		t.Errorf("stats: %+v; want unsigned, 1 refused", st)
	}
}

// An order amount that could wrap a total is refused at the door.
func TestServiceRefusesHugeAmount(t *testing.T) {
	_, base := service(t, ServiceOptions{Secret: []byte("k")})
	resp, err := http.Post(base+"/v1/orders", "application/json",
		strings.NewReader(`{"order_id":"o2","amount":9223372036854775807,"currency":"USD","method":"card"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("order of 9223372036854775807: status %d, want 400", resp.StatusCode)
	}
}
