package edge

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

const drill = `name: edge
duration: 1h
traffic:
  arrivals: {type: constant, rate: 1/s}
  methods: {card: 1}
providers:
  - {name: alpha, latency: {median: 1ms, p99: 1ms}}
`

// startEdge serves alpha's mock behind an edge and returns alpha's URL as
// the router reaches it, and a client of the edge.
func startEdge(t *testing.T, upstream string) (string, *Client) {
	t.Helper()
	e, err := Start(Options{Routes: []Route{{Name: "alpha", Listen: "127.0.0.1:0", Upstream: upstream}}, API: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return "http://" + e.Addr("alpha"), NewClient(e.APIURL())
}

func create(url, order string) (int, error) {
	b, _ := json.Marshal(mocks.CreatePayment{MerchantOrderID: order, Amount: 1000, Currency: "USD", Method: "card"})
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Post(url+mocks.PathPayments, "application/json", bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Through the edge a create reaches the mock and is logged as reached; a
// latency toxic delays the answer; a reset_peer toxic leaves the router
// with a transport error, not an answer.
func TestEdgeTapsAndToxics(t *testing.T) {
	s, err := scenario.Parse("edge.yaml", []byte(drill))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	url, c := startEdge(t, m.Providers()["alpha"])

	if code, err := create(url, "o1"); err != nil || code != http.StatusCreated {
		t.Fatalf("create through the edge: %d %v, want 201", code, err)
	}
	if err := c.AddToxic("alpha", "slow", "latency", map[string]int64{"latency": 300}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if code, err := create(url, "o2"); err != nil || code != http.StatusCreated || time.Since(start) < 300*time.Millisecond {
		t.Errorf("create with a 300ms latency toxic: %d %v after %v, want 201 after 300ms", code, err, time.Since(start))
	}
	if err := c.RemoveToxic("alpha", "slow"); err != nil {
		t.Fatal(err)
	}
	if err := c.AddToxic("alpha", "reset", "reset_peer", nil); err != nil {
		t.Fatal(err)
	}
	if code, err := create(url, "o3"); err == nil {
		t.Errorf("create with a reset_peer toxic answered %d, want a transport error", code)
	}
	if err := c.RemoveToxic("alpha", "reset"); err != nil {
		t.Fatal(err)
	}
	a, err := c.Attempts(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 3 || a[0].OrderID != "o1" || a[2].OrderID != "o3" || !a[0].Reached || !a[2].Reached {
		t.Errorf("tap log %+v, want o1..o3, all reached", a)
	}
	if got := len(m.Live("alpha").Attempts(0)); got != 3 {
		t.Errorf("mock logged %d creates, want 3 (reset_peer acts on the answer)", got)
	}
}

// A provider that cannot be reached (its container crashed or was cut
// off): the router's connection is reset and the tap logs the create as
// not reached, which the mock never saw.
func TestEdgeUnreachableProvider(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	url, c := startEdge(t, dead)
	if code, err := create(url, "o1"); err == nil {
		t.Errorf("create to an unreachable provider answered %d, want a transport error", code)
	}
	a, err := c.Attempts(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1 || a[0].Reached || a[0].Provider != "alpha" || a[0].OrderID != "o1" {
		t.Errorf("tap log %+v, want o1 at alpha, not reached", a)
	}
	if err := c.SetStart(time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	create(url, "o2")
	if a, _ := c.Attempts(1); len(a) != 1 || a[0].At < time.Minute {
		t.Errorf("after moving the epoch a minute back: %+v, want o2 at 1m or later", a)
	}
}
