package reports

import (
	"encoding/json"
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
	Fault  string   `json:"fault,omitempty"` // "" for run-wide metrics
	Metric string   `json:"metric"`
	Unit   string   `json:"unit"` // "s", "ms", "count" or "ratio"
	Old    *float64 `json:"old"`
	New    *float64 `json:"new"`
	// OldPer1000 and NewPer1000: a count per 1,000 orders created, so
	// that traffic growth alone does not read as a regression.
	OldPer1000 *float64 `json:"old_per_1000_orders,omitempty"`
	NewPer1000 *float64 `json:"new_per_1000_orders,omitempty"`
	// Worse: new is worse than old at all. Noise: but within the figures'
	// precision (NoiseWhy says which). Regressed: worse beyond noise.
	// Beyond: the regression also passes the threshold (every
	// regression when none was given): these fail the diff.
	Worse     bool   `json:"worse"`
	Noise     bool   `json:"within_noise"`
	NoiseWhy  string `json:"noise,omitempty"`
	Regressed bool   `json:"regressed"`
	Beyond    bool   `json:"beyond_threshold"`
}

// Change is a verdict or an expectation whose outcome changed.
type Change struct {
	What  string `json:"what"` // "verdict" or "failover_within (alpha-frozen)"
	Old   string `json:"old"`  // outcome: pass, fail, inconclusive, invalid, n/a, or "absent"
	New   string `json:"new"`
	Worse bool   `json:"worse"`
}

// DiffSide identifies one report of a diff.
type DiffSide struct {
	Scenario  string  `json:"scenario"`
	Router    string  `json:"router"`
	Seed      uint64  `json:"seed"`
	DurationS float64 `json:"duration_s"`
	Orders    int64   `json:"orders"`
	Verdict   string  `json:"verdict"`
}

// DiffResult compares two reports: verdict and expectation changes
// first, then per metric the old and new values, regressions judged
// against the figures' noise and the threshold.
type DiffResult struct {
	Old      DiffSide  `json:"old"`
	New      DiffSide  `json:"new"`
	Warnings []string  `json:"warnings"`
	Changes  []Change  `json:"changes"`
	Rows     []DiffRow `json:"rows"`
	// Regressed counts rows regressed beyond noise; Failed is true when a
	// verdict or expectation got worse or a regression passes the
	// threshold: the diff's exit code is then 1.
	Regressed int  `json:"regressed"`
	Beyond    int  `json:"beyond_threshold"`
	Failed    bool `json:"failed"`
}

// metric is how one metric reads and which way is better.
type metric struct {
	name, unit string
	higherBad  bool // false: higher is better (conversion)
	strict     bool // money safety: any increase is a regression
}

// Noise rules (docs/diff.md):
//   - a time with a precision on both sides (detect_span...): noise while
//     the two intervals overlap; without: within one bucket;
//   - latency percentiles: within one bin of the latency sketch (42 %);
//   - counts: compared per 1,000 orders, noise within three standard
//     errors of the difference of two Poisson rates;
//   - conversion: noise within three standard errors of the difference
//     of two proportions;
//   - lost, duplicate charges, duplicate deliveries and stranded: any
//     increase regresses (the promise is zero).
const (
	noiseSE        = 3
	latencyBinRate = 1.42
)

// Diff compares old with new: verdict and expectation outcomes; per fault
// (matched by name) the times to detect, fail over, recover and fail back,
// excess failed orders and fault hits; run-wide conversion, lost,
// duplicate charges, duplicate deliveries, stranded and checkout latency
// p50/p99. A regression
// passes the threshold when it passes every threshold given that applies
// to its metric: the percentage to all, the duration to times and
// latencies. A time reached before and never now, and any increase of
// lost, duplicate charges, duplicate deliveries or stranded, pass any
// threshold.
func Diff(old, new *Report, th Threshold) *DiffResult {
	d := &DiffResult{Old: side(old), New: side(new), Warnings: []string{}, Changes: []Change{}}
	d.Warnings = diffWarnings(old, new)
	d.Changes = diffChanges(old, new)
	bucket := 10.0
	if old.Series != nil && old.Series.BucketS > 0 {
		bucket = old.Series.BucketS
	}
	add := func(fault string, m metric, o, n *float64, oSpan, nSpan *Span) {
		row := DiffRow{Fault: fault, Metric: m.name, Unit: m.unit, Old: o, New: n}
		if m.unit == "count" {
			row.OldPer1000, row.NewPer1000 = per1000(o, old.Orders.Created), per1000(n, new.Orders.Created)
		}
		row.Worse = isWorse(m, o, n)
		if row.Worse {
			row.NoiseWhy = noise(m, o, n, oSpan, nSpan, bucket, old.Orders, new.Orders)
			row.Noise = row.NoiseWhy != ""
			row.Regressed = !row.Noise
			row.Beyond = row.Regressed && beyond(m, o, n, th)
		}
		d.Rows = append(d.Rows, row)
	}
	times := []metric{{"detect", "s", true, false}, {"fail over", "s", true, false}, {"recover", "s", true, false}, {"fail back", "s", true, false}}
	counts := []metric{{"excess failed", "count", true, false}, {"fault hits", "count", true, false}}
	newFaults := map[string]*Fault{}
	for i := range new.Faults {
		newFaults[new.Faults[i].Name] = &new.Faults[i]
	}
	seen := map[string]bool{}
	faultValues := func(f *Fault) ([]*float64, []*Span) {
		if f == nil {
			return make([]*float64, 6), make([]*Span, 6)
		}
		return []*float64{f.DetectS, f.FailoverS, f.RecoverS, f.FailbackS, fptr(float64(f.ExcessFailed)), fptr(float64(f.Hits))},
			[]*Span{f.DetectSpan, f.FailoverSpan, f.RecoverSpan, f.FailbackSpan, nil, nil}
	}
	emit := func(name string, of, nf *Fault) {
		ov, os := faultValues(of)
		nv, ns := faultValues(nf)
		for i, m := range append(append([]metric{}, times...), counts...) {
			if of == nil || nf == nil {
				// A fault on one side only: shown, not judged.
				d.Rows = append(d.Rows, DiffRow{Fault: name, Metric: m.name, Unit: m.unit, Old: ov[i], New: nv[i]})
				continue
			}
			add(name, m, ov[i], nv[i], os[i], ns[i])
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
	add("", metric{"conversion", "ratio", false, false}, fptr(old.Orders.Conversion), fptr(new.Orders.Conversion), nil, nil)
	add("", metric{"lost", "count", true, true}, fptr(float64(old.Orders.Lost)), fptr(float64(new.Orders.Lost)), nil, nil)
	add("", metric{"duplicate charges", "count", true, true}, fptr(float64(old.Orders.DuplicateCharges)), fptr(float64(new.Orders.DuplicateCharges)), nil, nil)
	add("", metric{"duplicate deliveries", "count", true, true}, fptr(float64(old.Orders.DuplicateDeliveries)), fptr(float64(new.Orders.DuplicateDeliveries)), nil, nil)
	add("", metric{"stranded", "count", true, true}, fptr(float64(old.Orders.Stranded)), fptr(float64(new.Orders.Stranded)), nil, nil)
	add("", metric{"latency p50", "ms", true, false}, fptr(old.Latency.P50Ms), fptr(new.Latency.P50Ms), nil, nil)
	add("", metric{"latency p99", "ms", true, false}, fptr(old.Latency.P99Ms), fptr(new.Latency.P99Ms), nil, nil)
	for _, r := range d.Rows {
		if r.Regressed {
			d.Regressed++
		}
		if r.Beyond {
			d.Beyond++
		}
	}
	d.Failed = d.Beyond > 0
	for _, c := range d.Changes {
		d.Failed = d.Failed || c.Worse
	}
	return d
}

func side(r *Report) DiffSide {
	return DiffSide{Scenario: r.Scenario.Name, Router: r.Scenario.Router, Seed: r.Scenario.Seed,
		DurationS: r.Scenario.DurationS, Orders: r.Orders.Created, Verdict: r.Verdict}
}

// diffWarnings says what makes two reports less comparable.
func diffWarnings(old, new *Report) []string {
	w := []string{}
	if old.Scenario.Name != new.Scenario.Name {
		w = append(w, fmt.Sprintf("different scenarios: %s and %s", old.Scenario.Name, new.Scenario.Name))
	}
	if old.Scenario.DurationS != new.Scenario.DurationS {
		w = append(w, fmt.Sprintf("different lengths: %s and %s of traffic; times compare, counts only per 1,000 orders", dur(old.Scenario.DurationS), dur(new.Scenario.DurationS)))
	}
	if o, n := rate(old), rate(new); o > 0 && n > 0 && math.Abs(n/o-1) > 0.1 {
		w = append(w, fmt.Sprintf("traffic differs: %.0f and %.0f orders an hour (%+.0f%%); counts are judged per 1,000 orders", o, n, 100*(n/o-1)))
	}
	if old.Engine.Mode != new.Engine.Mode && old.Engine.Mode != "" && new.Engine.Mode != "" {
		w = append(w, fmt.Sprintf("different engines: %s and %s time", old.Engine.Mode, new.Engine.Mode))
	}
	names := func(r *Report) map[string]bool {
		m := map[string]bool{}
		for _, f := range r.Faults {
			m[f.Name] = true
		}
		return m
	}
	on, nn := names(old), names(new)
	for _, f := range old.Faults {
		if !nn[f.Name] {
			w = append(w, fmt.Sprintf("fault %s only in the old report", f.Name))
		}
	}
	for _, f := range new.Faults {
		if !on[f.Name] {
			w = append(w, fmt.Sprintf("fault %s only in the new report", f.Name))
		}
	}
	return w
}

// rate is a report's orders an hour.
func rate(r *Report) float64 {
	if r.Scenario.DurationS <= 0 {
		return 0
	}
	return float64(r.Orders.Created) / r.Scenario.DurationS * 3600
}

// diffChanges lists the verdict and every expectation whose outcome
// changed, matched by name and fault.
func diffChanges(old, new *Report) []Change {
	c := []Change{}
	if old.Verdict != new.Verdict {
		c = append(c, Change{What: "verdict", Old: old.Verdict, New: new.Verdict, Worse: rank(new.Verdict) > rank(old.Verdict)})
	}
	key := func(x Expectation) string {
		if x.Fault != "" {
			return x.Name + " (" + x.Fault + ")"
		}
		return x.Name
	}
	olds := map[string]string{}
	var order []string
	for _, x := range old.Expectations {
		olds[key(x)] = outcome(x)
		order = append(order, key(x))
	}
	news := map[string]string{}
	for _, x := range new.Expectations {
		news[key(x)] = outcome(x)
		if _, ok := olds[key(x)]; !ok {
			order = append(order, key(x))
		}
	}
	for _, k := range order {
		o, n := olds[k], news[k]
		if o == "" {
			o = "absent"
		}
		if n == "" {
			n = "absent"
		}
		if o != n {
			c = append(c, Change{What: k, Old: o, New: n, Worse: rank(n) > rank(o)})
		}
	}
	return c
}

// rank orders outcomes from best to worst.
func rank(outcome string) int {
	switch outcome {
	case Pass, NotApplicable, "absent":
		return 0
	case Inconclusive:
		return 1
	case Invalid:
		return 2
	}
	return 3 // fail
}

func per1000(v *float64, orders int64) *float64 {
	if v == nil || orders <= 0 {
		return nil
	}
	return fptr(1000 * *v / float64(orders))
}

// isWorse says whether n is worse than o. A nil time means never reached:
// worse than any reached time. Counts compare per order created when the
// traffic differs (the caller's per-1,000 figures).
func isWorse(m metric, o, n *float64) bool {
	switch {
	case o == nil && n == nil:
		return false
	case n == nil:
		return true // reached before, never now
	case o == nil:
		return false // never before, reached now: better
	}
	if m.higherBad {
		return *n > *o
	}
	return *n < *o
}

// noise says why a worse figure is within the figures' precision, or ""
// when it is a regression.
func noise(m metric, o, n *float64, oSpan, nSpan *Span, bucket float64, oo, no Orders) string {
	if o == nil || n == nil || m.strict {
		return ""
	}
	switch m.unit {
	case "s":
		if oSpan != nil && nSpan != nil {
			if nSpan.LowS <= oSpan.HighS {
				return fmt.Sprintf("the intervals overlap (%s–%s and %s–%s)", dur(oSpan.LowS), dur(oSpan.HighS), dur(nSpan.LowS), dur(nSpan.HighS))
			}
			return ""
		}
		if *n-*o <= bucket {
			return fmt.Sprintf("within one bucket (%s)", dur(bucket))
		}
	case "ms":
		if *o > 0 && *n / *o <= latencyBinRate {
			return "within one bin of the latency sketch (42 %)"
		}
	case "ratio":
		se := math.Sqrt(variance(*o, oo.Created) + variance(*n, no.Created))
		if math.Abs(*n-*o) <= noiseSE*se {
			return fmt.Sprintf("within %d standard errors (%.2f pt)", noiseSE, 100*noiseSE*se)
		}
	case "count":
		if oo.Created <= 0 || no.Created <= 0 {
			return ""
		}
		ro, rn := *o/float64(oo.Created), *n/float64(no.Created)
		if rn <= ro {
			return "not more per order: the traffic grew"
		}
		se := math.Sqrt(*o/sq(float64(oo.Created)) + *n/sq(float64(no.Created)))
		if rn-ro <= noiseSE*se {
			return fmt.Sprintf("within %d standard errors per 1,000 orders (%.2f)", noiseSE, 1000*noiseSE*se)
		}
	}
	return ""
}

func variance(p float64, n int64) float64 {
	if n <= 0 {
		return 0
	}
	return p * (1 - p) / float64(n)
}

func sq(v float64) float64 { return v * v }

// beyond says whether a regression passes th (always without one).
func beyond(m metric, o, n *float64, th Threshold) bool {
	if !th.Set() || m.strict || o == nil || n == nil {
		return true
	}
	worse := *n - *o
	if !m.higherBad {
		worse = -worse
	}
	ok := true
	if th.HasPercent {
		ok = *o == 0 || 100*worse/math.Abs(*o) > th.Percent
	}
	if th.HasAbs && (m.unit == "s" || m.unit == "ms") {
		abs := th.Abs.Seconds()
		if m.unit == "ms" {
			abs *= 1000
		}
		ok = ok && worse > abs
	} else if !th.HasPercent {
		ok = false // only a duration was given and it does not apply here
	}
	return ok
}

// WriteDiff writes the comparison as text: a warning per difference
// between the runs, the verdict and expectation changes, then per fault
// and metric the old value, the new value and the change (counts also per
// 1,000 orders), regressions flagged.
func WriteDiff(w io.Writer, d *DiffResult) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "paydrill diff: %s (router %s, seed %d, %d orders) -> %s (router %s, seed %d, %d orders)\n",
		d.Old.Scenario, d.Old.Router, d.Old.Seed, d.Old.Orders, d.New.Scenario, d.New.Router, d.New.Seed, d.New.Orders)
	for _, x := range d.Warnings {
		fmt.Fprintf(b, "warning: %s\n", x)
	}
	b.WriteString("\n")
	if len(d.Changes) == 0 {
		fmt.Fprintf(b, "Verdict %s, unchanged; no expectation changed.\n\n", strings.ToUpper(d.New.Verdict))
	} else {
		b.WriteString("Changes\n")
		for _, c := range d.Changes {
			tag := "changed"
			switch {
			case c.Worse:
				tag = "WORSE"
			case rank(c.New) < rank(c.Old):
				tag = "better"
			}
			fmt.Fprintf(b, "  %-6s  %s: %s -> %s\n", tag, c.What, strings.ToUpper(c.Old), strings.ToUpper(c.New))
		}
		b.WriteString("\n")
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fault\tmetric\told\tnew\tchange\tper 1,000 orders\t")
	for _, r := range d.Rows {
		fault := r.Fault
		if fault == "" {
			fault = "(run)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fault, r.Metric, diffValue(r.Old, r.Unit), diffValue(r.New, r.Unit), diffChange(r), rates(r), flag(r))
	}
	tw.Flush()
	fmt.Fprintf(b, "\n%s\n", diffSummary(d))
	_, err := io.WriteString(w, b.String())
	return err
}

func flag(r DiffRow) string {
	switch {
	case r.Beyond:
		return "REGRESSED"
	case r.Regressed:
		return "worse, within the threshold"
	case r.Noise:
		return "within noise"
	}
	return ""
}

func rates(r DiffRow) string {
	if r.OldPer1000 == nil || r.NewPer1000 == nil {
		return ""
	}
	return fmt.Sprintf("%.2f -> %.2f", *r.OldPer1000, *r.NewPer1000)
}

func diffSummary(d *DiffResult) string {
	worse := 0
	for _, c := range d.Changes {
		if c.Worse {
			worse++
		}
	}
	s := fmt.Sprintf("%d outcomes worse, %d regressed beyond noise, %d beyond the threshold", worse, d.Regressed, d.Beyond)
	if d.Failed {
		return s + ": REGRESSION"
	}
	return s + ": no regression"
}

// WriteDiffJSON writes the comparison as JSON.
func WriteDiffJSON(w io.Writer, d *DiffResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteDiffMarkdown writes the comparison for a CI job summary: the
// answer first, then warnings, changes and the regressed rows, the whole
// table folded.
func WriteDiffMarkdown(w io.Writer, d *DiffResult) error {
	b := &strings.Builder{}
	mark := "✅"
	if d.Failed {
		mark = "❌"
	}
	fmt.Fprintf(b, "## %s paydrill diff: %s\n\n", mark, mdEscape(diffSummary(d)))
	fmt.Fprintf(b, "Old: `%s`, router `%s`, seed `%d`, %d orders, %s. New: `%s`, router `%s`, seed `%d`, %d orders, %s.\n\n",
		d.Old.Scenario, d.Old.Router, d.Old.Seed, d.Old.Orders, verdictMark(d.Old.Verdict),
		d.New.Scenario, d.New.Router, d.New.Seed, d.New.Orders, verdictMark(d.New.Verdict))
	for _, x := range d.Warnings {
		fmt.Fprintf(b, "> ⚠️ %s\n\n", mdEscape(x))
	}
	if len(d.Changes) > 0 {
		b.WriteString("| change | old | new |\n| --- | --- | --- |\n")
		for _, c := range d.Changes {
			what := mdEscape(c.What)
			if c.Worse {
				what = "**" + what + "** (worse)"
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", what, verdictMark(c.Old), verdictMark(c.New))
		}
		b.WriteString("\n")
	}
	b.WriteString("<details><summary>Every metric</summary>\n\n| fault | metric | old | new | change | per 1,000 orders | |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range d.Rows {
		fault := r.Fault
		if fault == "" {
			fault = "(run)"
		}
		fl := flag(r)
		if r.Beyond {
			fl = "**REGRESSED**"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(fault), r.Metric, diffValue(r.Old, r.Unit), diffValue(r.New, r.Unit), mdEscape(diffChange(r)), rates(r), fl)
	}
	b.WriteString("\n</details>\n")
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
	// The relative change, while it says something: against a baseline
	// near zero (a 12 ms fail over) a 5-minute change is 2,579,614 %.
	if *r.Old != 0 {
		if rel := d / math.Abs(*r.Old); rel < 10 {
			s += fmt.Sprintf(" (%s%.0f%%)", sign, 100*rel)
		} else if sign == "+" {
			s += " (over 10×)"
		}
	}
	return s
}

func fptr(v float64) *float64 { return &v }
