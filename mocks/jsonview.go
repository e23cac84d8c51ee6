package mocks

import (
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"
)

// The create answer is the mock's hot path under load: PaymentView is
// appended by hand into a pooled buffer, byte for byte what json.Marshal
// gives (TestAppendPaymentView), with no reflection and no allocation.

var viewBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// contentJSON is the Content-Type header value, shared (net/http never
// changes a handler's header values).
var contentJSON = []string{"application/json"}

// writeView writes v as the JSON body of a status answer, as writeJSON does.
func writeView(w http.ResponseWriter, status int, v *PaymentView) {
	bp := viewBufs.Get().(*[]byte)
	b := append(appendPaymentView((*bp)[:0], v), '\n')
	w.Header()["Content-Type"] = contentJSON
	w.WriteHeader(status)
	w.Write(b)
	*bp = b
	viewBufs.Put(bp)
}

// appendPaymentView appends v's JSON encoding (encoding/json's: field
// order, omitempty, escaping) to b.
func appendPaymentView(b []byte, v *PaymentView) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, v.ID)
	b = append(b, `,"merchant_order_id":`...)
	b = appendJSONString(b, v.MerchantOrderID)
	b = append(b, `,"amount":`...)
	b = strconv.AppendInt(b, v.Amount, 10)
	b = append(b, `,"currency":`...)
	b = appendJSONString(b, v.Currency)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, v.Status)
	if v.DeclineCode != "" {
		b = append(b, `,"decline_code":`...)
		b = appendJSONString(b, v.DeclineCode)
	}
	if v.PayURL != "" {
		b = append(b, `,"pay_url":`...)
		b = appendJSONString(b, v.PayURL)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// jsonPlain marks the ASCII bytes encoding/json writes as they are: not a
// control character, quote, backslash or HTML character (<, >, &).
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString appends s quoted as encoding/json quotes a string: HTML
// characters (<, >, &) and U+2028/U+2029 escaped as \u00XX / \u20XX,
// invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	// The common case, a string of printable ASCII needing no escape,
	// is one table look-up a byte and one append.
	i := 0
	for i < len(s) && jsonPlain[s[i]] {
		i++
	}
	if i == len(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
