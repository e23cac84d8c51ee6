package sweep

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/paydrill/paydrill/internal/measure"
)

// Table is a sweep summarised: one row per fault, rate and router, and per
// fault and router the rate from which the target is met. It is the
// sweep's JSON model; its keys are stable. Times are in seconds, null
// when never reached.
type Table struct {
	Scenario    string   `json:"scenario"`
	Seeds       []uint64 `json:"seeds"`
	Interrupted bool     `json:"interrupted,omitempty"`
	Rows        []Row    `json:"rows"`
	MeetsFrom   []From   `json:"meets_from"`
}

// Row is one cell's times for one fault.
type Row struct {
	Scenario  string   `json:"scenario"`
	Fault     string   `json:"fault"`
	FaultType string   `json:"fault_type"`
	Rate      string   `json:"rate"`
	RatePerS  float64  `json:"rate_per_s"`
	Router    string   `json:"router"`
	Seeds     []uint64 `json:"seeds"`
	// DetectS and FailoverS are per seed, in Seeds order.
	DetectS         []*float64 `json:"detect_s"`
	FailoverS       []*float64 `json:"failover_s"`
	DetectMedianS   *float64   `json:"detect_median_s"`
	DetectWorstS    *float64   `json:"detect_worst_s"`
	FailoverMedianS *float64   `json:"failover_median_s"`
	FailoverWorstS  *float64   `json:"failover_worst_s"`
	TargetS         float64    `json:"target_s"`
	// Meets: every seed failed over within the target.
	Meets bool `json:"meets"`
	// Within is how many seeds failed over within the target; WithinLow
	// and WithinHigh the 95% Wilson interval of that share (the same
	// machinery as run --seeds).
	Within     int     `json:"within"`
	WithinLow  float64 `json:"within_low"`
	WithinHigh float64 `json:"within_high"`
	// Interrupted: a seed's run did not complete; the times are partial
	// and Meets is false.
	Interrupted bool `json:"interrupted,omitempty"`
}

// From is, for one fault and router, the lowest swept rate from which
// every higher swept rate meets the target; Rate is null when the highest
// does not.
type From struct {
	Fault    string   `json:"fault"`
	Router   string   `json:"router"`
	TargetS  float64  `json:"target_s"`
	Rate     *string  `json:"rate"`
	RatePerS *float64 `json:"rate_per_s"`
}

// Summary summarises r against target, or against each fault's own
// target (Fault.Target) when target is 0. Rows come fault by fault, then
// in r.Cells order (rate ascending, then router).
func Summary(r *Result, target time.Duration) *Table {
	t := &Table{Scenario: r.Scenario, Seeds: r.Seeds, Interrupted: r.Interrupted, Rows: []Row{}, MeetsFrom: []From{}}
	var routers []string
	for _, c := range r.Cells {
		if !slices.Contains(routers, c.Router) {
			routers = append(routers, c.Router)
		}
	}
	for fi, f := range r.Faults {
		tg := f.Target
		if target > 0 {
			tg = target
		}
		start := len(t.Rows)
		for _, c := range r.Cells {
			var d, fo []*time.Duration
			if fi < len(c.Detect) {
				d, fo = c.Detect[fi], c.Failover[fi]
			}
			worst := Worst(fo)
			within := 0
			for _, x := range fo {
				if Meets(x, tg) {
					within++
				}
			}
			lo, hi, _ := measure.Wilson(int64(within), int64(len(fo)))
			t.Rows = append(t.Rows, Row{
				Within: within, WithinLow: math.Round(lo*1e4) / 1e4, WithinHigh: math.Round(hi*1e4) / 1e4,
				Scenario: r.Scenario, Fault: f.Name, FaultType: f.Type,
				Rate: Label(c.Rate), RatePerS: float64(c.Rate), Router: c.Router, Seeds: r.Seeds,
				DetectS: seconds(d), FailoverS: seconds(fo),
				DetectMedianS: second(Median(d)), DetectWorstS: second(Worst(d)),
				FailoverMedianS: second(Median(fo)), FailoverWorstS: second(worst),
				TargetS: tg.Seconds(), Meets: !c.Interrupted && Meets(worst, tg), Interrupted: c.Interrupted,
			})
		}
		rows := t.Rows[start:]
		for _, rt := range routers {
			from := From{Fault: f.Name, Router: rt, TargetS: tg.Seconds()}
			if i := MeetsFrom(rowsOf(rows, rt)); i >= 0 {
				row := rowsOf(rows, rt)[i]
				from.Rate, from.RatePerS = &row.Rate, &row.RatePerS
			}
			t.MeetsFrom = append(t.MeetsFrom, from)
		}
	}
	return t
}

// rowsOf returns the rows of one router, sorted by rate ascending.
func rowsOf(rows []Row, router string) []Row {
	var out []Row
	for _, r := range rows {
		if r.Router == router {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Row) int { return cmp.Compare(a.RatePerS, b.RatePerS) })
	return out
}

// MeetsFrom returns the index of the first row (rows sorted by rate
// ascending) from which every row meets its target, or -1 when the last
// does not.
func MeetsFrom(rows []Row) int {
	from := -1
	for i := len(rows) - 1; i >= 0 && rows[i].Meets; i-- {
		from = i
	}
	return from
}

// Median is the median time, nil (never) counting as longer than any
// time. With an even count it is the lower of the two middle values: a
// time some seed actually gave (a mean would be undefined next to
// "never"), on the optimistic side; Worst gives the other side. Median of
// nothing is nil.
func Median(ts []*time.Duration) *time.Duration {
	if len(ts) == 0 {
		return nil
	}
	s := slices.Clone(ts)
	slices.SortFunc(s, compare)
	return s[(len(s)-1)/2]
}

// Worst is the longest time, or nil (never) when any is nil or ts is empty.
func Worst(ts []*time.Duration) *time.Duration {
	if len(ts) == 0 {
		return nil
	}
	return slices.MaxFunc(ts, compare)
}

// Meets reports whether a fail-over time was reached within target.
func Meets(worst *time.Duration, target time.Duration) bool {
	return worst != nil && *worst <= target
}

// compare orders times, nil (never) after every time.
func compare(a, b *time.Duration) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

func second(d *time.Duration) *float64 {
	if d == nil {
		return nil
	}
	v := d.Seconds()
	return &v
}

func seconds(ds []*time.Duration) []*float64 {
	out := make([]*float64, len(ds))
	for i, d := range ds {
		out[i] = second(d)
	}
	return out
}
