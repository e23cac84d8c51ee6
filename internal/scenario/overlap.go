package scenario

import "slices"

// processFaults act on a provider's container itself: Docker pauses it,
// kills it or cuts it off the network, and puts it back when the fault
// ends. A container is in one of those states at a time: a pause of a
// killed container, a second kill or a second disconnect fails at run
// time, and the first fault to end would undo the other's state.
var processFaults = []string{"pause", "crash", "partition"}

// containerOverlaps refuses two process faults on one provider whose
// windows overlap (validate accepted them and the container drill failed).
func (v *validator) containerOverlaps() {
	s := v.s
	type window struct {
		fault      int
		start, end Duration
	}
	held := map[int][]window{} // provider index -> process-fault windows so far
	for i, f := range s.Faults {
		if !slices.Contains(processFaults, f.Type) {
			continue
		}
		end := s.Duration
		if f.For > 0 {
			end = f.At + f.For
		}
		w := window{fault: i, start: f.At, end: end}
		for _, p := range s.TargetIndexes(f) {
			for _, o := range held[p] {
				if w.start < o.end && o.start < w.end {
					g := s.Faults[o.fault]
					v.add(index("faults", i)+".at", "this %s of %s (%s to %s) overlaps the %s of faults[%d] (%s to %s): a provider's container is paused, crashed or cut off by one fault at a time",
						f.Type, s.Providers[p].Name, w.start.short(), w.end.short(), g.Type, o.fault, o.start.short(), o.end.short())
				}
			}
			held[p] = append(held[p], w)
		}
	}
}
