package router

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// firstBackup is how many shops configure failover today: a primary and
// one backup per payment method (the first two providers in order that
// take it). Orders go to the primary; after firstBackupAfter failures in
// a row there (provider blocks, errors, timeouts) every order goes to the
// backup, for good (an operator switches back). Within an order it
// cascades from the primary to the backup only. The backup takes the
// primary's whole volume at once: the design a velocity review punishes
// (docs/contracted-limits.md).
type firstBackup struct {
	provs    []Provider
	order    []int
	rules    Rules
	run      []int
	disabled []bool
	trace    transitions
}

// firstBackupAfter is the failures in a row that switch to the backup.
const firstBackupAfter = 5

func newFirstBackup(provs []Provider, order []int) *firstBackup {
	return &firstBackup{provs: provs, order: order, rules: priorityRules(min(2, len(provs))),
		run: make([]int, len(provs)), disabled: make([]bool, len(provs))}
}

// Transitions implements Tracer: a primary out, for good.
func (f *firstBackup) Transitions() []Transition { return f.trace.log }

func (f *firstBackup) Rules() Rules { return f.rules }

func (f *firstBackup) Pick(_ time.Duration, o *payment.Order, tried uint64) int {
	var pair [2]int
	n := 0
	for _, i := range f.order {
		if n < 2 && f.provs[i].Accepts(o.Method) {
			pair[n] = i
			n++
		}
	}
	fallback := -1
	for _, i := range pair[:n] {
		if tried&(1<<uint(i)) != 0 {
			continue
		}
		if !f.disabled[i] {
			return i
		}
		if fallback < 0 {
			fallback = i
		}
	}
	return fallback
}

func (f *firstBackup) Observe(now time.Duration, ob Observation) {
	if ob.Kind != Answered || f.disabled[ob.Provider] {
		return
	}
	if !failure(ob.Class) {
		f.run[ob.Provider] = 0
		return
	}
	if f.run[ob.Provider]++; f.run[ob.Provider] >= firstBackupAfter {
		f.disabled[ob.Provider] = true
		f.trace.add(Transition{At: now, Provider: ob.Provider, State: "disabled",
			Reason: "5 failures in a row: its orders to the backup"})
	}
}
