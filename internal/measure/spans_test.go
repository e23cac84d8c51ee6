package measure

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAnalyzeSpansAndOpens holds the figures TestAnalyze leaves out: each
// time's span and when it was confirmed, and from when on the traffic
// could no longer show a time not reached (the Open fields). The series
// record no times inside buckets, so spans fall on bucket edges. Worked by
// hand from the rules in span.go and analyze.go. Every bucket holds 100
// first attempts, and High, a bucket's end, stands for an attempt in that
// bucket: Orders is 100 for every minute from the fault's start (end) to
// High, not the bucket after it too.
func TestAnalyzeSpansAndOpens(t *testing.T) {
	const m = time.Minute
	type spans struct {
		Detect, Failover, Recover, Failback    *Span
		DetectOpen, FailoverOpen, FailbackOpen *time.Duration
	}
	sp := func(low, high, confirmed float64) *Span {
		l, h := time.Duration(low*float64(m)), time.Duration(high*float64(m))
		return &Span{At: l + (h-l)/2, Low: l, High: h, Confirmed: time.Duration(confirmed * float64(m)), Orders: int64(100 * high)}
	}
	for _, tc := range []struct {
		name string
		tl   timeline
		want spans
	}{
		{
			name: "clean detection, fail over, fail back",
			tl: timeline{
				start: 10 * m, end: 20 * m,
				first:  healthyFirst,
				target: cat(rep(10, 50), []int64{50, 40, 10, 0, 0, 0, 0, 0, 0, 0}, []int64{0, 0}, rep(8, 50)),
				hits:   cat(rep(10, 0), []int64{50, 40, 20}),
				failed: during(10, 55, 45, 25),
			},
			want: spans{
				// Half the reference is 0.25; the first 2-bucket window
				// under it is [12m,14m) (confirmed at 14m, 4m in); the
				// change point of target - 0.25·first is bucket 12: between
				// the last target attempt before it (bucket 11's start) and
				// the first elsewhere after that (bucket 11's end).
				Detect: sp(1, 2, 4),
				// Settles at bucket 12 ([12m,15m) passes with room for
				// chance): between bucket 11's start and 12's end, but not
				// before detection, so detection's span; confirmed when
				// the window [12m,15m) filled.
				Failover: sp(1, 2, 5),
				// Conversion settles at bucket 11: [10m, 12m], confirmed at 14m.
				Recover: sp(0, 2, 4),
				// Back over [21m,23m) (0.25 >= 0.25), change point bucket
				// 22: its start and end; confirmed at 23m.
				Failback: sp(2, 3, 3),
				// The last 3-bucket hold window inside the fault starts at 17m.
				FailoverOpen: ptr(7 * m),
			},
		},
		{
			name: "static router: never detected, never fails over",
			tl: timeline{
				start: 10 * m, end: 20 * m,
				first: healthyFirst, target: rep(30, 50),
				hits:   during(0, rep(10, 50)...),
				failed: during(10, rep(10, 55)...),
			},
			want: spans{
				// Share 0.5 from the fault's end: bucket 20, [20m, 21m],
				// confirmed at the end of the 2-bucket window.
				Failback: sp(0, 1, 2),
				// The last window that can fill starts at 19m (clipped at
				// the fault's end), the last hold window at 17m.
				DetectOpen: ptr(9 * m), FailoverOpen: ptr(7 * m),
			},
		},
		{
			name: "a dip shorter than the hold relapses",
			tl: timeline{
				start: 10 * m, end: 20 * m,
				first:  healthyFirst,
				target: during(50, 50, 40, 20, 0, 0, 30, 0, 0, 0, 0),
				hits:   during(0, 50, 40, 20, 0, 0, 30, 0, 0, 0, 0),
				failed: during(10, 55, 45, 25, 10, 10, 25, 10, 10, 10, 10),
			},
			want: spans{
				Detect: sp(1, 2, 4),
				// The relapse at 15m: settles at bucket 16, between 15m
				// and 17m, confirmed when [16m,19m) filled.
				Failover: sp(5, 7, 9),
				Recover:  sp(0, 2, 4),
				Failback: sp(0, 1, 2),
				// The last hold window inside the fault starts at 17m.
				FailoverOpen: ptr(7 * m),
			},
		},
		{
			name: "fails over in the last hold window of the fault",
			tl: timeline{
				start: 10 * m, end: 20 * m,
				first:  healthyFirst,
				target: during(50, 50, 50, 50, 50, 50, 50, 50, 0, 0, 0),
				hits:   during(0, 50, 50, 50, 50, 50, 50, 50, 0, 0, 0),
				failed: during(10, rep(7, 55)...),
			},
			want: spans{
				// The change point of the share is bucket 17; [17m,19m)
				// is the first window under half (confirmed at 19m).
				Detect: sp(6, 7, 9),
				// [17m,20m) is the only window that passes: it fits the
				// fault exactly. Settles at bucket 17 (between 16m and
				// 18m), not before detection's end: detection's span.
				Failover: sp(6, 7, 10),
				// Conversion settles a bucket earlier: [16m,19m) pays 225
				// of 300, within chance of the floor, and the rest 315 of
				// 400 (0.79) is over it; [15m,18m) pays 180 (0.6).
				Recover:  sp(5, 7, 9),
				Failback: sp(0, 1, 2),
				// The last hold window inside the fault starts at 17m.
				FailoverOpen: ptr(7 * m),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Analyze(tc.tl.series(t), 0, testParams, 0)
			got := spans{r.DetectSpan, r.FailoverSpan, r.RecoverSpan, r.FailbackSpan, r.DetectOpen, r.FailoverOpen, r.FailbackOpen}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("spans and opens (-want +got):\n%s", diff)
			}
			if r.BaselineOrders != 500 {
				t.Errorf("BaselineOrders = %d, want 500 (five 100-order buckets)", r.BaselineOrders)
			}
		})
	}
}

// TestAnalyzeEdges: faults at the edges of buckets and of the run.
func TestAnalyzeEdges(t *testing.T) {
	const m = time.Minute
	base := timeline{first: rep(30, 100), target: cat(rep(10, 50), rep(20, 20)), hits: cat(rep(10, 0), rep(20, 7))}
	with := func(start, end time.Duration) timeline {
		tl := base
		tl.start, tl.end = start, end
		return tl
	}
	t.Run("a fault inside one bucket is read over that bucket", func(t *testing.T) {
		r := Analyze(with(10*m, 10*m+30*time.Second).series(t), 0, testParams, 0)
		if r.ShareDuring != 0.2 || r.Hits != 7 || r.Attempts != 100 {
			t.Errorf("ShareDuring %v, hits %d of %d; want 0.2, 7 of 100 (bucket 10)", r.ShareDuring, r.Hits, r.Attempts)
		}
	})
	t.Run("a fault of no length is read over its bucket", func(t *testing.T) {
		r := Analyze(with(10*m, 10*m).series(t), 0, testParams, 0)
		if r.ShareDuring != 0.2 || r.Hits != 7 || r.Attempts != 100 {
			t.Errorf("ShareDuring %v, hits %d of %d; want 0.2, 7 of 100 (bucket 10)", r.ShareDuring, r.Hits, r.Attempts)
		}
	})
	t.Run("only the whole fault fills a hold window", func(t *testing.T) {
		tl := with(10*m, 13*m) // one 3-bucket hold window
		tl.first = cat(rep(10, 100), rep(3, 4), rep(17, 100))
		tl.target = cat(rep(10, 50), rep(3, 4), rep(17, 50))
		tl.hits = cat(rep(10, 0), rep(3, 4))
		r := Analyze(tl.series(t), 0, testParams, 0)
		if r.Failover != nil || r.FailoverOpen == nil || *r.FailoverOpen != 0 {
			t.Errorf("fail over %v, open %v; want never, open from the fault's start (0s)", r.Failover, r.FailoverOpen)
		}
	})
	t.Run("a fault starting at the run's end", func(t *testing.T) {
		r := Analyze(with(30*m, 35*m).series(t), 0, testParams, 30*m)
		checkNote(t, r.Note, []string{"not before the run's end"})
	})
	t.Run("a fault to the run's end has no fail back", func(t *testing.T) {
		tl := with(10*m, 30*m)
		tl.target = rep(30, 0) // nothing to move
		r := Analyze(tl.series(t), 0, testParams, 30*m)
		if r.FailbackSpan != nil || r.Failback != nil {
			t.Errorf("fail back %v, want none: the fault lasts to the end", r.FailbackSpan)
		}
	})
	t.Run("fail back at exactly half the reference", func(t *testing.T) {
		tl := with(10*m, 20*m)
		tl.target = cat(rep(10, 50), rep(10, 0), rep(10, 25)) // after: 0.25 = half of 0.5
		r := Analyze(tl.series(t), 0, testParams, 0)
		if r.Failback == nil {
			t.Errorf("fail back never; want reached: a share of half the reference is back")
		}
	})
}

// TestStandInShareNote: with a baseline window that sent nothing to the
// targets, the note gives the stand-in share as a percentage.
func TestStandInShareNote(t *testing.T) {
	const m = time.Minute
	tl := timeline{
		start: 20 * m, end: 30 * m,
		first:  rep(40, 10),
		target: cat(rep(10, 5), rep(30, 0)), // half before 10m, none in the 5m baseline
	}
	r := Analyze(tl.series(t), 0, testParams, 0)
	if !strings.Contains(r.Note, "200 first attempts since the run's start, 25% of them there") {
		t.Errorf("Note = %q, want the stand-in share 25%% of 200", r.Note)
	}
}

// TestDetectSpanRaisedToTheLastTargetBeforeTheMove: one order every 10 s
// to the target, then in the 10 s from 38m a last one to the target (at
// +1 s) and the first elsewhere (+5 s), elsewhere from then on. The
// change point falls on the bucket's start (the bucket adds nothing), but
// the span is raised to the target attempt inside it: [8m1s, 8m5s] from
// the fault's start at 30m.
func TestDetectSpanRaisedToTheLastTargetBeforeTheMove(t *testing.T) {
	const m = time.Minute
	x := orderLog{bucket: 10 * time.Second, start: 30 * m, end: 70 * m, runEnd: 90 * m}
	move := 38 * m
	for at := 3 * time.Second; at < 90*m; at += 10 * time.Second {
		switch {
		case at < move:
			x.orders = append(x.orders, logged{at: at, toTarget: true, paid: at < 30*m})
		case at < move+10*time.Second:
			x.orders = append(x.orders, logged{at: move + time.Second, toTarget: true}, logged{at: move + 5*time.Second, paid: true})
		default:
			x.orders = append(x.orders, logged{at: at, paid: true})
		}
	}
	got := Analyze(x.series(), 0, DefaultParams(), 90*m)
	if d := got.DetectSpan; d == nil || d.Low != 8*m+time.Second || d.High != 8*m+5*time.Second {
		t.Errorf("DetectSpan = %+v, want [8m1s, 8m5s]", d)
	}
}

// TestRestOfFaultAtTheLimits: the rest of the fault judged as one has no
// room for chance: hits at exactly the threshold (5%) are not under it,
// so the router never failed over; a conversion exactly at the floor is
// at it (the floor's float rounding absorbed), so the buyers recovered.
func TestRestOfFaultAtTheLimits(t *testing.T) {
	const m = time.Minute
	t.Run("hits at exactly the threshold", func(t *testing.T) {
		tl := timeline{start: 10 * m, end: 20 * m, first: healthyFirst, failed: healthyFailed,
			hits: during(0, rep(10, 5)...)} // 5 of 100 attempts in every bucket of the fault
		r := Analyze(tl.series(t), 0, testParams, 0)
		if r.Failover != nil {
			t.Errorf("fail over at %v; want never: 5%% hits are not under the 5%% threshold", *r.Failover)
		}
		if r.Recover == nil {
			t.Errorf("recover never; want at once: conversion never dropped")
		}
	})
	t.Run("conversion at exactly the floor", func(t *testing.T) {
		tl := timeline{start: 10 * m, end: 20 * m, first: healthyFirst,
			failed: during(10, rep(10, 20)...)} // the fault converts 80 of 100
		s := tl.series(t)
		low, _, _ := Wilson(450, 500) // the baseline: 450 of 500 paid
		p := testParams
		p.ConversionTolerance = low - 0.8 // the floor is 0.8, give or take rounding
		r := Analyze(s, 0, p, 0)
		if r.Recover == nil || *r.Recover != 0 {
			t.Errorf("recover %v; want at once (0s): 0.8 is at the floor of 0.8", r.Recover)
		}
	})
}

// TestExcessSaturates: an excess too big for an int64 is the largest one,
// from the first float at or past it.
func TestExcessSaturates(t *testing.T) {
	for _, got := range []int64{excess(math.MaxInt64, 0, 0), excess(math.MaxInt64, -1, math.MaxInt64)} {
		if got != math.MaxInt64 {
			t.Errorf("excess = %d, want %d", got, int64(math.MaxInt64))
		}
	}
	if got := excess(5, 0.5, 10); got != 0 {
		t.Errorf("excess of 5 over half of 10 = %d, want 0", got)
	}
}

// TestTailJudgedAsTheLastHoldWindow: a tail of the fault too short to be a
// hold window of its own is judged as the last full window before the
// fault's end, not as the tail alone. Hits stop at once, but the fault's
// last bucket has 15 of its 100 attempts hit: alone too many to be
// chance, over the last 3-bucket window (15 of 300, 5%) within it. The
// router failed over at the fault's start.
func TestTailJudgedAsTheLastHoldWindow(t *testing.T) {
	const m = time.Minute
	tl := timeline{start: 10 * m, end: 20 * m, first: healthyFirst, target: rep(30, 50),
		hits: during(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15)}
	r := Analyze(tl.series(t), 0, testParams, 0)
	// At the fault's start, resting on its bucket's 100 first attempts,
	// confirmed when the first hold window filled.
	want := &Span{Orders: 100, Confirmed: 3 * m}
	if diff := cmp.Diff(want, r.FailoverSpan); diff != "" {
		t.Errorf("fail over (-want +got); want at once: the last bucket's hits are within chance over the last hold window:\n%s", diff)
	}
}

// TestRecoverNoLaterThanFailoverKeepsItsOwnSpan: failing over includes
// recovering, so a recover later than fail over is fail over's; one at the
// same moment keeps its own span and confirmation. Bucket 10 converts
// nothing, bucket 11 has no orders, and buckets 14 and 15 have 16 hits
// each: too many for the hold window [14m,17m) but not for [12m,15m) or
// [15m,18m). Conversion settles at bucket 11, fail over at bucket 12;
// with bucket 11 empty both fall between bucket 10's start and bucket
// 12's end, but recovering was confirmed when [11m,14m) filled, fail over
// when [12m,15m) did.
func TestRecoverNoLaterThanFailoverKeepsItsOwnSpan(t *testing.T) {
	const m = time.Minute
	tl := timeline{start: 10 * m, end: 20 * m,
		first:  cat(rep(11, 100), []int64{0}, rep(18, 100)),
		target: cat(rep(11, 50), []int64{0}, rep(18, 50)),
		hits:   during(0, 0, 0, 0, 0, 16, 16, 0, 0, 0, 0),
		failed: cat(rep(10, 10), []int64{100, 0}, rep(18, 10)),
	}
	r := Analyze(tl.series(t), 0, testParams, 0)
	// 200 first attempts: buckets 10 and 12.
	want := []*Span{
		{At: 90 * time.Second, Low: 0, High: 3 * m, Orders: 200, Confirmed: 5 * m},
		{At: 90 * time.Second, Low: 0, High: 3 * m, Orders: 200, Confirmed: 4 * m},
	}
	if diff := cmp.Diff(want, []*Span{r.FailoverSpan, r.RecoverSpan}); diff != "" {
		t.Errorf("fail over and recover spans (-want +got):\n%s", diff)
	}
}
