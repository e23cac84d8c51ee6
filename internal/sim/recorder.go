package sim

import (
	"time"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// Recorder writes what happens in a run into the per-bucket series and
// the totals the measurements read. The virtual engine and the
// wall-clock runner share it, so both clocks count by the same rules.
type Recorder struct {
	Series  *measure.Series
	Totals  Totals
	bucket  time.Duration
	filters []*mocks.Fault // one per scenario fault: its order filter
	targets []uint64       // per fault: bit i = targets provider i
}

// NewRecorder prepares the series of a validated scenario: buckets over
// the traffic and the drain, a row per provider and per fault.
func NewRecorder(s *scenario.Scenario) *Recorder {
	end := s.Duration.D()
	bucket := s.Bucket.D()
	n := int((end+s.Drain.D())/bucket) + 1
	r := &Recorder{bucket: bucket,
		Series: &measure.Series{Bucket: bucket, Orders: make([]measure.OrderBucket, n)}}
	for _, p := range s.Providers {
		r.Series.Providers = append(r.Series.Providers, p.Name)
		r.Series.Provider = append(r.Series.Provider, make([]measure.ProvBucket, n))
	}
	for i, f := range s.Faults {
		ft := mocks.NewFault(i, f)
		r.filters = append(r.filters, ft)
		var mask uint64
		var names []string
		for _, p := range s.TargetIndexes(f) {
			mask |= 1 << uint(p)
			names = append(names, s.Providers[p].Name)
		}
		r.targets = append(r.targets, mask)
		var flap time.Duration
		if f.Flap != nil {
			flap = f.Flap.Period.D()
		}
		r.Series.Faults = append(r.Series.Faults, measure.FaultSeries{
			Name: f.Name, Type: f.Type, Providers: names, Start: ft.Start, End: min(ft.End, end), FlapPeriod: flap,
			Created: make([]int64, n), Paid: make([]int64, n), Failed: make([]int64, n),
			CreatedAmount: make([]int64, n), FailedAmount: make([]int64, n),
			First: make([]int64, n), FirstToTarget: make([]int64, n),
			Attempts: make([]int64, n), Hits: make([]int64, n),
		})
	}
	return r
}

// Bucket is the bucket holding moment t (the last one past the end).
func (r *Recorder) Bucket(t time.Duration) int {
	return max(0, min(int(t/r.bucket), len(r.Series.Orders)-1))
}

// Created counts a new order; it returns the faults whose filter it meets
// (bit i: fault i), which the other calls take.
func (r *Recorder) Created(o *payment.Order) (match uint64) {
	b := r.Bucket(o.Created)
	ob := &r.Series.Orders[b]
	ob.Created++
	ob.CreatedAmount += int64(o.Amount)
	r.Totals.Created++
	for i, f := range r.filters {
		if f.Matches(o) {
			match |= 1 << uint(i)
			fs := &r.Series.Faults[i]
			fs.Created[b]++
			fs.CreatedAmount[b] += int64(o.Amount)
		}
	}
	return match
}

// Attempt counts an attempt sent at `at` to provider p (first: the order's
// first), with the faults that touched it.
func (r *Recorder) Attempt(at time.Duration, p int, first bool, match, hits uint64) {
	b := r.Bucket(at)
	r.Totals.Attempts++
	pb := &r.Series.Provider[p][b]
	pb.Attempts++
	if first {
		pb.First++
	}
	for i := range r.filters {
		bit := uint64(1) << uint(i)
		fs := &r.Series.Faults[i]
		if match&bit != 0 {
			fs.Attempts[b]++
			if first {
				fs.First[b]++
				toTarget := r.targets[i]&(1<<uint(p)) != 0
				if toTarget {
					fs.FirstToTarget[b]++
				}
				fs.NoteFirst(b, len(fs.First), at, toTarget)
			}
		}
		if hits&bit != 0 {
			fs.Hits[b]++
		}
	}
}

// Hit counts fault hits on an attempt sent at `at` learned after it was
// counted (a notification lost or late after the buyer paid).
func (r *Recorder) Hit(at time.Duration, hits uint64) {
	b := r.Bucket(at)
	for i := range r.filters {
		if hits&(1<<uint(i)) != 0 {
			r.Series.Faults[i].Hits[b]++
		}
	}
}

// Capture counts money taken by provider p at `at`.
func (r *Recorder) Capture(at time.Duration, p int) {
	r.Series.Provider[p][r.Bucket(at)].Captures++
}

// Ended counts how an order ended, with the money safety of its captures
// and deliveries (how many times its goods went out).
func (r *Recorder) Ended(o *payment.Order, match uint64, out payment.Outcome, captures, deliveries int) {
	t := &r.Totals
	if captures > 1 {
		t.DuplicateCharges++
	}
	if captures > 0 && deliveries == 0 {
		t.Stranded++
	}
	if deliveries > 1 {
		t.DuplicateDeliveries++
	}
	b := r.Bucket(o.Created)
	ob := &r.Series.Orders[b]
	amt := int64(o.Amount)
	switch out {
	case payment.Paid:
		ob.Paid++
		ob.PaidAmount += amt
		t.Paid++
		t.PaidAmount += o.Amount
	case payment.FailedOrder:
		ob.Failed++
		ob.FailedAmount += amt
		t.Failed++
		t.FailedAmount += o.Amount
	case payment.Abandoned:
		ob.Abandoned++
		t.Abandoned++
	case payment.Lost:
		ob.Lost++
		ob.FailedAmount += amt
		t.Lost++
		t.FailedAmount += o.Amount
	}
	for i := range r.filters {
		if match&(1<<uint(i)) == 0 {
			continue
		}
		fs := &r.Series.Faults[i]
		switch out {
		case payment.Paid:
			fs.Paid[b]++
		case payment.FailedOrder, payment.Lost:
			fs.Failed[b]++
			fs.FailedAmount[b] += amt
		}
	}
}

// Conserved reports whether every created order is accounted for.
func (r *Recorder) Conserved() bool {
	t := r.Totals
	return t.Paid+t.Failed+t.Abandoned+t.Lost+t.InFlight == t.Created
}
