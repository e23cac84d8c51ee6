package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/paydrill/paydrill/internal/sut"
)

// signalEcho is how long after the first interrupt another one counts as
// the same: `timeout -s INT`, or a terminal's Ctrl-C with the process in a
// group, delivers one signal to the process and one to its group, and
// reading the pair as "Ctrl-C twice" left a container drill's containers
// and network behind.
const signalEcho = time.Second

// startedContainers is set once a run has started containers: a second
// Ctrl-C then removes them before paydrill exits.
var startedContainers atomic.Bool

// interrupts turns the signals read from sigs into cancel: the first
// cancels (the run stops, cleans up and writes what it measured); those
// within signalEcho of it are its echo; a later one is a second Ctrl-C,
// and onSecond runs (it removes what the run started and exits). It
// returns when sigs is closed or ctx is done after onSecond returned.
func interrupts(sigs <-chan os.Signal, cancel func(), now func() time.Time, onSecond func()) {
	var first time.Time
	for range sigs {
		t := now()
		switch {
		case first.IsZero():
			first = t
			cancel()
		case t.Sub(first) < signalEcho:
			// the echo of the first
		default:
			onSecond()
			return
		}
	}
}

// secondInterrupt is what a second Ctrl-C does: it removes the containers
// and networks this run started (and those of killed runs), within a
// short deadline, or prints the commands that do, then exits.
func secondInterrupt(stderr io.Writer, exit func(int)) {
	if startedContainers.Load() {
		fmt.Fprintln(stderr, "paydrill: second interrupt: removing this run's containers and network, then exiting (once more to exit at once)")
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := sut.RemoveLeftovers(ctx)
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "paydrill: %v\npaydrill: to remove them by hand:\n  %s\n", err, removeCommand)
		}
	} else {
		fmt.Fprintln(stderr, "paydrill: second interrupt: exiting")
	}
	exit(exitAborted)
}

// removeCommand removes by hand every container and network paydrill
// labelled, running or not.
const removeCommand = "docker rm -f $(docker ps -aq --filter label=" + sut.Label + ") ; docker network rm $(docker network ls -q --filter label=" + sut.Label + ")"
