//go:build unix

package wall

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// RaiseFileLimit raises the open-file soft limit to the hard limit (Go
// does so at start on most systems; a drill makes sure) and returns the
// soft limit now in force, -1 when it cannot be read.
func RaiseFileLimit() int64 {
	var l unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &l) != nil {
		return -1
	}
	if l.Cur < l.Max {
		raised := l
		raised.Cur = l.Max
		if unix.Setrlimit(unix.RLIMIT_NOFILE, &raised) == nil {
			l = raised
		}
	}
	if l.Cur > 1<<40 {
		return 1 << 40 // unlimited
	}
	return int64(l.Cur)
}

// openFiles counts the process's open descriptors, -1 where /proc (or
// /dev/fd) cannot tell.
func openFiles() int64 {
	for _, dir := range []string{"/proc/self/fd", "/dev/fd"} {
		f, err := os.Open(dir)
		if err != nil {
			continue
		}
		names, err := f.Readdirnames(-1)
		f.Close()
		if err == nil {
			return int64(len(names)) - 1 // less the directory being read
		}
	}
	return -1
}

// ownResourceError reports whether err is this machine running out of
// descriptors, ports or buffers: the drill's trouble, not the router's.
func ownResourceError(err error) bool {
	for _, e := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.EADDRNOTAVAIL, syscall.ENOBUFS, syscall.ENOMEM} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
