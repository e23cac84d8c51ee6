package traffic

// TestCards are card numbers that payment providers document as test
// numbers: they pass the Luhn check and can never charge a real account.
// They are Stripe's test cards, https://docs.stripe.com/testing#cards
// (Visa, Visa debit, Mastercard, Mastercard 2-series, Mastercard debit,
// American Express ×2, Discover ×2, Diners Club, Diners Club 14-digit, JCB,
// UnionPay). Buyer i holds TestCards[i % len(TestCards)]. Never generate
// card numbers.
var TestCards = []string{
	"4242424242424242",
	"4000056655665556",
	"5555555555554444",
	"2223003122003222",
	"5200828282828210",
	"378282246310005",
	"371449635398431",
	"6011111111111117",
	"6011000990139424",
	"3056930009020004",
	"36227206271667",
	"3566002020360505",
	"6200000000000005",
}
