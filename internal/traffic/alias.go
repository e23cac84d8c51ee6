package traffic

import (
	"fmt"
	"math"
	"slices"
)

// alias draws an index with given weights in O(1) from one uniform number
// (Vose's alias method). Build it once, draw it per order.
type alias struct {
	prob  []float64
	alias []int32
}

// newAlias builds the table of w, which must hold a positive finite sum
// and no negative weight.
func newAlias(w []float64) alias {
	n := len(w)
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	a := alias{prob: make([]float64, n), alias: make([]int32, n)}
	scaled := make([]float64, n)
	var small, large []int32
	for i, x := range w {
		scaled[i] = x * float64(n) / sum
		a.alias[i] = int32(i)
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s], a.alias[s] = scaled[s], l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range large {
		a.prob[i] = 1
	}
	for _, i := range small { // only left by rounding
		a.prob[i] = 1
	}
	return a
}

// pick maps a uniform u in [0, 1) to an index: the integer part of u·n
// picks a column, the fraction decides between it and its alias.
func (a *alias) pick(u float64) int32 {
	x := u * float64(len(a.prob))
	i := int(x)
	if i >= len(a.prob) {
		i = len(a.prob) - 1
	}
	if x-float64(i) < a.prob[i] {
		return int32(i)
	}
	return a.alias[i]
}

// choice is a weighted draw over names taken from a scenario map in sorted
// key order; names of weight 0 are left out.
type choice struct {
	names []string
	alias
}

// newChoice builds a choice from m; what names the field in errors.
func newChoice(what string, m map[string]float64) (choice, error) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var kept []string
	var w []float64
	for _, k := range names {
		x := m[k]
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return choice{}, fmt.Errorf("traffic: %s: weight of %q is %v, want a finite number >= 0", what, k, x)
		}
		if x > 0 {
			kept = append(kept, k)
			w = append(w, x)
		}
	}
	if len(kept) == 0 {
		return choice{}, fmt.Errorf("traffic: %s: no entry has a positive weight", what)
	}
	return choice{names: kept, alias: newAlias(w)}, nil
}

// draw returns the name picked by u in [0, 1).
func (c *choice) draw(u float64) string { return c.names[c.pick(u)] }
