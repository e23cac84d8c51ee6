package mocks

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// manualClock is a scenario clock the test moves by hand.
type manualClock struct{ ns atomic.Int64 }

func (c *manualClock) now() time.Duration  { return time.Duration(c.ns.Load()) }
func (c *manualClock) add(d time.Duration) { c.ns.Add(int64(d)) }
func fixedWall() time.Time                 { return time.Unix(1_800_000_000, 0) }
func testOptions(secret string) HandlerOptions {
	return HandlerOptions{Scale: 1000, Secret: []byte(secret)}
}

// liveOf builds the live model of provider name with a manual clock.
func liveOf(t testing.TB, providers, faults, name string) (*Live, *manualClock) {
	t.Helper()
	s := scenarioOf(t, providers, faults)
	i := s.ProviderIndex(name)
	if i < 0 {
		t.Fatalf("no provider %q in the scenario", name)
	}
	clk := &manualClock{}
	return NewLive(s, i, clk.now), clk
}

// serveHandler serves h with httptest and closes both at the end of the test.
func serveHandler(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.(io.Closer).Close()
		srv.Close()
	})
	return srv
}

// call makes a request with a JSON body (nil: none) and returns the
// status, the response headers and the body.
func call(t *testing.T, method, url string, body any, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return res.StatusCode, res.Header, b
}

// decode unmarshals a JSON body into a T.
func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is an httptest server that queues what is POSTed to it.
func receiver(t *testing.T) (*httptest.Server, chan received) {
	t.Helper()
	ch := make(chan received, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ch <- received{r.Header.Clone(), b}
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

// next waits for the next received request (the test's deadline bounds it).
func next(t *testing.T, ch chan received) received {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no notification within 10 s")
	}
	return received{}
}

func order1(id string) CreatePayment {
	return CreatePayment{MerchantOrderID: id, Amount: 1250, Currency: "USD", Method: "card",
		Category: "game-keys", Region: "US"}
}
