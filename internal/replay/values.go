package replay

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// MaxDistinct is the most distinct values a text column may hold (a
// product column beyond it falls back to hashing).
const MaxDistinct = 4096

// maxProducts bounds the product names given their own index.
const maxProducts = 1 << 16

// parseTime reads RFC 3339 or unix seconds (with an optional fraction)
// into unix nanoseconds.
func parseTime(s string) (int64, error) {
	if s == "" {
		return 0, errors.New("empty time")
	}
	if isUnix(s) {
		whole, frac, _ := strings.Cut(s, ".")
		sec, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || sec > 1<<33 {
			return 0, fmt.Errorf("%q is not a time (RFC 3339 or unix seconds)", s)
		}
		ns := int64(0)
		if frac != "" {
			if len(frac) > 9 {
				frac = frac[:9]
			}
			n, err := strconv.ParseInt(frac, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a time (RFC 3339 or unix seconds)", s)
			}
			for range 9 - len(frac) {
				n *= 10
			}
			ns = n
		}
		return sec*1e9 + ns, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// Exports often write "2026-01-02 15:04:05" (UTC, no zone).
		if t2, err2 := time.Parse("2006-01-02 15:04:05.999999999", s); err2 == nil {
			return t2.UnixNano(), nil
		}
		return 0, fmt.Errorf("%q is not a time (RFC 3339 or unix seconds)", s)
	}
	return t.UnixNano(), nil
}

func isUnix(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return true
}

// parseAmount reads an amount in minor units (an integer) or, with
// major, a decimal of at most two places.
func parseAmount(s string, major bool) (payment.Money, error) {
	if s == "" {
		return 0, errors.New("empty amount")
	}
	if !major {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not an integer amount in minor units (set amount_unit: major for 12.50)", s)
		}
		return checkAmount(s, payment.Money(n))
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || dot && frac == "" || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("%q is not an amount in major units (like 12.50)", s)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > int64(payment.MaxAmount) {
		return 0, fmt.Errorf("%q is over the ceiling of %s an order (docs/limits.md)", s, payment.MaxAmount)
	}
	cents := int64(0)
	if frac != "" {
		c, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			c *= 10
		}
		cents = c
	}
	return checkAmount(s, payment.Money(n*100+cents))
}

// checkAmount refuses an amount no provider takes (0 or less) or one over
// payment.MaxAmount, where totals could wrap.
func checkAmount(s string, m payment.Money) (payment.Money, error) {
	switch {
	case m < 0:
		return 0, fmt.Errorf("%q is negative", s)
	case m == 0:
		return 0, fmt.Errorf("%q: an order needs an amount more than 0 (providers refuse 0)", s)
	case m > payment.MaxAmount:
		return 0, fmt.Errorf("%q is over the ceiling of %s an order in major units (docs/limits.md)", s, payment.MaxAmount)
	}
	return m, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// looksLikeCard reports whether s is 13 to 19 digits passing the Luhn check.
func looksLikeCard(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 13 || len(s) > 19 || !digits(s) {
		return false
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// interner keeps one copy of each distinct value of a column, at most
// MaxDistinct of them.
type interner struct {
	m map[string]string
}

func (in *interner) get(s string) (string, error) {
	if v, ok := in.m[s]; ok {
		return v, nil
	}
	if looksLikeCard(s) {
		return "", errors.New("the value looks like a card number; paydrill does not read card numbers (map another column)")
	}
	if len(in.m) >= MaxDistinct {
		return "", fmt.Errorf("more than %d distinct values in this column", MaxDistinct)
	}
	if in.m == nil {
		in.m = map[string]string{}
	}
	v := strings.Clone(s)
	in.m[v] = v
	return v, nil
}

// products gives product names indexes: integers are themselves, other
// names the next free index, past maxProducts a hash.
type products struct {
	m map[string]int32
}

func (p *products) index(s string) int32 {
	if n, err := strconv.ParseInt(s, 10, 32); err == nil && n >= 0 {
		return int32(n)
	}
	if i, ok := p.m[s]; ok {
		return i
	}
	if len(p.m) >= maxProducts {
		return int32(hash32(s) % maxProducts)
	}
	if p.m == nil {
		p.m = map[string]int32{}
	}
	i := int32(len(p.m))
	p.m[strings.Clone(s)] = i
	return i
}

// buyerIndex maps a buyer id to an index under n: an integer under n is
// itself, anything else a hash.
func buyerIndex(s string, n int) int32 {
	if v, err := strconv.ParseInt(s, 10, 32); err == nil && v >= 0 && v < int64(n) {
		return int32(v)
	}
	return int32(hash32(s) % uint32(n))
}

func hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func hash64(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	if h == 0 {
		h = 1
	}
	return h
}
