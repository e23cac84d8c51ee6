//go:build linux

package wall

import (
	"testing"
	"time"
)

// preciseSleep never wakes early, and a timerfd taken back from the pool
// (its last expiry read) waits again: 200 short waits, from 1 µs (it may
// fire before the goroutine parks) to 0.5 ms.
func TestPreciseSleep(t *testing.T) {
	start := time.Now()
	var want time.Duration
	for i := range 200 {
		d := time.Duration(1+i*i%500) * time.Microsecond
		t0 := time.Now()
		preciseSleep(d)
		if got := time.Since(t0); got < d {
			t.Fatalf("wait %d: woke after %v, before %v", i, got, d)
		}
		want += d
	}
	if took := time.Since(start); took > want+10*time.Second {
		t.Errorf("200 waits of %v in all took %v", want, took)
	}
}
