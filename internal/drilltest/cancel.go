package drilltest

import (
	"context"
	"sync"
	"sync/atomic"
)

// CancelAfter is a context that reads as cancelled from its n+1st Err call
// on, with Done closed then. The virtual-time engine asks Err once at the
// start and once every 16384 events, so n places an interrupt inside a
// run at the same event on every machine, however busy: an interrupt in
// the middle of a drill, with orders pending, without a timer.
func CancelAfter(n int64) context.Context {
	c := &cancelAfter{Context: context.Background(), done: make(chan struct{})}
	c.left.Store(n)
	return c
}

type cancelAfter struct {
	context.Context
	left atomic.Int64
	once sync.Once
	done chan struct{}
}

func (c *cancelAfter) Err() error {
	if c.left.Add(-1) >= 0 {
		return nil
	}
	c.once.Do(func() { close(c.done) })
	return context.Canceled
}

func (c *cancelAfter) Done() <-chan struct{} { return c.done }
