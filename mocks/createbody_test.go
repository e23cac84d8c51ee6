package mocks

import (
	"math/rand/v2"
	"testing"

	json "github.com/goccy/go-json"
)

// TestParseCreateAgreesWithDecoder: wherever the create body's fast path
// takes a body, the decoder takes it too and decodes the same payment;
// checked over hand-made bodies and 20,000 random mutations of them. The
// plain bodies clients send must take the fast path (else it is dead).
func TestParseCreateAgreesWithDecoder(t *testing.T) {
	plain := []string{
		`{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}`,
		` { "merchant_order_id" : "o-2" , "amount" : 0 ,"currency":"EUR","method":"alipay","category":"game-keys",` +
			`"region":"EU","notify_url":"http://127.0.0.1:8080/notify?x=1&y=2"} ` + "\n",
		`{}`, `{"amount":-7}`, `{"amount":999999999999999999}`, `{"merchant_order_id":""}`,
	}
	others := []string{
		`{"Merchant_Order_ID":"o2","AMOUNT":1500}`, `{"amount":1500,"amount":1600}`, `{"amount":1.5}`,
		`{"amount":1e3}`, `{"amount":01}`, `{"amount":"1500"}`, `{"amount":1000000000000000000}`,
		`{"merchant_order_id":"a\"b"}`, `{"merchant_order_id":"é"}`, `{"merchant_order_id":null}`,
		`{"coupon":1}`, `{"amount":1,}`, `{"amount":1}{}`, `[]`, ``, `{`, `{"amount":-}`, `{"amount":+1}`,
		`{"merchant_order_id":"a\u0062"}`, "{\"merchant_order_id\":\"a\tb\"}", `{"amount" 1}`,
	}
	check := func(body []byte) {
		var fast, slow CreatePayment
		if !parseCreate(body, &fast) {
			return
		}
		if err := json.Unmarshal(body, &slow); err != nil {
			t.Fatalf("%q: the fast path took it, the decoder says %v", body, err)
		}
		if fast != slow {
			t.Fatalf("%q: fast path %+v, decoder %+v", body, fast, slow)
		}
	}
	for _, b := range plain {
		var in CreatePayment
		if !parseCreate([]byte(b), &in) {
			t.Errorf("%q: not taken by the fast path", b)
		}
		check([]byte(b))
	}
	for _, b := range others {
		check([]byte(b))
	}
	rng := rand.New(rand.NewPCG(16, 85))
	alphabet := []byte("{}[]\":,. \t\n-+0123456789eEaAnulx\\é\x00")
	corpus := append(plain, others...)
	for range 20000 {
		b := []byte(corpus[rng.IntN(len(corpus))])
		for range 1 + rng.IntN(3) {
			if len(b) == 0 {
				b = append(b, alphabet[rng.IntN(len(alphabet))])
				continue
			}
			k := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[k] = alphabet[rng.IntN(len(alphabet))]
			case 1:
				b = append(b[:k], b[k+1:]...)
			default:
				b = append(b[:k], append([]byte{alphabet[rng.IntN(len(alphabet))]}, b[k:]...)...)
			}
		}
		check(b)
	}
}
