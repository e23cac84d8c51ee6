package mocks

import (
	"math/rand/v2"
	"time"
)

// silent is a silent suspension: creates succeed and a pay page opens,
// but buyers cannot pay.
type silent struct{}

func (silent) create(_ time.Duration, c *Call, _ *rand.Rand) bool {
	c.Silent = true
	return true
}
