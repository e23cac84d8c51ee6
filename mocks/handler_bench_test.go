package mocks

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkGenericCreate is the generic protocol's create handler alone
// (no network), latency scaled to nothing: what the mock adds per request
// beyond net/http (bench/peers.sh measures it under wrk against a bare
// handler).
func BenchmarkGenericCreate(b *testing.B) {
	s := scenarioOf(&testing.T{}, syncAlpha, "")
	start := time.Now()
	l := NewLive(s, 0, func() time.Duration { return time.Since(start) * 1e6 })
	h := NewHandler(l, HandlerOptions{Scale: 1e6, BaseURL: "http://mock"})
	body := `{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}`
	b.ReportAllocs()
	for range b.N {
		r := httptest.NewRequest(http.MethodPost, "/v1/payments", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
