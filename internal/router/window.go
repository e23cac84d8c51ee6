package router

import "time"

// window counts create outcomes over a trailing time window, in six slots.
type window struct {
	slot  time.Duration
	epoch [6]int64
	n, f  [6]int32
}

func newWindow(w time.Duration) window {
	return window{slot: max(w/6, time.Millisecond)}
}

func (w *window) add(now time.Duration, failed bool) {
	e := int64(now / w.slot)
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
	e := int64(now / w.slot)
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
