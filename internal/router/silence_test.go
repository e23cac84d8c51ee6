package router

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// wallet plays an async provider's buyers: each page is paid with
// probability p after a log-normal delay (median, p99).
type wallet struct {
	p             float64
	median, sigma float64 // seconds; sigma of the log
	rng           *rand.Rand
}

func newWallet(p float64, median, p99 time.Duration, seed uint64) wallet {
	return wallet{p: p, median: median.Seconds(), sigma: math.Log(float64(p99)/float64(median)) / 2.326,
		rng: rand.New(rand.NewPCG(seed, 18))}
}

func (w *wallet) pays() (bool, time.Duration) {
	if w.rng.Float64() >= w.p {
		return false, 0
	}
	return true, time.Duration(w.median * math.Exp(w.sigma*w.rng.NormFloat64()) * float64(time.Second))
}

// play runs s over [0, end) with Poisson arrivals every gap on average
// (in steps of a tenth of the gap, at most a second);
// pages accepted at or after freezeAt are never paid. It returns the
// alarm times; after an alarm the test forgets its evidence, as the
// router does on an ejection.
func play(s *silence, w *wallet, gap, end, freezeAt time.Duration, budget float64, stopAtFirst bool) []time.Duration {
	step := min(gap/10, time.Second)
	type due struct{ at, age time.Duration }
	var pending []due // kept sorted by at
	var alarms []time.Duration
	next := time.Duration(0)
	for now := time.Duration(0); now < end; now += step {
		for len(pending) > 0 && pending[0].at <= now {
			s.paid(pending[0].at, pending[0].age)
			pending = pending[1:]
		}
		if s.suspect(now, budget) {
			alarms = append(alarms, now)
			if stopAtFirst {
				return alarms
			}
			s.forget(now)
		}
		for next <= now {
			s.accepted(now)
			if ok, d := w.pays(); ok && now < freezeAt {
				d = max(d, time.Second)
				i := len(pending)
				for i > 0 && pending[i-1].at > now+d {
					i--
				}
				pending = append(pending[:i], append([]due{{now + d, d}}, pending[i:]...)...)
			}
			next += time.Duration(w.rng.ExpFloat64() * float64(gap))
		}
	}
	return alarms
}

// At one order a minute (p 0.9, delays median 40s, p99 4m) the test
// catches a freeze after about as many unpaid pages as docs/health.md
// says any detector needs, and a healthy provider raises no more false
// alarms than its budget allows.
func TestSilenceAtOneOrderAMinute(t *testing.T) {
	var late []time.Duration
	for seed := range uint64(40) {
		w := newWallet(0.9, 40*time.Second, 4*time.Minute, seed)
		s := newSilence()
		freeze := time.Hour
		a := play(&s, &w, time.Minute, 3*time.Hour, freeze, 0.2, true)
		if len(a) == 0 {
			t.Fatalf("seed %d: a freeze at %v was never caught", seed, freeze)
		}
		if a[0] < freeze {
			t.Fatalf("seed %d: alarm at %v, before the freeze at %v", seed, a[0], freeze)
		}
		late = append(late, a[0]-freeze)
	}
	m := median(late)
	if m < 3*time.Minute || m > 10*time.Minute {
		t.Errorf("median detection %v after the freeze; the bound says about 4-5 unpaid pages (5 to 10 minutes at 1/min)", m)
	}

	days := 30
	w := newWallet(0.9, 40*time.Second, 4*time.Minute, 99)
	s := newSilence()
	alarms := play(&s, &w, time.Minute, time.Duration(days)*day, 1<<62, 0.2, false)
	// The budget is 0.2 a day, 6 in 30 days; Ville's bound is loose, so
	// the true rate is lower still.
	if len(alarms) > 6 {
		t.Errorf("healthy provider at 1/min: %d false alarms in %d days, budget 0.2 a day", len(alarms), days)
	}
	if s.rebuilds > 400 {
		t.Errorf("the evidence table was rebuilt %d times in %d days; it should be rebuilt only as the history grows", s.rebuilds, days)
	}
}

func median(v []time.Duration) time.Duration {
	w := append([]time.Duration(nil), v...)
	for i := range w {
		for j := i + 1; j < len(w); j++ {
			if w[j] < w[i] {
				w[i], w[j] = w[j], w[i]
			}
		}
	}
	return w[len(w)/2]
}

// At one order a second, seconds of silence are evidence enough.
func TestSilenceAtOneOrderASecond(t *testing.T) {
	w := newWallet(0.9, 40*time.Second, 4*time.Minute, 7)
	s := newSilence()
	freeze := 30 * time.Minute
	a := play(&s, &w, time.Second, 2*time.Hour, freeze, 0.2, true)
	if len(a) == 0 || a[0] < freeze || a[0] > freeze+2*time.Minute {
		t.Fatalf("frozen at %v, alarms %v: want one within 2m after", freeze, a)
	}
	h := newSilence()
	w = newWallet(0.9, 40*time.Second, 4*time.Minute, 8)
	if a := play(&h, &w, time.Second, 6*time.Hour, 1<<62, 0.2, false); len(a) > 0 {
		t.Errorf("healthy provider at 1/s: false alarms at %v", a)
	}
}

// The threshold is ln(2N/A): N pages a day at the rate seen (the pages
// accepted, over the span from the first one's acceptance to now, at least
// a minute), A the budget.
func TestSilenceThreshold(t *testing.T) {
	for _, tt := range []struct {
		name       string
		first, gap time.Duration // pages accepted at first, first+gap, ...
		pages      int
		at         time.Duration
		budget     float64
		perDay     float64
	}{
		{"a page a minute from 0", 0, time.Minute, 60, time.Hour, 0.2, 1440},
		{"a page a minute from 0, budget 1", 0, time.Minute, 60, time.Hour, 1, 1440},
		{"a page a second from an hour on", time.Hour, time.Second, 91, time.Hour + 90*time.Second, 0.2, 91 * 86400 / 90.0},
		{"under a minute counts a minute", time.Hour, time.Second, 10, time.Hour + 10*time.Second, 0.2, 10 * 1440},
		{"fewer than one a day counts one", 0, 0, 1, 3 * day, 0.2, 1},
	} {
		s := newSilence()
		for k := range tt.pages {
			s.accepted(tt.first + time.Duration(k)*tt.gap)
		}
		got := s.threshold(tt.at, tt.budget)
		if want := math.Log(2 * tt.perDay / tt.budget); !(math.Abs(got-want) <= 1e-12) {
			t.Errorf("%s: threshold at %v = %.15f, want ln(2·%g/%g) = %.15f", tt.name, tt.at, got, tt.perDay, tt.budget, want)
		}
	}
}

// TestDelayBinTable: the table-driven delayBin gives what the logarithm
// gives, at and around every bin's start, over every power of two and at
// random delays (it fails if binStarts or binGuess is off by one delay).
func TestDelayBinTable(t *testing.T) {
	check := func(d time.Duration) {
		t.Helper()
		if got, want := delayBin(d), delayBinLog(d); got != want {
			t.Fatalf("delayBin(%d) = %d, by logarithm %d", d, got, want)
		}
	}
	for b := 1; b < delayBins; b++ {
		for off := time.Duration(-2000); off <= 2000; off++ {
			check(binStarts[b] + off)
		}
	}
	for n := range 63 {
		for _, off := range []time.Duration{-1, 0, 1} {
			check(time.Duration(1)<<n + off)
		}
	}
	for n := guessBits + 1; n < 63; n++ {
		for m := range 1 << guessBits {
			least := time.Duration((1<<guessBits | uint64(m)) << (n - guessBits - 1))
			check(least - 1)
			check(least)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		check(time.Duration(rng.Int64N(int64(24 * time.Hour))))
		check(time.Duration(rng.Int64N(int64(2 * time.Minute))))
	}
	check(-time.Second)
	check(math.MaxInt64)
}

// A page still unpaid past the 15-minute horizon stays evidence: at a few
// pages an hour, pages before a lull in the traffic must still count when
// the next one comes (a small shop's silent freeze across a lull; seed 190
// of small-silent-freeze-1-per-min had 11 minutes without an order and
// was ejected 8 minutes late), whether their bins are still in the ring
// or were moved out by a later page; a late payment of a kept page takes
// its evidence back; what is kept is bounded.
func TestSilenceKeepsUnpaidPagesPastTheHorizon(t *testing.T) {
	const freeze = time.Hour
	suspect := func(s *silence, now time.Duration) bool {
		s.nextEval = 0
		return s.suspect(now, 0.2)
	}
	for _, c := range []struct {
		name string
		dead int
		next bool // a page comes at the lull's end, in the first dead page's slot
		want bool
	}{
		{"eight dead pages, still in the ring", 8, false, true},
		{"eight dead pages, one bin moved out", 8, true, true},
		{"two dead pages are not enough", 2, false, false},
		{"two dead pages, one bin moved out", 2, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := paidHourThenDead(c.dead)
			now := freeze + 30*time.Minute // 30 minutes on: 180 bins after the first dead page's
			if c.next {
				s.accepted(now)
				if s.nOld != 1 || s.old[0] != (stale{epoch: int64(freeze/silenceBin) + 1, unpaid: 1}) {
					t.Fatalf("kept %v, want the first dead page's bin", s.old[:s.nOld])
				}
			}
			if got := suspect(&s, now); got != c.want {
				t.Errorf("suspect = %v, want %v (evidence %.2f, threshold %.2f)", got, c.want, s.evidence(now), s.threshold(now, 0.2))
			}
		})
	}

	t.Run("a late payment takes a kept page back", func(t *testing.T) {
		s := paidHourThenDead(8)
		now := freeze + 30*time.Minute
		s.accepted(now)
		before := s.evidence(now)
		s.paid(now, 30*time.Minute) // the first dead page, paid at last
		if s.old[0].unpaid != 0 {
			t.Errorf("kept bin after its page was paid: %+v, want 0 unpaid", s.old[0])
		}
		if after := s.evidence(now); after >= before {
			t.Errorf("evidence %.2f after the late payment, %.2f before; want less", after, before)
		}
	})

	t.Run("what is kept is bounded", func(t *testing.T) {
		s := paidHourThenDead(0)
		for i := range 600 { // ten hours of dead pages, a minute apart
			s.accepted(freeze + time.Duration(i)*time.Minute)
		}
		first := int64(freeze/silenceBin) + 1
		if s.nOld != oldBins || s.old[0].epoch <= first {
			t.Errorf("kept %d bins from epoch %d, want %d, the oldest dropped (first dead %d)", s.nOld, s.old[0].epoch, oldBins, first)
		}
		s.forget(freeze + 10*time.Hour)
		if s.nOld != 0 {
			t.Errorf("kept %d bins after forget, want 0", s.nOld)
		}
	})
}

// interpolate reads a table linearly between the bins' edges, and the
// first and last bins as they are.
func TestInterpolate(t *testing.T) {
	var g [delayBins]float64
	for i := range g {
		g[i] = float64(i * i)
	}
	// into(i, f) is the age a share f of the way through bin i.
	into := func(i int, f float64) time.Duration {
		return time.Duration(binEdges[i-1] + f*(binEdges[i]-binEdges[i-1]))
	}
	for _, tt := range []struct {
		name string
		age  time.Duration
		want float64
	}{
		{"under a second: bin 0", 500 * time.Millisecond, 0},
		{"half way through bin 5", into(5, 0.5), 16 + 0.5*9},
		{"a quarter into bin 10", into(10, 0.25), 81 + 0.25*19},
		{"a day: the last bin", 24 * time.Hour, 63 * 63},
	} {
		if got := interpolate(&g, tt.age); !(math.Abs(got-tt.want) <= 1e-6) {
			t.Errorf("%s: interpolate(%v) = %v, want %v", tt.name, tt.age, got, tt.want)
		}
	}
}

// The table is -ln(1-G): G the paid share with one paid and one unpaid
// page of prior, times the delay distribution shifted down by half a
// standard error (sqrt(paid)/2 pages); it is rebuilt only when the
// history grew by 2%.
func TestSilenceTable(t *testing.T) {
	s := newSilence()
	s.matAcc, s.matPaid = 10, 8
	s.delays[3], s.delays[7] = 6, 2
	s.table()
	p, shift := 9.0/12, 0.5*math.Sqrt(8)
	for i, want := range map[int]float64{
		0: 0, 2: 0,
		3: -math.Log(1 - p*(6-shift)/9), 6: -math.Log(1 - p*(6-shift)/9),
		7: -math.Log(1 - p*(8-shift)/9), 63: -math.Log(1 - p*(8-shift)/9),
	} {
		if !(math.Abs(s.ev[i]-want) <= 1e-12) {
			t.Errorf("ev[%d] = %v, want %v", i, s.ev[i], want)
		}
	}

	for _, step := range []struct {
		paid     int64
		rebuilds int
	}{{100, 2}, {100, 2}, {101, 2}, {102, 3}, {104, 3}, {105, 4}} {
		s.matPaid, s.delays[7] = step.paid, step.paid-6
		s.table()
		if s.rebuilds != step.rebuilds {
			t.Errorf("history of %d paid pages: %d rebuilds, want %d", step.paid, s.rebuilds, step.rebuilds)
		}
	}
}

// quantile is the first bin edge by which a share q of the paid pages
// were paid; before warmup paid pages, the default.
func TestSilenceQuantile(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    map[int]int64 // delay bin: paid pages
		q    float64
		want time.Duration
	}{
		{"eight of ten in bin 2: the 80th percentile", map[int]int64{2: 8, 9: 2}, 0.8, time.Duration(binEdges[2])},
		{"eight of ten in bin 2: the 90th percentile", map[int]int64{2: 8, 9: 2}, 0.9, time.Duration(binEdges[9])},
		{"warmup pages learned", map[int]int64{4: warmup}, 0.8, time.Duration(binEdges[4])},
		{"one page short of warmup", map[int]int64{4: warmup - 1}, 0.8, time.Hour},
	} {
		s := newSilence()
		for b, n := range tt.d {
			s.delays[b] = n
			s.matPaid += n
		}
		if got := s.quantile(tt.q, time.Hour); got != tt.want {
			t.Errorf("%s: quantile(%v) = %v, want %v", tt.name, tt.q, got, tt.want)
		}
	}
}

// A bin joins the learned history when it is mature old (from the bin's
// end), at the next test; the test runs at most once a second.
func TestSilenceSuspectMaturesAndWaits(t *testing.T) {
	s := newSilence()
	for k := range warmup { // all in the first bin, [0, 5s)
		s.accepted(time.Duration(k) * time.Second)
		s.paid(time.Duration(k)*time.Second+time.Second, time.Second)
	}
	ends := silenceBin + mature
	s.suspect(ends-1, 0.2)
	if s.learned() {
		t.Fatalf("learned %d paid pages at %v, before the bin was mature", s.matPaid, ends-1)
	}
	s.nextEval = 0
	s.suspect(ends, 0.2)
	if s.matPaid != warmup || s.matAcc != warmup || !s.learned() {
		t.Fatalf("at %v the history holds %d of %d pages (learned %v), want %d of %d, learned", ends, s.matPaid, s.matAcc, s.learned(), warmup, warmup)
	}

	h := paidHourThenDead(8)
	now := time.Hour + 30*time.Minute
	for _, c := range []struct {
		at   time.Duration
		want bool
	}{{now, true}, {now + time.Second/2, false}, {now + time.Second, true}} {
		if got := h.suspect(c.at, 0.2); got != c.want {
			t.Errorf("eight dead pages, tested at %v after one at %v: suspect = %v, want %v", c.at, now, got, c.want)
		}
	}

	// The test visits the bins within the horizon; a matured bin it never
	// visited there joins the history when a page takes its slot.
	late := newSilence()
	for k := range warmup {
		late.accepted(time.Duration(k) * time.Second)
		late.paid(time.Duration(k)*time.Second+time.Second, time.Second)
	}
	past := silenceBins * silenceBin // the first bin is a whole ring back
	late.suspect(past, 0.2)
	if late.matPaid != 0 {
		t.Errorf("a test at %v folded the bin a whole ring back: %d paid pages learned, want 0", past, late.matPaid)
	}
	late.accepted(past)
	if late.matPaid != warmup {
		t.Errorf("a page at %v took the first bin's slot: %d paid pages learned, want %d", past, late.matPaid, warmup)
	}
}

// paidHourThenDead is an hour of a page a minute, each paid in 30 s, then
// dead pages a minute apart, never paid.
func paidHourThenDead(dead int) silence {
	s := newSilence()
	for m := range 60 {
		at := time.Duration(m) * time.Minute
		s.accepted(at)
		s.paid(at+30*time.Second, 30*time.Second)
	}
	for i := range dead {
		s.accepted(time.Hour + time.Duration(i)*time.Minute)
	}
	return s
}

// spreadHistory is a silence that learned 64 paid pages of 70, one in
// each delay bin, so that -ln(1-G) grows through every bin.
func spreadHistory() silence {
	s := newSilence()
	s.matAcc, s.matPaid = 70, delayBins
	for i := range s.delays {
		s.delays[i] = 1
	}
	return s
}

// Evidence of an unpaid page counts from the middle of its bin, also
// while its bin is the current one: the "created" ratio -ln(1-G(age))
// while no page accepted after its bin was paid, else the "stopped"
// ratio, less what it showed at the latest notification.
func TestSilenceEvidenceOfOnePage(t *testing.T) {
	const at = time.Hour // the dead page, at its bin's start
	mid := at + silenceBin/2
	t.Run("created", func(t *testing.T) {
		s := spreadHistory()
		s.accepted(at)
		for _, age := range []time.Duration{5 * time.Second, 10 * time.Second, 37 * time.Second, 3 * time.Minute} {
			got := s.evidence(mid + age)
			if want := interpolate(&s.ev, age); !(want > 0 && math.Abs(got-want) <= 1e-12) {
				t.Errorf("one dead page at age %v: evidence %v, want %v", age, got, want)
			}
		}
	})
	t.Run("stopped", func(t *testing.T) {
		s := spreadHistory()
		s.accepted(at)
		s.accepted(at + 10*time.Second) // a later page, paid 30 s on
		s.paid(at+40*time.Second, 30*time.Second)
		for _, age := range []time.Duration{time.Minute, 3 * time.Minute} {
			got := s.evidence(mid + age)
			want := interpolate(&s.ev, age) - interpolate(&s.ev, at+40*time.Second-mid)
			if !(want > 0 && math.Abs(got-want) <= 1e-12) {
				t.Errorf("one dead page at age %v, a later page paid: evidence %v, want %v", age, got, want)
			}
		}
	})
}

// The "created" ratio counts a page whose bin starts after the latest
// acceptance of a paid page, however late that payment came; a page
// accepted later in the same bin and paid leaves only the "stopped" one.
func TestSilenceEvidenceAroundTheLatestPaid(t *testing.T) {
	const at = time.Hour // the dead page, at its bin's start
	mid := at + silenceBin/2
	t.Run("an earlier page paid after it", func(t *testing.T) {
		s := spreadHistory()
		s.accepted(at - 30*time.Second)
		s.accepted(at)
		s.paid(at+20*time.Second, 50*time.Second)
		for _, age := range []time.Duration{time.Minute, 3 * time.Minute} {
			got, want := s.evidence(mid+age), interpolate(&s.ev, age)
			if !(want > 0 && math.Abs(got-want) <= 1e-12) {
				t.Errorf("age %v: evidence %v, want the created ratio %v", age, got, want)
			}
		}
	})
	for _, later := range []time.Duration{time.Second, 0} {
		t.Run(fmt.Sprintf("a page of its bin accepted %v later paid", later), func(t *testing.T) {
			s := spreadHistory()
			s.accepted(at)
			s.accepted(at + later)
			paidAt := at + later + 30*time.Second
			s.paid(paidAt, 30*time.Second)
			for _, age := range []time.Duration{time.Minute, 3 * time.Minute} {
				got := s.evidence(mid + age)
				want := interpolate(&s.ev, age) - interpolate(&s.ev, paidAt-mid)
				if !(want > 0 && math.Abs(got-want) <= 1e-12) {
					t.Errorf("age %v: evidence %v, want the stopped ratio %v", age, got, want)
				}
			}
		})
	}
	// A notification at the very middle of the page's bin (the age the
	// evidence counts from) is at age 0 for it: a healthy provider leaves
	// a page unpaid at age 0 with probability 1, and nothing is taken off,
	// though a history paid within a second gives bin 0 a positive -ln(1-G).
	t.Run("a page of its bin paid at its middle", func(t *testing.T) {
		s := newSilence()
		s.matAcc, s.matPaid = 110, 100
		s.delays[0], s.delays[20] = 50, 50
		s.accepted(at)
		s.accepted(at)
		s.paid(mid, silenceBin/2)
		for _, age := range []time.Duration{time.Minute, 3 * time.Minute} {
			got, want := s.evidence(mid+age), interpolate(&s.ev, age)
			if !(s.ev[0] > 0 && want > s.ev[0] && math.Abs(got-want) <= 1e-12) {
				t.Errorf("age %v: evidence %v, want the whole stopped ratio %v (bin 0: %v)", age, got, want, s.ev[0])
			}
		}
	})
}

// An unpaid page's evidence never falls as it ages, also as its bin
// passes the 15-minute horizon (counted once, by the ring's walk or after
// it, never both); past it, a bin still counts only its unpaid pages.
func TestSilenceEvidenceGrowsPastTheHorizon(t *testing.T) {
	s := spreadHistory()
	s.accepted(time.Hour)
	prev := 0.0
	for now := time.Hour + 14*time.Minute; now < time.Hour+17*time.Minute; now += time.Second {
		e := s.evidence(now)
		if !(e > 0 && e >= prev) {
			t.Fatalf("evidence of one dead page accepted at 1h: %v at %v, %v a second before", e, now, prev)
		}
		prev = e
	}

	// A bin past the horizon still in the ring (no page took its slot)
	// counts its unpaid pages only, as it did within the horizon: three
	// accepted, one paid, two count, by the "stopped" ratio.
	s = spreadHistory()
	for range 3 {
		s.accepted(time.Hour)
	}
	paidAt, mid := time.Hour+30*time.Second, time.Hour+silenceBin/2
	s.paid(paidAt, 30*time.Second)
	for _, now := range []time.Duration{time.Hour + 10*time.Minute, time.Hour + 16*time.Minute} {
		got := s.evidence(now)
		want := 2 * (interpolate(&s.ev, now-mid) - interpolate(&s.ev, paidAt-mid))
		if !(want > 0 && math.Abs(got-want) <= 1e-12) {
			t.Errorf("a bin of three pages, one paid, at %v: evidence %v, want two pages' stopped ratio %v", now, got, want)
		}
	}
}

// A bin leaving the ring keeps only its unpaid pages, and only if any.
func TestSilenceRetiresOnlyUnpaid(t *testing.T) {
	s := newSilence()
	s.accepted(0)
	s.accepted(time.Second)
	s.paid(20*time.Second, 20*time.Second)
	s.accepted(time.Minute) // paid in full
	s.paid(time.Minute+20*time.Second, 20*time.Second)
	s.accepted(silenceBins * silenceBin)             // takes the first bin's slot
	s.accepted(silenceBins*silenceBin + time.Minute) // takes the paid bin's
	want := stale{epoch: 1, unpaid: 1}
	if s.nOld != 1 || s.old[0] != want {
		t.Errorf("kept %v, want only %v", s.old[:s.nOld], want)
	}
}

// Delay bins: 0 up to a second (inclusive), then 15% apart, the last open.
func TestSilenceDelayBinEdges(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want int
	}{
		{0, 0},
		{time.Second, 0},
		{time.Second + 1, 1},
		{1100 * time.Millisecond, 1}, // 1.15^0.68
		{2 * time.Second, 5},         // 1.15^4.96
		{24 * time.Hour, delayBins - 1},
	} {
		if got, def := delayBin(tt.d), delayBinLog(tt.d); got != tt.want || def != tt.want {
			t.Errorf("delayBin(%v) = %d, by logarithm %d; want %d", tt.d, got, def, tt.want)
		}
	}
}
