package sim

// slab stores values by index with a free list, so orders and payments
// are reused instead of allocated: memory follows what is in flight.
type slab[T any] struct {
	items []T
	free  []uint32
}

// alloc returns the index of a zeroed slot.
func (s *slab[T]) alloc() uint32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		var zero T
		s.items[i] = zero
		return i
	}
	var zero T
	s.items = append(s.items, zero)
	return uint32(len(s.items) - 1)
}

// release returns slot i to the free list.
func (s *slab[T]) release(i uint32) { s.free = append(s.free, i) }
