package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/paydrill/paydrill/reports"
)

// writeRunTable writes one row per drill, in the order given: name,
// router, verdict, the worst fault's detect / fail over times, money
// safety, conversion, and the wall time last (the only column that varies
// between runs of the same drills).
func writeRunTable(w io.Writer, runs []drillRun) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "drill\trouter\tverdict\tworst fault\tdetect / fail over\tlost\tduplicate charges\tstranded\tconversion\twall")
	for _, d := range runs {
		r := d.report
		if r == nil {
			fmt.Fprintf(tw, "%s\t-\t%s\t-\t-\t-\t-\t-\t-\t-\n", d.s.Name, verdictLabel(&d))
			continue
		}
		fault, times := "-", "-"
		judged := func(name string) bool { _, ok := reports.FailoverTarget(r, name); return ok }
		if i := worstFault(r.Faults, judged); i >= 0 {
			f := r.Faults[i]
			fault, times = f.Name, reports.SpanText(f.DetectS, f.DetectSpan)+" / "+reports.SpanText(f.FailoverS, f.FailoverSpan)
			if !judged(f.Name) {
				times += " (not judged)"
			}
		}
		o := r.Orders
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%.1f%%\t%.2fs\n", r.Scenario.Name, r.Scenario.Router, verdictLabel(&d),
			fault, times, o.Lost, o.DuplicateCharges, o.Stranded, 100*o.Conversion, r.Engine.WallS)
	}
	return tw.Flush()
}

// verdictLabel is a drill's verdict in the table and progress lines.
func verdictLabel(d *drillRun) string {
	switch {
	case !d.ran:
		return "NOT RUN"
	case d.err != nil:
		return "ERROR"
	case d.report.Interrupted:
		return "INTERRUPTED"
	}
	return strings.ToUpper(d.report.Verdict)
}

// worstFault is the index of the fault that failed over last (never is
// last of all), then detected last; the first of equals; -1 for none.
// A fault whose fail-over is judged (judged(name)) comes before any that
// is not: a "never" nobody expected is no drill's worst.
func worstFault(faults []reports.Fault, judged func(string) bool) int {
	worst := -1
	for i, f := range faults {
		if worst < 0 {
			worst = i
			continue
		}
		w := faults[worst]
		if c := cmp.Or(cmpBool(judged(f.Name), judged(w.Name)), later(f.FailoverS, w.FailoverS), later(f.DetectS, w.DetectS)); c > 0 {
			worst = i
		}
	}
	return worst
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// later compares two optional times, nil (never) after every time.
func later(a, b *float64) int {
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
