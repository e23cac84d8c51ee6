package mocks

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/paydrill/paydrill/internal/payment"
)

// payURL is the absolute URL of a payment's pay page.
func payURL(base, id string) string {
	return base + strings.Replace(PathPayPage, "{id}", id, 1)
}

var payTemplate = template.Must(template.New("pay").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Pay {{.ID}}</title></head>
<body>
<h1>{{.Provider}}</h1>
<p>Order {{.OrderID}}: {{.Amount}} {{.Currency}}</p>
<form method="post"><button type="submit">Pay</button></form>
</body></html>
`))

// payPage serves the buyer's side of async payments: GET shows the page,
// POST pays. paid is called (outside any lock) after a capture, to send
// the protocol's notifications.
func payPage(mux *http.ServeMux, c *core, paid func(LivePayment, Notice)) {
	mux.HandleFunc("GET "+PathPayPage, func(w http.ResponseWriter, r *http.Request) {
		lp, ok := c.live.Get(r.PathValue("id"))
		if !ok || lp.Pay.State == payment.NotFound {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		payTemplate.Execute(w, map[string]string{"ID": lp.ID, "Provider": c.live.Name(),
			"OrderID": lp.OrderID, "Amount": lp.Order.Amount.String(), "Currency": lp.Order.Currency})
	})
	mux.HandleFunc("POST "+PathPayPage, func(w http.ResponseWriter, r *http.Request) {
		captured, n, lp, err := c.live.Pay(r.PathValue("id"))
		if err != nil || lp.Pay.State == payment.NotFound {
			writeJSON(w, http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "",
				"no payment "+r.PathValue("id")))
			return
		}
		if !captured {
			writeJSON(w, http.StatusPaymentRequired, apiError("card_error", "payment_failed", "",
				"the payment cannot be paid"))
			return
		}
		paid(lp, n)
		writeJSON(w, http.StatusOK, view(lp, c.base(r)))
	})
}
