package traffic

import (
	"fmt"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seed"
)

// Buyer is one member of the run's buyer population. Orders refer to it by
// index.
type Buyer struct {
	ID     string
	Email  string
	IP     string
	Device string // user agent
	Region string // ISO country code, drawn from traffic.regions
	Method string // preferred payment method, drawn from traffic.methods
	Card   string // a documented test card number, TestCards[i % len(TestCards)]
}

// NewBuyers builds the buyer population of a run: t.Buyers buyers made by a
// gofakeit faker seeded from seed.Derive(runSeed, "buyers").
func NewBuyers(runSeed uint64, t scenario.Traffic) ([]Buyer, error) {
	if t.Buyers <= 0 {
		return nil, fmt.Errorf("traffic: buyers is %d, want at least 1", t.Buyers)
	}
	regions, err := newChoice("regions", t.Regions)
	if err != nil {
		return nil, err
	}
	methods, err := newChoice("methods", t.Methods)
	if err != nil {
		return nil, err
	}
	f := newFaker(runSeed, "buyers")
	width := digits(t.Buyers)
	buyers := make([]Buyer, t.Buyers)
	for i := range buyers {
		buyers[i] = Buyer{
			ID:     fmt.Sprintf("buyer-%0*d", width, i+1),
			Email:  f.Email(),
			IP:     f.IPv4Address(),
			Device: userAgent(f),
			Region: regions.draw(f.Float64()),
			Method: methods.draw(f.Float64()),
			Card:   TestCards[i%len(TestCards)],
		}
	}
	return buyers, nil
}

// newFaker returns a faker seeded for component name. gofakeit.New(0) is
// seeded from crypto/rand, so a derived seed of 0 is moved to 1.
func newFaker(runSeed uint64, name string) *gofakeit.Faker {
	s := seed.Derive(runSeed, name)
	if s == 0 {
		s = 1
	}
	return gofakeit.New(s)
}

// userAgent picks a Chrome, Safari or Opera user agent. gofakeit's
// UserAgent is not used: its Firefox agents hold a random date whose year
// range ends at the current year, so their output depends on the clock.
func userAgent(f *gofakeit.Faker) string {
	switch f.IntN(3) {
	case 0:
		return f.ChromeUserAgent()
	case 1:
		return f.SafariUserAgent()
	default:
		return f.OperaUserAgent()
	}
}

// digits is the number of decimal digits of n, at least 4, so IDs sort.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return max(d, 4)
}
