package router

import "time"

// window counts create outcomes over a trailing time window, in six slots.
type window struct {
	slot  time.Duration
	epoch [6]int64
	n, f  [6]int32
	// The slot of the last time asked, valid for times in [lo, hi): time
	// moves on slowly against a slot, so most calls skip the division.
	cur    int64
	lo, hi time.Duration
}

// slotOf is now / w.slot.
func (w *window) slotOf(now time.Duration) int64 {
	if now >= w.lo && now < w.hi {
		return w.cur
	}
	e := int64(now / w.slot)
	if now >= 0 {
		w.cur, w.lo = e, time.Duration(e)*w.slot
		w.hi = w.lo + w.slot
	}
	return e
}

func newWindow(w time.Duration) window {
	return window{slot: max(w/6, time.Millisecond)}
}

func (w *window) add(now time.Duration, failed bool) {
	e := w.slotOf(now)
	k := e % 6
	if w.epoch[k] != e {
		w.epoch[k], w.n[k], w.f[k] = e, 0, 0
	}
	w.n[k]++
	if failed {
		w.f[k]++
	}
}

// counts returns the calls and failures in the window ending at now.
func (w *window) counts(now time.Duration) (n, f int) {
	e := w.slotOf(now)
	for k := range w.epoch {
		if w.epoch[k] > e-6 && w.epoch[k] <= e && w.n[k] > 0 {
			n += int(w.n[k])
			f += int(w.f[k])
		}
	}
	return n, f
}

func (w *window) reset() {
	w.epoch = [6]int64{}
	w.n, w.f = [6]int32{}, [6]int32{}
}
