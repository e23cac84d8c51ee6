package traffic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
)

// Shape of the sampled traffic.
const (
	// RegularShare of orders come from the regulars, the first
	// RegularsFraction of the population (repeat buyers are real: a run
	// of as many orders as buyers reaches about a third of them).
	RegularShare     = 0.7
	RegularsFraction = 0.1
	// PreferredShare of orders use the buyer's preferred method; the rest
	// draw from the method mix.
	PreferredShare = 0.8
	// ProductZipf is the exponent of product popularity within a category:
	// the r-th most popular product sells in proportion to 1/r^ProductZipf.
	ProductZipf = 1.0
)

// Source samples the orders of a run. It owns the arrivals (stream
// "arrivals"), the buyer population, the catalog and the order draws
// (stream "orders"). Not safe for concurrent use.
type Source struct {
	arrivals *Arrivals
	rng      *rand.Rand
	buyers   []Buyer
	// hot holds what Next reads of each buyer (preferred method and
	// region) as codes into names: 4 bytes a buyer instead of a 112-byte
	// Buyer of seven strings, so the draw of a random buyer stays in cache.
	hot      []buyerCodes
	names    []string
	products []Product
	popular  alias // over products
	methods  choice
	regulars int
	currency string
	seq      uint64
}

// NewSource builds the order source of a run from its seed and traffic.
//
// Each order's category follows catalog.categories (the category's weight
// is shared among its products by Zipf popularity), its method the
// buyer's preferred one or the method mix, its region the buyer's.
func NewSource(runSeed uint64, t scenario.Traffic) (*Source, error) {
	arrivals, err := NewArrivals(t.Arrivals, seed.Stream(runSeed, "arrivals"))
	if err != nil {
		return nil, err
	}
	buyers, err := NewBuyers(runSeed, t)
	if err != nil {
		return nil, err
	}
	products, err := NewCatalog(runSeed, t.Catalog)
	if err != nil {
		return nil, err
	}
	if t.Catalog.Currency == "" {
		return nil, fmt.Errorf("traffic: catalog.currency is empty")
	}
	methods, err := newChoice("methods", t.Methods)
	if err != nil {
		return nil, err
	}
	regulars := int(float64(len(buyers)) * RegularsFraction)
	if regulars == 0 {
		regulars = len(buyers)
	}
	hot, names, err := buyerHot(buyers)
	if err != nil {
		return nil, err
	}
	return &Source{
		arrivals: arrivals,
		rng:      seed.Stream(runSeed, "orders"),
		buyers:   buyers,
		hot:      hot,
		names:    names,
		products: products,
		popular:  popularity(products, t.Catalog.Categories),
		methods:  methods,
		regulars: regulars,
		currency: t.Catalog.Currency,
	}, nil
}

// popularity weighs product i of category c as weight(c)/H(c)/rank^s,
// rank its place among c's products in catalog order, H(c) the sum of
// 1/rank^s over c, so that the order mix of categories is their weights.
func popularity(products []Product, weights map[string]float64) alias {
	count := map[string]int{}
	for _, p := range products {
		count[p.Category]++
	}
	harmonic := map[string]float64{}
	for c, n := range count {
		for r := 1; r <= n; r++ {
			harmonic[c] += math.Pow(float64(r), -ProductZipf)
		}
	}
	rank := map[string]int{}
	w := make([]float64, len(products))
	for i, p := range products {
		rank[p.Category]++
		w[i] = weights[p.Category] / harmonic[p.Category] * math.Pow(float64(rank[p.Category]), -ProductZipf)
	}
	return newAlias(w)
}

// Next fills o with the next order and reports whether there is one (false
// only when the arrival rate stays 0 forever). IDs count from 1. It does
// not allocate.
func (s *Source) Next(o *payment.Order) bool {
	at, ok := s.arrivals.Next()
	if !ok {
		return false
	}
	s.seq++
	b := s.buyer(s.rng.Float64())
	p := s.popular.pick(s.rng.Float64())
	buyer, product := s.hot[b], &s.products[p]
	method := s.names[buyer.method]
	if u := s.rng.Float64(); u >= PreferredShare {
		method = s.methods.draw((u - PreferredShare) / (1 - PreferredShare))
	}
	*o = payment.Order{
		ID:       s.seq,
		Created:  at,
		Amount:   product.Price,
		Currency: s.currency,
		Product:  p,
		Category: product.Category,
		Method:   method,
		Buyer:    b,
		Region:   s.names[buyer.region],
	}
	return true
}

// buyerCodes are a buyer's preferred method and region as indexes into
// Source.names.
type buyerCodes struct{ method, region uint16 }

// buyerHot interns the buyers' methods and regions: one code per distinct
// string, the strings in names (a population has a few of each).
func buyerHot(buyers []Buyer) ([]buyerCodes, []string, error) {
	code := map[string]uint16{}
	var names []string
	intern := func(v string) uint16 {
		c, ok := code[v]
		if !ok {
			c = uint16(len(names))
			code[v] = c
			names = append(names, v)
		}
		return c
	}
	hot := make([]buyerCodes, len(buyers))
	for i := range buyers {
		hot[i] = buyerCodes{method: intern(buyers[i].Method), region: intern(buyers[i].Region)}
		if len(names) > math.MaxUint16 {
			return nil, nil, fmt.Errorf("traffic: more than %d distinct methods and regions", math.MaxUint16)
		}
	}
	return hot, names, nil
}

// buyer maps a uniform u to a buyer index: RegularShare of u to the
// regulars, the rest to everyone else, uniformly within each group.
func (s *Source) buyer(u float64) int32 {
	n, r := len(s.buyers), s.regulars
	if r >= n {
		return int32(min(int(u*float64(n)), n-1))
	}
	if u < RegularShare {
		return int32(min(int(u/RegularShare*float64(r)), r-1))
	}
	v := (u - RegularShare) / (1 - RegularShare)
	return int32(r + min(int(v*float64(n-r)), n-r-1))
}

// Buyer returns buyer i of the population.
func (s *Source) Buyer(i int32) *Buyer { return &s.buyers[i] }

// Product returns product i of the catalog.
func (s *Source) Product(i int32) *Product { return &s.products[i] }

// Buyers returns the size of the population.
func (s *Source) Buyers() int { return len(s.buyers) }

// Catalog returns the catalog; callers must not change it.
func (s *Source) Catalog() []Product { return s.products }

// Rate returns the arrival rate at elapsed, in orders per second.
func (s *Source) Rate(elapsed time.Duration) float64 { return s.arrivals.Rate(elapsed) }

// Mean returns the expected number of orders created in [from, to).
func (s *Source) Mean(from, to time.Duration) float64 { return s.arrivals.Mean(from, to) }
