package mocks

import "strings"

// parseCreate is the create body's fast path: it decodes b into in only
// when b is the plain shape a client sends (one object; keys among
// CreatePayment's JSON names, spelled as they are, each at most once;
// strings of printable ASCII with no escapes; the amount a plain integer)
// and reports whether it did. Anything else (other cases of names,
// unknown fields, escapes, non-ASCII, null, numbers with fractions or
// exponents, errors) is left to the full decoder, which then decides
// alone (TestParseCreateAgreesWithDecoder). It costs a fraction of the
// decoder's time and one allocation for every string of the body.
func parseCreate(b []byte, in *CreatePayment) bool {
	var spans [7][2]int32 // where each string field's value is in b
	seen := 0             // bit i: field i was set
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			k0, k1, ok := plainString(b, i)
			if !ok {
				return false
			}
			f := createField(b[k0:k1])
			if f < 0 || seen&(1<<f) != 0 {
				return false
			}
			seen |= 1 << f
			i = skipSpace(b, k1+1)
			if i >= len(b) || b[i] != ':' {
				return false
			}
			i = skipSpace(b, i+1)
			if f == fieldAmount {
				n, j, ok := plainInt(b, i)
				if !ok {
					return false
				}
				in.Amount, i = n, j
			} else {
				v0, v1, ok := plainString(b, i)
				if !ok {
					return false
				}
				spans[f] = [2]int32{int32(v0), int32(v1)}
				i = v1 + 1
			}
			i = skipSpace(b, i)
			if i >= len(b) {
				return false
			}
			if b[i] == '}' {
				i++
				break
			}
			if b[i] != ',' {
				return false
			}
			i = skipSpace(b, i+1)
		}
	}
	if skipSpace(b, i) != len(b) {
		return false
	}
	// One allocation holds every string value (copies: nothing keeps b).
	var all strings.Builder
	n := 0
	for _, s := range spans {
		n += int(s[1] - s[0])
	}
	all.Grow(n)
	for _, s := range spans {
		all.Write(b[s[0]:s[1]])
	}
	str, at := all.String(), 0
	dst := [7]*string{&in.MerchantOrderID, nil, &in.Currency, &in.Method, &in.Category, &in.Region, &in.NotifyURL}
	for f, s := range spans {
		if d := dst[f]; d != nil {
			m := int(s[1] - s[0])
			*d = str[at : at+m]
			at += m
		}
	}
	return true
}

// The fields of CreatePayment by index, as parseCreate knows them:
// merchant_order_id, amount, currency, method, category, region,
// notify_url.
const fieldAmount = 1

// createField is the index of the field named key (exactly), or -1.
func createField(key []byte) int {
	switch string(key) {
	case "merchant_order_id":
		return 0
	case "amount":
		return fieldAmount
	case "currency":
		return 2
	case "method":
		return 3
	case "category":
		return 4
	case "region":
		return 5
	case "notify_url":
		return 6
	}
	return -1
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString finds the string at b[i] whose bytes are all printable ASCII
// other than a backslash: its contents are b[start:end], b[end] the
// closing quote.
func plainString(b []byte, i int) (start, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false
	}
	j := i + 1
	for j < len(b) && plainByte[b[j]] {
		j++
	}
	if j >= len(b) || b[j] != '"' {
		return 0, 0, false
	}
	return i + 1, j, true
}

// plainByte marks the bytes plainString takes inside a string: printable
// ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainInt reads an integer of at most 18 digits at b[i] (JSON's grammar:
// no leading zero, no plus sign), followed by neither a fraction nor an
// exponent.
func plainInt(b []byte, i int) (n int64, end int, ok bool) {
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		n = n*10 + int64(b[j]-'0')
		j++
	}
	if j == i || j-i > 18 || (b[i] == '0' && j-i > 1) {
		return 0, 0, false
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return 0, 0, false
	}
	if neg {
		n = -n
	}
	return n, j, true
}
