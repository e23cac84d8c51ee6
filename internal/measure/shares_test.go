package measure

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestShares(t *testing.T) {
	s := &Series{
		Bucket:    10 * time.Second,
		Providers: []string{"a", "b", "c"},
		Provider: [][]ProvBucket{
			{{First: 6}, {First: 0}, {First: 1}},
			{{First: 2}, {First: 4}, {First: 3}},
			{{First: 2}, {First: 0}}, // shorter: bucket 2 reads 0
		},
	}
	tests := []struct {
		name     string
		s        *Series
		from, to time.Duration
		want     []float64
	}{
		{"all", s, 0, time.Minute, []float64{7.0 / 18, 9.0 / 18, 2.0 / 18}},
		{"one bucket", s, 10 * time.Second, 20 * time.Second, []float64{0, 1, 0}},
		{"bucket start inside the range counts", s, 5 * time.Second, 11 * time.Second, []float64{0, 1, 0}},
		{"nothing sent", s, time.Hour, 2 * time.Hour, []float64{0, 0, 0}},
		{"reversed range", s, time.Minute, 0, []float64{0, 0, 0}},
		{"negative from", s, -time.Hour, 10 * time.Second, []float64{0.6, 0.2, 0.2}},
		{"no bucket width", &Series{Providers: []string{"a"}}, 0, time.Hour, []float64{0}},
		{"empty", &Series{}, 0, time.Hour, []float64{}},
		{"nil", nil, 0, time.Hour, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Shares(tt.s, tt.from, tt.to)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Shares(%v, %v) (-want +got):\n%s", tt.from, tt.to, diff)
			}
		})
	}
}

func TestProviderTotals(t *testing.T) {
	s := &Series{
		Providers: []string{"a", "b", "c"},
		Provider: [][]ProvBucket{
			{{First: 1, Attempts: 2, Captures: 1}, {First: 3, Attempts: 5, Captures: 2}},
			{{First: 4, Attempts: 4}},
		},
	}
	want := []ProvBucket{{First: 4, Attempts: 7, Captures: 3}, {First: 4, Attempts: 4}, {}}
	if diff := cmp.Diff(want, ProviderTotals(s)); diff != "" {
		t.Errorf("ProviderTotals (-want +got):\n%s", diff)
	}
	if got := ProviderTotals(&Series{}); len(got) != 0 {
		t.Errorf("ProviderTotals of an empty series = %v, want none", got)
	}
	if got := ProviderTotals(nil); got != nil {
		t.Errorf("ProviderTotals(nil) = %v, want nil", got)
	}
}

func TestConversion(t *testing.T) {
	tests := []struct {
		name string
		s    *Series
		want float64
	}{
		{"paid over created", &Series{Orders: []OrderBucket{{Created: 3, Paid: 1}, {Created: 1, Paid: 2}}}, 0.75},
		{"no orders", &Series{Orders: []OrderBucket{{}, {}}}, 0},
		{"empty", &Series{}, 0},
		{"nil", nil, 0},
	}
	for _, tt := range tests {
		if got := Conversion(tt.s); got != tt.want {
			t.Errorf("Conversion(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
