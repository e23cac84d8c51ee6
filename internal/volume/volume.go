// Package volume keeps the money accepted over a trailing span of time in
// fixed slots: what a velocity review judges (a channel's own, in mocks)
// and what a router keeps within (its ledger of what it sent).
package volume

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Slot is the resolution of the sums.
const Slot = 10 * time.Second

// Ring is the volume of the last span of time in Slot-long slots (slot k
// of time [k·Slot, (k+1)·Slot) at index k mod its length).
type Ring struct {
	slots []payment.Money
	last  int64 // the newest slot written
}

// New returns a ring that holds span.
func New(span time.Duration) *Ring {
	return &Ring{slots: make([]payment.Money, int(span/Slot)+2)}
}

// advance moves the ring to now's slot, clearing the slots skipped.
func (r *Ring) advance(now time.Duration) {
	if k := int64(now / Slot); k > r.last {
		for i := r.last + 1; i <= k && i <= r.last+int64(len(r.slots)); i++ {
			r.slots[i%int64(len(r.slots))] = 0
		}
		r.last = k
	}
}

// Add counts amount at now.
func (r *Ring) Add(now time.Duration, amount payment.Money) {
	r.advance(now)
	r.slots[int64(now/Slot)%int64(len(r.slots))] += amount
}

// Sum is the volume of [now-from, now-to) at slot resolution (the slot of
// now counted as whole).
func (r *Ring) Sum(now, from, to time.Duration) payment.Money {
	r.advance(now)
	k := int64(now / Slot)
	var sum payment.Money
	for i := k - int64(from/Slot) + 1; i <= k-int64(to/Slot); i++ {
		if i >= 0 && k-i < int64(len(r.slots)) {
			sum += r.slots[i%int64(len(r.slots))]
		}
	}
	return sum
}

// Reset forgets every amount.
func (r *Ring) Reset() {
	clear(r.slots)
	r.last = 0
}
