package replay

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Row is what one row of a file says, as far as the mapping reads it.
// Text fields are interned: they do not hold on to the file's lines.
type Row struct {
	At       int64 // unix nanoseconds
	Amount   payment.Money
	Currency string
	Product  int32
	Category string
	Buyer    int32
	Method   string
	Region   string
	// Intent is a hash of the intent id, 0 when the mapping has none.
	Intent   uint64
	Provider string
	Outcome  string
	Code     string
	// Latency of the create call, when HasLatency.
	Latency    time.Duration
	HasLatency bool
	// Completed: when the payment completed (unix nanoseconds), when HasCompleted.
	Completed    int64
	HasCompleted bool
}
