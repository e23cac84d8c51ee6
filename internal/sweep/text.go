package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the table people read: per fault a heading, one line
// per rate and router (median and worst over the seeds; "never" when a
// time was not reached), then per router the rate from which it meets
// the target.
func WriteText(w io.Writer, t *Table) error {
	b := &strings.Builder{}
	var faults []string
	for _, r := range t.Rows {
		if len(faults) == 0 || faults[len(faults)-1] != r.Fault {
			faults = append(faults, r.Fault)
		}
	}
	for i, f := range faults {
		if i > 0 {
			b.WriteString("\n")
		}
		var rows []Row
		for _, r := range t.Rows {
			if r.Fault == f {
				rows = append(rows, r)
			}
		}
		target := secs(rows[0].TargetS)
		fmt.Fprintf(b, "%s: fault %s (%s), %d seeds per cell, target: fail over within %s\n",
			t.Scenario, f, rows[0].FaultType, len(t.Seeds), target)
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "rate\trouter\tdetect median\tdetect worst\tfail over median\tfail over worst\tseeds within (95%%)\twithin %s\n", target)
		for _, r := range rows {
			within := "no"
			switch {
			case r.Interrupted:
				within = "interrupted"
			case r.Meets:
				within = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d (%.0f–%.0f%%)\t%s\n", r.Rate, r.Router,
				opt(r.DetectMedianS), opt(r.DetectWorstS), opt(r.FailoverMedianS), opt(r.FailoverWorstS),
				r.Within, len(r.FailoverS), 100*r.WithinLow, 100*r.WithinHigh, within)
		}
		tw.Flush()
		for _, m := range t.MeetsFrom {
			if m.Fault != f {
				continue
			}
			if m.Rate == nil {
				fmt.Fprintf(b, "%s never meets %s in this sweep\n", m.Router, secs(m.TargetS))
			} else {
				fmt.Fprintf(b, "%s meets %s from %s up\n", m.Router, secs(m.TargetS), *m.Rate)
			}
		}
	}
	if t.Interrupted {
		b.WriteString("\nINTERRUPTED: cells marked interrupted did not run every seed; their times are partial.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the table as indented JSON (the stable model).
func WriteJSON(w io.Writer, t *Table) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(t)
}

// secs writes seconds as a short Go duration: 10m, 14m10s, 1h30m.
func secs(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
	if strings.HasSuffix(d, "m0s") {
		d = d[:len(d)-2]
	}
	if strings.HasSuffix(d, "h0m") {
		d = d[:len(d)-2]
	}
	return d
}

// opt writes an optional time, "never" when it was not reached.
func opt(s *float64) string {
	if s == nil {
		return "never"
	}
	return secs(*s)
}
