package earlysignal

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// A SIGINT to the process, with nothing but this package's init having
// asked for it, arrives on C instead of ending the process.
func TestCaughtFromInit(t *testing.T) {
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-C:
		if s != os.Interrupt {
			t.Errorf("got %v, want %v", s, os.Interrupt)
		}
	case <-time.After(time.Minute):
		t.Fatal("no signal on C within a minute")
	}
}
