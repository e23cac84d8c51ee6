// Package earlysignal catches SIGINT and SIGTERM from the moment the
// program's packages are initialised, before main runs: a Ctrl-C in the
// first fraction of a second (the Go runtime and every imported package
// starting up, long on a busy machine) is otherwise the default action,
// death by the signal, instead of an interrupted run's exit code.
//
// Go initialises packages in import-path order once their own imports
// are (the spec, "Package initialization"), so this package, importing
// only the standard library, runs before most of paydrill's dependencies.
// Import it from package main, and read C where main handles signals.
package earlysignal

import (
	"os"
	"os/signal"
	"syscall"
)

// C receives SIGINT and SIGTERM from initialisation on; it buffers a
// few, so that signals before main reads it are kept.
var C = make(chan os.Signal, 4)

func init() { signal.Notify(C, os.Interrupt, syscall.SIGTERM) }
