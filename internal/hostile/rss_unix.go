//go:build unix

package hostile

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS is the process's peak resident set in bytes (getrusage's
// ru_maxrss: KiB on Linux, bytes on macOS).
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return -1
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) << 10
}

// selfPeakRSS is the campaign's own peak resident set in bytes: a child
// started by vfork and exec (as os/exec does on Linux) reports at least
// its parent's peak.
func selfPeakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) << 10
}
