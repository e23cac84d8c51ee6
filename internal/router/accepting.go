package router

import "unsafe"

// accepting remembers which providers take a payment method, as a mask
// by provider index, for the last few methods asked. An order's method is
// one of a run's few strings, so it is looked up by the string's address
// and length (one string, one content) instead of compared with every
// provider's methods at every pick.
type accepting struct {
	provs []Provider
	memo  [4]methodMask
	next  int
}

type methodMask struct {
	data *byte
	n    int
	ok   bool
	mask uint64
}

// maxMasked is the most providers a mask holds.
const maxMasked = 64

// mask is the set of providers that take method; at most maxMasked providers.
func (a *accepting) mask(method string) uint64 {
	data := unsafe.StringData(method)
	for k := range a.memo {
		if m := &a.memo[k]; m.ok && m.data == data && m.n == len(method) {
			return m.mask
		}
	}
	var mask uint64
	for i, p := range a.provs {
		if p.Accepts(method) {
			mask |= 1 << uint(i)
		}
	}
	a.memo[a.next] = methodMask{data: data, n: len(method), ok: true, mask: mask}
	a.next = (a.next + 1) % len(a.memo)
	return mask
}
