package mocks

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/paydrill/paydrill/internal/payment"
)

// EpaySignString is the text the epay protocol signs: every parameter
// with a non-empty value except sign and sign_type, sorted by name (byte
// order), joined as k=v with & and no URL encoding, the merchant key
// appended with no separator. Only a parameter's first value counts.
func EpaySignString(params url.Values, key string) string {
	names := make([]string, 0, len(params))
	for k, v := range params {
		if k == "sign" || k == "sign_type" || len(v) == 0 || v[0] == "" {
			continue
		}
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params.Get(k))
	}
	b.WriteString(key)
	return b.String()
}

// EpaySign is the epay protocol's MD5 signature of params with the
// merchant key: lower-case hex MD5 of EpaySignString.
func EpaySign(params url.Values, key string) string {
	sum := md5.Sum([]byte(EpaySignString(params, key)))
	return hex.EncodeToString(sum[:])
}

// Epay signature errors.
var (
	ErrEpayNoSign   = errors.New("epay: no sign parameter")
	ErrEpayBadSign  = errors.New("epay: signature does not match")
	ErrEpaySignType = errors.New("epay: sign_type is not MD5")
)

// EpayVerify checks params' sign against the merchant key (constant
// time). A missing sign_type is taken for MD5, as gateways do; any other
// is refused.
func EpayVerify(params url.Values, key string) error {
	got := params.Get("sign")
	if got == "" {
		return ErrEpayNoSign
	}
	if st := params.Get("sign_type"); st != "" && !strings.EqualFold(st, "MD5") {
		return fmt.Errorf("%w: %q", ErrEpaySignType, st)
	}
	want := EpaySign(params, key)
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(want)) != 1 {
		return ErrEpayBadSign
	}
	return nil
}

var yuanPattern = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,2})?$`)

// ParseYuan reads an epay money field (yuan, at most two decimals, as
// "12.5" or "12.50") into minor units (fen).
func ParseYuan(s string) (payment.Money, error) {
	if !yuanPattern.MatchString(s) {
		return 0, fmt.Errorf("money %q: want yuan with at most two decimals, like 12.50", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money %q: %w", s, err)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return payment.Money(w*100 + f), nil
}

// FormatYuan writes minor units as the epay money field: yuan with two
// decimals ("12.50").
func FormatYuan(m payment.Money) string { return m.String() }
