package reports

import "testing"

// The change column gives the difference in the metric's unit, and the
// relative change only while it says something: against a baseline near
// zero (a 12 ms fail over) five minutes more is "over 10×", not
// "+2579614%".
func TestDiffChangeColumn(t *testing.T) {
	for _, tc := range []struct {
		unit     string
		old, new float64
		want     string
	}{
		{"s", 0.012, 300.012, "+5m0s (over 10×)"},
		{"s", 60, 90, "+30s (+50%)"},
		{"s", 60, 30, "-30s (-50%)"},
		{"s", 10, 109, "+1m39s (+990%)"},
		{"s", 10, 110, "+1m40s (over 10×)"},
		{"count", 0, 4, "+4"},
		{"count", 5, 5, "="},
		{"ratio", 0.9, 0.85, "-5.0 pt (-6%)"},
	} {
		got := diffChange(DiffRow{Unit: tc.unit, Old: fptr(tc.old), New: fptr(tc.new)})
		if got != tc.want {
			t.Errorf("%s %v -> %v: %q, want %q", tc.unit, tc.old, tc.new, got, tc.want)
		}
	}
}
