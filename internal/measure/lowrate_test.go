package measure

import (
	"testing"
	"time"
)

// orderLog builds a one-fault series from individual orders, as the
// recorder does: each order's first attempt at its time, to the target or
// not, paid or not (a hit when it went to the target during the fault).
type orderLog struct {
	bucket     time.Duration
	start, end time.Duration
	runEnd     time.Duration
	orders     []logged
}

type logged struct {
	at       time.Duration
	toTarget bool
	paid     bool
}

func (x orderLog) series() *Series {
	n := int(x.runEnd/x.bucket) + 1
	f := FaultSeries{Name: "freeze", Providers: []string{"a"}, Start: x.start, End: x.end}
	for _, v := range []*[]int64{&f.Created, &f.Paid, &f.Failed, &f.CreatedAmount, &f.FailedAmount,
		&f.First, &f.FirstToTarget, &f.Attempts, &f.Hits} {
		*v = make([]int64, n)
	}
	s := &Series{Bucket: x.bucket, Providers: []string{"a", "b"}, Orders: make([]OrderBucket, n)}
	for _, o := range x.orders {
		b := int(o.at / x.bucket)
		f.Created[b]++
		f.CreatedAmount[b] += 100
		f.First[b]++
		f.Attempts[b]++
		if o.toTarget {
			f.FirstToTarget[b]++
			if o.at >= x.start && o.at < x.end {
				f.Hits[b]++
			}
		}
		if o.paid {
			f.Paid[b]++
		} else {
			f.Failed[b]++
			f.FailedAmount[b] += 100
		}
		f.NoteFirst(b, n, o.at, o.toTarget)
		s.Orders[b].Created++
	}
	s.Faults = []FaultSeries{f}
	return s
}

// everyMinute is one order a minute at second 17 of each minute, to the
// target until moveAt, elsewhere after; orders at the target during the
// fault are not paid.
func everyMinute(minutes int, start, end, moveAt time.Duration) orderLog {
	x := orderLog{bucket: 10 * time.Second, start: start, end: end, runEnd: time.Duration(minutes) * time.Minute}
	for i := range minutes {
		at := time.Duration(i)*time.Minute + 17*time.Second
		to := at < moveAt || at >= end
		x.orders = append(x.orders, logged{at: at, toTarget: to, paid: !to || at < start || at >= end})
	}
	return x
}

// At one order a minute, the move is placed between the last order sent to
// the frozen provider and the first sent elsewhere, not at a window's end:
// no hidden 10-sample floor (finding 2 of the small-shop issue).
func TestLowRateSpanBetweenTwoOrders(t *testing.T) {
	const m = time.Minute
	x := everyMinute(90, 30*m, 70*m, 38*m+40*time.Second)
	got := Analyze(x.series(), 0, DefaultParams(), 90*m)
	d, fo := got.DetectSpan, got.FailoverSpan
	if d == nil || fo == nil {
		t.Fatalf("Analyze = %+v, want detect and fail over", got)
	}
	// Last order to the target at 38m17s, first elsewhere at 39m17s.
	wantLo, wantHi := 8*m+17*time.Second, 9*m+17*time.Second
	if d.Low != wantLo || d.High != wantHi {
		t.Errorf("DetectSpan = [%v, %v], want [%v, %v]", d.Low, d.High, wantLo, wantHi)
	}
	// Confirmed when a window of ten first attempts holds fewer than half
	// to the target: six orders past the move, at 14m17s, ends its bucket.
	if d.Confirmed != 14*m+20*time.Second {
		t.Errorf("Confirmed = %v, want 14m20s (the sixth order sent elsewhere, at its bucket's end)", d.Confirmed)
	}
	if fo.Low != wantLo || fo.High != wantHi {
		t.Errorf("FailoverSpan = [%v, %v], want the detect span [%v, %v]", fo.Low, fo.High, wantLo, wantHi)
	}
	if d.Orders != 10 {
		t.Errorf("Orders = %d, want the 10 first attempts from the fault's start to the first moved one", d.Orders)
	}
}

// A baseline of ten paid orders has conversion 1; judged as exact, no
// window with one unpaid order could pass, and fail over would be
// impossible (finding 1). Its 95% lower bound leaves room.
func TestPerfectSmallBaselineKeepsFailoverPossible(t *testing.T) {
	const m = time.Minute
	x := everyMinute(60, 10*m, 50*m, 14*m)
	// One unpaid order after the move, as happens at any shop.
	for i := range x.orders {
		if x.orders[i].at > 20*m {
			x.orders[i].paid = false
			break
		}
	}
	got := Analyze(x.series(), 0, DefaultParams(), 60*m)
	if got.BaselineConversion != 1 || got.BaselineOrders != 10 {
		t.Fatalf("baseline %v over %d orders, want 1 over 10", got.BaselineConversion, got.BaselineOrders)
	}
	if got.BaselineConversionLow >= 0.75 || got.BaselineConversionLow < 0.65 {
		t.Errorf("BaselineConversionLow = %v, want the Wilson bound of 10/10 (0.72)", got.BaselineConversionLow)
	}
	if got.Failover == nil || *got.Failover > 5*m {
		t.Errorf("Failover = %v, want about 4m: one unpaid order must not make fail over impossible", got.Failover)
	}
}

// A baseline that happened to send nothing to the target is no proof that
// there was nothing to move while the fault sees traffic go there
// (finding 3): no "0s".
func TestEmptyBaselineShareIsNotNothingToMove(t *testing.T) {
	const m = time.Minute
	x := everyMinute(60, 20*m, 50*m, 31*m)
	for i := range x.orders {
		if x.orders[i].at >= 10*m && x.orders[i].at < 20*m {
			x.orders[i].toTarget = false // the baseline window went elsewhere by chance
		}
	}
	got := Analyze(x.series(), 0, DefaultParams(), 60*m)
	if got.BaselineShare != 0 {
		t.Fatalf("BaselineShare = %v, want 0", got.BaselineShare)
	}
	if got.Detect == nil || *got.Detect < 10*m || *got.Detect > 11*m+30*time.Second {
		t.Errorf("Detect = %v, want the move at about 10m40s, not 0s", got.Detect)
	}
	// A target the router never used before the fault has nothing to move.
	for i := range x.orders {
		if x.orders[i].at < 20*m {
			x.orders[i].toTarget = false
		}
	}
	got = Analyze(x.series(), 0, DefaultParams(), 60*m)
	if got.Detect == nil || *got.Detect != 0 {
		t.Errorf("Detect = %v, want 0s: nothing went to the target before the fault", got.Detect)
	}
}

// TestMoveAtTheFloorsFirstInstant: the router sends ten orders elsewhere
// at the very moment the fault starts, on a bucket's edge, and nothing
// to the target from then on. The move is at the fault's start, by the
// first of them: not at the end of the window that showed it.
func TestMoveAtTheFloorsFirstInstant(t *testing.T) {
	const m = time.Minute
	x := orderLog{bucket: 10 * time.Second, start: 30 * m, end: 40 * m, runEnd: 60 * m}
	for at := 17 * time.Second; at < 30*m; at += m {
		x.orders = append(x.orders, logged{at: at, toTarget: true, paid: true})
	}
	for range 10 {
		x.orders = append(x.orders, logged{at: 30 * m, paid: true})
	}
	for at := 30*m + 5*m + 17*time.Second; at < 60*m; at += m {
		x.orders = append(x.orders, logged{at: at, toTarget: at >= 40*m, paid: true})
	}
	got := Analyze(x.series(), 0, DefaultParams(), 60*m)
	if d := got.DetectSpan; d == nil || d.Low != 0 || d.High != 0 || d.Orders != 10 {
		t.Errorf("DetectSpan = %+v, want [0s, 0s] on the 10 orders at the fault's start", d)
	}
}
