package mocks

import (
	"encoding/json"
	"net/http"

	"github.com/paydrill/paydrill/internal/payment"
)

// generic serves the generic JSON protocol (protocol.go) for one live mock.
type generic struct {
	*core
	mux *http.ServeMux
}

// NewHandler serves the generic JSON protocol of docs/protocol.md for l:
// payments, pay pages and the control API. The handler owns the
// notifications it schedules; it has a Close method (io.Closer) that
// cancels them, which NewServer calls. Serve it at the root of a host or
// set opt.BaseURL.
func NewHandler(l *Live, opt HandlerOptions) http.Handler {
	h := &generic{core: newCore(l, opt), mux: http.NewServeMux()}
	h.mux.HandleFunc("POST "+PathPayments, h.create)
	h.mux.HandleFunc("GET "+PathPayment, h.get)
	payPage(h.mux, h.core, h.paid)
	control(h.mux, l, opt.SetStart)
	return h
}

func (h *generic) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The create is the hot path under load: taken straight when the
	// request is exactly what the mux would route to it (a clean path,
	// no escapes), the rest through the mux (TestGenericCreateRoute).
	if r.Method == http.MethodPost && r.URL.Path == PathPayments && r.URL.RawPath == "" {
		h.create(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

func (h *generic) create(w http.ResponseWriter, r *http.Request) {
	var in CreatePayment
	if err := decodeCreate(w, r, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "parameter_invalid",
			"", "create payment: bad JSON body: "+err.Error()))
		return
	}
	if in.Method == "" {
		in.Method = "card"
	}
	switch {
	case in.MerchantOrderID == "":
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "parameter_missing", "",
			"create payment: merchant_order_id is required"))
		return
	case in.Amount <= 0 || in.Amount > int64(payment.MaxAmount) || in.Currency == "":
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "parameter_invalid", "",
			"create payment: amount must be positive, at most "+payment.MaxAmount.String()+", and currency set"))
		return
	case !h.live.Accepts(in.Method):
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "payment_method_unavailable", "",
			"create payment: "+h.live.Name()+" does not take "+in.Method))
		return
	}
	lp, replay := h.live.Create(CreateRequest{
		OrderID: in.MerchantOrderID, IdempotencyKey: r.Header.Get(HeaderIdem),
		Amount: payment.Money(in.Amount), Currency: in.Currency, Method: in.Method,
		Category: in.Category, Region: in.Region, NotifyURL: in.NotifyURL,
	})
	if replay {
		if lp.OrderID != in.MerchantOrderID || int64(lp.Order.Amount) != in.Amount {
			writeJSON(w, http.StatusBadRequest, apiError("idempotency_error", "idempotency_key_in_use", "",
				"create payment: idempotency key reused with other parameters"))
			return
		}
		// A replay answers the stored outcome at once, as Stripe does.
		w.Header().Set("Idempotent-Replayed", "true")
	} else if !h.wait(r, lp.Call.Latency) {
		return
	}
	if lp.Call.Status == payment.Accepted {
		v := h.accepted(lp, r)
		writeView(w, http.StatusCreated, &v)
		return
	}
	status, body := refusal(lp.Call)
	writeJSON(w, status, body)
}

// The create call's answer is a function of the model's decision only, so
// that a replay gets the same one: accepted is the payment, refusal the
// error of a call the provider did not accept.

func (h *generic) accepted(lp *LivePayment, r *http.Request) PaymentView {
	v := PaymentView{ID: lp.ID, MerchantOrderID: lp.OrderID, Amount: int64(lp.Order.Amount),
		Currency: lp.Order.Currency, Status: "succeeded"}
	if h.live.Async() {
		v.Status, v.PayURL = "pending", payURL(h.base(r), lp.ID)
	}
	return v
}

func refusal(c Call) (int, APIError) {
	switch c.Status {
	case payment.Declined:
		return http.StatusPaymentRequired, apiError("card_error", "card_declined", c.Code,
			"the payment was declined: "+c.Code)
	case payment.Limited:
		return http.StatusTooManyRequests, apiError("rate_limit_error", c.Code, "", "too many requests")
	}
	return http.StatusInternalServerError, apiError("api_error", c.Code, "", "provider error, no payment made")
}

func (h *generic) get(w http.ResponseWriter, r *http.Request) {
	lp, ok := h.live.Get(r.PathValue("id"))
	if !ok || lp.Pay.State == payment.NotFound {
		writeJSON(w, http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "",
			"no payment "+r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, view(lp, h.base(r)))
}

// view is a payment's current state in the generic protocol.
func view(lp LivePayment, base string) PaymentView {
	v := PaymentView{ID: lp.ID, MerchantOrderID: lp.OrderID, Amount: int64(lp.Order.Amount),
		Currency: lp.Order.Currency}
	switch lp.Pay.State {
	case payment.Open:
		v.Status, v.PayURL = "pending", payURL(base, lp.ID)
	case payment.Captured:
		v.Status = "succeeded"
	default:
		v.Status = "failed"
		if lp.Call.Status == payment.Declined {
			v.Status, v.DeclineCode = "declined", lp.Call.Code
		}
	}
	return v
}

// paid sends the capture's notifications to the payment's notify_url.
func (h *generic) paid(lp LivePayment, n Notice) {
	body, err := json.Marshal(Notification{ID: lp.ID, MerchantOrderID: lp.OrderID, Status: "succeeded",
		Amount: int64(lp.Order.Amount), Currency: lp.Order.Currency})
	if err != nil {
		return
	}
	for i := range min(n.Count, len(n.Delay)) {
		h.post(lp.NotifyURL, HeaderSig, body, n.Delay[i])
	}
}
