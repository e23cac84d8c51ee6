package sut

import (
	"fmt"
	"strings"
)

// portTries is how many times a container start is tried when the host
// port Docker picked for it is taken.
const portTries = 4

// portClash reports whether err is Docker failing to publish a port
// because the host port it picked is in use. The engine picks the port
// from the kernel's ephemeral range, where an outgoing connection (or
// one in TIME-WAIT) may hold it: about 2 starts in 25 on a machine with
// 28k TIME-WAIT sockets (issue 13).
func portClash(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "address already in use") || strings.Contains(msg, "port is already allocated")
}

// retryPortClash calls start until it succeeds, fails otherwise than by
// a port clash, or has clashed portTries times. Each try publishes on a
// fresh port: the host port is left to the engine, which picks again.
func retryPortClash[T any](start func() (T, error)) (T, error) {
	var (
		v   T
		err error
	)
	for try := 1; try <= portTries; try++ {
		if v, err = start(); !portClash(err) {
			return v, err
		}
	}
	return v, fmt.Errorf("the published port clashed %d times: %w", portTries, err)
}
