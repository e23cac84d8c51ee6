package mocks

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// FuzzVerifySignature: a header is accepted only when it carries the
// HMAC of its own timestamp and the body under the secret, within the
// tolerance; what Sign writes is always accepted. Seeds: the forgeries
// of issue 13 (empty key, a 1970 timestamp, tolerance 0).
func FuzzVerifySignature(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"payment_id":"pay_o1","merchant_order_id":"o1","status":"captured","amount":1500,"currency":"USD"}`)
	f.Add([]byte("s3cret"), Sign([]byte("s3cret"), now.Unix(), body), body, int64(time.Minute))
	f.Add([]byte("s3cret"), Sign(nil, now.Unix(), body), body, int64(time.Minute))
	f.Add([]byte("s3cret"), Sign([]byte("s3cret"), 0, body), body, int64(0))
	f.Add([]byte("s3cret"), Sign([]byte("s3cret"), 0, body), body, int64(time.Minute))
	f.Add([]byte(""), "t=1,v1=zz,v0=00,t=2", []byte{}, int64(-1))
	f.Add([]byte("k"), "t=9223372036854775807,v1="+strings.Repeat("0", 64), body, int64(time.Hour))
	f.Fuzz(func(t *testing.T, secret []byte, header string, body []byte, tol int64) {
		tolerance := time.Duration(tol)
		err := VerifySignature(secret, header, body, now, tolerance)
		if err == nil {
			ok := false
			var ts int64
			for _, part := range strings.Split(header, ",") {
				k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
				if k == "t" {
					ts, _ = strconv.ParseInt(v, 10, 64)
				}
			}
			want := hex.EncodeToString(mac(secret, ts, body))
			for _, part := range strings.Split(header, ",") {
				k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
				if k == "v1" && strings.EqualFold(v, want) {
					ok = true
				}
			}
			if !ok {
				t.Fatalf("accepted %q without the body's HMAC under the secret", header)
			}
			if tolerance > 0 {
				if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
					t.Fatalf("accepted timestamp %d, %s from now, tolerance %s", ts, d, tolerance)
				}
			}
		}
		if err := VerifySignature(secret, Sign(secret, now.Unix(), body), body, now, tolerance); err != nil {
			t.Fatalf("refused its own signature: %v", err)
		}
		other := append(bytes.Clone(secret), 'x')
		if err := VerifySignature(other, Sign(secret, now.Unix(), body), body, now, tolerance); err == nil {
			t.Fatalf("a signature under %q verified under %q", secret, other)
		}
	})
}

// FuzzEpayVerify: epay parameters are accepted only with the MD5 sign of
// the other parameters under the key, and what EpaySign writes verifies.
func FuzzEpayVerify(f *testing.F) {
	v := url.Values{"pid": {"1000"}, "trade_no": {"T1"}, "out_trade_no": {"o1"}, "type": {"alipay"},
		"name": {"game key"}, "money": {"12.50"}, "trade_status": {"TRADE_SUCCESS"}}
	v.Set("sign", EpaySign(v, "key"))
	f.Add(v.Encode(), "key")
	v.Set("sign_type", "RSA")
	f.Add(v.Encode(), "key")
	f.Add("sign=&money=1", "")
	f.Add("money=99999999999999999999.99&sign=00", "k")
	f.Fuzz(func(t *testing.T, query, key string) {
		params, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		if EpayVerify(params, key) == nil && !strings.EqualFold(params.Get("sign"), EpaySign(params, key)) {
			t.Fatalf("accepted %q without its sign under the key", query)
		}
		params.Set("sign", EpaySign(params, key))
		params.Del("sign_type")
		if err := EpayVerify(params, key); err != nil {
			t.Fatalf("refused its own sign of %q: %v", query, err)
		}
	})
}

// noNetwork is a transport that sends nothing: notifications to a
// fuzzed notify_url stay on this machine (and in this process).
type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("fuzz: no network")
}

// fuzzHandler fuzzes a mock handler of s's first provider: each input is
// one request to a fresh handler, served after the prelude's create.
func fuzzHandler(f *testing.F, s *scenario.Scenario, newHandler func(*Live, HandlerOptions) http.Handler, prelude func() *http.Request) {
	f.Fuzz(func(t *testing.T, method, target string, body []byte, header string) {
		now := time.Duration(0)
		h := newHandler(NewLive(s, 0, func() time.Duration { return now }), fuzzOptions())
		fuzzRequest(t, h, prelude(), method, target, body, header)
	})
}

// fuzzRequest serves one fuzzed request on h after a valid create, and
// checks that it answers: no panic, a status, and JSON when it says JSON.
func fuzzRequest(t *testing.T, h http.Handler, prelude *http.Request, method, target string, body []byte, header string) {
	defer h.(io.Closer).Close()
	if prelude != nil {
		h.ServeHTTP(httptest.NewRecorder(), prelude)
	}
	req, err := http.NewRequest(method, "http://mock"+target, bytes.NewReader(body))
	if err != nil || !strings.HasPrefix(target, "/") {
		return
	}
	if k, v, ok := strings.Cut(header, ":"); ok {
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	// A handler that does not answer is a bug the fuzzer cannot see on its
	// own (it only stalls): crash the worker so the input is kept.
	hang := time.AfterFunc(time.Minute, func() {
		panic(fmt.Sprintf("%s %q: no answer in a minute (body %q, header %q)", method, target, body, header))
	})
	h.ServeHTTP(rec, req)
	hang.Stop()
	if rec.Code < 100 || rec.Code > 599 {
		t.Fatalf("%s %s: status %d", method, target, rec.Code)
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s %s: invalid JSON answer %q", method, target, rec.Body.Bytes())
	}
}

func fuzzOptions() HandlerOptions {
	return HandlerOptions{Scale: 1e6, Secret: []byte("s3cret"), Client: &http.Client{Transport: noNetwork{}},
		Clock: fixedWall, SetStart: func(time.Time) {}}
}

// FuzzGenericHandler sends any request to a generic-protocol mock that
// holds one payment: create, status, the pay page and the control API.
func FuzzGenericHandler(f *testing.F) {
	create, _ := json.Marshal(order1("o1"))
	f.Add("POST", PathPayments, create, "Idempotency-Key: k1")
	f.Add("POST", PathPayments, []byte(`{"merchant_order_id":"o2","amount":9223372036854775807,"currency":"USD","method":"card"}`), "")
	f.Add("POST", PathPayments, []byte(`{"merchant_order_id":"o2","amount":0,"currency":"USD","method":"card"}`), "")
	f.Add("POST", PathPayments, []byte(`{"merchant_order_id":"o3","amount":100,"currency":"USD","method":"card","notify_url":"http://127.0.0.1:1/x"}`), "Content-Type: application/json")
	f.Add("POST", PathPayments, []byte(strings.Repeat("[", 100_000)), "")
	f.Add("GET", "/v1/payments/pay_1", []byte{}, "")
	f.Add("GET", "/pay/pay_1", []byte{}, "")
	f.Add("POST", "/pay/pay_1", []byte{}, "")
	f.Add("POST", "/_paydrill/faults/nope/on", []byte{}, "")
	f.Add("POST", PathClock, []byte(`{"start_unix_ns":-9223372036854775808}`), "")
	f.Add("GET", PathAttempts+"?since=-1", []byte{}, "")
	f.Add("GET", PathLedger, []byte{}, "")
	f.Add("POST", PathReset, []byte{}, "")
	s := scenarioOf(f, asyncPay+syncAlpha, "  - {name: out, type: outage, at: 1m, target: {providers: [pay]}}\n")
	fuzzHandler(f, s, NewHandler, func() *http.Request {
		return httptest.NewRequest("POST", PathPayments, bytes.NewReader(create))
	})
}

// FuzzEpayHandler sends any request to an epay mock that holds one
// order: submit.php, mapi.php, api.php, the pay page and the control API.
func FuzzEpayHandler(f *testing.F) {
	params := url.Values{"pid": {EpayPID}, "type": {"alipay"}, "out_trade_no": {"o1"}, "notify_url": {"http://127.0.0.1:1/n"},
		"name": {"game key"}, "money": {"12.50"}, "param": {"category=game-keys&region=CN"}}
	params.Set("sign", EpaySign(params, "s3cret"))
	params.Set("sign_type", "MD5")
	create := []byte(params.Encode())
	const form = "Content-Type: application/x-www-form-urlencoded"
	f.Add("POST", PathEpayMAPI, create, form)
	f.Add("POST", PathEpaySubmit, create, form)
	f.Add("GET", PathEpaySubmit+"?"+params.Encode(), []byte{}, "")
	f.Add("POST", PathEpayMAPI, []byte("pid=1000&money=99999999999999.99&sign=x"), form)
	f.Add("POST", PathEpayMAPI, []byte("pid=1000&money=0&type=alipay&out_trade_no=o9"), form)
	f.Add("GET", PathEpayAPI+"?act=order&pid=1000&key=s3cret&out_trade_no=o1", []byte{}, "")
	f.Add("GET", PathEpayAPI+"?act=order&pid=1000&key=wrong&trade_no=%ff", []byte{}, "")
	f.Add("POST", "/pay/x", []byte{}, "")
	s := scenarioOf(f, "  - {name: ep, protocol: epay, methods: [alipay, card], latency: {median: 100ms, p99: 100ms}, completion: {rate: 1}, notify: {delay: {median: 2s, p99: 2s}}}\n", "")
	fuzzHandler(f, s, NewEpayHandler, func() *http.Request {
		r := httptest.NewRequest("POST", PathEpayMAPI, bytes.NewReader(create))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	})
}

// FuzzStripeHandler sends any request to a Stripe-protocol mock that holds
// one confirmed payment intent (pi_pay_1): create, confirm, retrieve, the
// pay page and the control API.
func FuzzStripeHandler(f *testing.F) {
	create := []byte(url.Values{"amount": {"1500"}, "currency": {"usd"}, "confirm": {"true"},
		"payment_method_types[]": {"card"}, "metadata[order_id]": {"o1"}}.Encode())
	const form = "Content-Type: application/x-www-form-urlencoded"
	f.Add("POST", PathStripeIntents, create, form)
	f.Add("POST", PathStripeIntents, []byte("amount=9223372036854775807&currency=usd&confirm=true"), form)
	f.Add("POST", PathStripeIntents, []byte("amount=0&currency=usd"), form)
	f.Add("POST", PathStripeIntents, []byte("amount=100&currency=usd&payment_method_types[]=wire"), form)
	f.Add("POST", PathStripeIntents, []byte("amount=100&currency=usd&metadata[order_id]=o2"), "Idempotency-Key: k1")
	f.Add("POST", "/v1/payment_intents/pi_pay_1/confirm", []byte{}, form)
	f.Add("POST", "/v1/payment_intents/pi_nope/confirm", []byte("%zz"), form)
	f.Add("GET", "/v1/payment_intents/pi_pay_1", []byte{}, "")
	f.Add("GET", "/v1/payment_intents/%ff", []byte{}, "")
	f.Add("POST", PathStripeIntents, []byte(strings.Repeat("metadata[a]=b&", 10_000)), form)
	f.Add("POST", "/pay/pay_1", []byte{}, "")
	f.Add("GET", PathLedger, []byte{}, "")
	s := scenarioOf(f, asyncPay+syncAlpha, "  - {name: out, type: outage, at: 1m, target: {providers: [pay]}}\n")
	fuzzHandler(f, s, NewStripeHandler, func() *http.Request {
		r := httptest.NewRequest("POST", PathStripeIntents, bytes.NewReader(create))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	})
}
