package traffic

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
)

func newTestSource(t testing.TB, seed uint64) *Source {
	t.Helper()
	s, err := NewSource(seed, testTraffic())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func orders(t testing.TB, s *Source, n int) []payment.Order {
	t.Helper()
	out := make([]payment.Order, n)
	for i := range out {
		if !s.Next(&out[i]) {
			t.Fatalf("orders ended after %d", i)
		}
	}
	return out
}

func TestSourceSameSeedSameOrders(t *testing.T) {
	a, b := orders(t, newTestSource(t, 42), 2000), orders(t, newTestSource(t, 42), 2000)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("seed 42 twice gave different orders (-first +second):\n%s", diff)
	}
	c := orders(t, newTestSource(t, 43), 2000)
	same := 0
	for i := range a {
		if a[i].Created == c[i].Created {
			same++
		}
		a[i].Created, c[i].Created = 0, 0
	}
	if same > 0 {
		t.Errorf("seeds 42 and 43 share %d of 2000 arrival times", same)
	}
	if cmp.Equal(a, c) {
		t.Errorf("seeds 42 and 43 gave the same orders apart from their times")
	}
}

func TestSourceOrdersAreConsistent(t *testing.T) {
	s := newTestSource(t, 7)
	prev := payment.Order{}
	for i, o := range orders(t, s, 5000) {
		b, p := s.Buyer(o.Buyer), s.Product(o.Product)
		want := payment.Order{
			ID: uint64(i + 1), Created: o.Created, Amount: p.Price, Currency: "USD",
			Product: o.Product, Category: p.Category, Method: o.Method, Buyer: o.Buyer, Region: b.Region,
		}
		if diff := cmp.Diff(want, o); diff != "" {
			t.Fatalf("order %d does not match its buyer and product (-want +got):\n%s", i+1, diff)
		}
		if o.Created < prev.Created {
			t.Fatalf("order %d created at %v, before order %d at %v", o.ID, o.Created, prev.ID, prev.Created)
		}
		if o.Method == "" || o.Region == "" {
			t.Fatalf("order %d has method %q and region %q", o.ID, o.Method, o.Region)
		}
		prev = o
	}
	if s.Buyers() != 10000 || len(s.Catalog()) != 200 {
		t.Errorf("Buyers() = %d, len(Catalog()) = %d, want 10000 and 200", s.Buyers(), len(s.Catalog()))
	}
}

func TestSourceRepeatBuyers(t *testing.T) {
	s := newTestSource(t, 1)
	seen := map[int32]int{}
	for _, o := range orders(t, s, 10000) {
		seen[o.Buyer]++
	}
	// 70% of orders from the 1,000 regulars, 30% spread over 9,000 others:
	// about 1,000 + 9,000·(1−e^(−1/3)) ≈ 3,550 distinct buyers.
	if n := len(seen); n > 5000 || n < 2500 {
		t.Errorf("10,000 orders came from %d distinct buyers of 10,000, want about 3,550", n)
	}
}

// TestSourceMixes checks the order-level category and method mixes against
// the scenario weights, within 5 sigma of a binomial count.
func TestSourceMixes(t *testing.T) {
	const n = 200000
	s := newTestSource(t, 5)
	category, method := map[string]int{}, map[string]int{}
	var o payment.Order
	for range n {
		s.Next(&o)
		category[o.Category]++
		method[o.Method]++
	}
	tr := testTraffic()
	check := func(what string, got map[string]int, weights map[string]float64, slack float64) {
		t.Helper()
		for k, w := range weights {
			mean := n * w
			sigma := math.Sqrt(mean * (1 - w))
			if d := math.Abs(float64(got[k]) - mean); d > 5*sigma+slack*n {
				t.Errorf("%s %s: %d of %d orders, want about %.0f", what, k, got[k], n, mean)
			}
		}
	}
	check("category", category, tr.Catalog.Categories, 0)
	// Methods: the population's preferred methods are themselves a sample,
	// and regulars weigh more, so allow 3 points on top.
	check("method", method, tr.Methods, 0.03)
}

func TestSourceNextDoesNotAllocate(t *testing.T) {
	s := newTestSource(t, 1)
	var o payment.Order
	if n := testing.AllocsPerRun(10000, func() { s.Next(&o) }); n != 0 {
		t.Errorf("Source.Next allocates %v times per order", n)
	}
}

func BenchmarkSourceNext(b *testing.B) {
	s := newTestSource(b, 1)
	var o payment.Order
	b.ReportAllocs()
	for b.Loop() {
		s.Next(&o)
	}
}

func BenchmarkNewSource(b *testing.B) {
	for b.Loop() {
		newTestSource(b, 1)
	}
}
