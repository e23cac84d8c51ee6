package mocks

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

func TestFaultActive(t *testing.T) {
	type probe struct {
		at   time.Duration
		want bool
	}
	tests := []struct {
		name   string
		fault  scenario.Fault
		probes []probe
	}{
		{
			name:  "window",
			fault: scenario.Fault{Type: "outage", At: scenario.Duration(time.Minute), For: scenario.Duration(time.Minute)},
			probes: []probe{
				{0, false},
				{time.Minute - 1, false},
				{time.Minute, true},
				{90 * time.Second, true},
				{2*time.Minute - 1, true},
				{2 * time.Minute, false},
				{time.Hour, false},
			},
		},
		{
			name:  "forever",
			fault: scenario.Fault{Type: "outage", At: scenario.Duration(time.Minute)},
			probes: []probe{
				{time.Minute - 1, false},
				{time.Minute, true},
				{1000 * time.Hour, true},
				{Forever - 1, true},
			},
		},
		{
			name: "flap quarter duty",
			fault: scenario.Fault{Type: "outage", At: scenario.Duration(time.Minute), For: scenario.Duration(time.Minute),
				Flap: &scenario.Flap{Period: scenario.Duration(20 * time.Second), Duty: 0.25}},
			probes: []probe{
				{time.Minute - 1, false},
				{time.Minute, true},
				{sec(64.999), true},
				{sec(65), false},
				{sec(79.999), false},
				{sec(80), true},
				{sec(84.999), true},
				{sec(85), false},
				{sec(100), true},
				{2*time.Minute - 1, false}, // off phase at the end
				{2 * time.Minute, false},   // would be an on phase, but the window is over
				{sec(125), false},
			},
		},
		{
			name: "flap default duty half",
			fault: scenario.Fault{Type: "outage", At: scenario.Duration(time.Minute),
				Flap: &scenario.Flap{Period: scenario.Duration(10 * time.Second)}},
			probes: []probe{
				{time.Minute, true},
				{sec(64.999), true},
				{sec(65), false},
				{sec(69.999), false},
				{sec(70), true},
				{10*time.Hour + 4*time.Second, true},
				{10*time.Hour + 6*time.Second, false},
			},
		},
		{
			name: "flap full duty is always on",
			fault: scenario.Fault{Type: "outage", At: scenario.Duration(time.Minute), For: scenario.Duration(time.Minute),
				Flap: &scenario.Flap{Period: scenario.Duration(10 * time.Second), Duty: 1}},
			probes: []probe{
				{time.Minute - 1, false},
				{time.Minute, true},
				{sec(69.999), true},
				{sec(70), true},
				{2*time.Minute - 1, true},
				{2 * time.Minute, false},
			},
		},
		{
			name:  "flap with zero period is plain",
			fault: scenario.Fault{Type: "outage", At: scenario.Duration(time.Minute), Flap: &scenario.Flap{}},
			probes: []probe{
				{time.Minute, true},
				{sec(65), true},
				{sec(95), true},
			},
		},
	}
	for _, tt := range tests {
		f := NewFault(0, tt.fault)
		for _, p := range tt.probes {
			if got := f.Active(p.at); got != p.want {
				t.Errorf("%s: Active(%v) = %v, want %v", tt.name, p.at, got, p.want)
			}
		}
	}
}

func TestNewFaultWindowAndMask(t *testing.T) {
	tests := []struct {
		f          scenario.Fault
		index      int
		start, end time.Duration
		mask       uint64
	}{
		{scenario.Fault{Type: "suspend", At: scenario.Duration(time.Minute), For: scenario.Duration(time.Minute)}, 0, time.Minute, 2 * time.Minute, 1},
		{scenario.Fault{Type: "suspend", At: scenario.Duration(time.Minute)}, 3, time.Minute, Forever, 8},
		{scenario.Fault{Type: "latency", At: scenario.Duration(10 * time.Second), For: scenario.Duration(time.Hour)}, 63, 10 * time.Second, time.Hour + 10*time.Second, 1 << 63},
	}
	for _, tt := range tests {
		f := NewFault(tt.index, tt.f)
		if f.Start != tt.start || f.End != tt.end || f.Mask() != tt.mask || f.Index != tt.index || f.Type != tt.f.Type {
			t.Errorf("NewFault(%d, %s at %v for %v) = start %v end %v mask %#x, want %v %v %#x",
				tt.index, tt.f.Type, tt.f.At, tt.f.For, f.Start, f.End, f.Mask(), tt.start, tt.end, tt.mask)
		}
	}
}

// A flapping fault parsed from a scenario gets the default duty 0.5.
func TestFaultFlapFromScenario(t *testing.T) {
	s := scenarioOf(t, syncAlpha,
		"  - {type: outage, at: 1m, for: 10m, target: {providers: [alpha]}, flap: {period: 1m}}\n")
	p := providerOf(t, s, "alpha")
	tests := []struct {
		at   time.Duration
		want bool // the outage answers
	}{
		{59 * time.Second, false},
		{time.Minute, true},
		{89 * time.Second, true},
		{90 * time.Second, false},
		{119 * time.Second, false},
		{120 * time.Second, true},
		{11 * time.Minute, false},
	}
	for _, tt := range tests {
		var pay Payment
		c := p.Create(tt.at, order(1000), &pay)
		if got := c.Status == payment.Failed; got != tt.want {
			t.Errorf("Create at %v: status %v, outage acting = %v, want %v", tt.at, c.Status, got, tt.want)
		}
		if got := c.Hits != 0; got != tt.want {
			t.Errorf("Create at %v: hits %#x, want hit = %v", tt.at, c.Hits, tt.want)
		}
	}
}
