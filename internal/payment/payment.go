// Package payment is the shared vocabulary of paydrill: orders, attempts,
// money, decline codes and the classes that drive routing.
package payment

import (
	"fmt"
	"time"
)

// Money is an amount in integer minor units (cents) of Currency.
type Money int64

// MaxAmount is the largest amount of one order (100,000,000.00 in major
// units): with at most 100 million orders a run (docs/limits.md) no total
// can pass what an int64 holds. Every intake refuses more: replay rows,
// scenario prices and fees, the router's and the mocks' HTTP APIs.
const MaxAmount = Money(10_000_000_000)

// String formats minor units as a decimal amount ("12.50").
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}

// Order is one checkout a buyer starts. It is a value: the engine owns
// the order's state machine, the router and providers only read it.
type Order struct {
	ID       uint64
	Created  time.Duration // since run start
	Amount   Money
	Currency string
	Product  int32  // index into the run's catalog
	Category string // product category ("game-keys", ...)
	Method   string // payment method ("card", "alipay", ...)
	Buyer    int32  // index into the run's buyer population
	Region   string // buyer's region (ISO country code)
}

// Status is what a provider answers to a create-payment request.
type Status uint8

const (
	// Accepted: the payment exists. For sync flows it is captured at once;
	// for async flows the buyer now has a pay page.
	Accepted Status = iota
	// Declined: the provider said no, with a Code.
	Declined
	// Failed: a 5xx or transport error; the payment does not exist.
	Failed
	// Limited: 429, rate limit or capacity cap.
	Limited
	// Timeout: no answer before the router's deadline; the payment may exist.
	Timeout
)

var statusNames = [...]string{"accepted", "declined", "error", "rate_limited", "timeout"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", s)
}

// Class is how a router should treat a failed attempt.
type Class uint8

const (
	// ClassNone: not a failure.
	ClassNone Class = iota
	// Issuer: the buyer's bank said no. Never retry elsewhere.
	Issuer
	// ProviderBlock: the merchant or transaction is frozen by the provider's
	// risk control. Fail over.
	ProviderBlock
	// Transient: 5xx, 429. Retry elsewhere.
	Transient
	// Unknown: timeout. Query the payment's status before any retry.
	Unknown
	// Limit: the order is outside the channel's contracted limits (per
	// order minimum or maximum, daily volume cap). Try elsewhere; the
	// channel is not at fault and must not be penalised.
	Limit
	// NumClasses is how many classes there are (the size of per-class tables).
	NumClasses
)

var classNames = [...]string{"none", "issuer", "provider_block", "transient", "unknown", "limit"}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", c)
}

// Decline codes the mock providers answer with.
const (
	CodeInsufficientFunds  = "insufficient_funds"
	CodeDoNotHonor         = "do_not_honor"
	CodeCardDeclined       = "card_declined"
	CodeExpiredCard        = "expired_card"
	CodeFraudSuspected     = "fraudulent"
	CodeMerchantSuspended  = "merchant_suspended"
	CodeTransactionBlocked = "transaction_blocked"
	CodeRiskControl        = "risk_control"
	CodeTryAgain           = "try_again_later"
	CodeProcessingError    = "processing_error"
	// Contracted limits (a provider's limits in the scenario).
	CodeAmountLimit = "amount_limit" // under the per-order minimum or over the maximum
	CodeDailyLimit  = "daily_limit"  // the daily volume cap is reached
)

var codeClasses = map[string]Class{
	CodeInsufficientFunds:  Issuer,
	CodeDoNotHonor:         Issuer,
	CodeCardDeclined:       Issuer,
	CodeExpiredCard:        Issuer,
	CodeFraudSuspected:     Issuer,
	CodeMerchantSuspended:  ProviderBlock,
	CodeTransactionBlocked: ProviderBlock,
	CodeRiskControl:        ProviderBlock,
	CodeTryAgain:           Transient,
	CodeProcessingError:    Transient,
	CodeAmountLimit:        Limit,
	CodeDailyLimit:         Limit,
}

// Codes lists every decline code paydrill knows, for validation and docs.
func Codes() []string {
	return []string{
		CodeInsufficientFunds, CodeDoNotHonor, CodeCardDeclined, CodeExpiredCard,
		CodeFraudSuspected, CodeMerchantSuspended, CodeTransactionBlocked,
		CodeRiskControl, CodeTryAgain, CodeProcessingError, CodeAmountLimit, CodeDailyLimit,
	}
}

// KnownCode reports whether code is one paydrill can class.
func KnownCode(code string) bool {
	_, ok := codeClasses[code]
	return ok
}

// Classify returns the routing class of an attempt's result.
func Classify(s Status, code string) Class {
	switch s {
	case Accepted:
		return ClassNone
	case Declined:
		if c, ok := codeClasses[code]; ok {
			return c
		}
		return Issuer
	case Failed, Limited:
		return Transient
	case Timeout:
		return Unknown
	}
	return Unknown
}

// Outcome is how an order ends. Every created order ends in exactly one.
type Outcome uint8

const (
	// Pending: not ended yet.
	Pending Outcome = iota
	// Paid: captured and the goods delivered.
	Paid
	// Failed: the buyer wanted to pay and could not.
	FailedOrder
	// Abandoned: the buyer chose not to pay.
	Abandoned
	// Lost: the run ended and the shop still did not know how the order ended.
	Lost
)

var outcomeNames = [...]string{"pending", "paid", "failed", "abandoned", "lost"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", o)
}

// PaymentState is a provider's view of one payment.
type PaymentState uint8

const (
	// NotFound: the provider has no such payment (it never processed the create).
	NotFound PaymentState = iota
	// Open: created, waiting for the buyer.
	Open
	// Captured: money taken.
	Captured
	// Closed: declined, expired or cancelled without capture.
	Closed
)

var stateNames = [...]string{"not_found", "open", "captured", "closed"}

func (s PaymentState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", s)
}
