package router_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

const epayShop = `name: t
duration: 1h
traffic:
  arrivals: {type: constant, rate: 1/s}
  methods: {alipay: 1}
providers:
  - {name: alpha, protocol: epay, latency: {median: 10ms, p99: 10ms}, completion: {rate: 1}, notify: {delay: {median: 1h, p99: 1h}}}
`

// epayService is the reference router in front of one epay mock whose own
// notifications come an hour late (scenario time), so the test's are the
// only ones the router sees.
func epayService(t *testing.T, key string) (*router.Service, string, string) {
	t.Helper()
	s, err := scenario.Parse("t.yaml", []byte(epayShop))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Secret: []byte(key)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	svc, err := router.NewService(router.ServiceOptions{Scenario: s, Strategy: "health", Seed: 1,
		Providers: m.Providers(), Secret: []byte(key)})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mocks.NewServer(svc.Handler())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); svc.Close() })
	svc.SetNotifyBase(srv.URL())
	return svc, srv.URL(), m.Providers()["alpha"]
}

func orderView(t *testing.T, u string) router.OrderView {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v router.OrderView
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// openEpayOrder asks the router for order o1, 12.50 CNY by alipay.
func openEpayOrder(t *testing.T, base string) router.OrderView {
	t.Helper()
	body, _ := json.Marshal(router.OrderRequest{OrderID: "o1", Amount: 1250, Currency: "CNY", Method: "alipay"})
	res, err := http.Post(base+"/v1/orders", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var v router.OrderView
	json.NewDecoder(res.Body).Decode(&v)
	res.Body.Close()
	return v
}

// notifyGet sends an epay notification to the router; it returns the answer.
func notifyGet(t *testing.T, base string, q url.Values) (int, string) {
	t.Helper()
	res, err := http.Get(base + "/v1/notify/alpha?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestEpayNotificationSignature: the reference router takes an epay
// notification only when its MD5 signature is the merchant key's; a wrong
// signature, or one made with another key, leaves the order unpaid.
func TestEpayNotificationSignature(t *testing.T) {
	const key = "merchant-key"
	_, base, _ := epayService(t, key)
	v := openEpayOrder(t, base)
	if v.Status != "pending" || v.PaymentID == "" {
		t.Fatalf("order over epay: %+v, want pending with a payment id", v)
	}
	q := url.Values{}
	for k, x := range map[string]string{"pid": mocks.EpayPID, "trade_no": v.PaymentID, "out_trade_no": "o1",
		"type": "alipay", "name": "order o1", "money": "12.50", "trade_status": "TRADE_SUCCESS"} {
		q.Set(k, x)
	}
	good := mocks.EpaySign(q, key)
	forged := []struct {
		why  string
		sign string
	}{
		{"a wrong signature", "0123456789abcdef0123456789abcdef"},
		{"another key's signature", mocks.EpaySign(q, "not-the-key")},
		{"no signature", ""},
	}
	for _, f := range forged {
		q.Set("sign", f.sign)
		q.Set("sign_type", "MD5")
		if code, ans := notifyGet(t, base, q); code == 200 || ans == "success" {
			t.Errorf("%s: answered %d %q, want refused", f.why, code, ans)
		}
		if got := orderView(t, base+"/v1/orders/o1"); got.Status != "pending" || got.Delivered {
			t.Fatalf("after %s: order %+v, want still pending, nothing delivered", f.why, got)
		}
	}
	// Signed with the key, but not the payment the router asked for: the
	// checks every notification meets apply to epay's too.
	wrong := url.Values{}
	for k := range q {
		wrong.Set(k, q.Get(k))
	}
	wrong.Set("money", "99.00")
	wrong.Del("sign")
	wrong.Set("sign", mocks.EpaySign(wrong, key))
	if code, ans := notifyGet(t, base, wrong); code == 200 || ans == "success" {
		t.Errorf("a signed notification of another amount: answered %d %q, want refused", code, ans)
	}
	q.Set("sign", good)
	if code, ans := notifyGet(t, base, q); code != 200 || ans != "success" {
		t.Errorf("the merchant key's signature: answered %d %q, want 200 success", code, ans)
	}
	if got := orderView(t, base+"/v1/orders/o1"); got.Status != "paid" || !got.Delivered {
		t.Errorf("after a good notification: order %+v, want paid and delivered", got)
	}
}

// TestEpayRefusalClasses: a refused epay create is classed by the code its
// msg starts with; a gateway's own words are a channel error.
func TestEpayRefusalClasses(t *testing.T) {
	cases := []struct {
		msg    string
		status payment.Status
		code   string
	}{
		{"merchant_suspended: the payment was declined", payment.Declined, payment.CodeMerchantSuspended},
		{"do_not_honor: the payment was declined", payment.Declined, payment.CodeDoNotHonor},
		{"try_again_later: too many requests", payment.Limited, payment.CodeTryAgain},
		{"processing_error: provider error", payment.Failed, payment.CodeProcessingError},
		{"商户已被封禁", payment.Failed, payment.CodeProcessingError},
	}
	for _, c := range cases {
		st, code := router.EpayRefusal(c.msg)
		if st != c.status || code != c.code {
			t.Errorf("EpayRefusal(%q) = %s %q, want %s %q", c.msg, st, code, c.status, c.code)
		}
	}
}
