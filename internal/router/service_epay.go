package router

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/mocks"
)

// The service's epay adapter (docs/protocol.md, "The epay protocol"): a
// provider with protocol epay is reached by mapi.php (create), api.php?
// act=order (query) and notifies by GET with an MD5 signature over its
// parameters, the merchant key being the service's secret. Everything
// else (routing, retries, delivery) is the service's, protocol-blind.

// createEpay is create over mapi.php. out_trade_no is the order id: the
// protocol's idempotency key, so a retry on the same channel is the same
// payment.
func (s *Service) createEpay(ctx context.Context, p int, o *serviceOrder) (mocks.PaymentView, payment.Status, string) {
	meta := url.Values{}
	if o.req.Category != "" {
		meta.Set("category", o.req.Category)
	}
	if o.req.Region != "" {
		meta.Set("region", o.req.Region)
	}
	f := url.Values{}
	f.Set("pid", mocks.EpayPID)
	f.Set("type", o.req.Method)
	f.Set("out_trade_no", o.req.OrderID)
	f.Set("notify_url", s.opt.NotifyBase+"/v1/notify/"+s.provs[p].name)
	f.Set("name", "order "+o.req.OrderID)
	f.Set("money", mocks.FormatYuan(payment.Money(o.req.Amount)))
	f.Set("param", meta.Encode())
	f.Set("sign", mocks.EpaySign(f, string(s.opt.Secret)))
	f.Set("sign_type", "MD5")

	ctx, cancel := context.WithTimeout(ctx, s.wall(s.opt.Scenario.Router.Timeout.D()))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.provs[p].url+mocks.PathEpayMAPI,
		strings.NewReader(f.Encode()))
	if err != nil {
		return mocks.PaymentView{}, payment.Failed, ""
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.opt.Client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return mocks.PaymentView{}, payment.Timeout, ""
		}
		return mocks.PaymentView{}, payment.Failed, ""
	}
	defer resp.Body.Close()
	// Read the whole body (json.Decoder would leave the newline): an
	// unread body closes the connection instead of keeping it.
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var a mocks.EpayCreateAnswer
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &a) != nil {
		return mocks.PaymentView{}, payment.Failed, payment.CodeProcessingError
	}
	if a.Code == 1 {
		pay := a.PayURL
		if pay == "" {
			pay = a.QRCode
		}
		return mocks.PaymentView{ID: a.TradeNo, MerchantOrderID: o.req.OrderID, Amount: o.req.Amount,
			Status: "pending", PayURL: pay}, payment.Accepted, ""
	}
	st, code := EpayRefusal(a.Msg)
	return mocks.PaymentView{}, st, code
}

// EpayRefusal classes a refused create by the code its msg starts with
// ("merchant_suspended: ..."): a known decline code is a decline of that
// code; try_again_later is a rate limit; anything else (a gateway's own
// words) is taken for a channel error, worth another channel.
func EpayRefusal(msg string) (payment.Status, string) {
	code, _, _ := strings.Cut(msg, ":")
	code = strings.TrimSpace(code)
	switch {
	case code == payment.CodeTryAgain:
		return payment.Limited, code
	case code == payment.CodeProcessingError:
		return payment.Failed, code
	case payment.KnownCode(code):
		return payment.Declined, code
	}
	return payment.Failed, payment.CodeProcessingError
}

// getEpay is a status query over api.php?act=order, by trade_no when the
// create answered one, else by out_trade_no (the order id): after a
// timeout the query finds the payment the lost answer made, if any.
func (s *Service) getEpay(ctx context.Context, p int, orderID, id string) (mocks.PaymentView, error) {
	q := url.Values{}
	q.Set("act", "order")
	q.Set("pid", mocks.EpayPID)
	q.Set("key", string(s.opt.Secret))
	if id != "" {
		q.Set("trade_no", id)
	} else {
		q.Set("out_trade_no", orderID)
	}
	ctx, cancel := context.WithTimeout(ctx, s.wall(s.opt.Scenario.Router.Timeout.D()))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.provs[p].url+mocks.PathEpayAPI+"?"+q.Encode(), nil)
	if err != nil {
		return mocks.PaymentView{}, err
	}
	resp, err := s.opt.Client.Do(req)
	if err != nil {
		return mocks.PaymentView{}, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var o mocks.EpayOrder
	if resp.StatusCode != http.StatusOK {
		return mocks.PaymentView{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return mocks.PaymentView{}, err
	}
	if o.Code != 1 {
		return mocks.PaymentView{}, fmt.Errorf("epay query: %s", o.Msg)
	}
	v := mocks.PaymentView{ID: o.TradeNo, MerchantOrderID: o.OutTradeNo, Status: "pending"}
	if o.Status == 1 {
		v.Status = "succeeded"
	}
	if m, err := mocks.ParseYuan(o.Money); err == nil {
		v.Amount = int64(m)
	}
	return v, nil
}

// notifyEpay takes an epay notification (GET with the signed parameters):
// the signature is checked with the merchant key (unless the service
// drills unsigned) and the merchant id must be ours; then, as every
// notification, it must match a payment the router asked this provider
// for (take). The protocol carries no currency (the merchant account's)
// and no timestamp: the amount is matched, the currency is the order's,
// and a replayed notification can only repeat a capture the router
// already took. The gateway retries until the answer is the plain text
// "success"; a refused one is answered "fail".
func (s *Service) notifyEpay(w http.ResponseWriter, r *http.Request) {
	p, ok := s.byNm[r.PathValue("provider")]
	if !ok || !s.provs[p].epay {
		s.refuseEpay(w, http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	if !s.opt.Unsigned && (mocks.EpayVerify(q, string(s.opt.Secret)) != nil || q.Get("pid") != mocks.EpayPID) {
		s.refuseEpay(w, http.StatusUnauthorized)
		return
	}
	money, err := mocks.ParseYuan(q.Get("money"))
	if err != nil {
		s.refuseEpay(w, http.StatusBadRequest)
		return
	}
	if q.Get("trade_status") == "TRADE_SUCCESS" {
		n := mocks.Notification{ID: q.Get("trade_no"), MerchantOrderID: q.Get("out_trade_no"),
			Amount: int64(money), Status: "succeeded"}
		s.mu.Lock()
		if o := s.orders[n.MerchantOrderID]; o != nil {
			n.Currency = o.req.Currency
		}
		s.mu.Unlock()
		if s.take(p, n) != "" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, "fail")
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, mocks.EpaySuccess)
}

// refuseEpay answers "fail" to a notification that cannot be taken, and
// counts it.
func (s *Service) refuseEpay(w http.ResponseWriter, code int) {
	s.mu.Lock()
	s.refusedNotices++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(code)
	io.WriteString(w, "fail")
}
