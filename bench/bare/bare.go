// Package bare is the baseline the mock providers are measured against
// (BENCHMARKS.md, bench/peers.sh): a bare net/http handler shaped like a
// mock's create-payment answer, which reads the body, checks it names an
// amount and answers 201 with a fixed payment.
package bare

import (
	"io"
	"net/http"
	"strings"
)

// Payment is the fixed answer.
const Payment = `{"id":"pay_1","merchant_order_id":"o1","amount":1500,"currency":"USD","status":"succeeded"}`

// CreatePayment serves POST /v1/payments.
func CreatePayment(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !strings.Contains(string(body), "amount") {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, Payment)
}
