//go:build !unix

package wall

import "time"

// preciseSleep falls back to the Go timer where there is no nanosleep.
func preciseSleep(d time.Duration) { time.Sleep(d) }
