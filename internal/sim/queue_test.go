package sim

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestQueueOrdersByTimeThenSequence(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var q queue
	type key struct {
		at  time.Duration
		ref uint32
	}
	var want []key
	for i := range 5000 {
		at := time.Duration(r.IntN(200)) * time.Millisecond
		q.push(at, evPay, uint32(i))
		want = append(want, key{at, uint32(i)})
		if i%7 == 0 { // interleave pops with pushes: each must be the least pending
			e := q.pop()
			m := 0
			for j, k := range want {
				if k.at < want[m].at || (k.at == want[m].at && k.ref < want[m].ref) {
					m = j
				}
			}
			if e.at != want[m].at || e.ref() != want[m].ref {
				t.Fatalf("pop after push %d = (%v, %d), want (%v, %d)", i, e.at, e.ref(), want[m].at, want[m].ref)
			}
			want = append(want[:m], want[m+1:]...)
		}
	}
	sort.SliceStable(want, func(i, j int) bool { return want[i].at < want[j].at })
	for i, w := range want {
		e := q.pop()
		if e.at != w.at || e.ref() != w.ref {
			t.Fatalf("pop %d = (%v, %d), want (%v, %d)", i, e.at, e.ref(), w.at, w.ref)
		}
	}
	if q.len() != 0 {
		t.Fatalf("queue has %d events left", q.len())
	}
}

func TestQueueLanesKeepOrder(t *testing.T) {
	for _, start := range []uint32{0, math.MaxUint32 - 7000} {
		testLanesKeepOrder(t, start)
	}
}

// testLanesKeepOrder starts the sequence numbers at start: from near 2^32
// they wrap halfway, and ties must still come out in scheduling order.
func testLanesKeepOrder(t *testing.T, start uint32) {
	r := rand.New(rand.NewPCG(3, 4))
	var q queue
	q.seq = start
	var want []event
	now := time.Duration(0)
	for i := range 20000 {
		now += time.Duration(r.IntN(5)) * time.Millisecond
		ref := uint32(i)
		switch r.IntN(3) {
		case 0:
			q.push(now+time.Duration(r.IntN(1000))*time.Millisecond, evPay, ref)
		case 1:
			q.pushLane(0, now+time.Second, evCheck, ref)
		default: // a lane fed out of order must still come out in order
			q.pushLane(1, now+time.Duration(r.IntN(3))*time.Second, evExpire, ref)
		}
		want = append(want, mkEvent(q.lastAt(), q.seq, 0, ref))
	}
	sort.Slice(want, func(i, j int) bool { return want[i].before(&want[j]) })
	for i, w := range want {
		e := q.pop()
		if e.at != w.at || e.seq != w.seq {
			t.Fatalf("pop %d = (%v, seq %d), want (%v, seq %d)", i, e.at, e.seq, w.at, w.seq)
		}
	}
	if q.len() != 0 {
		t.Fatalf("queue has %d events left", q.len())
	}
}

// lastAt is the time of the event pushed last (for tests).
func (q *queue) lastAt() time.Duration {
	for _, bk := range q.rh.b {
		for _, e := range bk {
			if e.seq == q.seq {
				return e.at
			}
		}
	}
	for _, ln := range q.lanes {
		for _, e := range ln.ev[ln.head:] {
			if e.seq == q.seq {
				return e.at
			}
		}
	}
	panic("no event has the last sequence number")
}

// A lane that never empties, its head always behind a backlog, keeps its
// memory to the backlog and what it has not yet compacted, not to every
// event it ever held, whether the backlog is shorter or longer than the
// 4096 consumed events a lane waits for before it compacts; len counts
// the events still to come, heap and lanes.
func TestQueueLaneStaysSmallAndCounts(t *testing.T) {
	for _, backlog := range []int{1000, 5000} {
		var q queue
		for i := range backlog {
			q.pushLane(0, time.Duration(i), evCheck, uint32(i))
		}
		q.push(time.Hour, evPay, 0)
		for i := backlog; i < 200_000; i++ {
			q.pushLane(0, time.Duration(i), evCheck, uint32(i))
			q.pop()
			if i%977 == 0 {
				if n := q.len(); n != backlog+1 {
					t.Fatalf("backlog %d: after %d pushes and %d pops len() = %d, want %d", backlog, i+1, i+1-backlog, n, backlog+1)
				}
			}
		}
		if c := cap(q.lanes[0].ev); c > 4*(backlog+4096) {
			t.Errorf("a lane with %d events pending holds room for %d", backlog, c)
		}
	}
}

// An attempt slot must fit the event's 29 bits.
func TestEventRefBits(t *testing.T) {
	if e := mkEvent(time.Second, 7, evNotify, 1<<refBits-1); e.ref() != 1<<refBits-1 || e.kind() != evNotify {
		t.Errorf("mkEvent(slot 2^29-1) = slot %d kind %d, want the slot and evNotify back", e.ref(), e.kind())
	}
	defer func() {
		if recover() == nil {
			t.Error("mkEvent(slot 2^29) did not panic")
		}
	}()
	mkEvent(time.Second, 7, evNotify, 1<<refBits)
}
