package router

import (
	"fmt"
	"slices"
	"testing"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// TestControlsAreStrategies: every negative control is a strategy a
// scenario and --router accept, and builds as a health router that
// differs from health by one thing: one switch of its config, or one flaw.
func TestControlsAreStrategies(t *testing.T) {
	s := testScenario(t, "")
	base := HealthConfig(s.Router.Health)
	seen := map[string]string{}
	for _, c := range Controls {
		if !slices.Contains(scenario.Controls, c.Name) || !slices.Contains(Strategies, c.Name) {
			t.Errorf("control %s is not in scenario.Controls and Strategies", c.Name)
		}
		r, err := New(c.Name, s, 1)
		if err != nil {
			t.Errorf("New(%q): %v", c.Name, err)
			continue
		}
		h, ok := r.(*Health)
		if !ok {
			t.Errorf("New(%q) = %T, want a *Health", c.Name, r)
			continue
		}
		switched := h.cfg != base
		if switched == (h.flaws != 0) || h.flaws&(h.flaws-1) != 0 {
			t.Errorf("%s: config switched %v, flaws %b; want exactly one of a switch and a single flaw", c.Name, switched, h.flaws)
		}
		key := fmt.Sprintf("%+v/%b", h.cfg, h.flaws)
		if other, dup := seen[key]; dup {
			t.Errorf("controls %s and %s make the same mistake", other, c.Name)
		}
		seen[key] = c.Name
	}
	if h, _ := New("health", s, 1); h.(*Health).flaws != 0 || h.(*Health).cfg != base {
		t.Errorf("health is not the plain health router")
	}
}

// TestControlRules: the controls whose mistake is a checkout rule differ
// from health's rules in that rule only.
func TestControlRules(t *testing.T) {
	s := testScenario(t, "")
	base, _ := New("health", s, 1)
	tests := []struct {
		name string
		edit func(*Rules)
	}{
		{"health-no-reconcile", func(r *Rules) { r.Reconcile = false }},
		{"health-deliver-each", func(r *Rules) { r.DeliverEach = true }},
		{"health-blind-timeouts", func(r *Rules) { r.QueryUnknown = false; r.Retry[payment.Unknown] = true }},
		{"health-no-eject", func(*Rules) {}},
		{"health-timeouts-ok", func(*Rules) {}},
	}
	for _, tt := range tests {
		r, _ := New(tt.name, s, 1)
		want := base.Rules()
		tt.edit(&want)
		if got := r.Rules(); got != want {
			t.Errorf("%s rules %+v, want %+v", tt.name, got, want)
		}
	}
}
