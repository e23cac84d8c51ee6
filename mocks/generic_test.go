package mocks

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestGenericSyncCreateAndGet(t *testing.T) {
	l, _ := liveOf(t, syncAlpha, "", "alpha")
	srv := serveHandler(t, NewHandler(l, testOptions("s")))

	code, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-1"))
	want := PaymentView{ID: "pay_alpha_1", MerchantOrderID: "o-1", Amount: 1250, Currency: "USD", Status: "succeeded"}
	if code != http.StatusCreated {
		t.Fatalf("create: status %d %s, want 201", code, b)
	}
	if diff := cmp.Diff(want, decode[PaymentView](t, b)); diff != "" {
		t.Errorf("create answer (-want +got):\n%s", diff)
	}
	code, _, b = call(t, "GET", srv.URL+"/v1/payments/pay_alpha_1", nil)
	if code != http.StatusOK {
		t.Fatalf("get: status %d %s", code, b)
	}
	if diff := cmp.Diff(want, decode[PaymentView](t, b)); diff != "" {
		t.Errorf("get answer (-want +got):\n%s", diff)
	}
	if code, _, _ := call(t, "GET", srv.URL+"/v1/payments/pay_alpha_9", nil); code != http.StatusNotFound {
		t.Errorf("get unknown: status %d, want 404", code)
	}
}

func TestGenericBadRequests(t *testing.T) {
	l, _ := liveOf(t, "  - {name: alpha, flow: sync, methods: [card]}\n  - {name: wallet, methods: [alipay]}\n", "", "alpha")
	srv := serveHandler(t, NewHandler(l, testOptions("s")))
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"no order id", CreatePayment{Amount: 1, Currency: "USD"}, "parameter_missing"},
		{"zero amount", CreatePayment{MerchantOrderID: "o", Currency: "USD"}, "parameter_invalid"},
		{"method not taken", CreatePayment{MerchantOrderID: "o", Amount: 1, Currency: "USD", Method: "alipay"}, "payment_method_unavailable"},
		{"not JSON", "[", "parameter_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, b := call(t, "POST", srv.URL+PathPayments, tc.body)
			if got := decode[APIError](t, b).Error.Code; status != http.StatusBadRequest || got != tc.code {
				t.Errorf("status %d code %q, want 400 %q", status, got, tc.code)
			}
		})
	}
	if n := len(l.Attempts(0)); n != 0 {
		t.Errorf("%d attempts logged for bad requests, want 0", n)
	}
}

func TestGenericAsyncPayAndNotify(t *testing.T) {
	l, _ := liveOf(t, asyncPay, "", "pay")
	rcv, got := receiver(t)
	opt := testOptions("whsec")
	opt.Clock = fixedWall
	srv := serveHandler(t, NewHandler(l, opt))

	o := order1("o-7")
	o.NotifyURL = rcv.URL + "/hook"
	code, _, b := call(t, "POST", srv.URL+PathPayments, o)
	v := decode[PaymentView](t, b)
	if code != http.StatusCreated || v.Status != "pending" || v.PayURL != srv.URL+"/pay/pay_pay_1" {
		t.Fatalf("create: %d %+v, want 201 pending with pay_url %s/pay/pay_pay_1", code, v, srv.URL)
	}
	code, _, page := call(t, "GET", v.PayURL, nil)
	if code != http.StatusOK || !strings.Contains(string(page), `<form method="post">`) {
		t.Fatalf("pay page: %d\n%s", code, page)
	}
	code, _, b = call(t, "POST", v.PayURL, nil)
	if paid := decode[PaymentView](t, b); code != http.StatusOK || paid.Status != "succeeded" {
		t.Fatalf("pay: %d %s, want 200 succeeded", code, b)
	}

	n := next(t, got)
	want := Notification{ID: "pay_pay_1", MerchantOrderID: "o-7", Status: "succeeded", Amount: 1250, Currency: "USD"}
	if diff := cmp.Diff(want, decode[Notification](t, n.body)); diff != "" {
		t.Errorf("notification (-want +got):\n%s", diff)
	}
	sig := n.header.Get(HeaderSig)
	if sig != Sign([]byte("whsec"), fixedWall().Unix(), n.body) {
		t.Errorf("signature %q is not Sign(secret, clock, body)", sig)
	}
	if err := VerifySignature([]byte("whsec"), sig, n.body, fixedWall(), time.Minute); err != nil {
		t.Errorf("VerifySignature: %v", err)
	}
	tampered := strings.Replace(string(n.body), "1250", "1", 1)
	if err := VerifySignature([]byte("whsec"), sig, []byte(tampered), fixedWall(), time.Minute); err == nil {
		t.Error("VerifySignature accepted a tampered body")
	}

	code, _, b = call(t, "POST", v.PayURL, nil)
	if e := decode[APIError](t, b); code != http.StatusPaymentRequired || e.Error.Code != "payment_failed" {
		t.Errorf("paying twice: %d %s, want 402 payment_failed", code, b)
	}
	code, _, b = call(t, "GET", srv.URL+"/v1/payments/pay_pay_1", nil)
	if g := decode[PaymentView](t, b); code != http.StatusOK || g.Status != "succeeded" || g.PayURL != "" {
		t.Errorf("get after pay: %d %s", code, b)
	}
}

func TestGenericPayExpired(t *testing.T) {
	l, clk := liveOf(t, asyncPay, "", "pay")
	srv := serveHandler(t, NewHandler(l, testOptions("s")))
	_, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-1"))
	v := decode[PaymentView](t, b)
	clk.add(16 * time.Minute) // the pay page expires after 15m
	code, _, b := call(t, "POST", v.PayURL, nil)
	if e := decode[APIError](t, b); code != http.StatusPaymentRequired || e.Error.Code != "payment_failed" {
		t.Errorf("pay after expiry: %d %s, want 402 payment_failed", code, b)
	}
	_, _, b = call(t, "GET", srv.URL+"/v1/payments/"+v.ID, nil)
	if g := decode[PaymentView](t, b); g.Status != "failed" {
		t.Errorf("expired payment: status %q, want failed", g.Status)
	}
}

// Declines and errors, from the model's own decline rate and from faults
// switched on through the control API.
func TestGenericAnswers(t *testing.T) {
	providers := syncAlpha +
		"  - {name: picky, flow: sync, decline_rate: 1, decline_codes: {insufficient_funds: 1}}\n"
	faults := "  - {name: frozen, type: suspend, at: 1m, target: {providers: [alpha]}}\n" +
		"  - {name: down, type: outage, at: 1m, target: {providers: [alpha]}}\n" +
		"  - {name: busy, type: rate_limit, limit: 1/s, at: 1m, target: {providers: [alpha]}}\n"
	for _, tc := range []struct {
		provider, fault string
		status          int
		want            APIError
		creates         int // before the one checked
	}{
		{"picky", "", 402, apiError("card_error", "card_declined", "insufficient_funds", ""), 0},
		{"alpha", "frozen", 402, apiError("card_error", "card_declined", "merchant_suspended", ""), 0},
		{"alpha", "down", 500, apiError("api_error", "processing_error", "", ""), 0},
		{"alpha", "busy", 429, apiError("rate_limit_error", "try_again_later", "", ""), 1},
	} {
		t.Run(tc.provider+"/"+tc.fault, func(t *testing.T) {
			l, _ := liveOf(t, providers, faults, tc.provider)
			srv := serveHandler(t, NewHandler(l, testOptions("s")))
			if tc.fault != "" {
				if code, _, b := call(t, "POST", srv.URL+"/_paydrill/faults/"+tc.fault+"/on", nil); code != 200 {
					t.Fatalf("fault on: %d %s", code, b)
				}
			}
			for i := range tc.creates {
				call(t, "POST", srv.URL+PathPayments, order1("warm-"+string(rune('a'+i))))
			}
			code, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-1"))
			got := decode[APIError](t, b)
			got.Error.Message = ""
			if code != tc.status {
				t.Errorf("status %d, want %d (%s)", code, tc.status, b)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if tc.fault == "" {
				return
			}
			// Switched off, the provider answers again.
			call(t, "POST", srv.URL+"/_paydrill/faults/"+tc.fault+"/off", nil)
			if tc.fault == "busy" {
				return // the bucket stays empty on a stopped clock
			}
			if code, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-2")); code != http.StatusCreated {
				t.Errorf("fault off: %d %s, want 201", code, b)
			}
		})
	}
}

func TestGenericIdempotentReplay(t *testing.T) {
	providers := syncAlpha + "  - {name: picky, flow: sync, decline_rate: 1, decline_codes: {expired_card: 1}}\n"
	for _, name := range []string{"alpha", "picky"} {
		t.Run(name, func(t *testing.T) {
			l, _ := liveOf(t, providers, "", name)
			srv := serveHandler(t, NewHandler(l, testOptions("s")))
			c1, h1, b1 := call(t, "POST", srv.URL+PathPayments, order1("o-1"), HeaderIdem, "key-1")
			c2, h2, b2 := call(t, "POST", srv.URL+PathPayments, order1("o-1"), HeaderIdem, "key-1")
			if c1 != c2 || string(b1) != string(b2) {
				t.Errorf("replay answered %d %s, first answer %d %s", c2, b2, c1, b1)
			}
			if h1.Get("Idempotent-Replayed") != "" || h2.Get("Idempotent-Replayed") != "true" {
				t.Errorf("Idempotent-Replayed: first %q, replay %q", h1.Get("Idempotent-Replayed"), h2.Get("Idempotent-Replayed"))
			}
			if n := len(l.Attempts(0)); n != 1 {
				t.Errorf("%d attempts for one idempotent create, want 1", n)
			}
			c3, _, b3 := call(t, "POST", srv.URL+PathPayments, order1("o-2"), HeaderIdem, "key-1")
			if c3 != http.StatusBadRequest || decode[APIError](t, b3).Error.Type != "idempotency_error" {
				t.Errorf("key reused for another order: %d %s, want 400 idempotency_error", c3, b3)
			}
		})
	}
}

func TestGenericSilentFreeze(t *testing.T) {
	faults := "  - {name: mute, type: silent, at: 1m, target: {providers: [pay]}}\n"
	l, _ := liveOf(t, asyncPay, faults, "pay")
	srv := serveHandler(t, NewHandler(l, testOptions("s")))
	call(t, "POST", srv.URL+"/_paydrill/faults/mute/on", nil)

	code, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-1"))
	v := decode[PaymentView](t, b)
	if code != http.StatusCreated || v.Status != "pending" {
		t.Fatalf("create under a silent freeze: %d %s, want 201 pending", code, b)
	}
	code, _, b = call(t, "POST", v.PayURL, nil)
	if e := decode[APIError](t, b); code != http.StatusPaymentRequired || e.Error.Code != "payment_failed" {
		t.Errorf("pay under a silent freeze: %d %s, want 402 payment_failed", code, b)
	}
	if lg := l.Ledger(); lg.Captures != 0 {
		t.Errorf("captures %d under a silent freeze, want 0", lg.Captures)
	}
	if a := l.Attempts(0); len(a) != 1 || a[0].Hits != 1 {
		t.Errorf("attempts %+v, want one hit by fault 0", a)
	}
}

func TestGenericLatencyScaled(t *testing.T) {
	faults := "  - {name: slow, type: latency, add: 20s, at: 1m, target: {providers: [alpha]}}\n"
	l, _ := liveOf(t, syncAlpha, faults, "alpha")
	srv := serveHandler(t, NewHandler(l, testOptions("s"))) // Scale 1000: 20 s is 20 ms
	l.SetFault("slow", true)
	start := time.Now()
	if code, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-1")); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, b)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered after %v, want at least 20 ms (20.1 s scaled by 1000)", d)
	}
}

// TestGenericCreateRoute: the create's fast path in ServeHTTP answers
// exactly the requests the mux routes to the create, and the others as
// the mux does (fails if the fast path took an escaped or unclean path,
// or another method).
func TestGenericCreateRoute(t *testing.T) {
	body := `{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}`
	for _, c := range []struct{ method, target string }{
		{"POST", "/v1/payments"}, {"POST", "/v1%2Fpayments"}, {"POST", "/v1/payments/"},
		{"POST", "//v1/payments"}, {"POST", "/v1/./payments"}, {"GET", "/v1/payments"},
		{"PUT", "/v1/payments"}, {"POST", "/v1/payments?x=1"}, {"POST", "/V1/payments"},
	} {
		var status [2]int
		var answer [2]string
		for i := range 2 {
			l, _ := liveOf(t, syncAlpha, "", "alpha")
			h := NewHandler(l, HandlerOptions{Scale: 1e9, BaseURL: "http://mock"}).(*generic)
			var serve http.Handler = h
			if i == 1 {
				serve = h.mux
			}
			w := httptest.NewRecorder()
			serve.ServeHTTP(w, httptest.NewRequest(c.method, c.target, strings.NewReader(body)))
			status[i], answer[i] = w.Code, w.Body.String()+w.Header().Get("Location")
		}
		if status[0] != status[1] || answer[0] != answer[1] {
			t.Errorf("%s %s: %d %q, the mux alone %d %q", c.method, c.target, status[0], answer[0], status[1], answer[1])
		}
	}
}
