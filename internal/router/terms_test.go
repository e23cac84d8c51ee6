package router

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/scenario"
)

// A provider's terms are read from the scenario in minor units, the
// review's spans with their defaults; a provider stating neither limits
// nor a review has none (nil), and one stating only one of them has that.
func TestTermsOf(t *testing.T) {
	limits := &scenario.Limits{Min: 1, Max: 250.5, Daily: 5000,
		Methods: map[string]scenario.MethodLimits{"card": {Min: 2, Max: 100, Daily: 1000.25}}}
	review := &scenario.Review{Window: scenario.Duration(10 * time.Minute), MinVolume: 300, Identical: 4}
	wantLimits := Bound{Min: 100, Max: 25050, Daily: 500000}
	wantMethods := map[string]Bound{"card": {Min: 200, Max: 10000, Daily: 100025}}
	wantReview := &ReviewTerms{Window: 10 * time.Minute, Trailing: time.Hour, Factor: 5, MinVolume: 30000, Identical: 4}
	for _, tt := range []struct {
		name string
		p    scenario.Provider
		want *Terms
	}{
		{"none", scenario.Provider{Name: "a"}, nil},
		{"limits", scenario.Provider{Name: "a", Limits: limits}, &Terms{Limits: wantLimits, Methods: wantMethods}},
		{"review", scenario.Provider{Name: "a", Review: review}, &Terms{Review: wantReview}},
		{"both", scenario.Provider{Name: "a", Limits: limits, Review: review},
			&Terms{Limits: wantLimits, Methods: wantMethods, Review: wantReview}},
	} {
		if diff := cmp.Diff(tt.want, termsOf(tt.p)); diff != "" {
			t.Errorf("%s: termsOf (-want +got):\n%s", tt.name, diff)
		}
	}
}
