package mocks

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The create body is decoded by the rules encoding/json had (names in any
// case, unknown fields ignored) and must be one JSON value.
func TestGenericCreateBodyRules(t *testing.T) {
	l, _ := liveOf(t, syncAlpha, "", "alpha")
	h := NewHandler(l, testOptions("s"))
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"plain", `{"merchant_order_id":"o1","amount":1500,"currency":"USD"}`, http.StatusCreated},
		{"names in another case", `{"Merchant_Order_ID":"o2","AMOUNT":1500,"Currency":"USD"}`, http.StatusCreated},
		{"unknown field", `{"merchant_order_id":"o3","amount":1500,"currency":"USD","coupon":{"x":[1]}}`, http.StatusCreated},
		{"trailing newline", "{\"merchant_order_id\":\"o4\",\"amount\":1500,\"currency\":\"USD\"}\n", http.StatusCreated},
		{"two values", `{"merchant_order_id":"o5","amount":1500,"currency":"USD"}{}`, http.StatusBadRequest},
		{"empty", ``, http.StatusBadRequest},
		{"amount as text", `{"merchant_order_id":"o6","amount":"1500","currency":"USD"}`, http.StatusBadRequest},
		{"over the cap", `{"merchant_order_id":"o7","amount":1500,"currency":"USD"}` + strings.Repeat(" ", maxBody), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, PathPayments, strings.NewReader(tc.body)))
			if w.Code != tc.want {
				t.Errorf("status %d (%s), want %d", w.Code, strings.TrimSpace(w.Body.String()), tc.want)
			}
		})
	}
}

// A payment keeps its own strings, not the body they were decoded from:
// 100 creates, each padded to half the body cap, leave the heap near
// where it was (kept, the bodies would be 50 MiB), and each payment still
// has its own order id after the body buffers were reused.
func TestGenericCreateKeepsNoBody(t *testing.T) {
	s := scenarioOf(t, syncAlpha, "")
	start := time.Now()
	l := NewLive(s, 0, func() time.Duration { return time.Since(start) })
	h := NewHandler(l, HandlerOptions{Scale: 1e6, BaseURL: "http://mock"})
	pad := strings.Repeat(" ", maxBody/2)
	id := func(i int) string { return "o" + string(rune('a'+i%26)) }
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := range 100 {
		body := `{"merchant_order_id":"` + id(i) + `","amount":1500,"currency":"USD",` +
			`"method":"card","category":"gaming","region":"US","notify_url":"http://x/n"}` + pad
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, PathPayments, strings.NewReader(body)))
		if w.Code != http.StatusCreated {
			t.Fatalf("create %d: status %d %s", i, w.Code, w.Body)
		}
	}
	attempts := l.Attempts(0)
	if len(attempts) != 100 {
		t.Fatalf("%d payments, want 100", len(attempts))
	}
	for i, a := range attempts {
		if a.OrderID != id(i) {
			t.Fatalf("payment %d has order id %q, want %q: it shares a reused body buffer", i, a.OrderID, id(i))
		}
	}
	if grew := int64(heap()) - int64(before); grew > 10<<20 {
		t.Errorf("heap grew %d MiB over 100 padded creates: the payments keep their bodies", grew>>20)
	}
	runtime.KeepAlive(l)
}
