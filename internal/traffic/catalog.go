package traffic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// Product is one item of the run's catalog. Orders refer to it by index.
type Product struct {
	ID       string
	Name     string
	Category string
	Price    payment.Money // minor units of the catalog's currency
}

// z99 is the 0.99 quantile of the standard normal distribution.
const z99 = 2.3263478740408408

// NewCatalog builds the product catalog of a run with a gofakeit faker
// seeded from seed.Derive(runSeed, "catalog").
//
// Categories are shared out in proportion to their weights (largest
// remainder, every category with a positive weight gets a product when
// there are enough) and shuffled, so a small catalog still holds every
// category a fault may match. Prices are log-normal with the given median
// and 99th percentile, clipped to [Min, Max] (Max 0 is unbounded) and
// rounded to the cent, at least one cent.
func NewCatalog(runSeed uint64, c scenario.Catalog) ([]Product, error) {
	if c.Products <= 0 {
		return nil, fmt.Errorf("traffic: catalog.products is %d, want at least 1", c.Products)
	}
	cats, err := newChoice("catalog.categories", c.Categories)
	if err != nil {
		return nil, err
	}
	p := c.Price
	if !(p.Median > 0) || math.IsInf(p.Median, 0) {
		return nil, fmt.Errorf("traffic: catalog.price.median is %v, want a positive number", p.Median)
	}
	if p.P99 != 0 && !(p.P99 >= p.Median) {
		return nil, fmt.Errorf("traffic: catalog.price.p99 %v is under the median %v", p.P99, p.Median)
	}
	if p.Min < 0 || (p.Max != 0 && p.Max < p.Min) {
		return nil, fmt.Errorf("traffic: catalog.price range [%v, %v] is empty or negative", p.Min, p.Max)
	}
	mu, sigma := math.Log(p.Median), 0.0
	if p.P99 > 0 {
		sigma = (math.Log(p.P99) - mu) / z99
	}

	f := newFaker(runSeed, "catalog")
	normal := rand.New(f)
	categories := shareOut(c.Products, c.Categories, cats.names)
	for i := len(categories) - 1; i > 0; i-- {
		j := f.IntN(i + 1)
		categories[i], categories[j] = categories[j], categories[i]
	}
	width := digits(c.Products)
	products := make([]Product, c.Products)
	for i := range products {
		price := math.Exp(mu + sigma*normal.NormFloat64())
		price = max(price, p.Min)
		if p.Max > 0 {
			price = min(price, p.Max)
		}
		products[i] = Product{
			ID:       fmt.Sprintf("prod-%0*d", width, i+1),
			Name:     f.ProductName(),
			Category: categories[i],
			Price:    payment.Money(max(math.Round(price*100), 1)),
		}
	}
	return products, nil
}

// shareOut returns n category names, each repeated in proportion to its
// weight by the largest-remainder method (ties in sorted name order).
// names are sorted and all have a positive weight; each gets at least one
// slot when n allows it.
func shareOut(n int, weights map[string]float64, names []string) []string {
	sum := 0.0
	for _, k := range names {
		sum += weights[k]
	}
	counts := make([]int, len(names))
	rem := make([]float64, len(names))
	left := n
	for i, k := range names {
		x := float64(n) * weights[k] / sum
		counts[i] = int(x)
		rem[i] = x - float64(counts[i])
		left -= counts[i]
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for i := 0; left > 0; i = (i + 1) % len(order) {
		counts[order[i]]++
		left--
	}
	if n >= len(names) {
		for i := range names {
			if counts[i] == 0 {
				counts[slices.Index(counts, slices.Max(counts))]--
				counts[i]++
			}
		}
	}
	out := make([]string, 0, n)
	for i, k := range names {
		for range counts[i] {
			out = append(out, k)
		}
	}
	return out
}
