package traffic

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testTraffic is a small traffic section with defaults filled in by hand.
func testTraffic() scenario.Traffic {
	return scenario.Traffic{
		Arrivals: scenario.Arrivals{Type: "poisson", Rate: 50},
		Buyers:   10000,
		Regions:  map[string]float64{"US": 0.5, "DE": 0.3, "BR": 0.2},
		Methods:  map[string]float64{"card": 0.7, "alipay": 0.2, "paypal": 0.1},
		Catalog: scenario.Catalog{
			Currency:   "USD",
			Products:   200,
			Categories: map[string]float64{"game-keys": 0.6, "gift-cards": 0.3, "software": 0.1},
			Price:      scenario.Price{Median: 20, P99: 200, Min: 1, Max: 500},
		},
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); if gofakeit changed on purpose, rerun with -update:\n%s", path, diff)
	}
}

// TestPopulationGolden pins gofakeit's output for seed 1: a change of
// gofakeit version (its output changed at v7.9, v7.14, v7.16) or of how the
// population is drawn shows up here.
func TestPopulationGolden(t *testing.T) {
	tr := testTraffic()
	buyers, err := NewBuyers(1, tr)
	if err != nil {
		t.Fatal(err)
	}
	products, err := NewCatalog(1, tr.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintln(&b, "# buyers: id, email, ip, region, method, card, device")
	for _, x := range buyers[:20] {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.Email, x.IP, x.Region, x.Method, x.Card, x.Device)
	}
	fmt.Fprintln(&b, "# products: id, category, price, name")
	for _, p := range products[:10] {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", p.ID, p.Category, p.Price, p.Name)
	}
	golden(t, "population_seed1.txt", b.String())
}

func TestCatalogShape(t *testing.T) {
	c := testTraffic().Catalog
	products, err := NewCatalog(9, c)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	under, over := 0, 0
	for _, p := range products {
		count[p.Category]++
		if p.Price < 100 || p.Price > 50000 {
			t.Errorf("%s costs %v, outside [1, 500]", p.ID, p.Price)
		}
		if p.Price < 2000 {
			under++
		}
		if p.Price > 2000 {
			over++
		}
	}
	if diff := cmp.Diff(map[string]int{"game-keys": 120, "gift-cards": 60, "software": 20}, count); diff != "" {
		t.Errorf("products per category (-want +got):\n%s", diff)
	}
	// Half the prices under the median, give or take 5 sigma (sigma = 7).
	if under < 65 || over < 65 {
		t.Errorf("%d prices under the 20.00 median and %d over, want about 100 each", under, over)
	}

	// A small catalog still holds every category.
	c.Products = 3
	c.Categories = map[string]float64{"a": 0.98, "b": 0.01, "c": 0.01}
	small, err := NewCatalog(9, c)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range small {
		seen[p.Category] = true
	}
	if len(seen) != 3 {
		t.Errorf("3 products over 3 categories cover %v", seen)
	}
}

func TestPopulationErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*scenario.Traffic)
		want   string
	}{
		{"no buyers", func(tr *scenario.Traffic) { tr.Buyers = 0 }, "buyers is 0"},
		{"no methods", func(tr *scenario.Traffic) { tr.Methods = nil }, "methods: no entry"},
		{"negative region", func(tr *scenario.Traffic) { tr.Regions["US"] = -1 }, `weight of "US" is -1`},
		{"no products", func(tr *scenario.Traffic) { tr.Catalog.Products = 0 }, "catalog.products is 0"},
		{"p99 under median", func(tr *scenario.Traffic) { tr.Catalog.Price.P99 = 5 }, "p99 5 is under the median"},
		{"no currency", func(tr *scenario.Traffic) { tr.Catalog.Currency = "" }, "currency is empty"},
		{"bad arrivals", func(tr *scenario.Traffic) { tr.Arrivals.Type = "x" }, `unknown type "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := testTraffic()
			tt.modify(&tr)
			_, err := NewSource(1, tr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewSource error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
