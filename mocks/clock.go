package mocks

import "time"

// wallClock is the system clock. The HTTP mocks serve real routers in real
// time, so they are the one place in the package that reads it; every
// other use takes a clock from its caller (HandlerOptions.Clock,
// ServeOptions.Clock).
func wallClock() time.Time { return time.Now() }
