// Package crash carries a panic from the goroutine it happened on to the
// one that waits for it, so that the command can recover every panic in
// one place and exit with the internal-error code (70) and a bug-report
// message, instead of Go's default crash (exit 2, the bad-input code).
package crash

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Panic is a recovered panic with the stack of the goroutine it happened on.
type Panic struct {
	Value any
	Stack []byte
}

func (p *Panic) Error() string { return fmt.Sprintf("panic: %v", p.Value) }

// Recovered turns a value from recover() into a *Panic, keeping the
// stack of a *Panic re-raised from another goroutine.
func Recovered(v any) *Panic {
	if p, ok := v.(*Panic); ok {
		return p
	}
	return &Panic{Value: v, Stack: debug.Stack()}
}

// Group is a sync.WaitGroup whose Go catches a panic in f; Wait re-raises
// the first one on the waiting goroutine, as a *Panic.
type Group struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	first *Panic
}

// Go runs f on a new goroutine.
func (g *Group) Go(f func()) {
	g.wg.Go(func() {
		defer func() {
			if v := recover(); v != nil {
				p := Recovered(v)
				g.mu.Lock()
				if g.first == nil {
					g.first = p
				}
				g.mu.Unlock()
			}
		}()
		f()
	})
}

// Wait waits for every goroutine, then panics with the first *Panic
// caught, if any.
func (g *Group) Wait() {
	g.wg.Wait()
	g.mu.Lock()
	p := g.first
	g.mu.Unlock()
	if p != nil {
		panic(p)
	}
}
