package reports

import (
	"fmt"
	"strings"
)

// Health is a wall-clock drill's account of itself: whether the drill kept
// its own time and resources well enough for its figures to be about the
// router. A run beyond any bound is invalid (verdict "invalid", exit code
// 5): its figures say nothing about the router. docs/validity.md states
// the bounds.
type Health struct {
	Valid bool `json:"valid"`
	// Reason names the broken bounds, in words; empty when valid.
	Reason string `json:"reason,omitempty"`
	// SuggestedTimeScale is the highest --time-scale the measured figures
	// say this machine could have held (set when invalid; 0 with Valid
	// false means not even real time).
	SuggestedTimeScale float64 `json:"suggested_time_scale,omitempty"`
	// Checks are every bound, measured or not.
	Checks []HealthCheck `json:"checks"`
}

// HealthCheck is one bound on the drill's own behaviour.
type HealthCheck struct {
	Name  string `json:"name"`
	Got   string `json:"got"`   // for people; "not measured" when it could not be
	Limit string `json:"limit"` // for people: "<= 1s"
	// GotValue and LimitValue are for machines: seconds of scenario time,
	// counts or ratios, as the check's name says.
	GotValue   float64 `json:"got_value"`
	LimitValue float64 `json:"limit_value"`
	Measured   bool    `json:"measured"`
	OK         bool    `json:"ok"`
}

// Line is the drill's health in one line, for the first lines of every
// report: "valid (…)" or "INVALID: … lower --time-scale to N".
func (h *Health) Line() string {
	if h == nil {
		return ""
	}
	if !h.Valid {
		return "INVALID: the drill itself fell behind, so its figures say nothing about the router: " +
			h.Reason + "; " + h.Advice()
	}
	var parts []string
	for _, c := range h.Checks {
		if c.Measured {
			parts = append(parts, strings.ReplaceAll(c.Name, "_", " ")+" "+c.Got)
		}
	}
	return "valid (lags are p99 in scenario time: " + strings.Join(parts, ", ") + ")"
}

// Advice is what to do about an invalid run.
func (h *Health) Advice() string {
	if h.SuggestedTimeScale >= 1 {
		return fmt.Sprintf("lower --time-scale to %g (or run on a quieter machine)", h.SuggestedTimeScale)
	}
	return "this machine cannot hold the drill even in real time: lower the traffic rate or run on a quieter machine"
}
