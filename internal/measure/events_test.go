package measure

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestNoteFirst: each bucket keeps its earliest and latest first attempt
// of each kind (plus 1ns), bucket 0 and the last bucket included; a
// bucket outside the series is ignored.
func TestNoteFirst(t *testing.T) {
	var f FaultSeries
	for _, e := range []struct {
		b  int
		at time.Duration
		to bool
	}{
		{0, 5, true}, {0, 3, true}, {0, 7, true}, // earliest and latest of bucket 0, out of order
		{2, 20, false}, {2, 20, false}, {2, 25, false},
		{2, 22, true},
		{3, 31, true},                // the last bucket
		{-1, 1, true}, {4, 41, true}, // outside: ignored
	} {
		f.NoteFirst(e.b, 4, e.at, e.to)
	}
	want := FaultSeries{
		TargetFirstAt: []time.Duration{4, 0, 23, 32}, TargetLastAt: []time.Duration{8, 0, 23, 32},
		AwayFirstAt: []time.Duration{0, 0, 21, 0}, AwayLastAt: []time.Duration{0, 0, 26, 0},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("NoteFirst (-want +got):\n%s", diff)
	}
}

func TestNewSpan(t *testing.T) {
	for _, tc := range []struct {
		lo, hi, ref time.Duration
		want        Span
	}{
		{10, 20, 4, Span{At: 11, Low: 6, High: 16}},
		{2, 20, 4, Span{At: 8, Low: 0, High: 16}},    // lo before ref: 0
		{20, 10, 4, Span{At: 16, Low: 16, High: 16}}, // hi before lo: hi = lo
		{1, 3, 4, Span{}}, // both before ref
	} {
		if got := newSpan(tc.lo, tc.hi, tc.ref); got != tc.want {
			t.Errorf("newSpan(%d, %d, %d) = %+v, want %+v", tc.lo, tc.hi, tc.ref, got, tc.want)
		}
	}
}

// eventCase is a random run of first attempts, at most one of each kind a
// bucket so that the recorded times place every attempt exactly.
type eventCase struct {
	ev     *events
	target []time.Duration // the time of bucket i's attempt to a target, -1 if none
	away   []time.Duration
}

func randomEvents(r *rand.Rand, b time.Duration, n int, stamped bool) eventCase {
	c := eventCase{target: make([]time.Duration, n), away: make([]time.Duration, n)}
	var f FaultSeries
	tc, fc := make([]int64, n), make([]int64, n)
	for i := range n {
		for _, k := range []struct {
			to  bool
			out []time.Duration
		}{{true, c.target}, {false, c.away}} {
			k.out[i] = -1
			if r.IntN(3) == 0 {
				continue
			}
			at := time.Duration(i)*b + time.Duration(r.Int64N(int64(b)))
			k.out[i] = at
			fc[i]++
			if k.to {
				tc[i]++
			}
			if stamped {
				f.NoteFirst(i, n, at, k.to)
			}
		}
	}
	c.ev = &events{b: b, n: n, target: newPrefix(tc, n), first: newPrefix(fc, n),
		tFirst: f.TargetFirstAt, tLast: f.TargetLastAt, aFirst: f.AwayFirstAt, aLast: f.AwayLastAt}
	return c
}

// bruteLast is the latest attempt of the kind before t in buckets >= floor;
// with unstamped buckets, the start of the latest such bucket.
func (c eventCase) bruteLast(t time.Duration, toTarget bool, floor int, stamped bool) (time.Duration, bool) {
	ats := c.away
	if toTarget {
		ats = c.target
	}
	for i := len(ats) - 1; i >= max(floor, 0); i-- {
		at := ats[i]
		if at < 0 {
			continue
		}
		if !stamped {
			at = time.Duration(i) * c.ev.b
		}
		if at < t && t > 0 {
			return at, true
		}
	}
	return 0, false
}

// bruteFirst is the earliest attempt of the kind at or after t in buckets
// below ceil, and its bucket; with unstamped buckets, the end of the
// earliest such bucket.
func (c eventCase) bruteFirst(t time.Duration, toTarget bool, ceil int, stamped bool) (time.Duration, int, bool) {
	ats := c.away
	if toTarget {
		ats = c.target
	}
	for i := 0; i < min(ceil, len(ats)); i++ {
		at := ats[i]
		if at < 0 {
			continue
		}
		if !stamped {
			if time.Duration(i+1)*c.ev.b > t {
				return time.Duration(i+1) * c.ev.b, i, true
			}
			continue
		}
		if at >= t {
			return at, i, true
		}
	}
	return 0, 0, false
}

// TestEventBoundsAgainstBruteForce: with one attempt of a kind a bucket,
// lastBefore and firstFrom are exact, and lastAny and firstAny the nearer
// of the two kinds; without recorded times they fall back to the edges of
// the nearest bucket with an attempt. Every t on and around the bucket
// edges and every floor and ceiling of a 12-bucket run, 200 runs each.
func TestEventBoundsAgainstBruteForce(t *testing.T) {
	const b, n = 10 * time.Second, 12
	r := rand.New(rand.NewPCG(19, 85))
	for run := range 200 {
		stamped := run%2 == 0
		c := randomEvents(r, b, n, stamped)
		var ts []time.Duration
		for i := range n + 1 {
			e := time.Duration(i) * b
			ts = append(ts, e-1, e, e+1, e+b/2)
		}
		for _, at := range c.target {
			ts = append(ts, at, at+1)
		}
		for _, at := range c.away {
			ts = append(ts, at, at+1)
		}
		for _, tm := range ts {
			for lim := -1; lim <= n+1; lim++ {
				for _, to := range []bool{true, false} {
					got, gok := c.ev.lastBefore(tm, to, lim)
					want, wok := c.bruteLast(tm, to, lim, stamped)
					if got != want || gok != wok {
						t.Fatalf("run %d (stamped %v): lastBefore(%v, target %v, floor %d) = %v %v, want %v %v", run, stamped, tm, to, lim, got, gok, want, wok)
					}
					got, gi, gok := c.ev.firstFrom(tm, to, lim)
					want, wi, wok := c.bruteFirst(tm, to, lim, stamped)
					if got != want || gi != wi || gok != wok {
						t.Fatalf("run %d (stamped %v): firstFrom(%v, target %v, ceil %d) = %v in bucket %d %v, want %v in %d %v", run, stamped, tm, to, lim, got, gi, gok, want, wi, wok)
					}
				}
				la, laok := c.ev.lastAny(tm, lim)
				lt, ltok := c.bruteLast(tm, true, lim, stamped)
				lw, lwok := c.bruteLast(tm, false, lim, stamped)
				if laok != (ltok || lwok) || laok && la != nearer(lt, ltok, lw, lwok, later) {
					t.Fatalf("run %d: lastAny(%v, %d) = %v %v, want of %v %v and %v %v", run, tm, lim, la, laok, lt, ltok, lw, lwok)
				}
				fa, fai, faok := c.ev.firstAny(tm, lim)
				ft, fti, ftok := c.bruteFirst(tm, true, lim, stamped)
				fw, fwi, fwok := c.bruteFirst(tm, false, lim, stamped)
				if faok != (ftok || fwok) || faok && fa != nearer(ft, ftok, fw, fwok, earlier) {
					t.Fatalf("run %d: firstAny(%v, %d) = %v %v, want of %v %v and %v %v", run, tm, lim, fa, faok, ft, ftok, fw, fwok)
				}
				// The bucket of the earlier one (of the earlier bucket on a tie).
				wi := fwi
				if ftok && (!fwok || ft < fw || ft == fw && fti < fwi) {
					wi = fti
				}
				if faok && fai != wi {
					t.Fatalf("run %d: firstAny(%v, %d) in bucket %d, want %d (target %v in %d, away %v in %d)", run, tm, lim, fai, wi, ft, fti, fw, fwi)
				}
			}
		}
	}
}

func nearer(a time.Duration, aok bool, b time.Duration, bok bool, pick func(x, y time.Duration) time.Duration) time.Duration {
	switch {
	case aok && bok:
		return pick(a, b)
	case aok:
		return a
	}
	return b
}

func later(x, y time.Duration) time.Duration   { return max(x, y) }
func earlier(x, y time.Duration) time.Duration { return min(x, y) }

// TestEventBoundsInsideABucket: with two attempts in a bucket the recorded
// earliest and latest are exact where t falls on one of them, and a
// counted bucket whose time was not recorded (a zero in the series) falls
// back to its edges.
func TestEventBoundsInsideABucket(t *testing.T) {
	const b = 10 * time.Second
	var f FaultSeries
	f.NoteFirst(1, 3, 12*time.Second, true)
	f.NoteFirst(1, 3, 18*time.Second, true)
	ev := &events{b: b, n: 3, target: newPrefix([]int64{0, 2, 1}, 3), first: newPrefix([]int64{0, 2, 1}, 3),
		tFirst: f.TargetFirstAt, tLast: f.TargetLastAt, aFirst: f.AwayFirstAt, aLast: f.AwayLastAt}
	type bound struct {
		at time.Duration
		in int // firstFrom: the bucket holding the attempt
		ok bool
	}
	pair := func(at time.Duration, ok bool) bound { return bound{at: at, ok: ok} }
	from := func(at time.Duration, in int, ok bool) bound { return bound{at, in, ok} }
	for _, tc := range []struct {
		name      string
		got, want bound
	}{
		{"first from the earliest", from(ev.firstFrom(12*time.Second, true, 3)), bound{12 * time.Second, 1, true}},
		{"first from the latest", from(ev.firstFrom(18*time.Second, true, 3)), bound{18 * time.Second, 1, true}},
		{"first from between: the latest bounds it", from(ev.firstFrom(15*time.Second, true, 3)), bound{18 * time.Second, 1, true}},
		{"first from past both: bucket 2 unrecorded, its end", from(ev.firstFrom(19*time.Second, true, 3)), bound{30 * time.Second, 2, true}},
		{"last before the latest: the earliest bounds it", pair(ev.lastBefore(18*time.Second, true, 0)), bound{at: 12 * time.Second, ok: true}},
		{"last before past both", pair(ev.lastBefore(19*time.Second, true, 0)), bound{at: 18 * time.Second, ok: true}},
		{"last before the earliest: none", pair(ev.lastBefore(12*time.Second, true, 0)), bound{}},
		{"last before inside bucket 2, unrecorded: its start", pair(ev.lastBefore(25*time.Second, true, 0)), bound{at: 20 * time.Second, ok: true}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestChangePoint(t *testing.T) {
	n := newPrefix([]int64{10, 10, 10, 10}, 4)
	for _, tc := range []struct {
		name    string
		x       []int64
		c, sign float64
		want    int
	}{
		{"high then low: where it drops", []int64{9, 9, 1, 1}, 0.5, 1, 2},
		{"high all along: the last boundary", []int64{9, 9, 9, 9}, 0.5, 1, 4},
		{"low all along: the first", []int64{1, 1, 1, 1}, 0.5, 1, 0},
		{"a tie goes to the earliest", []int64{9, 5, 1, 1}, 0.5, 1, 1},
		{"low then high, sign -1", []int64{1, 1, 9, 9}, 0.5, -1, 2},
	} {
		if got := changePoint(newPrefix(tc.x, 4), n, 0, 4, tc.c, tc.sign); got != tc.want {
			t.Errorf("changePoint(%s) = %d, want %d", tc.name, got, tc.want)
		}
	}
}
