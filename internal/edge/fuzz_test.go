package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// noNetwork sends nothing: a notify_url in a fuzzed create stays here.
type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("fuzz: no network")
}

// FuzzEdgeHandlers sends any request through alpha's tap (to a generic
// mock of alpha) or to the edge's own API (the tap's log, the clock;
// Toxiproxy's API is not paydrill's): each is answered with a status and,
// when it says JSON, valid JSON; a create (POST /v1/payments) is logged
// once, with the order id its body names, and nothing else is logged.
func FuzzEdgeHandlers(f *testing.F) {
	create, _ := json.Marshal(mocks.CreatePayment{MerchantOrderID: "o1", Amount: 1000, Currency: "USD", Method: "card"})
	f.Add(false, "POST", mocks.PathPayments, create, "Idempotency-Key: k1")
	f.Add(false, "POST", mocks.PathPayments, []byte(`{"merchant_order_id":`), "")
	f.Add(false, "POST", mocks.PathPayments, []byte(`{"merchant_order_id":"o2","amount":9223372036854775807,"currency":"USD"}`), "")
	f.Add(false, "POST", mocks.PathPayments+"/", create, "")
	f.Add(false, "GET", "/v1/payments/pay_alpha_1", []byte{}, "")
	f.Add(false, "POST", mocks.PathFaultOn, []byte{}, "")
	f.Add(false, "GET", "/%2e%2e/x", []byte{}, "Host: elsewhere")
	f.Add(true, "GET", PathAttempts+"?since=0", []byte{}, "")
	f.Add(true, "GET", PathAttempts+"?since=-1", []byte{}, "")
	f.Add(true, "GET", PathAttempts+"?since=99999999999999999999", []byte{}, "")
	f.Add(true, "POST", mocks.PathClock, []byte(`{"start_unix_nano":1}`), "")
	f.Add(true, "POST", mocks.PathClock, []byte(`{"start_unix_nano":-9223372036854775808}`), "")
	f.Add(true, "POST", mocks.PathClock, []byte(strings.Repeat("[", 100_000)), "")
	s, err := scenario.Parse("edge.yaml", []byte(drill))
	if err != nil {
		f.Fatal(err)
	}
	start := time.Now()
	l := mocks.NewLive(s, 0, func() time.Duration { return time.Since(start) })
	mock := mocks.NewHandler(l, mocks.HandlerOptions{Scale: 1e6, Secret: []byte("s3cret"), Client: &http.Client{Transport: noNetwork{}}})
	srv := httptest.NewServer(mock)
	f.Cleanup(func() { mock.(io.Closer).Close(); srv.Close() })
	up, _ := url.Parse(srv.URL)
	// One tap for every input (a tap holds a transport and its idle
	// connections); each input looks at what it added to the log.
	lg := &log{now: func() time.Duration { return 0 }}
	tp := tap("alpha", up, lg)
	f.Fuzz(func(t *testing.T, api bool, method, target string, body []byte, header string) {
		req, err := http.NewRequest(method, "http://edge"+target, bytes.NewReader(body))
		if err != nil || !strings.HasPrefix(target, "/") || len(body) > maxBody {
			return
		}
		if k, v, ok := strings.Cut(header, ":"); ok {
			req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		before := len(lg.since(0))
		e := &Edge{log: lg}
		h := tp
		if api {
			h = e.ownAPI()
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 100 || rec.Code > 599 {
			t.Fatalf("%s %s: status %d", method, target, rec.Code)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: invalid JSON answer %q", method, target, rec.Body.Bytes())
		}
		want := 0
		if !api && req.Method == http.MethodPost && req.URL.Path == mocks.PathPayments {
			want = 1
		}
		logged := lg.since(before)
		if len(logged) != want {
			t.Fatalf("%s %s through the tap (api %v): %d attempts logged, want %d", method, target, api, len(logged), want)
		}
		var c mocks.CreatePayment
		if want == 1 && json.Unmarshal(body, &c) == nil && logged[0].OrderID != c.MerchantOrderID {
			t.Fatalf("create of order %q logged as %q", c.MerchantOrderID, logged[0].OrderID)
		}
	})
}
