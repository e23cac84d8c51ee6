package mocks

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Issue 13, finding 6: a mock's ledger summed whatever amount a create
// named, so amounts of 2^63-1 wrapped it. Every protocol's create takes an
// order of at most payment.MaxAmount and refuses one minor unit more
// before the model sees it (nothing reaches the ledger), so no total of a
// run can wrap (docs/limits.md#money). The epay mock, added after the
// ceiling, read up to 999,999,999,999.99 yuan an order.
func TestCreateRefusesAmountOverTheCeiling(t *testing.T) {
	epayCreate := func(amount payment.Money) *http.Request {
		p := url.Values{"pid": {EpayPID}, "type": {"alipay"}, "out_trade_no": {"o" + strconv.FormatInt(int64(amount), 10)},
			"notify_url": {"http://127.0.0.1:1/n"}, "name": {"key"}, "money": {FormatYuan(amount)}}
		p.Set("sign", EpaySign(p, "s3cret"))
		p.Set("sign_type", "MD5")
		r := httptest.NewRequest("POST", PathEpayMAPI, strings.NewReader(p.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	for _, tc := range []struct {
		protocol, provider string
		newHandler         func(*Live, HandlerOptions) http.Handler
		create             func(payment.Money) *http.Request
		refused            func(*httptest.ResponseRecorder) bool
	}{
		{"generic", syncAlpha, NewHandler,
			func(a payment.Money) *http.Request {
				b, _ := json.Marshal(CreatePayment{MerchantOrderID: "o1", Amount: int64(a), Currency: "USD", Method: "card"})
				return httptest.NewRequest("POST", PathPayments, bytes.NewReader(b))
			},
			func(rec *httptest.ResponseRecorder) bool {
				return rec.Code == http.StatusBadRequest && strings.Contains(rec.Body.String(), "at most 100000000.00")
			}},
		{"stripe", syncAlpha, NewStripeHandler,
			func(a payment.Money) *http.Request {
				r := httptest.NewRequest("POST", PathStripeIntents, strings.NewReader(url.Values{
					"amount": {strconv.FormatInt(int64(a), 10)}, "currency": {"usd"}, "confirm": {"true"}}.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			},
			func(rec *httptest.ResponseRecorder) bool {
				return rec.Code == http.StatusBadRequest && strings.Contains(rec.Body.String(), "parameter_invalid_integer")
			}},
		{"epay", "  - {name: alpha, protocol: epay, methods: [alipay, card], latency: {median: 100ms, p99: 100ms}}\n", NewEpayHandler,
			epayCreate,
			func(rec *httptest.ResponseRecorder) bool {
				return strings.Contains(rec.Body.String(), `"code":-1`) && strings.Contains(rec.Body.String(), "invalid_request: money")
			}},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			for _, amount := range []payment.Money{payment.MaxAmount + 1, payment.MaxAmount*100 + 99, 1<<63 - 1} {
				now := time.Duration(0)
				l := NewLive(scenarioOf(t, tc.provider, ""), 0, func() time.Duration { return now })
				h := tc.newHandler(l, fuzzOptions())
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, tc.create(amount))
				h.(interface{ Close() error }).Close()
				if !tc.refused(rec) {
					t.Errorf("create of %d minor units (ceiling %d): %d %s; want refused", amount, payment.MaxAmount, rec.Code, rec.Body)
				}
				if c := l.Ledger().Creates; c != 0 {
					t.Errorf("create of %d minor units: the ledger counts %d creates; want 0", amount, c)
				}
			}
			now := time.Duration(0)
			l := NewLive(scenarioOf(t, tc.provider, ""), 0, func() time.Duration { return now })
			h := tc.newHandler(l, fuzzOptions())
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tc.create(payment.MaxAmount))
			h.(interface{ Close() error }).Close()
			if tc.refused(rec) || l.Ledger().Creates != 1 {
				t.Errorf("create at the ceiling (%d minor units): %d %s, %d creates; want taken, 1 create",
					payment.MaxAmount, rec.Code, rec.Body, l.Ledger().Creates)
			}
		})
	}
}
