package mocks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paydrill/paydrill/internal/payment"
)

// The Stripe-compatible subset: just enough of Stripe's PaymentIntents API
// and webhooks for a router written against Stripe (or a test driving the
// official stripe-go client) to meet the behaviour model.
//
//	POST /v1/payment_intents              create (form-encoded): amount, currency,
//	                                      payment_method_types[], metadata[...], confirm
//	POST /v1/payment_intents/{id}/confirm confirm: the model decides
//	GET  /v1/payment_intents/{id}         retrieve
//
// Mapping: a created intent is requires_confirmation; confirming it is the
// model's create call. A sync provider answers succeeded or a card_error
// (402) with the model's decline code (the intent goes back to
// requires_payment_method and may be confirmed again: a new attempt); an
// async provider answers requires_action with next_action.redirect_to_url
// pointing at the mock's pay page, and paying there captures and sends
// payment_intent.succeeded events to HandlerOptions.WebhookURL, signed in
// Stripe-Signature, as many times as the model's notice says. The model's
// errors are api_error (500) and rate_limit_error (429). A sync capture
// sends no event (its answer is the confirm call's), as in the generic
// protocol. metadata[order_id], metadata[category] and metadata[region]
// feed the model's order (faults match on them).
//
// Idempotency-Key on POSTs replays the stored answer (status and body)
// with Idempotent-Replayed: true; 429 answers are not stored, as Stripe's.
const (
	PathStripeIntents = "/v1/payment_intents"
	PathStripeIntent  = "/v1/payment_intents/{id}"
	PathStripeConfirm = "/v1/payment_intents/{id}/confirm"
	HeaderStripeSig   = "Stripe-Signature"
	// StripeAPIVersion is the api_version of the events sent: the one
	// stripe-go v82 checks in webhook.ConstructEvent.
	StripeAPIVersion = "2025-08-27.basil"
)

// StripeIntent is a PaymentIntent as the subset returns it.
type StripeIntent struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	Amount             int64             `json:"amount"`
	AmountReceived     int64             `json:"amount_received"`
	Currency           string            `json:"currency"`
	Status             string            `json:"status"`
	ClientSecret       string            `json:"client_secret"`
	Created            int64             `json:"created"`
	Livemode           bool              `json:"livemode"`
	Metadata           map[string]string `json:"metadata"`
	PaymentMethodTypes []string          `json:"payment_method_types"`
	NextAction         *StripeNextAction `json:"next_action"`
	LastPaymentError   *StripeError      `json:"last_payment_error"`
	CancellationReason string            `json:"cancellation_reason,omitempty"`
}

// StripeNextAction is a redirect to the pay page.
type StripeNextAction struct {
	Type          string `json:"type"` // redirect_to_url
	RedirectToURL struct {
		URL       string `json:"url"`
		ReturnURL string `json:"return_url,omitempty"`
	} `json:"redirect_to_url"`
}

// StripeError is Stripe's error object; StripeErrorBody wraps it.
type StripeError struct {
	Type          string        `json:"type"`
	Code          string        `json:"code,omitempty"`
	DeclineCode   string        `json:"decline_code,omitempty"`
	Message       string        `json:"message"`
	PaymentIntent *StripeIntent `json:"payment_intent,omitempty"`
}

// StripeErrorBody is the body of every Stripe 4xx/5xx answer.
type StripeErrorBody struct {
	Error StripeError `json:"error"`
}

// StripeEvent is a webhook event.
type StripeEvent struct {
	ID              string `json:"id"`
	Object          string `json:"object"` // event
	APIVersion      string `json:"api_version"`
	Created         int64  `json:"created"`
	Livemode        bool   `json:"livemode"`
	PendingWebhooks int    `json:"pending_webhooks"`
	Type            string `json:"type"`
	Data            struct {
		Object *StripeIntent `json:"object"`
	} `json:"data"`
}

type intent struct {
	id         string
	amount     int64
	currency   string
	methods    []string
	metadata   map[string]string
	created    int64
	live       string // the latest processed attempt's payment, "" before
	confirming bool
}

type stored struct {
	path   string
	status int
	body   []byte
}

type stripeHandler struct {
	*core
	mux     *http.ServeMux
	mu      sync.Mutex
	seq     int
	events  int
	intents map[string]*intent
	byLive  map[string]string // payment id -> intent id
	idem    map[string]stored
}

// NewStripeHandler serves the Stripe-compatible subset described above for
// l, with the pay pages and the control API of the generic protocol. Like
// NewHandler's, it has a Close method that cancels pending events.
func NewStripeHandler(l *Live, opt HandlerOptions) http.Handler {
	h := &stripeHandler{core: newCore(l, opt), mux: http.NewServeMux(),
		intents: map[string]*intent{}, byLive: map[string]string{}, idem: map[string]stored{}}
	h.mux.HandleFunc("POST "+PathStripeIntents, h.idempotent(h.create))
	h.mux.HandleFunc("POST "+PathStripeConfirm, h.idempotent(h.confirm))
	h.mux.HandleFunc("GET "+PathStripeIntent, func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		in := h.intents[r.PathValue("id")]
		h.mu.Unlock()
		if in == nil {
			writeJSON(w, http.StatusNotFound, stripeErr("invalid_request_error", "resource_missing", "",
				"No such payment_intent: '"+r.PathValue("id")+"'", nil))
			return
		}
		writeJSON(w, http.StatusOK, h.render(in, h.base(r)))
	})
	payPage(h.mux, h.core, h.paid)
	control(h.mux, l, opt.SetStart)
	return h
}

func (h *stripeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func stripeErr(typ, code, decline, msg string, pi *StripeIntent) StripeErrorBody {
	return StripeErrorBody{Error: StripeError{Type: typ, Code: code, DeclineCode: decline, Message: msg,
		PaymentIntent: pi}}
}

// idempotent wraps a POST endpoint that returns its answer: with an
// Idempotency-Key, the first answer is stored and replayed.
func (h *stripeHandler) idempotent(f func(r *http.Request) (int, any, bool)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(HeaderIdem)
		if key != "" {
			h.mu.Lock()
			s, ok := h.idem[key]
			h.mu.Unlock()
			if ok {
				if s.path != r.URL.Path {
					writeJSON(w, http.StatusBadRequest, stripeErr("idempotency_error", "", "",
						"Keys for idempotent requests can only be used for the same endpoint", nil))
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Idempotent-Replayed", "true")
				w.WriteHeader(s.status)
				w.Write(s.body)
				return
			}
		}
		status, v, ok := f(r)
		if !ok {
			return // the client went away
		}
		b, err := json.Marshal(v)
		if err != nil {
			http.Error(w, "mocks: encoding the answer: "+err.Error(), http.StatusInternalServerError)
			return
		}
		b = append(b, '\n')
		if key != "" && status != http.StatusTooManyRequests {
			h.mu.Lock()
			if _, dup := h.idem[key]; !dup {
				h.idem[key] = stored{path: r.URL.Path, status: status, body: b}
			}
			h.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(b)
	}
}

func (h *stripeHandler) create(r *http.Request) (int, any, bool) {
	if err := r.ParseForm(); err != nil {
		return http.StatusBadRequest, stripeErr("invalid_request_error", "parameter_invalid", "",
			"create payment_intent: bad form body: "+err.Error(), nil), true
	}
	f := r.PostForm
	amount, err := strconv.ParseInt(f.Get("amount"), 10, 64)
	if err != nil || amount <= 0 || amount > int64(payment.MaxAmount) {
		return http.StatusBadRequest, stripeErr("invalid_request_error", "parameter_invalid_integer", "",
			"create payment_intent: amount must be a positive integer, at most "+strconv.FormatInt(int64(payment.MaxAmount), 10), nil), true
	}
	if f.Get("currency") == "" {
		return http.StatusBadRequest, stripeErr("invalid_request_error", "parameter_missing", "",
			"create payment_intent: currency is required", nil), true
	}
	in := &intent{amount: amount, currency: strings.ToLower(f.Get("currency")),
		metadata: formMap(f, "metadata"), methods: formList(f, "payment_method_types"),
		created: h.opt.Clock().Unix()}
	if len(in.methods) == 0 {
		in.methods = []string{"card"}
	}
	if !h.live.Accepts(in.methods[0]) {
		return http.StatusBadRequest, stripeErr("invalid_request_error", "payment_method_unavailable", "",
			"create payment_intent: "+h.live.Name()+" does not take "+in.methods[0], nil), true
	}
	h.mu.Lock()
	h.seq++
	in.id = fmt.Sprintf("pi_%s_%d", h.live.Name(), h.seq)
	h.intents[in.id] = in
	h.mu.Unlock()
	if f.Get("confirm") == "true" {
		return h.confirmIntent(r, in.id)
	}
	return http.StatusOK, h.render(in, h.base(r)), true
}

func (h *stripeHandler) confirm(r *http.Request) (int, any, bool) {
	return h.confirmIntent(r, r.PathValue("id"))
}

// confirmIntent is the model's create call for intent id.
func (h *stripeHandler) confirmIntent(r *http.Request, id string) (int, any, bool) {
	base := h.base(r)
	h.mu.Lock()
	in := h.intents[id]
	if in == nil {
		h.mu.Unlock()
		return http.StatusNotFound, stripeErr("invalid_request_error", "resource_missing", "",
			"No such payment_intent: '"+id+"'", nil), true
	}
	if pi := h.renderLocked(in, base); pi.Status != "requires_confirmation" && pi.Status != "requires_payment_method" {
		h.mu.Unlock()
		return http.StatusBadRequest, stripeErr("invalid_request_error", "payment_intent_unexpected_state", "",
			"This PaymentIntent's status is "+pi.Status+" and cannot be confirmed", pi), true
	}
	in.confirming = true
	h.mu.Unlock()

	orderID := in.metadata["order_id"]
	if orderID == "" {
		orderID = in.id
	}
	lp, _ := h.live.Create(CreateRequest{OrderID: orderID, Amount: payment.Money(in.amount),
		Currency: strings.ToUpper(in.currency), Method: in.methods[0],
		Category: in.metadata["category"], Region: in.metadata["region"]})
	h.mu.Lock()
	in.confirming = false
	if lp.Call.Processed {
		in.live = lp.ID
		h.byLive[lp.ID] = in.id
	}
	h.mu.Unlock()
	if !h.wait(r, lp.Call.Latency) {
		return 0, nil, false
	}
	pi := h.render(in, base)
	switch c := lp.Call; c.Status {
	case payment.Accepted:
		return http.StatusOK, pi, true
	case payment.Declined:
		return http.StatusPaymentRequired, stripeErr("card_error", "card_declined", c.Code,
			"Your card was declined.", pi), true
	case payment.Limited:
		return http.StatusTooManyRequests, stripeErr("rate_limit_error", "rate_limit", "",
			"Too many requests hit the API too quickly.", nil), true
	default:
		return http.StatusInternalServerError, stripeErr("api_error", "", "",
			"An error occurred with our connection to the provider ("+c.Code+").", nil), true
	}
}

func (h *stripeHandler) render(in *intent, base string) *StripeIntent {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.renderLocked(in, base)
}

// renderLocked is the intent's current state, from its latest attempt.
func (h *stripeHandler) renderLocked(in *intent, base string) *StripeIntent {
	pi := &StripeIntent{ID: in.id, Object: "payment_intent", Amount: in.amount, Currency: in.currency,
		ClientSecret: in.id + "_secret_paydrill", Created: in.created, Metadata: in.metadata,
		PaymentMethodTypes: in.methods, Status: "requires_confirmation"}
	if pi.Metadata == nil {
		pi.Metadata = map[string]string{}
	}
	if in.confirming {
		pi.Status = "processing"
		return pi
	}
	if in.live == "" {
		return pi
	}
	lp, _ := h.live.Get(in.live)
	switch lp.Pay.State {
	case payment.Open:
		pi.Status = "requires_action"
		pi.NextAction = &StripeNextAction{Type: "redirect_to_url"}
		pi.NextAction.RedirectToURL.URL = payURL(base, lp.ID)
	case payment.Captured:
		pi.Status, pi.AmountReceived = "succeeded", in.amount
	default:
		if lp.Call.Status == payment.Declined {
			pi.Status = "requires_payment_method"
			pi.LastPaymentError = &StripeError{Type: "card_error", Code: "card_declined",
				DeclineCode: lp.Call.Code, Message: "Your card was declined."}
		} else {
			pi.Status, pi.CancellationReason = "canceled", "abandoned"
		}
	}
	return pi
}

// paid sends payment_intent.succeeded for the intent of a captured payment.
func (h *stripeHandler) paid(lp LivePayment, n Notice) {
	h.mu.Lock()
	in := h.intents[h.byLive[lp.ID]]
	h.events++
	evID := fmt.Sprintf("evt_%s_%d", h.live.Name(), h.events)
	h.mu.Unlock()
	if in == nil || h.opt.WebhookURL == "" {
		return
	}
	ev := StripeEvent{ID: evID, Object: "event", APIVersion: StripeAPIVersion, Created: h.opt.Clock().Unix(),
		PendingWebhooks: 1, Type: "payment_intent.succeeded"}
	ev.Data.Object = h.render(in, h.opt.BaseURL)
	body, err := json.Marshal(ev)
	if err != nil {
		return
	}
	for i := range min(n.Count, len(n.Delay)) {
		h.post(h.opt.WebhookURL, HeaderStripeSig, body, n.Delay[i])
	}
}

// formMap collects name[key]=value fields (metadata[order_id]=...).
func formMap(f map[string][]string, name string) map[string]string {
	m := map[string]string{}
	for k, v := range f {
		if key, ok := strings.CutPrefix(k, name+"["); ok && strings.HasSuffix(key, "]") && len(v) > 0 {
			m[strings.TrimSuffix(key, "]")] = v[0]
		}
	}
	return m
}

// formList collects name[]=v and name[i]=v fields in index order.
func formList(f map[string][]string, name string) []string {
	out := slices.Clone(f[name+"[]"])
	var idx []int
	for k := range f {
		if i, ok := strings.CutPrefix(k, name+"["); ok {
			if n, err := strconv.Atoi(strings.TrimSuffix(i, "]")); err == nil {
				idx = append(idx, n)
			}
		}
	}
	slices.Sort(idx)
	for _, i := range idx {
		out = append(out, f[name+"["+strconv.Itoa(i)+"]"]...)
	}
	return out
}
