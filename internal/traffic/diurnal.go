package traffic

import (
	"fmt"
	"math"
	"time"
)

// diurnal is mean·(1 + amplitude·cos(2π(t−peak)/period)): a daily cycle
// peaking at peak (mod period).
type diurnal struct {
	mean, amp     float64
	period, peak  float64 // seconds
	perPeriod     float64 // 1/period
	omega, sinOff float64 // 2π/period; sin(ω·(0−peak)) reduced
}

func newDiurnal(mean, amp float64, period, peak time.Duration) (*diurnal, error) {
	if period <= 0 {
		return nil, fmt.Errorf("arrivals: diurnal period %v must be positive", period)
	}
	if amp < 0 || amp > 1 || math.IsNaN(amp) {
		return nil, fmt.Errorf("arrivals: diurnal amplitude %v is not in [0, 1]", amp)
	}
	if peak < 0 {
		return nil, fmt.Errorf("arrivals: diurnal peak %v is negative", peak)
	}
	d := &diurnal{mean: mean, amp: amp, period: period.Seconds(), peak: peak.Seconds()}
	d.perPeriod = 1 / d.period
	d.omega = 2 * math.Pi / d.period
	d.sinOff = math.Sin(d.phase(0))
	return d, nil
}

// phase returns ω·(t−peak) reduced to [0, 2π) so that sin and cos stay
// precise over long runs.
func (d *diurnal) phase(t float64) float64 {
	x := t - d.peak
	x -= d.period * math.Floor(x*d.perPeriod)
	return d.omega * x
}

// Rate implements Process.
func (d *diurnal) Rate(elapsed time.Duration) float64 {
	return d.rate(elapsed.Seconds())
}

func (d *diurnal) rate(t float64) float64 {
	return max(d.mean*(1+d.amp*math.Cos(d.phase(t))), 0)
}

func (d *diurnal) integral(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return d.mean * (t + d.amp/d.omega*(math.Sin(d.phase(t))-d.sinOff))
}

// invert solves Λ(t) = m by Newton's method kept inside a bracket that
// bisection falls back on. Λ(t)/mean stays within 2·amp/ω of t, which
// gives the bracket.
func (d *diurnal) invert(m, after float64, _ *int) (float64, bool) {
	if d.mean <= 0 {
		return 0, false
	}
	span := 2 * d.amp / d.omega
	lo := max(after, m/d.mean-span)
	hi := max(m/d.mean+span, lo)
	const tol = 1e-10 // seconds; results are rounded to nanoseconds
	// Λ(x) − m cannot be told from 0 below a few rounding errors of m.
	noise := 8 * 0x1p-52 * max(m, 1)
	x := lo
	for range 200 {
		f := d.integral(x) - m
		if math.Abs(f) <= noise {
			return x, true
		}
		if f < 0 {
			lo = x
		} else {
			hi = x
		}
		next := lo + (hi-lo)/2
		if r := d.rate(x); r > 0 {
			if n := x - f/r; n > lo && n < hi {
				next = n
			}
		}
		if math.Abs(next-x) <= tol || hi-lo <= tol || next == x {
			return next, true
		}
		x = next
	}
	return x, true
}
