package sim

import "unsafe"

// prefetch asks the processor to bring the cache line at p in, without
// waiting for it (PREFETCHT0): a hint, with no effect on what the program
// computes.
//
//go:noescape
func prefetch(p unsafe.Pointer)
