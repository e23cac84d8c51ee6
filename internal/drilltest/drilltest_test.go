package drilltest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
)

// fakeT records a skip instead of ending the goroutine.
type fakeT struct {
	testing.TB
	skipped string
}

type skip struct{}

func (f *fakeT) Helper()             {}
func (f *fakeT) Failed() bool        { return false }
func (f *fakeT) Logf(string, ...any) {}
func (f *fakeT) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	panic(skip{})
}

func report(valid bool, suggest float64) *reports.Report {
	r := &reports.Report{Scenario: reports.Scenario{Name: "d", Router: "health"}, Health: &reports.Health{Valid: valid}}
	if !valid {
		r.Verdict, r.Health.Reason, r.Health.SuggestedTimeScale = "invalid", "send lag p99 3s > 1s", suggest
	}
	return r
}

func TestValid(t *testing.T) {
	tests := []struct {
		name    string
		results [][]*reports.Report // per call
		scales  string              // the scales run
		skipped bool
	}{
		{"valid at once", [][]*reports.Report{{report(true, 0), report(true, 0)}}, "60", false},
		{"valid at the suggested scale", [][]*reports.Report{{report(true, 0), report(false, 20)}, {report(true, 0), report(true, 0)}}, "60 20", false},
		{"the lowest suggestion of the set", [][]*reports.Report{{report(false, 30), report(false, 10)}, {report(true, 0), report(true, 0)}}, "60 10", false},
		{"invalid twice is skipped", [][]*reports.Report{{report(false, 20)}, {report(false, 10)}}, "60 20", true},
		{"no lower scale is skipped", [][]*reports.Report{{report(false, 0)}}, "60", true},
	}
	for _, tt := range tests {
		f := &fakeT{}
		var scales []string
		func() {
			defer func() {
				if r := recover(); r != nil && r != (skip{}) {
					panic(r)
				}
			}()
			Valid(f, 60, func(scale float64) []*reports.Report {
				scales = append(scales, fmt.Sprint(scale))
				return tt.results[len(scales)-1]
			})
		}()
		if got := strings.Join(scales, " "); got != tt.scales || (f.skipped != "") != tt.skipped {
			t.Errorf("%s: ran at %q, skipped %q; want %q, skipped %v", tt.name, got, f.skipped, tt.scales, tt.skipped)
		}
		if tt.skipped && !strings.Contains(f.skipped, "send lag p99 3s > 1s") {
			t.Errorf("%s: skip reason %q lacks the drill's reason", tt.name, f.skipped)
		}
	}
}
