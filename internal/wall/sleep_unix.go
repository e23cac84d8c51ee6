//go:build unix && !linux

package wall

import (
	"time"

	"golang.org/x/sys/unix"
)

// preciseSleep sleeps d in the kernel (the OS thread blocks; the Go
// runtime hands its other goroutines to another thread meanwhile).
func preciseSleep(d time.Duration) {
	if d <= 0 {
		return
	}
	ts := unix.NsecToTimespec(int64(d))
	for unix.Nanosleep(&ts, &ts) == unix.EINTR {
	}
}
