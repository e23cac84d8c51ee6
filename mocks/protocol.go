package mocks

// The generic JSON protocol of the HTTP mocks (docs/protocol.md,
// docs/openapi.yaml). Paths are relative to a provider's base URL.
const (
	PathPayments = "/v1/payments"       // POST: create
	PathPayment  = "/v1/payments/{id}"  // GET: status
	PathPayPage  = "/pay/{id}"          // GET: the pay page; POST: the buyer pays
	PathControl  = "/_paydrill/"        // the control API
	HeaderIdem   = "Idempotency-Key"    // on create
	HeaderSig    = "Paydrill-Signature" // on notifications: t=UNIX,v1=HEX(HMAC-SHA256(secret, t + "." + body))
	PathFaultOn  = "/_paydrill/faults/{name}/on"
	PathFaultOff = "/_paydrill/faults/{name}/off"
	PathLedger   = "/_paydrill/ledger"
	PathAttempts = "/_paydrill/attempts" // GET ?since=N
	PathReset    = "/_paydrill/reset"
)

// CreatePayment is the body of POST /v1/payments.
type CreatePayment struct {
	MerchantOrderID string `json:"merchant_order_id"`
	Amount          int64  `json:"amount"` // minor units
	Currency        string `json:"currency"`
	Method          string `json:"method"`
	Category        string `json:"category,omitempty"`
	Region          string `json:"region,omitempty"`
	NotifyURL       string `json:"notify_url,omitempty"`
}

// PaymentView is a payment as the API returns it (create and get).
type PaymentView struct {
	ID              string `json:"id"`
	MerchantOrderID string `json:"merchant_order_id"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
	// Status: pending (async, waiting for the buyer), succeeded (captured),
	// declined, failed (closed without capture: expired, cancelled).
	Status      string `json:"status"`
	DeclineCode string `json:"decline_code,omitempty"`
	PayURL      string `json:"pay_url,omitempty"`
}

// APIError is the body of every 4xx/5xx answer.
type APIError struct {
	Error struct {
		Type        string `json:"type"` // card_error, api_error, rate_limit_error, invalid_request_error
		Code        string `json:"code"`
		DeclineCode string `json:"decline_code,omitempty"`
		Message     string `json:"message"`
	} `json:"error"`
}

// Notification is the body POSTed to a payment's notify_url on capture.
type Notification struct {
	ID              string `json:"id"` // the payment's id
	MerchantOrderID string `json:"merchant_order_id"`
	Status          string `json:"status"` // succeeded
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
}
