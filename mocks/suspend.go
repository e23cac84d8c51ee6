package mocks

import (
	"math/rand/v2"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// suspend rejects every create with a risk-control code: merchant-level
// (suspend), transaction-level (block, with a filter) or industry-level
// (suspend targeting a tag).
type suspend struct{ code string }

func (s *suspend) create(_ time.Duration, c *Call, _ *rand.Rand) bool {
	c.Status, c.Code, c.Processed = payment.Declined, s.code, true
	return true
}
