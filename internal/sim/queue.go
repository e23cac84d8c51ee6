package sim

import (
	"math/bits"
	"time"
)

// event is one thing due at a moment of simulated time. Events are small
// values (16 bytes, no pointers) so the queue costs the garbage collector
// nothing and moves little memory: the time, a 32-bit sequence number
// for ties (compared modulo 2^32, so it may wrap: only the order of events
// in the queue together matters, and they are far fewer than 2^31), and
// the kind and attempt slot packed into one word.
type event struct {
	at  time.Duration
	seq uint32
	kr  uint32 // kind<<refBits | ref
}

// refBits is the width of an event's attempt slot: 2^29 attempts in
// flight at once, far beyond what memory holds.
const refBits = 29

func (e *event) kind() kind  { return kind(e.kr >> refBits) }
func (e *event) ref() uint32 { return e.kr & (1<<refBits - 1) }

func mkEvent(at time.Duration, seq uint32, k kind, ref uint32) event {
	if ref >= 1<<refBits {
		panic("sim: attempt slot beyond the event's 29 bits")
	}
	return event{at: at, seq: seq, kr: uint32(k)<<refBits | ref}
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
	evProbe               // a probe's pay page reaches its deadline
)

func (a *event) before(b *event) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return int32(a.seq-b.seq) < 0
}

// queue orders events by (time, sequence): ties in time run in the order
// they were scheduled, so a run is a pure function of its seed.
//
// Events scheduled a fixed delay after "now" (pay-page expiry,
// reconciliation checks, arrivals) arrive in time order, so they wait in
// FIFO lanes: O(1) each. The rest (answers, queries, payments,
// notifications: short and varied delays) sit in a radix heap, which
// relies on what an event loop guarantees: nothing is scheduled before
// the last event popped. It files an event under the highest bit in which
// its time differs from that last time and moves an event only towards
// bucket 0 as time advances, a few times over its life, by appending: no
// comparisons on the way in, and a pop scans one small bucket. Measured
// against the 4-ary heap it replaced, see BENCHMARKS.md.
type queue struct {
	rh    radix
	lanes []lane
	// heads[l] is lane l's earliest event, at = never when the lane is
	// empty: the lanes' minimum is a scan of one small array.
	heads []event
	seq   uint32
	// lane minimum, cached: valid until a lane's head changes.
	laneBest  int // -1: no lane holds an event
	laneClean bool
	// from is the lane the last pop took its event from (-1: the heap).
	from int
	// inLanes counts the events waiting in lanes (len is asked once an
	// event: a count, not a walk over the lanes).
	inLanes int
}

// lane is a FIFO of events pushed in non-decreasing time.
type lane struct {
	ev   []event
	head int
}

func (q *queue) len() int { return q.rh.n + q.inLanes }

// pushLane schedules an event in FIFO lane l; an event earlier than the
// lane's tail goes to the heap instead, so order is always kept.
func (q *queue) pushLane(l int, at time.Duration, k kind, ref uint32) {
	for len(q.lanes) <= l {
		q.lanes = append(q.lanes, lane{})
		q.heads = append(q.heads, event{at: never})
	}
	ln := &q.lanes[l]
	if n := len(ln.ev); (n > ln.head && ln.ev[n-1].at > at) || at >= never {
		q.push(at, k, ref)
		return
	}
	if ln.head > 4096 && ln.head*2 > len(ln.ev) {
		ln.ev = append(ln.ev[:0], ln.ev[ln.head:]...)
		ln.head = 0
	}
	q.seq++
	ev := mkEvent(at, q.seq, k, ref)
	ln.ev = append(ln.ev, ev)
	q.inLanes++
	if len(ln.ev)-ln.head == 1 {
		// A new head: the cached minimum holds unless it comes first.
		q.heads[l] = ev
		if q.laneClean && (q.laneBest < 0 || ev.before(&q.heads[q.laneBest])) {
			q.laneBest = l
		}
	}
}

// never is the time of an empty lane's head: after every event.
const never = time.Duration(1<<63 - 1)

// bestLane returns the lane whose head is earliest, or -1.
func (q *queue) bestLane() int {
	if q.laneClean {
		return q.laneBest
	}
	best := -1
	if q.inLanes > 0 {
		best = 0
		for i := 1; i < len(q.heads); i++ {
			if q.heads[i].before(&q.heads[best]) {
				best = i
			}
		}
	}
	q.laneBest, q.laneClean = best, true
	return best
}

// pop removes the earliest event; the queue must not be empty.
func (q *queue) pop() event {
	best := q.bestLane()
	if best < 0 || (q.rh.n > 0 && q.rh.peek().before(&q.heads[best])) {
		q.from = -1
		return q.rh.pop()
	}
	q.from = best
	ln := &q.lanes[best]
	e := ln.ev[ln.head]
	ln.head++
	q.inLanes--
	if ln.head == len(ln.ev) {
		ln.ev, ln.head = ln.ev[:0], 0
		q.heads[best] = event{at: never}
	} else {
		q.heads[best] = ln.ev[ln.head]
	}
	q.laneClean = false
	return e
}

// ahead returns the ref of the event i places behind lane l's head.
func (q *queue) ahead(l, i int) (uint32, bool) {
	ln := &q.lanes[l]
	if j := ln.head + i; j < len(ln.ev) {
		return ln.ev[j].ref(), true
	}
	return 0, false
}

func (q *queue) push(at time.Duration, k kind, ref uint32) {
	q.seq++
	q.rh.push(mkEvent(at, q.seq, k, ref))
}

// radix is a monotone priority queue of events (a radix heap). Bucket 0
// holds events at or before last, the time of the last event popped;
// bucket b > 0 those whose time differs from last first in bit b-1.
// Pushing before last is allowed (such an event goes to bucket 0 and
// comes out first, as from any heap) but an event loop never does it.
type radix struct {
	b    [64][]event
	full uint64 // bit b set: bucket b is not empty
	last time.Duration
	n    int
	// min is the earliest event when minOK (a pop clears it).
	min   event
	minOK bool
}

func (r *radix) bucket(at time.Duration) int {
	if at <= r.last {
		return 0
	}
	return bits.Len64(uint64(at ^ r.last))
}

func (r *radix) push(e event) {
	i := r.bucket(e.at)
	r.b[i] = append(r.b[i], e)
	r.full |= 1 << uint(i)
	r.n++
	if r.minOK && e.before(&r.min) {
		r.min = e
	}
}

// peek returns the earliest event; r must not be empty.
func (r *radix) peek() *event {
	if !r.minOK {
		bk := r.b[bits.TrailingZeros64(r.full)]
		m := 0
		for j := 1; j < len(bk); j++ {
			if bk[j].before(&bk[m]) {
				m = j
			}
		}
		r.min, r.minOK = bk[m], true
	}
	return &r.min
}

// pop removes the earliest event; r must not be empty.
func (r *radix) pop() event {
	top := *r.peek()
	if i := bits.TrailingZeros64(r.full); i > 0 {
		// Time moves on to the earliest event: bucket i's events now
		// differ from it in lower bits only (or not at all: bucket 0).
		r.last = top.at
		bk := r.b[i]
		r.b[i] = bk[:0]
		r.full &^= 1 << uint(i)
		for _, e := range bk {
			j := r.bucket(e.at)
			r.b[j] = append(r.b[j], e)
			r.full |= 1 << uint(j)
		}
	}
	b0 := r.b[0]
	for j := range b0 {
		if b0[j].seq == top.seq {
			b0[j] = b0[len(b0)-1]
			b0 = b0[:len(b0)-1]
			break
		}
	}
	r.b[0] = b0
	if len(b0) == 0 {
		r.full &^= 1
	}
	r.n--
	r.minOK = false
	return top
}
