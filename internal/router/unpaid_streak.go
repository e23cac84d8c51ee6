package router

import (
	"sort"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// unpaidStreak is the scheduled checker common on card-shop payment
// platforms: once a minute it looks at each channel's orders of the last
// S seconds and disables the channel for good when its latest M orders
// are all unpaid. An order counts as unpaid when its create failed (any
// decline or error) or, once it is older than a grace period G, when its
// pay page was not paid. Defaults M = 10, S = 600 s, G = 180 s. Nothing
// re-enables a channel: an operator must. Its checkout follows health's
// rules (checkout.go).
type unpaidStreak struct {
	provs    []Provider
	order    []int
	recent   [][]entry // per provider, in time order, trimmed to S
	disabled []bool
	nextRun  time.Duration
	rules    Rules
}

// Unpaid-streak defaults.
const (
	streakM     = 10
	streakS     = 600 * time.Second
	streakGrace = 180 * time.Second
	checkEvery  = time.Minute
)

type entry struct {
	at      time.Duration // when the router saw the answer
	decided bool          // its outcome is known
	paid    bool
}

func newUnpaidStreak(provs []Provider, order []int, rules Rules) *unpaidStreak {
	return &unpaidStreak{provs: provs, order: order, recent: make([][]entry, len(provs)),
		disabled: make([]bool, len(provs)), rules: rules}
}

func (u *unpaidStreak) Rules() Rules { return u.rules }

func (u *unpaidStreak) Pick(now time.Duration, o *payment.Order, tried uint64) int {
	if now >= u.nextRun {
		u.check(now)
		u.nextRun = (now/checkEvery + 1) * checkEvery
	}
	for _, i := range u.order {
		if tried&(1<<uint(i)) == 0 && !u.disabled[i] && u.provs[i].Accepts(o.Method) {
			return i
		}
	}
	return -1 // every channel that takes the method is disabled
}

// check is the scheduled job.
func (u *unpaidStreak) check(now time.Duration) {
	for i := range u.recent {
		u.trim(now, i)
		if u.disabled[i] {
			continue
		}
		unpaid := 0
		for k := len(u.recent[i]) - 1; k >= 0 && unpaid < streakM; k-- {
			e := u.recent[i][k]
			if !e.decided && now-e.at < streakGrace {
				continue // still within its grace
			}
			if e.paid {
				break
			}
			unpaid++
		}
		if unpaid >= streakM {
			u.disabled[i] = true
		}
	}
}

func (u *unpaidStreak) trim(now time.Duration, i int) {
	r := u.recent[i]
	k := sort.Search(len(r), func(k int) bool { return now-r[k].at <= streakS })
	u.recent[i] = append(r[:0], r[k:]...)
}

func (u *unpaidStreak) Observe(now time.Duration, ob Observation) {
	i := ob.Provider
	switch ob.Kind {
	case Answered:
		switch {
		case ob.Status != payment.Accepted:
			u.recent[i] = append(u.recent[i], entry{at: now, decided: true})
		case !ob.Async:
			u.recent[i] = append(u.recent[i], entry{at: now, decided: true, paid: true})
		default:
			u.recent[i] = append(u.recent[i], entry{at: now})
		}
		if len(u.recent[i]) > 4096 {
			u.trim(now, i)
		}
	case Paid:
		if !ob.Async {
			return
		}
		at := now - ob.Age
		r := u.recent[i]
		k := sort.Search(len(r), func(k int) bool { return r[k].at >= at })
		for ; k < len(r) && r[k].at == at; k++ {
			if !r[k].paid {
				r[k].decided, r[k].paid = true, true
				break
			}
		}
	case Unpaid:
		// The expiry comes after the grace: the entry already counts as unpaid.
	}
}
