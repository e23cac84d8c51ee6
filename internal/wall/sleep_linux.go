//go:build linux

package wall

import (
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// timers holds idle timerfds (*timerFD). A dropped one is closed by the
// os.File cleanup.
var timers sync.Pool

// timerFD keeps the descriptor's raw connection: os.File.Fd would put it
// back in blocking mode, out of the poller.
type timerFD struct {
	f  *os.File
	rc syscall.RawConn
}

// preciseSleep waits d on a timerfd read through Go's network poller: the
// kernel fires it at the nanosecond it is set for, and the goroutine is
// parked meanwhile, not its thread. Go's own timers go through epoll's
// millisecond timeout (a timer under 1 ms can wake up to 1 ms late on an
// idle process), and a nanosleep blocks the thread in a system call,
// which has the runtime's monitor hand the processor over and wake
// every 20 µs while the load generator sleeps between requests: a tenth
// of the process's CPU at 3,000 orders/s. Without a timerfd it falls back
// to nanosleep.
//
// Two system calls a wait, both raw (they never block): the timer is set
// inside the poller's read, after the poller cleared the descriptor's
// readiness, so an expiry before the goroutine parks still wakes it, and
// nothing is read before it fires (a read would only say EAGAIN).
func preciseSleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t, _ := timers.Get().(*timerFD)
	if t == nil {
		fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
		if err != nil {
			nanosleep(d)
			return
		}
		t = &timerFD{f: os.NewFile(uintptr(fd), "timerfd")}
		if t.rc, err = t.f.SyscallConn(); err != nil {
			t.f.Close()
			nanosleep(d)
			return
		}
	}
	armed, set := false, false
	var errno syscall.Errno
	var buf [8]byte
	err := t.rc.Read(func(fd uintptr) bool {
		if !armed {
			armed = true
			spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
			_, _, errno = unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
			set = errno == 0
			return !set // not set: give up; set: park until it fires
		}
		_, _, errno = unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
		return errno != unix.EAGAIN // EAGAIN: woken before it fired, park again
	})
	if err != nil || errno != 0 {
		t.f.Close()
		if !set {
			nanosleep(d)
		}
		return
	}
	timers.Put(t)
}

// nanosleep sleeps d in the kernel (the OS thread blocks).
func nanosleep(d time.Duration) {
	ts := unix.NsecToTimespec(int64(d))
	for unix.Nanosleep(&ts, &ts) == unix.EINTR {
	}
}
