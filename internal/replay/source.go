package replay

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// RecentIntents is how many recent intent ids a Source remembers to take
// only the first attempt of each payment as an order.
const RecentIntents = 1 << 17

// SourceOptions choose how rows become orders.
type SourceOptions struct {
	Options
	// Start is the time (unix nanoseconds) that is the run's 0; 0 takes
	// the first row's time.
	Start int64
	// Speed compresses time: 10 replays ten times faster. 0 is 1.
	Speed float64
	// Loop starts the file over at its end, shifting times by the file's
	// span plus its mean gap between orders, so a short file fills a run.
	Loop bool
	// Defaults for fields the mapping leaves out or a row leaves empty.
	Currency, Category, Method, Region string
}

// Source turns the rows of a file into a run's orders: an OrderSource for
// the engine. Orders get ids from 1 in file order; Created is the row's
// time since Start divided by Speed. Not safe for concurrent use.
type Source struct {
	r       *Reader
	opt     SourceOptions
	seq     uint64
	offset  time.Duration // added by loops
	lastAt  time.Duration // Created of the last order of this pass
	orders  int           // orders of this pass
	started bool
	seen    [2]map[uint64]struct{} // recent intents: current and previous generation
	retries int64
}

// OpenSource opens path as a source of orders.
func OpenSource(path string, opt SourceOptions) (*Source, error) {
	opt.Sorted = true
	if opt.Speed <= 0 {
		opt.Speed = 1
	}
	if opt.Currency == "" {
		opt.Currency = "USD"
	}
	for _, d := range []*string{&opt.Category, &opt.Method, &opt.Region} {
		if *d == "" {
			*d = "unknown"
		}
	}
	if opt.Method == "unknown" {
		opt.Method = "card"
	}
	r, err := Open(path, opt.Options)
	if err != nil {
		return nil, err
	}
	s := &Source{r: r, opt: opt}
	if opt.Mapping.Columns[Intent] != "" {
		s.seen = [2]map[uint64]struct{}{{}, {}}
	}
	return s, nil
}

// Close closes the file.
func (s *Source) Close() error { return s.r.Close() }

// Err is what stopped the source early (nil when the file simply ended).
func (s *Source) Err() error { return s.r.Err() }

// BadRows is how many bad rows were met.
func (s *Source) BadRows() int { return s.r.BadRows() }

// Retries is how many later attempts of an intent were passed over.
func (s *Source) Retries() int64 { return s.retries }

// Next fills o with the next order; false at the end (of the last loop)
// or when the read stopped (see Err).
func (s *Source) Next(o *payment.Order) bool {
	var row Row
	for {
		if !s.r.Next(&row) {
			if s.r.Err() != nil || !s.opt.Loop || s.orders == 0 {
				return false
			}
			gap := time.Second
			if s.orders > 1 {
				gap = max(time.Duration(float64(s.lastAt-s.offset)/float64(s.orders-1)), time.Millisecond)
			}
			s.offset = s.lastAt + gap
			s.orders = 0
			if s.seen[0] != nil {
				s.seen = [2]map[uint64]struct{}{{}, {}}
			}
			if err := s.r.Rewind(); err != nil {
				if s.r.err == nil {
					s.r.err = err
				}
				return false
			}
			continue
		}
		if row.Intent != 0 && s.firstSeen(row.Intent) {
			s.retries++
			continue
		}
		break
	}
	if !s.started {
		s.started = true
		if s.opt.Start == 0 {
			s.opt.Start = row.At
		}
	}
	if row.At < s.opt.Start {
		s.r.reject(s.r.rowErr(s.r.lineOf(), Time, fmtTime(row.At)+" is before the replay's start ("+fmtTime(s.opt.Start)+")"))
		if s.r.err != nil {
			return false
		}
		return s.Next(o)
	}
	since := time.Duration(row.At - s.opt.Start)
	if s.opt.Speed != 1 {
		since = time.Duration(float64(since) / s.opt.Speed)
	}
	s.seq++
	s.orders++
	s.lastAt = s.offset + since
	*o = payment.Order{
		ID: s.seq, Created: s.lastAt, Amount: row.Amount,
		Currency: or(row.Currency, s.opt.Currency), Product: row.Product,
		Category: or(row.Category, s.opt.Category), Method: or(row.Method, s.opt.Method),
		Buyer: row.Buyer, Region: or(row.Region, s.opt.Region),
	}
	return true
}

// firstSeen records intent and reports whether it was seen before.
func (s *Source) firstSeen(id uint64) bool {
	if _, ok := s.seen[0][id]; ok {
		return true
	}
	if _, ok := s.seen[1][id]; ok {
		return true
	}
	if len(s.seen[0]) >= RecentIntents/2 {
		s.seen[1] = s.seen[0]
		s.seen[0] = make(map[uint64]struct{}, RecentIntents/2)
	}
	s.seen[0][id] = struct{}{}
	return false
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
