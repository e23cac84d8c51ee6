package edge

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// BenchmarkCreate is one create-payment call to a mock provider on
// loopback, directly and through the edge (Toxiproxy, then the tap): what
// the edge adds to every call of a container drill, before any toxic.
func BenchmarkCreate(b *testing.B) {
	s, err := scenario.Parse("edge.yaml", []byte(drill))
	if err != nil {
		b.Fatal(err)
	}
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Scale: 1e6}) // model latency ~0
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	e, err := Start(Options{Routes: []Route{{Name: "alpha", Listen: "127.0.0.1:0", Upstream: m.Providers()["alpha"]}}, API: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, tc := range []struct{ name, url string }{
		{"direct", m.Providers()["alpha"]},
		{"edge", "http://" + e.Addr("alpha")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				body, _ := json.Marshal(mocks.CreatePayment{MerchantOrderID: tc.name + strconv.Itoa(i), Amount: 1000, Currency: "USD", Method: "card"})
				resp, err := client.Post(tc.url+mocks.PathPayments, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
