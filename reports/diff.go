package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Threshold says how much worse a metric may get before a diff fails.
// Zero value: no threshold (regressions are flagged, none fails).
type Threshold struct {
	// Percent: worse by more than this share of the old value (10 for 10 %).
	Percent    float64
	HasPercent bool
	// Abs: a time or latency worse by more than this.
	Abs    time.Duration
	HasAbs bool
}

// ParseThreshold reads "10%", a duration ("30s", "500ms") or both
// separated by a comma ("10%,30s").
func ParseThreshold(s string) (Threshold, error) {
	var t Threshold
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch {
		case strings.HasSuffix(part, "%"):
			v, err := strconv.ParseFloat(strings.TrimSuffix(part, "%"), 64)
			if err != nil || v < 0 || t.HasPercent {
				return t, fmt.Errorf("threshold %q: %q is not one percentage like 10%%", s, part)
			}
			t.Percent, t.HasPercent = v, true
		default:
			d, err := time.ParseDuration(part)
			if err != nil || d < 0 || t.HasAbs {
				return t, fmt.Errorf("threshold %q: %q is neither a percentage (10%%) nor one duration (30s)", s, part)
			}
			t.Abs, t.HasAbs = d, true
		}
	}
	return t, nil
}

// Set reports whether any threshold was given.
func (t Threshold) Set() bool { return t.HasPercent || t.HasAbs }

// DiffRow is one metric compared between two reports. Old or New is nil
// when the metric was never reached (a time) or is missing from one side.
type DiffRow struct {
	Fault  string // "" for run-wide metrics
	Metric string
	Unit   string // "s", "ms", "count" or "ratio"
	Old    *float64
	New    *float64
	// Regressed: new is worse than old. Beyond: the regression passes the
	// threshold (never without one).
	Regressed bool
	Beyond    bool
}

// metric is how one metric reads and which way is better.
type metric struct {
	name, unit string
	higherBad  bool // false: higher is better (conversion)
	strict     bool // money safety: any increase passes a set threshold
}

// Diff compares old with new: per fault (matched by name) the times to
// detect, fail over, recover and fail back, excess failed orders and fault
// hits; run-wide conversion, lost, duplicate charges, stranded and checkout
// latency p50/p99. A regression passes the threshold when it passes every
// threshold given that applies to its metric: the percentage to all, the
// duration to times and latencies. A time reached before and never now,
// and any increase of lost, duplicate charges or stranded, pass any set
// threshold.
func Diff(old, new *Report, th Threshold) []DiffRow {
	var rows []DiffRow
	add := func(fault string, m metric, o, n *float64) {
		row := DiffRow{Fault: fault, Metric: m.name, Unit: m.unit, Old: o, New: n}
		row.Regressed, row.Beyond = judge(m, o, n, th)
		rows = append(rows, row)
	}
	times := []metric{{"detect", "s", true, false}, {"fail over", "s", true, false}, {"recover", "s", true, false}, {"fail back", "s", true, false}}
	counts := []metric{{"excess failed", "count", true, false}, {"fault hits", "count", true, false}}
	newFaults := map[string]*Fault{}
	for i := range new.Faults {
		newFaults[new.Faults[i].Name] = &new.Faults[i]
	}
	seen := map[string]bool{}
	faultValues := func(f *Fault) []*float64 {
		if f == nil {
			return make([]*float64, 6)
		}
		return []*float64{f.DetectS, f.FailoverS, f.RecoverS, f.FailbackS, fptr(float64(f.ExcessFailed)), fptr(float64(f.Hits))}
	}
	emit := func(name string, of, nf *Fault) {
		ov, nv := faultValues(of), faultValues(nf)
		for i, m := range append(append([]metric{}, times...), counts...) {
			o, n := ov[i], nv[i]
			if of == nil || nf == nil {
				// A fault on one side only: shown, not judged.
				rows = append(rows, DiffRow{Fault: name, Metric: m.name, Unit: m.unit, Old: o, New: n})
				continue
			}
			add(name, m, o, n)
		}
	}
	for i := range old.Faults {
		f := &old.Faults[i]
		seen[f.Name] = true
		emit(f.Name, f, newFaults[f.Name])
	}
	for i := range new.Faults {
		if f := &new.Faults[i]; !seen[f.Name] {
			emit(f.Name, nil, f)
		}
	}
	add("", metric{"conversion", "ratio", false, false}, fptr(old.Orders.Conversion), fptr(new.Orders.Conversion))
	add("", metric{"lost", "count", true, true}, fptr(float64(old.Orders.Lost)), fptr(float64(new.Orders.Lost)))
	add("", metric{"duplicate charges", "count", true, true}, fptr(float64(old.Orders.DuplicateCharges)), fptr(float64(new.Orders.DuplicateCharges)))
	add("", metric{"stranded", "count", true, true}, fptr(float64(old.Orders.Stranded)), fptr(float64(new.Orders.Stranded)))
	add("", metric{"latency p50", "ms", true, false}, fptr(old.Latency.P50Ms), fptr(new.Latency.P50Ms))
	add("", metric{"latency p99", "ms", true, false}, fptr(old.Latency.P99Ms), fptr(new.Latency.P99Ms))
	return rows
}

// judge says whether n is worse than o and whether that passes th. A nil
// time means never reached: worse than any reached time.
func judge(m metric, o, n *float64, th Threshold) (regressed, beyond bool) {
	switch {
	case o == nil && n == nil:
		return false, false
	case n == nil:
		return true, th.Set() // reached before, never now
	case o == nil:
		return false, false // never before, reached now: better
	}
	worse := *n - *o
	if !m.higherBad {
		worse = -worse
	}
	if worse <= 0 {
		return false, false
	}
	if !th.Set() {
		return true, false
	}
	if m.strict {
		return true, true
	}
	beyond = true
	if th.HasPercent {
		beyond = beyond && (*o == 0 || 100*worse/math.Abs(*o) > th.Percent)
	}
	if th.HasAbs && (m.unit == "s" || m.unit == "ms") {
		abs := th.Abs.Seconds()
		if m.unit == "ms" {
			abs *= 1000
		}
		beyond = beyond && worse > abs
	} else if !th.HasPercent {
		// Only a duration was given and it does not apply here.
		beyond = false
	}
	return true, beyond
}

// Regressions counts the rows that regressed and those beyond the threshold.
func Regressions(rows []DiffRow) (regressed, beyond int) {
	for _, r := range rows {
		if r.Regressed {
			regressed++
		}
		if r.Beyond {
			beyond++
		}
	}
	return regressed, beyond
}

// WriteDiff writes the comparison as a table: per fault and metric the
// old value, the new value and the change, regressions flagged
// ("REGRESSED", "REGRESSED beyond threshold").
func WriteDiff(w io.Writer, old, new *Report, rows []DiffRow) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "paydrill diff: %s (router %s, seed %d) -> %s (router %s, seed %d)\n\n",
		old.Scenario.Name, old.Scenario.Router, old.Scenario.Seed, new.Scenario.Name, new.Scenario.Router, new.Scenario.Seed)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fault\tmetric\told\tnew\tchange\t")
	for _, r := range rows {
		fault := r.Fault
		if fault == "" {
			fault = "(run)"
		}
		flag := ""
		switch {
		case r.Beyond:
			flag = "REGRESSED beyond threshold"
		case r.Regressed:
			flag = "REGRESSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", fault, r.Metric, diffValue(r.Old, r.Unit), diffValue(r.New, r.Unit), diffChange(r), flag)
	}
	tw.Flush()
	reg, beyond := Regressions(rows)
	fmt.Fprintf(b, "\n%d regressed, %d beyond the threshold\n", reg, beyond)
	_, err := io.WriteString(w, b.String())
	return err
}

func diffValue(v *float64, unit string) string {
	if v == nil {
		if unit == "s" {
			return "never"
		}
		return "-"
	}
	switch unit {
	case "s":
		return dur(*v)
	case "ms":
		return ms(*v)
	case "ratio":
		return fmt.Sprintf("%.1f%%", 100**v)
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func diffChange(r DiffRow) string {
	if r.Old == nil || r.New == nil {
		if r.Old == nil && r.New == nil {
			return "="
		}
		return "n/a"
	}
	d := *r.New - *r.Old
	if d == 0 {
		return "="
	}
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	var s string
	switch r.Unit {
	case "s":
		s = sign + dur(d)
	case "ms":
		s = sign + ms(d)
	case "ratio":
		s = fmt.Sprintf("%s%.1f pt", sign, 100*d)
	default:
		s = sign + strconv.FormatFloat(d, 'f', -1, 64)
	}
	if *r.Old != 0 {
		s += fmt.Sprintf(" (%s%.0f%%)", sign, 100*d/math.Abs(*r.Old))
	}
	return s
}

func fptr(v float64) *float64 { return &v }
