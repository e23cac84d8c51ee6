package router_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/mocks"
)

// FuzzServiceNotifyEpay sends any epay notification (a query; {trade_no}
// stands for the payment id the router got, and sign signs the query
// with the merchant key) about the open order o1 (12.50 CNY over epay).
// o1 becomes paid only by a query signed with the key that names the
// merchant, o1, its payment and its amount.
func FuzzServiceNotifyEpay(f *testing.F) {
	const key = "merchant-key"
	base := "pid=1000&trade_no={trade_no}&out_trade_no=o1&type=alipay&name=o1&trade_status=TRADE_SUCCESS&sign_type=MD5"
	f.Add(base+"&money=12.50", true)
	f.Add(base+"&money=12.5", true)
	f.Add(base+"&money=0.01", true)
	f.Add(strings.Replace(base, "{trade_no}", "made_up", 1)+"&money=12.50", true)
	f.Add(base+"&money=12.50&sign=0123456789abcdef0123456789abcdef", false)
	f.Add(base+"&money=99999999999999.99", true)
	f.Add("money=&sign=", false)
	f.Fuzz(func(t *testing.T, query string, sign bool) {
		_, srv, _ := epayService(t, key)
		v := openEpayOrder(t, srv)
		q, err := url.ParseQuery(strings.ReplaceAll(query, "{trade_no}", url.QueryEscape(v.PaymentID)))
		if err != nil {
			return
		}
		if sign {
			q.Del("sign")
			q.Set("sign", mocks.EpaySign(q, key))
		}
		code, _ := notifyGet(t, srv, q)
		if code == http.StatusInternalServerError {
			t.Fatalf("status 500 for %q", q.Encode())
		}
		if got := orderView(t, srv+"/v1/orders/o1"); got.Status == "paid" {
			money, err := mocks.ParseYuan(q.Get("money"))
			if mocks.EpayVerify(q, key) != nil || q.Get("pid") != mocks.EpayPID || q.Get("out_trade_no") != "o1" ||
				q.Get("trade_no") != v.PaymentID || err != nil || money != 1250 || q.Get("trade_status") != "TRADE_SUCCESS" {
				t.Fatalf("o1 paid by %q", q.Encode())
			}
		}
	})
}
