package sim

import "time"

// event is one thing due at a moment of simulated time. Events are small
// values (no pointers) so the queue costs the garbage collector nothing.
type event struct {
	at   time.Duration
	seq  uint64
	kind kind
	ref  uint32 // attempt slot, for attempt events
}

type kind uint8

const (
	evArrival kind = iota // the next order arrives
	evAnswer              // a create call's answer (or deadline) reaches the router
	evQuery               // the router queries a payment after a timeout
	evPay                 // the buyer tries to pay an async payment
	evNotify              // a provider notification reaches the router
	evCheck               // the router reconciles an open async payment
	evExpire              // an async pay page expires
)

func (a *event) before(b *event) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// queue orders events by (time, sequence): ties in time run in the order
// they were scheduled, so a run is a pure function of its seed.
//
// Most events sit in a 4-ary min-heap. Events scheduled a fixed delay
// after "now" (pay-page expiry, reconciliation checks) arrive in time
// order, so they wait in FIFO lanes instead: O(1) each, and the heap
// stays small (it holds only the short-lived events).
type queue struct {
	ev    []event
	lanes []lane
	seq   uint64
}

// lane is a FIFO of events pushed in non-decreasing time.
type lane struct {
	ev   []event
	head int
}

func (q *queue) len() int {
	n := len(q.ev)
	for i := range q.lanes {
		n += len(q.lanes[i].ev) - q.lanes[i].head
	}
	return n
}

// pushLane schedules an event in FIFO lane l; an event earlier than the
// lane's tail goes to the heap instead, so order is always kept.
func (q *queue) pushLane(l int, at time.Duration, k kind, ref uint32) {
	for len(q.lanes) <= l {
		q.lanes = append(q.lanes, lane{})
	}
	ln := &q.lanes[l]
	if n := len(ln.ev); n > ln.head && ln.ev[n-1].at > at {
		q.push(at, k, ref)
		return
	}
	if ln.head > 4096 && ln.head*2 > len(ln.ev) {
		ln.ev = append(ln.ev[:0], ln.ev[ln.head:]...)
		ln.head = 0
	}
	q.seq++
	ln.ev = append(ln.ev, event{at: at, seq: q.seq, kind: k, ref: ref})
}

// pop removes the earliest event; the queue must not be empty.
func (q *queue) pop() event {
	best := -1
	var top *event
	if len(q.ev) > 0 {
		top = &q.ev[0]
	}
	for i := range q.lanes {
		ln := &q.lanes[i]
		if ln.head < len(ln.ev) && (top == nil || ln.ev[ln.head].before(top)) {
			best, top = i, &ln.ev[ln.head]
		}
	}
	if best < 0 {
		return q.popHeap()
	}
	ln := &q.lanes[best]
	e := ln.ev[ln.head]
	ln.head++
	if ln.head == len(ln.ev) {
		ln.ev, ln.head = ln.ev[:0], 0
	}
	return e
}

func (q *queue) push(at time.Duration, k kind, ref uint32) {
	q.seq++
	q.ev = append(q.ev, event{at: at, seq: q.seq, kind: k, ref: ref})
	i := len(q.ev) - 1
	e := q.ev[i]
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&q.ev[p]) {
			break
		}
		q.ev[i] = q.ev[p]
		i = p
	}
	q.ev[i] = e
}

func (q *queue) popHeap() event {
	top := q.ev[0]
	n := len(q.ev) - 1
	last := q.ev[n]
	q.ev = q.ev[:n]
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < c+4 && j < n; j++ {
			if q.ev[j].before(&q.ev[m]) {
				m = j
			}
		}
		if !q.ev[m].before(&last) {
			break
		}
		q.ev[i] = q.ev[m]
		i = m
	}
	q.ev[i] = last
	return top
}
