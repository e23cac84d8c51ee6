package replay

import (
	"maps"
	"slices"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Summary is what a replay file holds as a run would read it: its orders,
// their span in run time, and their methods and currencies. Survey fills
// it, so a scenario can be checked against the traffic it will send
// before it runs.
type Summary struct {
	// Orders is how many orders the file holds (one pass, no loop).
	Orders int64
	// Within is how many of them come before Until (all when Until is 0).
	Within int64
	// Until is the horizon Within, Methods and Currencies count to (0: none).
	Until time.Duration
	// First and Last are the run times of the first and last order;
	// LastWithin that of the last order before Until.
	First, Last, LastWithin time.Duration
	// Methods and Currencies count the orders before Until by payment
	// method and by currency (a row's empty value counted as the default
	// the run gives it).
	Methods, Currencies map[string]int64
	// BadRows is how many bad rows were passed over (Options.MaxBadRows).
	BadRows int
}

// Survey reads the file at path once, as OpenSource with opt would
// (intents, start, speed; Loop is ignored: one pass), and counts its
// orders. until, when more than 0, is the run's end: Within, Methods and
// Currencies count only the orders before it. An error is what stopped
// the read (too many bad rows, say); bad rows are not passed to
// opt.OnBadRow, so a caller that reads the file again is told of each
// once.
func Survey(path string, opt SourceOptions, until time.Duration) (Summary, error) {
	opt.Loop = false
	opt.OnBadRow = nil
	sum := Summary{Until: until, Methods: map[string]int64{}, Currencies: map[string]int64{}}
	src, err := OpenSource(path, opt)
	if err != nil {
		return sum, err
	}
	defer src.Close()
	var o payment.Order
	for src.Next(&o) {
		if sum.Orders == 0 {
			sum.First = o.Created
		}
		sum.Orders++
		sum.Last = o.Created
		if until > 0 && o.Created >= until {
			continue
		}
		sum.Within++
		sum.LastWithin = o.Created
		sum.Methods[o.Method]++
		sum.Currencies[o.Currency]++
	}
	sum.BadRows = src.BadRows()
	return sum, src.Err()
}

// Sorted returns the keys of a count map, the largest count first (ties
// by name), for messages that list them.
func Sorted(counts map[string]int64) []string {
	keys := slices.Collect(maps.Keys(counts))
	slices.SortFunc(keys, func(a, b string) int {
		if counts[a] != counts[b] {
			if counts[a] > counts[b] {
				return -1
			}
			return 1
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return keys
}
