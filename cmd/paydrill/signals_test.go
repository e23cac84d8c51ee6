package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Signals within signalEcho of the first are its echo (timeout -s INT
// sends one to the process and one to its group); a later one is a
// second Ctrl-C.
func TestInterrupts(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		at      []time.Duration // when each signal arrives
		cancels int
		second  bool
	}{
		{"one", []time.Duration{0}, 1, false},
		{"a signal and its echo", []time.Duration{0, 2 * time.Millisecond}, 1, false},
		{"three within the window", []time.Duration{0, 100 * time.Millisecond, 900 * time.Millisecond}, 1, false},
		{"a second Ctrl-C", []time.Duration{0, 3 * time.Second}, 1, true},
		{"echo, then a second Ctrl-C", []time.Duration{0, time.Millisecond, 2 * time.Second}, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := make(chan os.Signal, len(tt.at))
			i := 0
			now := func() time.Time { at := tt.at[i]; i++; return t0.Add(at) }
			for range tt.at {
				sigs <- syscall.SIGINT
			}
			close(sigs)
			cancels, second := 0, false
			interrupts(sigs, func() { cancels++ }, now, func() { second = true })
			if cancels != tt.cancels || second != tt.second {
				t.Errorf("cancels %d, second Ctrl-C %v; want %d, %v", cancels, second, tt.cancels, tt.second)
			}
		})
	}
}

// A second Ctrl-C of a run that started no container exits with the
// interrupted code and touches no Docker engine.
func TestSecondInterruptWithoutContainers(t *testing.T) {
	startedContainers.Store(false)
	var out strings.Builder
	code := -1
	secondInterrupt(&out, func(c int) { code = c })
	if code != exitAborted || out.String() != "paydrill: second interrupt: exiting\n" {
		t.Errorf("exit %d, stderr %q; want %d and one line", code, out.String(), exitAborted)
	}
}
