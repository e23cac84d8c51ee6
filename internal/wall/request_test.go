package wall

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/traffic"
)

// TestOrderPostBody: the template's body is byte for byte what
// json.Marshal makes of the same request, for strings from the scenario's
// table and strings outside it that need escaping.
func TestOrderPostBody(t *testing.T) {
	tr := scenario.Traffic{
		Methods: map[string]float64{"card": 1, `we"chat`: 1},
		Regions: map[string]float64{"US": 1, "<script>": 1},
		Catalog: scenario.Catalog{Currency: "USD", Categories: map[string]float64{"game-keys": 1, "ünï\u2028": 1}},
	}
	p, err := newOrderPost("http://127.0.0.1:1", tr)
	if err != nil {
		t.Fatal(err)
	}
	orders := []payment.Order{
		{Amount: 1500, Currency: "USD", Method: "card", Category: "game-keys", Region: "US", Buyer: 7},
		{Amount: -3, Currency: "USD", Method: `we"chat`, Category: "ünï\u2028", Region: "<script>", Buyer: 0},
		{Amount: 1, Currency: "EUR", Method: "not\tin-table", Buyer: 123456},
		{Amount: 2, Currency: "USD", Method: "card", Buyer: 3},
	}
	buyers := []*traffic.Buyer{
		{Email: "ima.buyer@example.com", IP: "203.0.113.7", Device: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"},
		{Email: `o"brien&<co>@example.com`, IP: "::1", Device: "Opera/9.80 (X11; Linux\ni686) ünï\u2028"},
		nil,
		{Email: "no.ip@example.com"},
	}
	for i, o := range orders {
		id := "ord-" + string(rune('1'+i))
		req := router.OrderRequest{OrderID: id, Amount: int64(o.Amount), Currency: o.Currency,
			Method: o.Method, Category: o.Category, Region: o.Region, BuyerID: itoa(int(o.Buyer))}
		if b := buyers[i]; b != nil {
			req.BuyerEmail, req.BuyerIP, req.UserAgent = b.Email, b.IP, b.Device
		}
		want, _ := json.Marshal(req)
		if got := p.body(nil, id, &o, buyers[i]); string(got) != string(want) {
			t.Errorf("order %d: body\n%s\nwant\n%s", i, got, want)
		}
	}
}

// TestOrderPostDo: a post reaches the router with its body and header,
// the answer is decoded, and an error status is an error.
func TestOrderPostDo(t *testing.T) {
	var got []byte
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/v1/orders" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %s %s, content type %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"order_id":"ord-1","status":"pending","provider":"gamma","pay_url":"http://x/pay/1"}`)
	}))
	defer srv.Close()
	p, err := newOrderPost(srv.URL, scenario.Traffic{Catalog: scenario.Catalog{Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	o := payment.Order{Amount: 1500, Currency: "USD", Method: "card"}
	for range 3 { // the pooled answer buffer is reused
		var v router.OrderView
		if err := p.do(context.Background(), srv.Client(), "ord-1", &o, nil, &v); err != nil {
			t.Fatal(err)
		}
		if v.Status != "pending" || v.Provider != "gamma" || v.PayURL != "http://x/pay/1" {
			t.Errorf("answer %+v", v)
		}
		if want := `{"order_id":"ord-1","amount":1500,"currency":"USD","method":"card","buyer_id":"0"}`; string(got) != want {
			t.Errorf("router got %s, want %s", got, want)
		}
	}
	status = http.StatusServiceUnavailable
	var v router.OrderView
	if err := p.do(context.Background(), srv.Client(), "ord-1", &o, nil, &v); err == nil {
		t.Error("503: no error")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
