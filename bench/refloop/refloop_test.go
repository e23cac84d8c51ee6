package refloop

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// TestRun: the loop is a pure function of its seed, every order's events
// run, and the mix comes out near 3.13 events per order.
func TestRun(t *testing.T) {
	a := scenario.Arrivals{Type: "poisson", Rate: scenario.Rate(100)}
	r1, err := Run(a, 10*time.Minute, 7)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Run(a, 10*time.Minute, 7)
	if r1 != r2 {
		t.Errorf("two runs of seed 7: %+v and %+v", r1, r2)
	}
	if r1.Orders < 55_000 || r1.Orders > 65_000 {
		t.Errorf("%d orders in 10 minutes at 100/s, want about 60,000", r1.Orders)
	}
	per := float64(r1.Events) / float64(r1.Orders)
	if per < 3.05 || per > 3.2 {
		t.Errorf("%.3f events per order, want about 3.13", per)
	}
	if r1.Paid == 0 || r1.Paid >= r1.Orders {
		t.Errorf("%d of %d orders paid, want most but not all", r1.Paid, r1.Orders)
	}
}
