package traffic

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// piecewise is a rate made of linear segments: constant, ramp and spike
// processes. The last segment is constant and lasts forever.
type piecewise struct {
	segs []segment
}

// segment is rate(t) = r0 + slope*(t-start) on [start, end), times in
// seconds. cum is Λ(start), cumEnd is Λ(end) (+Inf on an endless segment
// with a positive rate).
type segment struct {
	start, end  float64
	r0, slope   float64
	cum, cumEnd float64
}

// constantRate is a piecewise rate of one endless segment.
func constantRate(r float64) *piecewise {
	return newPiecewise([]segment{{start: 0, end: math.Inf(1), r0: r}})
}

// newPiecewise fills cum and cumEnd of segs, which must tile [0, +Inf).
func newPiecewise(segs []segment) *piecewise {
	cum := 0.0
	for i := range segs {
		s := &segs[i]
		s.cum = cum
		switch {
		case !math.IsInf(s.end, 1):
			d := s.end - s.start
			cum += s.r0*d + s.slope*d*d/2
		case s.r0 > 0 || s.slope > 0:
			cum = math.Inf(1)
		}
		s.cumEnd = cum
	}
	return &piecewise{segs: segs}
}

// newRamp builds k6-style stages: each stage goes linearly from the
// previous stage's end rate (0 for the first) to To over For; the last
// rate holds afterwards. A stage with For 0 jumps to its rate.
func newRamp(stages []scenario.Stage) (*piecewise, error) {
	if len(stages) == 0 {
		return nil, fmt.Errorf("arrivals: ramp has no stages")
	}
	var segs []segment
	var at time.Duration
	prev := 0.0
	for i, st := range stages {
		to := st.To.PerSecond()
		if err := checkRate(fmt.Sprintf("stages[%d].to", i), to); err != nil {
			return nil, err
		}
		if st.For < 0 {
			return nil, fmt.Errorf("arrivals: stages[%d].for %v is negative", i, st.For)
		}
		if st.For == 0 {
			prev = to
			continue
		}
		end := at + st.For.D()
		d := (end - at).Seconds()
		segs = append(segs, segment{start: at.Seconds(), end: end.Seconds(), r0: prev, slope: (to - prev) / d})
		at, prev = end, to
	}
	segs = append(segs, segment{start: at.Seconds(), end: math.Inf(1), r0: prev})
	return newPiecewise(segs), nil
}

// newSpikes builds a base rate with spike windows [At, At+For). Inside a
// window a spike with Rate > 0 replaces the rate, otherwise it multiplies
// it by Factor (so a spike with neither stops traffic). Overlapping spikes
// apply in list order.
func newSpikes(base float64, spikes []scenario.Spike) (*piecewise, error) {
	bounds := []time.Duration{0}
	for i, sp := range spikes {
		if sp.At < 0 || sp.For < 0 {
			return nil, fmt.Errorf("arrivals: spikes[%d]: at %v and for %v must be >= 0", i, sp.At, sp.For)
		}
		if err := checkRate(fmt.Sprintf("spikes[%d].rate", i), sp.Rate.PerSecond()); err != nil {
			return nil, err
		}
		if sp.Factor < 0 || math.IsNaN(sp.Factor) || math.IsInf(sp.Factor, 0) {
			return nil, fmt.Errorf("arrivals: spikes[%d].factor %v is not a finite number >= 0", i, sp.Factor)
		}
		if sp.For > 0 {
			bounds = append(bounds, sp.At.D(), sp.At.D()+sp.For.D())
		}
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	rateAt := func(t time.Duration) float64 {
		r := base
		for _, sp := range spikes {
			if t >= sp.At.D() && t < sp.At.D()+sp.For.D() {
				if sp.Rate > 0 {
					r = sp.Rate.PerSecond()
				} else {
					r *= sp.Factor
				}
			}
		}
		return r
	}
	segs := make([]segment, 0, len(bounds))
	for i, b := range bounds {
		if i+1 < len(bounds) {
			next := bounds[i+1]
			segs = append(segs, segment{start: b.Seconds(), end: next.Seconds(), r0: rateAt(b + (next-b)/2)})
			continue
		}
		segs = append(segs, segment{start: b.Seconds(), end: math.Inf(1), r0: rateAt(b)})
	}
	return newPiecewise(segs), nil
}

// find returns the index of the segment holding t (the first one for t < 0).
func (p *piecewise) find(t float64) int {
	i := sort.Search(len(p.segs), func(i int) bool { return p.segs[i].start > t })
	return max(i-1, 0)
}

// Rate implements Process.
func (p *piecewise) Rate(elapsed time.Duration) float64 {
	t := max(elapsed.Seconds(), 0)
	s := &p.segs[p.find(t)]
	return max(s.r0+s.slope*(t-s.start), 0)
}

func (p *piecewise) integral(t float64) float64 {
	if t <= 0 {
		return 0
	}
	s := &p.segs[p.find(t)]
	d := t - s.start
	return s.cum + s.r0*d + s.slope*d*d/2
}

func (p *piecewise) invert(m, after float64, cursor *int) (float64, bool) {
	for i := *cursor; i < len(p.segs); i++ {
		s := &p.segs[i]
		if s.cumEnd < m {
			continue
		}
		*cursor = i
		return min(max(s.start+s.solve(m-s.cum), after), s.end), true
	}
	*cursor = len(p.segs) - 1
	return 0, false
}

// solve returns the d >= 0 with ∫ rate over [start, start+d] = mass.
func (s *segment) solve(mass float64) float64 {
	if mass <= 0 {
		return 0
	}
	if s.slope == 0 {
		return mass / s.r0
	}
	// slope/2·d² + r0·d − mass = 0, in the form that keeps precision.
	disc := max(s.r0*s.r0+2*s.slope*mass, 0)
	den := s.r0 + math.Sqrt(disc)
	if den <= 0 {
		return 0
	}
	return 2 * mass / den
}
