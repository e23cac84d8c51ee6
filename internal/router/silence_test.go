package router

import (
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

// The threshold is ln(2N/A): N pages a day at the rate seen, A the budget.
func TestSilenceThreshold(t *testing.T) {
	s := newSilence()
	for k := range 60 {
		s.accepted(time.Duration(k) * time.Minute)
	}
	got := s.threshold(time.Hour, 0.2)
	want := math.Log(2 * 1440 / 0.2)
	if math.Abs(got-want) > 0.05 {
		t.Errorf("threshold at 1 page a minute, budget 0.2/day = %.3f, want ln(2·1440/0.2) = %.3f", got, want)
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
	learned := func(dead int) silence {
		s := newSilence()
		for m := range 60 { // an hour of a page a minute, each paid in 30 s
			at := time.Duration(m) * time.Minute
			s.accepted(at)
			s.paid(at+30*time.Second, 30*time.Second)
		}
		for i := range dead { // then pages a minute apart, never paid
			s.accepted(freeze + time.Duration(i)*time.Minute)
		}
		return s
	}
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
			s := learned(c.dead)
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
		s := learned(8)
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
		s := learned(0)
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
