package router

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/mocks"
)

// FuzzServiceOrders posts any body as an order to the reference router:
// it answers with a status and JSON, never panics, and refuses what it
// cannot take (an amount outside (0, MaxAmount], no id) with a 4xx.
func FuzzServiceOrders(f *testing.F) {
	for _, s := range []string{
		`{"order_id":"o2","amount":1500,"currency":"USD","method":"card"}`,
		`{"order_id":"o1","amount":1500,"currency":"USD","method":"card"}`,
		`{"order_id":"o3","amount":9223372036854775807,"currency":"USD","method":"card"}`,
		`{"order_id":"o4","amount":0,"currency":"USD","method":"card"}`,
		`{"order_id":"","amount":-1,"currency":"","method":"wire"}`,
		strings.Repeat("[", 100_000),
		`{"order_id":"o5","amount":1,"currency":"USD","method":"card","buyer_id":"` + strings.Repeat("b", 70_000) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		svc, _ := service(t, ServiceOptions{Secret: []byte("s3cret")})
		rec := httptest.NewRecorder()
		svc.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/orders", bytes.NewReader(body)))
		if rec.Code < 200 || rec.Code > 599 || rec.Code == http.StatusInternalServerError {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("status %d with a body that is not JSON: %q", rec.Code, rec.Body.Bytes())
		}
	})
}

// FuzzServiceNotify sends any notification (provider, body, signature
// header; or the body signed with the router's secret, sign) about the
// open order o1 (1500 USD at alpha as pay_o1). o1 becomes paid only by
// a notification signed with the secret that names alpha, pay_o1, o1,
// 1500 and USD: the forgeries of issue 13 are the seeds.
func FuzzServiceNotify(f *testing.F) {
	key := []byte("s3cret")
	good, _ := json.Marshal(mocks.Notification{ID: "pay_o1", MerchantOrderID: "o1", Status: "succeeded", Amount: 1500, Currency: "USD"})
	forged, _ := json.Marshal(mocks.Notification{ID: "made_up", MerchantOrderID: "o1", Status: "succeeded", Amount: 1, Currency: "XXX"})
	now := time.Now()
	f.Add("alpha", good, "", true)
	f.Add("beta", good, "", true)
	f.Add("alpha", forged, "", true)
	f.Add("alpha", good, mocks.Sign(nil, now.Unix(), good), false)
	f.Add("alpha", good, mocks.Sign(key, 0, good), false)
	f.Add("alpha", good, "t=1,v1=00", false)
	f.Add("nobody", []byte("{"), "", false)
	f.Fuzz(func(t *testing.T, provider string, body []byte, header string, sign bool) {
		svc, _ := service(t, ServiceOptions{Secret: key})
		target := "/v1/notify/" + provider
		req, err := http.NewRequest(http.MethodPost, "http://router"+target, bytes.NewReader(body))
		if err != nil || strings.ContainsAny(provider, "/?#%") {
			return
		}
		if sign {
			header = mocks.Sign(key, time.Now().Unix(), body)
		}
		req.Header.Set(mocks.HeaderSig, header)
		h := svc.Handler()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("status 500 for %q", body)
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/orders/o1", nil))
		var v OrderView
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if v.Status != "paid" {
			return
		}
		var n mocks.Notification
		json.Unmarshal(body, &n)
		want := mocks.Notification{ID: "pay_o1", MerchantOrderID: "o1", Status: "succeeded", Amount: 1500, Currency: "USD"}
		signed := mocks.VerifySignature(key, header, body, time.Now(), DefaultTolerance) == nil
		if !signed || provider != "alpha" || n != want {
			t.Fatalf("o1 paid by provider %q, signed %v, notification %+v", provider, signed, n)
		}
	})
}

// FuzzServiceAny sends any request (method, path, body, one header) to
// the reference router holding the open order o1: the order and stats
// reads, the health check and whatever else. Never a 500; JSON where it
// says JSON; GET /v1/orders/{id} finds o1 and nothing else; and no request
// made without the secret pays o1.
func FuzzServiceAny(f *testing.F) {
	f.Add("GET", "/v1/orders/o1", []byte{}, "")
	f.Add("GET", "/v1/orders/o2", []byte{}, "")
	f.Add("GET", "/v1/orders/%ff", []byte{}, "")
	f.Add("GET", "/v1/orders/"+strings.Repeat("o", 70_000), []byte{}, "")
	f.Add("GET", "/v1/stats", []byte{}, "")
	f.Add("GET", "/healthz", []byte{}, "")
	f.Add("DELETE", "/v1/orders/o1", []byte{}, "")
	f.Add("POST", "/v1/notify/alpha", []byte(`{"id":"pay_o1","merchant_order_id":"o1","status":"succeeded","amount":1500,"currency":"USD"}`), "Paydrill-Signature: t=1,v1=00")
	f.Add("GET", "/v1/notify/alpha?out_trade_no=o1&trade_status=TRADE_SUCCESS&money=15.00", []byte{}, "")
	f.Fuzz(func(t *testing.T, method, target string, body []byte, header string) {
		req, err := http.NewRequest(method, "http://router"+target, bytes.NewReader(body))
		if err != nil || !strings.HasPrefix(target, "/") {
			return
		}
		if k, v, ok := strings.Cut(header, ":"); ok {
			req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		svc, _ := service(t, ServiceOptions{Secret: []byte("s3cret")})
		h := svc.Handler()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 100 || rec.Code > 599 || rec.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s: status %d", method, target, rec.Code)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: invalid JSON answer %q", method, target, rec.Body.Bytes())
		}
		if id, ok := strings.CutPrefix(req.URL.Path, "/v1/orders/"); ok && method == http.MethodGet && !strings.Contains(id, "/") {
			if found := rec.Code == http.StatusOK; found != (id == "o1") {
				t.Fatalf("GET /v1/orders/%s: status %d", id, rec.Code)
			}
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/orders/o1", nil))
		var v OrderView
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if v.Status != "pending" || v.Delivered {
			t.Fatalf("after %s %s (body %q, header %q): o1 %+v; want still pending", method, target, body, header, v)
		}
	})
}
