package mocks

import (
	"encoding/json"
	"testing"
)

// TestAppendPaymentView: the hand-written encoding of the create answer is
// byte for byte json.Marshal's, escapes and omitted fields included (it
// fails on any difference, e.g. an HTML character left unescaped).
func TestAppendPaymentView(t *testing.T) {
	strs := []string{"", "pay_alpha_1", "o-1", "USD", "pending", "http://127.0.0.1:9100/pay/pay_alpha_7?x=1&y=<2>",
		"quote\" back\\slash", "ctl \x00\x01\x1f\b\f\n\r\t\x7f", "é ü 中文 😀", "bad \xff\xfe utf8", "line\u2028sep\u2029",
		"insufficient_funds"}
	for c := range 256 { // every byte alone, and inside plain text
		strs = append(strs, string(rune(c)), "ab"+string([]byte{byte(c)})+"cd")
	}
	for _, s := range strs {
		for _, v := range []PaymentView{
			{ID: s, MerchantOrderID: "o1", Amount: 1500, Currency: "USD", Status: "succeeded"},
			{ID: "pay_1", MerchantOrderID: s, Amount: -3, Currency: s, Status: "pending", PayURL: s},
			{ID: "pay_1", MerchantOrderID: "o", Amount: 1 << 62, Currency: "EUR", Status: "declined", DeclineCode: s},
		} {
			want, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendPaymentView(nil, &v); string(got) != string(want) {
				t.Errorf("%+v:\n got %s\nwant %s", v, got, want)
			}
		}
	}
}
