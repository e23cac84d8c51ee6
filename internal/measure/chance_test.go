package measure

import (
	"testing"
	"time"
)

// Binomial tails against values worked by hand: ten fair coins give 8 or
// more heads with chance 56/1024 = 0.0547 and 1 or fewer with chance
// 11/1024 = 0.0107.
func TestChanceTails(t *testing.T) {
	tests := []struct {
		name        string
		k, n        int64
		p, alpha    float64
		many, fewer bool
	}{
		{"8 of 10 heads, alpha 0.06", 8, 10, 0.5, 0.06, true, false},
		{"8 of 10 heads, alpha 0.05", 8, 10, 0.5, 0.05, false, false},
		{"1 of 10 heads, alpha 0.011", 1, 10, 0.5, 0.011, false, true},
		{"1 of 10 heads, alpha 0.010", 1, 10, 0.5, 0.010, false, false},
		{"on the expected side: never surprising", 5, 10, 0.5, 1, false, false},
		{"no trials", 0, 0, 0.5, 1, false, false},
		{"a hit where none can be", 1, 10, 0, 1e-9, true, false},
		{"a miss where none can be", 9, 10, 1, 1e-9, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tooMany(tt.k, tt.n, tt.p, tt.alpha); got != tt.many {
				t.Errorf("tooMany(%d, %d, %g, %g) = %v, want %v", tt.k, tt.n, tt.p, tt.alpha, got, tt.many)
			}
			if got := tooFew(tt.k, tt.n, tt.p, tt.alpha); got != tt.fewer {
				t.Errorf("tooFew(%d, %d, %g, %g) = %v, want %v", tt.k, tt.n, tt.p, tt.alpha, got, tt.fewer)
			}
		})
	}
	if got := perWindow(10, 70, 1); got != windowAlpha/60 {
		t.Errorf("perWindow over 60 one-bucket windows = %g, want %g", got, windowAlpha/60)
	}
	for _, tc := range []struct{ lo, hi, h, windows int }{
		{0, 9, 3, 3},  // exactly three windows, no partial one
		{0, 10, 0, 1}, // no hold window: the whole fault is one
		{5, 5, 3, 1},  // an empty fault: one
	} {
		if got := perWindow(tc.lo, tc.hi, tc.h); got != windowAlpha/float64(tc.windows) {
			t.Errorf("perWindow(%d, %d, %d) = %g, want %g (%d windows)", tc.lo, tc.hi, tc.h, got, windowAlpha/float64(tc.windows), tc.windows)
		}
	}
	if tooMany(1, 0, 0.5, 0.01) {
		t.Errorf("tooMany of a hit in no attempts: want false (no trials, no surprise)")
	}
	if got := perWindow(10, 20, 3); got != windowAlpha/4 {
		t.Errorf("perWindow over 10 buckets in windows of 3 = %g, want %g (a partial window counts)", got, windowAlpha/4)
	}
}

// At 10 orders a minute, a 60-minute silent freeze has 60 one-minute hold
// windows. The router moved off the frozen channel two minutes in and
// never went back; 40 minutes in, one minute's buyers pay 5 of 13 pages.
// Judged with three standard errors of room per window, that one window
// restarted fail over (41m); judged by its binomial chance with the
// fault's 1% shared by its 60 windows (a chance of about 0.01 against
// 0.01/60), it does not. The same minute with its orders sent back to
// the frozen channel (12 of 13 hits) is a relapse and still restarts it.
func TestOneUnluckyWindowInSixtyDoesNotRestartFailover(t *testing.T) {
	const m = time.Minute
	p := testParams
	p.Baseline, p.Hold = 10*m, m
	base := timeline{
		start: 10 * m, end: 70 * m,
		first:  cat(rep(50, 10), []int64{13}, rep(29, 10)),
		target: cat(rep(10, 5), []int64{5, 3}, rep(58, 0), rep(10, 5)),
		hits:   cat(rep(10, 0), []int64{5, 3}),
		failed: cat(rep(10, 1), []int64{6, 4}, rep(38, 1), []int64{8}, rep(29, 1)),
	}
	got := Analyze(base.series(t), 0, p, 0)
	if got.Failover == nil || *got.Failover > 3*m {
		t.Errorf("one unlucky minute of 60: fail over %v, want within 3m (moved at 2m, never back)", fmtDur(got.Failover))
	}
	relapse := base
	relapse.target = cat(rep(10, 5), []int64{5, 3}, rep(38, 0), []int64{12}, rep(19, 0), rep(10, 5))
	relapse.hits = cat(rep(10, 0), []int64{5, 3}, rep(38, 0), []int64{12})
	got = Analyze(relapse.series(t), 0, p, 0)
	if got.Failover == nil || *got.Failover < 41*m {
		t.Errorf("a relapse at 40m: fail over %v, want from 41m on", fmtDur(got.Failover))
	}
}

func fmtDur(d *time.Duration) string {
	if d == nil {
		return "never"
	}
	return d.String()
}
