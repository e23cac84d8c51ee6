package mocks

import (
	"context"
	"crypto/subtle"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// The epay aggregator protocol (易支付, "V1", MD5-signed), as card-shop
// systems and many aggregator gateways speak it (docs/protocol.md says
// which variant and where implementations differ):
//
//	GET|POST /submit.php   page-jump create: form fields; 302 to the pay page
//	POST     /mapi.php     API create: form fields; JSON {code, msg, trade_no, payurl}
//	GET      /api.php?act=order&pid=&key=&trade_no=|out_trade_no=   order query
//	notify:  GET notify_url?pid&trade_no&out_trade_no&type&name&money&trade_status&param&sign&sign_type,
//	         retried until the shop answers the plain text "success"
//
// The merchant key is HandlerOptions.Secret; the merchant id is
// HandlerOptions.EpayPID (EpayPID by default). Money is yuan with two
// decimals. out_trade_no is the order id and the idempotency key: a
// second create with it returns the first payment's answer.
//
// Model outcomes in the protocol's shapes: a decline or a refusal is
// {"code":-1,"msg":"<paydrill code>: <text>"} with HTTP 200 (the code
// before the colon is how a router tells merchant_suspended from an
// issuer decline or try_again_later); an outage is a 502 HTML page from
// the gateway's front; a slow model answers late.
const (
	PathEpaySubmit = "/submit.php"
	PathEpayMAPI   = "/mapi.php"
	PathEpayAPI    = "/api.php"
	// EpayPID is the merchant id of an epay mock unless set otherwise.
	EpayPID = "1000"
	// EpaySuccess is what a shop answers a notification it took.
	EpaySuccess = "success"
)

// EpayRetries is the schedule of notification retries after a delivery
// the shop did not answer with "success" (scenario time after the
// previous try): five more tries over about three and a half hours.
var EpayRetries = []time.Duration{time.Minute, 3 * time.Minute, 20 * time.Minute, time.Hour, 2 * time.Hour}

// EpayCreateAnswer is the JSON answer of mapi.php.
type EpayCreateAnswer struct {
	Code    int    `json:"code"` // 1 created; -1 refused
	Msg     string `json:"msg"`
	TradeNo string `json:"trade_no,omitempty"`
	PayURL  string `json:"payurl,omitempty"`
	QRCode  string `json:"qrcode,omitempty"`
}

// EpayOrder is the answer of api.php?act=order.
type EpayOrder struct {
	Code       int    `json:"code"`
	Msg        string `json:"msg"`
	TradeNo    string `json:"trade_no,omitempty"`
	OutTradeNo string `json:"out_trade_no,omitempty"`
	Type       string `json:"type,omitempty"`
	PID        string `json:"pid,omitempty"`
	Name       string `json:"name,omitempty"`
	Money      string `json:"money,omitempty"`
	Status     int    `json:"status"` // 1 paid, 0 not (yet)
	Param      string `json:"param,omitempty"`
}

type epayHandler struct {
	*core
	mux *http.ServeMux
	pid string
	key string
}

// NewEpayHandler serves the epay protocol described above for l, with the
// pay pages and the control API of the generic protocol. Like NewHandler's,
// it has a Close method that cancels pending notifications.
func NewEpayHandler(l *Live, opt HandlerOptions) http.Handler {
	h := &epayHandler{core: newCore(l, opt), mux: http.NewServeMux(), pid: opt.EpayPID, key: string(opt.Secret)}
	if h.pid == "" {
		h.pid = EpayPID
	}
	h.mux.HandleFunc(PathEpaySubmit, h.submit)
	h.mux.HandleFunc("POST "+PathEpayMAPI, h.mapi)
	h.mux.HandleFunc(PathEpayAPI, h.api)
	payPage(h.mux, h.core, h.paid)
	control(h.mux, l, opt.SetStart)
	return h
}

func (h *epayHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func epayRefusal(msg string) EpayCreateAnswer { return EpayCreateAnswer{Code: -1, Msg: msg} }

// epayCreate is one create, by form or API: the request checked, the
// model asked (and waited for). ok is false when the client went away.
type epayCreate struct {
	refusal string // the request itself is refused (-1, before the model)
	lp      *LivePayment
	outage  bool
}

func (h *epayHandler) create(w http.ResponseWriter, r *http.Request) (c epayCreate, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return epayCreate{refusal: "invalid_request: unreadable form: " + err.Error()}, true
	}
	f := r.Form
	if f.Get("pid") != h.pid {
		return epayCreate{refusal: "invalid_request: no merchant " + f.Get("pid")}, true
	}
	if err := EpayVerify(f, h.key); err != nil {
		return epayCreate{refusal: "sign_error: " + err.Error()}, true
	}
	for _, k := range []string{"type", "out_trade_no", "notify_url", "name", "money"} {
		if f.Get(k) == "" {
			return epayCreate{refusal: "invalid_request: " + k + " is required"}, true
		}
	}
	amount, err := ParseYuan(f.Get("money"))
	if err != nil || amount <= 0 || amount > payment.MaxAmount {
		return epayCreate{refusal: "invalid_request: money must be positive yuan with at most two decimals, at most " +
			FormatYuan(payment.MaxAmount)}, true
	}
	if !h.live.Accepts(f.Get("type")) {
		return epayCreate{refusal: "payment_method_unavailable: " + h.live.Name() + " does not take " + f.Get("type")}, true
	}
	// param is the shop's passthrough; the mock reads category and
	// region from it when it is a query string, for transaction faults.
	meta, _ := url.ParseQuery(f.Get("param"))
	lp, replay := h.live.Create(CreateRequest{
		OrderID: f.Get("out_trade_no"), IdempotencyKey: f.Get("out_trade_no"),
		Amount: amount, Currency: "CNY", Method: f.Get("type"),
		Category: meta.Get("category"), Region: meta.Get("region"),
		NotifyURL: f.Get("notify_url"), Name: f.Get("name"), Param: f.Get("param"),
	})
	if replay {
		if lp.Order.Amount != amount {
			return epayCreate{refusal: "invalid_request: out_trade_no " + lp.OrderID + " exists with another money"}, true
		}
	} else if !h.wait(r, lp.Call.Latency) {
		return epayCreate{}, false
	}
	return epayCreate{lp: lp, outage: lp.Call.Status == payment.Failed}, true
}

// answer is the model's decision in the protocol's JSON shape.
func (h *epayHandler) answer(lp *LivePayment, base string) EpayCreateAnswer {
	c := lp.Call
	switch c.Status {
	case payment.Accepted:
		u := payURL(base, lp.ID)
		a := EpayCreateAnswer{Code: 1, Msg: "succ", TradeNo: lp.ID, PayURL: u}
		if lp.Order.Method == "wxpay" {
			a.PayURL, a.QRCode = "", u // wallets that scan answer a QR code's content
		}
		return a
	case payment.Declined:
		return epayRefusal(c.Code + ": the payment was declined")
	case payment.Limited:
		return epayRefusal(c.Code + ": too many requests, try again later")
	}
	return epayRefusal(payment.CodeProcessingError + ": provider error, no payment made")
}

func (h *epayHandler) mapi(w http.ResponseWriter, r *http.Request) {
	c, ok := h.create(w, r)
	switch {
	case !ok:
		return
	case c.refusal != "":
		writeJSON(w, http.StatusOK, epayRefusal(c.refusal))
	case c.outage:
		badGateway(w)
	default:
		writeJSON(w, http.StatusOK, h.answer(c.lp, h.base(r)))
	}
}

var epayErrorPage = template.Must(template.New("err").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>epay</title></head>
<body><h3>{{.}}</h3></body></html>
`))

// submit is the page-jump create: the buyer's browser posts the shop's
// signed form; created, it is sent on to the pay page (302); refused, it
// sees the gateway's error page (200, text/html).
func (h *epayHandler) submit(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	c, ok := h.create(w, r)
	if !ok {
		return
	}
	msg := c.refusal
	switch {
	case msg != "":
	case c.outage:
		badGateway(w)
		return
	default:
		if a := h.answer(c.lp, h.base(r)); a.Code == 1 {
			http.Redirect(w, r, payURL(h.base(r), c.lp.ID), http.StatusFound)
			return
		} else {
			msg = a.Msg
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	epayErrorPage.Execute(w, msg)
}

func badGateway(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n")
}

// api serves api.php?act=order: the merchant key in the query, the order
// by trade_no or out_trade_no.
func (h *epayHandler) api(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusOK, EpayOrder{Code: -1, Msg: "unreadable request"})
		return
	}
	f := r.Form
	switch {
	case f.Get("act") != "order":
		writeJSON(w, http.StatusOK, EpayOrder{Code: -1, Msg: "act " + f.Get("act") + " is not served by this mock (order is)"})
		return
	case f.Get("pid") != h.pid:
		writeJSON(w, http.StatusOK, EpayOrder{Code: -1, Msg: "no merchant " + f.Get("pid")})
		return
	case !constantEqual(f.Get("key"), h.key):
		writeJSON(w, http.StatusOK, EpayOrder{Code: -1, Msg: "key check failed"})
		return
	}
	var (
		lp LivePayment
		ok bool
	)
	if id := f.Get("trade_no"); id != "" {
		lp, ok = h.live.Get(id)
	} else if out := f.Get("out_trade_no"); out != "" {
		lp, ok = h.live.ByKey(out)
	}
	if !ok || lp.Pay.State == payment.NotFound {
		writeJSON(w, http.StatusOK, EpayOrder{Code: -1, Msg: "order not found"})
		return
	}
	o := EpayOrder{Code: 1, Msg: "succ", TradeNo: lp.ID, OutTradeNo: lp.OrderID, Type: lp.Order.Method,
		PID: h.pid, Name: lp.Name, Money: FormatYuan(lp.Order.Amount), Param: lp.Param}
	if lp.Pay.State == payment.Captured {
		o.Status = 1
	}
	writeJSON(w, http.StatusOK, o)
}

// notification is the signed query string of a capture's notification.
func (h *epayHandler) notification(lp LivePayment) url.Values {
	v := url.Values{}
	v.Set("pid", h.pid)
	v.Set("trade_no", lp.ID)
	v.Set("out_trade_no", lp.OrderID)
	v.Set("type", lp.Order.Method)
	v.Set("name", lp.Name)
	v.Set("money", FormatYuan(lp.Order.Amount))
	v.Set("trade_status", "TRADE_SUCCESS")
	if lp.Param != "" {
		v.Set("param", lp.Param)
	}
	v.Set("sign", EpaySign(v, h.key))
	v.Set("sign_type", "MD5")
	return v
}

// paid sends the capture's notifications: each one a GET to notify_url,
// retried on EpayRetries until the shop answers "success".
func (h *epayHandler) paid(lp LivePayment, n Notice) {
	if lp.NotifyURL == "" {
		return
	}
	sep := "?"
	if strings.Contains(lp.NotifyURL, "?") {
		sep = "&"
	}
	u := lp.NotifyURL + sep + h.notification(lp).Encode()
	for i := range min(n.Count, len(n.Delay)) {
		h.deliver(u, n.Delay[i])
	}
}

// deliver GETs u after the scenario duration after, and again on the
// retry schedule until the answer is "success" or the handler closes.
func (h *epayHandler) deliver(u string, after time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx.Err() != nil {
		return
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		wait := after
		for try := 0; try <= len(EpayRetries); try++ {
			if try > 0 {
				wait = EpayRetries[try-1]
			}
			t := time.NewTimer(h.wall(wait))
			select {
			case <-t.C:
			case <-h.ctx.Done():
				t.Stop()
				return
			}
			if h.notifyOnce(h.ctx, u) {
				return
			}
		}
	}()
}

// notifyOnce sends one notification; it reports whether the shop took it.
func (h *epayHandler) notifyOnce(ctx context.Context, u string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return true // not a URL: nothing to retry
	}
	res, err := h.client.Do(req)
	if err != nil {
		return false
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<10))
	return strings.TrimSpace(string(body)) == EpaySuccess
}

func constantEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
